#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_user
short_description: Manage a user of a Camunda 8 cluster with Basic authentication
version_added: 0.1.0
description:
  - Creates, updates or deletes a user through the Orchestration Cluster REST API (C(/v2/users)).
  - Users in Camunda matter with Basic authentication, where Camunda checks their passwords. With OIDC, users live in the
    identity provider; use M(community.camunda.camunda_mapping_rule) or member lists of roles and groups instead.
  - The managed user is O(user) with O(user_password). The options O(username) and O(password) are the credentials the task
    itself logs in with.
  - To put a user in a group, role or tenant, list it in M(community.camunda.camunda_group),
    M(community.camunda.camunda_role) or M(community.camunda.camunda_tenant).
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  user:
    description:
      - The username of the managed user. Camunda accepts letters, digits and V(_ @ . + -) (its default id pattern).
    type: str
    required: true
    version_added: 0.1.0
  name:
    description:
      - The display name of the user.
    type: str
    version_added: 0.1.0
  email:
    description:
      - The e-mail address of the user.
    type: str
    version_added: 0.1.0
  user_password:
    description:
      - The password of the managed user. Required when the user is created.
      - Camunda never returns a password, so it cannot be compared; O(update_password) says when it is written.
    type: str
    version_added: 0.1.0
  update_password:
    description:
      - V(on_create) writes O(user_password) only when the user is created.
      - V(always) writes it on every run, which is then reported as a change every time (the current password cannot be read
        to compare).
    type: str
    choices: [always, on_create]
    default: on_create
    version_added: 0.1.0
  state:
    description:
      - V(present) creates the user or brings it to the options given; V(absent) deletes it.
      - Deleting a user that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
    version_added: 0.1.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._identity
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.STATEFUL
attributes:
  check_mode:
    details: Check mode reads the user and predicts the writes. With O(update_password=always) it predicts a change, as a real
      run makes one.
  diff_mode:
    details: The password never appears in the diff. When it is written, the diff shows V(password) with a fixed mask in place
      of the value.
seealso:
  - module: community.camunda.camunda_group
  - module: community.camunda.camunda_role
  - name: Users in the Orchestration Cluster API
    description: The endpoints this module uses.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-user/
'''

EXAMPLES = r'''
- name: A user for Basic authentication (the password is written when the user is created)
  community.camunda.camunda_user:
    url: https://camunda.example.com
    auth_method: basic
    username: demo
    password: "{{ camunda_demo_password }}"
    user: alice
    name: Alice Example
    email: alice@example.com
    user_password: "{{ vault_alice_password }}"

- name: Set a new password (reported as a change on every run)
  community.camunda.camunda_user:
    user: alice
    user_password: "{{ vault_alice_new_password }}"
    update_password: always

# Basic set-up of a team: users, then a group that has a role (see camunda_group for the group).
- name: Users of the team
  community.camunda.camunda_user:
    user: "{{ item.user }}"
    name: "{{ item.name }}"
    user_password: "{{ item.password }}"
  loop: "{{ team }}"
  no_log: true

- name: The team's group with exactly these users, in the role "operations"
  community.camunda.camunda_group:
    group_id: team
    name: Team
    users: "{{ team | map(attribute='user') | list }}"
    roles:
      - operations
    members_state: exact

- name: Delete a user
  community.camunda.camunda_user:
    user: bob
    state: absent
'''

RETURN = r'''
user:
  description:
    - The user after the task, as read back from Camunda (in check mode, as predicted). Empty when the user does not exist.
    - It never holds the password.
  returned: always
  type: dict
  contains:
    username:
      description: The username.
      type: str
      sample: alice
    name:
      description: The display name, or V(null).
      type: str
      sample: Alice Example
    email:
      description: The e-mail address, or V(null).
      type: str
      sample: alice@example.com
diff:
  description: The user before and after, only in diff mode; a password that is written shows as a fixed mask.
  returned: when diff mode is on
  type: dict
  sample:
    before: {}
    after: {username: alice, name: Alice Example, email: alice@example.com, password: "********"}
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._identity.user import USER_SPEC, run_user

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = USER_SPEC
CORE = run_user


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
