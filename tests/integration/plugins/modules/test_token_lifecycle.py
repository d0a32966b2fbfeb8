# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Token lifecycle against the real IdP and the emulator: one token per run, refresh, renewal, retries, mTLS, cache."""

from __future__ import annotations

import json
import os
import re
import stat
from pathlib import Path

import pytest

OIDC_TASKS = Path(__file__).parent / 'playbooks' / 'oidc_tasks.yml'


@pytest.fixture
def oidc(emulator, idp):
    emulator.admin.set_auth('oidc')
    client = idp.clients.secret
    return dict(
        camunda_url=emulator.url,
        token_url=idp.token_url,
        client_id=client.id,
        client_secret=client.secret,
        token_ca_path=idp.ca_path,
    )


def cache_files(run_dir):
    folder = Path(run_dir) / 'cache' / 'community.camunda' / 'tokens'
    return folder, sorted(folder.glob('*.json'))


@pytest.mark.parametrize('in_controller', [True, False], ids=['controller', 'module'])
def test_twenty_parallel_hosts_cause_one_token_request(oidc, idp, playbook, in_controller):
    hosts = [f'host{number:02d}' for number in range(20)]
    run = playbook(
        OIDC_TASKS, hosts=hosts, forks=20, extra_vars=oidc | {'camunda_run_in_controller': in_controller}
    ).assert_ok()
    assert len(run.tasks('Topology')) == 20 and len(run.tasks('Token')) == 20
    assert idp.token_requests(idp.clients.secret.id) == 1


def test_token_is_refreshed_before_it_expires(oidc, idp, playbook):
    # 32 s lifetime: the refresh margin is 30 s, so the token counts as fresh for 2 s only.
    idp.set_token_ttl(32)
    run = playbook(OIDC_TASKS, extra_vars=oidc | {'pause_seconds': 3}).assert_ok()
    assert run.task('What the token task says besides the token')['msg']['cached'] is False
    assert idp.token_requests(idp.clients.secret.id) == 2


def test_without_pause_the_cached_token_is_used(oidc, idp, playbook):
    run = playbook(OIDC_TASKS, extra_vars=oidc).assert_ok()
    assert run.task('What the token task says besides the token')['msg']['cached'] is True
    assert idp.token_requests(idp.clients.secret.id) == 1


def test_revoked_token_is_replaced_once_and_a_second_refusal_fails_cleanly(oidc, emulator, idp, playbook):
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    emulator.admin.revoke_tokens()
    # The cached token is refused: dropped, one new token, one retry.
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    assert idp.token_requests(idp.clients.secret.id) == 2
    assert emulator.admin.request_count('/v2/topology') == 3
    # Now the cluster refuses every token of this IdP: one renewal, then a clean failure, no loop.
    emulator.admin.set_auth('oidc', oidc_audiences=['another-audience'])
    run = playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False})
    result = run.task('Topology')
    assert result['_status'] == 'failed'
    assert 'the credentials were refused (401 Unauthorized, auth_method oidc)' in result['msg']
    assert "Camunda refused the access token that" in result['msg']
    assert idp.token_requests(idp.clients.secret.id) == 3
    assert emulator.admin.request_count('/v2/topology') == 5


def test_503_twice_with_retry_after_then_success(oidc, emulator, playbook):
    emulator.admin.set_faults(next_status={'status': 503, 'count': 2, 'retry_after': 1, 'path': '/v2/topology'})
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    assert emulator.admin.request_count('/v2/topology') == 3


def test_429_beyond_the_cap_names_the_status_and_the_wait(oidc, emulator, playbook):
    emulator.admin.set_faults(next_status={'status': 429, 'count': 10, 'retry_after': 1, 'path': '/v2/topology'})
    run = playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False, 'retries': 2, 'tolerate_failure': True})
    message = run.task('Topology')['msg']
    assert re.search(
        r'answered 429 Too Many Requests after 3 attempts over \d+\.\d s \(2\.0 s of it waiting; '
        r'the server asked for Retry-After 1 s\)',
        message,
    )
    assert emulator.admin.request_count('/v2/topology') == 3


