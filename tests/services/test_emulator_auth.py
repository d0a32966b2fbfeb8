# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Auth enforcement of the emulator: none, Basic and OIDC bearer tokens, accepted and refused."""

from __future__ import annotations

import time

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from emulator import EmulatorServer
from emulator.testing import Api, LocalIssuer


@pytest.fixture(scope='module')
def issuer():
    with LocalIssuer() as running:
        yield running


@pytest.fixture(scope='module')
def emulator_server(issuer):
    with EmulatorServer(auth='none', oidc_issuer=issuer.url) as running:
        yield running


@pytest.fixture
def oidc(server):
    server.admin.set_auth('oidc')
    return server


def status_of(server, path='topology', **client):
    return Api(server.url, **client).get(path).status_code


def assert_unauthorized(response, challenge):
    assert response.status_code == 401
    assert response.headers['Content-Type'] == 'application/problem+json'
    assert response.headers['WWW-Authenticate'].startswith(challenge)
    problem = response.json()
    assert problem['title'] == 'UNAUTHORIZED' and problem['status'] == 401
    assert problem['instance'] == response.request.path_url
    return problem


# -- none -----------------------------------------------------------------------------------------


def test_none_accepts_anything(server):
    assert status_of(server) == 200
    assert status_of(server, auth=('demo', 'wrong')) == 200
    assert status_of(server, token='not-a-jwt') == 200


def test_none_me_needs_a_known_user(server):
    assert_unauthorized(Api(server.url).get('authentication/me'), 'Basic')
    assert Api(server.url, auth=('demo', 'demo')).get('authentication/me').json()['username'] == 'demo'


# -- basic ----------------------------------------------------------------------------------------


def test_basic_accepts_seeded_user_and_refuses_others(server):
    server.admin.set_auth('basic')
    assert status_of(server, auth=('demo', 'demo')) == 200
    assert_unauthorized(Api(server.url).get('topology'), 'Basic realm=')
    assert_unauthorized(Api(server.url, auth=('demo', 'wrong')).get('topology'), 'Basic realm=')
    assert_unauthorized(Api(server.url, auth=('nobody', 'demo')).get('topology'), 'Basic realm=')
    assert_unauthorized(Api(server.url, token='abc').get('topology'), 'Basic realm=')
    garbled = Api(server.url).get('topology', headers={'Authorization': 'Basic !!!notbase64'})
    assert 'malformed' in assert_unauthorized(garbled, 'Basic')['detail']


def test_basic_protects_every_api_path_but_status_and_license(server):
    server.admin.set_auth('basic')
    anonymous = Api(server.url)
    for path in ('authentication/me', 'users/demo', 'no/such/path'):
        assert anonymous.get(path).status_code == 401, path
    assert anonymous.post('users/search').status_code == 401
    assert anonymous.get('status').status_code == 204
    assert anonymous.get('license').json()['licenseType'] == 'unknown'  # licenses.yaml: no security scheme


def test_basic_me(server):
    server.admin.set_auth('basic')
    me = Api(server.url, auth=('demo', 'demo')).get('authentication/me').json()
    assert me['username'] == 'demo' and me['roles'] == ['admin'] and me['canLogout'] is True


def test_extra_users_given_at_start_can_log_in():
    with EmulatorServer(auth='basic', users={'demo': 'demo', 'ops': 'pa:ss'}) as running:
        assert status_of(running, auth=('ops', 'pa:ss')) == 200  # a colon in the password is fine
        assert running.basic_users == {'demo': 'demo', 'ops': 'pa:ss'}


# -- oidc -----------------------------------------------------------------------------------------


def test_oidc_accepts_a_valid_token_and_names_the_client(oidc, issuer):
    client = Api(oidc.url, token=issuer.token(client_id='worker-7'))
    assert client.get('topology').status_code == 200
    me = client.get('authentication/me').json()
    assert me['username'] == 'worker-7' and me['canLogout'] is False


def test_oidc_principal_falls_back_to_the_username_claim(oidc, issuer):
    token = issuer.token(client_id=None, sub='alice')
    assert Api(oidc.url, token=token).get('authentication/me').json()['username'] == 'alice'


def test_oidc_client_id_and_username_claims_are_configurable(oidc, issuer):
    oidc.admin.set_auth('oidc', client_id_claim='azp', username_claim='preferred_username')
    token = issuer.token(client_id='ignored', azp='from-azp')
    assert Api(oidc.url, token=token).get('authentication/me').json()['username'] == 'from-azp'
    token = issuer.token(client_id='ignored', preferred_username='bob')
    assert Api(oidc.url, token=token).get('authentication/me').json()['username'] == 'bob'
    nameless = issuer.token(client_id='ignored')
    assert 'neither' in assert_unauthorized(Api(oidc.url, token=nameless).get('topology'), 'Bearer')['detail']


