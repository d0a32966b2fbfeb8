# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""camunda_auth_info: why credentials work or fail, from the token, the identity provider and the cluster.

For internal collection use only: no stable interface.

It gathers facts (plain data) and lets ``_auth_findings.judge`` turn them into findings. It reads and
never changes anything; it gets its token through the core's own entry point (``_token.obtain_token``,
so the token cache and every client auth method work as in the other modules), then asks the cluster
with that token as a bearer token, so that a refusal is seen as it is (no silent renewal). Neither a
secret nor the token itself reaches the result: the token's header and claims are decoded without
checking the signature and only the claims that explain a refusal are returned.
"""

from __future__ import annotations

import base64
import email.utils
import json
import os
import time

from ansible_collections.community.camunda.plugins.module_utils._auth.methods import AUTH_METHOD_CLASSES, resolve_auth_method
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.findings import (
    DEFAULT_MAX_CLOCK_SKEW, highest_severity, is_saas_url, judge, rule_matches)
from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient, api_base_url, path_segment
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, ConfigurationError, IdpError, redact
from ansible_collections.community.camunda.plugins.module_utils._core.options import (
    OPTION_ENVIRONMENT, SECRET_OPTIONS, OptionAdapter, auth_method_from_sdk_word, module_spec)
from ansible_collections.community.camunda.plugins.module_utils._core.responses import json_or_none, status_phrase
from ansible_collections.community.camunda.plugins.module_utils._auth.access_token import iso8601, obtain_token
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport

AUTH_INFO_SPEC = module_spec(dict(
    expected_issuer=dict(type='str'),
    expected_audiences=dict(type='list', elements='str'),
    saas=dict(type='bool'),
    production=dict(type='bool', default=False),
    max_clock_skew=dict(type='float', default=DEFAULT_MAX_CLOCK_SKEW),
    read_mapping_rules=dict(type='bool', default=True),
))

# The claims that explain a refusal or a mapping; the rest (jti, custom claims) stay out of the result.
TOKEN_CLAIMS = ('iss', 'aud', 'sub', 'azp', 'client_id', 'appid', 'tid', 'ver', 'scope', 'scp', 'groups', 'roles',
                'realm_access', 'iat', 'nbf', 'exp')
TOKEN_HEADER_FIELDS = ('alg', 'kid', 'typ')
# The /me fields worth returning (the rest are UI links).
PRINCIPAL_FIELDS = ('username', 'displayName', 'email', 'roles', 'groups', 'tenants', 'authorizedComponents')
SETTINGS_SHOWN = ('url', 'auth_method', 'validate_certs', 'ca_path')
# How a token URL ends, and what to cut off to get the issuer (Keycloak, Entra ID v2 and v1, Auth0, generic).
TOKEN_URL_SUFFIXES = ('/protocol/openid-connect/token', '/oauth2/v2.0/token', '/oauth2/token', '/oauth/token', '/token')
DISCOVERY_PATH = '/.well-known/openid-configuration'
MAX_ROLES_READ = 200


# -- small pieces ----------------------------------------------------------------------------------

def decode_jwt_part(part):
    """One base64url JSON part of a JWT, or None."""
    try:
        data = json.loads(base64.urlsafe_b64decode((part + '=' * (-len(part) % 4)).encode('ascii')))
    except (ValueError, UnicodeError):
        return None
    return data if isinstance(data, dict) else None


def read_jwt(token):
    """(header, claims) of a JWT, read without checking the signature; (None, None) if it is not one."""
    parts = token.split('.') if isinstance(token, str) else []
    if len(parts) != 3:
        return None, None
    header, claims = decode_jwt_part(parts[0]), decode_jwt_part(parts[1])
    if header is None or claims is None:
        return None, None
    return header, claims


def issuer_from_token_url(token_url):
    """The issuer a token URL most likely belongs to (Keycloak, Entra ID, Auth0 layouts), or None."""
    url = (token_url or '').rstrip('/')
    for suffix in TOKEN_URL_SUFFIXES:
        if url.endswith(suffix):
            base = url[:-len(suffix)]
            return base + '/v2.0' if suffix == '/oauth2/v2.0/token' else base
    return None


def date_offset(header, sent, received):
    """Seconds the server's clock is ahead of ours, from its Date header (whole seconds, truncated)."""
    if not header:
        return None
    try:
        server = email.utils.parsedate_to_datetime(header).timestamp()
    except (TypeError, ValueError):
        return None
    # Date is truncated to the second: the server's time was in [Date, Date + 1).
    return int(round(server + 0.5 - (sent + received) / 2.0))


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
        shown = ('********' if value else None) if name in SECRET_OPTIONS else value
        view[name] = dict(value=shown, source=setting_source(name, value, spec))
    return view


