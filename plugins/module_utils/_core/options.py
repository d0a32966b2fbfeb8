# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Shared options: argument specs, environment fallbacks, and one adapter over modules and lookups.

For internal collection use only: no stable interface.

The auth and client code read options only through ``OptionAdapter``, so the same code serves a
module (``module.params``), an action plugin (validated task arguments) and a lookup
(``get_option``). The argument specs below are the single source of the option names, types,
defaults and environment fallbacks; the doc fragments document them and a unit test keeps the two
in step.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from ansible.module_utils.common.parameters import env_fallback
from ansible.module_utils.errors import AnsibleFallbackNotFound

# Environment names that Camunda's own SDKs read, so an existing .env works unchanged.
# For each option the first name that is set wins (CAMUNDA_* before the legacy ZEEBE_* names).
OPTION_ENVIRONMENT = {
    'url': ('CAMUNDA_REST_ADDRESS', 'ZEEBE_REST_ADDRESS'),
    'auth_method': ('CAMUNDA_AUTH_STRATEGY',),
    'username': ('CAMUNDA_BASIC_AUTH_USERNAME',),
    'password': ('CAMUNDA_BASIC_AUTH_PASSWORD',),
    'token': ('CAMUNDA_OAUTH_TOKEN',),
    'token_url': ('CAMUNDA_OAUTH_URL', 'CAMUNDA_AUTHORIZATION_SERVER_URL', 'ZEEBE_AUTHORIZATION_SERVER_URL'),
    'client_id': ('CAMUNDA_CLIENT_ID', 'ZEEBE_CLIENT_ID'),
    'client_secret': ('CAMUNDA_CLIENT_SECRET', 'ZEEBE_CLIENT_SECRET'),
    'audience': ('CAMUNDA_TOKEN_AUDIENCE', 'ZEEBE_TOKEN_AUDIENCE'),
    'scope': ('CAMUNDA_TOKEN_SCOPE', 'CAMUNDA_OAUTH_SCOPE', 'ZEEBE_TOKEN_SCOPE'),
    'resource': ('CAMUNDA_TOKEN_RESOURCE', 'ZEEBE_TOKEN_RESOURCE'),
    'client_cert': ('CAMUNDA_MTLS_CERT_PATH',),
    'client_key': ('CAMUNDA_MTLS_KEY_PATH',),
    'client_key_passphrase': ('CAMUNDA_MTLS_KEY_PASSPHRASE',),
    'client_keystore': ('CAMUNDA_SSL_CLIENT_KEYSTORE_PATH', 'ZEEBE_SSL_CLIENT_KEYSTORE_PATH'),
    'client_keystore_password': ('CAMUNDA_SSL_CLIENT_KEYSTORE_SECRET', 'ZEEBE_SSL_CLIENT_KEYSTORE_SECRET'),
    'ca_path': ('CAMUNDA_CA_CERTIFICATE_PATH', 'ZEEBE_CA_CERTIFICATE_PATH', 'CAMUNDA_MTLS_CA_PATH'),
    'token_cache_dir': ('CAMUNDA_TOKEN_CACHE_DIR',),
}

AUTH_METHODS = ('auto', 'basic', 'bearer', 'none', 'oidc')
CLIENT_AUTH_METHODS = (
    'client_secret_basic',
    'client_secret_post',
    'private_key_jwt',
    'self_signed_tls_client_auth',
    'tls_client_auth',
)

# CAMUNDA_AUTH_STRATEGY uses the SDKs' words (NONE, BASIC, OAUTH, BEARER); map them to ours.
_AUTH_STRATEGY_WORDS = {
    'none': 'none',
    'basic': 'basic',
    'oauth': 'oidc',
    'oidc': 'oidc',
    'bearer': 'bearer',
    'auto': 'auto',
}


def auth_method_from_sdk_word(word: Any) -> Any:
    """Translate a CAMUNDA_AUTH_STRATEGY value; unknown words pass through for a clear choices error."""
    return _AUTH_STRATEGY_WORDS.get(str(word).strip().lower(), word)


def _auth_strategy_fallback() -> Any:
    value = os.environ.get('CAMUNDA_AUTH_STRATEGY')
    if value is None:
        raise AnsibleFallbackNotFound
    return auth_method_from_sdk_word(value)


