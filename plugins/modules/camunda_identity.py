#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_identity
short_description: Bring users, groups, roles, tenants, mapping rules and authorizations of a Camunda 8 cluster to a desired state
version_added: 0.3.0
description:
  - Identity as code for the Orchestration Cluster REST API (C(/v2)). One task owns the desired state of any subset of users,
    mapping rules, groups, roles, tenants, authorizations and their memberships, hundreds to thousands of entries, for
    example one YAML file per environment.
  - Each entry has the shape of the single-entity module of its kind (M(community.camunda.camunda_user),
    M(community.camunda.camunda_group), ...) and is compared the same way; options an entry does not set are left as they are.
  - The module reads the current state with one paged search per kind and one search per member list an entry gives (not
    one read per entity), plans every change, and applies it in dependency order. Users, mapping rules, groups, roles and
    tenants are created or updated first (in that order), then members are assigned, then authorizations are written;
    removals run in reverse (authorizations, member removals, then tenants, roles, groups, mapping rules, users).
  - Writes of one phase are independent and are sent concurrently, at most O(parallel) at once. When Camunda pushes back
    (429 or 503, waited out and retried as O(retries) and C(Retry-After) say), the module halves the number of writes in flight
    and raises it again one by one.
  - A member that Camunda requires to exist (a group, role or mapping rule in a member list) and that neither exists
    nor is declared in the task fails the task before any write, in check mode too.
  - When a write fails, no further write starts. The task fails listing the writes that were applied and those that were not
    (RV(applied), RV(not_applied)), with C(changed=true) when any was applied. There is no local state. Running the task
    again reads the state Camunda then has and plans only what is still missing.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  users:
    description:
    - 'Users (Basic authentication: users managed in Camunda).'
    - Each entry takes the options of M(community.camunda.camunda_user) (not the connection options), plus O(users[].state).
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
    suboptions:
      user:
        description:
        - The username.
        type: str
        required: true
      name:
        description:
        - The display name.
        type: str
      email:
        description:
        - The email address.
        type: str
      user_password:
        description:
        - The password; written when the user is created, and on update only with O(users[].update_password=always).
        - 'Never shown: the plan and diff show it masked.'
        type: str
      update_password:
        description:
        - V(always) writes O(users[].user_password) on every run that plans the user; V(on_create) only when creating it.
        type: str
        choices:
        - always
        - on_create
        default: on_create
      state:
        description:
        - V(present) or V(absent); an entry with V(absent) is removed (its member lists are ignored).
        type: str
        choices:
        - present
        - absent
        default: present
  mapping_rules:
    description:
    - 'Mapping rules (OIDC: claims of a token that make its bearer a member or an owner).'
    - Each entry takes the options of M(community.camunda.camunda_mapping_rule) (not the connection options), plus O(mapping_rules[].state).
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
    suboptions:
      mapping_rule_id:
        description:
        - The id of the mapping rule.
        type: str
        required: true
      claim_name:
        description:
        - The claim name, or a JSONPath expression such as V($.realm_access.roles). Required to create the rule.
        type: str
      claim_value:
        description:
        - The claim value that matches. Required to create the rule.
        type: str
      name:
        description:
        - The display name.
        type: str
      state:
        description:
        - V(present) or V(absent); an entry with V(absent) is removed (its member lists are ignored).
        type: str
        choices:
        - present
        - absent
        default: present
  groups:
    description:
    - Groups, their members, and the roles they are assigned to.
    - Each entry takes the options of M(community.camunda.camunda_group) (not the connection options), plus O(groups[].state).
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
    suboptions:
      group_id:
        description:
        - The id of the group.
        type: str
        required: true
      name:
        description:
        - The display name.
        type: str
      description:
        description:
        - A description.
        type: str
      users:
        description:
        - Usernames of users that are members.
        type: list
        elements: str
      clients:
        description:
        - Client ids of OIDC applications that are members.
        type: list
        elements: str
      mapping_rules:
        description:
        - Ids of mapping rules that are members.
        type: list
        elements: str
      roles:
        description:
        - 'Ids of roles (for a group: the roles it is assigned to, recorded on the role).'
        type: list
        elements: str
      members_state:
        description: &id001
        - How the member lists of the entry are applied, as in the single-entity module (V(present), V(exact), V(absent)).
        - 'When not set: V(exact) if O(exclusive) has V(memberships), else V(present).'
        type: str
        choices:
        - present
        - absent
        - exact
      state:
        description:
        - V(present) or V(absent); an entry with V(absent) is removed (its member lists are ignored).
        type: str
        choices:
        - present
        - absent
        default: present
  roles:
    description:
    - Roles and their members.
    - Each entry takes the options of M(community.camunda.camunda_role) (not the connection options), plus O(roles[].state).
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
    suboptions:
      role_id:
        description:
        - The id of the role.
        type: str
        required: true
      name:
        description:
        - The display name.
        type: str
      description:
        description:
        - A description.
        type: str
      users:
        description:
        - Usernames of users that are members.
        type: list
        elements: str
      clients:
        description:
        - Client ids of OIDC applications that are members.
        type: list
        elements: str
      groups:
        description:
        - Ids of groups that are members.
        type: list
        elements: str
      mapping_rules:
        description:
        - Ids of mapping rules that are members.
        type: list
        elements: str
      members_state:
        description: *id001
        type: str
        choices:
        - present
        - absent
        - exact
      state:
        description:
        - V(present) or V(absent); an entry with V(absent) is removed (its member lists are ignored).
        type: str
        choices:
        - present
        - absent
        default: present
  tenants:
    description:
    - Tenants and their members.
    - Each entry takes the options of M(community.camunda.camunda_tenant) (not the connection options), plus O(tenants[].state).
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
    suboptions:
      tenant_id:
        description:
        - The id of the tenant.
        type: str
        required: true
      name:
        description:
        - The display name.
        type: str
      description:
        description:
        - A description.
        type: str
      users:
        description:
        - Usernames of users that are members.
        type: list
        elements: str
      clients:
        description:
        - Client ids of OIDC applications that are members.
        type: list
        elements: str
      groups:
        description:
        - Ids of groups that are members.
        type: list
        elements: str
      roles:
        description:
        - 'Ids of roles (for a group: the roles it is assigned to, recorded on the role).'
        type: list
        elements: str
      mapping_rules:
        description:
        - Ids of mapping rules that are members.
        type: list
        elements: str
      members_state:
        description: *id001
        type: str
        choices:
        - present
        - absent
        - exact
      state:
        description:
        - V(present) or V(absent); an entry with V(absent) is removed (its member lists are ignored).
        type: str
        choices:
        - present
        - absent
        default: present
  authorizations:
    description:
    - 'Authorizations: the permissions of an owner on a resource.'
    - Each entry takes the options of M(community.camunda.camunda_authorization) (not the connection options), plus O(authorizations[].state).
    type: list
    elements: dict
    default: []
    version_added: 0.3.0
    suboptions:
      owner_type:
        description:
        - The kind of owner.
        type: str
        required: true
        choices:
        - CLIENT
        - GROUP
        - MAPPING_RULE
        - ROLE
        - USER
      owner_id:
        description:
        - The id of the owner.
        type: str
        required: true
      resource_type:
        description:
        - The kind of resource.
        type: str
        required: true
        choices:
        - AUDIT_LOG
        - AUTHORIZATION
        - BACKUP
        - BATCH
        - CLUSTER_VARIABLE
        - COMPONENT
        - DECISION_DEFINITION
        - DECISION_REQUIREMENTS_DEFINITION
        - DOCUMENT
        - EXPORTER
        - EXPRESSION
        - GLOBAL_LISTENER
        - GROUP
        - MAPPING_RULE
        - MESSAGE
        - PROCESS_DEFINITION
        - RESOURCE
        - ROLE
        - SECRET
        - SYSTEM
        - TENANT
        - USER
        - USER_TASK
      resource_id:
        description:
        - The id of the resource, or V(*) for every resource of the type.
        type: str
      resource_property_name:
        description:
        - The name of a resource property (Camunda 8.9 and later), instead of O(authorizations[].resource_id).
        type: str
      permission_types:
        description:
        - The complete set of permissions the authorization has. Required with O(authorizations[].state=present).
        type: list
        choices:
        - ACCESS
        - CANCEL_PROCESS_INSTANCE
        - CLAIM
        - CLAIM_USER_TASK
        - COMPLETE
        - COMPLETE_USER_TASK
        - CREATE
        - CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE
        - CREATE_BATCH_OPERATION_DELETE_DECISION_DEFINITION
        - CREATE_BATCH_OPERATION_DELETE_DECISION_INSTANCE
        - CREATE_BATCH_OPERATION_DELETE_PROCESS_DEFINITION
        - CREATE_BATCH_OPERATION_DELETE_PROCESS_INSTANCE
        - CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE
        - CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE
        - CREATE_BATCH_OPERATION_RESOLVE_INCIDENT
        - CREATE_BATCH_OPERATION_SUSPEND_PROCESS_INSTANCE
        - CREATE_BATCH_OPERATION_UPDATE_JOB
        - CREATE_DECISION_INSTANCE
        - CREATE_PROCESS_INSTANCE
        - CREATE_TASK_LISTENER
        - DELETE
        - DELETE_DECISION_INSTANCE
        - DELETE_DRD
        - DELETE_FORM
        - DELETE_PROCESS
        - DELETE_PROCESS_INSTANCE
        - DELETE_RESOURCE
        - DELETE_TASK_LISTENER
        - EVALUATE
        - MODIFY_PROCESS_INSTANCE
        - PAUSE
        - READ
        - READ_DECISION_DEFINITION
        - READ_DECISION_INSTANCE
        - READ_JOB_METRIC
        - READ_PROCESS_DEFINITION
        - READ_PROCESS_INSTANCE
        - READ_TASK_LISTENER
        - READ_USAGE_METRIC
        - READ_USER_TASK
        - RESTORE
        - REVEAL
        - SUSPEND_PROCESS_INSTANCE
        - UPDATE
        - UPDATE_PROCESS_INSTANCE
        - UPDATE_TASK_LISTENER
        - UPDATE_USER_TASK
        elements: str
      state:
        description:
        - V(present) or V(absent); an entry with V(absent) is removed (its member lists are ignored).
        type: str
        choices:
        - present
        - absent
        default: present
  exclusive:
    description:
      - Kinds of which the task declares every object. Objects of these kinds that Camunda has and no entry declares are removed.
      - V(memberships) makes every member list an entry gives (and that does not set its own C(members_state)) the complete list.
      - Never removed this way, and listed in RV(protected) with the reason, are the user or client the task runs as (read from
        C(GET /v2/authentication/me)), its memberships and its authorizations; Camunda's built-in roles (V(admin),
        V(readonly-admin), V(rpa), V(connectors), V(app-integrations), V(task-worker)), their members and their
        authorizations; and the default tenant (V(<default>)). An entry that states them (for example C(state=absent), or
        C(members_state=exact) on the V(admin) role) is applied as stated, except that the principal the task runs as is
        never removed.
      - When Camunda does not say who the task runs as (no credentials), V(users) also spares the users of the V(admin)
        role, so that the task cannot remove the only admin; RV(protected) says so.
      - Removing a group the principal belongs to is listed with that consequence in the plan (the principal loses the
        membership and what the group grants it).
    type: list
    elements: str
    choices: [users, mapping_rules, groups, roles, tenants, authorizations, memberships]
    default: []
    version_added: 0.3.0
  parallel:
    description:
      - How many requests the module sends at once (reads of member lists, writes of one phase). From 1 to 10.
      - The module sends fewer while Camunda pushes back (429, 503).
    type: int
    default: 4
    version_added: 0.3.0
  consistency_timeout:
    description:
      - Seconds to wait, when a create is refused with 409 because the entity exists but Camunda's eventually consistent reads
        do not show it yet, for the entity to become readable; then the module continues as for an existing entity.
    type: float
    default: 10
    version_added: 0.3.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.STATEFUL
