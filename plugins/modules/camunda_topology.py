#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_topology
short_description: Read the topology of a Camunda 8 cluster and judge its health
version_added: 0.1.0
description:
  - Reads C(GET /v2/topology) from the Orchestration Cluster REST API with any auth method, and lists every problem
    it finds, one readable line each. It finds a missing broker, a partition without leader, an unhealthy or dead replica,
    fewer replicas than the replication factor, brokers on different versions, and any difference from the
    C(expected_*) options.
  - It reports; it fails on health only with O(fail_on_unhealthy=true), or when O(wait=true) times out.
  - It reads both shapes of the answer. Camunda 8.8 and 8.9 name brokers by C(nodeId) (0 to C(clusterSize) - 1).
    Camunda 8.10 adds C(brokerId), unique across zones (C(eu-west-1_0)) where C(nodeId) repeats in each zone, and a
    C(state) per replica; brokers are named by C(brokerId) where it is given. A replica whose state is C(joining),
    C(leaving) or C(learner) is being added or removed; it is listed in RV(transitions), not taken for a problem.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
  - jmespath (only for O(query))
options:
  expected_cluster_size:
    description: Number of brokers the cluster should have (Helm default 3; C8 Run and Docker Compose 1).
    type: int
    version_added: 0.1.0
  expected_partitions_count:
    description: Number of partitions the cluster should have.
    type: int
    version_added: 0.1.0
  expected_replication_factor:
    description: Replication factor the cluster should have.
    type: int
    version_added: 0.1.0
  expected_version:
    description:
      - Version the gateway should report. V(8.8) matches every 8.8 patch release; V(8.8.3) only itself.
    type: str
    version_added: 0.1.0
  query:
    description:
      - A JMESPath expression applied to the topology; its value is returned as RV(query_result).
    type: str
    version_added: 0.1.0
  wait:
    description:
      - Poll until the cluster is healthy and as expected, or fail when O(wait_timeout) passes, with the last problems listed.
      - While waiting, connection failures and 5xx answers count as problems (the cluster may be starting);
        refused credentials do not, they fail at once.
    type: bool
    default: false
    version_added: 0.1.0
  wait_timeout:
    description: Seconds to wait when O(wait=true).
    type: float
    default: 300
    version_added: 0.1.0
  wait_interval:
    description: Seconds between two polls when O(wait=true).
    type: float
    default: 5
    version_added: 0.1.0
  fail_on_unhealthy:
    description: Fail when the topology has problems, listing all of them.
    type: bool
    default: false
    version_added: 0.1.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
seealso:
  - module: community.camunda.camunda_token
  - name: Get cluster topology
    description: The Orchestration Cluster API endpoint this module reads.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-topology/
'''

EXAMPLES = r'''
- name: Check a C8 Run or Docker Compose cluster (no auth by default)
  community.camunda.camunda_topology:
    url: http://localhost:8080
    expected_cluster_size: 1
  register: topology

- name: Wait until a Helm release is healthy (Basic auth, the chart's demo user)
  community.camunda.camunda_topology:
    url: https://camunda.example.com
    auth_method: basic
    username: demo
    password: "{{ camunda_demo_password }}"
    expected_cluster_size: 3
    expected_partitions_count: 3
    expected_replication_factor: 3
    expected_version: "8.8"
    wait: true
    wait_timeout: 600

- name: Check a SaaS cluster with OIDC and read one value
  community.camunda.camunda_topology:
    url: https://bru-2.zeebe.camunda.io/{{ cluster_id }}
    token_url: https://login.cloud.camunda.io/oauth/token
    audience: zeebe.camunda.io
    client_id: "{{ saas_client_id }}"
    client_secret: "{{ saas_client_secret }}"
    query: "brokers[].partitions[?role=='leader'].partitionId[]"
    fail_on_unhealthy: true
  register: saas

# The connection can be set once per play for every module of this collection:
#   module_defaults:
#     group/community.camunda.camunda:
#       url: https://camunda.example.com
#       token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
#       client_id: orchestration
#       client_secret: "{{ vault_orchestration_secret }}"
- name: Topology with the play's module_defaults
  community.camunda.camunda_topology:
'''

RETURN = r'''
topology:
  description: The API's own answer to C(GET /v2/topology).
  returned: when the API answered
  type: dict
  sample:
    brokers:
      - nodeId: 0
        host: camunda-zeebe-0
        port: 26501
        version: 8.8.0
        partitions:
          - {partitionId: 1, role: leader, health: healthy}
    clusterSize: 1
    partitionsCount: 1
    replicationFactor: 1
    gatewayVersion: 8.8.0
healthy:
  description: Whether the topology has no problem.
  returned: always
  type: bool
  sample: false
problems:
  description: One readable line per problem found; empty when healthy.
  returned: always
  type: list
  elements: str
  sample:
    - "partition 3 has no leader"
    - "partition 2: replica on broker 1 is dead"
problem_details:
  description:
    - The problems of RV(problems) as data, in the same order, so that a playbook can act on a kind of problem
      or on one broker or partition without matching the wording of the lines.
  returned: always
  type: list
  elements: dict
  version_added: 0.3.0
  contains:
    kind:
      description:
        - What is wrong. V(broker_missing), V(shape_mismatch) (cluster size, partitions count or replication factor
          differs from the C(expected_*) option), V(no_leader), V(several_leaders), V(replica_unhealthy),
          V(replica_inactive), V(under_replicated), V(unreadable) (the topology could not be read while waiting),
          V(version_mismatch) (a broker runs another version than the gateway), V(gateway_version)
          (the gateway's version is not O(expected_version)).
      type: str
      sample: replica_unhealthy
    message:
      description: The same line as in RV(problems).
      type: str
      sample: "partition 2: replica on broker 1 is dead"
    broker:
      description: The id of the broker the problem concerns (C(brokerId) on Camunda 8.10, else C(nodeId)), or V(null).
      type: raw
      sample: 1
    partition:
      description: The id of the partition the problem concerns, or V(null).
      type: int
      sample: 2
  sample:
    - {kind: replica_unhealthy, message: "partition 2: replica on broker 1 is dead", broker: 1, partition: 2, health: dead}
transitions:
  description:
    - Replicas being added to or removed from a partition (Camunda 8.10 partition C(state) V(joining), V(leaving) or
      V(learner)), with the same fields as RV(problem_details) plus C(state). Not problems; empty before 8.10.
  returned: always
  type: list
  elements: dict
  version_added: 0.3.0
  sample:
    - {kind: partition_transition, message: "partition 2: replica on broker 3 is joining (follower, healthy)",
       broker: 3, partition: 2, state: joining}
query_result:
  description: The value of O(query) applied to RV(topology).
  returned: when O(query) is given
  type: raw
  sample: [1, 2, 3]
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._cluster.topology import TOPOLOGY_SPEC, run_topology

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = TOPOLOGY_SPEC
CORE = run_topology


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
