# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The deployment stand-ins' rules (tests/support/standins/), checked directly: Spring's precedence, a Helm
release's values across upgrades, Spring's reading of Camunda's Compose files, C8 Run's start options, and the
Connectors runtime's health. The chart and Compose themselves are not modelled: the real helm and docker-compose are."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest
import requests
import yaml

# The stand-ins import each other by name: tests/support/standins is on pytest's pythonpath (pytest.ini).
import c8run
import connectors
import release_values
import spring
import standin
from emulator import EmulatorServer

STANDINS = Path(__file__).resolve().parents[1] / 'support' / 'standins'
FIXTURES = Path(__file__).resolve().parents[1] / 'integration' / 'roles' / 'fixtures' / 'configure_auth'


# -- Spring ------------------------------------------------------------------------------------------------------


def test_relaxed_names_are_one_name():
    assert (
        spring.canonical('camunda.security.authentication.unprotected-api')
        == 'CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI'
    )
    assert (
        spring.canonical('camunda.security.authentication.unprotectedApi')
        == 'CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI'
    )
    assert (
        spring.canonical('camunda.security.initialization.users[0].username')
        == 'CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME'
    )
    # A dotted YAML key is a path, as in the Compose files' `defaultRoles.admin.users:`.
    assert spring.flatten({'camunda': {'security': {'initialization': {'defaultRoles.admin.users': ['demo']}}}}) == {
        'CAMUNDA_SECURITY_INITIALIZATION_DEFAULTROLES_ADMIN_USERS_0': 'demo'
    }


def test_a_list_comes_whole_from_the_highest_source():
    files = spring.flatten(
        {
            'camunda': {
                'security': {
                    'initialization': {
                        'users': [{'username': 'demo', 'password': 'demo'}, {'username': 'other', 'password': 'o'}]
                    }
                }
            }
        }
    )
    env = {
        'CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME': 'ops',
        'CAMUNDA_SECURITY_INITIALIZATION_USERS_0_PASSWORD': 'p',
    }
    layered = spring.layer(env, files)
    assert spring.get_list(layered, 'CAMUNDA_SECURITY_INITIALIZATION_USERS') == [{'USERNAME': 'ops', 'PASSWORD': 'p'}]
    # Scalars still come key by key: the file's value stays where the higher source says nothing.
    assert spring.layer({'A_B': '1'}, {'A_B': '2', 'A_C': '3'}) == {'A_B': '1', 'A_C': '3'}


def test_placeholders_resolve_or_fail_like_spring():
    assert spring.resolve_placeholders({'X': '${SECRET}', 'Y': '${MISSING:fallback}'}, {'SECRET': 's'}) == {
        'X': 's',
        'Y': 'fallback',
    }
    with pytest.raises(spring.StandinError, match="Could not resolve placeholder 'MISSING'"):
        spring.resolve_placeholders({'X': '${MISSING}'}, {})


def test_client_method_is_detected_when_not_set():
    assert spring.client_settings({'CAMUNDA_CLIENT_AUTH_USERNAME': 'u'}, None)['auth'] == {
        'method': 'basic',
        'username': 'u',
        'password': 'demo',
    }
    assert spring.client_settings({'CAMUNDA_CLIENT_AUTH_CLIENTID': 'c'}, None)['auth']['method'] == 'oidc'
    assert spring.client_settings({}, None)['auth'] == {'method': 'none'}


# -- Helm release values (the chart itself is rendered by the real helm: test_configure_auth_upstream_chart.py) --


def test_reuse_values_keeps_earlier_lists_unless_stated_again():
    earlier = {
        'orchestration': {'security': {'initialization': {'defaultRoles': {'admin': {'clients': ['old-client']}}}}}
    }
    now = {'orchestration': {'security': {'authentication': {'method': 'oidc'}}}}
    assert (
        release_values.supplied_values(earlier, [now], reuse_values=True)['orchestration']['security']['initialization']
        == earlier['orchestration']['security']['initialization']
    )
    assert (
        'initialization'
        not in release_values.supplied_values(earlier, [now], reuse_values=False)['orchestration']['security']
    )
    stated = release_values.merge(
        now, {'orchestration': {'security': {'initialization': {'defaultRoles': {'admin': {'clients': []}}}}}}
    )
    assert release_values.supplied_values(earlier, [stated], True)['orchestration']['security']['initialization'][
        'defaultRoles'
    ]['admin'] == {'clients': []}


# -- Docker Compose -----------------------------------------------------------------------------------------------
# Compose itself is not modelled: the docker stand-in reads the real `docker-compose config` (test_configure_auth_upstream_compose.py).


@pytest.mark.parametrize('line', ['8.8', '8.9', '8.10'])
def test_upstream_lightweight_compose_files_give_basic_with_an_open_api(
    tmp_path, line, upstream_dir, docker_compose_bin
):
    """Spring's reading (spring.py) of what the real Docker Compose gives the services of Camunda's own lightweight file."""
    project = tmp_path / 'project'
    shutil.copytree(upstream_dir / 'compose' / f'camunda-{line}', project, symlinks=True)
    model = standin.compose_model(
        ['compose', '--project-directory', str(project), '--file', str(project / 'docker-compose.yaml'), 'up']
    )
    settings = spring.orchestration_settings(standin.spring_properties(model, 'orchestration'))
    assert settings['auth'] == 'none' and settings['users'] == [('demo', 'demo')]
    assert spring.client_settings(standin.spring_properties(model, 'connectors'), None)['auth'] == {'method': 'none'}


