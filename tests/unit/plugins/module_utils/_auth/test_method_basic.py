# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""auth_method basic: HTTP Basic with a Camunda user."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.method_basic import BasicAuth
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def basic(**options):
    return BasicAuth(OptionAdapter.from_dict(options), None, RunContext())


def test_sends_utf8_user_and_password():
    header = basic(username='jürgen', password='pä:ss').headers()['Authorization']
    assert base64.b64decode(header.split(' ', 1)[1]).decode('utf-8') == 'jürgen:pä:ss'


@pytest.mark.parametrize(
    'options,missing',
    [
        ({'password': 'p'}, 'username (or CAMUNDA_BASIC_AUTH_USERNAME)'),
        ({'username': 'u'}, 'password (or CAMUNDA_BASIC_AUTH_PASSWORD)'),
    ],
)
def test_names_what_is_missing(options, missing):
    with pytest.raises(
        ConfigurationError, match=f'^auth_method basic needs {missing.replace("(", "[(]").replace(")", "[)]")}'
    ):
        basic(**options).validate()


def test_a_refusal_names_the_user_never_renews_and_has_no_token():
    method = basic(username='demo', password='wrong')
    assert "Camunda refused the username and password of user 'demo'" in method.refusal_hint()
    assert method.renew_after_refusal() is False
    with pytest.raises(ConfigurationError, match='There is no token to get with auth_method basic'):
        method.access_token()
