# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy

import pytest

from ansible_collections.community.camunda.plugins.module_utils._topology import topology_problem_details, topology_problems, version_matches


def healthy_topology(brokers=3, partitions=3, replication=3, version='8.8.0'):
    """Round-robin placement as a real cluster has it: one leader per partition, the rest followers."""
    nodes = [dict(nodeId=n, host=f'zeebe-{n}', port=26501, version=version, partitions=[]) for n in range(brokers)]
    for partition in range(1, partitions + 1):
        for replica in range(replication):
            node = nodes[(partition - 1 + replica) % brokers]
            node['partitions'].append(dict(partitionId=partition, role='leader' if replica == 0 else 'follower',
                                           health='healthy'))
    return dict(brokers=nodes, clusterSize=brokers, partitionsCount=partitions, replicationFactor=replication,
                gatewayVersion=version, clusterId=None, lastCompletedChangeId='-1')


def replica(topology, partition, broker):
    node = next(b for b in topology['brokers'] if b['nodeId'] == broker)
    return next(p for p in node['partitions'] if p['partitionId'] == partition)


def test_healthy_cluster_has_no_problem():
    assert topology_problems(healthy_topology()) == []
    assert topology_problems(healthy_topology(1, 1, 1)) == []


def test_matching_expectations_have_no_problem():
    expected = dict(cluster_size=3, partitions_count=3, replication_factor=3, version='8.8')
    assert topology_problems(healthy_topology(), expected) == []


@pytest.mark.parametrize('health', ['unhealthy', 'dead'])
def test_bad_replica_is_named_by_partition_and_broker(health):
    topology = healthy_topology()
    replica(topology, 3, 1)['health'] = health
    assert topology_problems(topology) == [f'partition 3: replica on broker 1 is {health}']


def test_inactive_follower_is_reported():
    topology = healthy_topology()
    follower = replica(topology, 1, 1)
    assert follower['role'] == 'follower'
    follower['role'] = 'inactive'
    assert topology_problems(topology) == ['partition 1: replica on broker 1 is inactive']


def test_partition_without_leader():
    topology = healthy_topology()
    leader = next(b for b in topology['brokers'] for p in b['partitions'] if p['partitionId'] == 2 and p['role'] == 'leader')
    replica(topology, 2, leader['nodeId'])['role'] = 'follower'
    assert topology_problems(topology) == ['partition 2 has no leader']


def test_two_leaders_are_reported():
    topology = healthy_topology()
    for node in topology['brokers']:
        for partition in node['partitions']:
            if partition['partitionId'] == 1:
                partition['role'] = 'leader'
    assert topology_problems(topology) == ['partition 1 has 3 leaders (brokers 0, 1, 2)']


def test_missing_broker_names_it_and_the_replicas_it_held():
    topology = healthy_topology()
    topology['brokers'] = [b for b in topology['brokers'] if b['nodeId'] != 2]
    problems = topology_problems(topology)
    assert problems[0] == 'broker 2 missing: the cluster size is 3 but only 2 broker(s) answered (0, 1)'
    assert 'partition 1 has 2 replica(s), fewer than the replication factor 3' in problems
    # Partition 3 was led by broker 2: it now has no leader either.
    assert 'partition 3 has no leader' in problems


def test_expectations_that_differ_are_each_reported():
    topology = healthy_topology(1, 1, 1)
    problems = topology_problems(topology, dict(cluster_size=3, partitions_count=3, replication_factor=3, version='8.9'))
    assert problems == [
        'cluster size is 1, expected 3',
        'partitions count is 1, expected 3',
        'replication factor is 1, expected 3',
        'gateway version is 8.8.0, expected 8.9',
    ]


def test_version_mismatch_between_brokers():
    topology = healthy_topology()
    topology['brokers'][2]['version'] = '8.8.1'
    assert topology_problems(topology) == ['version mismatch: broker 2 runs 8.8.1, the gateway 8.8.0']


def test_every_problem_is_listed_at_once():
    topology = healthy_topology()
    replica(topology, 1, 1)['health'] = 'dead'
    replica(topology, 2, 2)['health'] = 'unhealthy'
    topology['brokers'][0]['version'] = '8.7.9'
    assert len(topology_problems(topology, dict(version='8.9'))) == 4


def test_every_problem_as_data_names_its_kind_broker_and_partition():
    topology = healthy_topology()
    topology['brokers'] = [b for b in topology['brokers'] if b['nodeId'] != 2]
    replica(topology, 1, 1)['health'] = 'dead'
    replica(topology, 2, 0)['role'] = 'leader'
    topology['brokers'][0]['version'] = '8.7.9'
    details = topology_problem_details(topology, dict(version='8.9', partitions_count=4))
    assert [d['message'] for d in details] == topology_problems(topology, dict(version='8.9', partitions_count=4))
    summary = [(d['kind'], d['broker'], d['partition']) for d in details]
    assert summary == [
        ('broker_missing', 2, None),
        ('shape_mismatch', None, None),
        ('replica_unhealthy', 1, 1),
        ('under_replicated', None, 1),
        ('several_leaders', None, 2),
        ('under_replicated', None, 2),
        ('no_leader', None, 3),
        ('under_replicated', None, 3),
        ('version_mismatch', 0, None),
        ('gateway_version', None, None),
    ]
    assert details[1]['field'] == 'partitionsCount' and details[1]['expected'] == 4
    assert details[2]['health'] == 'dead'
    assert details[4]['brokers'] == [0, 1]


def test_partition_missing_everywhere_is_reported():
    topology = healthy_topology(1, 2, 1)
    topology['brokers'][0]['partitions'] = [p for p in topology['brokers'][0]['partitions'] if p['partitionId'] != 2]
    problems = topology_problems(topology)
    assert 'partition 2 has no leader' in problems
    assert 'partition 2 has 0 replica(s), fewer than the replication factor 1' in problems


def test_input_is_not_modified():
    topology = healthy_topology()
    before = copy.deepcopy(topology)
    topology_problems(topology, dict(cluster_size=5))
    assert topology == before


@pytest.mark.parametrize('actual,expected,matches', [
    ('8.8.3', '8.8', True),
    ('8.8.3', '8.8.3', True),
    ('8.8.3', '8.8.', True),
    ('8.8.30', '8.8.3', False),
    ('8.9.0', '8.8', False),
    (None, '8.8', False),
])
def test_version_matches_on_dot_boundaries(actual, expected, matches):
    assert version_matches(actual, expected) is matches
