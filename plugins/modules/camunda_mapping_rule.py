#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_mapping_rule
short_description: Manage a mapping rule of a Camunda 8 cluster (OIDC claims to roles, groups and tenants)
version_added: 0.1.0
description:
  - Creates, updates or deletes a mapping rule through the Orchestration Cluster REST API (C(/v2/mapping-rules)).
  - A mapping rule matches a claim of the OIDC tokens the cluster receives. Every principal whose token matches it gets what
    the rule is assigned to; assign it with the O(community.camunda.camunda_role#module:mapping_rules) option of
    M(community.camunda.camunda_role), M(community.camunda.camunda_group) or M(community.camunda.camunda_tenant), or give it
    authorizations with O(community.camunda.camunda_authorization#module:owner_type=MAPPING_RULE).
  - A scalar claim matches when it equals O(claim_value); a list claim matches when it contains it.
  - Mapping rules apply only with OIDC authentication, not with Basic.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  mapping_rule_id:
    description:
      - The id of the mapping rule.
    type: str
    required: true
    version_added: 0.1.0
  claim_name:
    description:
      - The name of the token claim to match, or a JSONPath expression such as V($.realm_access.roles).
      - Required when the rule is created.
    type: str
    version_added: 0.1.0
  claim_value:
    description:
      - The value the claim must have (or contain, for a list claim).
      - Required when the rule is created.
      - Camunda allows one mapping rule per pair of O(claim_name) and O(claim_value); the module fails before writing when another
        rule already has the pair.
    type: str
    version_added: 0.1.0
  name:
    description:
      - The display name of the mapping rule. Camunda requires one when the rule is created; O(mapping_rule_id) is used when it
        is not set.
    type: str
    version_added: 0.1.0
  state:
    description:
      - V(present) creates the mapping rule or brings it to the options given; V(absent) deletes it.
      - Deleting a mapping rule that does not exist is not a change.
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
    details: Check mode reads the mapping rule, checks that no other rule has the same claim, and predicts the writes.
  diff_mode:
    details: The diff shows the mapping rule's fields before and after.
seealso:
  - module: community.camunda.camunda_role
  - module: community.camunda.camunda_authorization
  - name: Mapping rules in the Orchestration Cluster API
    description: The endpoints this module uses.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-mapping-rule/
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

- name: Everybody whose token lists the Keycloak realm role "camunda-admins"
  community.camunda.camunda_mapping_rule:
    mapping_rule_id: realm-admins
    claim_name: $.realm_access.roles
    claim_value: camunda-admins

- name: Delete a mapping rule
  community.camunda.camunda_mapping_rule:
    mapping_rule_id: realm-admins
    state: absent
'''

RETURN = r'''
mapping_rule:
  description:
    - The mapping rule after the task, as read back from Camunda (in check mode, as predicted). Empty when it does not exist.
  returned: always
  type: dict
  contains:
    mappingRuleId:
      description: The id of the mapping rule.
      type: str
      sample: billing-worker
    claimName:
      description: The claim it matches.
      type: str
      sample: client_id
    claimValue:
      description: The value it matches.
      type: str
      sample: billing-worker
    name:
      description: The display name.
      type: str
      sample: Billing worker application
diff:
  description: The mapping rule before and after; only in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {}
    after: {mappingRuleId: billing-worker, claimName: client_id, claimValue: billing-worker, name: Billing worker application}
'''

from ansible_collections.community.camunda.plugins.module_utils._identity.mapping_rule import (
    MAPPING_RULE_SPEC,
    run_mapping_rule,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = MAPPING_RULE_SPEC
CORE = run_mapping_rule


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
