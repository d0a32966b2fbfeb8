#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_group
short_description: Manage a group of a Camunda 8 cluster, its members and its roles
version_added: 0.1.0
description:
  - Creates, updates or deletes a group through the Orchestration Cluster REST API (C(/v2/groups)), assigns users, clients
    and mapping rules to it, and assigns it to roles.
  - The members of a group get the group's roles, tenants and authorizations.
  - When the cluster takes groups from a token claim (C(camunda.security.authentication.oidc.groups-claim)), Camunda does not
    manage groups itself and this module does not apply.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  group_id:
    description:
      - The id of the group.
    type: str
    required: true
    version_added: 0.1.0
  name:
    description:
      - The display name of the group. Camunda requires one when the group is created; O(group_id) is used when it is not set.
    type: str
    version_added: 0.1.0
  description:
    description:
      - A description of the group.
    type: str
    version_added: 0.1.0
  users:
    description:
      - Usernames of users that are members of the group, applied as O(members_state) says.
      - With Basic authentication the users must exist in Camunda. With OIDC they are the users the identity provider names
        and need not exist in Camunda.
    type: list
    elements: str
    version_added: 0.1.0
  clients:
    description:
      - Client ids of OIDC applications that are members of the group.
    type: list
    elements: str
    version_added: 0.1.0
  mapping_rules:
    description:
      - Ids of mapping rules assigned to the group; every principal whose token matches one of them is a member.
    type: list
    elements: str
    version_added: 0.1.0
  roles:
    description:
      - Ids of roles the group is assigned to; its members get these roles.
      - Camunda records this on the role, so it is the same as listing the group in O(community.camunda.camunda_role#module:groups).
    type: list
    elements: str
    version_added: 0.1.0
  state:
    description:
      - V(present) creates the group or brings it to the options given; V(absent) deletes it (and with it its memberships).
      - Deleting a group that does not exist is not a change.
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
    details: Check mode reads the group and the member lists given, and predicts the writes. It does not check that members or
      roles to be assigned exist; Camunda checks that when they are assigned.
  diff_mode:
    details: The diff shows the group's fields and the member lists given in the task, before and after.
seealso:
  - module: community.camunda.camunda_user
  - module: community.camunda.camunda_role
  - module: community.camunda.camunda_authorization
  - name: Groups in the Orchestration Cluster API
    description: The endpoints this module uses.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-group/
'''

EXAMPLES = r'''
# Basic authentication: users managed in Camunda, gathered in a group that has a role.
- name: Operators of a Helm release with Basic auth
  module_defaults:
    group/community.camunda.camunda:
      url: https://camunda.example.com
      auth_method: basic
      username: demo
      password: "{{ camunda_demo_password }}"
  block:
    - name: Users
      community.camunda.camunda_user:
        user: "{{ item.user }}"
        name: "{{ item.name }}"
        email: "{{ item.email }}"
        user_password: "{{ item.password }}"
      loop: "{{ operators }}"
      no_log: true

    - name: A role for them
      community.camunda.camunda_role:
        role_id: operations
        name: Operations

    - name: Exactly these users are in the group, which has the role
      community.camunda.camunda_group:
        group_id: operators
        name: Operators
        description: People on call
        users: "{{ operators | map(attribute='user') | list }}"
        roles:
          - operations
        members_state: exact

- name: Add one more member, keep the others
  community.camunda.camunda_group:
    group_id: operators
    users:
      - carol

- name: Delete the group
  community.camunda.camunda_group:
    group_id: operators
    state: absent
'''

RETURN = r'''
group:
  description:
    - The group after the task, as read back from Camunda (in check mode, as predicted). Empty when the group does not exist.
  returned: always
  type: dict
  contains:
    groupId:
      description: The id of the group.
      type: str
      sample: operators
    name:
      description: The display name.
      type: str
      sample: Operators
    description:
      description: The description, or V(null).
      type: str
      sample: People on call
members:
  description:
    - The member lists given in the task, after the task, keyed by option name (V(users), V(clients), V(mapping_rules), V(roles)).
    - Only the lists given in the task are read and returned.
  returned: when O(state=present)
  type: dict
  sample:
    users: [alice, bob]
    roles: [operations]
diff:
  description: The group and the member lists given, before and after; only in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {groupId: operators, name: Operators, description: null, users: [alice]}
    after: {groupId: operators, name: Operators, description: null, users: [alice, bob]}
'''

from ansible_collections.community.camunda.plugins.module_utils._identity.group import GROUP_SPEC, run_group
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = GROUP_SPEC
CORE = run_group


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