attributes:
  check_mode:
    details: Check mode reads and plans, and returns the plan (RV(plan)) without writing; a real run sends exactly these writes.
  diff_mode:
    details: The diff is the plan as text, one line per write, with field-level changes and passwords masked, for a review in a pipeline.
notes:
  - Secrets are never shown. Passwords in the plan, the diff and the results are masked; the password options are C(no_log).
  - Camunda keeps one mapping rule per claim; the module fails before any write when two rules of the desired state (or one and an
    existing rule it does not remove) would map the same claim.
  - The role C(community.camunda.camunda_identity) reads the desired state from variables (C(camunda_identity_users), ...), so
    that an inventory per stage drives it.
seealso:
  - module: community.camunda.camunda_user
  - module: community.camunda.camunda_group
  - module: community.camunda.camunda_role
  - module: community.camunda.camunda_tenant
  - module: community.camunda.camunda_mapping_rule
  - module: community.camunda.camunda_authorization
'''

EXAMPLES = r'''
- name: The identity state of this stage, from one variables file; strays of every kind removed
  community.camunda.camunda_identity:
    url: https://camunda.example.com
    auth_method: basic
    username: demo
    password: "{{ camunda_demo_password }}"
    users:
      - user: alice
        name: Alice
        email: alice@example.com
        user_password: "{{ vault_alice_password }}"
      - user: bob
        name: Bob
        user_password: "{{ vault_bob_password }}"
    groups:
      - group_id: operators
        name: Operators
        users: [alice, bob]
        roles: [operations]
    roles:
      - role_id: operations
        name: Operations
    authorizations:
      - owner_type: ROLE
        owner_id: operations
        resource_type: PROCESS_DEFINITION
        resource_id: "*"
        permission_types: [READ_PROCESS_DEFINITION, READ_PROCESS_INSTANCE]
    exclusive: [users, groups, roles, authorizations, memberships]

