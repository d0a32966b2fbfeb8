# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""configure_auth through playbooks/configure_auth.yml, with stand-ins for helm, docker and C8 Run.

There is no Kubernetes, Docker engine or Camunda here. tests/support/standins/ has a `helm` and a `docker`
on PATH and C8 Run start/stop scripts: each records its command line and, where the real tool would
(re)start the cluster, starts the Camunda API emulator with the auth settings it reads back from the files
the role wrote. So what runs for real: the rendered files (compared with fixtures of the documented keys),
idempotence, check mode, diffs, the handlers (only on change) and the final verify step against a cluster
that enforces the new auth method (Basic users from the secrets file, OIDC against the real IdP).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from playbook import REPO_ROOT, SUPPORT_DIR

CONFIGURE = REPO_ROOT / 'playbooks' / 'configure_auth.yml'
FIXTURES = Path(__file__).parent / 'fixtures' / 'configure_auth'
STANDINS = SUPPORT_DIR / 'standins'
OPS = {'username': 'ops', 'password': 'ops-password-1', 'name': 'Ops User', 'email': 'ops@example.com'}
VERIFY_JUDGE = 'community.camunda.verify : Judge every check against the expectations'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


class Standins:
    """The stand-in environment of one test: PATH, record file, state folder and the emulator's port."""

    def __init__(self, folder, idp):
        self.folder = folder
        self.record_file = folder / 'record.jsonl'
        self.state = folder / 'state'
        self.port = free_port()
        self.url = f'http://127.0.0.1:{self.port}'
        self.env = {
            'PATH': f"{STANDINS / 'bin'}{os.pathsep}{os.environ['PATH']}",
            'STANDIN_PYTHON': sys.executable,
            'STANDIN_HOME': str(STANDINS),
            'STANDIN_RECORD': str(self.record_file),
            'STANDIN_STATE': str(self.state),
            'STANDIN_PORT': str(self.port),
            'STANDIN_OIDC_CA': idp.ca_path,
        }

    def calls(self, tool=None):
        if not self.record_file.exists():
            return []
        lines = [json.loads(line) for line in self.record_file.read_text().splitlines()]
        return [line['argv'] for line in lines if tool is None or line['tool'] == tool]

    def stop(self):
        subprocess.run([sys.executable, str(STANDINS / 'standin.py'), 'stop-all', str(self.folder)], check=False)


@pytest.fixture
def standins(tmp_path, clean_services):
    running = Standins(tmp_path / 'standins', clean_services.idp)
    running.folder.mkdir()
    yield running
    running.stop()


def changed_tasks(run):
    return [line['task'] for line in run.results if line['result'].get('changed')]


def verify_passed(run):
    return run.task(VERIFY_JUDGE)['ansible_facts']['verify_result']['passed']


def load(path):
    return yaml.safe_load(Path(path).read_text())


def fixture(name, **replace):
    text = (FIXTURES / name).read_text()
    for key, value in replace.items():
        text = text.replace(key, value)
    return yaml.safe_load(text)


def mode_of(path):
    return stat.S_IMODE(Path(path).stat().st_mode)


def oidc_settings(idp, **extra):
    return {'configure_auth_oidc_issuer': idp.issuer, 'configure_auth_oidc_client_secret': 'orchestration-secret-1',
            'configure_auth_admin_clients': [idp.clients.secret.id]} | extra


def basic_login(standins):
    return {'camunda_url': standins.url, 'camunda_auth_method': 'basic',
            'camunda_username': OPS['username'], 'camunda_password': OPS['password']}


def oidc_login(standins, connections):
    return connections.oidc() | {'camunda_url': standins.url}


# -- C8 Run ----------------------------------------------------------------------------------------------------

@pytest.fixture
def c8run(standins):
    home = standins.folder / 'c8run'
    (home / 'configuration').mkdir(parents=True)
    shutil.copy(FIXTURES / 'c8run-original-application.yaml', home / 'configuration' / 'application.yaml')
    for script in ('start.sh', 'shutdown.sh'):
        shutil.copy(STANDINS / 'c8run' / script, home / script)
    return home


