# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the official clients send and the emulator must answer as Camunda does (docs/upstream.md, "API and
official clients"): XML for the Java client's Accept, the resource fetch, the instance search's `$or`, `tags` and
`variables` filters, and TRACE refused with 405."""

from __future__ import annotations

import http.client

import pytest
import requests

from emulator import EmulatorServer
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import PROBE_BPMN

JAVA_CLIENT_ACCEPT = 'application/json, application/problem+json'  # what camunda-client-java 8.9 sends


@pytest.fixture(scope='module')
def server():
    with EmulatorServer(auth='none', cluster={'version': '8.9.0'}) as running:
        yield running


@pytest.fixture
def api(server):
    server.admin.reset()
    session = requests.Session()
    session.trust_env = False
    yield lambda method, path, **kwargs: session.request(method, f'{server.url}/v2{path}', timeout=30, **kwargs)
    session.close()


def deploy_probe(api):
    answer = api('POST', '/deployments', files=[('resources', ('probe.bpmn', PROBE_BPMN, 'application/octet-stream'))])
    assert answer.status_code == 200, answer.text
    return answer.json()['deployments'][0]['processDefinition']['processDefinitionKey']


def test_xml_answers_the_java_clients_accept_and_refuses_plain_json(api):
    key = deploy_probe(api)
    answer = api('GET', f'/process-definitions/{key}/xml', headers={'Accept': JAVA_CLIENT_ACCEPT})
    assert (answer.status_code, answer.headers['Content-Type'], answer.content) == (200, 'text/xml', PROBE_BPMN)
    refused = api('GET', f'/process-definitions/{key}/xml', headers={'Accept': 'application/json'})
    assert (refused.status_code, refused.json()['title']) == (406, 'NOT_ACCEPTABLE')


def test_a_process_key_is_not_a_resource_of_the_engine(api):
    key = deploy_probe(api)
    for path in (f'/resources/{key}', f'/resources/{key}/content'):
        refused = api('GET', path)
        assert refused.status_code == 404 and refused.headers['Content-Type'] == 'application/problem+json'
        assert refused.json()['detail'] == (
            f"Command 'FETCH' rejected with code 'NOT_FOUND': Expected to fetch resource but no resource found with key `{key}`"
        )


def test_instance_search_takes_or_tags_and_variables(api):
    key = deploy_probe(api)
    created = [
        api(
            'POST',
            '/process-instances',
            json={'processDefinitionKey': key, 'tags': tags, 'variables': {'smokeRunId': run, 'n': n}},
        ).json()['processInstanceKey']
        for tags, run, n in ((['a', 'b'], 'one', 1), (['a'], 'two', 2), ([], 'three', 3))
    ]

    def found(search_filter):
        answer = api('POST', '/process-instances/search', json={'filter': search_filter})
        assert answer.status_code == 200, answer.text
        return sorted(item['processInstanceKey'] for item in answer.json()['items'])

    # What the Java client sends with a single filter field: the empty lists match everything.
    assert found({'processDefinitionKey': key, '$or': [], 'tags': [], 'variables': []}) == sorted(created)
    assert found({'tags': ['a']}) == sorted(created[:2]) and found({'tags': ['a', 'b']}) == [created[0]]
    assert found({'variables': [{'name': 'smokeRunId', 'value': '"two"'}]}) == [created[1]]  # values as JSON text
    assert found({'variables': [{'name': 'n', 'value': {'$in': ['1', '3']}}]}) == sorted([created[0], created[2]])
    assert found({'$or': [{'processInstanceKey': created[0]}, {'processInstanceKey': created[2]}]}) == sorted(
        [created[0], created[2]]
    )
    refused = api('POST', '/process-instances/search', json={'filter': {'tags': 'a'}})
    assert refused.status_code == 400 and 'tags' in refused.json()['detail']


def test_trace_is_refused_with_405_on_any_path(server):
    for path in ('/v2/topology', '/v2/no-such-endpoint'):
        connection = http.client.HTTPConnection(server.host, int(server.url.rsplit(':', 1)[1]), timeout=10)
        try:
            connection.request('TRACE', path)
            answer = connection.getresponse()
            assert answer.status == 405 and answer.getheader('Content-Type') == 'application/problem+json'
            assert 'GET' in answer.getheader('Allow') and b'TRACE method is not allowed' in answer.read()
        finally:
            connection.close()


@pytest.mark.parametrize(
    'version, state, fields_of_8_10', [('8.9.0', None, False), ('8.9.14', 'ACTIVE', False), ('8.10.0', 'ACTIVE', True)]
)
def test_answer_fields_follow_the_release(server, api, version, state, fields_of_8_10):
    server.admin.set_cluster(version=version)
    key = deploy_probe(api)
    assert api('GET', f'/process-definitions/{key}').json().get('state') == state
    assert [item.get('state') for item in api('POST', '/process-definitions/search', json={}).json()['items']] == [
        state
    ]
    created = api(
        'POST',
        '/process-instances',
        json={'processDefinitionKey': key, 'businessId': 'order-1', 'variables': {'smokeRunId': 'r'}},
    ).json()
    instance = api('GET', f"/process-instances/{created['processInstanceKey']}").json()
    assert ('suspendedDate' in instance, instance.get('suspendedDate')) == (fields_of_8_10, None)
    [job] = api(
        'POST',
        '/jobs/activation',
        json={'type': 'community.camunda.verify.smoke', 'timeout': 60000, 'maxJobsToActivate': 1},
    ).json()['jobs']
    if fields_of_8_10:
        assert (job['physicalTenantId'], job['businessId'], job['jobLeaseToken']) == ('default', 'order-1', None)
    else:
        assert not {'physicalTenantId', 'businessId', 'jobLeaseToken'} & set(job)
