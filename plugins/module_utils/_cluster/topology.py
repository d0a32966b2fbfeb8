# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cluster topology: read it, judge its health, and wait until it is healthy.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

import time

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    ApiError,
    CamundaError,
    TransportError,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._core.query import apply_query, compile_query

TOPOLOGY_SPEC = module_spec(
    dict(
        expected_cluster_size=dict(type='int'),
        expected_partitions_count=dict(type='int'),
        expected_replication_factor=dict(type='int'),
        expected_version=dict(type='str'),
        query=dict(type='str'),
        wait=dict(type='bool', default=False),
        wait_timeout=dict(type='float', default=300.0),
        wait_interval=dict(type='float', default=5.0),
        fail_on_unhealthy=dict(type='bool', default=False),
    )
)


# Every kind of problem topology_problem_details() reports. The version kinds are judged by the verify
# role's version check, every other kind by its topology check.
BROKER_MISSING = 'broker_missing'
SHAPE_MISMATCH = 'shape_mismatch'
NO_LEADER = 'no_leader'
SEVERAL_LEADERS = 'several_leaders'
REPLICA_UNHEALTHY = 'replica_unhealthy'
REPLICA_INACTIVE = 'replica_inactive'
UNDER_REPLICATED = 'under_replicated'
UNREADABLE = 'unreadable'
VERSION_MISMATCH = 'version_mismatch'
GATEWAY_VERSION = 'gateway_version'
VERSION_KINDS = frozenset((VERSION_MISMATCH, GATEWAY_VERSION))


# Partition states of Camunda 8.10 (Partition.state) in which a replica is being added or removed: reported in
# `transitions`, not judged as faults (an inactive or unhealthy replica there is expected to be so for a while).
# `learner` (camunda-orchestration-sdk 10.0.1's enum) is a replica catching up before it joins.
TRANSITION_STATES = ('joining', 'leaving', 'learner')
PARTITION_TRANSITION = 'partition_transition'


def broker_id(broker):
    """A broker's id as Camunda 8.10 names it (brokerId, unique even across zones), else 8.8/8.9's nodeId.

    A zone-aware 8.10 cluster repeats nodeId in each zone, so brokers are keyed on brokerId where it exists.
    A brokerId that holds a plain number (a cluster without zones) is that number, so both shapes name alike.
    """
    value = broker.get('brokerId')
    if value is None:
        return broker.get('nodeId')
    return int(value) if isinstance(value, str) and value.isdigit() else value


def broker_order(value):
    """Sort key for broker ids that may mix numbers and zoned names (eu-west-1_0)."""
    return (0, value, '') if isinstance(value, int) else (1, 0, str(value))


def problem(kind, message, broker=None, partition=None, **facts):
    """One problem as data: its kind, its readable line, and the broker and partition it concerns."""
    return dict(kind=kind, message=message, broker=broker, partition=partition, **facts)


def version_matches(actual, expected):
    """``8.8`` matches ``8.8.3``; ``8.8.3`` matches only itself."""
    if actual is None:
        return False
    actual, expected = str(actual), str(expected)
    return actual == expected or actual.startswith(expected.rstrip('.') + '.')


def _partition_replicas(topology):
    """{partition id: [(broker id, partition entry), ...]} over every broker."""
    replicas = {}
    for broker in topology.get('brokers') or []:
        for partition in broker.get('partitions') or []:
            replicas.setdefault(partition.get('partitionId'), []).append((broker_id(broker), partition))
    return replicas


def _shape_problems(topology, expected):
    problems = []
    brokers = topology.get('brokers') or []
    cluster_size = topology.get('clusterSize')
    present = sorted((broker_id(b) for b in brokers if broker_id(b) is not None), key=broker_order)
    if isinstance(cluster_size, int) and len(brokers) < cluster_size:
        # Without zones the ids are 0..clusterSize-1, so the missing ones can be named; zoned ids cannot be guessed.
        numbered = all(isinstance(node, int) for node in present)
        missing = [node for node in range(cluster_size) if node not in present] if numbered else []
        named = (
            f"broker {', '.join(str(node) for node in missing)}"
            if missing
            else f'{cluster_size - len(brokers)} broker(s)'
        )
        message = (
            f'{named} missing: the cluster size is {cluster_size} but only '
            f'{len(brokers)} broker(s) answered ({", ".join(map(str, present)) or "none"})'
        )
        problems.append(
            problem(BROKER_MISSING, message, broker=missing[0] if len(missing) == 1 else None, brokers=missing)
        )
    for field, option in (
        ('clusterSize', 'cluster_size'),
        ('partitionsCount', 'partitions_count'),
        ('replicationFactor', 'replication_factor'),
    ):
        want = expected.get(option)
        if want is not None and topology.get(field) != want:
            problems.append(
                problem(
                    SHAPE_MISMATCH,
                    f'{option.replace("_", " ")} is {topology.get(field)}, expected {want}',
                    field=field,
                    actual=topology.get(field),
                    expected=want,
                )
            )
    return problems


