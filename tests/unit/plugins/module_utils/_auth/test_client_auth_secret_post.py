# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""client_auth_method client_secret_post (the default): client id and secret in the form body."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_secret_post import ClientSecretPost
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import TokenRequest
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate


def request(**options):
    values = dict(token_url='https://idp.example/token', client_id='orchestration', client_secret='s3cret')
    values.update(options)
    adapter = OptionAdapter.from_dict(values)
    return TokenRequest(adapter, ClientCertificate.from_options(adapter))


def test_is_the_default_and_sends_the_secret_in_the_body_and_nothing_unset():
    req = request()
    assert isinstance(req.client_auth, ClientSecretPost)
    form, headers = req.form_and_headers()
    assert form == {'grant_type': 'client_credentials', 'client_id': 'orchestration', 'client_secret': 's3cret'}
    assert 'Authorization' not in headers


def test_without_a_secret_says_what_to_set():
    with pytest.raises(
        ConfigurationError,
        match=r'^client_auth_method client_secret_post needs client_secret \(or CAMUNDA_CLIENT_SECRET\)',
    ):
        request(client_secret=None).validate()


def test_a_client_certificate_goes_into_the_handshake_and_is_named_on_refusal(certs):
    req = request(client_cert=certs.client_cert, client_key=certs.client_key)
    req.validate()
    assert req.client_auth.tls_certificate() is req.client_certificate
    hint = req.client_auth.refusal_hint('check client_id and the client secret or certificate')
    assert hint.startswith(
        'check client_id and the client secret or certificate; the request carried the client certificate'
    )
    assert request().client_auth.refusal_hint('as is') == 'as is'
