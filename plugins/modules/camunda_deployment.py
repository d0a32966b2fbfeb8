#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_deployment
short_description: Deploy BPMN processes, DMN decisions and forms to a Camunda 8 cluster, idempotently
version_added: 0.3.0
description:
  - Deploys the process resources in O(src) through the Orchestration Cluster REST API (C(POST /v2/deployments)) so that
    a re-run changes nothing, and removes them with O(state=absent).
  - With O(state=present) it reads the latest deployed version of every id the files declare (process definition
    and decision searches, then their XML), and sends one deployment with only the deployment units that differ
    from it, or none. Zeebe treats a file as a duplicate when the latest version of its id has the same resource
    name and the same content. Since Camunda 8.6 a deployment with one new file versions all its files together,
    duplicates included, so sending only the units that differ keeps the other ids at their version.
  - A deployment unit is a set of files bound by deployment, C(bindingType="deployment") on a call activity
    (C(zeebe:calledElement)), a business rule task (C(zeebe:calledDecision)), a user task's linked form
    (C(zeebe:formDefinition)) or a task's linked resource (C(zeebe:linkedResource), Camunda 8.7 and later, such as
    the RPA script an RPA worker task runs). A linked resource with C(resourceType="form") names a form; any other
    type names an RPA script (its JSON id) or a generic resource (its file name). Such an element runs the target
    version deployed in the same deployment as its process, so when any file of a unit differs, the whole unit is
    sent and every file in it gets a new version. A file bound to nothing by deployment is a unit of its own and is
    sent only when it differs.
  - A binding by deployment whose target no file of the task declares fails before anything is sent, naming the
    file and the element (and the link name for a linked resource); a target given as an expression (C(=...)) is
    resolved at run time and links nothing. Camunda itself rejects such a deployment for every binding but linked
    resources, which it checks when deploying only from 8.10; before 8.10 a deployment missing a linked resource
    is accepted and the task's job fails with an incident (RESOURCE_NOT_FOUND) when the process reaches it.
  - The resource name sent is the file's name without its folder. Keep file names stable; renaming a file gives
    its ids a new version, as Zeebe sees a new resource name. Deploying the content of an older version again gives
    a new version too.
  - Forms, RPA scripts and generic resources cannot be read back by id through the API (Camunda 8.10 reads a form
    by its key only), nor can a definition whose XML read answers 204. A unit with such a file and no other
    difference is therefore sent in a deployment of its own on every run, and Zeebe's duplicate check decides
    whether it gets a new version; RV(resources[].changed) reports what Zeebe did. Check mode cannot predict such a
    unit and says so in a warning.
  - Before anything is sent, every file is checked; malformed XML fails with the file and line, a BPMN file without
    an executable process, an upper-case extension, two files declaring the same id (or sent under the same name),
    a format the cluster's version does not deploy, and a deployment larger than O(max_deployment_size) fail with a
    message naming the files.
  - Relative paths in O(src) are relative to the working directory of the process that runs the task; use
    C({{ playbook_dir }}) or C({{ role_path }}) to be independent of it.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  src:
    description:
      - Files and folders to deploy. A folder is searched recursively for C(.bpmn), C(.dmn), C(.form) and C(.rpa)
        files, in a stable order.
      - A file given by name may also be a C(.xml) BPMN file, or, from Camunda 8.10, any other file, deployed as a
        generic resource whose id is its name (an C(.xml) file that is not BPMN is one too). C(.rpa) RPA scripts need
        Camunda 8.7 or later. An older cluster fails the task before anything is sent.
      - A BPMN file may declare several executable processes, and a DMN file several decisions; each is reported.
    type: list
    elements: path
    required: true
    version_added: 0.3.0
  tenant_id:
    description:
      - The tenant to deploy to (multi-tenancy). Without it, the default tenant V(<default>) is used, as the API does.
    type: str
    version_added: 0.3.0
  state:
    description:
      - V(present) deploys what differs from the latest deployed versions.
      - V(absent) deletes every deployed version of the process and decision requirements ids the files declare,
        in O(tenant_id), with C(POST /v2/resources/{key}/deletion). A process definition that still has running
        instances is not deleted; the task fails naming it and the count of its running instances, and deletes
        nothing. Forms cannot be found by id before Camunda 8.10 and are left alone, with a warning.
      - When a deletion fails after others succeeded, the task fails with C(changed=true), RV(applied),
        RV(failed_step) and RV(not_applied); running it again deletes what is left.
    type: str
    choices: [present, absent]
    default: present
    version_added: 0.3.0
  max_deployment_size:
    description:
      - The largest deployment request, in bytes, the task sends. The gateway refuses larger messages; its default
        maximum message size is 4 MB. Raise this only when the gateway's maximum message size is raised too.
    type: int
    default: 4194304
    version_added: 0.3.0
  deploy_together:
    description:
      - V(linked) sends the deployment units that differ, each unit the files bound to each other by deployment.
      - "V(all) makes every file of the task one unit: when any file differs, all are sent in one deployment and all
        get a new version, as C(c8ctl deploy) does. Use it when the files are released as one application, or bind
        each other through expressions."
    type: str
    choices: [linked, all]
    default: linked
    version_added: 0.4.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: partial
    details:
      - BPMN and DMN files are predicted exactly, from the same reads the real run makes, with the files their units
        bring along. A unit whose only possible difference is a form cannot be predicted (the API reads no deployed
        form before Camunda 8.10); check mode warns about it.
      - The key and version of a version that would be created are unknown before it exists and are V(null).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: For each file that gets a new version, why (its own difference, or the unit it is deployed with), and
      for BPMN and DMN a short unified diff against the deployed XML (at most 40 lines per file).
