# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The interface every auth method implements.

For internal collection use only: no stable interface.

A new auth method is one file ``_auth_method_<name>.py`` with a subclass of AuthMethodBase, one
entry in ``_auth.AUTH_METHOD_CLASSES`` and in the ``auth_method`` choices, and its options in the
auth doc fragment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import Token
    from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
    from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport


class AuthMethodBase(object):
    NAME: str | None = None
    # The options this method reads; shown in messages.
    OPTIONS: tuple[str, ...] = ()

    def __init__(self, options: OptionAdapter, transport: Transport, context: RunContext) -> None:
        self.options = options
        self.transport = transport
        self.context = context

    def validate(self) -> None:
        """Check the options locally; raise ConfigurationError naming what is missing."""

    def headers(self) -> dict[str, str]:
        """The headers that authenticate an API request."""
        return {}

    def access_token(self, force_refresh: bool = False) -> tuple[Token, bool]:
        """(Token, served from the cache) for camunda_token: validates, then gives the method's bearer token."""
        raise ConfigurationError(
            f'There is no token to get with auth_method {self.NAME}: give OIDC credentials (token_url, client_id, '
            'and client_secret or a client certificate) or a token.'
        )

    def renew_after_refusal(self) -> bool:
        """The API answered 401: drop stale credentials. True if a retry with new ones could succeed."""
        return False

    def refusal_hint(self) -> str:
        """What to check when the API refuses these credentials."""
        return 'check the credentials'

    def close(self) -> None:
        """Release what the method holds (temporary files, ...)."""