def _partition_problems(topology):
    problems = []
    replicas = _partition_replicas(topology)
    count = topology.get('partitionsCount') or 0
    factor = topology.get('replicationFactor')
    partition_ids = sorted(set(range(1, count + 1)) | {p for p in replicas if isinstance(p, int)})
    for partition_id in partition_ids:
        entries = replicas.get(partition_id, [])
        leaders = [broker for broker, entry in entries if entry.get('role') == 'leader']
        if not leaders:
            problems.append(problem(NO_LEADER, f'partition {partition_id} has no leader', partition=partition_id))
        elif len(leaders) > 1:
            problems.append(
                problem(
                    SEVERAL_LEADERS,
                    f'partition {partition_id} has {len(leaders)} leaders (brokers {", ".join(map(str, leaders))})',
                    partition=partition_id,
                    brokers=leaders,
                )
            )
        for broker, entry in entries:
            health = entry.get('health')
            if entry.get('state') in TRANSITION_STATES:
                continue  # reported by topology_transitions()
            if health != 'healthy':
                problems.append(
                    problem(
                        REPLICA_UNHEALTHY,
                        f'partition {partition_id}: replica on broker {broker} is {health}',
                        broker=broker,
                        partition=partition_id,
                        health=health,
                    )
                )
            elif entry.get('role') == 'inactive':
                # Healthy but not replicating: the partition has one working copy fewer than it should.
                problems.append(
                    problem(
                        REPLICA_INACTIVE,
                        f'partition {partition_id}: replica on broker {broker} is inactive',
                        broker=broker,
                        partition=partition_id,
                    )
                )
        if isinstance(factor, int) and len(entries) < factor:
            problems.append(
                problem(
                    UNDER_REPLICATED,
                    f'partition {partition_id} has {len(entries)} replica(s), '
                    f'fewer than the replication factor {factor}',
                    partition=partition_id,
                )
            )
    return problems


def _version_problems(topology, expected_version):
    problems = []
    gateway = topology.get('gatewayVersion')
    for broker in topology.get('brokers') or []:
        if gateway and broker.get('version') and broker.get('version') != gateway:
            problems.append(
                problem(
                    VERSION_MISMATCH,
                    f"version mismatch: broker {broker_id(broker)} runs {broker.get('version')}, the gateway {gateway}",
                    broker=broker_id(broker),
                    version=broker.get('version'),
                )
            )
    if expected_version and not version_matches(gateway, expected_version):
        problems.append(
            problem(
                GATEWAY_VERSION,
                f'gateway version is {gateway}, expected {expected_version}',
                version=gateway,
                expected=expected_version,
            )
        )
    return problems


def topology_problem_details(topology, expected=None):
    """Every problem in the topology as data (see problem()); empty when healthy and as expected."""
    expected = expected or {}
    return (
        _shape_problems(topology, expected)
        + _partition_problems(topology)
        + _version_problems(topology, expected.get('version'))
    )


def topology_transitions(topology):
    """Replicas being added or removed (Camunda 8.10 partition state joining, leaving, learner), as data.

    Not problems: a cluster that is scaling has them for a while. Each says its role and health too.
    """
    transitions = []
    for partition_id, entries in sorted(_partition_replicas(topology).items(), key=lambda item: broker_order(item[0])):
        for broker, entry in entries:
            state = entry.get('state')
            if state in TRANSITION_STATES:
                transitions.append(
                    problem(
                        PARTITION_TRANSITION,
                        f"partition {partition_id}: replica on broker {broker} is {state} "
                        f"({entry.get('role')}, {entry.get('health')})",
                        broker=broker,
                        partition=partition_id,
                        state=state,
                    )
                )
    return transitions


def topology_problems(topology, expected=None):
    """Every problem in the topology, one readable line each; empty when healthy and as expected."""
    return [detail['message'] for detail in topology_problem_details(topology, expected)]


def _expectations(options):
    return {
        name: options.get('expected_' + name)
        for name in ('cluster_size', 'partitions_count', 'replication_factor', 'version')
    }


