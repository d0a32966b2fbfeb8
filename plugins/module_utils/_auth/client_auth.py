# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Client authentication methods by name: how a client proves who it is to the identity provider.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_private_key_jwt import PrivateKeyJwt
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_secret_basic import ClientSecretBasic
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_secret_post import ClientSecretPost
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_tls import (
    SelfSignedTlsClientAuth,
    TlsClientAuth,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_base import ClientAuthBase
    from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate

CLIENT_AUTH_CLASSES = {
    cls.NAME: cls
    for cls in (ClientSecretBasic, ClientSecretPost, PrivateKeyJwt, SelfSignedTlsClientAuth, TlsClientAuth)
}


def create_client_auth(
    name: str,
    client_id: str | None,
    client_secret: str | None,
    token_url: str | None,
    client_certificate: ClientCertificate | None,
) -> ClientAuthBase:
    """The client authentication method object of a token request."""
    if name not in CLIENT_AUTH_CLASSES:
        raise ConfigurationError(
            f"Unknown client_auth_method {name!r}: use one of {', '.join(sorted(CLIENT_AUTH_CLASSES))}."
        )
    return CLIENT_AUTH_CLASSES[name](client_id, client_secret, token_url, client_certificate)
