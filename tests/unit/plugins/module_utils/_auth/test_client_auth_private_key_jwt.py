# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""client_auth_method private_key_jwt: the form carries a signed assertion, no secret, and a new one each attempt."""

from __future__ import annotations

import re
from urllib.parse import parse_qs

import jwt
import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.client_assertion import ASSERTION_TYPE
from ansible_collections.community.camunda.plugins.module_utils._auth.client_auth_private_key_jwt import PrivateKeyJwt
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import TokenRequest
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport

TOKEN_URL = 'https://idp.example/realms/camunda-platform/protocol/openid-connect/token'


def verified(assertion, certificate):
    return jwt.decode(assertion, certificate.public_key(), algorithms=['RS256'], audience=TOKEN_URL)


def assertion_request(certs, **options):
    values = dict(
        token_url=TOKEN_URL,
        client_id='orchestration',
        client_auth_method='private_key_jwt',
        client_cert=certs.client_cert,
        client_key=certs.client_key,
    )
    values.update(options)
    adapter = OptionAdapter.from_dict(values)
    return TokenRequest(adapter, ClientCertificate.from_options(adapter))


def test_the_form_carries_the_assertion_and_no_secret(certs):
    request = assertion_request(certs, client_secret='not sent')
    request.validate()
    form, headers = request.form_and_headers()
    assert set(form) == {'grant_type', 'client_id', 'client_assertion_type', 'client_assertion'}
    assert form['client_assertion_type'] == ASSERTION_TYPE
    assert (
        verified(
            form['client_assertion'], ClientCertificate(certs.client_cert, certs.client_key).signing_material()[1]
        )['iss']
        == 'orchestration'
    )
    assert 'Authorization' not in headers
    assert request.client_auth.tls_certificate() is None  # the key signs; the handshake carries no client certificate


def test_private_key_jwt_without_a_certificate_says_what_to_set(certs):
    request = assertion_request(certs, client_cert=None, client_key=None)
    with pytest.raises(
        ConfigurationError,
        match=re.escape(
            'client_auth_method private_key_jwt needs a client certificate: client_cert and client_key (PEM), '
            'or client_keystore (PKCS#12).'
        ),
    ):
        request.validate()


def test_a_wrong_passphrase_is_named_before_anything_is_sent(certs):
    request = assertion_request(certs, client_key=certs.client_key_encrypted, client_key_passphrase='wrong')
    with pytest.raises(ConfigurationError, match='client_key_passphrase does not decrypt client_key'):
        request.validate()


def test_a_retry_sends_a_new_assertion(certs, server):
    server.answer(
        (503, {'Retry-After': '0'}, b'busy'),
        (200, {}, {'access_token': 'abc', 'expires_in': 300, 'token_type': 'Bearer'}),
    )
    request = assertion_request(certs, token_url=server.url + '/token')
    token = request.send(Transport(timeout=5, retries=1, sleep=lambda seconds: None))
    assert token.access_token == 'abc'
    sent = [parse_qs(answered['body'].decode())['client_assertion'][0] for answered in server.requests]
    assert len(sent) == 2 and sent[0] != sent[1]
    jtis = {jwt.decode(assertion, options={'verify_signature': False})['jti'] for assertion in sent}
    assert len(jtis) == 2


def test_the_method_is_chosen_by_name_and_refusals_name_the_signing_certificate(certs):
    request = assertion_request(certs)
    assert isinstance(request.client_auth, PrivateKeyJwt) and request.client_auth.FRESH_EACH_ATTEMPT
    request.validate()
    hint = request.client_auth.refusal_hint('check client_id and the client secret or certificate')
    assert hint.startswith(
        'check client_id and the client secret or certificate; the request carried a client assertion '
        'signed with the key of the client certificate'
    )