def other_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.mark.parametrize(
    'make_token, reason',
    [
        (lambda issuer: issuer.token(ttl=-5), 'the token has expired'),
        (lambda issuer: issuer.token(aud='someone-else'), 'audience (aud) is not one of'),
        (lambda issuer: issuer.token(aud=None), "no 'aud' claim"),
        (lambda issuer: issuer.token(iss='https://evil.example/realms/x'), 'issuer (iss) is not'),
        (lambda issuer: issuer.token(iss=None), "no 'iss' claim"),
        (lambda issuer: issuer.token(exp=None), "no 'exp' claim"),
        (lambda issuer: issuer.token(iat=int(time.time()) + 3600), 'not valid yet'),
        (lambda issuer: issuer.token(key=other_key()), 'signature does not verify'),
        (lambda issuer: issuer.token(headers={'kid': 'unknown-kid'}), "no key 'unknown-kid'"),
        (
            lambda issuer: jwt.encode(
                {'iss': issuer.url, 'aud': 'orchestration-api', 'client_id': 'x', 'exp': int(time.time()) + 60},
                'k' * 32,
                algorithm='HS256',
            ),
            "algorithm 'HS256'",
        ),
        (lambda issuer: 'not.a.jwt', 'not a well-formed JWT'),
    ],
)
def test_oidc_refuses_bad_tokens(oidc, issuer, make_token, reason):
    problem = assert_unauthorized(
        Api(oidc.url, token=make_token(issuer)).get('topology'), 'Bearer error="invalid_token"'
    )
    assert reason in problem['detail']


def test_oidc_refuses_missing_or_basic_credentials(oidc):
    assert_unauthorized(Api(oidc.url).get('topology'), 'Bearer')
    assert_unauthorized(Api(oidc.url, auth=('demo', 'demo')).get('topology'), 'Bearer')
    assert Api(oidc.url).get('status').status_code == 204
    assert Api(oidc.url).get('license').status_code == 200


def test_oidc_token_with_any_configured_audience(oidc, issuer):
    oidc.admin.set_auth('oidc', oidc_audiences=['orchestration-api', 'zeebe.camunda.io'])
    assert status_of(oidc, token=issuer.token(aud='zeebe.camunda.io')) == 200
    assert status_of(oidc, token=issuer.token(aud=['other', 'orchestration-api'])) == 200
    assert status_of(oidc, token=issuer.token(aud='other')) == 401


def test_oidc_without_configured_audiences_skips_the_audience_check(oidc, issuer):
    oidc.admin.set_auth('oidc', oidc_audiences=[])
    assert status_of(oidc, token=issuer.token(aud='anything')) == 200


def test_oidc_refetches_the_jwks_for_an_unknown_key(oidc, issuer):
    assert status_of(oidc, token=issuer.token()) == 200
    fetched = len(issuer.requests)
    assert status_of(oidc, token=issuer.token()) == 200
    assert len(issuer.requests) == fetched  # known key: served from the cache
    issuer.rotate_key()
    assert status_of(oidc, token=issuer.token()) == 200
    assert len(issuer.requests) > fetched


def test_oidc_discovery_failure_is_a_401_not_a_crash(server):
    server.admin.set_auth('oidc', oidc_issuer='http://127.0.0.1:9/realms/none')
    token = jwt.encode({'exp': int(time.time()) + 60}, other_key(), algorithm='RS256', headers={'kid': 'k'})
    problem = assert_unauthorized(Api(server.url, token=token).get('topology'), 'Bearer')
    assert 'could not be fetched' in problem['detail']


def test_revoke_tokens_refuses_earlier_tokens_only(oidc, issuer):
    before = issuer.token()
    assert status_of(oidc, token=before) == 200
    unused_before = issuer.token()
    oidc.admin.revoke_tokens()
    assert status_of(oidc, token=before) == 401
    assert status_of(oidc, token=unused_before) == 401
    assert status_of(oidc, token=issuer.token()) == 200


def test_a_token_expiring_while_cached_is_refused(oidc, issuer):
    # exp is a whole second, so a TTL of 2 leaves at least one second of validity and is over within two.
    token = issuer.token(ttl=2)
    assert status_of(oidc, token=token) == 200
    time.sleep(2.2)
    assert status_of(oidc, token=token) == 401


def test_set_auth_rejects_unknown_modes_and_settings(server):
    from emulator import EmulatorAdminError  # pylint: disable=import-outside-toplevel

    with pytest.raises(EmulatorAdminError, match='auth mode'):
        server.admin.set_auth('kerberos')
    with pytest.raises(EmulatorAdminError, match='unknown auth settings'):
        server.admin.set_auth('basic', realm='x')
    assert status_of(server) == 200  # still none


def test_oidc_against_the_real_idp(services):
    """The emulator started by the services fixture validates tokens of the real IdP."""
    import requests  # pylint: disable=import-outside-toplevel

    emulator, idp = services.emulator, services.idp
    emulator.admin.reset()
    emulator.admin.set_auth('oidc')
    try:
        answer = requests.post(
            idp.token_url,
            data={
                'grant_type': 'client_credentials',
                'client_id': idp.clients.secret.id,
                'client_secret': idp.clients.secret.secret,
            },
            verify=idp.ca_path,
            timeout=10,
        )
        assert answer.status_code == 200, answer.text
        client = Api(emulator.url, token=answer.json()['access_token'])
        assert client.get('topology').status_code == 200
        assert client.get('authentication/me').json()['username'] == idp.clients.secret.id
        assert Api(emulator.url, token=answer.json()['access_token'] + 'x').get('topology').status_code == 401
    finally:
        emulator.admin.reset()
