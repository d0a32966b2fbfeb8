# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""configure_auth through playbooks/configure_auth.yml, with stand-ins for helm, docker and C8 Run.

There is no Kubernetes, Docker engine or Camunda here. tests/support/standins/ has a `helm` and a `docker`
on PATH and C8 Run start/stop scripts: each records its command line and, where the real tool would
(re)start the deployment, works out what the real chart (with its defaults, the release's earlier values and
Kubernetes Secrets from a store the test fills), Compose files or C8 Run would configure, then starts the
Camunda API emulator with that auth and the Connectors stand-in with the login the configuration gives it.
So what runs for real: the rendered files (compared with fixtures of the documented keys), idempotence,
check mode, diffs, the handlers (only on change) and the final verify step against a cluster that enforces
the new auth method (Basic users from the secrets file, OIDC against the real IdP), with Connectors logging
in to it on its own.
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
import requests
import yaml

import tools
from playbook import REPO_ROOT, SUPPORT_DIR

CONFIGURE = REPO_ROOT / 'playbooks' / 'configure_auth.yml'
FIXTURES = Path(__file__).parent / 'fixtures' / 'configure_auth'
STANDINS = SUPPORT_DIR / 'standins'
OPS = {'username': 'ops', 'password': 'ops-password-1', 'name': 'Ops User', 'email': 'ops@example.com'}
CONNECTORS_PASSWORD = 'connectors-password-1'
ORCHESTRATION_SECRET = 'orchestration-secret-1'
VERIFY_ROLE_SPECS = REPO_ROOT / 'roles' / 'verify' / 'meta' / 'argument_specs.yml'
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
        self.connectors_port = free_port()
        self.connectors_url = f'http://127.0.0.1:{self.connectors_port}'
        self.secrets_file = folder / 'kubernetes-secrets.json'
        self.env = {
            'PATH': f"{STANDINS / 'bin'}{os.pathsep}{os.environ['PATH']}",
            'STANDIN_PYTHON': sys.executable,
            'STANDIN_HOME': str(STANDINS),
            'STANDIN_RECORD': str(self.record_file),
            'STANDIN_STATE': str(self.state),
            'STANDIN_PORT': str(self.port),
            'STANDIN_OIDC_CA': idp.ca_path,
            'STANDIN_CONNECTORS_PORT': str(self.connectors_port),
            'STANDIN_SECRETS': str(self.secrets_file),
            # The helm stand-in renders Camunda's chart from here (the playbook's environment drops CAMUNDA_*).
            'CAMUNDA_UPSTREAM_DIR': str(tools.upstream_dir()),
        }

    def add_secret(self, name, **keys):
        """A Kubernetes Secret the Helm stand-in resolves existingSecret references from."""
        store = json.loads(self.secrets_file.read_text()) if self.secrets_file.exists() else {}
        store[name] = keys
        self.secrets_file.write_text(json.dumps(store))

    def started(self, name, folder=None):
        """What a stand-in started: {'pid', 'url', 'settings'} (cluster) or {'pid', 'url', 'login'} (Connectors)."""
        path = (folder or self.state) / f'{name}.pid'
        return json.loads(path.read_text()) if path.exists() else None

    def connectors_health(self):
        answer = requests.get(f'{self.connectors_url}/actuator/health', timeout=30)
        body = answer.json()
        assert answer.status_code == (200 if body['status'] == 'UP' else 503)
        return body

    def install_release(self, values, release='camunda'):
        """The release as installed before the role runs: its user-supplied values (the helm stand-in keeps them)."""
        self.state.mkdir(parents=True, exist_ok=True)
        (self.state / f'helm-{release}.values.json').write_text(json.dumps(values))

    def release_values(self, release='camunda'):
        return json.loads((self.state / f'helm-{release}.values.json').read_text())

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
    return {
        'configure_auth_oidc_issuer': idp.issuer,
        'configure_auth_oidc_client_secret': ORCHESTRATION_SECRET,
        'configure_auth_admin_clients': [idp.clients.secret.id],
    } | extra


