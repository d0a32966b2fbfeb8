#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: verify_judge
short_description: Judge the checks of the verify role from its probes' answers
version_added: 0.3.0
description:
  - The judging step of the role C(community.camunda.verify), usable on its own. It reads nothing from a cluster;
    it takes what the probes registered (M(community.camunda.camunda_topology), M(community.camunda.camunda_cluster_info),
    and each extension probe of the role) and judges every check against the expectations.
  - "Core checks, in this order: C(api), C(auth posture), C(credentials), C(topology), C(version). Each extension probe
    C(roles/verify/tasks/probe_<name>.yml) brings one more check (for example C(connectors)), after the core ones."
  - A check whose probe did not run (skipped) is left out, not counted.
  - Runs in the controller only (an action plugin); it never runs on a target.
author:
  - community.camunda contributors (@ansible-collections)
options:
  probes:
    description:
      - "The probes' registered answers by probe name: C(topology) and C(cluster_info) for the core checks,
        and C(<name>) for an extension probe C(probe_<name>.yml)."
    type: dict
    required: true
  expected:
    description:
      - The expectations, as the role computes them from its C(verify_expected_*) variables and O(deployment)
        (keys C(auth_method), C(cluster_size), C(partitions_count), C(replication_factor), C(version)).
    type: dict
    required: true
  deployment:
    description: The kind of deployment (as the role's C(verify_deployment)); V(saas) requires OIDC.
    type: str
    default: other
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: It only judges data; it runs normally in check mode and always reports RV(ignore:changed=false).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details: It changes nothing, so there is no diff.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: all
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
seealso:
  - module: community.camunda.camunda_topology
  - module: community.camunda.camunda_cluster_info
  - module: community.camunda.verify_fleet
'''

EXAMPLES = r'''
- name: Probe a cluster
  community.camunda.camunda_topology:
  register: topology

- name: Probe its status, auth posture and credentials
  community.camunda.camunda_cluster_info:
  register: cluster_info

- name: Judge them
  community.camunda.verify_judge:
    probes:
      topology: "{{ topology }}"
      cluster_info: "{{ cluster_info }}"
    expected: {auth_method: basic, cluster_size: 3, version: "8.8"}
  register: judged

- name: Fail with every failed check
  ansible.builtin.fail:
    msg: "{{ judged.failure_message }}"
  when: not verify_result.passed
'''

RETURN = r'''
ansible_facts:
  description: Sets the fact C(verify_result).
  returned: always
  type: dict
  contains:
    verify_result:
      description:
        - C(passed), C(checks) (each with C(name), C(result) V(pass), V(fail) or V(skip), C(reason), C(problems) one line each,
          and C(details) as data), C(url), C(deployment), C(expected), C(auth_method), C(principal), C(license), C(topology).
      type: dict
      sample:
        passed: false
        checks:
          - {name: topology, result: fail, reason: "partition 2 has no leader", problems: ["partition 2 has no leader"],
             details: [{kind: no_leader, message: "partition 2 has no leader", broker: null, partition: 2}]}
summary:
  description: One line for the verdict, then one per check.
  returned: always
  type: list
  elements: str
  sample: ["Camunda at https://camunda.example.com/v2: all checks passed", "PASS  api: GET /v2/status answered 204: ..."]
failure_message:
  description: Every failed check with each of its problems; empty when every check passed.
  returned: always
  type: str
  sample: "Verification of https://camunda.example.com/v2 failed, 1 of 5 checks: topology: partition 2 has no leader"
'''
