# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role through playbooks/verify.yml (ansible-playbook) against the emulator and the real IdP."""

from __future__ import annotations

import socket
import subprocess
import threading
from pathlib import Path

import pytest
import requests

from playbook import REPO_ROOT
from verify_runs import FAIL, JUDGE, VERIFY, checks_of, failed_checks

MODULE_DEFAULTS = Path(__file__).parent / 'playbooks' / 'verify_module_defaults.yml'


def add_user(emulator, username='ops', password='ops-password-1'):
    """A Basic user whose name is not also its password (Ansible masks every value equal to a secret)."""
    response = requests.post(
        emulator.url + '/v2/users',
        auth=('demo', 'demo'),
        timeout=10,
        json={'username': username, 'password': password, 'name': 'Ops', 'email': 'ops@example.com'},
    )
    response.raise_for_status()
    return username, password


def assert_no_change(run):
    assert not [line['task'] for line in run.results if line['result'].get('changed')], 'verify changed something'


# -- a healthy cluster passes, with each auth method ---------------------------------------------------------


@pytest.mark.parametrize(
    'mode,expectations',
    [
        ('none', {'verify_expected_auth_method': 'none'}),
        ('basic', {'verify_deployment': 'helm'}),
        ('oidc', {'verify_deployment': 'helm', 'verify_expected_auth_method': 'oidc'}),
        ('saas', {'verify_deployment': 'saas'}),
    ],
)
def test_healthy_cluster_passes(connections, emulator, playbook, mode, expectations):
    emulator.admin.set_auth('oidc' if mode == 'saas' else mode)
    run = playbook(VERIFY, extra_vars=getattr(connections, mode)() | expectations | {'verify_expected_version': '8.8'})
    run.assert_ok()
    assert run.task(FAIL)['_status'] == 'skipped'
    checks = checks_of(run)
    assert [checks[name]['result'] for name in ('api', 'auth posture', 'topology', 'version')] == ['pass'] * 4
    assert checks['credentials']['result'] == ('skip' if mode == 'none' else 'pass')
    assert_no_change(run)
    assert 'all checks passed' in run.output


def test_credentials_name_the_principal(connections, emulator, playbook):
    emulator.admin.set_auth('basic')
    run = playbook(VERIFY, extra_vars=connections.basic() | {'verify_deployment': 'helm'}).assert_ok()
    # demo's password is demo, so Ansible masks the name too; another user shows it.
    assert checks_of(run)['credentials']['reason'].startswith('basic credentials accepted as ')
    username, password = add_user(emulator)
    run = playbook(VERIFY, extra_vars=connections.basic(username, password) | {'verify_deployment': 'helm'}).assert_ok()
    assert checks_of(run)['credentials']['reason'] == 'basic credentials accepted as ops'


# -- each fault fails with the right check named ---------------------------------------------------------------

FAULTS = [
    pytest.param(
        'none', {'unhealthy': [[1, 0]]}, {}, 'topology', 'partition 1: replica on broker 0 is unhealthy', id='unhealthy'
    ),
    pytest.param('none', {'dead': [[3, 1]]}, {}, 'topology', 'partition 3: replica on broker 1 is dead', id='dead'),
    pytest.param('none', {'no_leader': [2]}, {}, 'topology', 'partition 2 has no leader', id='no-leader'),
    pytest.param('none', {'inactive': [[1, 0]]}, {}, 'topology', 'partition 1 has no leader', id='inactive-leader'),
    pytest.param(
        'none',
        {'missing_brokers': [2]},
        {},
        'topology',
        'broker 2 missing: the cluster size is 3 but only 2 broker(s) answered (0, 1)',
        id='missing-broker',
    ),
    pytest.param(
        'none',
        {'broker_versions': {'1': '8.7.2'}},
        {},
        'version',
        'version mismatch: broker 1 runs 8.7.2, the gateway 8.8.0',
        id='broker-version',
    ),
    pytest.param(
        'none',
        {},
        {'verify_expected_version': '8.9'},
        'version',
        'gateway version is 8.8.0, expected 8.9',
        id='wrong-version',
    ),
    pytest.param(
        'none',
        {'status_down': True},
        {},
        'api',
        'GET /v2/status answered 503: no partition has a healthy leader',
        id='status-down',
    ),
    pytest.param(
        'none',
        {},
        {'verify_expected_auth_method': 'basic'},
        'auth posture',
        'the API answered without credentials but basic was expected',
        id='open-api-basic-expected',
    ),
    pytest.param(
        'basic',
        {},
        {'verify_expected_auth_method': 'none'},
        'auth posture',
        'the API refused a request without credentials (WWW-Authenticate: Basic realm="Camunda") but none was expected',
        id='protected-api-none-expected',
    ),
]


