# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's cluster variables (Camunda 8.9), and their absence on an 8.8 cluster."""

from __future__ import annotations

import json

import pytest

from emulator.cluster_variables import MAX_VALUE_BYTES, PREVIEW_CHARS

GLOBAL = 'cluster-variables/global'


@pytest.fixture
def api89(server, api):
    server.admin.set_cluster(version='8.9.0')
    return api


def test_an_8_8_cluster_has_no_cluster_variables(server, api):
    assert server.admin.state()['cluster']['version'] == '8.8.0'
    answers = [
        api.post(GLOBAL, json={'name': 'a', 'value': 1}),
        api.get(f'{GLOBAL}/a'),
        api.put(f'{GLOBAL}/a', json={'value': 1}),
        api.delete(f'{GLOBAL}/a'),
        api.post('cluster-variables/tenants/<default>', json={'name': 'a', 'value': 1}),
        api.post('cluster-variables/search', json={}),
    ]
    assert [answer.status_code for answer in answers] == [404] * 6
    assert answers[0].json()['title'] == 'NOT_FOUND'
    server.admin.set_cluster(version='8.9.0', gateway_version='8.8.3')  # the gateway decides, as the API lives there
    assert api.get(f'{GLOBAL}/a').json()['detail'].startswith('No endpoint')


def test_create_read_update_delete_global_and_tenant(api89):
    created = api89.post(GLOBAL, json={'name': 'API_URL', 'value': {'base': 'https://x', 'timeout': 5}})
    assert created.status_code == 200
    assert created.json() == {
        'name': 'API_URL',
        'value': '{"base":"https://x","timeout":5}',
        'scope': 'GLOBAL',
        'tenantId': None,
    }
    again = api89.post(GLOBAL, json={'name': 'API_URL', 'value': 1})
    assert again.status_code == 409 and again.json()['title'] == 'ALREADY_EXISTS'
    assert "already exists in the scope 'GLOBAL'" in again.json()['detail']

    tenant = api89.post('cluster-variables/tenants/<default>', json={'name': 'API_URL', 'value': 'tenant'})
    assert tenant.status_code == 200
    assert tenant.json() == {'name': 'API_URL', 'value': '"tenant"', 'scope': 'TENANT', 'tenantId': '<default>'}
    missing_tenant = api89.post('cluster-variables/tenants/nobody', json={'name': 'A', 'value': 1})
    assert missing_tenant.status_code == 404

    assert json.loads(api89.get(f'{GLOBAL}/API_URL').json()['value']) == {'base': 'https://x', 'timeout': 5}
    updated = api89.put('cluster-variables/tenants/<default>/API_URL', json={'value': [1, True, None]})
    assert updated.status_code == 200 and updated.json()['value'] == '[1,true,null]'
    assert api89.put(f'{GLOBAL}/NOPE', json={'value': 1}).status_code == 404  # no upsert
    assert api89.delete(f'{GLOBAL}/API_URL').status_code == 204
    gone = api89.delete(f'{GLOBAL}/API_URL')
    assert gone.status_code == 404 and 'does not exist' in gone.json()['detail']
    assert api89.get(f'{GLOBAL}/API_URL').status_code == 404
    assert api89.get('cluster-variables/tenants/<default>/API_URL').status_code == 200


def test_bad_requests(api89):
    answers = {
        'no name': api89.post(GLOBAL, json={'value': 1}),
        'blank name': api89.post(GLOBAL, json={'name': '', 'value': 1}),
        'whitespace': api89.post(GLOBAL, json={'name': 'A B', 'value': 1}),
        'no value': api89.post(GLOBAL, json={'name': 'A'}),
        'unknown field': api89.post(GLOBAL, json={'name': 'A', 'value': 1, 'scope': 'GLOBAL'}),
        'too large': api89.post(GLOBAL, json={'name': 'A', 'value': 'x' * MAX_VALUE_BYTES}),
    }
    assert {label: answer.status_code for label, answer in answers.items()} == dict.fromkeys(answers, 400)
    assert 'must not contains any whitespace' in answers['whitespace'].json()['detail']
    assert 'exceeds the maximum message size' in answers['too large'].json()['detail']


def test_search_filters_scopes_and_truncates(api89):
    long_value = 'v' * (PREVIEW_CHARS + 10)
    api89.post(GLOBAL, json={'name': 'A', 'value': 1})
    api89.post(GLOBAL, json={'name': 'LONG', 'value': long_value})
    api89.post('cluster-variables/tenants/<default>', json={'name': 'A', 'value': 2})
    everything = api89.post('cluster-variables/search', json={}).json()
    assert [(item['scope'], item['name']) for item in everything['items']] == [
        ('GLOBAL', 'A'),
        ('GLOBAL', 'LONG'),
        ('TENANT', 'A'),
    ]
    long_item = everything['items'][1]
    assert long_item['isTruncated'] is True and len(long_item['value']) == PREVIEW_CHARS
    full = api89.post('cluster-variables/search?truncateValues=false', json={'filter': {'name': 'LONG'}}).json()
    assert full['items'][0]['isTruncated'] is False and json.loads(full['items'][0]['value']) == long_value
    tenant_only = api89.post(
        'cluster-variables/search', json={'filter': {'scope': 'TENANT', 'tenantId': '<default>'}}
    ).json()
    assert [(item['name'], item['value']) for item in tenant_only['items']] == [('A', '2')]
    stored_long = api89.post('cluster-variables/search', json={'filter': {'isTruncated': True}}).json()
    assert [item['name'] for item in stored_long['items']] == ['LONG']
    assert api89.post('cluster-variables/search?truncateValues=maybe', json={}).status_code == 400


def test_reads_lag_behind_writes(server, api89):
    server.admin.set_faults(read_lag_ms=60000)
    assert api89.post(GLOBAL, json={'name': 'LAGGING', 'value': 1}).status_code == 200
    assert api89.get(f'{GLOBAL}/LAGGING').status_code == 404
    assert api89.post(GLOBAL, json={'name': 'LAGGING', 'value': 1}).status_code == 409  # the engine knows it
    assert api89.post('cluster-variables/search', json={}).json()['items'] == []


def test_an_8_10_cluster_adds_kind_and_metadata(server, api):
    server.admin.set_cluster(version='8.9.0')
    assert api.post(GLOBAL, json={'name': 'A', 'value': 1, 'kind': 'JSON'}).status_code == 400  # unknown before 8.10
    server.admin.set_cluster(version='8.10.0')
    created = api.post(GLOBAL, json={'name': 'A', 'value': 1, 'metadata': {'owner': 'ops', 'rev': 2}})
    assert created.status_code == 200
    assert created.json() == {
        'name': 'A',
        'value': '1',
        'scope': 'GLOBAL',
        'tenantId': None,
        'metadata': {'owner': 'ops', 'rev': 2},
        'kind': 'JSON',
    }
    assert api.put(f'{GLOBAL}/A', json={'value': 2}).json()['metadata'] == {'owner': 'ops', 'rev': 2}
    item = api.post('cluster-variables/search', json={}).json()['items'][0]
    assert (item['kind'], item['metadata'], item['isTruncated']) == ('JSON', {'owner': 'ops', 'rev': 2}, False)
    assert api.post(GLOBAL, json={'name': 'B', 'value': 1, 'kind': 'PLAIN'}).status_code == 400
