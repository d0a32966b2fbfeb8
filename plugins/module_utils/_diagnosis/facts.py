# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The facts of camunda_auth_info beyond the token: the identity provider, the cluster, the clocks, the mapping rules.

For internal collection use only: no stable interface.

Each function reads and never changes anything, and reports what it saw as plain data for ``judge``.
"""

from __future__ import annotations

import email.utils
import time

from ansible_collections.community.camunda.plugins.module_utils._auth.methods import resolve_auth_method
from ansible_collections.community.camunda.plugins.module_utils._api.client import path_segment
from ansible_collections.community.camunda.plugins.module_utils._api.principal import (
    PRINCIPAL_FIELDS,
    PRINCIPAL_REQUEST,
    principal_in,
    request_principal,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, redact
from ansible_collections.community.camunda.plugins.module_utils._core.responses import json_or_none, status_phrase
from ansible_collections.community.camunda.plugins.module_utils._core.tls import verify_value
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.claims import rule_matches

# How a token URL ends, and what to cut off to get the issuer (Keycloak, Entra ID v2 and v1, Auth0, generic).
TOKEN_URL_SUFFIXES = ('/protocol/openid-connect/token', '/oauth2/v2.0/token', '/oauth2/token', '/oauth/token', '/token')
DISCOVERY_PATH = '/.well-known/openid-configuration'
MAX_ROLES_READ = 200


def issuer_from_token_url(token_url):
    """The issuer a token URL most likely belongs to (Keycloak, Entra ID, Auth0 layouts), or None."""
    url = (token_url or '').rstrip('/')
    for suffix in TOKEN_URL_SUFFIXES:
        if url.endswith(suffix):
            base = url[: -len(suffix)]
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


# -- the identity provider -------------------------------------------------------------------------


def _get_json(transport, url, verify):
    """(JSON document, clock offset) of a GET to the identity provider; CamundaError or ValueError on failure."""
    sent = time.time()
    reply = transport.send(
        'GET',
        url,
        f'the identity provider at {url}',
        verify,
        ca_option='token_ca_path',
        headers={'Accept': 'application/json'},
    )
    received = time.time()
    response = reply.response
    document = json_or_none(response)
    if response.status_code != 200 or not isinstance(document, dict):
        raise ValueError(
            f'GET {url} answered {status_phrase(response)}'
            + ('' if isinstance(document, dict) else ' without a JSON document')
        )
    return document, date_offset(response.headers.get('Date'), sent, received)


def idp_facts(options, transport, header, claims, clocks, secrets):
    """The issuer's discovery document and JWKS, compared with token_url and the token."""
    facts = dict(
        issuer=None,
        discovery_url=None,
        discovered_issuer=None,
        token_endpoint=None,
        jwks_uri=None,
        token_url_matches=None,
        kid_in_jwks=None,
        jwks_kids=None,
        error=None,
    )
    candidates = (
        [options.get('expected_issuer')]
        if options.get('expected_issuer')
        else [claims.get('iss'), issuer_from_token_url(options.get('token_url'))]
    )
    candidates = [issuer for index, issuer in enumerate(candidates) if issuer and issuer not in candidates[:index]]
    verify, tried = verify_value(options, 'token_ca_path', 'ca_path'), []
    for issuer in candidates:
        url = issuer.rstrip('/') + DISCOVERY_PATH
        try:
            document, offset = _get_json(transport, url, verify)
        except (CamundaError, ValueError) as exc:
            tried.append(redact(str(exc), secrets))
            continue
        facts.update(
            issuer=issuer,
            discovery_url=url,
            discovered_issuer=document.get('issuer'),
            token_endpoint=document.get('token_endpoint'),
            jwks_uri=document.get('jwks_uri'),
        )
        clocks['idp_offset_s'] = offset
        break
    else:
        facts.update(
            issuer=candidates[0] if candidates else None,
            error='; '.join(tried)
            or 'no issuer is known (the token has no iss and token_url has no known layout): give expected_issuer',
        )
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


def timed_request(clocks, send):
    """The response of ``send()``, noting in ``clocks`` how far the cluster's clock is from ours."""
    sent = time.time()
    response = send()
    clocks['cluster_offset_s'] = date_offset(response.headers.get('Date'), sent, time.time())
    return response


def cluster_facts(client, clocks, secrets):
    """Who the cluster takes the credentials for (GET /v2/authentication/me), or how it refused them."""
    facts = dict(
        status=None,
        credentials='unknown',
        principal=None,
        detail=None,
        challenge=None,
        said=None,
        request=PRINCIPAL_REQUEST,
    )
    try:
        response = timed_request(clocks, lambda: request_principal(client, expected=(200, 401, 403)))
        facts['status'] = response.status_code
        if response.status_code == 200:
            principal = principal_in(client, response) or dict.fromkeys(PRINCIPAL_FIELDS)
            facts.update(credentials='accepted', principal=principal)
            return facts
    except CamundaError as exc:
        facts.update(credentials='error', said=redact(exc.msg, secrets))
        return facts
    problem = json_or_none(response)
    problem = problem if isinstance(problem, dict) else {}
    facts.update(
        credentials='refused' if response.status_code == 401 else 'forbidden',
        detail=redact(problem.get('detail') or problem.get('title'), secrets),
        challenge=redact(response.headers.get('WWW-Authenticate'), secrets),
    )
    return facts


def mapping_rule_facts(client, claims, secrets):
    """The mapping rules the token's claims match, and the roles each brings."""
    api = client  # CamundaClient.search_all pages every search
    try:
        rules = api.search_all('mapping-rules/search')
    except CamundaError as exc:
        return dict(
            readable=False, count=None, matched=[], error=redact(getattr(exc, 'detail', None) or exc.msg, secrets)
        )
    matched = [
        dict(
            mappingRuleId=rule.get('mappingRuleId'),
            claimName=rule.get('claimName'),
            claimValue=rule.get('claimValue'),
            name=rule.get('name'),
            roles=None,
        )
        for rule in rules
        if isinstance(rule, dict) and rule_matches(rule, claims)
    ]
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
