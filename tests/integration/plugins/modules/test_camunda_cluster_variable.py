# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_cluster_variable through ansible-playbook against the emulator (an 8.9 cluster, and an 8.8 one)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from emulator.testing import Api
from identity_support import step

SECRET_VALUE = 'partner-endpoint-9f3b7c'


def cv(**args):
    return step('cluster_variable', **args)


@pytest.fixture
def cluster89(identity):
    identity.emulator.admin.set_cluster(version='8.9.0')
    connected = identity.connect('basic')
    api = Api(identity.emulator.url, auth=('demo', 'demo'))
    assert api.post('tenants', json={'tenantId': 'finance', 'name': 'Finance'}).status_code == 201
    yield connected, api
    api.close()


def scopes(api):
    """{(scope, tenant): {name: value}} as the emulator holds them."""
    found = {}
    for item in api.post('cluster-variables/search?truncateValues=false', json={}).json()['items']:
        found.setdefault((item['scope'], item['tenantId']), {})[item['name']] = json.loads(item['value'])
    return found


def cluster_variable_writes(admin):
    return sum(admin.request_count(method=method) for method in ('PUT', 'DELETE')) + sum(
        admin.request_count(path, 'POST')
        for path in (
            '/v2/cluster-variables/global',
            '/v2/cluster-variables/tenants/finance',
            '/v2/cluster-variables/tenants/%3Cdefault%3E',
        )
    )


def test_create_rerun_update_exclusive_and_remove(cluster89):
    connected, api = cluster89
    for path, name in (('global', 'STRAY'), ('tenants/<default>', 'TENANT_ONLY'), ('tenants/finance', 'OTHER')):
        assert api.post(f'cluster-variables/{path}', json={'name': name, 'value': 1}).status_code == 200
    run = connected.run(
        cv(name='API', value={'base': 'https://x', 'timeout': 5}),
        cv(
            name='API', value={'timeout': 5.0, 'base': 'https://x'}
        ),  # the same JSON value: key order and 5.0 do not matter
        cv(name='API', value={'base': 'https://y'}),
        cv(variables={'API': {'base': 'https://y'}, 'FLAG': True, 'LIMIT': 10}, exclusive=True),
        cv(variables={'API': {'base': 'https://y'}, 'FLAG': True, 'LIMIT': 10}, exclusive=True),
        cv(tenant_id='<default>', variables={'FLAG': False, 'NOTHING': None}),
        cv(name='API', state='absent'),
        cv(name='API', state='absent'),
        cv(variables={'LIMIT': 0}, state='absent'),
    )
    assert run.changed() == [True, False, True, True, False, True, True, False, True]
    assert run[0]['created'] == ['API'] and run[0]['variable'] == {
        'name': 'API',
        'value': {'base': 'https://x', 'timeout': 5},
        'scope': 'GLOBAL',
        'tenantId': None,
    }
    assert run[2]['updated'] == ['API'] and run[2]['variable']['value'] == {'base': 'https://y'}
    assert (run[3]['created'], run[3]['updated'], run[3]['removed']) == (['FLAG', 'LIMIT'], [], ['STRAY'])
    assert run[3]['variables'] == {'API': {'base': 'https://y'}, 'FLAG': True, 'LIMIT': 10}
    assert run[5]['scope'] == 'TENANT' and run[5]['variables'] == {'FLAG': False, 'NOTHING': None}
    assert run[6]['removed'] == ['API'] and run[6]['variable'] == {}
    assert run[8]['removed'] == ['LIMIT']
    assert scopes(api) == {
        ('GLOBAL', None): {'FLAG': True},
        ('TENANT', '<default>'): {'TENANT_ONLY': 1, 'FLAG': False, 'NOTHING': None},
        ('TENANT', 'finance'): {'OTHER': 1},  # exclusive in the global scope touched no tenant
    }


def test_check_and_diff_predict_and_write_nothing(cluster89):
    connected, api = cluster89
    api.post('cluster-variables/tenants/finance', json={'name': 'OTHER', 'value': {'a': 1}})
    api.post('cluster-variables/global', json={'name': 'KEEP', 'value': 'same'})
    admin = connected.emulator.admin
    before, writes = scopes(api), cluster_variable_writes(admin)
    run = connected.run(
        cv(name='NEW', value=[1, 2]),
        cv(tenant_id='finance', variables={'FRESH': 'f'}, exclusive=True),
        cv(name='KEEP', value='same'),
        check=True,
        diff=True,
    )
    assert run.changed() == [True, True, False]
    assert run[0]['diff'] == {'before': {}, 'after': {'NEW': [1, 2]}}
    assert (run[1]['created'], run[1]['removed']) == (['FRESH'], ['OTHER'])
    assert run[1]['diff'] == {'before': {'OTHER': {'a': 1}}, 'after': {'FRESH': 'f'}}
    assert run[1]['variables'] == {'FRESH': 'f'}
    assert scopes(api) == before and cluster_variable_writes(admin) == writes