@pytest.mark.parametrize('mode,faults,expectations,check,line', FAULTS)
def test_each_fault_fails_the_right_check(connections, emulator, playbook, mode, faults, expectations, check, line):
    emulator.admin.set_auth(mode)
    if faults:
        emulator.admin.set_faults(**faults)
    # Good Basic credentials everywhere, so that only the fault under test fails a check.
    run = playbook(VERIFY, extra_vars=connections.basic() | {'camunda_retries': 0} | expectations)
    assert run.rc != 0
    assert failed_checks(run) == [check]
    assert run.task(FAIL)['_status'] == 'failed'
    failure = run.task(FAIL)
    assert failure['_status'] == 'failed'
    assert failure['msg'].startswith(f"Verification of {emulator.url}/v2 failed, 1 of 5 checks: {check}: ")
    assert f'{check}: {line}' in failure['msg']
    assert 'Traceback' not in run.output
    assert_no_change(run)


def test_open_api_where_oidc_is_expected(connections, emulator, playbook):
    run = playbook(VERIFY, extra_vars=connections.none() | {'verify_expected_auth_method': 'oidc'})
    checks = checks_of(run)
    assert failed_checks(run) == ['auth posture', 'credentials']
    assert checks['auth posture']['reason'] == 'the API answered without credentials but oidc was expected'
    assert checks['credentials']['reason'] == (
        'no credentials were given (auth_method none) but oidc is expected: '
        'set camunda_token_url, camunda_client_id and camunda_client_secret'
    )


def test_wrong_password_fails_the_credentials_check(connections, emulator, playbook):
    emulator.admin.set_auth('basic')
    run = playbook(VERIFY, extra_vars=connections.basic(password='not-the-password') | {'verify_deployment': 'helm'})
    # The topology cannot be read either; the version cannot be judged; camunda_auth_info says why.
    assert failed_checks(run) == ['auth findings', 'credentials', 'topology']
    checks = checks_of(run)
    assert 'the credentials were refused (401 Unauthorized, auth_method basic)' in checks['credentials']['reason']
    assert 'Fix:' in ' '.join(checks['auth findings']['problems'] or [checks['auth findings']['reason']])
    assert checks['version']['result'] == 'skip'
    assert 'not-the-password' not in run.output


def test_wrong_client_secret_fails_the_credentials_check(connections, emulator, playbook):
    emulator.admin.set_auth('oidc')
    run = playbook(VERIFY, extra_vars=connections.oidc(client_secret='not-the-secret') | {'verify_deployment': 'saas'})
    assert 'credentials' in failed_checks(run)
    assert 'invalid_client' in checks_of(run)['credentials']['reason']
    assert 'not-the-secret' not in run.output


def test_basic_credentials_where_oidc_is_expected(connections, emulator, playbook):
    emulator.admin.set_auth('basic')
    run = playbook(
        VERIFY, extra_vars=connections.basic() | {'verify_deployment': 'helm', 'verify_expected_auth_method': 'oidc'}
    )
    assert failed_checks(run) == ['auth posture']
    assert checks_of(run)['auth posture']['reason'] == 'the API accepted basic credentials but oidc was expected'


def test_saas_must_be_oidc(connections, emulator, playbook):
    emulator.admin.set_auth('basic')
    run = playbook(
        VERIFY, extra_vars=connections.basic() | {'verify_deployment': 'saas', 'verify_expected_auth_method': 'basic'}
    )
    checks = checks_of(run)
    assert checks['auth posture']['reason'] == 'SaaS clusters always require OIDC but basic was expected'
    assert (
        checks['credentials']['result'] == 'fail'
        and 'SaaS needs OIDC client credentials' in checks['credentials']['reason']
    )