def connectors_settings(standins, method, idp=None):
    """Connectors' login for the method (its own user, or its own client of the test IdP), and its URL for verify."""
    settings = {'configure_auth_connectors_url': standins.connectors_url}
    if method in ('basic', 'none'):
        settings['configure_auth_connectors_password'] = CONNECTORS_PASSWORD
    if method == 'oidc':
        settings |= {
            'configure_auth_connectors_client_id': idp.clients.secret.id,
            'configure_auth_connectors_client_secret': idp.clients.secret.secret,
            'configure_auth_oidc_token_url': idp.token_url,
        }
    return settings


def basic_login(standins):
    return {
        'camunda_url': standins.url,
        'camunda_auth_method': 'basic',
        'camunda_username': OPS['username'],
        'camunda_password': OPS['password'],
    }


def oidc_login(standins, connections):
    return connections.oidc() | {'camunda_url': standins.url}


def assert_no_secret_in(run, idp=None):
    secrets = [OPS['password'], CONNECTORS_PASSWORD, ORCHESTRATION_SECRET] + (
        [idp.clients.secret.secret] if idp else []
    )
    shown = [secret for secret in secrets if secret in run.output]
    assert not shown, f'secrets in the output: {shown}'


def verify_checks_connectors():
    """Whether the verify role has the Connectors check (verify_connectors_url); it lands from another branch."""
    return VERIFY_ROLE_SPECS.exists() and 'verify_connectors_url' in VERIFY_ROLE_SPECS.read_text()


def assert_connectors_up(standins, login, folder=None, name='compose'):
    health = standins.connectors_health()
    assert health['status'] == 'UP', health
    assert health['components']['zeebeClient']['details']['anyPartitionHealthy'] is True
    assert standins.started(f'{name}-connectors', folder)['login'] == login


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
    return {
        'configure_auth_deployment': 'c8run',
        'configure_auth_method': method,
        'configure_auth_c8run_dir': str(c8run),
        'configure_auth_verify_wait_timeout': 20,
    } | extra


def test_c8run_basic_then_unchanged(playbook, standins, c8run):
    settings = (
        c8run_vars(c8run, 'basic', configure_auth_users=[OPS], configure_auth_admin_users=['ops'])
        | basic_login(standins)
        | connectors_settings(standins, 'basic')
    )
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env, diff=True, verbosity=4).assert_ok()
    # The users the role manages move to the secrets file: the password that was in application.yaml is
    # neither kept there nor shown in the diff.
    assert 'c8run-demo-password' not in run.output
    assert_no_secret_in(run)
    secrets = c8run / 'configuration' / 'application-auth-secrets.yaml'
    assert load(c8run / 'configuration' / 'application.yaml') == fixture(
        'c8run-basic-application.yaml', **{'@SECRETS@': str(secrets)}
    )
    assert load(secrets) == fixture('c8run-basic-secrets.yaml')
    assert mode_of(secrets) == 0o600
    env_file = c8run / 'configuration' / 'connectors-auth.env'
    assert mode_of(env_file) == 0o600
    assert [line for line in env_file.read_text().splitlines() if not line.startswith('#')] == [
        "CAMUNDA_CLIENT_AUTH_METHOD='basic'",
        "CAMUNDA_CLIENT_AUTH_USERNAME='connectors'",
        f"CAMUNDA_CLIENT_AUTH_PASSWORD='{CONNECTORS_PASSWORD}'",
    ]
    assert standins.calls('c8run') == [['stop'], ['start']]
    # C8 Run would hand Connectors its start login (demo/demo); the settings the role gave start.sh win.
    assert_connectors_up(standins, {'method': 'basic', 'username': 'connectors'}, c8run, 'c8run')
    assert verify_passed(run)

    again = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert changed_tasks(again) == []
    assert standins.calls('c8run') == [['stop'], ['start']], 'restarted although nothing changed'
    assert verify_passed(again)


