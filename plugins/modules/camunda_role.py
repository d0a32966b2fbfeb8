#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_role
short_description: Manage a role of a Camunda 8 cluster and its members
version_added: 0.1.0
description:
  - Creates, updates or deletes a role through the Orchestration Cluster REST API (C(/v2/roles)), and assigns users,
    clients, groups and mapping rules to it.
  - A role carries authorizations (see M(community.camunda.camunda_authorization) with O(community.camunda.camunda_authorization#module:owner_type=ROLE));
    every member gets them.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  role_id:
    description:
      - The id of the role. Camunda accepts letters, digits and V(_ @ . + -) (its default id pattern).
    type: str
    required: true
    version_added: 0.1.0
  name:
    description:
      - The display name of the role. Camunda requires one when the role is created; O(role_id) is used when it is not set.
    type: str
    version_added: 0.1.0
  description:
    description:
      - A description of the role.
    type: str
    version_added: 0.1.0
  users:
    description:
      - Usernames of users that are members of the role, applied as O(members_state) says.
      - With Basic authentication the users must exist in Camunda. With OIDC they are the users the identity provider names
        (the cluster's username claim) and need not exist in Camunda.
    type: list
    elements: str
    version_added: 0.1.0
  clients:
    description:
      - Client ids of OIDC applications (as the cluster's client id claim names them) that are members of the role.
    type: list
    elements: str
    version_added: 0.1.0
  groups:
    description:
      - Ids of groups that are members of the role; the members of these groups get the role.
    type: list
    elements: str
    version_added: 0.1.0
  mapping_rules:
    description:
      - Ids of mapping rules assigned to the role; every principal whose token matches one of them gets the role.
      - See M(community.camunda.camunda_mapping_rule).
    type: list
    elements: str
    version_added: 0.1.0
  state:
    description:
      - V(present) creates the role or brings it to the options given; V(absent) deletes it (and with it its memberships).
      - Deleting a role that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
    version_added: 0.1.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._identity
  - community.camunda._identity.MEMBERS
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.STATEFUL
attributes:
  check_mode:
    details: Check mode reads the role and the member lists given, and predicts the writes. It does not check that members to
      be added exist; Camunda checks that when they are assigned.
  diff_mode:
    details: The diff shows the role's fields and the member lists given in the task, before and after.
seealso:
  - module: community.camunda.camunda_mapping_rule
  - module: community.camunda.camunda_authorization
  - module: community.camunda.camunda_group
  - module: community.camunda.camunda_tenant
  - name: Roles in the Orchestration Cluster API
    description: The endpoints this module uses.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-role/
'''

EXAMPLES = r'''
# A full OIDC set-up: tokens issued to the application "billing-worker" get the role "billing", which may
# start and read instances of every process. The cluster must know which claim holds a client's id
# (camunda.security.authentication.oidc.client-id-claim, for example client_id or azp).
- name: Let the billing worker start processes
  module_defaults:
    group/community.camunda.camunda:
      url: https://camunda.example.com
      token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
      client_id: orchestration-admin
      client_secret: "{{ vault_orchestration_admin_secret }}"
  block:
    - name: A mapping rule for the worker's client id claim
      community.camunda.camunda_mapping_rule:
        mapping_rule_id: billing-worker
        claim_name: client_id
        claim_value: billing-worker
        name: Billing worker application

    - name: A role with that mapping rule
      community.camunda.camunda_role:
        role_id: billing
        name: Billing
        description: Starts and reads billing processes
        mapping_rules:
          - billing-worker

    - name: The role may start and read instances of every process
      community.camunda.camunda_authorization:
        owner_type: ROLE
        owner_id: billing
        resource_type: PROCESS_DEFINITION
        resource_id: "*"
        permission_types:
          - CREATE_PROCESS_INSTANCE
          - READ_PROCESS_DEFINITION
          - READ_PROCESS_INSTANCE

- name: Exactly these users are operators (others are removed from the role)
  community.camunda.camunda_role:
    url: http://localhost:8080
    auth_method: basic
    username: demo
    password: "{{ camunda_demo_password }}"
    role_id: operators
    name: Operators
    users:
      - alice
      - bob
    members_state: exact

- name: Take one user out of the role, leave the other members alone
  community.camunda.camunda_role:
    role_id: operators
    users:
      - bob
    members_state: absent

- name: Delete the role
  community.camunda.camunda_role:
    role_id: operators
    state: absent
'''

RETURN = r'''
role:
  description:
    - The role after the task, as read back from Camunda (in check mode, as predicted). Empty when the role does not exist.
  returned: always
  type: dict
  contains:
    roleId:
      description: The id of the role.
      type: str
      sample: billing
    name:
      description: The display name.
      type: str
      sample: Billing
    description:
      description: The description, or V(null).
      type: str
      sample: Starts and reads billing processes
members:
  description:
    - The member lists given in the task, after the task, keyed by option name (V(users), V(clients), V(groups), V(mapping_rules)).
    - Only the lists given in the task are read and returned.
  returned: when O(state=present)
  type: dict
  sample:
    mapping_rules: [billing-worker]
    users: [alice, bob]
diff:
  description: The role and the member lists given, before and after; only in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {}
    after: {roleId: billing, name: Billing, description: null, mapping_rules: [billing-worker]}
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE_SPEC, run_role

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = ROLE_SPEC
CORE = run_role


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