def c8run_vars(c8run, method, **extra):
    return {'configure_auth_deployment': 'c8run', 'configure_auth_method': method, 'configure_auth_c8run_dir': str(c8run),
            'configure_auth_verify_wait_timeout': 20} | extra


def test_c8run_basic_then_unchanged(playbook, standins, c8run):
    settings = c8run_vars(c8run, 'basic', configure_auth_users=[OPS], configure_auth_admin_users=['ops']) | basic_login(standins)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env, diff=True).assert_ok()
    # The users the role manages move to the secrets file: the password that was in application.yaml is
    # neither kept there nor shown in the diff.
    assert 'c8run-demo-password' not in run.output
    secrets = c8run / 'configuration' / 'application-auth-secrets.yaml'
    assert load(c8run / 'configuration' / 'application.yaml') == fixture('c8run-basic-application.yaml', **{'@SECRETS@': str(secrets)})
    assert load(secrets) == fixture('c8run-basic-secrets.yaml')
    assert mode_of(secrets) == 0o600
    assert standins.calls('c8run') == [['stop'], ['start']]
    assert verify_passed(run)
    assert 'ops-password-1' not in run.output

    again = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert changed_tasks(again) == []
    assert standins.calls('c8run') == [['stop'], ['start']], 'restarted although nothing changed'
    assert verify_passed(again)


def test_c8run_check_mode_writes_nothing_and_shows_the_diff(playbook, standins, c8run, idp):
    files = [c8run / 'configuration' / 'application.yaml', c8run / 'configuration' / 'application-auth-secrets.yaml']
    # The shipped file holds a password: check mode writes nothing and shows no diff of that file.
    first = playbook(CONFIGURE, extra_vars=c8run_vars(c8run, 'basic'), env=standins.env, check=True, diff=True).assert_ok()
    assert 'holds passwords or a client secret, which move to' in first.output
    assert 'c8run-demo-password' not in first.output
    assert not files[1].exists()
    # After a real run (the password moved to the secrets file), check mode shows the diff of the next change.
    playbook(CONFIGURE, extra_vars=c8run_vars(c8run, 'basic', configure_auth_verify=False), env=standins.env).assert_ok()
    before = [path.read_bytes() for path in files]
    calls = standins.calls()
    settings = c8run_vars(c8run, 'oidc', **oidc_settings(idp))
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env, check=True, diff=True).assert_ok()
    assert [path.read_bytes() for path in files] == before
    assert standins.calls() == calls
    assert '+      method: oidc' in run.output and '-      method: basic' in run.output
    assert f'issuer-uri: {idp.issuer}' in run.output
    assert 'orchestration-secret-1' not in run.output
    # Nothing was applied, so the new expectation is not verified in check mode.
    assert not run.tasks(VERIFY_JUDGE)


def test_c8run_oidc_against_the_real_idp_then_back_to_none(playbook, standins, c8run, idp, connections):
    settings = c8run_vars(c8run, 'oidc', **oidc_settings(idp)) | oidc_login(standins, connections)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    config = load(c8run / 'configuration' / 'application.yaml')['camunda']['security']['authentication']
    assert config['method'] == 'oidc' and config['unprotected-api'] is False
    assert config['oidc'] == {'issuer-uri': idp.issuer, 'client-id': 'orchestration', 'audiences': ['orchestration-api'],
                              'username-claim': 'preferred_username', 'client-id-claim': 'client_id'}
    # The shipped demo user moved to the secrets file with the client secret.
    secrets = load(c8run / 'configuration' / 'application-auth-secrets.yaml')['camunda']['security']
    assert secrets['authentication'] == {'oidc': {'client-secret': 'orchestration-secret-1'}}
    assert [user['username'] for user in secrets['initialization']['users']] == ['demo']
    assert 'users' not in load(c8run / 'configuration' / 'application.yaml')['camunda']['security']['initialization']
    checks = {check['name']: check for check in run.task(VERIFY_JUDGE)['ansible_facts']['verify_result']['checks']}
    assert checks['auth posture']['reason'].startswith('the API refused a request without credentials')
    assert checks['credentials']['result'] == 'pass'
    assert verify_passed(run)

    none = playbook(CONFIGURE, extra_vars=c8run_vars(c8run, 'none') | {'camunda_url': standins.url}, env=standins.env).assert_ok()
    assert load(c8run / 'configuration' / 'application.yaml')['camunda']['security']['authentication']['unprotected-api'] is True
    assert verify_passed(none)
    assert standins.calls('c8run') == [['stop'], ['start']] * 2