seealso:
  - module: community.camunda.camunda_definition_info
  - name: Deploy resources
    description: The deployment endpoint of the Orchestration Cluster REST API.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/create-deployment/
'''

EXAMPLES = r'''
- name: Deploy every process, decision and form of a folder
  community.camunda.camunda_deployment:
    url: https://camunda.example.com
    client_id: pipeline
    client_secret: "{{ camunda_client_secret }}"
    token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
    src:
      - "{{ playbook_dir }}/processes"
  register: deployed

- name: Show what got a new version
  ansible.builtin.debug:
    msg: "{{ deployed.resources | selectattr('changed') | map(attribute='id') | list }}"

- name: Deploy two files to a tenant of a SaaS cluster
  community.camunda.camunda_deployment:
    url: https://bru-2.zeebe.camunda.io/0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b
    client_id: "{{ saas_client_id }}"
    client_secret: "{{ saas_client_secret }}"
    token_url: https://login.cloud.camunda.io/oauth/token
    audience: zeebe.camunda.io
    tenant_id: customer-service
    src:
      - "{{ playbook_dir }}/processes/order.bpmn"
      - "{{ playbook_dir }}/decisions/discount.dmn"

- name: Release a process application as one deployment (every file versioned together when one changes)
  community.camunda.camunda_deployment:
    url: http://localhost:8080
    src: "{{ playbook_dir }}/order-application"
    deploy_together: all

- name: Deploy to a Helm installation with Basic auth, showing what would change first (run with --check --diff)
  community.camunda.camunda_deployment:
    url: https://camunda.example.com
    auth_method: basic
    username: deployer
    password: "{{ camunda_deployer_password }}"
    src: "{{ playbook_dir }}/processes"

- name: Remove the processes of a folder from a C8 Run on this machine (fails while instances run)
  community.camunda.camunda_deployment:
    url: http://localhost:8080
    src: "{{ playbook_dir }}/processes"
    state: absent
'''

RETURN = r'''
resources:
  description:
    - One entry per definition a file declares (a BPMN file may declare several processes; a DMN file declares its
      decision requirements and its decisions), in the order of the files.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The resource name sent (the file name).
      type: str
      sample: order.bpmn
    file:
      description: The local file.
      type: str
      sample: /home/ci/processes/order.bpmn
    kind:
      description: V(process), V(decision), V(decision_requirements), V(form) or V(resource) (an RPA script or a
        generic resource; its id is the RPA script's id or the file name).
      type: str
      sample: process
    id:
      description: The process id, decision id, decision requirements id or form id.
      type: str
      sample: order-process
    key:
      description:
        - The key of the deployed version (a string, as the API gives keys). V(null) in check mode for a version that
          would be created, and with O(state=absent).
      type: str
      sample: "2251799813685249"
    version:
      description: The deployed version; V(null) where RV(resources[].key) is.
      type: int
      sample: 3
    changed:
      description: Whether a new version was (in check mode would be) created, or with O(state=absent) deleted.
      type: bool
      sample: true
  sample:
    - {name: order.bpmn, file: /home/ci/processes/order.bpmn, kind: process, id: order-process,
       key: "2251799813685249", version: 3, changed: true}
deployment_key:
  description: The key of the deployment of the differing units this run sent; V(null) when none was sent (a unit sent
    only for Zeebe to judge its forms is not counted).
  returned: when O(state=present)
  type: str
  sample: "2251799813685248"
removed:
  description: The versions deleted (in check mode, that would be deleted), each with V(kind), V(id), V(key), V(version)
    and V(name) (the resource name).
  returned: when O(state=absent)
  type: list
  elements: dict
  sample: [{kind: process, id: order-process, key: "2251799813685249", version: 3, name: order.bpmn}]
applied:
  description: When a deletion with O(state=absent) failed, the deletions done before it, one line each.
  returned: failure
  type: list
  elements: str
  sample: ["delete process 'order-process' version 3 (key 2251799813685249)"]
  version_added: 0.4.0
failed_step:
  description: When a deletion with O(state=absent) failed, the deletion that failed.
  returned: failure
  type: str
  sample: "delete process 'order-process' version 2 (key 2251799813685240)"
  version_added: 0.4.0
not_applied:
  description: When a deletion with O(state=absent) failed, the deletions planned after it, which were not sent.
  returned: failure
  type: list
  elements: str
  sample: ["delete process 'order-process' version 1 (key 2251799813685230)"]
  version_added: 0.4.0
tenant_id:
  description: The tenant the task worked in.
  returned: always
  type: str
  sample: <default>
'''

from ansible_collections.community.camunda.plugins.module_utils._processes.deployment import (
    DEPLOYMENT_SPEC,
    run_deployment,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = DEPLOYMENT_SPEC
CORE = run_deployment


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