def test_every_failure_at_once_is_listed(connections, emulator, playbook):
    emulator.admin.set_faults(
        unhealthy=[[1, 0]],
        dead=[[3, 1]],
        no_leader=[2],
        missing_brokers=[2],
        broker_versions={'1': '8.7.2'},
        status_down=True,
    )
    run = playbook(
        VERIFY,
        extra_vars=connections.basic(password='wrong')
        | {'verify_deployment': 'helm', 'verify_expected_version': '8.9', 'camunda_retries': 0},
    )
    assert failed_checks(run) == ['api', 'auth findings', 'auth posture', 'credentials', 'topology', 'version']
    message = run.task(FAIL)['msg']
    assert message.startswith(f'Verification of {emulator.url}/v2 failed, 6 of 6 checks: ')
    for line in (
        'api: GET /v2/status answered 503',
        'auth posture: the API answered without credentials but basic was expected',
        'credentials: GET ',
        'topology: broker 2 missing',
        'topology: partition 1: replica on broker 0 is unhealthy',
        'topology: partition 2 has no leader',
        'topology: partition 3: replica on broker 1 is dead',
        'version: version mismatch: broker 1 runs 8.7.2, the gateway 8.8.0',
        'version: gateway version is 8.8.0, expected 8.9',
    ):
        assert line in message, line
    # Reported once: the role fails at its last task only.
    assert [line['task'] for line in run.results if line['status'] == 'failed'] == [FAIL]


def test_unreachable_api(playbook):
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    run = playbook(VERIFY, extra_vars={'camunda_url': f'http://127.0.0.1:{port}', 'camunda_retries': 0})
    checks = checks_of(run)
    assert failed_checks(run) == ['api', 'topology']
    assert checks['api']['reason'].startswith('the API could not be reached: ')
    assert {checks[name]['result'] for name in ('auth posture', 'credentials', 'version')} == {'skip'}


def test_report_only_does_not_fail(connections, emulator, playbook):
    emulator.admin.set_faults(dead=[[1, 1]])
    run = playbook(VERIFY, extra_vars=connections.none() | {'verify_fail_on_error': False}).assert_ok()
    assert run.task(JUDGE)['ansible_facts']['verify_result']['passed'] is False


# -- the report ---------------------------------------------------------------------------------------------------


def test_report_of_a_failing_cluster(connections, emulator, playbook, tmp_path):
    emulator.admin.set_faults(dead=[[3, 1]], no_leader=[2], missing_brokers=[2], inactive=[[1, 1]])
    report = tmp_path / 'report.md'
    username, password = add_user(emulator)
    playbook(
        VERIFY,
        extra_vars=connections.basic(username, password)
        | {'verify_deployment': 'helm', 'verify_report_path': str(report)},
    )
    text = report.read_text()
    assert text.startswith(f'# Camunda verification: {emulator.url}/v2\n')
    assert '**FAILED**: 3 passed, 2 failed, 0 skipped.' in text
    assert '- Deployment: helm; expected auth: basic\n' in text
    assert '- Credentials: basic as ops\n' in text
    assert '| auth posture | ✗ FAIL | the API answered without credentials but basic was expected |' in text
    assert (
        '| topology | ✗ FAIL | broker 2 missing: the cluster size is 3 but only 2 broker(s) answered (0, 1)<br>' in text
    )
    assert '| partition | broker 0 | broker 1 | broker 2 (missing) |\n|---|---|---|---|\n' in text
    assert '| 1 | L ✓ | I ✓ | — |\n' in text  # an inactive follower
    assert '| 2 | F ✓ | F ✓ | — |\n' in text  # no leader: its leader became a follower
    assert '| 3 | F ✓ | F ✗ dead | — |\n' in text
    assert 'L leader, F follower' in text