- name: Review the plan in a pipeline (nothing is written)
  community.camunda.camunda_identity:
    users: "{{ camunda_identity_users }}"
    groups: "{{ camunda_identity_groups }}"
    exclusive: [groups]
  check_mode: true
  diff: true
  register: identity_plan

- name: Show what would be removed
  ansible.builtin.debug:
    msg: "{{ identity_plan.plan | selectattr('action', 'equalto', 'remove') | map(attribute='label') | list }}"
'''

RETURN = r'''
plan:
  description:
    - Every write, in the order of its phase, as planned from the state read. In check mode, the writes a real run would send.
    - Each item has C(action) (V(create), V(update), V(remove), V(assign), V(unassign)), C(kind) (V(user), V(group), ...) and
      C(label); updates and creates have C(changes) (per field C(before) and C(after); passwords only as C(after), masked);
      member writes have C(members) (the member list, for example V(users)) and C(member); removals have C(reason).
  returned: always
  type: list
  elements: dict
  sample:
    - {action: create, kind: user, label: "user 'alice'", changes: {name: {before: null, after: Alice}, password: {after: '********'}}}
    - {action: assign, kind: group, label: "group 'operators'", members: users, member: alice}
    - {action: remove, kind: role, label: "role 'old'", reason: "not declared; exclusive: roles"}
