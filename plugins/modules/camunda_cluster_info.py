#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_cluster_info
short_description: Probe a Camunda 8 cluster's status, auth posture and credentials
version_added: 0.1.0
description:
  - Answers the questions about a cluster that its topology does not, each as the API answered it.
  - Is it up? C(GET /v2/status) without credentials (V(204) up, V(503) down).
  - Is the API protected? C(GET /v2/topology) without credentials (V(200) open, V(401) refused).
  - Are the credentials good, and whose are they? C(GET /v2/authentication/me) with the task's credentials.
  - Which license does it run? C(GET /v2/license) without credentials, as Camunda serves it to anyone; only when a proxy
    refuses that, again with the task's credentials if they were accepted.
  - It reports and does not judge; it fails only on wrong options. An API that cannot be reached gives
    RV(reachable=false) and the reason in RV(errors).
  - It is the probe behind the role C(community.camunda.verify), which judges these answers against expectations.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options: {}
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
seealso:
  - module: community.camunda.camunda_topology
  - name: Get cluster status
    description: The unauthenticated status endpoint (Camunda 8.8 and later).
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/specifications/get-status/
'''

EXAMPLES = r'''
- name: Is the API protected, and are these credentials good?
  community.camunda.camunda_cluster_info:
    url: https://camunda.example.com
    auth_method: basic
    username: demo
    password: "{{ camunda_demo_password }}"
  register: info

- name: Fail when the API answers without credentials
  ansible.builtin.assert:
    that: info.unauthenticated_access == 'refused'
    fail_msg: "The API answers without credentials: {{ info.details.unauthenticated_access }}"
'''

RETURN = r'''
api_url:
  description: The API address the probes used (with C(/v2)).
  returned: always
  type: str
  sample: http://localhost:8080/v2
auth_method:
  description: The auth method the credentials were sent with (V(auto) resolved).
  returned: always
  type: str
  sample: basic
reachable:
  description: Whether the API answered at all.
  returned: always
  type: bool
  sample: true
status:
  description: V(up) (C(/v2/status) answered 204), V(down) (503), or V(unknown) (no answer, or another answer).
  returned: always
  type: str
  sample: up
unauthenticated_access:
  description: V(allowed) when C(GET /v2/topology) answered without credentials, V(refused) when it answered
    401 or 403, V(unknown) when it could not be told.
  returned: always
  type: str
  sample: refused
challenge:
  description: The C(WWW-Authenticate) header of the refusal, which often names the scheme (Basic or Bearer).
  returned: always
  type: str
  sample: Basic realm="Camunda"
credentials:
  description:
    - V(accepted) (C(/v2/authentication/me) answered with the principal), V(refused) (401, or the identity provider refused
      the client), V(forbidden) (403), V(none) (no credentials, O(auth_method=none)), V(error) (another failure),
      V(unknown) (not probed, the API could not be reached).
  returned: always
  type: str
  sample: accepted
principal:
  description: Who the API took the credentials for (part of C(/v2/authentication/me)).
  returned: always
  type: dict
  sample:
    username: demo
    displayName: Demo User
    roles: [admin]
    groups: []
    tenants: [{tenantId: "<default>", name: Default}]
    authorizedComponents: ["*"]
license:
  description: The answer of C(GET /v2/license), when it could be read (also when the credentials were refused).
  returned: always
  type: dict
  sample: {validLicense: false, licenseType: unknown, isCommercial: false, expiresAt: null}
details:
  description: One sentence per probe saying what was sent and what came back (keys V(status), V(unauthenticated_access), V(credentials),
    V(license)).
  returned: always
  type: dict
  sample:
    status: "GET /v2/status answered 204: at least one partition has a healthy leader"
    unauthenticated_access: GET /v2/topology without credentials answered 401
    credentials: the API took the credentials for 'demo'
    license: GET /v2/license without credentials answered 200
errors:
  description: Messages of the probes that got no usable answer.
  returned: always
  type: list
  elements: str
  sample: []
'''

from ansible_collections.community.camunda.plugins.module_utils._cluster.cluster_info import (
    CLUSTER_INFO_SPEC,
    run_cluster_info,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = CLUSTER_INFO_SPEC
CORE = run_cluster_info


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