def test_report_of_a_healthy_single_broker(connections, emulator, playbook, tmp_path):
    emulator.admin.set_cluster(brokers=1, partitions=2, replication_factor=1)
    report = tmp_path / 'report.md'
    playbook(
        VERIFY, extra_vars=connections.none() | {'verify_deployment': 'c8run', 'verify_report_path': str(report)}
    ).assert_ok()
    text = report.read_text()
    assert '**PASSED**: 4 passed, 0 failed, 1 skipped.' in text
    assert '| partition | broker 0 |\n|---|---|\n| 1 | L ✓ |\n| 2 | L ✓ |\n' in text
    # The emulator's default license is what a cluster without a license key reports: the report says what it means.
    assert '## License\n\nunknown (not valid): the cluster has no usable license key. ' in text
    emulator.admin.set_license(
        validLicense=True, licenseType='production', isCommercial=True, expiresAt='2027-01-01T00:00:00Z'
    )
    playbook(
        VERIFY, extra_vars=connections.none() | {'verify_deployment': 'c8run', 'verify_report_path': str(report)}
    ).assert_ok()
    assert '## License\n\nproduction (valid), expires 2027-01-01T00:00:00Z.\n' in report.read_text()


# -- check mode, module_defaults, waiting -----------------------------------------------------------------------


def test_check_mode_verifies_and_writes_the_report(connections, emulator, playbook, tmp_path):
    emulator.admin.set_auth('basic')
    report = tmp_path / 'report.md'
    run = playbook(
        VERIFY,
        check=True,
        diff=True,
        extra_vars=connections.basic() | {'verify_deployment': 'helm', 'verify_report_path': str(report)},
    ).assert_ok()
    assert run.task(JUDGE)['ansible_facts']['verify_result']['passed'] is True
    assert report.exists()
    assert_no_change(run)


def test_connection_from_module_defaults(emulator, playbook):
    emulator.admin.set_auth('basic')
    run = playbook(
        MODULE_DEFAULTS, extra_vars={'md_url': emulator.url, 'md_username': 'demo', 'md_password': 'demo'}
    ).assert_ok()
    assert checks_of(run)['credentials']['reason'].startswith('basic credentials accepted as ')


def test_wait_until_healthy(connections, emulator, playbook):
    emulator.admin.set_faults(dead=[[1, 0]])
    stop = threading.Event()

    def heal_after_two_reads():
        while not stop.wait(0.1):
            if emulator.admin.request_count('/v2/topology') >= 2:
                emulator.admin.clear_faults()
                return

    healer = threading.Thread(target=heal_after_two_reads, daemon=True)
    healer.start()
    try:
        run = playbook(VERIFY, extra_vars=connections.none() | {'verify_wait_timeout': 30, 'verify_wait_interval': 0.5})
    finally:
        stop.set()
    run.assert_ok()
    # Polled while the replica was dead, then judged healthy; the unauthenticated probe reads it once more.
    assert emulator.admin.request_count('/v2/topology') >= 3


def test_wait_times_out_with_the_problems(connections, emulator, playbook):
    emulator.admin.set_faults(dead=[[1, 0]])
    run = playbook(VERIFY, extra_vars=connections.none() | {'verify_wait_timeout': 1.5, 'verify_wait_interval': 0.3})
    assert failed_checks(run) == ['topology']
    assert 'topology: partition 1: replica on broker 0 is dead' in run.task(FAIL)['msg']


def test_report_in_a_new_folder(connections, emulator, playbook, tmp_path):
    report = tmp_path / 'reports' / 'cluster.md'
    playbook(VERIFY, extra_vars=connections.none() | {'verify_report_path': str(report)}).assert_ok()
    assert report.read_text().startswith('# Camunda verification: ')


def test_playbook_by_its_collection_name(connections, emulator, playbook):
    run = playbook(
        Path('community.camunda.verify'), extra_vars=connections.none() | {'verify_deployment': 'other'}
    ).assert_ok()
    assert run.task(JUDGE)['ansible_facts']['verify_result']['passed'] is True


@pytest.mark.parametrize(
    'inventory', sorted((REPO_ROOT / 'docs' / 'inventories').glob('*.yml')), ids=lambda path: path.stem
)
def test_example_inventories_parse_with_both_playbooks(inventory, tmp_path):
    from playbook import ANSIBLE_PLAYBOOK, playbook_environment  # pylint: disable=import-outside-toplevel

    for name in ('community.camunda.verify', 'community.camunda.configure_auth'):
        process = subprocess.run(
            [str(ANSIBLE_PLAYBOOK), '--syntax-check', '-i', str(inventory), name],
            capture_output=True,
            text=True,
            env=playbook_environment(tmp_path),
            check=False,
        )
        assert process.returncode == 0, process.stdout + process.stderr
