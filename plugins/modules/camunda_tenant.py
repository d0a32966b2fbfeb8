#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_tenant
short_description: Manage a tenant of a Camunda 8 cluster and who may work in it
version_added: 0.1.0
description:
  - Creates, updates or deletes a tenant through the Orchestration Cluster REST API (C(/v2/tenants)), and assigns users,
    clients, groups, roles and mapping rules to it.
  - Tenants matter when multi-tenancy is on; without it everyone works in the default tenant V(<default>).
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  tenant_id:
    description:
      - The id of the tenant. Camunda 8.8 and 8.9 accept up to 256 letters, digits and V(_ @ . + -); 8.10 up to 31 characters.
    type: str
    required: true
    version_added: 0.1.0
  name:
    description:
      - The display name of the tenant. Camunda requires one when the tenant is created; O(tenant_id) is used when it is not set.
    type: str
    version_added: 0.1.0
  description:
    description:
      - A description of the tenant.
    type: str
    version_added: 0.1.0
  users:
    description:
      - Usernames of users assigned to the tenant, applied as O(members_state) says.
    type: list
    elements: str
    version_added: 0.1.0
  clients:
    description:
      - Client ids of OIDC applications assigned to the tenant.
    type: list
    elements: str
    version_added: 0.1.0
  groups:
    description:
      - Ids of groups assigned to the tenant; their members may work in it.
    type: list
    elements: str
    version_added: 0.1.0
  roles:
    description:
      - Ids of roles assigned to the tenant; the members of these roles may work in it.
    type: list
    elements: str
    version_added: 0.1.0
  mapping_rules:
    description:
      - Ids of mapping rules assigned to the tenant; every principal whose token matches one of them may work in it.
    type: list
    elements: str
    version_added: 0.1.0
  state:
    description:
      - V(present) creates the tenant or brings it to the options given; V(absent) deletes it.
      - Deleting a tenant that does not exist is not a change.
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
    details: Check mode reads the tenant and the member lists given, and predicts the writes. It does not check that members to
      be assigned exist; Camunda checks that when they are assigned.
  diff_mode:
    details: The diff shows the tenant's fields and the member lists given in the task, before and after.
seealso:
  - module: community.camunda.camunda_group
  - module: community.camunda.camunda_role
  - module: community.camunda.camunda_mapping_rule
  - name: Tenants in the Orchestration Cluster API
    description: The endpoints this module uses.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-tenant/
'''

EXAMPLES = r'''
- name: A tenant for the finance department, open to a group and a worker application
  community.camunda.camunda_tenant:
    url: https://camunda.example.com
    token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
    client_id: orchestration-admin
    client_secret: "{{ vault_orchestration_admin_secret }}"
    tenant_id: finance
    name: Finance
    groups:
      - finance-team
    mapping_rules:
      - billing-worker

- name: Only the finance role may work in the tenant (other roles are removed from it)
  community.camunda.camunda_tenant:
    tenant_id: finance
    roles:
      - finance
    members_state: exact

- name: Delete the tenant
  community.camunda.camunda_tenant:
    tenant_id: finance
    state: absent
'''

RETURN = r'''
tenant:
  description:
    - The tenant after the task, as read back from Camunda (in check mode, as predicted). Empty when the tenant does not exist.
  returned: always
  type: dict
  contains:
    tenantId:
      description: The id of the tenant.
      type: str
      sample: finance
    name:
      description: The display name.
      type: str
      sample: Finance
    description:
      description: The description, or V(null).
      type: str
      sample: null
members:
  description:
    - The member lists given in the task, after the task, keyed by option name (V(users), V(clients), V(groups), V(roles),
      V(mapping_rules)).
    - Only the lists given in the task are read and returned.
  returned: when O(state=present)
  type: dict
  sample:
    groups: [finance-team]
    mapping_rules: [billing-worker]
diff:
  description: The tenant and the member lists given, before and after; only in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {}
    after: {tenantId: finance, name: Finance, description: null, groups: [finance-team]}
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._identity.tenant import TENANT_SPEC, run_tenant

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = TENANT_SPEC
CORE = run_tenant


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
