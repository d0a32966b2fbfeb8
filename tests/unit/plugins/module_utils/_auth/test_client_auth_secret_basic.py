# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""client_auth_method client_secret_basic: client id and secret in an HTTP Basic header to the IdP."""

from __future__ import annotations

import base64

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_secret_basic import ClientSecretBasic
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import TokenRequest
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate


def request(**options):
    values = dict(token_url='https://idp.example/token', client_id='orchestration', client_secret='s3cret')
    values.update(options)
    adapter = OptionAdapter.from_dict(values)
    return TokenRequest(adapter, ClientCertificate.from_options(adapter))


def test_form_encodes_both_parts_and_leaves_the_body_without_them():
    req = request(client_id='my client', client_secret='p@ss:w/rd', client_auth_method='client_secret_basic')
    assert isinstance(req.client_auth, ClientSecretBasic)
    form, headers = req.form_and_headers()
    assert form == {'grant_type': 'client_credentials'}
    decoded = base64.b64decode(headers['Authorization'].split(' ', 1)[1]).decode()
    assert decoded == 'my+client:p%40ss%3Aw%2Frd'


def test_without_a_secret_says_what_to_set():
    with pytest.raises(ConfigurationError, match='^client_auth_method client_secret_basic needs client_secret'):
        request(client_secret=None, client_auth_method='client_secret_basic').validate()
