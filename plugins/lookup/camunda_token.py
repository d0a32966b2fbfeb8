# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: camunda_token
short_description: The access token for Camunda 8 credentials
version_added: 0.1.0
author:
  - community.camunda contributors (@ansible-collections)
description:
  - Returns an OIDC access token (client credentials with a secret or an X.509 client certificate) for tools that are
    not part of this collection, such as M(ansible.builtin.uri).
  - The token comes from the shared token cache when a fresh one is there, the same cache the modules use,
    so a lookup and a module with the same credentials share one token.
  - With O(auth_method=bearer) it returns O(token) as given.
  - Options come from keywords, then C(camunda_*) variables, then the environment names Camunda's SDKs read, then defaults.
requirements:
  - requests
options:
  force_refresh:
    description: Ignore a cached token and ask the identity provider for a new one.
    type: bool
    default: false
    version_added: 0.1.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._connection.plugins
  - community.camunda._auth
  - community.camunda._auth.plugins
notes:
  - A token is a secret. Set C(no_log) on tasks whose arguments or output contain it.
seealso:
  - module: community.camunda.camunda_token
  - plugin: community.camunda.camunda_api
    plugin_type: lookup
'''

EXAMPLES = r'''
- name: Call an endpoint this collection has no module for, with a token from the environment's credentials
  ansible.builtin.uri:
    url: "{{ camunda_url }}/v2/license"
    headers:
      Authorization: "Bearer {{ lookup('community.camunda.camunda_token') }}"
  no_log: true
  vars:
    camunda_url: https://camunda.example.com

- name: A SaaS token, credentials from variables
  ansible.builtin.set_fact:
    saas_token: "{{ lookup('community.camunda.camunda_token') }}"
  no_log: true
  vars:
    camunda_token_url: https://login.cloud.camunda.io/oauth/token
    camunda_audience: zeebe.camunda.io
    camunda_client_id: "{{ vault_saas_client_id }}"
    camunda_client_secret: "{{ vault_saas_client_secret }}"

- name: Keywords beat variables and the environment
  ansible.builtin.set_fact:
    mtls_token: >-
      {{ lookup('community.camunda.camunda_token',
                token_url='https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token',
                client_id='orchestration-mtls', client_auth_method='tls_client_auth',
                client_cert='/etc/camunda/client.crt', client_key='/etc/camunda/client.key') }}
  no_log: true
'''

RETURN = r'''
_raw:
  description: The access token, as a one-element list.
  type: list
  elements: str
'''

from ansible_collections.community.camunda.plugins.module_utils._auth.access_token import obtain_token
from ansible_collections.community.camunda.plugins.plugin_utils._lookup import CamundaLookupBase


class LookupModule(CamundaLookupBase):
    def run(self, terms, variables=None, **kwargs):
        options = self.load_options(variables, kwargs)
        token = self.call(options, obtain_token, options, self.context())[0]
        return [token.access_token]
