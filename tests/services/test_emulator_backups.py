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
    plain = post(management + '/actuator/exporting/pause?soft=true')           # 8.8: the HTTP status says it
    assert plain.status_code == 500 and 'partition 2' in plain.json()['message']
    phases = {key: value['exporterPhase'] for key, value in get(management + '/actuator/partitions').json().items()}
    assert phases == {'1': 'SOFT_PAUSED', '2': 'EXPORTING', '3': 'SOFT_PAUSED'}  # the others stay paused
    emulator.admin.set_cluster(version='8.9.0')
    wrapped = post(management + '/actuator/exporting/pause')                     # 8.9: 200, the outcome in the body
    assert wrapped.status_code == 200 and wrapped.json()['status'] == 500
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
