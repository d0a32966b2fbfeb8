#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_definition_info
short_description: List the processes and decisions deployed to a Camunda 8 cluster
version_added: 0.3.0
description:
  - Lists deployed process definitions, decision definitions and decision requirements through the Orchestration
    Cluster REST API searches (C(POST /v2/process-definitions/search) and its counterparts), every page of them.
  - Filters by id, tenant and latest version; O(query) picks from the result with JMESPath, as the
    P(community.camunda.camunda_api#lookup) lookup does.
  - Forms are not listed; the API of Camunda 8.8 and 8.9 has no form search.
  - Searches read Camunda's secondary storage, which may lag a deployment by a moment.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
  - jmespath (for O(query))
options:
  kinds:
    description: Which kinds of definitions to list.
    type: list
    elements: str
    choices: [process, decision, decision_requirements]
    default: [process, decision, decision_requirements]
    version_added: 0.3.0
  ids:
    description: Only definitions with one of these ids (process id, decision id, decision requirements id).
    type: list
    elements: str
    version_added: 0.3.0
  tenant_id:
    description: Only definitions of this tenant. Without it, every tenant the credentials may read.
    type: str
    version_added: 0.3.0
  latest_only:
    description: Only the latest version of each id (per tenant).
    type: bool
    default: false
    version_added: 0.3.0
  query:
    description:
      - A JMESPath expression applied to a dictionary of RV(processes), RV(decisions) and RV(decision_requirements);
        its result is RV(query_result).
    type: str
    version_added: 0.3.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
seealso:
  - module: community.camunda.camunda_deployment
'''

EXAMPLES = r'''
- name: The latest version of every deployed process
  community.camunda.camunda_definition_info:
    url: http://localhost:8080
    kinds: [process]
    latest_only: true
  register: deployed

- name: The version of order-process in a tenant
  community.camunda.camunda_definition_info:
    url: http://localhost:8080
    ids: [order-process]
    tenant_id: customer-service
    latest_only: true
    query: processes[0].version
  register: order

- name: Fail unless version 3 or later runs
  ansible.builtin.assert:
    that: order.query_result >= 3
'''

RETURN = r'''
processes:
  description: Process definitions as the API gives them (C(processDefinitionId), C(processDefinitionKey), C(version),
    C(versionTag), C(name), C(resourceName), C(tenantId), C(hasStartForm)), ordered by id, tenant and version.
  returned: always
  type: list
  elements: dict
  sample:
    - {processDefinitionId: order-process, processDefinitionKey: "2251799813685249", version: 3, versionTag: null,
       name: Order, resourceName: order.bpmn, tenantId: <default>, hasStartForm: false}
decisions:
  description: Decision definitions as the API gives them (C(decisionDefinitionId), C(decisionDefinitionKey),
    C(version), C(name), C(decisionRequirementsId), C(decisionRequirementsKey), C(tenantId), ...).
  returned: always
  type: list
  elements: dict
  sample: []
decision_requirements:
  description: Decision requirements as the API gives them (C(decisionRequirementsId), C(decisionRequirementsKey),
    C(decisionRequirementsName), C(version), C(resourceName), C(tenantId)).
  returned: always
  type: list
  elements: dict
  sample: []
query_result:
  description: The result of O(query).
  returned: when O(query) is given
  type: raw
  sample: 3
'''

from ansible_collections.community.camunda.plugins.module_utils._processes.definition_info import (
    DEFINITION_INFO_SPEC,
    run_definition_info,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = DEFINITION_INFO_SPEC
CORE = run_definition_info


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
