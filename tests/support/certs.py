# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Certificates for the test services, generated per run and never committed.

``generate_certs(folder)`` writes PEM files (and one PKCS#12 keystore) into ``folder`` and
returns a ``Certs`` with their paths. Field names are the ones in tests/support/README.md.
"""

from __future__ import annotations

import datetime
import ipaddress
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CLIENT_COMMON_NAME = "camunda-client"
ORGANIZATION = "community.camunda tests"
# Test-only secrets: they protect files that live for one test run.
CLIENT_KEY_PASSPHRASE = "key-passphrase"
CLIENT_P12_PASSWORD = "keystore-password"
VALIDITY = datetime.timedelta(days=2)


@dataclass(frozen=True)
class Certs:
    """Paths of the generated files (strings), plus the two test passwords."""

    folder: str
    ca: str
    ca_key: str
    server_cert: str
    server_key: str
    client_cert: str
    client_key: str
    client_subject_dn: str  # RFC 4514, as a tls_client_auth client is registered with
    client_key_encrypted: str
    client_key_passphrase: str
    client_p12: str
    client_p12_password: str
    expired_cert: str
    expired_key: str
    other_ca: str
    other_ca_cert: str
    other_ca_key: str
    self_signed_cert: str
    self_signed_key: str

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class _Issued:
    cert: x509.Certificate
    key: rsa.RSAPrivateKey


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _new_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _name(common_name: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, ORGANIZATION),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def _builder(subject: x509.Name, issuer: x509.Name, key, not_before, not_after):
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )


def _make_ca(common_name: str) -> _Issued:
    key = _new_key()
    name = _name(common_name)
    now = _now()
    cert = (
        _builder(name, name, key, now - datetime.timedelta(minutes=5), now + VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return _Issued(cert, key)


def _leaf_key_usage() -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=True,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _issue(
    ca: _Issued | None,
    common_name: str,
    usage: x509.ObjectIdentifier,
    san: list[x509.GeneralName] | None = None,
    expired: bool = False,
) -> _Issued:
    """A leaf certificate signed by ``ca``, or self-signed when ``ca`` is None."""
    key = _new_key()
    subject = _name(common_name)
    now = _now()
    not_before, not_after = now - datetime.timedelta(minutes=5), now + VALIDITY
    if expired:
        not_before, not_after = now - datetime.timedelta(days=30), now - datetime.timedelta(days=1)
    issuer_name = ca.cert.subject if ca else subject
    builder = (
        _builder(subject, issuer_name, key, not_before, not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_leaf_key_usage(), critical=True)
        .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    )
    if ca:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca.key.public_key()), critical=False
        )
    if san:
        builder = builder.add_extension(x509.SubjectAlternativeName(san), critical=False)
    return _Issued(builder.sign(ca.key if ca else key, hashes.SHA256()), key)


def _write(path: Path, data: bytes, private: bool = False) -> str:
    # Keys are created 0600 from the start, not chmod-ed after the fact.
    mode = 0o600 if private else 0o644
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    return str(path)


def _cert_pem(issued: _Issued) -> bytes:
    return issued.cert.public_bytes(serialization.Encoding.PEM)


def _key_pem(issued: _Issued, passphrase: str | None = None) -> bytes:
    encryption = (
        serialization.BestAvailableEncryption(passphrase.encode()) if passphrase else serialization.NoEncryption()
    )
    return issued.key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)


def _write_pair(folder: Path, stem: str, issued: _Issued) -> tuple[str, str]:
    return (
        _write(folder / f"{stem}.crt", _cert_pem(issued)),
        _write(folder / f"{stem}.key", _key_pem(issued), private=True),
    )


def _keystore(client: _Issued, ca: _Issued) -> bytes:
    return pkcs12.serialize_key_and_certificates(
        CLIENT_COMMON_NAME.encode(),
        client.key,
        client.cert,
        [ca.cert],
        serialization.BestAvailableEncryption(CLIENT_P12_PASSWORD.encode()),
    )


def _server_names() -> list[x509.GeneralName]:
    return [
        x509.DNSName("localhost"),
        x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
        x509.IPAddress(ipaddress.ip_address("::1")),
    ]


def _issue_all() -> dict[str, _Issued]:
    """Every certificate, by the file stem it is written under."""
    client_auth, server_auth = ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.SERVER_AUTH
    ca = _make_ca("community.camunda test CA")
    other_ca = _make_ca("community.camunda other CA")
    return {
        "ca": ca,
        "other-ca": other_ca,
        "server": _issue(ca, "localhost", server_auth, san=_server_names()),
        "client": _issue(ca, CLIENT_COMMON_NAME, client_auth),
        "client-expired": _issue(ca, "camunda-client-expired", client_auth, expired=True),
        "client-other-ca": _issue(other_ca, CLIENT_COMMON_NAME, client_auth),
        "client-self-signed": _issue(None, "camunda-client-self-signed", client_auth),
    }


def generate_certs(folder: str | os.PathLike) -> Certs:
    """Generate every certificate the tests use into ``folder`` (created if needed)."""
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    out.chmod(0o700)
    issued = _issue_all()
    cert, key = {}, {}
    for stem, pair in issued.items():
        cert[stem], key[stem] = _write_pair(out, stem, pair)
    client = issued["client"]
    return Certs(
        folder=str(out),
        ca=cert["ca"],
        ca_key=key["ca"],
        server_cert=cert["server"],
        server_key=key["server"],
        client_cert=cert["client"],
        client_key=key["client"],
        client_subject_dn=client.cert.subject.rfc4514_string(),
        client_key_encrypted=_write(
            out / "client-encrypted.key", _key_pem(client, CLIENT_KEY_PASSPHRASE), private=True
        ),
        client_key_passphrase=CLIENT_KEY_PASSPHRASE,
        client_p12=_write(out / "client.p12", _keystore(client, issued["ca"]), private=True),
        client_p12_password=CLIENT_P12_PASSWORD,
        expired_cert=cert["client-expired"],
        expired_key=key["client-expired"],
        other_ca=cert["other-ca"],
        other_ca_cert=cert["client-other-ca"],
        other_ca_key=key["client-other-ca"],
        self_signed_cert=cert["client-self-signed"],
        self_signed_key=key["client-self-signed"],
    )
