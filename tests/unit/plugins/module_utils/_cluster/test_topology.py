# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import copy

import pytest

from ansible_collections.community.camunda.plugins.module_utils._cluster.topology import (
    topology_grid,
    topology_problem_details,
    topology_problems,
    topology_transitions,
    version_matches,
)


def healthy_topology(brokers=3, partitions=3, replication=3, version='8.8.0'):
    """Round-robin placement as a real cluster has it: one leader per partition, the rest followers."""
    nodes = [dict(nodeId=n, host=f'zeebe-{n}', port=26501, version=version, partitions=[]) for n in range(brokers)]
    for partition in range(1, partitions + 1):
        for replica in range(replication):
            node = nodes[(partition - 1 + replica) % brokers]
            node['partitions'].append(
                dict(partitionId=partition, role='leader' if replica == 0 else 'follower', health='healthy')
            )
    return dict(
        brokers=nodes,
        clusterSize=brokers,
        partitionsCount=partitions,
        replicationFactor=replication,
        gatewayVersion=version,
        clusterId=None,
        lastCompletedChangeId='-1',
    )


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
    leader = next(
        b for b in topology['brokers'] for p in b['partitions'] if p['partitionId'] == 2 and p['role'] == 'leader'
    )
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
    problems = topology_problems(
        topology, dict(cluster_size=3, partitions_count=3, replication_factor=3, version='8.9')
    )
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


@pytest.mark.parametrize(
    'actual,expected,matches',
    [
        ('8.8.3', '8.8', True),
        ('8.8.3', '8.8.3', True),
        ('8.8.3', '8.8.', True),
        ('8.8.30', '8.8.3', False),
        ('8.9.0', '8.8', False),
        (None, '8.8', False),
    ],
)
def test_version_matches_on_dot_boundaries(actual, expected, matches):
    assert version_matches(actual, expected) is matches


# -- Camunda 8.10: brokerId (nodeId deprecated, unique only within a zone) and partition state ------------------


def topology_810(zones=None, brokers=3, partitions=3, replication=3):
    """The 8.10 shape: brokerId on each broker, state on each replica; zoned ids as '<zone>_<nodeId>'."""
    topology = healthy_topology(brokers, partitions, replication)
    per_zone = brokers // len(zones) if zones else brokers
    for index, broker in enumerate(topology['brokers']):
        if zones:
            broker['nodeId'] = index % per_zone
            broker['brokerId'] = f'{zones[index // per_zone]}_{broker["nodeId"]}'
        else:
            broker['brokerId'] = str(broker['nodeId'])
        for partition in broker['partitions']:
            partition['state'] = 'active'
    return topology


def test_810_shape_without_zones_names_brokers_as_before():
    topology = topology_810()
    assert topology_problems(topology) == []
    topology['brokers'] = topology['brokers'][:2]
    assert (
        topology_problems(topology)[0] == 'broker 2 missing: the cluster size is 3 but only 2 broker(s) answered (0, 1)'
    )


def test_810_zoned_brokers_are_keyed_on_broker_id_not_on_the_repeated_node_id():
    topology = topology_810(zones=['eu-west-1', 'eu-west-2'], brokers=6, partitions=6, replication=3)
    assert [b['nodeId'] for b in topology['brokers']] == [0, 1, 2, 0, 1, 2]
    assert topology_problems(topology) == []
    next(p for p in topology['brokers'][3]['partitions'] if p['partitionId'] == 4)['health'] = 'dead'
    topology['brokers'][5]['version'] = '8.9.0'
    del topology['brokers'][4]
    details = topology_problem_details(topology)
    assert details[0]['message'] == (
        '1 broker(s) missing: the cluster size is 6 but only 5 broker(s) answered '
        '(eu-west-1_0, eu-west-1_1, eu-west-1_2, eu-west-2_0, eu-west-2_2)'
    )
    assert details[0]['brokers'] == []
    assert 'partition 4: replica on broker eu-west-2_0 is dead' in topology_problems(topology)
    assert details[-1]['message'] == 'version mismatch: broker eu-west-2_2 runs 8.9.0, the gateway 8.8.0'
    assert details[-1]['broker'] == 'eu-west-2_2'


@pytest.mark.parametrize('state', ['joining', 'leaving', 'learner'])
def test_810_a_replica_joining_or_leaving_is_reported_not_a_fault(state):
    topology = topology_810()
    moving = replica(topology, 2, 0)
    moving.update(state=state, role='inactive', health='unhealthy')
    assert topology_problems(topology) == []
    assert topology_transitions(topology) == [
        dict(
            kind='partition_transition',
            broker=0,
            partition=2,
            state=state,
            message=f'partition 2: replica on broker 0 is {state} (inactive, unhealthy)',
        )
    ]
    # An active replica in the same condition is a fault.
    moving['state'] = 'active'
    assert topology_problems(topology) == ['partition 2: replica on broker 0 is unhealthy']
    assert topology_transitions(topology) == []


def test_810_transitions_do_not_hide_a_missing_leader():
    topology = topology_810(brokers=1, partitions=1, replication=1)
    replica(topology, 1, 0).update(state='leaving', role='follower')
    assert topology_problems(topology) == ['partition 1 has no leader']


def test_grid_names_missing_brokers_and_marks_each_replica():
    topology = healthy_topology()
    topology['brokers'] = topology['brokers'][:2]
    replica(topology, 3, 1)['health'] = 'dead'
    replica(topology, 1, 1)['role'] = 'inactive'
    grid = topology_grid(topology)
    assert grid['columns'] == [
        dict(broker=0, missing=False),
        dict(broker=1, missing=False),
        dict(broker=2, missing=True),
    ]
    texts = {row['partition']: [cell.get('text', cell['kind']) for cell in row['cells']] for row in grid['rows']}
    assert texts == {
        1: ['L \u2713', 'I \u2713', 'missing'],
        2: ['F \u2713', 'L \u2713', 'missing'],
        3: ['F \u2713', 'F \u2717 dead', 'missing'],
    }


def test_grid_of_a_zoned_810_cluster_keys_on_broker_id_and_shows_the_state():
    topology = topology_810(zones=['b', 'a'], brokers=4, partitions=2, replication=2)
    topology['brokers'][0]['partitions'][0]['state'] = 'joining'
    grid = topology_grid(topology)
    # Sorted by name; no missing column can be guessed for zoned ids.
    assert [column['broker'] for column in grid['columns']] == ['a_0', 'a_1', 'b_0', 'b_1']
    assert grid['rows'][0]['cells'] == [
        dict(kind='empty'),
        dict(kind='empty'),
        dict(kind='replica', role='leader', health='healthy', state='joining', text='L \u2713 (joining)'),
        dict(kind='replica', role='follower', health='healthy', state='active', text='F \u2713'),
    ]
