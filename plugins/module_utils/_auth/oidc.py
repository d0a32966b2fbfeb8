# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""OIDC client credentials: the token request, the IdP's answer, and token expiry.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import time
from urllib.parse import urlsplit

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth import create_client_auth
from ansible_collections.community.camunda.plugins.module_utils._auth.jwt import jwt_claims
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError, IdpError
from ansible_collections.community.camunda.plugins.module_utils._core.responses import (
    describe_body,
    json_or_none,
    status_phrase,
)
from ansible_collections.community.camunda.plugins.module_utils._core.tls import (
    check_ca_bundle,
    trust_fingerprint,
    verify_value,
)
from ansible_collections.community.camunda.plugins.module_utils._core.transport import RETRY_STATUSES, check_http_url

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
    from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate
    from ansible_collections.community.camunda.plugins.module_utils._core.transport import Reply
    from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport

DEFAULT_LIFETIME_SECONDS = 300
# Getting a token changes nothing, so an IdP's 500 is worth another attempt too.
IDP_RETRY_STATUSES = RETRY_STATUSES | frozenset((500,))

_ERROR_HINTS = {
    'invalid_client': 'check client_id and the client secret or certificate',
    'unauthorized_client': 'check that this client may use the client_credentials grant (Keycloak: service accounts enabled) '
    'and that client_id and its credentials are right',
    'invalid_scope': 'check scope',
    'invalid_target': 'check resource and audience',
    'access_denied': 'check audience (Camunda SaaS expects zeebe.camunda.io) and that the client may request it',
    'invalid_request': 'check token_url, audience, scope and resource',
    'unsupported_grant_type': 'the token endpoint does not accept client_credentials: check token_url',
}


class Token(object):
    """An access token and when it expires (epoch seconds)."""

    def __init__(
        self,
        access_token: str,
        token_type: str | None = 'Bearer',
        expires_at: float | None = None,
        obtained_at: float | None = None,
        scope: str | None = None,
    ) -> None:
        self.access_token = access_token
        self.token_type = token_type or 'Bearer'
        self.obtained_at = obtained_at if obtained_at is not None else time.time()
        self.expires_at = expires_at if expires_at is not None else self.obtained_at + DEFAULT_LIFETIME_SECONDS
        self.scope = scope

    @property
    def lifetime(self) -> float:
        return max(0.0, self.expires_at - self.obtained_at)

    def refresh_margin(self) -> float:
        """Refresh this long before expiry: max(30 s, 10% of the lifetime)."""
        return max(30.0, 0.1 * self.lifetime)

    def outlived_by_margin(self) -> bool:
        """True when the token is never fresh: its whole lifetime fits in the refresh margin."""
        return self.lifetime <= self.refresh_margin()

    def is_fresh(self, now: float | None = None) -> bool:
        now = time.time() if now is None else now
        return now < self.expires_at - self.refresh_margin()

    def to_dict(self) -> dict[str, Any]:
        return dict(
            access_token=self.access_token,
            token_type=self.token_type,
            expires_at=self.expires_at,
            obtained_at=self.obtained_at,
            scope=self.scope,
        )

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Token:
        if not isinstance(data, dict) or not isinstance(data.get('access_token'), str) or not data['access_token']:
            raise ValueError('not a token record')
        return cls(
            data['access_token'],
            data.get('token_type'),
            float(data['expires_at']),
            float(data['obtained_at']),
            data.get('scope'),
        )


def short_lifetime_warning(token: Token, client_id: str | None, token_url: str | None) -> str | None:
    """The warning for a token that lives no longer than the refresh margin, or None."""
    if not token.outlived_by_margin():
        return None
    return (
        f'The identity provider at {token_url} issues client {client_id!r} tokens that live {token.lifetime:.0f} s, '
        f'no longer than the refresh margin of {token.refresh_margin():.0f} s: every task (and every request) asks for '
        'a new token. Raise the access token lifetime of this client at the identity provider (Keycloak: Access Token '
        'Lifespan) well above 30 s; 5 minutes is usual.'
    )


def token_from_response(body: dict[str, Any], now: float | None = None) -> Token:
    """Build a Token from the IdP's JSON: expiry from expires_in, else the JWT exp, else a default."""
    now = time.time() if now is None else now
    access_token = body['access_token']  # present: checked by the caller
    expires_at = None
    try:
        expires_at = now + float(body['expires_in'])
    except (KeyError, TypeError, ValueError):
        claims = jwt_claims(access_token) or {}
        if isinstance(claims.get('exp'), (int, float)):
            expires_at = float(claims['exp'])
    return Token(access_token, body.get('token_type'), expires_at, now, body.get('scope'))


