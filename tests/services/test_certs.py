# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The generated certificates are what their names promise."""

from __future__ import annotations

import datetime
import ipaddress
import os
import stat
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID


def load_cert(path: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(Path(path).read_bytes())


def load_key(path: str, password: bytes | None = None):
    return serialization.load_pem_private_key(Path(path).read_bytes(), password)


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def is_valid_now(cert: x509.Certificate) -> bool:
    return cert.not_valid_before_utc <= now() <= cert.not_valid_after_utc


def public_bytes(key_or_cert) -> bytes:
    public_key = key_or_cert.public_key()
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def extended_key_usage(cert: x509.Certificate):
    return cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value


def test_ca_is_a_valid_ca(certs):
    ca = load_cert(certs.ca)
    assert ca.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert is_valid_now(ca)
    ca.verify_directly_issued_by(ca)
    assert public_bytes(load_key(certs.ca_key)) == public_bytes(ca)


@pytest.mark.parametrize("name", ["server_cert", "client_cert", "expired_cert"])
def test_leaf_certificates_are_signed_by_the_ca(certs, name):
    load_cert(getattr(certs, name)).verify_directly_issued_by(load_cert(certs.ca))


@pytest.mark.parametrize(
    "cert_name, key_name",
    [
        ("server_cert", "server_key"),
        ("client_cert", "client_key"),
        ("expired_cert", "expired_key"),
        ("other_ca_cert", "other_ca_key"),
        ("self_signed_cert", "self_signed_key"),
    ],
)
def test_each_key_belongs_to_its_certificate(certs, cert_name, key_name):
    cert, key = load_cert(getattr(certs, cert_name)), load_key(getattr(certs, key_name))
    assert public_bytes(key) == public_bytes(cert)


def test_server_certificate_names_localhost_and_loopback(certs):
    server = load_cert(certs.server_cert)
    names = server.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "localhost" in names.get_values_for_type(x509.DNSName)
    assert ipaddress.ip_address("127.0.0.1") in names.get_values_for_type(x509.IPAddress)
    assert ExtendedKeyUsageOID.SERVER_AUTH in extended_key_usage(server)
    assert is_valid_now(server)


def test_client_certificate_is_camunda_client_for_client_auth(certs):
    client = load_cert(certs.client_cert)
    assert client.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value == "camunda-client"
    assert client.subject.rfc4514_string() == certs.client_subject_dn
    assert ExtendedKeyUsageOID.CLIENT_AUTH in extended_key_usage(client)
    assert is_valid_now(client)


def test_expired_certificate_is_expired(certs):
    assert load_cert(certs.expired_cert).not_valid_after_utc < now()


def test_other_ca_certificate_is_not_from_our_ca(certs):
    stranger = load_cert(certs.other_ca_cert)
    stranger.verify_directly_issued_by(load_cert(certs.other_ca))
    assert stranger.issuer != load_cert(certs.ca).subject
    with pytest.raises(ValueError):  # its issuer is not our CA
        stranger.verify_directly_issued_by(load_cert(certs.ca))


def test_self_signed_certificate_is_its_own_issuer(certs):
    cert = load_cert(certs.self_signed_cert)
    assert cert.issuer == cert.subject
    cert.verify_directly_issued_by(cert)
    assert ExtendedKeyUsageOID.CLIENT_AUTH in extended_key_usage(cert)


def test_encrypted_key_needs_the_passphrase(certs):
    with pytest.raises(TypeError):
        load_key(certs.client_key_encrypted)
    with pytest.raises(ValueError):
        load_key(certs.client_key_encrypted, b"wrong passphrase")
    key = load_key(certs.client_key_encrypted, certs.client_key_passphrase.encode())
    assert public_bytes(key) == public_bytes(load_cert(certs.client_cert))


def test_keystore_opens_with_its_password_only(certs):
    data = Path(certs.client_p12).read_bytes()
    with pytest.raises(ValueError):
        pkcs12.load_key_and_certificates(data, b"wrong password")
    key, cert, extra = pkcs12.load_key_and_certificates(data, certs.client_p12_password.encode())
    assert cert == load_cert(certs.client_cert)
    assert public_bytes(key) == public_bytes(cert)
    assert load_cert(certs.ca) in extra


def test_private_files_are_readable_by_the_owner_only(certs):
    private = [
        certs.ca_key,
        certs.server_key,
        certs.client_key,
        certs.client_key_encrypted,
        certs.client_p12,
        certs.expired_key,
        certs.other_ca_key,
        certs.self_signed_key,
    ]
    for path in private:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600, path
    assert stat.S_IMODE(os.stat(certs.folder).st_mode) == 0o700