# -- the token -------------------------------------------------------------------------------------

def token_facts(options, context, secrets, force_refresh=False):
    """(facts about the task's token, the token itself or None). The token never goes into the facts."""
    facts = dict(present=False, cached=False, jwt=False, header=None, claims=None, issued_at=None, expires_at=None,
                 lifetime_left_s=None, error=None)
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


# -- the identity provider -------------------------------------------------------------------------

def _idp_verify(options):
    if not options.get('validate_certs', True):
        return False
    return options.get('token_ca_path') or options.get('ca_path') or True


def _get_json(transport, url, verify):
    """(JSON document, clock offset) of a GET to the identity provider; CamundaError or ValueError on failure."""
    sent = time.time()
    reply = transport.send('GET', url, f'the identity provider at {url}', verify, ca_option='token_ca_path',
                           headers={'Accept': 'application/json'})
    received = time.time()
    response = reply.response
    document = json_or_none(response)
    if response.status_code != 200 or not isinstance(document, dict):
        raise ValueError(f'GET {url} answered {status_phrase(response)}' +
                         ('' if isinstance(document, dict) else ' without a JSON document'))
    return document, date_offset(response.headers.get('Date'), sent, received)


def idp_facts(options, transport, header, claims, clocks, secrets):
    """The issuer's discovery document and JWKS, compared with token_url and the token."""
    facts = dict(issuer=None, discovery_url=None, discovered_issuer=None, token_endpoint=None, jwks_uri=None,
                 token_url_matches=None, kid_in_jwks=None, jwks_kids=None, error=None)
    candidates = [options.get('expected_issuer')] if options.get('expected_issuer') else [
        claims.get('iss'), issuer_from_token_url(options.get('token_url'))]
    candidates = [issuer for index, issuer in enumerate(candidates) if issuer and issuer not in candidates[:index]]
    verify, tried = _idp_verify(options), []
    for issuer in candidates:
        url = issuer.rstrip('/') + DISCOVERY_PATH
        try:
            document, offset = _get_json(transport, url, verify)
        except (CamundaError, ValueError) as exc:
            tried.append(redact(str(exc), secrets))
            continue
        facts.update(issuer=issuer, discovery_url=url, discovered_issuer=document.get('issuer'),
                     token_endpoint=document.get('token_endpoint'), jwks_uri=document.get('jwks_uri'))
        clocks['idp_offset_s'] = offset
        break
    else:
        facts.update(issuer=candidates[0] if candidates else None, error='; '.join(tried) or 'no issuer is known '
                     '(the token has no iss and token_url has no known layout): give expected_issuer')
        return facts
    token_url = options.get('token_url')
    if resolve_auth_method(options) == 'oidc' and token_url and facts['token_endpoint']:
        facts['token_url_matches'] = token_url.rstrip('/') == facts['token_endpoint'].rstrip('/')
    if facts['jwks_uri']:
        try:
            jwks, _offset = _get_json(transport, facts['jwks_uri'], verify)
        except (CamundaError, ValueError) as exc:
            facts['error'] = f"the JWKS could not be read: {redact(str(exc), secrets)}"
            return facts
        keys = [key for key in jwks.get('keys') or () if isinstance(key, dict)]
        facts['jwks_kids'] = [key.get('kid') for key in keys]
        kid = header.get('kid')
        facts['kid_in_jwks'] = kid in facts['jwks_kids'] if kid is not None else (len(keys) == 1 or None)
    return facts


# -- the cluster -----------------------------------------------------------------------------------