def _env(option: str) -> tuple[Callable[..., Any], list[str]]:
    return (env_fallback, list(OPTION_ENVIRONMENT[option]))


CONNECTION_ARGSPEC: dict[str, dict[str, Any]] = dict(
    url=dict(type='str', default='http://localhost:8080', fallback=_env('url')),
    validate_certs=dict(type='bool', default=True),
    ca_path=dict(type='path', fallback=_env('ca_path')),
    timeout=dict(type='float', default=30.0),
    proxy=dict(type='str'),
    retries=dict(type='int', default=3),
    retry_max_wait=dict(type='float', default=60.0),
)

AUTH_ARGSPEC: dict[str, dict[str, Any]] = dict(
    auth_method=dict(type='str', default='auto', choices=list(AUTH_METHODS), fallback=(_auth_strategy_fallback,)),
    username=dict(type='str', fallback=_env('username')),
    password=dict(type='str', no_log=True, fallback=_env('password')),
    token=dict(type='str', no_log=True, fallback=_env('token')),
    token_url=dict(type='str', no_log=False, fallback=_env('token_url')),
    client_id=dict(type='str', fallback=_env('client_id')),
    client_secret=dict(type='str', no_log=True, fallback=_env('client_secret')),
    audience=dict(type='str', fallback=_env('audience')),
    scope=dict(type='str', fallback=_env('scope')),
    resource=dict(type='str', fallback=_env('resource')),
    client_auth_method=dict(type='str', default='client_secret_post', choices=list(CLIENT_AUTH_METHODS)),
    client_cert=dict(type='path', fallback=_env('client_cert')),
    client_key=dict(type='path', no_log=False, fallback=_env('client_key')),
    client_key_passphrase=dict(type='str', no_log=True, fallback=_env('client_key_passphrase')),
    client_keystore=dict(type='path', no_log=False, fallback=_env('client_keystore')),
    client_keystore_password=dict(type='str', no_log=True, fallback=_env('client_keystore_password')),
    token_ca_path=dict(type='path', no_log=False),
    token_cache=dict(type='bool', default=True, no_log=False),
    token_cache_dir=dict(type='path', no_log=False, fallback=_env('token_cache_dir')),
)

# The secret options are the no_log ones: one fact, in the specs above.
SECRET_OPTIONS = tuple(name for name, spec in {**CONNECTION_ARGSPEC, **AUTH_ARGSPEC}.items() if spec.get('no_log'))

COMMON_MUTUALLY_EXCLUSIVE = [
    ('client_cert', 'client_keystore'),
    ('client_key', 'client_keystore'),
]


def module_spec(
    options: dict[str, Any] | None = None,
    mutually_exclusive: list | None = None,
    required_if: list | None = None,
    required_together: list | None = None,
    required_one_of: list | None = None,
) -> dict[str, Any]:
    """Everything ``AnsibleModule`` and ``ArgumentSpecValidator`` need, as keyword arguments.

    One object per module: the module and its in-controller action plugin validate with the same
    spec, so the two paths cannot drift.
    """
    argument_spec = {}
    argument_spec.update(CONNECTION_ARGSPEC)
    argument_spec.update(AUTH_ARGSPEC)
    argument_spec.update(options or {})
    return dict(
        argument_spec=argument_spec,
        mutually_exclusive=COMMON_MUTUALLY_EXCLUSIVE + list(mutually_exclusive or []),
        required_if=list(required_if or []),
        required_together=list(required_together or []),
        required_one_of=list(required_one_of or []),
    )


class OptionAdapter(object):
    """Read options the same way whatever holds them."""

    def __init__(self, getter: Callable[[str, Any], Any]) -> None:
        self._getter = getter

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> OptionAdapter:
        return cls(values.get)

    @classmethod
    def from_plugin(cls, plugin: Any) -> OptionAdapter:
        def getter(name: str, default: Any = None) -> Any:
            try:
                value = plugin.get_option(name)
            except KeyError:
                return default
            return default if value is None else value

        return cls(getter)

    def get(self, name: str, default: Any = None) -> Any:
        value = self._getter(name, default)
        return default if value is None else value

    def secrets(self) -> list[Any]:
        """The secret values in play, for redacting messages that Ansible does not censor."""
        return [self.get(name) for name in SECRET_OPTIONS if self.get(name)]
