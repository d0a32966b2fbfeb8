# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import os
import re
import stat

import pytest

from certs import generate_certs

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.tls import (
    ClientCertificate,
    check_ca_bundle,
    explain_tls_failure,
    trust_fingerprint,
)


@pytest.fixture(scope='module')
def certs(tmp_path_factory):
    return generate_certs(tmp_path_factory.mktemp('certs'))


def test_pem_pair_is_used_as_given(certs):
    client = ClientCertificate(certs.client_cert, certs.client_key)
    assert client.requests_cert() == (certs.client_cert, certs.client_key)
    assert client.key_password is None
    assert 'subject CN=camunda-client' in client.describe()


def test_encrypted_key_with_its_passphrase(certs):
    client = ClientCertificate(certs.client_cert, certs.client_key_encrypted, certs.client_key_passphrase)
    assert client.requests_cert() == (certs.client_cert, certs.client_key_encrypted)
    assert client.key_password == certs.client_key_passphrase


def test_encrypted_key_without_passphrase_says_so(certs):
    with pytest.raises(ConfigurationError, match='is encrypted: set client_key_passphrase'):
        ClientCertificate(certs.client_cert, certs.client_key_encrypted).prepare()


def test_wrong_passphrase_is_named(certs):
    with pytest.raises(ConfigurationError, match='client_key_passphrase does not decrypt client_key'):
        ClientCertificate(certs.client_cert, certs.client_key_encrypted, 'wrong').prepare()


def test_key_of_another_certificate_is_named(certs):
    with pytest.raises(ConfigurationError, match='does not belong to client_cert'):
        ClientCertificate(certs.client_cert, certs.other_ca_key).prepare()


def test_missing_file_is_named(certs, tmp_path):
    missing = str(tmp_path / 'nope.crt')
    with pytest.raises(ConfigurationError, match=f'client_cert file {missing} does not exist'):
        ClientCertificate(missing, certs.client_key).prepare()


def test_expired_certificate_is_refused_before_sending(certs):
    with pytest.raises(ConfigurationError, match=r'expired on \d{4}-\d\d-\d\d .*renew it'):
        ClientCertificate(certs.expired_cert, certs.expired_key).prepare()


def test_keystore_is_unpacked_into_private_temporary_files(certs):
    client = ClientCertificate(keystore_path=certs.client_p12, keystore_password=certs.client_p12_password)
    cert_file, key_file = client.requests_cert()
    folder = os.path.dirname(cert_file)
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    with open(key_file, 'rb') as handle:
        assert b'ENCRYPTED PRIVATE KEY' in handle.read()
    assert client.key_password
    client.cleanup()
    assert not os.path.exists(folder)


def test_keystore_with_wrong_password_is_named(certs):
    with pytest.raises(ConfigurationError, match='wrong client_keystore_password'):
        ClientCertificate(keystore_path=certs.client_p12, keystore_password='wrong').prepare()


def test_certificate_verify_failure_names_the_ca_option():
    text = (
        "HTTPSConnectionPool(host='localhost', port=1): Max retries exceeded (Caused by SSLError(SSLCertVerificationError(1, "
        "'[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)')))"
    )
    message = explain_tls_failure(text, 'the identity provider', 'token_ca_path', True)
    assert message == (
        'Could not verify the TLS certificate of the identity provider (unable to get local issuer certificate) '
        'against the default trust store: set token_ca_path to the CA bundle that signed it '
        '(validate_certs: false only for testing).'
    )


def test_closed_connection_with_a_client_certificate_blames_the_certificate(certs):
    client = ClientCertificate(certs.other_ca_cert, certs.other_ca_key)
    client.prepare()
    message = explain_tls_failure(
        'EOF occurred in violation of protocol (_ssl.c:2427)', 'the identity provider', 'ca_path', True, client
    )
    assert 'which is how a TLS 1.3 server refuses a client certificate' in message
    assert 'most likely the identity provider does not trust its issuer CN=community.camunda other CA' in message
    assert 'issued by CN=' in message


def test_unknown_ca_alert_says_the_server_does_not_trust_the_issuer(certs):
    client = ClientCertificate(certs.other_ca_cert, certs.other_ca_key)
    client.prepare()
    message = explain_tls_failure(
        '[SSL: TLSV1_ALERT_UNKNOWN_CA] tlsv1 alert unknown ca', 'the identity provider', 'ca_path', True, client
    )
    assert message.startswith('the identity provider refused the client certificate')
    assert re.search(
        r'the identity provider does not trust its issuer CN=community\.camunda other CA[^:]*: add that CA', message
    )


def test_ca_bundle_checks(certs, tmp_path):
    check_ca_bundle(certs.ca, 'ca_path')
    check_ca_bundle(str(tmp_path), 'ca_path')  # a folder, as OpenSSL's capath
    missing = str(tmp_path / 'missing.pem')
    with pytest.raises(ConfigurationError, match=f'^ca_path file {missing} does not exist: check the path.$'):
        check_ca_bundle(missing, 'ca_path')
    key_only = tmp_path / 'key.pem'
    key_only.write_bytes(open(certs.client_key, 'rb').read())
    with pytest.raises(ConfigurationError, match=f'^token_ca_path file {key_only} holds no PEM certificate'):
        check_ca_bundle(str(key_only), 'token_ca_path')
    broken = tmp_path / 'broken.pem'
    broken.write_text('-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n')
    with pytest.raises(ConfigurationError, match=f'^ca_path file {broken} is not a readable PEM CA bundle'):
        check_ca_bundle(str(broken), 'ca_path')


def test_the_default_store_is_the_bundle_requests_takes_from_the_environment(certs, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    assert trust_fingerprint(True) == 'default trust store'
    monkeypatch.setenv('CURL_CA_BUNDLE', certs.other_ca)
    assert trust_fingerprint(True) == trust_fingerprint(certs.other_ca)
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', certs.ca)
    assert trust_fingerprint(True) == trust_fingerprint(certs.ca)


def test_trust_fingerprint_tells_the_decisions_apart(certs, tmp_path, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    copy = tmp_path / 'ca.pem'
    copy.write_bytes(open(certs.ca, 'rb').read())
    decisions = [
        trust_fingerprint(False),
        trust_fingerprint(True),
        trust_fingerprint(certs.ca),
        trust_fingerprint(certs.other_ca),
        trust_fingerprint(str(tmp_path)),
    ]
    assert len(set(decisions)) == 5
    assert trust_fingerprint(str(copy)) == trust_fingerprint(str(copy))


def test_certificate_fingerprint_names_the_certificate_not_the_path(certs):
    pem = ClientCertificate(certs.client_cert, certs.client_key)
    keystore = ClientCertificate(keystore_path=certs.client_p12, keystore_password=certs.client_p12_password)
    other = ClientCertificate(certs.other_ca_cert, certs.other_ca_key)
    assert pem.fingerprint() == keystore.fingerprint()
    assert pem.fingerprint() != other.fingerprint()
    keystore.cleanup()


def test_plain_http_port_is_explained():
    message = explain_tls_failure(
        '[SSL: WRONG_VERSION_NUMBER] wrong version number', 'the Camunda API', 'ca_path', True
    )
    assert 'does not speak TLS on that port' in message
