# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster shape and fault switches of the emulator: each one does what its name says."""

from __future__ import annotations

import time

import pytest

from emulator import FAULT_NAMES, EmulatorAdminError
from emulator.testing import Api


def topology(api):
    response = api.get('topology')
    assert response.status_code == 200, response.text
    return response.json()


def replicas(document):
    """{(partition, broker): (role, health)}"""
    return {
        (partition['partitionId'], broker['nodeId']): (partition['role'], partition['health'])
        for broker in document['brokers']
        for partition in broker['partitions']
    }


# -- shape ----------------------------------------------------------------------------------------


def test_default_topology_is_a_healthy_3x3x3_cluster(api):
    document = topology(api)
    assert set(document) == {
        'brokers',
        'clusterId',
        'clusterSize',
        'partitionsCount',
        'replicationFactor',
        'gatewayVersion',
        'lastCompletedChangeId',
    }
    assert (document['clusterSize'], document['partitionsCount'], document['replicationFactor']) == (3, 3, 3)
    assert document['gatewayVersion'] == '8.8.0' and document['lastCompletedChangeId'] == '-1'
    for broker in document['brokers']:
        assert set(broker) == {'nodeId', 'host', 'port', 'partitions', 'version'}
        assert broker['port'] == 26501 and broker['version'] == '8.8.0'
    states = replicas(document)
    assert len(states) == 9 and all(health == 'healthy' for _role, health in states.values())
    leaders = {partition: broker for (partition, broker), (role, _health) in states.items() if role == 'leader'}
    assert leaders == {1: 0, 2: 1, 3: 2}  # one leader per partition, spread across brokers


def test_set_cluster_places_replicas_round_robin(server, api):
    server.admin.set_cluster(brokers=4, partitions=6, replication_factor=2, version='8.9.1')
    document = topology(api)
    assert (document['clusterSize'], document['partitionsCount'], document['replicationFactor']) == (4, 6, 2)
    assert {broker['version'] for broker in document['brokers']} == {'8.9.1'}
    assert document['gatewayVersion'] == '8.9.1'
    states = replicas(document)
    assert len(states) == 12  # partitions x replication factor
    for partition in range(1, 7):
        holders = sorted(broker for (p, broker) in states if p == partition)
        leader = (partition - 1) % 4
        assert holders == sorted({leader, (leader + 1) % 4})
        assert states[(partition, leader)][0] == 'leader'
    # Zeebe's layout: partition p on brokers (p-1) mod N onwards, so 6 partitions on 4 brokers are uneven.
    assert [len(broker['partitions']) for broker in document['brokers']] == [3, 4, 3, 2]


def test_set_cluster_rejects_impossible_shapes(server):
    with pytest.raises(EmulatorAdminError, match='replication_factor 4 exceeds'):
        server.admin.set_cluster(brokers=3, replication_factor=4)
    with pytest.raises(EmulatorAdminError, match='unknown cluster settings'):
        server.admin.set_cluster(zones=2)


def test_gateway_version_can_differ(server, api):
    server.admin.set_cluster(gateway_version='8.9.0')
    document = topology(api)
    assert document['gatewayVersion'] == '8.9.0' and document['brokers'][0]['version'] == '8.8.0'


# -- topology faults ------------------------------------------------------------------------------


def test_unhealthy_and_dead_replicas(server, api):
    server.admin.set_faults(unhealthy=[(2, 0)], dead=[(3, 1)])
    states = replicas(topology(api))
    assert states[(2, 0)][1] == 'unhealthy'
    assert states[(3, 1)][1] == 'dead'
    assert sum(1 for _role, health in states.values() if health == 'healthy') == 7


def test_inactive_replica(server, api):
    server.admin.set_faults(inactive=[(1, 2)])
    assert replicas(topology(api))[(1, 2)] == ('inactive', 'healthy')


def test_partition_without_leader(server, api):
    server.admin.set_faults(no_leader=[2])
    roles = [role for (partition, _broker), (role, _health) in replicas(topology(api)).items() if partition == 2]
    assert sorted(roles) == ['follower', 'follower', 'follower']


def test_missing_broker(server, api):
    server.admin.set_faults(missing_brokers=[1])
    document = topology(api)
    assert [broker['nodeId'] for broker in document['brokers']] == [0, 2]
    assert document['clusterSize'] == 3  # the configured size still says three


def test_broker_version_mismatch(server, api):
    server.admin.set_faults(broker_versions={2: '8.7.5'})
    assert [broker['version'] for broker in topology(api)['brokers']] == ['8.8.0', '8.8.0', '8.7.5']


def test_faults_merge_and_clear(server, api):
    server.admin.set_faults(dead=[(1, 0)])
    server.admin.set_faults(missing_brokers=[2])
    document = topology(api)
    assert len(document['brokers']) == 2 and replicas(document)[(1, 0)][1] == 'dead'
    server.admin.set_faults(dead=[])
    assert replicas(topology(api))[(1, 0)][1] == 'healthy'
    server.admin.clear_faults()
    assert len(topology(api)['brokers']) == 3


def test_unknown_fault_is_refused(server):
    with pytest.raises(EmulatorAdminError, match='unknown faults'):
        server.admin.set_faults(meteor=True)
    assert 'read_lag_ms' in FAULT_NAMES and 'meteor' not in FAULT_NAMES


# -- status ---------------------------------------------------------------------------------------


def test_status_is_204_without_credentials(server):
    response = Api(server.url).get('status')
    assert response.status_code == 204 and response.content == b''


def test_status_down_switch(server):
    server.admin.set_faults(status_down=True)
    response = Api(server.url).get('status')
    assert response.status_code == 503 and response.content == b''


