# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""private_key_jwt: the client assertion verifies with the certificate's public key, as an IdP checks it."""

from __future__ import annotations

import base64
import datetime
import hashlib
import re
from urllib.parse import parse_qs

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519
from cryptography.x509.oid import NameOID

from certs import generate_certs

from ansible_collections.community.camunda.plugins.module_utils._client_assertion import (
    ASSERTION_LIFETIME_SECONDS, ASSERTION_TYPE, build_client_assertion)
from ansible_collections.community.camunda.plugins.module_utils._errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._oidc import TokenRequest
from ansible_collections.community.camunda.plugins.module_utils._options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._tls import ClientCertificate
from ansible_collections.community.camunda.plugins.module_utils._transport import Transport

TOKEN_URL = 'https://idp.example/realms/camunda-platform/protocol/openid-connect/token'


@pytest.fixture(scope='module')
def certs(tmp_path_factory):
    return generate_certs(tmp_path_factory.mktemp('certs'))


def self_signed(private_key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'assertion test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(private_key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=1))
               .not_valid_after(now + datetime.timedelta(days=1)))
    algorithm = None if isinstance(private_key, (ed25519.Ed25519PrivateKey, ed448.Ed448PrivateKey)) else hashes.SHA256()
    return builder.sign(private_key, algorithm)


def verified(assertion, certificate, algorithm):
    return jwt.decode(assertion, certificate.public_key(), algorithms=[algorithm], audience=TOKEN_URL)


def b64url_hash(certificate, hash_function):
    der = certificate.public_bytes(serialization.Encoding.DER)
    return base64.urlsafe_b64encode(hash_function(der).digest()).rstrip(b'=').decode()


def material(certs):
    return ClientCertificate(certs.client_cert, certs.client_key).signing_material()


def test_rsa_assertion_verifies_and_names_the_certificate(certs):
    private_key, certificate = material(certs)
    assertion = build_client_assertion('orchestration', TOKEN_URL, private_key, certificate, now=None)
    claims = verified(assertion, certificate, 'RS256')
    assert claims['iss'] == claims['sub'] == 'orchestration' and claims['aud'] == TOKEN_URL
    assert claims['exp'] - claims['iat'] == ASSERTION_LIFETIME_SECONDS and claims['nbf'] == claims['iat']
    header = jwt.get_unverified_header(assertion)
    assert header['alg'] == 'RS256'
    assert header['x5t'] == b64url_hash(certificate, hashlib.sha1)
    assert header['x5t#S256'] == b64url_hash(certificate, hashlib.sha256)


def test_every_assertion_has_its_own_jti(certs):
    private_key, certificate = material(certs)
    first, second = (jwt.decode(build_client_assertion('c', TOKEN_URL, private_key, certificate),
                                options={'verify_signature': False}) for _attempt in range(2))
    assert first['jti'] != second['jti']


@pytest.mark.parametrize('new_key,algorithm', [
    (lambda: ec.generate_private_key(ec.SECP256R1()), 'ES256'),
    (lambda: ec.generate_private_key(ec.SECP384R1()), 'ES384'),
    (lambda: ec.generate_private_key(ec.SECP521R1()), 'ES512'),
    (ed25519.Ed25519PrivateKey.generate, 'EdDSA'),
], ids=['P-256', 'P-384', 'P-521', 'Ed25519'])
def test_other_keys_sign_with_the_matching_algorithm(new_key, algorithm):
    private_key = new_key()
    certificate = self_signed(private_key)
    assertion = build_client_assertion('c', TOKEN_URL, private_key, certificate)
    assert jwt.get_unverified_header(assertion)['alg'] == algorithm
    assert verified(assertion, certificate, algorithm)['sub'] == 'c'


def test_an_unsupported_key_type_is_named():
    private_key = ed448.Ed448PrivateKey.generate()
    with pytest.raises(ConfigurationError, match='signs with an RSA key, an EC key .* or an Ed25519 key; .*Ed448PrivateKey'):
        build_client_assertion('c', TOKEN_URL, private_key, self_signed(private_key))


def test_encrypted_pem_key_and_keystore_give_the_same_key(certs):
    pem_key, pem_certificate = ClientCertificate(
        certs.client_cert, certs.client_key_encrypted, certs.client_key_passphrase).signing_material()
    keystore = ClientCertificate(keystore_path=certs.client_p12, keystore_password=certs.client_p12_password)
    store_key, store_certificate = keystore.signing_material()
    keystore.cleanup()
    assert pem_certificate == store_certificate
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert (pem_key.public_key().public_bytes(serialization.Encoding.PEM, public)
            == store_key.public_key().public_bytes(serialization.Encoding.PEM, public))


def assertion_request(certs, **options):
    values = dict(token_url=TOKEN_URL, client_id='orchestration', client_auth_method='private_key_jwt',
                  client_cert=certs.client_cert, client_key=certs.client_key)
    values.update(options)
    adapter = OptionAdapter.from_dict(values)
    return TokenRequest(adapter, ClientCertificate.from_options(adapter))


def test_the_form_carries_the_assertion_and_no_secret(certs):
    request = assertion_request(certs, client_secret='not sent')
    request.validate()
    form, headers = request.form_and_headers()
    assert set(form) == {'grant_type', 'client_id', 'client_assertion_type', 'client_assertion'}
    assert form['client_assertion_type'] == ASSERTION_TYPE
    assert verified(form['client_assertion'], material(certs)[1], 'RS256')['iss'] == 'orchestration'
    assert 'Authorization' not in headers
    assert request.tls_certificate() is None  # the key signs; the handshake carries no client certificate


def test_private_key_jwt_without_a_certificate_says_what_to_set(certs):
    request = assertion_request(certs, client_cert=None, client_key=None)
    with pytest.raises(ConfigurationError, match=re.escape(
            'client_auth_method private_key_jwt needs a client certificate: client_cert and client_key (PEM), '
            'or client_keystore (PKCS#12).')):
        request.validate()


def test_a_wrong_passphrase_is_named_before_anything_is_sent(certs):
    request = assertion_request(certs, client_key=certs.client_key_encrypted, client_key_passphrase='wrong')
    with pytest.raises(ConfigurationError, match='client_key_passphrase does not decrypt client_key'):
        request.validate()


def test_a_retry_sends_a_new_assertion(certs, server):
    server.answer((503, {'Retry-After': '0'}, b'busy'),
                  (200, {}, {'access_token': 'abc', 'expires_in': 300, 'token_type': 'Bearer'}))
    request = assertion_request(certs, token_url=server.url + '/token')
    token = request.send(Transport(timeout=5, retries=1, sleep=lambda seconds: None))
    assert token.access_token == 'abc'
    sent = [parse_qs(answered['body'].decode())['client_assertion'][0] for answered in server.requests]
    assert len(sent) == 2 and sent[0] != sent[1]
    jtis = {jwt.decode(assertion, options={'verify_signature': False})['jti'] for assertion in sent}
    assert len(jtis) == 2