def test_a_failure_after_writes_says_changed_and_lists_what_was_and_was_not_applied(cluster89):
    connected, api = cluster89
    for name, value in (('API', 'old'), ('STRAY_A', 1), ('STRAY_B', 2)):
        assert api.post('cluster-variables/global', json={'name': name, 'value': value}).status_code == 200
    # Every create in the global scope fails: the removals and the update come first and are applied.
    connected.emulator.admin.set_faults(
        next_status={'status': 500, 'count': 10, 'path': '/v2/cluster-variables/global'}
    )
    wanted = {'API': 'new', 'NEW_A': 1, 'NEW_B': 2}
    failed = connected.run(cv(variables=wanted, exclusive=True, ignore_errors=True), ok=False)[0]
    assert failed['_status'] == 'failed' and failed['changed'] is True, failed
    assert failed['applied'] == [
        "delete cluster variable 'STRAY_A' (global)",
        "delete cluster variable 'STRAY_B' (global)",
        "update cluster variable 'API' (global)",
    ]
    assert failed['failed_step'] == "create cluster variable 'NEW_A' (global)"
    assert failed['not_applied'] == ["create cluster variable 'NEW_B' (global)"]
    assert "Applied 3 of 5 planned writes before this one failed, not applied 1" in failed['msg']
    assert scopes(api)[('GLOBAL', None)] == {'API': 'new'}
    connected.emulator.admin.set_faults(next_status=None)
    rerun = connected.run(cv(variables=wanted, exclusive=True))[0]
    assert rerun['changed'] is True and rerun['created'] == ['NEW_A', 'NEW_B'] and rerun['removed'] == []


def test_a_create_that_meets_a_lagging_read_does_not_write_twice(cluster89):
    connected, api = cluster89
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    run = connected.run(cv(name='LAG', value=7), cv(name='LAG', value=7))
    assert run.changed() == [True, False]  # the second read missed it; its create met 409; the value was the same
    assert connected.emulator.admin.request_count('/v2/cluster-variables/global/LAG', 'PUT') == 0


def test_an_8_8_cluster_fails_with_the_version_needed_before_any_change(identity):
    connected = identity.connect('basic')  # the emulator's default cluster runs 8.8.0
    run = connected.run(cv(name='API', value=1, ignore_errors=True), cv(variables={'A': 1}, ignore_errors=True))
    for result in run.results:
        assert result['_status'] == 'failed'
        assert result['msg'].startswith(
            'camunda_cluster_variable (cluster variables) needs Camunda 8.9 or later; this cluster runs 8.8.0'
        )
        assert (result['cluster_version'], result['required_version']) == ('8.8.0', '8.9')
    admin = identity.emulator.admin
    assert admin.request_count('/v2/topology') == 2  # once per task
    assert sum(entry['count'] for entry in admin.state()['requests'] if 'cluster-variables' in entry['path']) == 0


def test_values_stay_out_of_output_under_no_log_and_out_of_errors(cluster89):
    connected, _api = cluster89
    run = connected.run(
        dict(cv(name='PARTNER', value=SECRET_VALUE), no_log=True),
        dict(cv(variables={'PARTNER': {'url': SECRET_VALUE}}), no_log=True, diff=True),
        cv(name='HUGE', value='h' * (4 * 1024 * 1024 + 1), ignore_errors=True),
        cv(name='BAD NAME', value='visible-value', ignore_errors=True),
        verbosity=4,
    )
    assert SECRET_VALUE not in run.output
    assert run.changed()[:2] == [True, True]
    huge = run[2]
    assert huge['_status'] == 'failed'
    assert "Cannot create cluster variable 'HUGE' (global): the cluster refused the value as too large" in huge['msg']
    assert '4194307 bytes as JSON' in huge['msg'] and 'hhhhhhhhhh' not in huge['msg']
    assert run[3]['_status'] == 'failed' and "name 'BAD NAME' contains whitespace" in run[3]['msg']
    assert 'visible-value' not in run[3]['msg']


EXAMPLE = Path(__file__).resolve().parents[4] / 'docs' / 'examples' / 'cluster_variables'
GUIDE = EXAMPLE.parents[1] / 'docsite' / 'rst' / 'guide_cluster_variables.rst'


def test_the_guide_shows_the_example_files_as_they_are():
    guide = GUIDE.read_text()
    for name in ('cluster_variables.yml', 'dev.yml', 'prod.yml'):
        indented = ''.join(
            '  ' + line if line.strip() else '\n' for line in (EXAMPLE / name).read_text().splitlines(True)
        )
        assert f'.. code-block:: yaml\n\n{indented}' in guide, name


def test_the_docs_example_applies_each_stage_from_its_inventory(cluster89, playbook):
    connected, api = cluster89
    api.post('cluster-variables/global', json={'name': 'LEFTOVER', 'value': 1})
    # The emulator stands in for each stage's cluster: its URL and credentials override the inventory's.
    stand_in = dict(connected.connections.basic(), camunda_client_secret='unused')
    results = {}
    for stage in ('dev', 'dev', 'prod'):
        run = playbook(
            EXAMPLE / 'cluster_variables.yml', extra_vars=stand_in, args=['-i', str(EXAMPLE / f'{stage}.yml')]
        ).assert_ok()
        results.setdefault(stage, []).append(
            [
                run.task("The global scope holds exactly the stage's variables")['changed'],
                run.task('Each tenant holds exactly its overrides')['changed'],
            ]
        )
        if stage == 'dev' and len(results['dev']) == 1:
            assert scopes(api) == {
                ('GLOBAL', None): {
                    'PAYMENT_API': {'base_url': 'https://payments.sandbox.example.com', 'timeout_ms': 10000},
                    'FEATURE_EXPRESS_SHIPPING': True,
                    'APPROVAL_THRESHOLD': 100,
                },
                ('TENANT', 'finance'): {'APPROVAL_THRESHOLD': 10},
            }
    assert results['dev'] == [[True, True], [False, False]]  # the leftover went on the first run; then nothing to do
    assert results['prod'] == [[True, True]]
    assert scopes(api) == {
        ('GLOBAL', None): {
            'PAYMENT_API': {'base_url': 'https://payments.example.com', 'timeout_ms': 3000},
            'FEATURE_EXPRESS_SHIPPING': False,
            'APPROVAL_THRESHOLD': 5000,
        },
        ('TENANT', 'finance'): {'APPROVAL_THRESHOLD': 1000},
    }
