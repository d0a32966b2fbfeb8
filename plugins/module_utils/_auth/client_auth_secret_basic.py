# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""client_auth_method client_secret_basic: the client id and secret in an HTTP Basic header to the IdP.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import Any

import base64
from urllib.parse import quote_plus

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_base import ClientAuthBase


class ClientSecretBasic(ClientAuthBase):
    NAME = 'client_secret_basic'

    def validate(self) -> None:
        self._require_secret()

    def add_credentials(self, form: dict[str, Any], headers: dict[str, str]) -> None:
        # RFC 6749 2.3.1: form-encode both parts before Base64.
        # validate() and the token request have checked that both are set.
        pair = f'{quote_plus(str(self.client_id))}:{quote_plus(str(self.client_secret))}'
        headers['Authorization'] = 'Basic ' + base64.b64encode(pair.encode('utf-8')).decode('ascii')
