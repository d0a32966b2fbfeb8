# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""X.509 client certificates (PEM or PKCS#12) and readable explanations of TLS failures.

For internal collection use only: no stable interface.

Client certificates are checked locally before anything is sent, so a missing file, a wrong
passphrase, a key that does not belong to the certificate or an expired certificate is reported
by name instead of as an opaque handshake failure.
"""

from __future__ import annotations

import datetime
import hashlib
import os
import secrets
import shutil
import ssl
import tempfile
from typing import TYPE_CHECKING, Any

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.serialization import pkcs12

    HAS_CRYPTOGRAPHY = True
except ImportError:  # pragma: no cover - only PKCS#12 and certificate diagnostics need it
    HAS_CRYPTOGRAPHY = False


def verify_value(options: OptionAdapter, *ca_options: str, validate_option: str = 'validate_certs') -> bool | str:
    """requests' ``verify`` for a server: False when validate_certs is off, else the first CA option set, else True.

    ``ca_options`` name the options in the order they apply (the identity provider: token_ca_path, then ca_path);
    ``validate_option`` names the switch (the backup endpoints have their own, e.g. management_validate_certs).
    """
    if not options.get(validate_option, True):
        return False
    for name in ca_options:
        if options.get(name):
            return options.get(name)
    return True


def _read(path: str | None, option: str) -> bytes:
    if path is None or not os.path.exists(path):
        raise ConfigurationError(f'{option} file {path} does not exist: check the path.')
    try:
        with open(path, 'rb') as handle:
            return handle.read()
    except OSError as exc:
        raise ConfigurationError(f'{option} file {path} cannot be read: {exc.strerror}.')


def check_ca_bundle(path: str, option: str) -> None:
    """Check a CA bundle (a PEM file, or a folder as OpenSSL's capath) before the first request.

    requests reports a missing file only when it sends, with its own wording and, for some versions, an
    exception nobody catches; a file that is not PEM fails deep in the handshake. Both are named here.
    """
    if os.path.isdir(path):
        if not os.access(path, os.R_OK | os.X_OK):
            raise ConfigurationError(f'{option} folder {path} cannot be read: check its permissions.')
        return
    data = _read(path, option)
    if b'-----BEGIN CERTIFICATE-----' not in data:
        raise ConfigurationError(
            f'{option} file {path} holds no PEM certificate: give the CA bundle in PEM format '
            '(-----BEGIN CERTIFICATE-----); a DER file converts with: openssl x509 -inform der -in FILE -out FILE.pem.'
        )
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=path)
    except ssl.SSLError as exc:
        raise ConfigurationError(
            f'{option} file {path} is not a readable PEM CA bundle ({exc.reason or exc}): check the file.'
        )


def trust_fingerprint(verify: bool | str) -> str:
    """What a TLS trust decision rests on, for the token cache key: no verification, the default store, or a bundle's content.

    A bundle counts by its content, not its name: the same path with other certificates is another decision.
    """
    if verify is False:
        return 'validate_certs: false'
    bundle = verify if isinstance(verify, str) else None
    if bundle is None:
        # requests replaces verify=True by these variables' bundle: that is the store actually trusted.
        bundle = os.environ.get('REQUESTS_CA_BUNDLE') or os.environ.get('CURL_CA_BUNDLE')
        if not bundle:
            return 'default trust store'
    digest = hashlib.sha256()
    for path in _bundle_files(bundle):
        digest.update(path.encode('utf-8', 'surrogateescape') + b'\0')
        try:
            with open(path, 'rb') as handle:
                digest.update(handle.read())
        except OSError:
            digest.update(b'(unreadable)')
    return 'sha256:' + digest.hexdigest()


def _bundle_files(path: str) -> list[str]:
    if not os.path.isdir(path):
        return [path]
    return sorted(os.path.join(path, name) for name in os.listdir(path) if os.path.isfile(os.path.join(path, name)))


def _is_encrypted_pem(data: bytes) -> bool:
    return b'ENCRYPTED' in data.split(b'-----END', 1)[0]


class ClientCertificate(object):
    """A client certificate for mutual TLS, from PEM files or a PKCS#12 keystore."""

    def __init__(
        self,
        cert_path: str | None = None,
        key_path: str | None = None,
        passphrase: str | None = None,
        keystore_path: str | None = None,
        keystore_password: str | None = None,
    ) -> None:
        self.cert_path = cert_path
        self.key_path = key_path
        self.passphrase = passphrase
        self.keystore_path = keystore_path
        self.keystore_password = keystore_password
        self._tempdir: str | None = None
        self._pem_cert: str | None = None
        self._pem_key: str | None = None
        self._key_password: str | None = None
        self._certificate: Any = None  # a cryptography x509.Certificate once read
        self._private_key: Any = None  # a cryptography private key, read for signing only

    @classmethod
    def from_options(cls, options: OptionAdapter) -> ClientCertificate | None:
        cert, keystore = options.get('client_cert'), options.get('client_keystore')
        if not cert and not keystore:
            return None
        return cls(
            cert,
            options.get('client_key'),
            options.get('client_key_passphrase'),
            keystore,
            options.get('client_keystore_password'),
        )

    @property
    def source(self) -> str | None:
        """The file the user named, for messages."""
        return self.keystore_path or self.cert_path

    def fingerprint(self) -> str:
        """SHA-256 of the certificate (DER), or of the file when it cannot be parsed: which certificate, not which path."""
        self.prepare()
        if self._certificate is not None:
            return 'sha256:' + hashlib.sha256(self._certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
        return 'file-sha256:' + hashlib.sha256(_read(self.source, 'client_cert')).hexdigest()

    def prepare(self) -> None:
        """Check the material and make it usable by requests; raise ConfigurationError naming the cause."""
        if self._pem_cert:
            return
        if self.keystore_path:
            self._unpack_keystore()
        else:
            self._check_pem()
        self._check_validity_period()

    def requests_cert(self) -> tuple[str | None, str | None]:
        """The ``cert`` argument for requests: (certificate file, key file)."""
        self.prepare()
        return (self._pem_cert, self._pem_key)

    @property
    def key_password(self) -> str | None:
        self.prepare()
        return self._key_password

    def signing_material(self) -> tuple[Any, Any]:
        """(private key, certificate) as cryptography objects, to sign a private_key_jwt client assertion."""
        if not HAS_CRYPTOGRAPHY:
            raise ConfigurationError(
                'client_auth_method private_key_jwt needs the Python library cryptography on the host that runs the task.'
            )
        self.prepare()
        if self._private_key is None:
            key_path = self.key_path or self.cert_path
            # prepare() has checked the key and the passphrase: loading cannot fail for a reason it missed.
            self._private_key = serialization.load_pem_private_key(
                _read(key_path, 'client_key'), self._key_password.encode() if self._key_password else None
            )
        if self._certificate is None:
            raise ConfigurationError(f'client_cert {self.cert_path} holds no PEM certificate: check the file.')
        return self._private_key, self._certificate

    def cleanup(self) -> None:
        if self._tempdir:
            shutil.rmtree(self._tempdir, ignore_errors=True)
            self._tempdir = None
            self._pem_cert = self._pem_key = None

    def _check_pem(self) -> None:
        cert_data = _read(self.cert_path, 'client_cert')
        key_path = self.key_path or self.cert_path
        if self.cert_path is None or key_path is None:
            raise AssertionError('_check_pem runs for a client_cert only; _read has refused a missing one')
        key_data = _read(key_path, 'client_key') if self.key_path else cert_data
        if b'PRIVATE KEY' not in key_data:
            raise ConfigurationError(
                f'No private key found for client_cert {self.cert_path}: set client_key to the PEM key file.'
            )
        if _is_encrypted_pem(key_data) and not self.passphrase:
            raise ConfigurationError(f'client_key {key_path} is encrypted: set client_key_passphrase.')
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        try:
            # A callable password: OpenSSL must never fall back to prompting on a terminal.
            context.load_cert_chain(self.cert_path, key_path, password=(self.passphrase or '').encode)
        except ssl.SSLError as exc:
            raise ConfigurationError(self._explain_load_failure(exc, key_path))
        self._pem_cert, self._pem_key = self.cert_path, key_path
        self._key_password = self.passphrase if _is_encrypted_pem(key_data) else None
        self._certificate = _load_certificate(cert_data)

    def _explain_load_failure(self, exc: ssl.SSLError, key_path: str | None) -> str:
        text = f'{exc.reason or ""} {exc}'.upper()
        if 'KEY_VALUES_MISMATCH' in text:
            return f'client_key {key_path} does not belong to client_cert {self.cert_path}: use the key the certificate was issued for.'
        if 'BAD_DECRYPT' in text or 'BAD DECRYPT' in text or self.passphrase:
            return f'client_key_passphrase does not decrypt client_key {key_path}: check the passphrase.'
        return f'client_cert {self.cert_path} or client_key {key_path} is not a PEM certificate and key: {exc.reason or exc}.'

    def _unpack_keystore(self) -> None:
        if not HAS_CRYPTOGRAPHY:
            raise ConfigurationError(
                'client_keystore (PKCS#12) needs the Python library cryptography on the host that runs the task.'
            )
        data = _read(self.keystore_path, 'client_keystore')
        password = self.keystore_password.encode() if self.keystore_password else None
        try:
            key, cert, chain = pkcs12.load_key_and_certificates(data, password)
        except ValueError:
            raise ConfigurationError(
                f'client_keystore {self.keystore_path} cannot be opened: wrong client_keystore_password, '
                'or the file is not a PKCS#12 keystore.'
            )
        if key is None or cert is None:
            raise ConfigurationError(
                f'client_keystore {self.keystore_path} must hold a private key and its certificate.'
            )
        self._write_pem_files(key, cert, chain or [])
        self._certificate = cert
        self._private_key = key

    def _write_pem_files(self, key: Any, cert: Any, chain: list[Any]) -> None:
        # requests loads client certificates from files. The key is written encrypted with a
        # one-time password held only in memory, in a private folder removed by cleanup().
        self._tempdir = tempfile.mkdtemp(prefix='camunda-mtls-')
        self._key_password = secrets.token_urlsafe(24)
        pem_key = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(self._key_password.encode()),
        )
        pem_cert = b''.join(c.public_bytes(serialization.Encoding.PEM) for c in [cert] + list(chain))
        self._pem_cert = _write_private(self._tempdir, 'client.crt', pem_cert)
        self._pem_key = _write_private(self._tempdir, 'client.key', pem_key)

    def _check_validity_period(self) -> None:
        if self._certificate is None:
            return
        now = datetime.datetime.now(datetime.timezone.utc)
        not_after, not_before = _validity(self._certificate)
        if now > not_after:
            raise ConfigurationError(
                f'The client certificate {self.source} expired on {not_after:%Y-%m-%d %H:%M} UTC: renew it.'
            )
        if now < not_before:
            raise ConfigurationError(
                f'The client certificate {self.source} is not valid before {not_before:%Y-%m-%d %H:%M} UTC: check the clocks.'
            )

    def describe(self) -> str:
        """Subject and issuer of the certificate, for messages about a refusal."""
        if self._certificate is None:
            return f'client certificate {self.source}'
        return (
            f'client certificate {self.source} (subject {self._certificate.subject.rfc4514_string()}, '
            f'issued by {self._certificate.issuer.rfc4514_string()})'
        )

    @property
    def issuer(self) -> str | None:
        """The issuer's name (RFC 4514), or None when the certificate could not be parsed."""
        return self._certificate.issuer.rfc4514_string() if self._certificate is not None else None

    def untrusted_issuer_hint(self) -> str:
        """The sentence for an identity provider that refused this certificate while checking it."""
        issuer = f'its issuer {self.issuer}' if self.issuer else 'the CA that issued it'
        return (
            f'the identity provider does not trust {issuer}: add that CA to the CAs it accepts for client '
            'certificates (Keycloak: its truststore), or use a certificate issued by a CA it trusts'
        )


def _write_private(folder: str, name: str, data: bytes) -> str:
    path = os.path.join(folder, name)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, 'wb') as handle:
        handle.write(data)
    return path