def test_c8run_check_mode_writes_nothing_and_shows_the_diff(playbook, standins, c8run, idp):
    files = [c8run / 'configuration' / 'application.yaml', c8run / 'configuration' / 'application-auth-secrets.yaml']
    # The shipped file holds a password: check mode writes nothing and shows no diff of that file.
    first = playbook(
        CONFIGURE,
        extra_vars=c8run_vars(c8run, 'basic') | connectors_settings(standins, 'basic'),
        env=standins.env,
        check=True,
        diff=True,
    ).assert_ok()
    assert 'holds passwords or a client secret, which move to' in first.output
    assert 'c8run-demo-password' not in first.output
    assert not files[1].exists()
    # After a real run (the password moved to the secrets file), check mode shows the diff of the next change.
    playbook(
        CONFIGURE,
        extra_vars=c8run_vars(c8run, 'basic', configure_auth_verify=False) | connectors_settings(standins, 'basic'),
        env=standins.env,
    ).assert_ok()
    before = [path.read_bytes() for path in files]
    calls = standins.calls()
    settings = c8run_vars(c8run, 'oidc', **oidc_settings(idp)) | connectors_settings(standins, 'oidc', idp)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env, check=True, diff=True).assert_ok()
    assert [path.read_bytes() for path in files] == before
    assert standins.calls() == calls
    assert '+      method: oidc' in run.output and '-      method: basic' in run.output
    assert f'issuer-uri: {idp.issuer}' in run.output
    assert_no_secret_in(run, idp)
    # Nothing was applied, so the new expectation is not verified in check mode.
    assert not run.tasks(VERIFY_JUDGE)


def test_c8run_oidc_against_the_real_idp_then_back_to_none(playbook, standins, c8run, idp, connections):
    settings = (
        c8run_vars(c8run, 'oidc', **oidc_settings(idp))
        | oidc_login(standins, connections)
        | connectors_settings(standins, 'oidc', idp)
    )
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    config = load(c8run / 'configuration' / 'application.yaml')['camunda']['security']
    assert config['authentication']['method'] == 'oidc' and config['authentication']['unprotected-api'] is False
    assert config['authentication']['oidc'] == {
        'issuer-uri': idp.issuer,
        'client-id': 'orchestration',
        'audiences': ['orchestration-api'],
        'token-uri': idp.token_url,
        'username-claim': 'preferred_username',
        'client-id-claim': 'client_id',
    }
    assert config['initialization']['defaultRoles']['connectors'] == {'clients': [idp.clients.secret.id]}
    # The shipped demo user moved to the secrets file with the client secret.
    secrets = load(c8run / 'configuration' / 'application-auth-secrets.yaml')['camunda']['security']
    assert secrets['authentication'] == {'oidc': {'client-secret': ORCHESTRATION_SECRET}}
    assert [user['username'] for user in secrets['initialization']['users']] == ['demo']
    assert 'users' not in config['initialization']
    checks = {check['name']: check for check in run.task(VERIFY_JUDGE)['ansible_facts']['verify_result']['checks']}
    assert checks['auth posture']['reason'].startswith('the API refused a request without credentials')
    assert checks['credentials']['result'] == 'pass'
    assert verify_passed(run)
    # Connectors gets a token for its own client from the IdP (C8 Run's demo/demo is ignored with method oidc).
    assert_connectors_up(
        standins,
        {
            'method': 'oidc',
            'client_id': idp.clients.secret.id,
            'token_url': idp.token_url,
            'issuer_url': None,
            'audience': 'orchestration-api',
            'scope': None,
        },
        c8run,
        'c8run',
    )
    assert standins.started('c8run', c8run)['settings']['audiences'] == ['orchestration-api']

    none = playbook(
        CONFIGURE,
        extra_vars=c8run_vars(c8run, 'none') | {'camunda_url': standins.url} | connectors_settings(standins, 'none'),
        env=standins.env,
    ).assert_ok()
    assert (
        load(c8run / 'configuration' / 'application.yaml')['camunda']['security']['authentication']['unprotected-api']
        is True
    )
    assert verify_passed(none)
    assert_connectors_up(standins, {'method': 'none'}, c8run, 'c8run')
    assert standins.calls('c8run') == [['stop'], ['start']] * 2


def test_c8run_verify_failure_is_reported(playbook, standins, c8run):
    # Configured for Basic, but verify is given no credentials: the role fails in verify, naming the check.
    run = playbook(
        CONFIGURE,
        extra_vars=c8run_vars(c8run, 'basic') | {'camunda_url': standins.url} | connectors_settings(standins, 'basic'),
        env=standins.env,
    )
    assert run.rc != 0
    assert 'credentials: no credentials were given (auth_method none) but basic is expected' in run.output


