# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator runs the probe process: instances, jobs (long polling, timeouts), messages (TTL), faults.

Waiting is checked with threads and events, never with sleeps: a long poll is shown to be waiting by the
fact that it has not answered when the job appears, and to answer because of the job.
"""

from __future__ import annotations

import threading

import pytest
import requests

from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import (
    PROBE_BPMN,
    PROBE_RESOURCE_NAME,
)
from emulator import EmulatorServer

PROCESS_ID = 'community_camunda_verify_smoke_probe'
JOB_TYPE = 'community.camunda.verify.smoke'
MESSAGE = 'community.camunda.verify.smoke'


@pytest.fixture(scope='module')
def server():
    with EmulatorServer(auth='none') as running:
        yield running


@pytest.fixture
def api(server):
    server.admin.reset()
    session = requests.Session()
    session.trust_env = False

    def call(method, path, body=None, expected=200):
        response = session.request(method, server.url + '/v2' + path, json=body, timeout=30)
        assert response.status_code == expected, response.text
        return response.json() if response.content else None

    call.server = server
    yield call
    session.close()


def deploy_probe(server, tenant_id='<default>'):
    """The probe deployed through POST /v2/deployments (a second call finds it: Zeebe's duplicate rule)."""
    response = requests.post(
        server.url + '/v2/deployments',
        timeout=30,
        data={'tenantId': tenant_id} if tenant_id != '<default>' else {},
        files={'resources': (PROBE_RESOURCE_NAME, PROBE_BPMN, 'application/xml')},
    )
    assert response.status_code == 200, response.text
    [deployed] = response.json()['deployments']
    return server.app.deployments.process_by_key(deployed['processDefinition']['processDefinitionKey'])


def activation(timeout=60000, request_timeout=5000):
    return {'type': JOB_TYPE, 'timeout': timeout, 'maxJobsToActivate': 1, 'requestTimeout': request_timeout}


def message(correlation_key, **fields):
    return dict({'name': MESSAGE, 'correlationKey': correlation_key}, **fields)


def run_until_message(api, run_id, **creation):
    definition = deploy_probe(api.server)
    created = api(
        'POST',
        '/process-instances',
        dict({'processDefinitionKey': definition.key, 'variables': {'smokeRunId': run_id}}, **creation),
    )
    jobs = api('POST', '/jobs/activation', activation())['jobs']
    assert [job['processInstanceKey'] for job in jobs] == [created['processInstanceKey']]
    api('POST', f"/jobs/{jobs[0]['jobKey']}/completion", {'variables': {'worked': True}}, expected=204)
    return created['processInstanceKey'], definition


def test_the_probe_runs_to_completion(api):
    key, definition = run_until_message(api, 'run-1')
    waiting = api('POST', '/element-instances/search', {'filter': {'processInstanceKey': key, 'state': 'ACTIVE'}})
    assert [item['elementId'] for item in waiting['items']] == ['smoke_message']
    assert api.server.app.deployments.count_active_instances(definition.key) == 1

    published = api('POST', '/messages/publication', message('run-1'))
    assert published['tenantId'] == '<default>' and published['messageKey']
    instance = api('GET', f'/process-instances/{key}')
    assert instance['state'] == 'COMPLETED' and instance['endDate'] and instance['processDefinitionId'] == PROCESS_ID
    assert api.server.app.deployments.count_active_instances(definition.key) == 0
    found = api('POST', '/process-instances/search', {'filter': {'processInstanceKey': key}})
    assert [item['state'] for item in found['items']] == ['COMPLETED']


def test_a_message_published_first_is_buffered_for_its_ttl(api):
    api('POST', '/messages/publication', message('early', timeToLive=60000, messageId='m-1'))
    api('POST', '/messages/publication', message('early', timeToLive=60000, messageId='m-1'), expected=409)
    api('POST', '/messages/publication', message('no-ttl'))  # TTL 0: not buffered
    early = run_until_message(api, 'early')[0]
    late = run_until_message(api, 'no-ttl')[0]
    assert api('GET', f'/process-instances/{early}')['state'] == 'COMPLETED'
    assert api('GET', f'/process-instances/{late}')['state'] == 'ACTIVE'


def test_a_long_poll_answers_when_a_job_appears(api):
    definition = deploy_probe(api.server)
    answered = threading.Event()
    result = {}

    def poll():
        result['jobs'] = api('POST', '/jobs/activation', activation(1000, 60000))['jobs']
        answered.set()

    poller = threading.Thread(target=poll)
    poller.start()
    assert not answered.wait(0.2)  # no job yet: the poll waits (a slow machine only makes this wait longer)
    api('POST', '/process-instances', {'processDefinitionKey': definition.key, 'variables': {'smokeRunId': 'x'}})
    assert answered.wait(30)
    poller.join()
    assert len(result['jobs']) == 1
    # requestTimeout < 0: no long polling; the job is activated until its 1 s timeout passes, then again
    assert api('POST', '/jobs/activation', activation(1000, -1))['jobs'] == []
    again = api('POST', '/jobs/activation', activation(1000, 30000))['jobs']
    assert [job['jobKey'] for job in again] == [job['jobKey'] for job in result['jobs']]


def test_await_completion_and_its_timeout(api):
    key, definition = run_until_message(api, 'r')
    api('POST', '/messages/publication', message('r'))
    response = requests.post(
        api.server.url + '/v2/process-instances',
        json={
            'processDefinitionKey': definition.key,
            'variables': {'smokeRunId': 'w'},
            'awaitCompletion': True,
            'requestTimeout': 50,
        },
        timeout=30,
    )
    assert response.status_code == 504 and response.json()['title'] == 'DEADLINE_EXCEEDED'


def test_cancellation(api):
    key = run_until_message(api, 'c')[0]
    api('POST', f'/process-instances/{key}/cancellation', expected=204)
    assert api('GET', f'/process-instances/{key}')['state'] == 'TERMINATED'
    api('POST', f'/process-instances/{key}/cancellation', expected=404)


def test_faults(api):
    admin = api.server.admin
    definition = deploy_probe(api.server)
    admin.set_faults(creation_backpressure=True)
    response = requests.post(
        api.server.url + '/v2/process-instances', json={'processDefinitionKey': definition.key}, timeout=30
    )
    assert response.status_code == 429 and response.json()['title'] == 'RESOURCE_EXHAUSTED'
    admin.set_faults(creation_backpressure=False, jobs_never_activatable=True)
    stuck = api(
        'POST', '/process-instances', {'processDefinitionKey': definition.key, 'variables': {'smokeRunId': 'f'}}
    )
    assert api('POST', '/jobs/activation', activation(1000, 50))['jobs'] == []
    api('POST', f"/process-instances/{stuck['processInstanceKey']}/cancellation", expected=204)
    admin.set_faults(jobs_never_activatable=False, messages_never_correlated=True, instances_never_complete=True)
    key = run_until_message(api, 'f')[0]
    api('POST', '/messages/publication', message('f'))
    assert api('GET', f'/process-instances/{key}')['state'] == 'ACTIVE'
    admin.set_faults(messages_never_correlated=False)
    api('POST', '/messages/publication', message('f'))
    waiting = api('POST', '/element-instances/search', {'filter': {'processInstanceKey': key, 'state': 'ACTIVE'}})
    assert [item['elementId'] for item in waiting['items']] == ['smoke_completed']
    admin.set_faults(denied_permissions=['PROCESS_DEFINITION:UPDATE_PROCESS_INSTANCE'])
    response = requests.post(
        api.server.url + '/v2/jobs/activation',
        json={'type': JOB_TYPE, 'timeout': 1000, 'maxJobsToActivate': 1},
        timeout=30,
    )
    assert response.status_code == 403 and 'UPDATE_PROCESS_INSTANCE' in response.json()['detail']