def test_status_follows_leader_health(server):
    server.admin.set_faults(no_leader=[1, 2])
    assert Api(server.url).get('status').status_code == 204  # partition 3 still has a healthy leader
    server.admin.set_faults(dead=[(3, 2)])
    assert Api(server.url).get('status').status_code == 503


# -- transport faults -----------------------------------------------------------------------------


@pytest.mark.parametrize('status, title', [(429, 'TOO_MANY_REQUESTS'), (503, 'RESOURCE_EXHAUSTED')])
def test_next_responses_fail_with_retry_after(server, api, status, title):
    server.admin.set_faults(next_status={'status': status, 'count': 2, 'retry_after': 3})
    for _attempt in range(2):
        response = api.get('topology')
        assert response.status_code == status
        assert response.headers['Retry-After'] == '3'
        assert response.json()['title'] == title
        assert response.headers['Content-Type'] == 'application/problem+json'
    assert api.get('topology').status_code == 200


def test_next_status_can_target_one_path(server, api):
    server.admin.set_faults(next_status={'status': 503, 'count': 1, 'path': '/v2/license'})
    assert api.get('topology').status_code == 200
    assert api.get('license').status_code == 503
    assert api.get('license').status_code == 200


def test_latency(server, api):
    server.admin.set_faults(latency_ms=300)
    started = time.monotonic()
    assert api.get('topology').status_code == 200
    assert time.monotonic() - started >= 0.3
    server.admin.set_faults(latency_ms=0)
    started = time.monotonic()
    api.get('topology')
    assert time.monotonic() - started < 0.3


def test_html_response_as_a_proxy_sends(server, api):
    server.admin.set_faults(html_response=502)
    response = api.get('topology')
    assert response.status_code == 502
    assert response.headers['Content-Type'].startswith('text/html')
    assert response.text.lstrip().startswith('<!DOCTYPE html>')
    server.admin.set_faults(html_response=200)
    response = api.get('topology')
    assert response.status_code == 200 and response.headers['Content-Type'].startswith('text/html')
    server.admin.set_faults(html_response=None)
    assert api.get('topology').headers['Content-Type'] == 'application/json'


def test_forbidden_principal_gets_403(server, api):
    api.post('users', {'username': 'eve', 'password': 'pw'})
    server.admin.set_faults(forbidden=['eve'])
    eve = Api(server.url, auth=('eve', 'pw'))
    response = eve.get('topology')
    assert response.status_code == 403
    assert response.json()['title'] == 'FORBIDDEN'
    assert eve.get('status').status_code == 204
    assert api.get('topology').status_code == 200  # demo is not listed


def test_read_lag_hides_new_entities_from_reads_not_from_writes(server, api):
    server.admin.set_faults(read_lag_ms=400)
    assert api.post('users', {'username': 'lagging', 'password': 'pw'}).status_code == 201
    assert api.get('users/lagging').status_code == 404
    assert api.post('users/search', {'filter': {'username': 'lagging'}}).json()['items'] == []
    assert api.post('users', {'username': 'lagging', 'password': 'pw'}).status_code == 409  # the engine knows it
    assert api.put('users/lagging', {'name': 'Late'}).status_code == 200
    time.sleep(0.45)
    assert api.get('users/lagging').json()['name'] == 'Late'
    assert api.post('users/search', {'filter': {'username': 'lagging'}}).json()['page']['totalItems'] == 1


def test_read_lag_applies_to_memberships(server, api):
    api.post('roles', {'roleId': 'r1', 'name': 'R1'})
    server.admin.set_faults(read_lag_ms=300)
    api.put('roles/r1/clients/c1')
    assert api.post('roles/r1/clients/search').json()['items'] == []
    assert api.put('roles/r1/clients/c1').status_code == 409
    time.sleep(0.35)
    assert api.post('roles/r1/clients/search').json()['items'] == [{'clientId': 'c1'}]


def test_request_counter(server, api):
    for _attempt in range(3):
        api.get('topology')
    api.get('license')
    Api(server.url).get('topology')  # refused requests count too
    assert server.admin.request_count('/v2/topology') == 4
    assert server.admin.request_count('/v2/topology', method='POST') == 0
    assert server.admin.request_count() == 5
    server.admin.state()  # admin calls are not counted
    assert server.admin.request_count() == 5
    server.admin.reset_counts()
    assert server.admin.request_count() == 0


def test_reset_restores_everything(server, api):
    api.post('users', {'username': 'temp', 'password': 'pw'})
    server.admin.set_faults(dead=[(1, 0)], status_down=True, latency_ms=5)
    server.admin.set_cluster(brokers=5)
    server.admin.set_auth('none')
    server.admin.reset()
    state = server.admin.state()
    assert state['auth']['mode'] == 'basic'  # as started
    assert state['cluster']['brokers'] == 3
    assert state['faults']['dead'] == [] and state['faults']['status_down'] is False
    assert [user['username'] for user in state['identity']['entities']['users']] == ['demo']
    assert all('password' not in user for user in state['identity']['entities']['users'])
    assert state['requests'] == []


def test_license_switch(server, api):
    assert api.get('license').json() == {
        'validLicense': False,
        'licenseType': 'unknown',
        'isCommercial': False,
        'expiresAt': None,
    }
    server.admin.set_license(
        validLicense=True, licenseType='production', isCommercial=True, expiresAt='2030-01-01T00:00:00Z'
    )
    assert api.get('license').json()['licenseType'] == 'production'
    with pytest.raises(EmulatorAdminError):
        server.admin.set_license(seats=5)
