# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each API module gives the same result in the controller (action plugin) and as a module on the target.

One row per module in CASES: the arguments of a normal run and of a failing one. A new module adds
its row here.
"""

from __future__ import annotations

import json
import shutil

import pytest

# Fields that differ between two runs whatever the path: times and tokens.
VOLATILE = {'expires_in', 'expires_at', 'access_token'}
# Hidden results (camunda_token) are compared through this projection of their non-secret fields.
PROJECTION = "{{ result | dict2items | rejectattr('key', 'in', ['access_token']) | items2dict }}"


def demo_login(services):
    return dict(auth_method='basic', username='demo', password=services.emulator.basic_users['demo'])


def identity_case(**entity):
    """A create with Basic auth (check mode then sees no change), and the same with a refused password."""
    return dict(
        normal=lambda s: dict(url=s.emulator.url, **entity),
        failing=lambda s: dict(
            url=s.emulator.url, auth_method='basic', username='demo', password='Not-It-123', **entity
        ),
        setup=lambda s: s.emulator.admin.set_auth('basic'),
        normal_auth=demo_login,
    )


CASES = {
    'camunda_topology': dict(
        normal=lambda s: dict(url=s.emulator.url, expected_cluster_size=3, query='partitionsCount'),
        failing=lambda s: dict(url=s.emulator.url, auth_method='basic', username='demo', password='Not-It-123'),
        setup=lambda s: s.emulator.admin.set_auth('basic'),
        normal_auth=demo_login,
    ),
    'camunda_cluster_info': dict(
        # A probe: refused credentials are a finding, not a failure; a URL that is not one fails.
        normal=lambda s: dict(url=s.emulator.url),
        failing=lambda s: dict(url='camunda.example.com:8080'),
        setup=lambda s: s.emulator.admin.set_auth('basic'),
        normal_auth=demo_login,
    ),
    'camunda_user': identity_case(
        user='paths-user', user_password='Paths-Passw0rd', name='Paths User', email='p@example.com'
    ),
    'camunda_group': identity_case(group_id='paths-group', name='Paths', users=['demo']),
    'camunda_role': identity_case(role_id='paths-role', name='Paths', users=['demo'], members_state='exact'),
    'camunda_tenant': identity_case(tenant_id='paths-tenant', name='Paths', users=['demo']),
    'camunda_mapping_rule': identity_case(mapping_rule_id='paths-rule', claim_name='client_id', claim_value='paths'),
    'camunda_authorization': identity_case(
        owner_type='USER',
        owner_id='demo',
        resource_type='PROCESS_DEFINITION',
        resource_id='*',
        permission_types=['READ_PROCESS_DEFINITION'],
    ),
    'camunda_token': dict(
        normal=lambda s: dict(
            token_url=s.idp.token_url,
            client_id=s.idp.clients.secret.id,
            client_secret=s.idp.clients.secret.secret,
            token_ca_path=s.idp.ca_path,
        ),
        failing=lambda s: dict(
            token_url=s.idp.token_url,
            client_id=s.idp.clients.secret.id,
            client_secret='Not-It-123',
            token_ca_path=s.idp.ca_path,
        ),
    ),
}


def playbook_text(module, args_normal, args_failing):
    def task(name, args, extra=''):
        return (
            f'    - name: {name}\n      community.camunda.{module}: {json.dumps(args)}\n'
            f'      register: result\n      ignore_errors: true\n{extra}'
            f'    - name: {name} (fields)\n      ansible.builtin.debug:\n        msg: "{PROJECTION}"\n'
        )

    return (
        '---\n- name: Both paths\n  hosts: all\n  gather_facts: false\n  tasks:\n'
        + task('Normal', args_normal)
        + task('Check mode', args_normal, '      check_mode: true\n')
        + task('Failing', args_failing)
    )


def run_both_ways(services, playbook, tmp_path, module):
    case = CASES[module]
    normal = case['normal'](services) | case.get('normal_auth', lambda s: {})(services)
    path = tmp_path / f'{module}.yml'
    path.write_text(playbook_text(module, normal, case['failing'](services)), encoding='utf-8')
    runs = {}
    for in_controller in (True, False):
        services.reset()
        shutil.rmtree(tmp_path / 'run' / 'cache', ignore_errors=True)  # each path starts without a cached token
        case.get('setup', lambda s: None)(services)
        runs[in_controller] = playbook(path, verbosity=3, extra_vars={'camunda_run_in_controller': in_controller})
    return runs


def fields(run, name):
    result = dict(run.task(f'{name} (fields)')['msg'])
    return {key: value for key, value in result.items() if key not in VOLATILE}


@pytest.mark.parametrize('module', sorted(CASES))
def test_both_paths_give_the_same_results(services, playbook, tmp_path, module):
    runs = run_both_ways(services, playbook, tmp_path, module)
    for name in ('Normal', 'Check mode', 'Failing'):
        in_controller, as_module = fields(runs[True], name), fields(runs[False], name)
        assert in_controller == as_module, name
    assert fields(runs[True], 'Failing')['failed'] is True
    assert fields(runs[True], 'Normal')['failed'] is False
    # The paths really differ: only the module path ships a module to the target.
    assert 'AnsiballZ_' not in runs[True].output
    assert f'AnsiballZ_{module}.py' in runs[False].output


ENVIRONMENT_PLAYBOOK = '''---
- name: Connection from the task's environment only
  hosts: all
  gather_facts: false
  tasks:
    - name: Topology
      community.camunda.camunda_topology:
        query: clusterSize
      environment:
        CAMUNDA_REST_ADDRESS: "{{ address }}"
        CAMUNDA_AUTH_STRATEGY: BASIC
        CAMUNDA_BASIC_AUTH_USERNAME: demo
        CAMUNDA_BASIC_AUTH_PASSWORD: "{{ password }}"
'''


@pytest.mark.parametrize('in_controller', [True, False], ids=['controller', 'module'])
def test_task_environment_supplies_the_connection_on_both_paths(emulator, playbook, tmp_path, in_controller):
    emulator.admin.set_auth('basic')
    path = tmp_path / 'environment.yml'
    path.write_text(ENVIRONMENT_PLAYBOOK, encoding='utf-8')
    run = playbook(
        path,
        extra_vars={
            'address': emulator.url + '/v2',
            'password': emulator.basic_users['demo'],
            'camunda_run_in_controller': in_controller,
        },
    )
    result = run.task('Topology')
    assert result['query_result'] == 3
    assert result['invocation']['module_args']['auth_method'] == 'basic'
    assert result['invocation']['module_args']['password'] == 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'


ROUTING_PLAYBOOK = '''---
- name: Short names through the collections keyword, connection from the action group's module_defaults
  hosts: all
  gather_facts: false
  collections:
    - community.camunda
  module_defaults:
    group/community.camunda.camunda:
      url: "{{ address }}"
  tasks:
    - name: Topology
      camunda_topology:
        query: clusterSize
    - name: Cluster info
      community.camunda.camunda_cluster_info:
'''


def test_every_module_is_routed_to_the_one_action_plugin(emulator, playbook, tmp_path):
    # meta/runtime.yml routes the modules to community.camunda.camunda_topology; module_defaults of the
    # action group and short names must still reach them (on every supported ansible-core: make test-matrix).
    path = tmp_path / 'routing.yml'
    path.write_text(ROUTING_PLAYBOOK, encoding='utf-8')
    run = playbook(path, verbosity=3, extra_vars={'address': emulator.url}).assert_ok()
    assert run.task('Topology')['query_result'] == 3
    assert run.task('Cluster info')['invocation']['module_args']['url'] == emulator.url
    assert 'AnsiballZ_' not in run.output
