# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test of the emulator's 8.10 backup and exporting endpoints (the ones camunda_backup calls on an 8.10
cluster) with the official client camunda-orchestration-sdk 10.0.1, whose models require every field of
BackupInfo, PartitionBackupInfo, HistoryBackupInfo and TakeHistoryBackupResponse. The 9.x client in the venv has no
backup endpoints (they are 8.10). The management port (8.8/8.9 actuator) is not in any official client."""

from __future__ import annotations

import json
import os
import subprocess
import sys

# sdk10 (tests/services/conftest.py): the fixture that finds the 10.x client of .venv-sdk10, shared with the topology contract test
from sdk_contract import SDK10_SETTINGS as SETTINGS

from emulator import EmulatorServer

EXERCISE_WITH_SDK10 = '''
import json, sys
import camunda_orchestration_sdk
from camunda_orchestration_sdk import CamundaClient
from camunda_orchestration_sdk.models import TakeHistoryBackupRequest, TakeRuntimeBackupRequest
settings = json.loads(sys.argv[1])
seen = {"sdk": camunda_orchestration_sdk.__file__}
with CamundaClient(configuration=settings) as client:
    client.pause_exporting(soft=True)
    seen["paused"] = str(client.get_exporting_status().status.value)
    seen["runtime_taken"] = client.take_runtime_backup(data=TakeRuntimeBackupRequest(backup_id=7)).backup_id
    history = client.take_history_backup(data=TakeHistoryBackupRequest(backup_id=7))
    seen["history_taken"] = [history.backup_id, len(history.scheduled_snapshots)]
    states = []
    for _ in range(3):
        states.append(str(client.get_runtime_backup(7).state.value))
    seen["runtime_states"] = states
    info = client.get_runtime_backup(7)
    seen["partition"] = [info.details[0].partition_id, info.details[0].broker_version, str(info.details[0].state.value)]
    seen["history_state"] = [str(client.get_history_backup(7).state.value), str(client.get_history_backup(7).state.value)]
    seen["listed"] = [len(client.list_runtime_backups()), len(client.list_history_backups())]
    client.resume_exporting()
    seen["resumed"] = str(client.get_exporting_status().status.value)
    client.delete_runtime_backup(7)
    client.delete_history_backup(7)
    seen["after_delete"] = [len(client.list_runtime_backups()), len(client.list_history_backups())]
print(json.dumps(seen))
'''


def test_sdk10_drives_the_8_10_backup_and_exporting_endpoints(sdk10):  # noqa: F811
    with EmulatorServer(auth='basic', cluster={'version': '8.10.0', 'api_version': '8.10'}) as emulator:
        settings = dict(SETTINGS, CAMUNDA_REST_ADDRESS=f'{emulator.url}/v2')
        environment = {name: value for name, value in os.environ.items() if not name.startswith('CAMUNDA_')}
        environment['PYTHONPATH'] = str(sdk10)
        process = subprocess.run(
            [sys.executable, '-c', EXERCISE_WITH_SDK10, json.dumps(settings)],
            capture_output=True,
            text=True,
            env=environment,
            check=False,
        )
        assert process.returncode == 0, process.stderr[-3000:]
        seen = json.loads(process.stdout)
        assert seen['sdk'].startswith(str(sdk10)), 'the 10.x client, not the venv 9.x one, ran'
        assert seen['paused'] == 'SOFT_PAUSED' and seen['resumed'] == 'EXPORTING'
        assert seen['runtime_taken'] == 7 and seen['history_taken'] == [7, 6]
        assert seen['runtime_states'] == ['IN_PROGRESS', 'COMPLETED', 'COMPLETED']  # each status read moves it on
        assert seen['partition'] == [1, '8.10.0', 'COMPLETED']
        assert seen['history_state'] == ['IN_PROGRESS', 'COMPLETED']
        assert seen['listed'] == [1, 1] and seen['after_delete'] == [0, 0]