def _timed_request(client, method, path, clocks, **kwargs):
    sent = time.time()
    response = client.request(method, path, **kwargs)
    clocks['cluster_offset_s'] = date_offset(response.headers.get('Date'), sent, time.time())
    return response


def cluster_facts(client, clocks, secrets):
    """Who the cluster takes the credentials for (GET /v2/authentication/me), or how it refused them."""
    facts = dict(status=None, credentials='unknown', principal=None, detail=None, challenge=None, said=None,
                 request='GET /v2/authentication/me')
    try:
        response = _timed_request(client, 'GET', 'authentication/me', clocks, expected=(200, 401, 403))
        facts['status'] = response.status_code
        if response.status_code == 200:
            me = client.json_of('GET', 'authentication/me', response)
            me = me if isinstance(me, dict) else {}
            facts.update(credentials='accepted', principal={name: me.get(name) for name in PRINCIPAL_FIELDS})
            return facts
    except CamundaError as exc:
        facts.update(credentials='error', said=redact(exc.msg, secrets))
        return facts
    problem = json_or_none(response)
    problem = problem if isinstance(problem, dict) else {}
    facts.update(credentials='refused' if response.status_code == 401 else 'forbidden',
                 detail=redact(problem.get('detail') or problem.get('title'), secrets),
                 challenge=redact(response.headers.get('WWW-Authenticate'), secrets))
    return facts


def mapping_rule_facts(client, claims, secrets):
    """The mapping rules the token's claims match, and the roles each brings."""
    api = client  # CamundaClient.search_all pages every search
    try:
        rules = api.search_all('mapping-rules/search')
    except CamundaError as exc:
        return dict(readable=False, count=None, matched=[], error=redact(getattr(exc, 'detail', None) or exc.msg, secrets))
    matched = [dict(mappingRuleId=rule.get('mappingRuleId'), claimName=rule.get('claimName'),
                    claimValue=rule.get('claimValue'), name=rule.get('name'), roles=None)
               for rule in rules if isinstance(rule, dict) and rule_matches(rule, claims)]
    if matched:
        _add_roles(api, matched)
    return dict(readable=True, count=len(rules), matched=matched, error=None)


def _add_roles(api, matched):
    """Each matched rule's roles (None when roles cannot be read with these credentials)."""
    try:
        roles = api.search_all('roles/search')[:MAX_ROLES_READ]
        by_rule = {rule['mappingRuleId']: [] for rule in matched}
        for role in roles:
            role_id = role.get('roleId')
            for member in api.search_all(f'roles/{path_segment(role_id)}/mapping-rules/search'):
                if member.get('mappingRuleId') in by_rule:
                    by_rule[member['mappingRuleId']].append(role_id)
    except CamundaError:
        return
    for rule in matched:
        rule['roles'] = sorted(by_rule[rule['mappingRuleId']])


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
            if (cluster['credentials'] in ('accepted', 'forbidden') and claims and token and token['jwt']
                    and options.get('read_mapping_rules', True)):
                mapping_rules = mapping_rule_facts(client, claims, secrets)
    return dict(token=token, idp=idp, cluster=cluster, mapping_rules=mapping_rules, claims=claims)


def _cluster_clock_without_credentials(options, context, clocks):
    """auth_method none: the cluster's clock from the public status endpoint."""
    try:
        with CamundaClient(options, context) as client:
            _timed_request(client, 'GET', 'status', clocks, expected=(204, 503), authenticate=False)
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
        settings=dict(url=options.get('url'), token_url=options.get('token_url'),
                      validate_certs=options.get('validate_certs', True)),
        production=options.get('production', False),
        saas=saas,
        expected_issuer=options.get('expected_issuer'),
        expected_audiences=options.get('expected_audiences'),
        max_clock_skew=options.get('max_clock_skew', DEFAULT_MAX_CLOCK_SKEW),
        clocks=dict(controller=now, cluster=now + clocks['cluster_offset_s'] if clocks['cluster_offset_s'] is not None
                    else None, **clocks),
        token=seen['token'], idp=seen['idp'], cluster=seen['cluster'], mapping_rules=seen['mapping_rules'],
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
