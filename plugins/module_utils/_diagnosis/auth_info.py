# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""camunda_auth_info: why credentials work or fail, from the token, the identity provider and the cluster.

For internal collection use only: no stable interface.

It gathers facts (plain data, ``facts`` and the token here) and lets ``judge.judge`` turn them into findings. It reads and
never changes anything; it gets its token through the core's own entry point (``access_token.obtain_token``,
so the token cache and every client auth method work as in the other modules), then asks the cluster
with that token as a bearer token, so that a refusal is seen as it is (no silent renewal). Neither a
secret nor the token itself reaches the result: the token's header and claims are decoded without
checking the signature and only the claims that explain a refusal are returned.
"""

from __future__ import annotations

import os
import time

from ansible_collections.community.camunda.plugins.module_utils._auth.methods import (
    AUTH_METHOD_CLASSES,
    resolve_auth_method,
)
from ansible_collections.community.camunda.plugins.module_utils._auth.jwt import read_jwt
from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient, api_base_url
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.catalogue import highest_severity
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.claims import is_saas_url
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.facts import (
    cluster_facts,
    idp_facts,
    mapping_rule_facts,
    timed_request,
)
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.judge import DEFAULT_MAX_CLOCK_SKEW, judge
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    SECRET_MASK,
    CamundaError,
    ConfigurationError,
    IdpError,
    redact,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import (
    OPTION_ENVIRONMENT,
    SECRET_OPTIONS,
    OptionAdapter,
    auth_method_from_sdk_word,
    module_spec,
)
from ansible_collections.community.camunda.plugins.module_utils._auth.access_token import iso8601, obtain_token
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport

AUTH_INFO_SPEC = module_spec(
    dict(
        expected_issuer=dict(type='str'),
        expected_audiences=dict(type='list', elements='str'),
        saas=dict(type='bool'),
        production=dict(type='bool', default=False),
        max_clock_skew=dict(type='float', default=DEFAULT_MAX_CLOCK_SKEW),
        read_mapping_rules=dict(type='bool', default=True),
    )
)

# The claims that explain a refusal or a mapping; the rest (jti, custom claims) stay out of the result.
TOKEN_CLAIMS = (
    'iss',
    'aud',
    'sub',
    'azp',
    'client_id',
    'appid',
    'tid',
    'ver',
    'scope',
    'scp',
    'groups',
    'roles',
    'realm_access',
    'iat',
    'nbf',
    'exp',
)
TOKEN_HEADER_FIELDS = ('alg', 'kid', 'typ')
SETTINGS_SHOWN = ('url', 'auth_method', 'validate_certs', 'ca_path')


# -- settings and where they came from ---------------------------------------------------------------


class OverlayOptions(OptionAdapter):
    """The task's options with some values replaced (the token the cluster is asked with)."""

    def __init__(self, options, overrides):
        def getter(name, default=None):
            return overrides[name] if name in overrides else options.get(name, default)

        super().__init__(getter)


def setting_source(name, value, spec):
    """Where an option's value came from: the environment, the default, or the task (option or module_defaults)."""
    if value is None:
        return 'unset'
    for variable in OPTION_ENVIRONMENT.get(name, ()) + (('CAMUNDA_AUTH_STRATEGY',) if name == 'auth_method' else ()):
        if variable in os.environ:
            found = os.environ[variable]
            if name == 'auth_method':
                found = auth_method_from_sdk_word(found)
            if str(found) == str(value):
                return f'environment {variable}'
            break  # the first variable that is set is the one a fallback would use
    if value == spec.get(name, {}).get('default'):
        return 'default'
    return 'option'


def settings_view(options, method):
    """Each setting that shapes the credentials, its value (secrets masked) and where it came from."""
    spec = AUTH_INFO_SPEC['argument_spec']
    names = list(SETTINGS_SHOWN) + [name for name in AUTH_METHOD_CLASSES[method].OPTIONS if name not in SETTINGS_SHOWN]
    view = {}
    for name in names:
        value = options.get(name)
        shown = (SECRET_MASK if value else None) if name in SECRET_OPTIONS else value
        view[name] = dict(value=shown, source=setting_source(name, value, spec))
    return view


# -- the token -------------------------------------------------------------------------------------


def token_facts(options, context, secrets, force_refresh=False):
    """(facts about the task's token, the token itself or None). The token never goes into the facts."""
    facts = dict(
        present=False,
        cached=False,
        jwt=False,
        header=None,
        claims=None,
        issued_at=None,
        expires_at=None,
        lifetime_left_s=None,
        error=None,
    )
    try:
        token, cached = obtain_token(OverlayOptions(options, {'force_refresh': force_refresh}), context)
    except IdpError as exc:
        facts['error'] = dict(kind='refused', said=redact(exc.msg, secrets))
        return facts, None
    except ConfigurationError:
        raise  # wrong options fail the task, as in every module
    except CamundaError as exc:
        facts['error'] = dict(kind='unreachable', said=redact(exc.msg, secrets))
        return facts, None
    header, claims = read_jwt(token.access_token)
    facts.update(present=True, cached=cached, jwt=header is not None)
    if header is not None:
        facts['header'] = {name: header[name] for name in TOKEN_HEADER_FIELDS if name in header}
        facts['claims'] = {name: claims[name] for name in TOKEN_CLAIMS if name in claims}
        for claim, field in (('iat', 'issued_at'), ('exp', 'expires_at')):
            if isinstance(claims.get(claim), (int, float)):
                facts[field] = iso8601(claims[claim])
    # A given opaque token has no known expiry (the core assumes a default lifetime for it): say nothing.
    if header is not None or resolve_auth_method(options) == 'oidc':
        facts['lifetime_left_s'] = int(token.expires_at - time.time())
    return facts, (token.access_token, claims or {})


