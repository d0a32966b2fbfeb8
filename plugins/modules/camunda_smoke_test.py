#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_smoke_test
short_description: Prove that a Camunda 8 cluster runs a process end to end
version_added: 0.3.0
description:
  - Runs one instance of a small probe process through every stage a real process needs, times each stage,
    and names the stage that did not happen together with what the API said.
  - "The stages: V(deploy) (the probe under the resource name C(community.camunda.verify-smoke-probe.bpmn), through
    the core of M(community.camunda.camunda_deployment): it reads the latest deployed version and sends
    C(POST /v2/deployments) only when that differs, so a second run deploys nothing), V(create instance) (C(POST /v2/process-instances)), V(activate job)
    (C(POST /v2/jobs/activation), long polling), V(complete job) (C(POST /v2/jobs/{jobKey}/completion)),
    V(publish message) (C(POST /v2/messages/publication) with a correlation key unique to the run and a
    time-to-live of the time left), V(complete instance) (C(GET /v2/process-instances/{key}) until it is completed)."
  - A run that does not complete in time is diagnosed with C(POST /v2/element-instances/search) - an instance
    waiting at the message catch event fails at V(correlate message), one waiting elsewhere at V(complete instance).
  - "What each failure means: V(deploy) refused; V(create instance) refused or backpressured (429 or 503
    C(RESOURCE_EXHAUSTED), retried O(retries) times first); V(activate job) no job within O(wait_timeout) (the
    partition accepts commands but does not process them); V(correlate message) the message was published but never
    correlated; V(complete instance) the instance did not complete (or never became readable: exporters stuck)."
  - A failed or timed-out instance is cancelled (C(POST /v2/process-instances/{key}/cancellation)). The probe
    definition stays, unless O(cleanup=true) deletes it (C(POST /v2/resources/{key}/deletion)).
  - "With authorizations on, the credentials need these permissions (a 403 names the one missing):
    C(RESOURCE: CREATE) (deploy); C(PROCESS_DEFINITION: READ_PROCESS_DEFINITION) (read the probe's latest
    version before deploying); C(PROCESS_DEFINITION: CREATE_PROCESS_INSTANCE); C(PROCESS_DEFINITION:
    UPDATE_PROCESS_INSTANCE) (activate and complete the job); C(MESSAGE: CREATE) (publish);
    C(PROCESS_DEFINITION: READ_PROCESS_INSTANCE) (read the instance and its elements); C(PROCESS_DEFINITION:
    CANCEL_PROCESS_INSTANCE) (cancel a failed run); C(RESOURCE: DELETE_PROCESS) (O(cleanup=true)). With
    multi-tenancy, the principal must also be assigned to O(tenant_id)."
  - It fails when the smoke test fails; the result then still holds every field below.
  - It is the smoke check of the role C(community.camunda.verify) (O(ignore:verify_smoke_test=true)).
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  probe_bpmn:
    description:
      - The probe process (BPMN XML). Its process id, the job type of its service task and the name of its message
        are read from it.
      - When not set, the probe shipped with the collection is used (the one the role C(community.camunda.verify)
        runs). It is part of the module, so this works on a remote host too. Leave it unset unless you need
        another probe, as a different probe is a new version of the probe process.
    type: str
    version_added: 0.3.0
  tenant_id:
    description:
      - The tenant to deploy to, run in and publish the message for (multi-tenancy). Not sent when not set.
    type: str
    version_added: 0.3.0
  wait_timeout:
    description:
      - Seconds the whole run may take, from the deployment to the completed instance.
    type: float
    default: 60
    version_added: 0.3.0
  cleanup:
    description:
      - Delete the probe definition after the run (and after cancelling a failed instance).
      - By default it stays, so that later runs deploy nothing new.
    type: bool
    default: false
    version_added: 0.3.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: partial
    details: The smoke test deploys and runs a process, so in check mode it sends nothing, predicts nothing and returns
      RV(skipped=true).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
seealso:
  - module: community.camunda.camunda_cluster_info
  - name: Handling backpressure
    description: Why Camunda answers RESOURCE_EXHAUSTED.
    link: https://docs.camunda.io/docs/components/zeebe/technical-concepts/internal-processing/#handling-backpressure
'''

EXAMPLES = r'''
- name: Run the smoke test after an upgrade
  community.camunda.camunda_smoke_test:
    url: https://camunda.example.com
    auth_method: oidc
    token_url: https://idp.example.com/realms/camunda-platform/protocol/openid-connect/token
    client_id: ops-smoke
    client_secret: "{{ vault_smoke_secret }}"
    wait_timeout: 120
  register: smoke

- name: Show the latencies
  ansible.builtin.debug:
    msg: "{{ smoke.stages | map(attribute='name') | zip(smoke.stages | map(attribute='seconds')) }}"
'''

RETURN = r'''
passed:
  description: Whether the probe ran end to end.
  returned: always
  type: bool
  sample: true
skipped:
  description: True in check mode, where nothing is sent.
  returned: in check mode
  type: bool
  sample: false
failed_stage:
  description: The stage that did not happen (V(deploy), V(create instance), V(activate job), V(complete job),
    V(publish message), V(correlate message), V(complete instance)); null when it passed.
  returned: when the smoke test failed
  type: str
  sample: activate job
api_said:
  description: What the API answered at the failed stage (status, title, detail), or why nothing came.
  returned: when the smoke test failed
  type: str
  sample: 429 RESOURCE_EXHAUSTED Expected to handle REST API request, but the broker rejected it because of backpressure
stages:
  description: The stages that happened, in order, each with its time in seconds and what it produced.
  returned: always
  type: list
  elements: dict
  sample:
    - {name: deploy, seconds: 0.012, detail: "process community_camunda_verify_smoke_probe version 1 (key 2251799813685251)"}
    - {name: create instance, seconds: 0.004, detail: instance 2251799813685255}
latency_seconds:
  description: End-to-end latency, from the creation request to the instance read as completed.
  returned: when it passed
  type: float
  sample: 0.031
run_id:
  description: The run's unique correlation key (and the instance's C(smokeRunId) variable).
  returned: unless in check mode
  type: str
  sample: community.camunda-smoke-8a0e6f7e-3c1b-4c59-9a43-0d8b3f1c2f55
process_definition_key:
  description: The key of the probe definition that ran.
  returned: when the deployment succeeded
  type: str
  sample: "2251799813685251"
process_instance_key:
  description: The key of the run's instance.
  returned: when the instance was created
  type: str
  sample: "2251799813685255"
tenant_id:
  description: The tenant the run used (O(tenant_id)).
  returned: when O(tenant_id) is set
  type: str
  sample: tenant-a
cancelled:
  description: What cancelling a failed run's instance did.
  returned: when a stage after the creation failed
  type: str
  sample: instance 2251799813685255 cancelled
deleted:
  description: What deleting the probe definition did (V(deleted), or why not).
  returned: when O(cleanup=true)
  type: str
  sample: deleted
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_test import (
    SMOKE_TEST_SPEC,
    run_smoke_test,
)


SPEC = SMOKE_TEST_SPEC
CORE = run_smoke_test


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
