#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_token
short_description: Get an access token for the Camunda 8 Orchestration Cluster API
version_added: 0.1.0
description:
  - Gets an OIDC access token with the client credentials grant (client secret or X.509 client certificate),
    for use by tools that are not part of this collection.
  - The token comes from the shared token cache when a fresh one is there, so a playbook run asks the identity
    provider once per set of credentials, however many tasks, hosts and forks use it.
  - With O(auth_method=bearer) it returns the given O(token) with its expiry read from the JWT.
  - The result is marked C(no_log) so that this task's output never shows the token, at any verbosity.
    C(register) still holds it in plain text, and Ansible does not carry C(no_log) over to the variable;
    a task that prints the variable or has the token in its arguments shows it, unless that task sets C(no_log=true).
  - Modules of this collection do not need it; they authenticate themselves.
  - Changes nothing on any server.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
  - cryptography (only for O(client_keystore))
options:
  force_refresh:
    description:
      - Ignore a cached token and ask the identity provider for a new one (which then replaces the cached one).
    type: bool
    default: false
    version_added: 0.1.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
seealso:
  - plugin: community.camunda.camunda_token
    plugin_type: lookup
  - module: community.camunda.camunda_topology
  - name: Camunda 8 authentication
    description: How Camunda 8 clients authenticate to the Orchestration Cluster API.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-authentication/
'''

EXAMPLES = r'''
- name: Get a token for Camunda SaaS
  community.camunda.camunda_token:
    token_url: https://login.cloud.camunda.io/oauth/token
    audience: zeebe.camunda.io
    client_id: "{{ saas_client_id }}"
    client_secret: "{{ saas_client_secret }}"
  register: camunda

- name: Call an endpoint this collection has no module for
  ansible.builtin.uri:
    url: https://bru-2.zeebe.camunda.io/{{ cluster_id }}/v2/license
    headers:
      Authorization: "Bearer {{ camunda.access_token }}"
  no_log: true

- name: Get a token from Keycloak with an X.509 client certificate (no secret)
  community.camunda.camunda_token:
    token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
    client_id: orchestration-mtls
    client_auth_method: tls_client_auth
    client_cert: /etc/camunda/client.crt
    client_key: /etc/camunda/client.key
    token_ca_path: /etc/camunda/keycloak-ca.pem

- name: Credentials from the SDK environment variables (CAMUNDA_OAUTH_URL, CAMUNDA_CLIENT_ID, ...)
  community.camunda.camunda_token:
  environment:
    CAMUNDA_OAUTH_URL: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
    CAMUNDA_CLIENT_ID: orchestration
    CAMUNDA_CLIENT_SECRET: "{{ vault_orchestration_secret }}"
'''

RETURN = r'''
access_token:
  description: The access token.
  returned: success
  type: str
  sample: eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9...
token_type:
  description: The token type, as the identity provider gave it.
  returned: success
  type: str
  sample: Bearer
expires_in:
  description: Seconds until the token expires.
  returned: success
  type: int
  sample: 299
expires_at:
  description: When the token expires, ISO 8601 in UTC.
  returned: success
  type: str
  sample: "2026-11-28T16:35:00Z"
scope:
  description: The granted scope, when the identity provider returned one.
  returned: success
  type: str
  sample: read write
cached:
  description: Whether the token came from the token cache instead of a new request to the identity provider.
  returned: success
  type: bool
  sample: true
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._auth.access_token import TOKEN_SPEC, run_token

# The in-controller action plugin (plugins/plugin_utils/_action.py) runs the same pair.
SPEC = TOKEN_SPEC
CORE = run_token
# The result holds a secret: the action plugin hides it from every output, on both execution paths.
HIDE_RESULT = True


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