def test_c8run_switch_without_connectors_breaks_connectors_visibly(playbook, standins, c8run):
    # The role told to leave Connectors alone: C8 Run hands Connectors its start login (demo/demo), but the user list
    # the role writes no longer has demo. Connectors' health says DOWN and why.
    settings = c8run_vars(
        c8run,
        'basic',
        configure_auth_users=[OPS],
        configure_auth_connectors_enabled=False,
        configure_auth_connectors_url=standins.connectors_url,
    ) | basic_login(standins)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env)
    health = standins.connectors_health()
    assert health['status'] == 'DOWN'
    assert 'Failed with code 401' in health['components']['zeebeClient']['details']['error']
    assert 'as user demo' in health['components']['zeebeClient']['details']['error']
    if verify_checks_connectors():  # the verify role's Connectors check (another branch) turns this into a failed run
        assert run.rc != 0
        assert 'the Connectors runtime is DOWN: component zeebeClient is DOWN' in run.output
    else:
        run.assert_ok()


# -- Docker Compose ------------------------------------------------------------------------------------------------


@pytest.fixture(params=['8.9'])
def compose_project(standins, request):
    """A project in the shape of Camunda's lightweight Compose files of that version."""
    project = standins.folder / 'compose'
    shutil.copytree(FIXTURES / f'compose-{request.param}', project)
    return project


def compose_vars(project, method, **extra):
    return {
        'configure_auth_deployment': 'docker_compose',
        'configure_auth_method': method,
        'configure_auth_apply_with': 'cli',
        'configure_auth_compose_project_dir': str(project),
        'configure_auth_verify_wait_timeout': 20,
    } | extra


def test_compose_basic_then_unchanged(playbook, standins, compose_project):
    settings = (
        compose_vars(compose_project, 'basic', configure_auth_users=[OPS], configure_auth_admin_users=['ops'])
        | basic_login(standins)
        | connectors_settings(standins, 'basic')
    )
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env, verbosity=4).assert_ok()
    assert_no_secret_in(run)
    assert load(compose_project / 'camunda-auth.compose.yaml') == fixture('compose-basic-override.yaml')
    env_file = compose_project / 'camunda-auth.env'
    lines = [line for line in env_file.read_text().splitlines() if not line.startswith('#')]
    assert lines == (FIXTURES / 'compose-basic.env').read_text().splitlines()
    assert mode_of(env_file) == 0o600
    assert mode_of(compose_project / 'camunda-auth-connectors.env') == 0o600
    assert standins.calls('docker') == [
        [
            'compose',
            '--project-directory',
            str(compose_project),
            '--file=docker-compose.yaml',
            '--file=camunda-auth.compose.yaml',
            'up',
            '--detach',
        ]
    ]
    # The environment's user list replaces the application.yaml's (demo) entirely, as Spring binds lists.
    assert standins.started('compose')['settings']['users'] == [
        ['connectors', CONNECTORS_PASSWORD],
        ['ops', OPS['password']],
    ]
    assert_connectors_up(standins, {'method': 'basic', 'username': 'connectors'})
    assert verify_passed(run)

    again = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert changed_tasks(again) == []
    assert len(standins.calls('docker')) == 1


@pytest.mark.parametrize('compose_project', ['8.8'], indirect=True)
def test_compose_oidc_with_diff_and_no_secret_shown_then_none(playbook, standins, compose_project, idp, connections):
    settings = compose_vars(
        compose_project, 'oidc', **oidc_settings(idp, configure_auth_oidc_redirect_url='https://camunda.example.com/')
    ) | connectors_settings(standins, 'oidc', idp)
    run = playbook(
        CONFIGURE, extra_vars=settings | oidc_login(standins, connections), env=standins.env, diff=True
    ).assert_ok()
    expected = fixture(
        'compose-oidc-override.yaml',
        **{'@ISSUER@': idp.issuer, '@CLIENT@': idp.clients.secret.id, '@TOKEN@': idp.token_url},
    )
    assert load(compose_project / 'camunda-auth.compose.yaml') == expected
    assert (
        f"CAMUNDA_SECURITY_AUTHENTICATION_OIDC_CLIENTSECRET='{ORCHESTRATION_SECRET}'"
        in (compose_project / 'camunda-auth.env').read_text()
    )
    assert (
        f"CAMUNDA_CLIENT_AUTH_CLIENTSECRET='{idp.clients.secret.secret}'"
        in (compose_project / 'camunda-auth-connectors.env').read_text()
    )
    assert 'CAMUNDA_SECURITY_AUTHENTICATION_OIDC_ISSUERURI' in run.output  # the override's diff is shown
    assert_no_secret_in(run, idp)
    assert verify_passed(run)
    # Compose states the audience and the extras only (the Helm chart adds the client id and web-modeler-api).
    assert standins.started('compose')['settings']['audiences'] == ['orchestration-api']
    assert_connectors_up(
        standins,
        {
            'method': 'oidc',
            'client_id': idp.clients.secret.id,
            'token_url': idp.token_url,
            'issuer_url': None,
            'audience': 'orchestration-api',
            'scope': None,
        },
    )

    none = playbook(
        CONFIGURE,
        extra_vars=compose_vars(compose_project, 'none')
        | {'camunda_url': standins.url}
        | connectors_settings(standins, 'none'),
        env=standins.env,
    ).assert_ok()
    assert verify_passed(none)
    assert_connectors_up(standins, {'method': 'none'})