summary:
  description: How many writes of each action the plan holds, and how many objects were spared (RV(protected)).
  returned: always
  type: dict
  sample: {create: 1, update: 0, remove: 1, assign: 1, unassign: 0, protected: 2}
protected:
  description: What O(exclusive) would have removed but spared, with the reason.
  returned: always
  type: list
  elements: dict
  sample:
    - {label: "role 'admin'", reason: a built-in role of Camunda}
    - {label: "user 'demo'", reason: the principal this task runs as}
applied:
  description: When a write failed, the writes that were applied before it, as readable lines.
  returned: failure
  type: list
  elements: str
  sample: ["create user 'alice'"]
not_applied:
  description: When a write failed, the planned writes that were not sent. A re-run plans them again from the state Camunda has.
  returned: failure
  type: list
  elements: str
  sample: ["assign user 'alice' to group 'operators'"]
failed_step:
  description: When a write failed, the write that failed.
  returned: failure
  type: str
  sample: "create group 'operators'"
diff:
  description: In diff mode, the plan as text (C(prepared)), one line per write, passwords masked.
  returned: when diff mode is on
  type: dict
  sample:
    prepared: "camunda_identity plan: 1 to create, ...\n+ create user 'alice': name = 'Alice', password = ********\n"
'''

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.community.camunda.plugins.module_utils._identity.desired_state import run_identity
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import (
    IDENTITY_SPEC,
    entries_shape_error,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = IDENTITY_SPEC
CORE = run_identity
ARGUMENTS_CHECK = entries_shape_error


class IdentityModule(AnsibleModule):
    """AnsibleModule whose failure for a list of entries in the wrong shape names the option and the shape.

    ansible-core's own message (validating the arguments in __init__) names neither; the check reads the arguments
    as given, before validation converted them, and finds nothing to say about arguments of the right shape.
    """

    def _load_params(self):
        super()._load_params()
        self._arguments_as_given = dict(self.params or {})

    def fail_json(self, msg, **kwargs):
        clearer = ARGUMENTS_CHECK(getattr(self, '_arguments_as_given', {}))
        super().fail_json(msg=clearer or msg, **kwargs)


def main():
    run_module(SPEC, CORE, module_class=IdentityModule)


if __name__ == '__main__':
    main()
