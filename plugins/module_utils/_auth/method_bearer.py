# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""auth_method bearer: a token the user already has, issued elsewhere.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._auth.method_base import AuthMethodBase
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.jwt import jwt_claims
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import Token


class BearerAuth(AuthMethodBase):
    NAME = 'bearer'
    OPTIONS = ('token',)

    def validate(self) -> None:
        if not self.options.get('token'):
            raise ConfigurationError('auth_method bearer needs token (or CAMUNDA_OAUTH_TOKEN).')

    def headers(self) -> dict[str, str]:
        return {'Authorization': 'Bearer ' + self.options.get('token')}

    def access_token(self, force_refresh: bool = False) -> tuple[Token, bool]:
        # The given token, with its expiry read from the JWT when it is one (never checked: the issuer does that).
        self.validate()
        value = self.options.get('token')
        claims = jwt_claims(value) or {}
        expires_at = float(claims['exp']) if isinstance(claims.get('exp'), (int, float)) else None
        issued_at = float(claims['iat']) if isinstance(claims.get('iat'), (int, float)) else None
        return Token(value, 'Bearer', expires_at, issued_at, claims.get('scope')), False

    def refusal_hint(self) -> str:
        return (
            'Camunda refused the given token: it may have expired, or its issuer or audience is not one '
            'the cluster accepts; with auth_method oidc the collection gets and renews tokens itself'
        )