def test_compose_check_mode_on_a_fresh_project(playbook, standins, compose_project):
    before = sorted(path.name for path in compose_project.iterdir())
    run = playbook(
        CONFIGURE,
        extra_vars=compose_vars(compose_project, 'basic', configure_auth_users=[OPS])
        | connectors_settings(standins, 'basic'),
        env=standins.env,
        check=True,
        diff=True,
    ).assert_ok()
    assert sorted(path.name for path in compose_project.iterdir()) == before
    assert standins.calls() == []
    assert any('Write the Compose override' in task for task in changed_tasks(run))
    assert_no_secret_in(run)


# -- Helm ----------------------------------------------------------------------------------------------------------


def helm_vars(folder, method, **extra):
    return {
        'configure_auth_deployment': 'helm',
        'configure_auth_method': method,
        'configure_auth_apply_with': 'cli',
        'configure_auth_helm_values_file': str(folder / 'camunda-auth-values.yaml'),
        'configure_auth_helm_chart_version': '13.12.7',
        'configure_auth_verify_wait_timeout': 20,
    } | extra


@pytest.mark.usefixtures('helm_bin', 'upstream_dir')  # the helm stand-in renders the real chart
def test_helm_basic_then_unchanged(playbook, standins):
    settings = (
        helm_vars(standins.folder, 'basic', configure_auth_users=[OPS], configure_auth_admin_users=['ops'])
        | basic_login(standins)
        | connectors_settings(standins, 'basic')
    )
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env, verbosity=4).assert_ok()
    assert_no_secret_in(run)
    values, secrets = standins.folder / 'camunda-auth-values.yaml', standins.folder / 'camunda-auth-values-secrets.yaml'
    assert load(values) == fixture('helm-basic-values.yaml')
    assert load(secrets) == fixture('helm-basic-secrets.yaml')
    assert mode_of(secrets) == 0o600
    assert '# Initial users (in the secrets file): connectors, ops' in values.read_text()
    assert standins.calls('helm') == [
        [
            'upgrade',
            'camunda',
            'camunda/camunda-platform',
            '--install',
            '--namespace=camunda',
            '--version=13.12.7',
            '--reuse-values',
            '--wait',
            '--timeout=10m',
            f'--values={values}',
            f'--values={secrets}',
        ]
    ]
    # The chart logs Connectors in as the first initial user: the dedicated one, not the admin (whose password
    # would otherwise sit in the Connectors ConfigMap).
    assert_connectors_up(standins, {'method': 'basic', 'username': 'connectors'}, name='helm-camunda')
    # The stand-in cluster is the chart's default shape (3 brokers), which verify expects for helm.
    assert verify_passed(run)

    again = playbook(CONFIGURE, extra_vars=settings, env=standins.env).assert_ok()
    assert changed_tasks(again) == []
    assert len(standins.calls('helm')) == 1