def test_a_cached_token_is_reused_only_under_the_same_trust(oidc, idp, certs, playbook):
    # A token fetched without verifying the IdP is not handed to a run that verifies it.
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False, 'validate_certs': False}).assert_ok()
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    assert idp.token_requests(idp.clients.secret.id) == 2
    # With a fresh token in the cache, a CA that did not sign the IdP's certificate fails as without a cache.
    for cache in (True, False):
        run = playbook(
            OIDC_TASKS,
            extra_vars=oidc
            | {'with_token': False, 'tolerate_failure': True, 'token_ca_path': certs.other_ca, 'token_cache': cache},
        )
        message = run.task('Topology')['msg']
        assert message.startswith(
            f'Could not verify the TLS certificate of the identity provider at {idp.token_url}'
        ), message
        assert f'against token_ca_path {certs.other_ca}' in message
    assert idp.token_requests(idp.clients.secret.id) == 2


def test_a_token_lifetime_within_the_refresh_margin_is_warned_about_once(oidc, idp, playbook):
    idp.set_token_ttl(20)
    run = playbook(OIDC_TASKS, extra_vars=oidc).assert_ok()
    warned = [
        name
        for name in ('Topology', 'Token')
        if any(
            'tokens that live 20 s, no longer than the refresh margin of 30 s' in warning
            for warning in run.task(name).get('warnings', [])
        )
    ]
    assert warned == ['Topology']
    # each task fetched its own token: the warning says why
    assert idp.token_requests(idp.clients.secret.id) == 2


@pytest.mark.only_idp('oidc-provider', reason='fault injection at the IdP (idp.set_faults)')
def test_idp_overload_is_retried(oidc, idp, playbook):
    idp.set_faults(status=503, count=2, retry_after=1)
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    assert idp.token_requests(idp.clients.secret.id, outcome='ok') == 1
    assert idp.token_requests(idp.clients.secret.id, outcome='failed') == 2


@pytest.mark.only_idp('oidc-provider', reason='fault injection at the IdP (idp.set_faults)')
def test_idp_5xx_is_retried_and_blamed_on_the_idp(oidc, idp, playbook):
    idp.set_faults(status=500, count=1, retry_after=None)
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    assert idp.token_requests(idp.clients.secret.id, outcome='failed') == 1
    idp.set_faults(status=502, count=10, retry_after=0)
    run = playbook(
        OIDC_TASKS,
        extra_vars=oidc | {'with_token': False, 'tolerate_failure': True, 'retries': 2, 'token_cache': False},
    )
    message = run.task('Topology')['msg']
    assert re.search(r'failed with 502 Bad Gateway after 3 attempts over \d+\.\d s', message), message
    assert 'a fault of the identity provider, not of the OIDC settings' in message
    assert 'check the OIDC settings' not in message


def test_corrupted_cache_file_is_replaced_and_modes_are_private(oidc, idp, playbook, tmp_path):
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    folder, files = cache_files(tmp_path / 'run')
    assert len(files) == 1
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700 and stat.S_IMODE(files[0].stat().st_mode) == 0o600
    # every folder the collection created on the way (XDG_CACHE_HOME did not exist either) is private too
    assert [stat.S_IMODE(path.stat().st_mode) for path in (folder.parent, folder.parent.parent)] == [0o700, 0o700]
    files[0].write_text('{"access_token": "trunc')
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    assert json.loads(files[0].read_text())['access_token'].count('.') == 2
    assert idp.token_requests(idp.clients.secret.id) == 2


def test_world_readable_cache_is_refused(oidc, playbook, tmp_path):
    playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False}).assert_ok()
    folder = cache_files(tmp_path / 'run')[0]
    os.chmod(folder, 0o755)
    run = playbook(OIDC_TASKS, extra_vars=oidc | {'with_token': False, 'tolerate_failure': True})
    assert 'is readable by group or others (mode 0755): refusing to use it' in run.task('Topology')['msg']


def tls_client(idp, certs, **files):
    return dict(client_id=idp.clients.tls.id, client_auth_method='tls_client_auth', client_secret=None) | files


def mtls_run(playbook, oidc, settings):
    variables = {key: value for key, value in (oidc | settings).items() if value is not None}
    return playbook(OIDC_TASKS, extra_vars=variables | {'tolerate_failure': True, 'with_token': False}).task('Topology')