def _read_until_healthy(client, options, expected, sleep, clock):
    """Poll the topology until it is healthy or wait_timeout passes; return (topology, problem details)."""
    deadline = clock() + options.get('wait_timeout', 300.0)
    interval = max(0.1, options.get('wait_interval', 5.0))
    while True:
        try:
            topology = client.get_json('topology')
            problems = topology_problem_details(topology, expected)
        except (TransportError, ApiError) as exc:
            # While a cluster starts, the API may refuse connections or answer 503; auth faults are final.
            if isinstance(exc, ApiError) and exc.status in (400, 401, 403, 404):
                raise
            topology, problems = None, [problem(UNREADABLE, exc.msg)]
        if not problems or clock() + interval > deadline:
            return topology, problems
        sleep(interval)


def run_topology(options, context, sleep=time.sleep, clock=time.monotonic):
    """The camunda_topology module: GET /v2/topology, health, problems and an optional query."""
    query = compile_query(options.get('query'))
    expected = _expectations(options)
    with CamundaClient(options, context) as client:
        if options.get('wait'):
            topology, details = _read_until_healthy(client, options, expected, sleep, clock)
        else:
            topology = client.get_json('topology')
            details = topology_problem_details(topology, expected)
    problems = [detail['message'] for detail in details]
    result = dict(
        changed=False,
        topology=topology,
        healthy=not problems,
        problems=problems,
        problem_details=details,
        transitions=topology_transitions(topology) if topology else [],
    )
    if query is not None and topology is not None:
        result['query_result'] = apply_query(query, topology)
    if problems and (options.get('wait') or options.get('fail_on_unhealthy')):
        waited = f" within {options.get('wait_timeout', 300.0):g} s" if options.get('wait') else ''
        raise CamundaError(
            f'The cluster is not healthy{waited}: ' + '; '.join(problems) + '.',
            topology=topology,
            healthy=False,
            problems=problems,
            problem_details=details,
        )
    return result


# Grid marks: the replica's role, then its health; reports add a legend.
ROLE_MARKS = {'leader': 'L', 'follower': 'F', 'inactive': 'I'}
HEALTHY_MARK, UNHEALTHY_MARK = '\u2713', '\u2717'  # check mark, ballot x


def _cell_text(entry):
    health = entry.get('health')
    text = f"{ROLE_MARKS.get(entry.get('role'), '?')} {HEALTHY_MARK if health == 'healthy' else UNHEALTHY_MARK + ' ' + str(health)}"
    state = entry.get('state')
    return text + (f' ({state})' if state and state != 'active' else '')


def topology_grid(topology):
    """The broker by partition grid that reports draw, as data: no report has to re-derive it.

    columns: [{'broker': id, 'missing': bool}], every broker that answered, plus, without zones, each id of
    0..clusterSize-1 that did not (missing). rows: [{'partition': id, 'cells': [...]}], one cell per column:
    {'kind': 'missing'} (the broker did not answer), {'kind': 'empty'} (no replica there), or
    {'kind': 'replica', 'role', 'health', 'state', 'text'} where text is e.g. 'L \u2713' or 'F \u2717 dead (joining)'.
    """
    brokers = {broker_id(broker): broker for broker in topology.get('brokers') or []}
    present = sorted(brokers, key=broker_order)
    columns = [dict(broker=node, missing=False) for node in present]
    cluster_size = topology.get('clusterSize')
    if isinstance(cluster_size, int) and all(isinstance(node, int) for node in present):
        columns += [dict(broker=node, missing=True) for node in range(cluster_size) if node not in brokers]
    columns.sort(key=lambda column: broker_order(column['broker']))
    replicas = _partition_replicas(topology)
    partition_ids = set(replicas) | set(range(1, (topology.get('partitionsCount') or 0) + 1))
    rows = []
    for partition_id in sorted(partition_ids, key=broker_order):
        held = dict(replicas.get(partition_id, []))
        cells = []
        for column in columns:
            entry = held.get(column['broker'])
            if column['missing']:
                cells.append(dict(kind='missing'))
            elif entry is None:
                cells.append(dict(kind='empty'))
            else:
                cells.append(
                    dict(
                        kind='replica',
                        role=entry.get('role'),
                        health=entry.get('health'),
                        state=entry.get('state'),
                        text=_cell_text(entry),
                    )
                )
        rows.append(dict(partition=partition_id, cells=cells))
    return dict(columns=columns, rows=rows)
