# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""client_auth_method tls_client_auth and self_signed_tls_client_auth: the certificate in the handshake, no secret."""

from __future__ import annotations

import re

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_tls import (
    SelfSignedTlsClientAuth,
    TlsClientAuth,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import TokenRequest
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate


def request(**options):
    values = dict(token_url='https://idp.example/token', client_id='orchestration', client_secret='s3cret')
    values.update(options)
    adapter = OptionAdapter.from_dict(values)
    return TokenRequest(adapter, ClientCertificate.from_options(adapter))


@pytest.mark.parametrize(
    'method,cls', [('tls_client_auth', TlsClientAuth), ('self_signed_tls_client_auth', SelfSignedTlsClientAuth)]
)
def test_sends_the_certificate_in_the_handshake_and_no_secret(certs, method, cls):
    req = request(
        client_auth_method=method, client_secret='ignored', client_cert=certs.client_cert, client_key=certs.client_key
    )
    assert isinstance(req.client_auth, cls)
    req.validate()
    form, headers = req.form_and_headers()
    assert form == {'grant_type': 'client_credentials', 'client_id': 'orchestration'}
    assert 'Authorization' not in headers
    assert req.client_auth.tls_certificate() is req.client_certificate


@pytest.mark.parametrize('method', ['tls_client_auth', 'self_signed_tls_client_auth'])
def test_without_a_certificate_says_what_to_set(method):
    with pytest.raises(
        ConfigurationError,
        match=re.escape(
            f'client_auth_method {method} needs a client certificate: client_cert and client_key (PEM), '
            'or client_keystore (PKCS#12).'
        ),
    ):
        request(client_auth_method=method, client_secret=None).validate()


def test_a_refused_ca_issued_certificate_names_the_issuer_the_idp_may_not_trust(certs):
    req = request(client_auth_method='tls_client_auth', client_cert=certs.other_ca_cert, client_key=certs.other_ca_key)
    req.validate()
    hint = req.client_auth.refusal_hint('check client_id and the client secret or certificate')
    assert re.match(r'either the identity provider does not trust its issuer CN=community\.camunda other CA', hint)
    assert "or the certificate is not the one registered for client 'orchestration' (its subject DN)" in hint


def test_a_refused_self_signed_certificate_is_about_registration(certs):
    req = request(
        client_auth_method='self_signed_tls_client_auth',
        client_cert=certs.self_signed_cert,
        client_key=certs.self_signed_key,
    )
    req.validate()
    hint = req.client_auth.refusal_hint('generic')
    assert hint.startswith(
        "check that this certificate (or its public key) is the one registered for client 'orchestration'"
    )
    assert 'does not trust' not in hint