# -- C8 Run ---------------------------------------------------------------------------------------------------------


@pytest.fixture
def c8run_home(tmp_path):
    (tmp_path / 'configuration').mkdir()
    (tmp_path / 'configuration' / 'application.yaml').write_text(
        yaml.safe_dump(
            {
                'camunda': {
                    'security': {
                        'authentication': {'method': 'basic', 'unprotected-api': False},
                        'authorizations': {'enabled': True},
                        'initialization': {
                            'users': [
                                {'username': 'demo', 'password': 'demo'},
                                {'username': 'connectors', 'password': 'c'},
                            ]
                        },
                    }
                }
            }
        )
    )
    return tmp_path


def test_c8run_start_login_overrides_the_first_user_and_goes_to_connectors(c8run_home):
    started = c8run.start(c8run_home, ['--username', 'admin', '--password', 'pw'], {})
    # -D system properties for users[0] replace the files' whole list (Spring binds a list from one source).
    assert started['orchestration']['users'] == [('admin', 'pw')]
    assert started['connectors'] == {'method': 'basic', 'username': 'admin', 'password': 'pw'}
    # The default login adds no -D: the files' users stay, and Connectors gets demo/demo.
    assert c8run.start(c8run_home, [], {})['orchestration']['users'] == [('demo', 'demo'), ('connectors', 'c')]
    # Preset CAMUNDA_CLIENT_AUTH_* are not overwritten.
    preset = {'CAMUNDA_CLIENT_AUTH_USERNAME': 'connectors', 'CAMUNDA_CLIENT_AUTH_PASSWORD': 'c'}
    assert c8run.start(c8run_home, [], preset)['connectors'] == {
        'method': 'basic',
        'username': 'connectors',
        'password': 'c',
    }


def test_c8run_config_option_wins_and_an_open_api_gives_connectors_no_login(c8run_home):
    (c8run_home / 'open.yaml').write_text(
        yaml.safe_dump(
            {
                'camunda': {
                    'security': {'authentication': {'unprotected-api': True}, 'authorizations': {'enabled': False}}
                }
            }
        )
    )
    started = c8run.start(c8run_home, ['--config', 'open.yaml'], {})
    assert started['orchestration']['auth'] == 'none'
    assert started['connectors'] == {'method': 'none'}


# -- Connectors runtime -------------------------------------------------------------------------------------------------


@pytest.fixture
def emulator_with_users():
    with EmulatorServer(auth='basic', users={'connectors': 'c-pass'}) as running:
        yield running


def test_connectors_health_up_with_the_right_login_and_down_naming_the_reason(emulator_with_users):
    good = connectors.Runtime(
        {
            'rest_address': emulator_with_users.url,
            'auth': {'method': 'basic', 'username': 'connectors', 'password': 'c-pass'},
        }
    )
    health = good.health()
    assert health['status'] == 'UP'
    assert health['components']['zeebeClient'] == {
        'status': 'UP',
        'details': {'numBrokers': 3, 'anyPartitionHealthy': True},
    }
    assert set(health['components']) == {'zeebeClient', 'processDefinitionImport', 'startupCheck'}
    wrong = connectors.Runtime(
        {
            'rest_address': emulator_with_users.url,
            'auth': {'method': 'basic', 'username': 'connectors', 'password': 'wrong'},
        }
    )
    down = wrong.health('readiness')
    assert down['status'] == 'DOWN'
    assert 'Failed with code 401' in down['components']['zeebeClient']['details']['error']
    assert 'as user connectors' in down['components']['zeebeClient']['details']['error']
    assert 'wrong' not in str(down)


def test_connectors_oidc_login_against_the_test_idp(services):
    idp = services.idp
    with EmulatorServer(
        auth='oidc', oidc_issuer=idp.issuer, oidc_audiences=[idp.audience], oidc_ca_path=idp.ca_path
    ) as server:
        client = idp.clients.secret
        base = {'method': 'oidc', 'client_id': client.id, 'issuer_url': idp.issuer, 'audience': idp.audience}
        up = connectors.Runtime(
            {'rest_address': server.url, 'ca': idp.ca_path, 'auth': base | {'client_secret': client.secret}}
        )
        assert up.health()['status'] == 'UP'
        refused = connectors.Runtime(
            {'rest_address': server.url, 'ca': idp.ca_path, 'auth': base | {'client_secret': 'not-it'}}
        )
        error = refused.health()['components']['zeebeClient']['details']['error']
        assert f'the token request for client {client.id}' in error and 'HTTP 401' in error
        assert 'not-it' not in error


def test_connectors_process_serves_the_actuator_shape(tmp_path, emulator_with_users):
    import subprocess
    import json

    config = tmp_path / 'c.json'
    config.write_text(json.dumps({'rest_address': emulator_with_users.url, 'auth': {'method': 'none'}}))
    process = subprocess.Popen(
        [sys.executable, str(STANDINS / 'connectors.py'), str(config)], stdout=subprocess.PIPE, text=True
    )
    try:
        url = process.stdout.readline().strip()
        answer = requests.get(url + '/actuator/health', timeout=10)
        assert answer.status_code == 503  # basic cluster, no login: DOWN, as Spring maps it
        assert answer.json()['status'] == 'DOWN'
        assert 'no credentials' in answer.json()['components']['zeebeClient']['details']['error']
        assert requests.get(url + '/actuator/health/liveness', timeout=10).json() == {'status': 'UP'}
    finally:
        process.terminate()
        process.wait(10)
