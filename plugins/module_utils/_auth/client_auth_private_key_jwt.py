# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""client_auth_method private_key_jwt (RFC 7523): a client assertion signed with the certificate's key.

For internal collection use only: no stable interface.

The connection needs no client certificate; the assertion (built in ``_client_assertion.py``) may be
used only once, so every attempt of the token request signs a new one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ansible_collections.community.camunda.plugins.module_utils._auth.client_assertion import (
    ASSERTION_TYPE,
    build_client_assertion,
)
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_base import ClientAuthBase

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate


class PrivateKeyJwt(ClientAuthBase):
    NAME = 'private_key_jwt'
    FRESH_EACH_ATTEMPT = True

    def validate(self) -> None:
        self._require_certificate()
        self.certificate.signing_material()  # a key that cannot sign is named now, not at the IdP

    def add_credentials(self, form: dict[str, Any], headers: dict[str, str]) -> None:
        private_key, certificate = self.certificate.signing_material()
        form['client_id'] = self.client_id
        form['client_assertion_type'] = ASSERTION_TYPE
        form['client_assertion'] = build_client_assertion(self.client_id, self.token_url, private_key, certificate)

    def tls_certificate(self) -> ClientCertificate | None:
        return None

    def refusal_hint(self, hint: str) -> str:
        return (
            f'{hint}; the request carried a client assertion signed with the key of the {self.certificate.describe()}'
        )
