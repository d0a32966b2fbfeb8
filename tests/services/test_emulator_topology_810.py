# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's Camunda 8.10 topology shape (set_cluster(api_version='8.10')): brokerId, zones, partition state."""

from __future__ import annotations

import pytest

from emulator import EmulatorAdminError


def topology(api):
    response = api.get('topology')
    assert response.status_code == 200, response.text
    return response.json()


def test_default_shape_is_8_8_without_broker_id_or_state(server, api):
    document = topology(api)
    assert all('brokerId' not in broker for broker in document['brokers'])
    assert all('state' not in partition for broker in document['brokers'] for partition in broker['partitions'])


def test_8_10_shape_adds_broker_id_and_an_active_state_everywhere(server, api):
    server.admin.set_cluster(api_version='8.10', version='8.10.0')
    document = topology(api)
    assert [(b['nodeId'], b['brokerId'], b['host']) for b in document['brokers']] == [
        (0, '0', 'camunda-zeebe-0.camunda-zeebe'),
        (1, '1', 'camunda-zeebe-1.camunda-zeebe'),
        (2, '2', 'camunda-zeebe-2.camunda-zeebe'),
    ]
    assert set(document['brokers'][0]) == {'nodeId', 'brokerId', 'host', 'port', 'partitions', 'version'}
    assert {partition['state'] for broker in document['brokers'] for partition in broker['partitions']} == {'active'}
    assert document['gatewayVersion'] == '8.10.0'


def test_zones_repeat_node_ids_and_broker_id_tells_them_apart(server, api):
    server.admin.set_cluster(
        api_version='8.10', brokers=4, partitions=2, replication_factor=2, zone_names=['eu-west-1', 'eu-west-2']
    )
    server.admin.set_faults(missing_brokers=[3])
    brokers = topology(api)['brokers']
    assert [(b['nodeId'], b['brokerId']) for b in brokers] == [
        (0, 'eu-west-1_0'),
        (1, 'eu-west-1_1'),
        (0, 'eu-west-2_0'),
    ]
    assert brokers[2]['host'] == 'camunda-zeebe-eu-west-2-0.camunda-zeebe'


def test_joining_and_leaving_replicas(server, api):
    server.admin.set_cluster(api_version='8.10')
    server.admin.set_faults(joining=[[1, 1]], leaving=[[2, 0]])
    states = {
        (partition['partitionId'], broker['brokerId']): partition['state']
        for broker in topology(api)['brokers']
        for partition in broker['partitions']
    }
    assert states.pop((1, '1')) == 'joining' and states.pop((2, '0')) == 'leaving'
    assert set(states.values()) == {'active'}
    assert server.admin.state()['faults']['joining'] == [[1, 1]]


@pytest.mark.parametrize(
    'shape,message',
    [
        (dict(api_version='8.11'), "api_version '8.11': the topology shapes are 8.8, 8.10"),
        (dict(zone_names=['a', 'b']), 'zone_names need api_version 8.10'),
        (dict(api_version='8.10', brokers=3, zone_names=['a', 'b']), 'divide evenly'),
    ],
)
def test_wrong_shapes_are_refused(server, shape, message):
    with pytest.raises(EmulatorAdminError, match=message):
        server.admin.set_cluster(**shape)
