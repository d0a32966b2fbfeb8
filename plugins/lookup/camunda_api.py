# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: camunda_api
short_description: Read values from the Camunda 8 Orchestration Cluster REST API
version_added: 0.1.0
author:
  - community.camunda contributors (@ansible-collections)
description:
  - Sends C(GET) to each path given, relative to V(/v2) (for example V(topology), V(license), V(authentication/me),
    V(users/demo)), with any auth method, and returns the JSON answers, each filtered by O(query) when given.
  - Read-only; it never sends anything but C(GET).
  - Options come from keywords, then C(camunda_*) variables, then the environment names Camunda's SDKs read, then defaults;
    with OIDC it shares the token cache with the modules.
requirements:
  - requests
  - jmespath (only for O(query))
options:
  _terms:
    description: API paths relative to V(/v2). A leading V(/) or V(/v2/) is accepted.
    type: list
    elements: str
    required: true
  query:
    description: A JMESPath expression applied to each answer.
    type: str
    version_added: 0.1.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._connection.plugins
  - community.camunda._auth
  - community.camunda._auth.plugins
seealso:
  - plugin: community.camunda.camunda_token
    plugin_type: lookup
  - module: community.camunda.camunda_topology
'''

EXAMPLES = r'''
- name: Run only on a three-broker cluster (connection from camunda_* variables)
  ansible.builtin.debug:
    msg: The cluster has three brokers
  when: lookup('community.camunda.camunda_api', 'topology', query='clusterSize') == 3

- name: Gateway version and license type in one go
  ansible.builtin.set_fact:
    gateway_version: "{{ lookup('community.camunda.camunda_api', 'topology', query='gatewayVersion') }}"
    license_type: "{{ lookup('community.camunda.camunda_api', 'license', query='licenseType') }}"

- name: Leaders per partition, with Basic auth given as keywords
  ansible.builtin.debug:
    msg: >-
      {{ lookup('community.camunda.camunda_api', 'topology', url='http://localhost:8080',
                auth_method='basic', username='demo', password=demo_password,
                query="brokers[].partitions[?role=='leader'].partitionId[]") }}

- name: Several paths at once give a list, one answer per path
  ansible.builtin.debug:
    msg: "{{ query('community.camunda.camunda_api', 'license', 'authentication/me') }}"
'''

RETURN = r'''
_raw:
  description: One answer per path (the JSON document, or the value of O(query) applied to it; null for an empty answer).
  type: list
  elements: raw
'''

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, CamundaError
from ansible_collections.community.camunda.plugins.module_utils._core.query import apply_query, compile_query
from ansible_collections.community.camunda.plugins.plugin_utils._lookup import CamundaLookupBase


def api_path(term):
    """'topology', '/topology' and '/v2/topology' all mean <url>/v2/topology."""
    path = str(term).strip().lstrip('/')
    return path[3:] if path.startswith('v2/') else path


class LookupModule(CamundaLookupBase):
    def run(self, terms, variables=None, **kwargs):
        options = self.load_options(variables, kwargs)
        query = self.call(options, compile_query, options.get('query'))
        client = self.call(options, CamundaClient, options, self.context())
        try:
            return [self._read(client, options, term, query) for term in terms]
        finally:
            client.close()

    def _read(self, client, options, term, query):
        path = api_path(term)
        try:
            data = client.call_json('GET', path, expected=(200,))
        except ApiError as exc:
            prefix = (
                f'path {path!r} does not exist in the API (give a path relative to /v2): ' if exc.status == 404 else ''
            )
            raise self.fail(exc, options, prefix) from None
        except CamundaError as exc:
            raise self.fail(exc, options) from None
        return apply_query(query, data) if query is not None and data is not None else data