def test_c8run_verify_failure_is_reported(playbook, standins, c8run):
    # Configured for Basic, but verify is given no credentials: the role fails in verify, naming the check.
    run = playbook(CONFIGURE, extra_vars=c8run_vars(c8run, 'basic') | {'camunda_url': standins.url}, env=standins.env)
    assert run.rc != 0
    assert 'credentials: no credentials were given (auth_method none) but basic is expected' in run.output


# -- Docker Compose ------------------------------------------------------------------------------------------------

@pytest.fixture
def compose_project(standins):
    project = standins.folder / 'compose'
    project.mkdir()
    (project / 'docker-compose.yaml').write_text('services:\n  orchestration:\n    image: camunda/camunda:8.8.0\n')
    return project


def compose_vars(project, method, **extra):
    return {'configure_auth_deployment': 'docker_compose', 'configure_auth_method': method, 'configure_auth_apply_with': 'cli',
            'configure_auth_compose_project_dir': str(project), 'configure_auth_verify_wait_timeout': 20} | extra


def test_compose_basic_then_unchanged(playbook, standins, compose_project):
    settings = compose_vars(compose_project, 'basic', configure_auth_users=[OPS], configure_auth_admin_users=['ops']) | basic_login(standins)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert load(compose_project / 'camunda-auth.compose.yaml') == fixture('compose-basic-override.yaml')
    env_file = compose_project / 'camunda-auth.env'
    lines = [line for line in env_file.read_text().splitlines() if not line.startswith('#')]
    assert lines == (FIXTURES / 'compose-basic.env').read_text().splitlines()
    assert mode_of(env_file) == 0o600
    assert standins.calls('docker') == [['compose', '--project-directory', str(compose_project), '--file=docker-compose.yaml',
                                         '--file=camunda-auth.compose.yaml', 'up', '--detach']]
    assert verify_passed(run)

    again = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert changed_tasks(again) == []
    assert len(standins.calls('docker')) == 1


def test_compose_oidc_with_diff_and_no_secret_shown(playbook, standins, compose_project, idp, connections):
    settings = compose_vars(compose_project, 'oidc', **oidc_settings(idp, configure_auth_oidc_redirect_url='https://camunda.example.com/'))
    run = playbook(CONFIGURE, extra_vars=settings | oidc_login(standins, connections), env=standins.env, diff=True).assert_ok()
    expected = fixture('compose-oidc-override.yaml', **{'@ISSUER@': idp.issuer, '@CLIENT@': idp.clients.secret.id})
    assert load(compose_project / 'camunda-auth.compose.yaml') == expected
    assert "CAMUNDA_SECURITY_AUTHENTICATION_OIDC_CLIENTSECRET='orchestration-secret-1'" in (compose_project / 'camunda-auth.env').read_text()
    assert 'CAMUNDA_SECURITY_AUTHENTICATION_OIDC_ISSUERURI' in run.output  # the override's diff is shown
    assert 'orchestration-secret-1' not in run.output
    assert verify_passed(run)


def test_compose_check_mode_on_a_fresh_project(playbook, standins, compose_project):
    run = playbook(CONFIGURE, extra_vars=compose_vars(compose_project, 'basic', configure_auth_users=[OPS]),
                   env=standins.env, check=True, diff=True).assert_ok()
    assert sorted(path.name for path in compose_project.iterdir()) == ['docker-compose.yaml']
    assert standins.calls() == []
    assert any('Write the Compose override' in task for task in changed_tasks(run))
    assert 'ops-password-1' not in run.output


# -- Helm ----------------------------------------------------------------------------------------------------------

