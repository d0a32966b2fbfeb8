# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test of the two topology shapes: the 8.8/8.9 shape with the venv's client (camunda-orchestration-sdk 9.0.1),
the 8.10 shape (brokerId, partition state, zones) with the 10.x client, whose models require brokerId and state.

The 10.x client is not installed in the venv (the collection's tests pin the 8.9 surface there): it is the one in the
SDK 10 tool venv (.venv-sdk10, pinned by tests/sdk10/, built by `make contract-sdk10`), whose site-packages go first
on the PYTHONPATH of a subprocess. Where that venv is not built, the 10.x test is skipped and says so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
import requests
from camunda_orchestration_sdk import CamundaClient

from emulator import EmulatorServer
from sdk_contract import SDK10_SETTINGS as SETTINGS

# Run by the 10.x client in a subprocess (one, as importing the client takes seconds): parse a given 8.8 document with
# its model (the error is the answer), then read the emulator's live topology and print what its models parsed.
READ_WITH_SDK10 = '''
import json, sys
import camunda_orchestration_sdk
from camunda_orchestration_sdk import CamundaClient
from camunda_orchestration_sdk.models import TopologyResponse
settings, older_shape = json.loads(sys.argv[1]), json.loads(sys.argv[2])
try:
    TopologyResponse.from_dict(older_shape)
    refused = None
except Exception as exc:
    refused = type(exc).__name__ + ": " + str(exc)
with CamundaClient(configuration=settings) as client:
    topology = client.get_topology()
print(json.dumps({
    "older_shape_refused": refused,
    "sdk": camunda_orchestration_sdk.__file__,
    "brokers": [[broker.node_id, broker.broker_id] for broker in topology.brokers],
    "states": sorted({str(p.state.value) for b in topology.brokers for p in b.partitions}),
    "replicas": {f"{p.partition_id}@{b.broker_id}": [str(p.role.value), str(p.state.value)]
                 for b in topology.brokers for p in b.partitions},
}))
'''


@pytest.fixture(scope='module')
def basic_emulator():
    with EmulatorServer(auth='basic') as running:
        yield running


def read_with_sdk10(sdk10, emulator, older_shape):
    settings = dict(SETTINGS, CAMUNDA_REST_ADDRESS=f'{emulator.url}/v2')
    environment = {name: value for name, value in os.environ.items() if not name.startswith('CAMUNDA_')}
    environment['PYTHONPATH'] = str(sdk10)
    process = subprocess.run(
        [sys.executable, '-c', READ_WITH_SDK10, json.dumps(settings), json.dumps(older_shape)],
        capture_output=True,
        text=True,
        env=environment,
        check=True,
    )
    return json.loads(process.stdout)


def test_sdk10_reads_the_8_10_shape_and_refuses_the_8_8_one(sdk10, basic_emulator):
    basic_emulator.admin.reset()
    older_shape = requests.get(f'{basic_emulator.url}/v2/topology', auth=('demo', 'demo'), timeout=10).json()
    basic_emulator.admin.set_cluster(
        api_version='8.10',
        version='8.10.0',
        brokers=4,
        partitions=2,
        replication_factor=2,
        zone_names=['eu-west-1', 'eu-west-2'],
    )
    basic_emulator.admin.set_faults(joining=[[1, 1]], leaving=[[2, 2]])
    parsed = read_with_sdk10(sdk10, basic_emulator, older_shape)
    # The 10.x models require brokerId (and state): the 8.8/8.9 shape does not parse.
    assert 'brokerId' in (parsed['older_shape_refused'] or ''), parsed
    assert parsed['sdk'].startswith(str(sdk10)), 'the 10.x client, not the venv 9.x one, read the topology'
    assert parsed['brokers'] == [[0, 'eu-west-1_0'], [1, 'eu-west-1_1'], [0, 'eu-west-2_0'], [1, 'eu-west-2_1']]
    assert parsed['states'] == ['active', 'joining', 'leaving']
    assert parsed['replicas']['1@eu-west-1_1'] == ['follower', 'joining']
    assert parsed['replicas']['2@eu-west-2_0'] == ['follower', 'leaving']


def test_sdk9_reads_both_shapes(basic_emulator):
    basic_emulator.admin.reset()
    settings = dict(SETTINGS, CAMUNDA_REST_ADDRESS=f'{basic_emulator.url}/v2')
    for shape in ({}, {'api_version': '8.10'}):
        basic_emulator.admin.set_cluster(**shape)
        with CamundaClient(configuration=settings) as client:
            topology = client.get_topology()
        assert [broker.node_id for broker in topology.brokers] == [0, 1, 2]
