# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""client_auth_method client_secret_post: the secret in the form body, as Camunda's own clients send it.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_base import ClientAuthBase


class ClientSecretPost(ClientAuthBase):
    NAME = 'client_secret_post'

    def validate(self) -> None:
        self._require_secret()

    def add_credentials(self, form: dict[str, Any], headers: dict[str, str]) -> None:
        form['client_id'] = self.client_id
        form['client_secret'] = self.client_secret
