# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster shape and the topology document (`GET /v2/topology`) it produces, faults applied."""

from __future__ import annotations

from dataclasses import asdict, dataclass

DEFAULT_VERSION = '8.8.0'
# The shapes of GET /v2/topology the emulator serves (api_version): 8.8 and 8.9 share one; 8.10 adds BrokerInfo.brokerId
# and Partition.state, both required (camunda/camunda zeebe/gateway-protocol/src/main/proto/v2/cluster.yaml).
TOPOLOGY_SHAPES = ('8.8', '8.10')
SECONDARY_STORAGES = ('elasticsearch', 'rdbms')


def release(version):
    """'8.9.14' -> (8, 9, 14), '8.10.0-alpha4' -> (8, 10, 0): what answer shapes that changed in a patch compare."""
    parts = str(version).split('-', 1)[0].split('.') + ['0', '0']
    return tuple(int(''.join(ch for ch in part if ch.isdigit()) or 0) for part in parts[:3])


def _minor(version):
    major, minor = (version.split('.') + ['0'])[:2]
    return int(major), int(''.join(ch for ch in minor if ch.isdigit()) or 0)


@dataclass
class ClusterShape:
    brokers: int = 3
    partitions: int = 3
    replication_factor: int = 3
    version: str = DEFAULT_VERSION
    gateway_version: str | None = None  # None: same as version
    cluster_id: str | None = 'emulated-camunda-cluster'
    host_template: str = 'camunda-zeebe-{node_id}.camunda-zeebe'
    port: int = 26501
    # '8.8' (also 8.9's shape) or '8.10' (brokerId on each broker, state on each replica).
    api_version: str = '8.8'
    # 8.10 only: zone names; the brokers are split evenly, nodeId counts from 0 in each zone, brokerId is '<zone>_<nodeId>'.
    zone_names: list | None = None
    # Where the web apps keep history: 'elasticsearch' (also standing for OpenSearch) or 'rdbms' (8.9+: H2, the default
    # of C8 Run 8.9 and of the lightweight Compose 8.9/8.10 files; PostgreSQL, MariaDB, ...). The backup model reads it.
    secondary_storage: str = 'elasticsearch'

    def validate(self):
        if self.brokers < 1 or self.partitions < 1 or self.replication_factor < 1:
            raise ValueError('brokers, partitions and replication_factor must be at least 1')
        if self.api_version not in TOPOLOGY_SHAPES:
            raise ValueError(f'api_version {self.api_version!r}: the topology shapes are {", ".join(TOPOLOGY_SHAPES)}')
        if self.zone_names and (self.api_version != '8.10' or self.brokers % len(self.zone_names)):
            raise ValueError('zone_names need api_version 8.10 and a number of brokers that the zones divide evenly')
        if self.secondary_storage not in SECONDARY_STORAGES:
            raise ValueError(f'secondary_storage {self.secondary_storage!r}: one of {", ".join(SECONDARY_STORAGES)}')
        if self.secondary_storage == 'rdbms' and _minor(self.version) < (8, 9):
            raise ValueError(f'secondary_storage rdbms needs version 8.9 or later (version is {self.version})')
        if self.replication_factor > self.brokers:
            raise ValueError(f'replication_factor {self.replication_factor} exceeds the {self.brokers} brokers')

    def changed(self, **changes):
        unknown = sorted(set(changes) - set(asdict(self)))
        if unknown:
            raise ValueError(f'unknown cluster settings {unknown}; known: {sorted(asdict(self))}')
        shape = ClusterShape(**{**asdict(self), **changes})
        shape.validate()
        return shape

    def as_json(self):
        return asdict(self)


def replica_brokers(shape, partition_id):
    """Brokers holding partition `partition_id` (1-based), the leader first.

    Replicas are spread round-robin, as Zeebe's default distribution does: partition p starts on broker
    (p - 1) mod N and takes the next replication_factor brokers, so leaders are spread across brokers too.
    """
    first = (partition_id - 1) % shape.brokers
    return [(first + offset) % shape.brokers for offset in range(shape.replication_factor)]


def broker_names(shape, index):
    """(nodeId, brokerId) of the broker at `index` (0..brokers-1): without zones both are the index."""
    if not shape.zone_names:
        return index, str(index)
    per_zone = shape.brokers // len(shape.zone_names)
    node_id = index % per_zone
    return node_id, f'{shape.zone_names[index // per_zone]}_{node_id}'


def partition_state(faults, partition_id, broker_id):
    """8.10's Partition.state of one replica: joining or leaving where a fault says so, else active."""
    replica = (partition_id, broker_id)
    return 'joining' if replica in faults.joining else 'leaving' if replica in faults.leaving else 'active'


def replica_state(faults, partition_id, broker_id, is_leader):
    """(role, health) of one replica after faults."""
    replica = (partition_id, broker_id)
    if replica in faults.inactive:
        role = 'inactive'
    elif is_leader and partition_id not in faults.no_leader:
        role = 'leader'
    else:
        role = 'follower'
    if replica in faults.dead:
        health = 'dead'
    elif replica in faults.unhealthy:
        health = 'unhealthy'
    else:
        health = 'healthy'
    return role, health


def build_topology(shape, faults):
    partitions_by_broker = {broker: [] for broker in range(shape.brokers)}
    for partition_id in range(1, shape.partitions + 1):
        for index, broker_id in enumerate(replica_brokers(shape, partition_id)):
            role, health = replica_state(faults, partition_id, broker_id, index == 0)
            replica = {'partitionId': partition_id, 'role': role, 'health': health}
            if shape.api_version == '8.10':
                replica['state'] = partition_state(faults, partition_id, broker_id)
            partitions_by_broker[broker_id].append(replica)
    brokers = []
    for broker_id, partitions in partitions_by_broker.items():
        if broker_id in faults.missing_brokers:
            continue
        node_id, named = broker_names(shape, broker_id)
        broker = {'nodeId': node_id}
        if shape.api_version == '8.10':
            broker['brokerId'] = named
        broker.update(
            {
                'host': shape.host_template.format(node_id=named.replace('_', '-')),
                'port': shape.port,
                'partitions': partitions,
                'version': faults.broker_versions.get(broker_id, shape.version),
            }
        )
        brokers.append(broker)
    return {
        'brokers': brokers,
        'clusterId': shape.cluster_id,
        'clusterSize': shape.brokers,
        'partitionsCount': shape.partitions,
        'replicationFactor': shape.replication_factor,
        'gatewayVersion': shape.gateway_version or shape.version,
        'lastCompletedChangeId': '-1',
    }


def cluster_is_up(topology):
    """Camunda's /v2/status rule: UP when at least one partition has a healthy leader."""
    return any(
        partition['role'] == 'leader' and partition['health'] == 'healthy'
        for broker in topology['brokers']
        for partition in broker['partitions']
    )
