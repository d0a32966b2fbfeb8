# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""auth_method none: send no credentials (C8 Run and Docker Compose defaults, local development).

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._auth.method_base import AuthMethodBase


class NoAuth(AuthMethodBase):
    NAME = 'none'

    def refusal_hint(self) -> str:
        return (
            'the API requires credentials: set auth_method basic (username, password) '
            'or oidc (token_url, client_id, client_secret)'
        )
