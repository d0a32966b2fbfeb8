# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The IdP handle that tests use, whatever identity provider runs behind it.

``oidc_provider.OidcProviderIdp`` implements it with npm's oidc-provider (this folder's
``idp.mjs``); a Keycloak tier implements the same fields and methods, so that a test written
against ``services.idp`` runs against either.
"""

from __future__ import annotations

import abc
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Client:
    """A registered client-credentials client.

    ``secret`` is set for secret clients; ``cert``/``key`` are the PEM files that an mTLS client
    presents (None for secret clients).
    """

    id: str
    auth_method: str
    secret: str | None = None
    cert: str | None = None
    key: str | None = None


@dataclass(frozen=True)
class Clients:
    secret: Client  # client_secret_post AND client_secret_basic
    tls: Client  # tls_client_auth: a certificate from our CA with the registered subject DN
    self_signed: Client | None  # self_signed_tls_client_auth (the certificate in its jwks); None on Keycloak
    assertion: Client  # private_key_jwt: a client assertion signed with the key of a registered certificate

    def all(self) -> list[Client]:
        return [client for client in (self.secret, self.tls, self.self_signed, self.assertion) if client is not None]


class IdpHandle(abc.ABC):
    """What every IdP implementation offers to tests (see tests/support/README.md)."""

    kind: str  # 'oidc-provider' | 'keycloak'
    issuer: str
    token_url: str
    jwks_url: str
    saas_token_url: str | None  # Auth0-like endpoint that requires `audience`; None if absent
    saas_audience: str  # what that endpoint expects ('zeebe.camunda.io')
    audience: str  # `aud` of the tokens from token_url ('orchestration-api')
    resource: str | None  # a resource indicator that token_url accepts, None if ignored
    ca_path: str  # CA of the IdP's server certificate
    clients: Clients
    default_token_ttl: int  # seconds, what reset() goes back to

    @abc.abstractmethod
    def token_requests(self, client_id: str | None = None, outcome: str | None = None) -> int:
        """Token requests received, for one client or all; outcome 'ok', 'failed' or None (both)."""

    @abc.abstractmethod
    def reset_counts(self) -> None:
        """Forget the token requests received so far."""

    @abc.abstractmethod
    def set_token_ttl(self, seconds: int) -> None:
        """Lifetime of the access tokens issued from now on."""

    @abc.abstractmethod
    def set_faults(self, status: int = 503, count: int = 2, retry_after: int | None = 1) -> None:
        """The next ``count`` token requests are answered with ``status`` (and Retry-After)."""

    @abc.abstractmethod
    def stop(self) -> None:
        """Stop the IdP; safe to call twice."""

    def clear_faults(self) -> None:
        self.set_faults(count=0)

    def reset(self) -> None:
        """Back to the state of a fresh start: no counts, no faults, the default TTL."""
        self.reset_counts()
        self.clear_faults()
        self.set_token_ttl(self.default_token_ttl)

    def describe(self) -> dict:
        """URLs and credentials as plain data (for services.json and the console)."""
        return {
            "kind": self.kind,
            "issuer": self.issuer,
            "token_url": self.token_url,
            "jwks_url": self.jwks_url,
            "saas_token_url": self.saas_token_url,
            "saas_audience": self.saas_audience,
            "audience": self.audience,
            "resource": self.resource,
            "ca_path": self.ca_path,
            "clients": {name: asdict(client) for name, client in vars(self.clients).items() if client is not None},
        }
