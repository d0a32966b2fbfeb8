#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_cluster_variable
short_description: Manage the cluster variables of a Camunda 8.9 cluster, globally or per tenant
version_added: 0.3.0
description:
  - Creates, updates or deletes cluster variables through the Orchestration Cluster REST API (C(/v2/cluster-variables)).
    Every process of the cluster reads them in FEEL (C(camunda.vars.env), C(camunda.vars.cluster), C(camunda.vars.tenant)).
    Endpoints, feature flags and limits that differ per stage belong here, and in the stage's Ansible inventory.
  - One task manages one scope, the global one or one tenant's (O(tenant_id)), with one variable (O(name) and O(value))
    or several at once (O(variables)). With O(exclusive=true) the task owns the scope and removes the variables it does not list.
  - Values are any JSON value and compare as parsed JSON, not as text. Integral floats equal integers (V(1.0) is V(1)).
  - Cluster variables need Camunda 8.9 or later. The module reads the cluster version from the topology once per task and
    fails before any change on an older cluster, naming the version it found.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  name:
    description:
      - The name of one cluster variable; Camunda refuses names with whitespace.
      - Mutually exclusive with O(variables).
    type: str
    version_added: 0.3.0
  value:
    description:
      - The value of O(name) when O(state=present); required then. Any JSON value; give a YAML mapping or list for an object
        or array. A string that looks like JSON stays a string.
      - JSON V(null) cannot be given here (Ansible cannot tell it from an omitted option); use O(variables) for it.
    type: raw
    version_added: 0.3.0
  variables:
    description:
      - Several variables of the scope at once, as a mapping of name to value (V(null) is JSON null).
      - With O(state=absent) the listed names are deleted and their values are ignored.
      - Mutually exclusive with O(name).
    type: dict
    version_added: 0.3.0
  exclusive:
    description:
      - With O(variables) and O(state=present), delete every variable of the scope that O(variables) does not list, so that one
        task owns the whole scope. An empty O(variables) empties the scope.
      - Only the scope of the task is read and changed; the global scope and other tenants are never touched.
    type: bool
    default: false
    version_added: 0.3.0
  tenant_id:
    description:
      - The tenant whose scope the task manages. Leave it out for the global scope.
    type: str
    version_added: 0.3.0
  state:
    description:
      - V(present) creates the variables or sets their values; V(absent) deletes them.
      - Deleting a variable that does not exist is not a change.
    type: str
    choices: [present, absent]
    default: present
    version_added: 0.3.0
  consistency_timeout:
    description:
      - Seconds to wait for Camunda's eventually consistent reads to show a variable that a create reported as existing (409).
        The module then compares its value and updates it only when it differs. It never creates twice.
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
    details: Check mode reads the scope and predicts every create, update and delete.
  diff_mode:
    details: The diff shows the variables the task concerns, name to value, before and after.
notes:
  - Values are returned in RV(variable), RV(variables) and the diff, so that later tasks can use them. Set C(no_log) on a task
    whose values must not appear in output; error messages and warnings of this module never contain a value.
  - Camunda does not recommend cluster variables for secrets or large payloads. A value the cluster refuses as too large
    fails the task with the size it had, not with the value.
  - Reads use a search with C(truncateValues=false); a value the search still marks as truncated is read on its own.
  - Writes run in order (removals, updates, creates). When one fails, no further write is sent and the task fails with
    C(changed=true) when any write was applied, and RV(applied), RV(failed_step) and RV(not_applied). Running the task
    again reads the scope as it now is and writes only what is still missing.
seealso:
  - module: community.camunda.camunda_tenant
  - name: Cluster variables
    description: What cluster variables are and how processes read them.
    link: https://docs.camunda.io/docs/components/modeler/feel/cluster-variable/cluster-variable-overview/
'''

EXAMPLES = r'''
- name: One global variable
  community.camunda.camunda_cluster_variable:
    url: https://camunda.example.com
    token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
    client_id: orchestration-admin
    client_secret: "{{ vault_orchestration_admin_secret }}"
    name: PAYMENT_API
    value:
      base_url: https://payments.example.com
      timeout_ms: 5000

- name: The global scope holds exactly the stage's variables (from the inventory)
  community.camunda.camunda_cluster_variable:
    variables: "{{ camunda_cluster_variables }}"
    exclusive: true

- name: A tenant overrides one flag
  community.camunda.camunda_cluster_variable:
    tenant_id: finance
    variables:
      FEATURE_EXPRESS_SHIPPING: false

- name: Values that must not show in the output
  community.camunda.camunda_cluster_variable:
    name: PARTNER_ENDPOINT
    value: "{{ vault_partner_endpoint }}"
  no_log: true

- name: Delete a variable
  community.camunda.camunda_cluster_variable:
    name: PAYMENT_API
    state: absent
'''

RETURN = r'''
variable:
  description:
    - With O(name), the variable after the task (in check mode, as predicted); empty when it does not exist.
  returned: when O(name) is given
  type: dict
  contains:
    name:
      description: The name.
      type: str
      sample: PAYMENT_API
    value:
      description: The value, as JSON data (not the API's JSON string).
      type: raw
      sample: {base_url: https://payments.example.com, timeout_ms: 5000}
    scope:
      description: V(GLOBAL) or V(TENANT).
      type: str
      sample: GLOBAL
    tenantId:
      description: The tenant, or V(null) for the global scope.
      type: str
      sample: null
variables:
  description:
    - With O(variables), name to value after the task, for the names listed; with O(exclusive=true), the whole scope.
  returned: when O(variables) is given
  type: dict
  sample: {FEATURE_EXPRESS_SHIPPING: false, APPROVAL_THRESHOLD: 1000}
scope:
  description: The scope of the task, V(GLOBAL) or V(TENANT).
  returned: always
  type: str
  sample: TENANT
tenant_id:
  description: The tenant of the scope, V(null) for the global scope.
  returned: always
  type: str
  sample: finance
created:
  description: Names of the variables created (in check mode, to be created).
  returned: always
  type: list
  elements: str
  sample: [APPROVAL_THRESHOLD]
updated:
  description: Names of the variables whose value changed (in check mode, to be changed).
  returned: always
  type: list
  elements: str
  sample: []
removed:
  description: Names of the variables deleted (in check mode, to be deleted); with O(exclusive=true) the strays of the scope.
  returned: always
  type: list
  elements: str
  sample: [OLD_FLAG]
applied:
  description: When a write failed, the writes applied before it, one line each.
  returned: failure
  type: list
  elements: str
  sample: ["delete cluster variable 'OLD_FLAG' (global)", "update cluster variable 'API' (global)"]
  version_added: 0.4.0
failed_step:
  description: When a write failed, the write that failed.
  returned: failure
  type: str
  sample: "create cluster variable 'APPROVAL_THRESHOLD' (global)"
  version_added: 0.4.0
not_applied:
  description: When a write failed, the planned writes after it, which were not sent.
  returned: failure
  type: list
  elements: str
  sample: ["create cluster variable 'REGION' (global)"]
  version_added: 0.4.0
diff:
  description: Name to value of the variables the task concerns, before and after; only in diff mode.
  returned: when diff mode is on
  type: dict
  sample:
    before: {OLD_FLAG: true}
    after: {APPROVAL_THRESHOLD: 1000}
'''

from ansible_collections.community.camunda.plugins.module_utils._cluster.cluster_variable import (
    CLUSTER_VARIABLE_SPEC,
    run_cluster_variable,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = CLUSTER_VARIABLE_SPEC
CORE = run_cluster_variable


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
