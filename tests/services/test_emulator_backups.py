# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's backup listeners on their own: exporting answers per version, partial pauses, state moves driven by
reads, id ordering, the snapshot API's errors, Basic auth on the management port, and reset."""

from __future__ import annotations

import pytest
import requests

from emulator import EmulatorServer


@pytest.fixture(scope='module')
def server():
    with EmulatorServer() as running:
        yield running


@pytest.fixture
def emulator(server):
    server.admin.reset()
    return server


def post(url, **kwargs):
    return requests.post(url, timeout=10, **kwargs)


def get(url, **kwargs):
    return requests.get(url, timeout=10, **kwargs)


def test_exporting_answers_per_version_and_a_partial_pause(emulator):
    management = emulator.management_url
    emulator.backup_admin.set_faults(pause_fails=[2])
    wrapped = post(management + '/actuator/exporting/pause?soft=true')  # from 8.8: 200, the outcome in the body
    assert wrapped.status_code == 200 and wrapped.json()['status'] == 500
    assert 'partition 2' in wrapped.json()['body']['message']
    phases = {key: value['exporterPhase'] for key, value in get(management + '/actuator/partitions').json().items()}
    assert phases == {'1': 'SOFT_PAUSED', '2': 'EXPORTING', '3': 'SOFT_PAUSED'}  # the others stay paused
    emulator.admin.set_cluster(version='8.9.0')
    emulator.backup_admin.set_faults(pause_fails=[], pause_unreachable=True)
    unreachable = post(management + '/actuator/exporting/pause')  # a broker out of reach: fails whole, a plain string
    assert unreachable.status_code == 200 and unreachable.json()['status'] == 500
    assert isinstance(unreachable.json()['body'], str)
    assert emulator.backup_admin.state()['phases'] == {'1': 'SOFT_PAUSED', '2': 'EXPORTING', '3': 'SOFT_PAUSED'}
    emulator.backup_admin.set_faults(pause_fails=[2], pause_unreachable=False)
    emulator.backup_admin.set_faults(pause_fails=[])
    assert post(management + '/actuator/exporting/resume').json() == {'body': None, 'status': 204, 'contentType': None}
    assert emulator.backup_admin.state()['phases'] == {'1': 'EXPORTING', '2': 'EXPORTING', '3': 'EXPORTING'}


def test_states_move_on_reads_and_ids_must_increase(emulator):
    management = emulator.management_url
    emulator.backup_admin.set_faults(reads_to_complete=2, outcome={'runtime': 'INCOMPLETE'})
    assert post(management + '/actuator/backupRuntime', json={'backupId': 10}).status_code == 202
    states = [get(management + '/actuator/backupRuntime/10').json()['state'] for attempt in range(4)]
    assert states == ['IN_PROGRESS', 'IN_PROGRESS', 'INCOMPLETE', 'INCOMPLETE']
    for lower in (10, 9):
        refused = post(management + '/actuator/backupRuntime', json={'backupId': lower})
        assert refused.status_code == 409 and 'same or higher' in refused.json()['message']
    assert post(management + '/actuator/backupRuntime', json={'backupId': 'x'}).status_code == 400
    assert requests.delete(management + '/actuator/backupRuntime/10', timeout=10).status_code == 204
    assert get(management + '/actuator/backupRuntime/10').status_code == 404


def test_snapshot_api_and_protected_management_port(emulator):
    snapshots = emulator.snapshot_url + '/_snapshot/camunda/camunda_zeebe_records_backup_5'
    body = {'indices': 'zeebe-record*', 'feature_states': ['none']}
    assert requests.put(snapshots, json=body, timeout=10).json() == {'accepted': True}
    again = requests.put(snapshots, json=body, timeout=10)
    assert again.status_code == 400 and again.json()['error']['type'] == 'snapshot_name_already_in_use_exception'
    assert [get(snapshots).json()['snapshots'][0]['state'] for attempt in range(2)] == ['IN_PROGRESS', 'SUCCESS']
    assert get(snapshots + '/_status').json()['snapshots'][0]['stats']['total']['size_in_bytes'] > 0
    missing = requests.put(emulator.snapshot_url + '/_snapshot/other/x', json=body, timeout=10)
    assert missing.status_code == 404 and missing.json()['error']['type'] == 'repository_missing_exception'
    emulator.backup_admin.set_auth(management=['ops', 'pw'])
    assert get(emulator.management_url + '/actuator/partitions').status_code == 401
    assert get(emulator.management_url + '/actuator/partitions', auth=('ops', 'pw')).status_code == 200
    emulator.admin.reset()  # the main reset clears the backup world too
    assert get(emulator.management_url + '/actuator/partitions').status_code == 200
    assert emulator.backup_admin.state()['snapshots'] == {}


def test_generated_ids_ids_never_reused_and_v2_problem_details(emulator):
    management = emulator.management_url
    emulator.admin.set_cluster(version='8.9.0', secondary_storage='rdbms')
    refused = post(management + '/actuator/backupRuntime', json={'backupId': 5})
    assert refused.status_code == 400 and 'must be omitted' in refused.json()['message']
    first = post(management + '/actuator/backupRuntime', json={})
    second = post(management + '/actuator/backupRuntime', json={})
    assert first.status_code == second.status_code == 202
    ids = [int(item['backupId']) for item in get(management + '/actuator/backupRuntime').json()]
    assert len(ids) == 2 and ids[0] > ids[1] > 10**12  # millisecond timestamps, newest first
    # ids are never reused, even after a deletion
    emulator.admin.set_cluster(secondary_storage='elasticsearch')
    assert requests.delete(f'{management}/actuator/backupRuntime/{ids[0]}', timeout=10).status_code == 204
    again = post(management + '/actuator/backupRuntime', json={'backupId': ids[0]})
    assert again.status_code == 409
    assert post(management + '/actuator/backupHistory', json={'backupId': 7}).status_code == 200
    assert requests.delete(management + '/actuator/backupHistory/7', timeout=10).status_code == 204
    assert post(management + '/actuator/backupHistory', json={'backupId': 7}).status_code == 400  # 409 only on /v2
    # 8.10 on RDBMS: history is forbidden, as a problem detail
    emulator.admin.set_cluster(version='8.10.0', api_version='8.10', secondary_storage='rdbms')
    forbidden = get(emulator.url + '/v2/backups/history')
    assert forbidden.status_code == 403 and forbidden.json()['status'] == 403
    assert forbidden.headers['Content-Type'].startswith('application/problem+json')
    assert 'Elasticsearch or OpenSearch' in forbidden.json()['detail']
