# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The client authentication methods by name: the registry, the option's choices and the doc fragment agree."""

from __future__ import annotations

import pytest
import yaml

from ansible_collections.community.camunda.plugins.doc_fragments import _auth as auth_fragment
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth import (
    CLIENT_AUTH_CLASSES,
    create_client_auth,
)
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_base import ClientAuthBase
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import AUTH_ARGSPEC, CLIENT_AUTH_METHODS


def test_every_choice_has_a_class_and_every_class_is_a_choice():
    assert (
        sorted(CLIENT_AUTH_CLASSES)
        == sorted(CLIENT_AUTH_METHODS)
        == sorted(AUTH_ARGSPEC['client_auth_method']['choices'])
    )
    documented = yaml.safe_load(auth_fragment.ModuleDocFragment.DOCUMENTATION)['options']['client_auth_method']
    assert sorted(documented['choices']) == sorted(CLIENT_AUTH_CLASSES)
    for name, cls in CLIENT_AUTH_CLASSES.items():
        assert issubclass(cls, ClientAuthBase) and cls.NAME == name


def test_every_method_is_described_in_the_option_documentation():
    documented = yaml.safe_load(auth_fragment.ModuleDocFragment.DOCUMENTATION)['options']['client_auth_method']
    text = ' '.join(documented['description'])
    for name in CLIENT_AUTH_CLASSES:
        assert f'V({name})' in text, name


def test_an_unknown_method_is_named():
    with pytest.raises(
        ConfigurationError, match="Unknown client_auth_method 'kerberos': use one of client_secret_basic"
    ):
        create_client_auth('kerberos', 'c', 's', 'https://idp/t', None)