# -- the module ------------------------------------------------------------------------------------


def _principal_name(method, options, cluster, claims):
    me = (cluster or {}).get('principal') or {}
    if me.get('username'):
        return me['username']
    if method == 'basic':
        return options.get('username')
    for claim in ('client_id', 'azp', 'appid', 'sub'):
        if claims.get(claim):
            return claims[claim]
    return None


def _diagnose(options, context, method, clocks, secrets, force_refresh=False):
    token, idp, access_token, claims = None, None, None, {}
    if method in ('oidc', 'bearer'):
        token, obtained = token_facts(options, context, secrets, force_refresh=force_refresh)
        if obtained:
            access_token, claims = obtained
            secrets.append(access_token)
        if token['jwt']:
            transport = Transport.from_options(options)
            try:
                idp = idp_facts(options, transport, token['header'], claims, clocks, secrets)
            finally:
                transport.close()
    cluster, mapping_rules = None, None
    if method == 'none':
        _cluster_clock_without_credentials(options, context, clocks)
    elif token is None or access_token:
        overrides = {'auth_method': 'bearer', 'token': access_token} if access_token else {}
        with CamundaClient(OverlayOptions(options, overrides), context) as client:
            cluster = cluster_facts(client, clocks, secrets)
            if (
                cluster['credentials'] in ('accepted', 'forbidden')
                and claims
                and token
                and token['jwt']
                and options.get('read_mapping_rules', True)
            ):
                mapping_rules = mapping_rule_facts(client, claims, secrets)
    return dict(token=token, idp=idp, cluster=cluster, mapping_rules=mapping_rules, claims=claims)


def _cluster_clock_without_credentials(options, context, clocks):
    """auth_method none: the cluster's clock from the public status endpoint."""
    try:
        with CamundaClient(options, context) as client:
            timed_request(clocks, lambda: client.request('GET', 'status', expected=(204, 503), authenticate=False))
    except CamundaError:
        pass


def run_auth_info(options, context):
    """The camunda_auth_info module: facts and findings; changes nothing, returns no secret and no token."""
    method = resolve_auth_method(options)
    api_url = api_base_url(options.get('url'))
    secrets = list(options.secrets())
    started = time.time()
    clocks = dict(idp_offset_s=None, cluster_offset_s=None, idp_cluster_offset_s=None)
    seen = _diagnose(options, context, method, clocks, secrets)
    if (seen['cluster'] or {}).get('credentials') == 'refused' and (seen['token'] or {}).get('cached'):
        # A cached token may be stale (keys rotated, cluster restarted): judge a fresh one, as a module would retry.
        clocks.update(idp_offset_s=None, cluster_offset_s=None)
        seen = _diagnose(options, context, method, clocks, secrets, force_refresh=True)
    if clocks['idp_offset_s'] is not None and clocks['cluster_offset_s'] is not None:
        clocks['idp_cluster_offset_s'] = clocks['cluster_offset_s'] - clocks['idp_offset_s']
    now = time.time()
    saas = options.get('saas')
    if saas is None:
        saas = is_saas_url(options.get('url'), options.get('token_url'))
    facts = dict(
        auth_method=method,
        settings=dict(
            url=options.get('url'),
            token_url=options.get('token_url'),
            validate_certs=options.get('validate_certs', True),
        ),
        production=options.get('production', False),
        saas=saas,
        expected_issuer=options.get('expected_issuer'),
        expected_audiences=options.get('expected_audiences'),
        max_clock_skew=options.get('max_clock_skew', DEFAULT_MAX_CLOCK_SKEW),
        clocks=dict(
            controller=now,
            cluster=now + clocks['cluster_offset_s'] if clocks['cluster_offset_s'] is not None else None,
            **clocks,
        ),
        token=seen['token'],
        idp=seen['idp'],
        cluster=seen['cluster'],
        mapping_rules=seen['mapping_rules'],
        principal_name=_principal_name(method, options, seen['cluster'], seen['claims']),
    )
    findings = [{key: redact(value, secrets) for key, value in item.items()} for item in judge(facts)]
    return dict(
        changed=False,
        auth_method=method,
        api_url=api_url,
        settings=settings_view(options, method),
        token=seen['token'],
        idp=seen['idp'],
        clocks=dict(controller=iso8601(started), **clocks),
        cluster=seen['cluster'],
        principal=facts['principal_name'],
        mapping_rules=seen['mapping_rules'],
        findings=findings,
        highest_severity=highest_severity(findings),
    )
