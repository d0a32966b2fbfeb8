# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""private_key_jwt: the client assertion verifies with the certificate's public key, as an IdP checks it."""

from __future__ import annotations

import base64
import datetime
import hashlib

import jwt
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519
from cryptography.x509.oid import NameOID

from certs import generate_certs

from ansible_collections.community.camunda.plugins.module_utils._auth.client_assertion import (
    ASSERTION_LIFETIME_SECONDS,
    build_client_assertion,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate

TOKEN_URL = 'https://idp.example/realms/camunda-platform/protocol/openid-connect/token'


@pytest.fixture(scope='module')
def certs(tmp_path_factory):
    return generate_certs(tmp_path_factory.mktemp('certs'))


def self_signed(private_key):
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'assertion test')])
    now = datetime.datetime.now(datetime.timezone.utc)
    builder = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(private_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1))
        .not_valid_after(now + datetime.timedelta(days=1))
    )
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
    first, second = (
        jwt.decode(
            build_client_assertion('c', TOKEN_URL, private_key, certificate), options={'verify_signature': False}
        )
        for _attempt in range(2)
    )
    assert first['jti'] != second['jti']


@pytest.mark.parametrize(
    'new_key,algorithm',
    [
        (lambda: ec.generate_private_key(ec.SECP256R1()), 'ES256'),
        (lambda: ec.generate_private_key(ec.SECP384R1()), 'ES384'),
        (lambda: ec.generate_private_key(ec.SECP521R1()), 'ES512'),
        (ed25519.Ed25519PrivateKey.generate, 'EdDSA'),
    ],
    ids=['P-256', 'P-384', 'P-521', 'Ed25519'],
)
def test_other_keys_sign_with_the_matching_algorithm(new_key, algorithm):
    private_key = new_key()
    certificate = self_signed(private_key)
    assertion = build_client_assertion('c', TOKEN_URL, private_key, certificate)
    assert jwt.get_unverified_header(assertion)['alg'] == algorithm
    assert verified(assertion, certificate, algorithm)['sub'] == 'c'


def test_an_unsupported_key_type_is_named():
    private_key = ed448.Ed448PrivateKey.generate()
    with pytest.raises(
        ConfigurationError, match='signs with an RSA key, an EC key .* or an Ed25519 key; .*Ed448PrivateKey'
    ):
        build_client_assertion('c', TOKEN_URL, private_key, self_signed(private_key))


def test_encrypted_pem_key_and_keystore_give_the_same_key(certs):
    pem_key, pem_certificate = ClientCertificate(
        certs.client_cert, certs.client_key_encrypted, certs.client_key_passphrase
    ).signing_material()
    keystore = ClientCertificate(keystore_path=certs.client_p12, keystore_password=certs.client_p12_password)
    store_key, store_certificate = keystore.signing_material()
    keystore.cleanup()
    assert pem_certificate == store_certificate
    public = serialization.PublicFormat.SubjectPublicKeyInfo
    assert pem_key.public_key().public_bytes(serialization.Encoding.PEM, public) == store_key.public_key().public_bytes(
        serialization.Encoding.PEM, public
    )
