# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""auth_method oidc: a client-credentials token from the identity provider, cached and renewed.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.community.camunda.plugins.module_utils._auth.method_base import AuthMethodBase
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import TokenRequest, short_lifetime_warning
from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate
from ansible_collections.community.camunda.plugins.module_utils._auth.token_cache import TokenCache

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import Token
    from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
    from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport


class OidcAuth(AuthMethodBase):
    NAME = 'oidc'
    OPTIONS = (
        'token_url',
        'client_id',
        'client_secret',
        'audience',
        'scope',
        'resource',
        'client_auth_method',
        'client_cert',
        'client_key',
        'client_key_passphrase',
        'client_keystore',
        'client_keystore_password',
        'token_ca_path',
        'token_cache',
        'token_cache_dir',
    )

    def __init__(self, options: OptionAdapter, transport: Transport, context: RunContext) -> None:
        super().__init__(options, transport, context)
        self.client_certificate = ClientCertificate.from_options(options)
        self.token_request = TokenRequest(options, self.client_certificate)
        self.cache = TokenCache.from_options(options, context.warn)
        self.token: Token | None = None
        self.token_from_cache = False
        self._renewed_once = False
        self._warned_short_lifetime = False

    def validate(self) -> None:
        self.token_request.validate()

    def obtain_token(self, force_refresh: bool = False) -> Token:
        """The current token, from the cache when it is fresh there; sets ``token_from_cache``."""

        def fetch() -> Token:
            return self.token_request.send(self.transport)

        if self.cache is None:
            self.token, self.token_from_cache = fetch(), False
            self._warn_short_lifetime(self.token, None)
        else:
            self.token, self.token_from_cache = self.cache.get_or_fetch(
                self.token_request.cache_key_material(),
                fetch,
                force_refresh=force_refresh,
                previous_seen=self._warn_short_lifetime,
            )
        return self.token

    def _warn_short_lifetime(self, token: Token, previous: Token | None) -> None:
        # Once per task, and with the cache once per cache entry: a previous token that was just as
        # short-lived was warned about when it was fetched.
        if self._warned_short_lifetime or (previous is not None and previous.outlived_by_margin()):
            return
        warning = short_lifetime_warning(token, self.token_request.client_id, self.token_request.token_url)
        if warning:
            self._warned_short_lifetime = True
            self.context.warn(warning)

    def access_token(self, force_refresh: bool = False) -> tuple[Token, bool]:
        self.validate()
        return self.obtain_token(force_refresh=force_refresh), self.token_from_cache

    def headers(self) -> dict[str, str]:
        token = self.token
        if token is None or not token.is_fresh():
            token = self.obtain_token()
        return {'Authorization': 'Bearer ' + token.access_token}

    def renew_after_refusal(self) -> bool:
        # Only a token that came from the cache can be stale; a token fresh from the IdP that is
        # refused will be refused again. Renew at most once per task: never loop on 401.
        if self._renewed_once or not self.token_from_cache or self.cache is None:
            return False
        self._renewed_once = True
        if self.token is not None:  # a token from the cache was used, so there is one
            self.cache.invalidate(self.token_request.cache_key_material(), self.token)
        self.obtain_token()
        return True

    def refusal_hint(self) -> str:
        audience = self.options.get('audience') or '(none sent)'
        return (
            f"Camunda refused the access token that {self.options.get('token_url')} issued to client "
            f"{self.options.get('client_id')!r}: check that the cluster trusts this issuer, that it accepts the "
            f'audience {audience} (camunda.security.authentication.oidc.audiences), and that its clock is right'
        )

    def close(self) -> None:
        if self.client_certificate is not None:
            self.client_certificate.cleanup()
