# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""client_auth_method tls_client_auth and self_signed_tls_client_auth (RFC 8705): the certificate is the credential.

For internal collection use only: no stable interface.

The certificate travels in the TLS handshake (mutual TLS); the form names the client and carries no secret.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_base import ClientAuthBase


class TlsClientAuth(ClientAuthBase):
    """A CA-issued certificate; the IdP checks its chain, then the subject registered for the client."""

    NAME = 'tls_client_auth'

    def validate(self) -> None:
        self._require_certificate()

    def refusal_hint(self, hint: str) -> str:
        return (
            f'either {self.certificate.untrusted_issuer_hint()}; or the certificate is not the one '
            f'registered for client {self.client_id!r} (its subject DN); the request carried the '
            f'{self.certificate.describe()}'
        )


class SelfSignedTlsClientAuth(ClientAuthBase):
    """A self-signed certificate registered (or its public key) with the client at the IdP."""

    NAME = 'self_signed_tls_client_auth'

    def validate(self) -> None:
        self._require_certificate()

    def refusal_hint(self, hint: str) -> str:
        return (
            f'check that this certificate (or its public key) is the one registered for client {self.client_id!r}; '
            f'the request carried the {self.certificate.describe()}'
        )
