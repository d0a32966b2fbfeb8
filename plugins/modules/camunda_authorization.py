#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_authorization
short_description: Manage an authorization of a Camunda 8 cluster
version_added: 0.1.0
description:
  - Creates, updates or deletes an authorization through the Orchestration Cluster REST API (C(/v2/authorizations)). An
    authorization holds the permissions an owner (a user, client, group, role or mapping rule) has on a resource.
  - An authorization has no id a playbook could know. The module finds it by its owner (O(owner_type), O(owner_id)) and its
    resource (O(resource_type) and O(resource_id), or O(resource_property_name)), which Camunda keeps unique, with
    C(POST /v2/authorizations/search), and changes it through its key.
  - O(permission_types) is compared as a set; order and repeats never cause a change.
  - Owner, resource and permission types are checked before any request; the lists below hold the values of Camunda 8.8 to
    8.10, and a cluster refuses values its version does not know. Camunda also refuses permission types that do not apply to
    the resource type (for example V(COMPONENT) takes only V(ACCESS)), with a message naming the ones that do.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
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
    version_added: 0.1.0
  owner_id:
    description:
      - The id of the owner, according to O(owner_type) a username, client id, group id, role id or mapping rule id.
    type: str
    required: true
    version_added: 0.1.0
  resource_type:
    description:
      - The kind of resource. V(AUDIT_LOG), V(CLUSTER_VARIABLE), V(EXPRESSION), V(GLOBAL_LISTENER) and V(USER_TASK) came with
        Camunda 8.9; V(BACKUP), V(EXPORTER) and V(SECRET) with 8.10.
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
    version_added: 0.1.0
  resource_id:
    description:
      - The id of the resource, for example a process id for V(PROCESS_DEFINITION), a component (V(operate), V(tasklist),
        V(identity), ...) for V(COMPONENT), or V(*) for every resource of the type.
      - Exactly one of O(resource_id) and O(resource_property_name) is required.
    type: str
    version_added: 0.1.0
  resource_property_name:
    description:
      - For authorizations that follow a property of the resource instead of its id (Camunda 8.9 and later), the name of that
        property, for example V(assignee) for V(USER_TASK).
    type: str
    version_added: 0.1.0
  permission_types:
    description:
      - The permissions; the complete set the authorization has after the task. Required with O(state=present).
      - V(CLAIM), V(CLAIM_USER_TASK), V(COMPLETE), V(COMPLETE_USER_TASK), V(CREATE_TASK_LISTENER), V(DELETE_TASK_LISTENER),
        V(EVALUATE), V(READ_JOB_METRIC), V(READ_TASK_LISTENER) and V(UPDATE_TASK_LISTENER) came with Camunda 8.9;
        V(CREATE_BATCH_OPERATION_SUSPEND_PROCESS_INSTANCE), V(CREATE_BATCH_OPERATION_UPDATE_JOB), V(PAUSE), V(RESTORE),
        V(REVEAL) and V(SUSPEND_PROCESS_INSTANCE) with 8.10.
    type: list
    elements: str
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
    version_added: 0.1.0
  state:
    description:
      - V(present) creates the authorization or sets its permissions; V(absent) deletes it.
      - Deleting an authorization that does not exist is not a change.
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
    details: Check mode searches for the authorization and predicts the writes. It does not check that the owner exists or that
      the permissions apply to the resource type; Camunda checks both when the authorization is written.
  diff_mode:
    details: The diff shows the authorization before and after, its permissions sorted.
seealso:
  - module: community.camunda.camunda_role
  - module: community.camunda.camunda_mapping_rule
  - module: community.camunda.camunda_group
  - name: Authorizations in the Orchestration Cluster API
    description: The endpoints this module uses.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-authorization/
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

- name: Members of the group "operators" may open Operate
  community.camunda.camunda_authorization:
    owner_type: GROUP
    owner_id: operators
    resource_type: COMPONENT
    resource_id: operate
    permission_types:
      - ACCESS

- name: Everybody in the role "clerks" may read and complete the user tasks assigned to them (8.9)
  community.camunda.camunda_authorization:
    owner_type: ROLE
    owner_id: clerks
    resource_type: USER_TASK
    resource_property_name: assignee
    permission_types:
      - READ
      - COMPLETE

- name: Remove an authorization
  community.camunda.camunda_authorization:
    owner_type: GROUP
    owner_id: operators
    resource_type: COMPONENT
    resource_id: operate
    state: absent
'''

RETURN = r'''
authorization:
  description:
    - The authorization after the task, as read back from Camunda (in check mode, as predicted). Empty when it does not exist.
  returned: always
  type: dict
  contains:
    authorizationKey:
      description: Camunda's key of the authorization (a string of digits). In check mode it is V(null) for an authorization
        that would be created.
      type: str
      sample: "2251799813685281"
    ownerId:
      description: The owner's id.
      type: str
      sample: billing
    ownerType:
      description: The kind of owner.
      type: str
      sample: ROLE
    resourceType:
      description: The kind of resource.
      type: str
      sample: PROCESS_DEFINITION
    resourceId:
      description: The resource id, or V(null) for a property-based authorization.
      type: str
      sample: "*"
    resourcePropertyName:
      description: The resource property name, or V(null) for an id-based authorization.
      type: str
      sample: null
    permissionTypes:
      description: The permissions, as Camunda lists them.
      type: list
      elements: str
      sample: [CREATE_PROCESS_INSTANCE, READ_PROCESS_DEFINITION, READ_PROCESS_INSTANCE]
diff:
  description: The authorization before and after, its permissions sorted; only in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {authorizationKey: "2251799813685281", ownerId: billing, ownerType: ROLE, resourceType: PROCESS_DEFINITION,
             resourceId: "*", resourcePropertyName: null, permissionTypes: [READ_PROCESS_DEFINITION]}
    after: {authorizationKey: "2251799813685281", ownerId: billing, ownerType: ROLE, resourceType: PROCESS_DEFINITION,
            resourceId: "*", resourcePropertyName: null, permissionTypes: [CREATE_PROCESS_INSTANCE, READ_PROCESS_DEFINITION]}
'''

from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import (
    AUTHORIZATION_SPEC,
    run_authorization,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = AUTHORIZATION_SPEC
CORE = run_authorization


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