def _load_certificate(data: bytes) -> Any:
    if not HAS_CRYPTOGRAPHY:
        return None
    try:
        return x509.load_pem_x509_certificate(data)
    except ValueError:
        return None


def _validity(certificate: Any) -> tuple[datetime.datetime, datetime.datetime]:
    # cryptography 42 added the timezone-aware properties; older releases have naive UTC ones.
    try:
        return certificate.not_valid_after_utc, certificate.not_valid_before_utc
    except AttributeError:
        utc = datetime.timezone.utc
        return certificate.not_valid_after.replace(tzinfo=utc), certificate.not_valid_before.replace(tzinfo=utc)


_PEER_CLOSED_MARKERS = ('EOF', 'CONNECTION RESET', 'CONNECTION ABORTED', 'BROKEN PIPE', 'UNEXPECTED_EOF')
_CERTIFICATE_ALERT_MARKERS = (
    'ALERT_CERTIFICATE_REQUIRED',
    'ALERT_BAD_CERTIFICATE',
    'ALERT_UNKNOWN_CA',
    'ALERT_CERTIFICATE_EXPIRED',
    'ALERT_CERTIFICATE_UNKNOWN',
    'ALERT_ACCESS_DENIED',
    'ALERT_HANDSHAKE_FAILURE',
)


