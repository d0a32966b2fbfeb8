# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The interface every client authentication method implements: how the client proves who it is to the IdP.

For internal collection use only: no stable interface.

A new client authentication method is one file ``_client_auth_<name>.py`` with a subclass of
ClientAuthBase, one entry in ``_client_auth.CLIENT_AUTH_CLASSES``, and its name in the
``client_auth_method`` choices (``_options.py`` and the ``_auth`` doc fragment; unit tests keep the
three in step).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate


class ClientAuthBase(object):
    NAME: str | None = None
    # Whether each attempt of the token request needs new credentials (a client assertion is accepted once).
    FRESH_EACH_ATTEMPT = False

    def __init__(
        self,
        client_id: str | None,
        client_secret: str | None,
        token_url: str | None,
        client_certificate: ClientCertificate | None,
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.token_url = token_url
        self.client_certificate = client_certificate

    def validate(self) -> None:
        """Check locally what the method needs; raise ConfigurationError naming what is missing."""

    def add_credentials(self, form: dict[str, Any], headers: dict[str, str]) -> None:
        """Put the client's credentials into the token request (called for every attempt)."""
        form['client_id'] = self.client_id

    def tls_certificate(self) -> ClientCertificate | None:
        """The certificate to present in the TLS handshake, if any: any method may run over mutual TLS."""
        return self.client_certificate

    def refusal_hint(self, hint: str) -> str:
        """The hint for an invalid_client or unauthorized_client answer, given the generic one."""
        if self.client_certificate is None:
            return hint
        return f'{hint}; the request carried the {self.client_certificate.describe()}'

    def _require_secret(self) -> None:
        if not self.client_secret:
            raise ConfigurationError(
                f'client_auth_method {self.NAME} needs client_secret (or CAMUNDA_CLIENT_SECRET). '
                'A client that authenticates with an X.509 certificate instead needs client_auth_method: '
                'tls_client_auth with client_cert and client_key, or client_keystore.'
            )

    @property
    def certificate(self) -> ClientCertificate:
        """The client certificate of a method that requires one (its validate() has checked that there is one)."""
        certificate = self.client_certificate
        if certificate is None:
            self._require_certificate()  # raises, naming the options the method needs
            raise AssertionError('_require_certificate() raises when there is no certificate')
        return certificate

    def _require_certificate(self) -> None:
        if self.client_certificate is None:
            raise ConfigurationError(
                f'client_auth_method {self.NAME} needs a client certificate: '
                'client_cert and client_key (PEM), or client_keystore (PKCS#12).'
            )