@pytest.mark.usefixtures('helm_bin', 'upstream_dir')  # the helm stand-in renders the real chart
def test_helm_oidc_with_existing_secrets_needs_them_in_the_cluster(playbook, standins, idp, connections):
    settings = helm_vars(
        standins.folder,
        'oidc',
        configure_auth_oidc_issuer=idp.issuer,
        configure_auth_oidc_client_secret_k8s_secret='camunda-oidc',
        configure_auth_connectors_client_secret_k8s_secret='camunda-connectors',
        configure_auth_oidc_redirect_url='https://camunda.example.com/',
        configure_auth_admin_clients=[idp.clients.secret.id],
    ) | connectors_settings(standins, 'oidc', idp)
    del settings['configure_auth_connectors_client_secret']
    # The Secrets do not exist yet: the upgrade fails (helm --wait), naming the Secret, and nothing runs.
    missing = playbook(CONFIGURE, extra_vars=settings | oidc_login(standins, connections), env=standins.env)
    assert missing.rc != 0
    assert 'secret \\"camunda-oidc\\" not found' in missing.output
    assert standins.started('helm-camunda') is None
    # The values were written but not applied: the file is removed, so that the next run applies them again.
    assert 'was removed, so that the next run writes and applies the settings again' in missing.output
    assert not (standins.folder / 'camunda-auth-values.yaml').exists()

    standins.add_secret('camunda-oidc', **{'client-secret': ORCHESTRATION_SECRET})
    standins.add_secret('camunda-connectors', **{'client-secret': idp.clients.secret.secret})
    run = playbook(CONFIGURE, extra_vars=settings | oidc_login(standins, connections), env=standins.env).assert_ok()
    expected = fixture(
        'helm-oidc-values.yaml', **{'@ISSUER@': idp.issuer, '@CLIENT@': idp.clients.secret.id, '@TOKEN@': idp.token_url}
    )
    assert load(standins.folder / 'camunda-auth-values.yaml') == expected
    assert load(standins.folder / 'camunda-auth-values-secrets.yaml') == {
        'orchestration': {'security': {'initialization': {'users': []}}}
    }
    cluster = standins.started('helm-camunda')['settings']
    # The chart appends /sso-callback to redirectUrl: a trailing slash would give //sso-callback.
    assert cluster['redirect_uri'] == 'https://camunda.example.com/sso-callback'
    # The chart accepts the client id and web-modeler-api as audiences too (Compose and C8 Run: as configured).
    assert cluster['audiences'] == ['orchestration', 'orchestration-api', 'web-modeler-api']
    # Chart 13.x (8.8) gives Connectors the token URL, never the issuer.
    assert_connectors_up(
        standins,
        {
            'method': 'oidc',
            'client_id': idp.clients.secret.id,
            'token_url': idp.token_url,
            'issuer_url': None,
            'audience': 'orchestration-api',
            'scope': None,
        },
        name='helm-camunda',
    )
    assert verify_passed(run)
    assert_no_secret_in(run, idp)


@pytest.mark.usefixtures('helm_bin', 'upstream_dir')  # the helm stand-in renders the real chart
def test_helm_switches_with_reuse_values_keep_no_earlier_lists(playbook, standins, idp, connections):
    # The 8.9 chart renders only with a secondary storage type, which the release was installed with.
    standins.install_release({'orchestration': {'data': {'secondaryStorage': {'type': 'elasticsearch'}}}})
    basic = (
        helm_vars(standins.folder, 'basic', configure_auth_users=[OPS], configure_auth_helm_chart_version='14.8.4')
        | basic_login(standins)
        | connectors_settings(standins, 'basic')
    )
    playbook(CONFIGURE, extra_vars=basic, env=standins.env).assert_ok()

    oidc = (
        helm_vars(standins.folder, 'oidc', configure_auth_helm_chart_version='14.8.4', **oidc_settings(idp))
        | oidc_login(standins, connections)
        | connectors_settings(standins, 'oidc', idp)
    )
    run = playbook(CONFIGURE, extra_vars=oidc, env=standins.env).assert_ok()
    assert verify_passed(run)
    release = standins.release_values()['orchestration']['security']
    assert release['initialization']['users'] == [], 'the users (and passwords) of the basic run stayed in the release'
    # Chart 14.x (8.9) gives Connectors the issuer; it finds the token endpoint by discovery.
    assert_connectors_up(
        standins,
        {
            'method': 'oidc',
            'client_id': idp.clients.secret.id,
            'issuer_url': idp.issuer,
            'token_url': None,
            'audience': 'orchestration-api',
            'scope': None,
        },
        name='helm-camunda',
    )

    none = (
        helm_vars(standins.folder, 'none', configure_auth_helm_chart_version='14.8.4', configure_auth_users=[OPS])
        | {'camunda_url': standins.url}
        | connectors_settings(standins, 'none')
    )
    run = playbook(CONFIGURE, extra_vars=none, env=standins.env).assert_ok()
    assert verify_passed(run)
    roles = standins.release_values()['orchestration']['security']['initialization']['defaultRoles']
    assert roles['admin'] == {'users': ['demo'], 'clients': []}, (
        'the admin client of the oidc run stayed in the release'
    )
    assert_connectors_up(standins, {'method': 'basic', 'username': 'connectors'}, name='helm-camunda')
    assert len(standins.calls('helm')) == 3