def helm_vars(folder, method, **extra):
    return {'configure_auth_deployment': 'helm', 'configure_auth_method': method, 'configure_auth_apply_with': 'cli',
            'configure_auth_helm_values_file': str(folder / 'camunda-auth-values.yaml'),
            'configure_auth_helm_chart_version': '13.12.7', 'configure_auth_verify_wait_timeout': 20} | extra


def test_helm_basic_then_unchanged(playbook, standins):
    settings = helm_vars(standins.folder, 'basic', configure_auth_users=[OPS], configure_auth_admin_users=['ops']) | basic_login(standins)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    values, secrets = standins.folder / 'camunda-auth-values.yaml', standins.folder / 'camunda-auth-values-secrets.yaml'
    assert load(values) == fixture('helm-basic-values.yaml')
    assert load(secrets) == fixture('helm-basic-secrets.yaml')
    assert mode_of(secrets) == 0o600
    assert '# Initial users (in the secrets file): ops' in values.read_text()
    assert standins.calls('helm') == [['upgrade', 'camunda', 'camunda/camunda-platform', '--install', '--namespace=camunda',
                                       '--version=13.12.7', '--reuse-values', '--wait', '--timeout=10m',
                                       f'--values={values}', f'--values={secrets}']]
    # The stand-in cluster is the chart's default shape (3 brokers), which verify expects for helm.
    assert verify_passed(run)

    again = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert changed_tasks(again) == []
    assert len(standins.calls('helm')) == 1


def test_helm_oidc_with_an_existing_secret(playbook, standins, idp, connections):
    settings = helm_vars(standins.folder, 'oidc', configure_auth_oidc_issuer=idp.issuer,
                         configure_auth_oidc_client_secret_k8s_secret='camunda-oidc',
                         configure_auth_oidc_redirect_url='https://camunda.example.com',
                         configure_auth_admin_clients=[idp.clients.secret.id])
    run = playbook(CONFIGURE, extra_vars=settings | oidc_login(standins, connections), env=standins.env).assert_ok()
    expected = fixture('helm-oidc-values.yaml', **{'@ISSUER@': idp.issuer, '@CLIENT@': idp.clients.secret.id})
    assert load(standins.folder / 'camunda-auth-values.yaml') == expected
    assert load(standins.folder / 'camunda-auth-values-secrets.yaml') == {}, run.output
    assert verify_passed(run)


def test_helm_check_mode_writes_nothing(playbook, standins):
    run = playbook(CONFIGURE, extra_vars=helm_vars(standins.folder, 'basic', configure_auth_users=[OPS]),
                   env=standins.env, check=True, diff=True).assert_ok()
    assert not (standins.folder / 'camunda-auth-values.yaml').exists()
    assert standins.calls() == []
    assert 'unprotectedApi: false' in run.output
    assert 'ops-password-1' not in run.output


def test_helm_oidc_needs_a_client_secret(playbook, standins, idp):
    run = playbook(CONFIGURE, extra_vars=helm_vars(standins.folder, 'oidc', configure_auth_oidc_issuer=idp.issuer), env=standins.env)
    assert run.rc != 0
    assert 'on Helm a client secret' in run.output
    assert standins.calls() == []


@pytest.mark.parametrize('deployment,module', [('helm', 'kubernetes.core.helm'), ('docker_compose', 'community.docker.docker_compose_v2')])
def test_module_path_without_its_collection_fails_before_writing(playbook, standins, compose_project, deployment, module):
    settings = (helm_vars(standins.folder, 'basic') if deployment == 'helm' else compose_vars(compose_project, 'basic'))
    run = playbook(CONFIGURE, extra_vars=settings | {'configure_auth_apply_with': 'module'}, env=standins.env)
    assert run.rc != 0
    # Ansible's own message, from the preflight step that loads the apply step before anything is written.
    assert f"couldn't resolve module/action '{module}'" in run.output
    assert not (standins.folder / 'camunda-auth-values.yaml').exists()
    assert not (compose_project / 'camunda-auth.compose.yaml').exists()
