# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection against real Keycloak: tokens by secret and by X.509 client certificate, refusals, expiry.

Runs with ``pytest --idp keycloak`` (``make test-keycloak``); skipped with that reason otherwise. Every
request passes ``verify`` explicitly: REQUESTS_CA_BUNDLE, set on these machines, would override a
session-level setting.
"""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import jwt
import pytest
import requests
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

pytestmark = pytest.mark.only_idp('keycloak', reason='the Keycloak tier: make test-keycloak (pytest --idp keycloak)')

OIDC_TASKS = Path(__file__).parent.parent / 'plugins' / 'modules' / 'playbooks' / 'oidc_tasks.yml'
TIMEOUT = 10
# Keycloak's answers (error: error_description) to a wrong secret and to a certificate of another subject
WRONG_SECRET_ANSWER = 'unauthorized_client: Invalid client or Invalid client credentials'
WRONG_CERTIFICATE_ANSWER = 'invalid_client: Invalid client or Invalid client credentials'


# -- helpers ------------------------------------------------------------------------------------


def token_response(idp, client_auth_method, cert=None):
    """A client credentials request as the collection sends it, straight to Keycloak."""
    form = {'grant_type': 'client_credentials'}
    auth = None
    if client_auth_method == 'client_secret_post':
        form |= {'client_id': idp.clients.secret.id, 'client_secret': idp.clients.secret.secret}
    elif client_auth_method == 'client_secret_basic':
        auth = (idp.clients.secret.id, idp.clients.secret.secret)
    else:
        form['client_id'] = idp.clients.tls.id
    return requests.post(idp.token_url, data=form, auth=auth, cert=cert, verify=idp.ca_path, timeout=TIMEOUT)


def verified_claims(idp, access_token):
    """Claims after checking signature (Keycloak's JWKS), issuer, audience and expiry."""
    jwks = requests.get(idp.jwks_url, verify=idp.ca_path, timeout=TIMEOUT).json()
    kid = jwt.get_unverified_header(access_token)['kid']
    key = next(jwk for jwk in jwks['keys'] if jwk['kid'] == kid)
    return jwt.decode(access_token, jwt.PyJWK(key).key, algorithms=['RS256'], audience=idp.audience, issuer=idp.issuer)


def emulator_get(emulator, path, access_token):
    return requests.get(
        f'{emulator.url}/v2/{path}', headers={'Authorization': f'Bearer {access_token}'}, verify=True, timeout=TIMEOUT
    )  # plain HTTP: nothing to verify


def issue_client_certificate(certs, folder, common_name):
    """A client certificate from our test CA (so the TLS handshake passes) with another subject."""
    with open(certs.ca, 'rb') as handle:
        ca_cert = x509.load_pem_x509_certificate(handle.read())
    with open(certs.ca_key, 'rb') as handle:
        ca_key = serialization.load_pem_private_key(handle.read(), password=None)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(
            x509.Name(
                [
                    x509.NameAttribute(NameOID.ORGANIZATION_NAME, 'community.camunda tests'),
                    x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                ]
            )
        )
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    cert_path, key_path = Path(folder) / f'{common_name}.crt', Path(folder) / f'{common_name}.key'
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    key_path.chmod(0o600)
    return str(cert_path), str(key_path)


@pytest.fixture
def oidc(emulator, idp):
    """oidc_tasks.yml variables: the emulator in OIDC mode, trusting Keycloak's tokens."""
    emulator.admin.set_auth('oidc')
    return dict(
        camunda_url=emulator.url,
        token_url=idp.token_url,
        client_id=idp.clients.secret.id,
        client_secret=idp.clients.secret.secret,
        token_ca_path=idp.ca_path,
    )


def tls_settings(idp, cert, key):
    return dict(client_id=idp.clients.tls.id, client_auth_method='tls_client_auth', client_cert=cert, client_key=key)


def run_tasks(playbook, variables, **extra):
    settings = {name: value for name, value in (variables | extra).items() if value is not None}
    return playbook(OIDC_TASKS, extra_vars=settings)


def last_login(idp, client_id):
    return idp.events(client_id)[0]


# -- tokens straight from Keycloak --------------------------------------------------------------


@pytest.mark.parametrize('method', ['client_secret_post', 'client_secret_basic'])
def test_token_by_secret(idp, method):
    response = token_response(idp, method)
    assert response.status_code == 200, response.text
    body = response.json()
    # Keycloak counts expires_in from its own second: it may be one less than the lifespan
    assert body['token_type'] == 'Bearer' and idp.default_token_ttl - 1 <= body['expires_in'] <= idp.default_token_ttl
    claims = verified_claims(idp, body['access_token'])
    assert claims['client_id'] == claims['azp'] == idp.clients.secret.id
    assert idp.audience in claims['aud']
    assert last_login(idp, idp.clients.secret.id)['details']['client_auth_method'] == 'client-secret'


def test_token_by_x509_client_certificate(idp):
    tls = idp.clients.tls
    response = token_response(idp, 'tls_client_auth', cert=(tls.cert, tls.key))
    assert response.status_code == 200, response.text
    claims = verified_claims(idp, response.json()['access_token'])
    assert claims['client_id'] == tls.id and idp.audience in claims['aud']
    assert last_login(idp, tls.id)['details']['client_auth_method'] == 'client-x509'


def test_playbook_token_by_signed_jwt_client_assertion(oidc, idp, playbook):
    # Keycloak's "Signed JWT" authenticator checks the assertion against the certificate registered
    # with the client; the TLS handshake carries no client certificate.
    client = idp.clients.assertion
    run = run_tasks(
        playbook,
        oidc,
        client_id=client.id,
        client_secret=None,
        client_auth_method='private_key_jwt',
        client_cert=client.cert,
        client_key=client.key,
    ).assert_ok()
    assert run.task('Topology')['healthy'] is True
    login = last_login(idp, client.id)
    assert login['type'] == 'CLIENT_LOGIN' and login['details']['client_auth_method'] == 'client-jwt'


def test_x509_client_without_a_certificate_is_refused(idp):
    response = token_response(idp, 'tls_client_auth')
    assert response.status_code == 401
    assert response.json() == {
        'error': 'invalid_client',
        'error_description': 'Invalid client or Invalid client credentials',
    }
    assert idp.token_requests(idp.clients.tls.id, outcome='failed') == 1


def test_discovery_names_the_x509_method_and_the_issuer(idp):
    metadata = requests.get(
        f'{idp.issuer}/.well-known/openid-configuration', verify=idp.ca_path, timeout=TIMEOUT
    ).json()
    assert metadata['issuer'] == idp.issuer and idp.issuer.endswith('/auth/realms/camunda-platform')
    assert {'client_secret_post', 'client_secret_basic', 'tls_client_auth', 'private_key_jwt'} <= set(
        metadata['token_endpoint_auth_methods_supported']
    )


# -- the emulator trusts Keycloak's tokens ------------------------------------------------------


@pytest.mark.parametrize('method', ['client_secret_post', 'client_secret_basic', 'tls_client_auth'])
def test_emulator_accepts_keycloak_tokens(emulator, idp, method):
    emulator.admin.set_auth('oidc')
    cert = (idp.clients.tls.cert, idp.clients.tls.key) if method == 'tls_client_auth' else None
    access_token = token_response(idp, method, cert=cert).json()['access_token']
    expected_client = idp.clients.tls.id if method == 'tls_client_auth' else idp.clients.secret.id
    me = emulator_get(emulator, 'authentication/me', access_token)
    assert me.status_code == 200, me.text
    assert me.json()['username'] == expected_client  # the client_id claim names the caller
    assert emulator_get(emulator, 'topology', access_token + 'x').status_code == 401  # the signature is checked


# -- the collection's modules through ansible-playbook ------------------------------------------


@pytest.mark.parametrize('method', ['client_secret_post', 'client_secret_basic'])
def test_modules_authenticate_with_a_secret(oidc, idp, playbook, method):
    run = run_tasks(playbook, oidc, client_auth_method=method).assert_ok()
    assert run.task('Topology')['healthy'] is True
    said = run.task('What the token task says besides the token')['msg']
    assert said['cached'] is True and int(said['expires_in']) > 0
    assert idp.token_requests(idp.clients.secret.id, outcome='ok') == 1
    assert last_login(idp, idp.clients.secret.id)['details']['client_auth_method'] == 'client-secret'


@pytest.mark.parametrize('form', ['pem', 'pkcs12'])
def test_modules_authenticate_with_an_x509_client_certificate(oidc, idp, certs, playbook, form):
    files = (
        dict(client_cert=certs.client_cert, client_key=certs.client_key)
        if form == 'pem'
        else dict(client_keystore=certs.client_p12, client_keystore_password=certs.client_p12_password)
    )
    settings = tls_settings(idp, None, None) | files
    run = run_tasks(playbook, oidc, client_secret=None, **settings).assert_ok()
    assert run.task('Topology')['healthy'] is True
    assert idp.token_requests(idp.clients.tls.id, outcome='ok') == 1
    assert last_login(idp, idp.clients.tls.id)['details']['client_auth_method'] == 'client-x509'


@pytest.mark.parametrize('method', ['client_secret_post', 'client_secret_basic'])
def test_wrong_secret_fails_with_keycloaks_error_text(oidc, idp, playbook, method):
    wrong = 'Not-The-Secret-7'
    run = run_tasks(
        playbook, oidc, client_auth_method=method, client_secret=wrong, with_token=False, tolerate_failure=True
    )
    result = run.task('Topology')
    assert result['_status'] == 'failed'
    assert (
        f'the identity provider at {idp.token_url} refused the token request (401 {WRONG_SECRET_ANSWER})'
        in result['msg']
    )
    assert wrong not in run.output and 'Traceback' not in run.output
    assert idp.token_requests(idp.clients.secret.id, outcome='failed') == 1  # never retried


def test_certificate_with_another_subject_fails_with_keycloaks_error_text(oidc, idp, certs, playbook, tmp_path):
    # Signed by our CA, so the TLS handshake passes; Keycloak's X.509 authenticator compares the subject DN.
    cert, key = issue_client_certificate(certs, tmp_path, 'someone-else')
    run = run_tasks(
        playbook, oidc, client_secret=None, with_token=False, tolerate_failure=True, **tls_settings(idp, cert, key)
    )
    message = run.task('Topology')['msg']
    assert f'refused the token request (401 {WRONG_CERTIFICATE_ANSWER})' in message
    assert 'subject CN=someone-else,O=community.camunda tests' in message  # the certificate that was sent
    assert last_login(idp, idp.clients.tls.id)['error'] == 'invalid_client_credentials'


def test_certificate_from_another_ca_ends_the_handshake(oidc, idp, certs, playbook):
    run = run_tasks(
        playbook,
        oidc,
        client_secret=None,
        with_token=False,
        tolerate_failure=True,
        **tls_settings(idp, certs.other_ca_cert, certs.other_ca_key),
    )
    message = run.task('Topology')['msg']
    # Keycloak ends the handshake with a TLS alert (or, on some TLS 1.3 paths, by closing the connection): either
    # way the message says that the IdP does not trust the certificate's issuer, and names the certificate.
    assert ('in the TLS handshake' in message) or ('closed the TLS connection after the handshake' in message)
    assert 'the identity provider does not trust its issuer CN=community.camunda other CA' in message
    assert 'issued by CN=community.camunda other CA' in message
    assert idp.token_requests() == 0  # refused by the TLS layer before the token endpoint


# -- lifetime and refresh -----------------------------------------------------------------------


def test_new_token_after_a_short_lifetime(oidc, emulator, idp, playbook):
    idp.set_token_ttl(6)
    first = run_tasks(playbook, oidc).assert_ok()
    assert int(first.task('What the token task says besides the token')['msg']['expires_in']) <= 6
    requests_after_first = idp.token_requests(idp.clients.secret.id, outcome='ok')
    expired = token_response(idp, 'client_secret_post').json()['access_token']
    time.sleep(8)  # Keycloak's exp may lie one second past iat + TTL
    refusal = emulator_get(emulator, 'topology', expired)
    assert refusal.status_code == 401 and 'expired' in refusal.text.lower()
    # The cached token has expired too: the next run gets a new one from Keycloak, and the emulator takes it.
    second = run_tasks(playbook, oidc, with_token=False).assert_ok()
    assert second.task('Topology')['healthy'] is True
    assert idp.token_requests(idp.clients.secret.id, outcome='ok') == requests_after_first + 2


def test_token_lifetime_follows_the_realm_setting(idp):
    idp.set_token_ttl(45)
    body = token_response(idp, 'client_secret_post').json()
    assert 44 <= body['expires_in'] <= 45
    claims = verified_claims(idp, body['access_token'])
    assert 44 <= claims['exp'] - claims['iat'] <= 46  # Keycloak takes iat and exp from two clock readings
    idp.reset()
    assert token_response(idp, 'client_secret_post').json()['expires_in'] > 45


# -- the handle ---------------------------------------------------------------------------------


def test_token_requests_are_counted_from_keycloaks_login_events(idp):
    tls = idp.clients.tls
    token_response(idp, 'client_secret_post')
    token_response(idp, 'client_secret_basic')
    requests.post(
        idp.token_url,
        data={'grant_type': 'client_credentials', 'client_id': idp.clients.secret.id, 'client_secret': 'wrong'},
        verify=idp.ca_path,
        timeout=TIMEOUT,
    )
    token_response(idp, 'tls_client_auth', cert=(tls.cert, tls.key))
    assert idp.token_requests(idp.clients.secret.id) == 3
    assert idp.token_requests(idp.clients.secret.id, outcome='ok') == 2
    assert idp.token_requests(idp.clients.secret.id, outcome='failed') == 1
    assert idp.token_requests(tls.id) == 1 and idp.token_requests() == 4
    idp.reset_counts()
    assert idp.token_requests() == 0


def test_faults_are_not_supported_on_keycloak(idp):
    with pytest.raises(NotImplementedError, match='no fault injection'):
        idp.set_faults(status=503, count=1)
    idp.clear_faults()  # nothing to clear: no error


def test_describe_names_keycloak_and_leaves_out_the_saas_endpoint(idp):
    info = idp.describe()
    assert info['kind'] == 'keycloak' and info['version'].startswith('26.')
    assert info['saas_token_url'] is None and info['resource'] is None
    assert sorted(info['clients']) == ['assertion', 'secret', 'tls']


def test_keycloak_started_from_the_prepared_cache(idp):
    # Options that differ from the cached build would make Keycloak re-augment (slow, and into the shared cache).
    assert not idp.reaugmented()