@pytest.mark.usefixtures('helm_bin', 'upstream_dir')  # the helm stand-in renders the real chart
def test_helm_switch_without_connectors_breaks_connectors_visibly(playbook, standins, idp, connections):
    # The role told to leave Connectors alone on an OIDC switch: the chart's Connectors keep the global method
    # (basic) and are refused. Their health says DOWN and why.
    settings = helm_vars(
        standins.folder,
        'oidc',
        configure_auth_connectors_enabled=False,
        configure_auth_connectors_url=standins.connectors_url,
        **oidc_settings(idp),
    ) | oidc_login(standins, connections)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env)
    health = standins.connectors_health()
    assert health['status'] == 'DOWN'
    assert 'Failed with code 401' in health['components']['zeebeClient']['details']['error']
    assert 'as user connectors' in health['components']['zeebeClient']['details']['error']
    if verify_checks_connectors():  # the verify role's Connectors check (another branch) turns this into a failed run
        assert run.rc != 0
        assert 'the Connectors runtime is DOWN: component zeebeClient is DOWN' in run.output
    else:
        run.assert_ok()


def test_helm_check_mode_writes_nothing(playbook, standins):
    run = playbook(
        CONFIGURE,
        extra_vars=helm_vars(standins.folder, 'basic', configure_auth_users=[OPS])
        | connectors_settings(standins, 'basic'),
        env=standins.env,
        check=True,
        diff=True,
    ).assert_ok()
    assert not (standins.folder / 'camunda-auth-values.yaml').exists()
    assert standins.calls() == []
    assert 'unprotectedApi: false' in run.output
    assert_no_secret_in(run)


@pytest.mark.parametrize(
    'method,extra,message',
    [
        ('oidc', {}, 'on Helm a client secret'),
        ('basic', {}, 'Basic needs configure_auth_connectors_password'),
        ('oidc', {'configure_auth_oidc_client_secret': 'x'}, 'OIDC needs configure_auth_connectors_client_secret'),
    ],
)
def test_helm_settings_that_cannot_work_are_refused_before_writing(playbook, standins, idp, method, extra, message):
    settings = helm_vars(standins.folder, method, configure_auth_oidc_issuer=idp.issuer, **extra)
    run = playbook(CONFIGURE, extra_vars=settings, env=standins.env)
    assert run.rc != 0
    assert message in run.output
    assert standins.calls() == []
    assert not (standins.folder / 'camunda-auth-values.yaml').exists()


@pytest.mark.parametrize(
    'deployment,module', [('helm', 'kubernetes.core.helm'), ('docker_compose', 'community.docker.docker_compose_v2')]
)
def test_module_path_without_its_collection_fails_before_writing(
    playbook, standins, compose_project, deployment, module
):
    settings = helm_vars(standins.folder, 'basic') if deployment == 'helm' else compose_vars(compose_project, 'basic')
    run = playbook(
        CONFIGURE,
        extra_vars=settings
        | {'configure_auth_apply_with': 'module', 'configure_auth_users': [OPS]}
        | connectors_settings(standins, 'basic'),
        env=standins.env,
    )
    assert run.rc != 0
    # Ansible's own message, from the preflight step that loads the apply step before anything is written.
    assert f"couldn't resolve module/action '{module}'" in run.output
    assert not (standins.folder / 'camunda-auth-values.yaml').exists()
    assert not (compose_project / 'camunda-auth.compose.yaml').exists()
