# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# For internal collection use only: no stable interface.

from __future__ import annotations


class ModuleDocFragment(object):
    # Connection options shared by every module and lookup.
    DOCUMENTATION = r'''
options:
  url:
    description:
      - Address of the Camunda 8 Orchestration Cluster REST API.
      - V(/v2) is appended unless the URL already ends with it, so V(http://localhost:8080),
        V(http://localhost:8080/v2) and a SaaS cluster URL such as V(https://bru-2.zeebe.camunda.io/CLUSTER_ID) all work as given.
      - When not set, the environment variables E(CAMUNDA_REST_ADDRESS) and E(ZEEBE_REST_ADDRESS) are read, in that order.
    type: str
    default: http://localhost:8080
    version_added: 0.1.0
  validate_certs:
    description:
      - Verify the TLS certificates of the Camunda API and of the identity provider.
      - Set to V(false) only for testing.
    type: bool
    default: true
    version_added: 0.1.0
  ca_path:
    description:
      - PEM file with the CA certificates that sign the Camunda API's TLS certificate.
      - It B(replaces) the default trust store; it is also used for the identity provider unless O(token_ca_path) is set.
      - When not set, E(CAMUNDA_CA_CERTIFICATE_PATH), E(ZEEBE_CA_CERTIFICATE_PATH) and E(CAMUNDA_MTLS_CA_PATH) are read, in that order.
    type: path
    version_added: 0.1.0
  timeout:
    description:
      - Seconds to wait for each connection and each answer, to the API and to the identity provider.
    type: float
    default: 30
    version_added: 0.1.0
  proxy:
    description:
      - Proxy URL for the API and the identity provider, for example V(http://proxy.example.com:3128).
      - When not set, the standard E(HTTPS_PROXY), E(HTTP_PROXY) and E(NO_PROXY) variables apply.
    type: str
    version_added: 0.1.0
  retries:
    description:
      - How many times to retry a request that failed for a passing reason (connection error, HTTP 429, 502, 503 or 504),
        with exponential backoff and jitter, honouring C(Retry-After). All waits of one request together stay under
        O(retry_max_wait).
      - The identity provider's token request is also retried after HTTP 500, since it changes nothing.
      - Requests refused with 400 or 401 are never retried.
    type: int
    default: 3
    version_added: 0.1.0
  retry_max_wait:
    description:
      - The most seconds the retries of one request may wait in total.
      - A server that asks for a longer C(Retry-After) is not retried; the error names the wait it asked for.
    type: float
    default: 60
    version_added: 0.3.0
'''

    # Where lookups also find these options. In each env list the last variable that is set wins,
    # so the CAMUNDA_* names come last and beat the legacy ZEEBE_* names, as in the modules.
    PLUGINS = r'''
options:
  url:
    env:
      - name: ZEEBE_REST_ADDRESS
        version_added: 0.1.0
      - name: CAMUNDA_REST_ADDRESS
        version_added: 0.1.0
    vars:
      - name: camunda_url
        version_added: 0.1.0
  validate_certs:
    vars:
      - name: camunda_validate_certs
        version_added: 0.1.0
  ca_path:
    env:
      - name: CAMUNDA_MTLS_CA_PATH
        version_added: 0.1.0
      - name: ZEEBE_CA_CERTIFICATE_PATH
        version_added: 0.1.0
      - name: CAMUNDA_CA_CERTIFICATE_PATH
        version_added: 0.1.0
    vars:
      - name: camunda_ca_path
        version_added: 0.1.0
  timeout:
    vars:
      - name: camunda_timeout
        version_added: 0.1.0
  proxy:
    vars:
      - name: camunda_proxy
        version_added: 0.1.0
  retries:
    vars:
      - name: camunda_retries
        version_added: 0.1.0
  retry_max_wait:
    vars:
      - name: camunda_retry_max_wait
        version_added: 0.3.0
'''