class TokenRequest(object):
    """The client-credentials request of one task, built from its options; the client auth method does its part."""

    def __init__(self, options: OptionAdapter, client_certificate: ClientCertificate | None) -> None:
        self.token_url = options.get('token_url')
        self.client_id = options.get('client_id')
        self.client_secret = options.get('client_secret')
        self.audience = options.get('audience')
        self.scope = options.get('scope')
        self.resource = options.get('resource')
        self.client_auth_method = options.get('client_auth_method', 'client_secret_post')
        self.client_certificate = client_certificate
        self.client_auth = create_client_auth(
            self.client_auth_method, self.client_id, self.client_secret, self.token_url, client_certificate
        )
        self.verify = verify_value(options, 'token_ca_path', 'ca_path')
        self.ca_option = 'token_ca_path' if options.get('token_ca_path') else 'ca_path (or token_ca_path)'

    def validate(self) -> None:
        if not self.token_url:
            raise ConfigurationError(
                'OIDC needs token_url, the token endpoint of the identity provider (SaaS: '
                'https://login.cloud.camunda.io/oauth/token; Keycloak: '
                'https://HOST/auth/realms/camunda-platform/protocol/openid-connect/token), or CAMUNDA_OAUTH_URL.'
            )
        check_http_url(self.token_url, 'token_url')
        parts = urlsplit(self.token_url)
        if parts.scheme not in ('http', 'https') or not parts.netloc:
            raise ConfigurationError(f'token_url {self.token_url!r} is not an http(s) URL.')
        if not self.client_id:
            raise ConfigurationError('OIDC needs client_id (or CAMUNDA_CLIENT_ID).')
        self.client_auth.validate()
        if self.client_certificate is not None:
            self.client_certificate.prepare()
        if isinstance(self.verify, str):
            check_ca_bundle(self.verify, 'token_ca_path' if self.ca_option == 'token_ca_path' else 'ca_path')

    def cache_key_material(self) -> list[Any]:
        """What makes two requests interchangeable: what shapes the token, the credential, and the trust decisions.

        The secret and the certificate (by fingerprint) are part of it so that a wrong secret never gets a
        token that a right one obtained earlier. The TLS trust (validate_certs, the CA bundle's content) is
        part of it so that a cached token is never handed to a run that would not have trusted the identity
        provider that issued it. The cache key is a hash of this, never the values themselves.
        """
        certificate = self.client_certificate.fingerprint() if self.client_certificate else None
        return [
            self.token_url,
            self.client_id,
            self.audience,
            self.scope,
            self.resource,
            self.client_auth_method,
            self.client_secret,
            certificate,
            trust_fingerprint(self.verify),
        ]

    def form_and_headers(self) -> tuple[dict[str, Any], dict[str, str]]:
        form = {'grant_type': 'client_credentials'}
        headers = {'Accept': 'application/json'}
        self.client_auth.add_credentials(form, headers)
        for name in ('audience', 'scope', 'resource'):
            if getattr(self, name):
                form[name] = getattr(self, name)
        return form, headers

    def send(self, transport: Transport) -> Token:
        """Ask the IdP for a token; return a Token or raise IdpError/TransportError."""
        form, headers = self.form_and_headers()
        server_name = f'the identity provider at {self.token_url}'
        fresh_form = None
        if self.client_auth.FRESH_EACH_ATTEMPT:

            def fresh_form() -> dict[str, Any]:
                return self.form_and_headers()[0]

        # Getting a token changes nothing on the IdP, so a retry after a lost answer is safe.
        # An IdP's 5xx is its own passing fault (a database or upstream hiccup), so it is retried like the API's.
        reply = transport.send(
            'POST',
            self.token_url,
            server_name,
            self.verify,
            ca_option=self.ca_option,
            client_certificate=self.client_auth.tls_certificate(),
            idempotent=True,
            retry_statuses=IDP_RETRY_STATUSES,
            data=form,
            data_for_retry=fresh_form,
            headers=headers,
        )
        return self._token_or_error(reply)

    def _token_or_error(self, reply: Reply) -> Token:
        response = reply.response
        body = json_or_none(response)
        if response.status_code == 200 and isinstance(body, dict) and body.get('access_token'):
            return token_from_response(body)
        raise self._error(reply, body)

    def _error(self, reply: Reply, body: Any) -> IdpError:
        response = reply.response
        status = response.status_code
        where = f'the identity provider at {self.token_url}'
        if status >= 500 or status == 429:
            said = describe_body(response)
            if isinstance(body, dict) and body.get('error'):
                said = ': '.join(str(part) for part in (body['error'], body.get('error_description')) if part)
            advice = reply.give_up_advice() if status in IDP_RETRY_STATUSES else 'try again later'
            return IdpError(
                f'{where} failed with {status_phrase(response)}{reply.retry_summary()} ({said}): a fault '
                f'of the identity provider, not of the OIDC settings: check that it is up and its logs; '
                f'{advice}.',
                status=status,
                url=self.token_url,
                error=body.get('error') if isinstance(body, dict) else None,
            )
        if isinstance(body, dict) and body.get('error'):
            error, description = str(body['error']), body.get('error_description')
            hint = _ERROR_HINTS.get(error, 'check the OIDC settings')
            if error in ('invalid_client', 'unauthorized_client'):
                hint = self.client_auth.refusal_hint(hint)
            said = f'{error}: {description}' if description else error
            return IdpError(
                f'{where} refused the token request ({status} {said}){reply.retry_summary()}: {hint}.',
                status=status,
                error=error,
                error_description=description,
                url=self.token_url,
            )
        if response.status_code == 200:
            return IdpError(
                f'{where} answered 200 without an access_token ({describe_body(response)}): '
                'check that token_url is the token endpoint.',
                status=status,
                url=self.token_url,
            )
        return IdpError(
            f'{where} answered {status_phrase(response)}{reply.retry_summary()} '
            f'({describe_body(response)}): check token_url and that the identity provider is up.',
            status=status,
            url=self.token_url,
        )
