# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""auth_method auto resolves to the first credential given; every method name has a class and a choice."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.methods import (
    AUTH_METHOD_CLASSES,
    auth_method_for,
    create_auth_method,
    resolve_auth_method,
)
from ansible_collections.community.camunda.plugins.module_utils._auth.method_base import AuthMethodBase
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import AUTH_METHODS, OptionAdapter


@pytest.mark.parametrize(
    'options,expected',
    [
        ({'token': 't', 'client_id': 'c', 'username': 'u'}, 'bearer'),
        ({'client_id': 'c', 'username': 'u'}, 'oidc'),
        ({'username': 'u'}, 'basic'),
        ({}, 'none'),
        ({'auth_method': 'OAUTH', 'username': 'u'}, 'oidc'),  # the SDKs' word for it
        ({'auth_method': 'basic', 'token': 't'}, 'basic'),  # an explicit method wins over what is given
    ],
)
def test_auto_takes_the_first_credential_given(options, expected):
    assert resolve_auth_method(OptionAdapter.from_dict(options)) == expected


def test_every_choice_but_auto_has_a_class():
    assert sorted(AUTH_METHOD_CLASSES) == sorted(set(AUTH_METHODS) - {'auto'})
    for name, cls in AUTH_METHOD_CLASSES.items():
        assert issubclass(cls, AuthMethodBase) and cls.NAME == name


def test_create_checks_the_options_and_auth_method_for_does_not():
    options = OptionAdapter.from_dict({'auth_method': 'basic', 'username': 'demo'})
    assert auth_method_for(options, None, RunContext()).NAME == 'basic'
    with pytest.raises(ConfigurationError, match='auth_method basic needs password'):
        create_auth_method(options, None, RunContext())


def test_an_unknown_method_lists_the_known_ones():
    with pytest.raises(
        ConfigurationError, match="Unknown auth_method 'kerberos': use one of auto, basic, bearer, none, oidc."
    ):
        resolve_auth_method(OptionAdapter.from_dict({'auth_method': 'kerberos'}))
