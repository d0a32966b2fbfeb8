# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The access token of a task's credentials, for the camunda_token module and lookup.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import datetime
import time

from ansible_collections.community.camunda.plugins.module_utils._auth.methods import auth_method_for
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import Token
    from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter

TOKEN_SPEC = module_spec(
    dict(
        force_refresh=dict(type='bool', default=False),
    )
)


def obtain_token(options: OptionAdapter, context: RunContext) -> tuple[Token, bool]:
    """Return (Token, served_from_cache): the auth method gives its token (bearer and OIDC have one)."""
    transport = Transport.from_options(options)
    auth = auth_method_for(options, transport, context)
    try:
        return auth.access_token(force_refresh=options.get('force_refresh', False))
    finally:
        auth.close()
        transport.close()


def iso8601(epoch_seconds: float) -> str:
    moment = datetime.datetime.fromtimestamp(epoch_seconds, datetime.timezone.utc)
    return moment.strftime('%Y-%m-%dT%H:%M:%SZ')


def run_token(options: OptionAdapter, context: RunContext) -> dict[str, Any]:
    """The camunda_token module. Its action plugin hides the result: the token must not reach any output."""
    token, cached = obtain_token(options, context)
    return dict(
        changed=False,
        access_token=token.access_token,
        token_type=token.token_type,
        expires_in=max(0, int(token.expires_at - time.time())),
        expires_at=iso8601(token.expires_at),
        scope=token.scope,
        cached=cached,
    )