def test_tls_client_auth_with_a_ca_signed_certificate(oidc, idp, certs, playbook):
    result = mtls_run(
        playbook, oidc, tls_client(idp, certs, client_cert=certs.client_cert, client_key=certs.client_key)
    )
    assert result['_status'] == 'ok' and result['healthy'] is True
    assert idp.token_requests(idp.clients.tls.id, outcome='ok') == 1


def test_tls_client_auth_with_a_keystore(oidc, idp, certs, playbook):
    result = mtls_run(
        playbook,
        oidc,
        tls_client(idp, certs, client_keystore=certs.client_p12, client_keystore_password=certs.client_p12_password),
    )
    assert result['_status'] == 'ok'


@pytest.mark.only_idp('oidc-provider', reason='self_signed_tls_client_auth (Keycloak has no such client authenticator)')
def test_self_signed_tls_client_auth(oidc, idp, certs, playbook):
    result = mtls_run(
        playbook,
        oidc,
        dict(
            client_id=idp.clients.self_signed.id,
            client_secret=None,
            client_auth_method='self_signed_tls_client_auth',
            client_cert=certs.self_signed_cert,
            client_key=certs.self_signed_key,
        ),
    )
    assert result['_status'] == 'ok'


def assertion_client(idp, **files):
    return dict(client_id=idp.clients.assertion.id, client_auth_method='private_key_jwt', client_secret=None) | files


@pytest.mark.parametrize(
    'files',
    [
        lambda c: dict(client_cert=c.client_cert, client_key=c.client_key),
        lambda c: dict(
            client_cert=c.client_cert, client_key=c.client_key_encrypted, client_key_passphrase=c.client_key_passphrase
        ),
        lambda c: dict(client_keystore=c.client_p12, client_keystore_password=c.client_p12_password),
    ],
    ids=['pem', 'encrypted-pem', 'keystore'],
)
def test_private_key_jwt_signs_with_the_certificate_key(oidc, idp, certs, playbook, files):
    result = mtls_run(playbook, oidc, assertion_client(idp, **files(certs)))
    assert result['_status'] == 'ok' and result['healthy'] is True
    assert idp.token_requests(idp.clients.assertion.id, outcome='ok') == 1


def test_private_key_jwt_with_an_unregistered_key_names_the_assertion(oidc, idp, certs, playbook):
    result = mtls_run(
        playbook, oidc, assertion_client(idp, client_cert=certs.other_ca_cert, client_key=certs.other_ca_key)
    )
    assert result['_status'] == 'failed'
    assert 'refused the token request' in result['msg']
    assert 'the request carried a client assertion signed with the key of the client certificate' in result['msg']
    assert 'issued by CN=community.camunda other CA' in result['msg']
    assert idp.token_requests(idp.clients.assertion.id, outcome='ok') == 0


@pytest.mark.parametrize(
    'files,expected',
    [
        (lambda c: dict(client_cert=c.expired_cert, client_key=c.expired_key), 'expired on'),
        # oidc-provider answers invalid_client, Keycloak ends the TLS handshake: either way the message names the issuer
        (
            lambda c: dict(client_cert=c.other_ca_cert, client_key=c.other_ca_key),
            'does not trust its issuer CN=community.camunda other CA',
        ),
        (
            lambda c: dict(
                client_cert=c.client_cert, client_key=c.client_key_encrypted, client_key_passphrase='not-it'
            ),
            'client_key_passphrase does not decrypt client_key',
        ),
        (lambda c: dict(client_cert=c.client_cert, client_key=c.other_ca_key), 'does not belong to client_cert'),
        (
            lambda c: dict(client_cert=c.client_cert + '.missing', client_key=c.client_key),
            'does not exist: check the path',
        ),
    ],
    ids=['expired', 'other-ca', 'wrong-passphrase', 'key-mismatch', 'missing-file'],
)
def test_certificate_faults_name_the_cause(oidc, idp, certs, playbook, files, expected):
    result = mtls_run(playbook, oidc, tls_client(idp, certs, **files(certs)))
    assert result['_status'] == 'failed'
    assert expected in result['msg']
