# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""auth_method basic: HTTP Basic with a Camunda user (C8 Run with auth on, Helm's default).

For internal collection use only: no stable interface.
"""

from __future__ import annotations

import base64

from ansible_collections.community.camunda.plugins.module_utils._auth.method_base import AuthMethodBase
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError


class BasicAuth(AuthMethodBase):
    NAME = 'basic'
    OPTIONS = ('username', 'password')

    def validate(self) -> None:
        for option, variable in (
            ('username', 'CAMUNDA_BASIC_AUTH_USERNAME'),
            ('password', 'CAMUNDA_BASIC_AUTH_PASSWORD'),
        ):
            if not self.options.get(option):
                raise ConfigurationError(f'auth_method basic needs {option} (or {variable}).')

    def headers(self) -> dict[str, str]:
        pair = f"{self.options.get('username')}:{self.options.get('password')}".encode('utf-8')
        return {'Authorization': 'Basic ' + base64.b64encode(pair).decode('ascii')}

    def refusal_hint(self) -> str:
        return (
            f"Camunda refused the username and password of user {self.options.get('username')!r}: "
            'check them, and that the cluster uses Basic authentication (OIDC clusters need auth_method oidc)'
        )
