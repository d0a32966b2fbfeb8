# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Choosing the auth method of a task.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import auth_method_from_sdk_word

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._auth.method_base import AuthMethodBase
    from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
    from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport


# Each method's module is imported when a task uses it: oidc brings the token request, the client authentication
# methods and the token cache, which a Basic task never needs (docs/benchmarks.md). The imports stay import
# statements, not names in strings, so that AnsiballZ still packs every method into the module's payload.
def _basic() -> type[AuthMethodBase]:
    from ansible_collections.community.camunda.plugins.module_utils._auth.method_basic import BasicAuth

    return BasicAuth


def _bearer() -> type[AuthMethodBase]:
    from ansible_collections.community.camunda.plugins.module_utils._auth.method_bearer import BearerAuth

    return BearerAuth


def _none() -> type[AuthMethodBase]:
    from ansible_collections.community.camunda.plugins.module_utils._auth.method_none import NoAuth

    return NoAuth


def _oidc() -> type[AuthMethodBase]:
    from ansible_collections.community.camunda.plugins.module_utils._auth.method_oidc import OidcAuth

    return OidcAuth


class _MethodClasses(Mapping):  # a runtime subscript would need Python 3.9 on the target
    """{name: class}, importing a class's module on first access."""

    def __init__(self, loaders: dict[str, Callable[[], type[AuthMethodBase]]]) -> None:
        self._loaders = loaders

    def __getitem__(self, name: str) -> type[AuthMethodBase]:
        return self._loaders[name]()

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaders)

    def __len__(self) -> int:
        return len(self._loaders)


# Keep in alphabetical order; the auth_method choices in _core/options.py list the same names plus auto.
AUTH_METHOD_CLASSES = _MethodClasses({'basic': _basic, 'bearer': _bearer, 'none': _none, 'oidc': _oidc})


def resolve_auth_method(options: OptionAdapter) -> str:
    """The method name to use: auth_method, or for ``auto`` the first credential given."""
    name = auth_method_from_sdk_word(options.get('auth_method', 'auto'))
    if name == 'auto':
        if options.get('token'):
            return 'bearer'
        if options.get('client_id'):
            return 'oidc'
        if options.get('username'):
            return 'basic'
        return 'none'
    if name not in AUTH_METHOD_CLASSES:
        raise ConfigurationError(
            f"Unknown auth_method {name!r}: use one of auto, {', '.join(sorted(AUTH_METHOD_CLASSES))}."
        )
    return name


def auth_method_for(options: OptionAdapter, transport: Transport, context: RunContext) -> AuthMethodBase:
    """The auth method object of the task's options, not yet checked."""
    return AUTH_METHOD_CLASSES[resolve_auth_method(options)](options, transport, context)


def create_auth_method(options: OptionAdapter, transport: Transport, context: RunContext) -> AuthMethodBase:
    """An auth method object for the task, with its options already checked."""
    method = auth_method_for(options, transport, context)
    method.validate()
    return method
