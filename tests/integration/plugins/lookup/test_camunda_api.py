# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camunda_api and camunda_token lookups through ansible-playbook, with each auth method."""

from __future__ import annotations

from pathlib import Path

import pytest

PLAYBOOKS = Path(__file__).parent / 'playbooks'


@pytest.mark.parametrize('mode', ['none', 'basic', 'oidc'])
def test_lookups_in_templates_and_conditions(connections, emulator, idp, playbook, tmp_path, mode):
    emulator.admin.set_auth(mode)
    run = playbook(
        PLAYBOOKS / 'lookups.yml', extra_vars=getattr(connections, mode)() | {'playbook_output': str(tmp_path)}
    )
    run.assert_ok()
    assert run.task('Runs only on a three-broker cluster')['msg'] == 'three brokers'
    assert (tmp_path / 'report.txt').read_text() == 'gateway 8.8.0\n'
    assert run.task('A module in the same play, with the same credentials')['healthy'] is True
    if mode == 'oidc':
        # Lookups, the module and the token lookup: one token request for the whole play.
        assert idp.token_requests(idp.clients.secret.id) == 1
        assert run.task('The uri call was accepted')['_status'] == 'ok'


def lookup_failure(playbook, variables):
    run = playbook(PLAYBOOKS / 'lookup_error.yml', extra_vars=variables)
    result = run.task('Lookup')
    assert result['_status'] == 'failed' and 'Traceback' not in run.output
    return result['msg']


def test_unknown_path_is_named(connections, playbook):
    message = lookup_failure(playbook, connections.none() | {'lookup_path': 'topologee'})
    assert "camunda_api: path 'topologee' does not exist in the API (give a path relative to /v2)" in message


def test_bad_query_is_named(connections, playbook):
    message = lookup_failure(playbook, connections.none() | {'lookup_path': 'topology', 'lookup_query': 'brokers[?'})
    assert "query 'brokers[?' is not a valid JMESPath expression" in message


def test_refused_credentials_are_explained_without_the_password(connections, emulator, playbook):
    emulator.admin.set_auth('basic')
    message = lookup_failure(playbook, connections.basic(password='Wr0ng-Passw0rd!') | {'lookup_path': 'topology'})
    assert 'the credentials were refused (401 Unauthorized, auth_method basic)' in message
    assert 'Wr0ng-Passw0rd!' not in message


def test_keyword_beats_variable_beats_environment(emulator, playbook):
    good, wrong = emulator.url, 'http://127.0.0.1:9'  # the discard port: nothing listens there
    path = {'lookup_path': 'topology', 'lookup_query': 'clusterSize'}

    def outcome(variables, env):
        run = playbook(PLAYBOOKS / 'lookup_error.yml', extra_vars=path | variables, env=env)
        results = [run.task(name) for name in ('Lookup', 'Lookup with the URL as a keyword')]
        # str(): before ansible-core 2.19, a templated debug msg is the string '3', not the integer.
        return [
            str(result.get('msg')) if result['_status'] == 'ok' else 'failed'
            for result in results
            if result['_status'] != 'skipped'
        ]

    assert outcome({}, {'CAMUNDA_REST_ADDRESS': good}) == ['3']
    assert outcome({'camunda_url': good}, {'CAMUNDA_REST_ADDRESS': wrong}) == ['3']
    assert outcome({'camunda_url': wrong, 'keyword_url': good}, {}) == ['failed', '3']


def test_sdk_environment_selects_basic_auth(emulator, playbook):
    emulator.admin.set_auth('basic')
    env = {
        'CAMUNDA_REST_ADDRESS': emulator.url + '/v2',
        'CAMUNDA_AUTH_STRATEGY': 'BASIC',
        'CAMUNDA_BASIC_AUTH_USERNAME': 'demo',
        'CAMUNDA_BASIC_AUTH_PASSWORD': emulator.basic_users['demo'],
    }
    run = playbook(
        PLAYBOOKS / 'lookup_error.yml',
        extra_vars={'lookup_path': 'authentication/me', 'lookup_query': 'username'},
        env=env,
    )
    assert run.task('Lookup')['msg'] == 'demo'
