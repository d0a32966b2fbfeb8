# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure helpers of the auth diagnosis: hosts, issuers, audiences, refusal texts and mapping-rule claims.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

SAAS_AUDIENCE = 'zeebe.camunda.io'
SAAS_HOST_SUFFIX = '.camunda.io'
SAAS_TOKEN_HOST = 'login.cloud.camunda.io'
ENTRA_V1_HOST = 'sts.windows.net'
ENTRA_V2_HOST = 'login.microsoftonline.com'
LOOPBACK_HOSTS = ('localhost', '127.0.0.1', '::1')
# Camunda's authorization refusal: "Insufficient permissions to perform operation 'READ' on resource 'USER'".
_MISSING_PERMISSION = re.compile(r"operation '(?P<permission>[A-Z_]+)' on resource '(?P<resource>[A-Z_]+)'")


def host_of(url):
    try:
        return (urlsplit(url or '').hostname or '').lower()
    except ValueError:
        return ''


def is_saas_url(url, token_url=None):
    """Camunda SaaS by its addresses: a cluster under *.camunda.io or SaaS's token endpoint."""
    return host_of(url).endswith(SAAS_HOST_SUFFIX) or host_of(token_url) == SAAS_TOKEN_HOST


def audiences_of(claims):
    audience = claims.get('aud')
    if isinstance(audience, str):
        return [audience]
    if isinstance(audience, list):
        return [str(item) for item in audience]
    return []


def entra_version(issuer):
    """'v1', 'v2' or None: Entra ID's two issuer forms."""
    host = host_of(issuer)
    if host == ENTRA_V1_HOST:
        return 'v1'
    if host == ENTRA_V2_HOST and (issuer or '').rstrip('/').endswith('/v2.0'):
        return 'v2'
    return None


def issuer_trap(token_issuer, other_issuer):
    """The catalogue id that explains why two issuers differ, and the template values it needs."""
    values = {}
    token_version, other_version = entra_version(token_issuer), entra_version(other_issuer)
    if token_version and other_version and token_version != other_version:
        return 'issuer_entra_v1_v2', dict(token_version=token_version, other_version=other_version)
    token_parts, other_parts = urlsplit(token_issuer), urlsplit(other_issuer)
    token_path, other_path = token_parts.path.rstrip('/'), other_parts.path.rstrip('/')
    if token_issuer != other_issuer and token_issuer.rstrip('/') == other_issuer.rstrip('/'):
        return 'issuer_trailing_slash', values
    if token_parts.netloc.lower() == other_parts.netloc.lower():
        if token_path != other_path and (token_path == '/auth' + other_path or other_path == '/auth' + token_path):
            return 'issuer_keycloak_auth_path', values
    elif token_path == other_path:
        return 'issuer_host_differs', values
    return 'issuer_mismatch', values


def missing_permission(detail):
    """(permission, resource) from Camunda's refusal text, or None."""
    match = _MISSING_PERMISSION.search(detail or '')
    return (match.group('permission'), match.group('resource')) if match else None


def claim_value(claims, claim_name):
    """A claim by name, or by a simple JSONPath ($.realm_access.roles), as mapping rules address them."""
    if not claim_name.startswith('$.'):
        return claims.get(claim_name)
    value = claims
    for part in claim_name[2:].split('.'):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def rule_matches(rule, claims):
    """Camunda's mapping rule semantics: equals for a single claim, contains for a list claim."""
    value = claim_value(claims, str(rule.get('claimName') or ''))
    expected = rule.get('claimValue')
    if isinstance(value, list):
        return any(_same(item, expected) for item in value)
    return value is not None and _same(value, expected)


def _same(value, expected):
    if isinstance(value, bool):
        return str(value).lower() == str(expected).lower()
    return str(value) == str(expected)