def explain_tls_failure(
    error_text: str,
    server_name: str,
    ca_option: str,
    verify: bool | str,
    client_certificate: ClientCertificate | None = None,
) -> str:
    """One readable sentence for an SSL error, naming the file or option to look at."""
    text = error_text.upper()
    if 'CERTIFICATE_VERIFY_FAILED' in text or 'CERTIFICATE VERIFY FAILED' in text:
        reason = (
            error_text.split('certificate verify failed:', 1)[-1].split('(_ssl', 1)[0].split("')", 1)[0].strip()
            or 'untrusted'
        )
        trust = f'{ca_option} {verify}' if isinstance(verify, str) else 'the default trust store'
        return (
            f'Could not verify the TLS certificate of {server_name} ({reason}) against {trust}: '
            f'set {ca_option} to the CA bundle that signed it (validate_certs: false only for testing).'
        )
    if 'WRONG_VERSION_NUMBER' in text or 'RECORD_LAYER_FAILURE' in text:
        return f'{server_name} does not speak TLS on that port: check the scheme (http or https) and the port.'
    # The certificate's dates were checked before sending: a server that ends the handshake over a
    # valid certificate could not build a chain to a CA it trusts.
    if client_certificate is not None and any(marker in text for marker in _CERTIFICATE_ALERT_MARKERS):
        return (
            f'{server_name} refused the {client_certificate.describe()} in the TLS handshake: '
            f'{client_certificate.untrusted_issuer_hint()}.'
        )
    if client_certificate is not None and any(marker in text for marker in _PEER_CLOSED_MARKERS):
        return (
            f'{server_name} closed the TLS connection after the handshake, which is how a TLS 1.3 server refuses '
            f'a client certificate: most likely {client_certificate.untrusted_issuer_hint()}. '
            f'The certificate sent: {client_certificate.describe()}.'
        )
    return f'TLS failure talking to {server_name}: {error_text}'
