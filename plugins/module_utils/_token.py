# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The access token of a task's credentials, for the camunda_token module and lookup.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

import datetime
import time

from ansible_collections.community.camunda.plugins.module_utils._auth import resolve_auth_method
from ansible_collections.community.camunda.plugins.module_utils._auth_method_oidc import OidcAuth
from ansible_collections.community.camunda.plugins.module_utils._errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._oidc import Token, jwt_claims
from ansible_collections.community.camunda.plugins.module_utils._options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._transport import Transport

TOKEN_SPEC = module_spec(dict(
    force_refresh=dict(type='bool', default=False),
))


def _given_token(value):
    claims = jwt_claims(value) or {}
    expires_at = float(claims['exp']) if isinstance(claims.get('exp'), (int, float)) else None
    issued_at = float(claims['iat']) if isinstance(claims.get('iat'), (int, float)) else None
    return Token(value, 'Bearer', expires_at, issued_at, claims.get('scope'))


def obtain_token(options, context):
    """Return (Token, served_from_cache) for bearer or OIDC credentials."""
    method = resolve_auth_method(options)
    if method == 'bearer':
        return _given_token(options.get('token')), False
    if method != 'oidc':
        raise ConfigurationError(
            f'There is no token to get with auth_method {method}: give OIDC credentials (token_url, client_id, '
            'and client_secret or a client certificate) or a token.')
    transport = Transport.from_options(options)
    auth = OidcAuth(options, transport, context)
    try:
        auth.validate()
        token = auth.obtain_token(force_refresh=options.get('force_refresh', False))
        return token, auth.token_from_cache
    finally:
        auth.close()
        transport.close()


def iso8601(epoch_seconds):
    moment = datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def run_token(options, context):
    """The camunda_token module. Its action plugin hides the result: the token must not reach any output."""
    token, cached = obtain_token(options, context)
    return dict(
        changed=False,
        access_token=token.access_token,
        token_type=token.token_type,
        expires_in=max(0, int(token.expires_at - time.time())),
        expires_at=iso8601(token.expires_at),
        scope=token.scope,
        cached=cached,
    )
