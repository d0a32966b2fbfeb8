#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_auth_info
short_description: Diagnose why Camunda 8 credentials work or fail, from the token, the identity provider and the cluster
version_added: 0.3.0
description:
  - Says why the task's credentials are accepted or refused, with a list of RV(findings), each with a fix.
  - "The token (O(auth_method=oidc) or O(auth_method=bearer)): its header and the claims that matter (C(iss), C(aud),
    C(sub), C(azp)/C(client_id), C(scope), groups and roles, C(iat), C(nbf), C(exp)), decoded B(without) checking
    the signature. The token itself is never returned."
  - "The identity provider: its discovery document (C(<issuer>/.well-known/openid-configuration)), whether O(token_url)
    is the token endpoint it announces, whether the token's C(iss) is its issuer, whether the token's C(kid) is in its JWKS."
  - "The clocks: how far the identity provider's and the cluster's clocks are from the controller's (from their C(Date)
    headers, to the second), and the token's lifetime left."
  - "The cluster: C(GET /v2/authentication/me) (who it takes the caller for: roles, groups, tenants, components), or the
    401 or 403 it answered; and the mapping rules that the token's claims match, with the roles they bring, when the
    credentials may read mapping rules."
  - It changes nothing. It fails only on wrong options; every problem it finds is a finding, not a failure.
  - The token comes from the token cache like in the other modules; when the cluster refuses a cached token, a fresh
    one is fetched and judged instead.
  - Where each setting came from is reported as C(option) (the task's options, including C(module_defaults) and
    variables passed to them, which Ansible resolves before the module runs), C(environment NAME), or C(default).
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  expected_issuer:
    description:
      - The issuer the cluster is configured with (C(camunda.security.authentication.oidc.issuer-uri); Helm
        C(orchestration.security.authentication.oidc.issuer)).
      - The token's C(iss) is compared with it, and its discovery document is read from it. Without it the
        discovery document is read from the token's C(iss), then from the issuer that O(token_url) belongs to.
    type: str
    version_added: 0.3.0
  expected_audiences:
    description:
      - The audiences the cluster accepts (C(camunda.security.authentication.oidc.audiences)). A token whose C(aud)
        names none of them is a finding.
      - Camunda SaaS (see O(saas)) requires C(zeebe.camunda.io) whatever this says.
    type: list
    elements: str
    version_added: 0.3.0
  saas:
    description:
      - Whether the cluster is Camunda SaaS. Unset, it is SaaS when O(url) is under C(camunda.io) or O(token_url) is
        C(login.cloud.camunda.io).
    type: bool
    version_added: 0.3.0
  production:
    description:
      - The cluster is a production cluster. Basic authentication against it is a finding (Camunda advises OIDC).
    type: bool
    default: false
    version_added: 0.3.0
  max_clock_skew:
    description:
      - Seconds by which the clocks of the controller, the identity provider and the cluster may differ before it is a finding.
    type: float
    default: 30
    version_added: 0.3.0
  read_mapping_rules:
    description:
      - Read the mapping rules (C(POST /v2/mapping-rules/search)) and the roles they are members of, to say which rules
        the token's claims match. Needs permission C(READ) on C(MAPPING_RULE) and C(ROLE); without it that is an
        V(info) finding.
    type: bool
    default: true
    version_added: 0.3.0
extends_documentation_fragment:
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
notes:
  - The catalogue of findings, with what each means and how to fix it, is the collection's
    R(auth diagnosis guide, ansible_collections.community.camunda.docsite.guide_auth_diagnosis).
seealso:
  - module: community.camunda.camunda_cluster_info
  - module: community.camunda.camunda_token
  - name: Camunda 8 authentication
    description: How Camunda 8 clients authenticate to the Orchestration Cluster API.
    link: https://docs.camunda.io/docs/apis-tools/orchestration-cluster-api-rest/orchestration-cluster-api-rest-authentication/
'''

EXAMPLES = r'''
- name: Why does the cluster refuse our client?
  community.camunda.camunda_auth_info:
    url: https://camunda.example.com
    token_url: https://keycloak.example.com/auth/realms/camunda-platform/protocol/openid-connect/token
    client_id: ansible
    client_secret: "{{ vault_camunda_client_secret }}"
    expected_issuer: https://keycloak.example.com/auth/realms/camunda-platform
    expected_audiences: [orchestration-api]
  register: auth

- name: Show each finding and its fix
  ansible.builtin.debug:
    msg: "{{ item.severity }}: {{ item.message }} Fix: {{ item.fix }}"
  loop: "{{ auth.findings }}"
  loop_control:
    label: "{{ item.id }}"

- name: Fail on anything worse than info
  ansible.builtin.assert:
    that: auth.highest_severity in [none, 'info']
    fail_msg: "{{ auth.findings | map(attribute='message') | join(' ') }}"
'''

RETURN = r'''
auth_method:
  description: The auth method in use (V(auto) resolved).
  returned: always
  type: str
  sample: oidc
api_url:
  description: The API address (with C(/v2)).
  returned: always
  type: str
  sample: https://camunda.example.com/v2
settings:
  description:
    - The settings that shape the credentials, each with its C(value) (secrets as C(********) when set) and its
      C(source) (C(option), C(environment NAME), C(default), C(unset)).
  returned: always
  type: dict
  sample:
    url: {value: "https://camunda.example.com", source: option}
    client_id: {value: ansible, source: environment CAMUNDA_CLIENT_ID}
    client_secret: {value: "********", source: environment CAMUNDA_CLIENT_SECRET}
token:
  description:
    - The token, decoded without checking its signature; never the token itself. C(null) with O(auth_method=basic) or V(none).
    - C(present), C(cached) (from the token cache), C(jwt) (a JWT, not an opaque token), C(header) (C(alg), C(kid), C(typ)),
      C(claims), C(issued_at) and C(expires_at) (ISO 8601 UTC), C(lifetime_left_s) (by the controller's clock), and
      C(error) (C(kind) V(refused) or V(unreachable), C(said)) when no token could be obtained.
  returned: always
  type: dict
  sample:
    present: true
    cached: false
    jwt: true
    header: {alg: RS256, kid: 5f1c0a, typ: at+jwt}
    claims: {iss: "https://keycloak.example.com/auth/realms/camunda-platform", aud: orchestration-api, sub: ansible,
             client_id: ansible, iat: 1796000000, exp: 1796000300}
    issued_at: "2026-12-01T22:13:20Z"
    expires_at: "2026-12-01T22:18:20Z"
    lifetime_left_s: 297
    error: null
idp:
  description:
    - "The identity provider as its discovery document describes it (C(null) without a JWT): C(issuer) (where it was read
      from), C(discovery_url), C(discovered_issuer), C(token_endpoint), C(jwks_uri), C(token_url_matches),
      C(kid_in_jwks), C(jwks_kids), C(error)."
  returned: always
  type: dict
  sample:
    issuer: "https://keycloak.example.com/auth/realms/camunda-platform"
    discovered_issuer: "https://keycloak.example.com/auth/realms/camunda-platform"
    token_url_matches: true
    kid_in_jwks: true
clocks:
  description:
    - C(controller) (the controller's time, ISO 8601), and in whole seconds how far the identity provider's clock
      (C(idp_offset_s)) and the cluster's (C(cluster_offset_s)) are ahead of the controller's, and the cluster's
      ahead of the identity provider's (C(idp_cluster_offset_s)); C(null) when not measured. From C(Date) headers,
      so within a second.
  returned: always
  type: dict
  sample: {controller: "2026-12-01T22:13:21Z", idp_offset_s: 0, cluster_offset_s: -1, idp_cluster_offset_s: -1}
cluster:
  description:
    - "What C(GET /v2/authentication/me) answered (C(null) with O(auth_method=none) or without a token): C(status),
      C(credentials) (V(accepted), V(refused), V(forbidden), V(error)), C(principal) (username, roles, groups,
      tenants, authorizedComponents), C(detail) (the problem detail of a refusal), C(challenge) (C(WWW-Authenticate))."
  returned: always
  type: dict
  sample:
    status: 200
    credentials: accepted
    principal: {username: ansible, roles: [admin], groups: [], tenants: [], authorizedComponents: ["*"]}
principal:
  description: Who the credentials stand for (the cluster's username, else the token's client id or subject, else the Basic user).
  returned: always
  type: str
  sample: ansible
mapping_rules:
  description:
    - "The mapping rules the token's claims match (C(null) when not read): C(readable), C(count) (rules read),
      C(matched) (each C(mappingRuleId), C(claimName), C(claimValue), C(name), C(roles)), C(error)."
  returned: always
  type: dict
  sample:
    readable: true
    count: 3
    matched: [{mappingRuleId: ansible-client, claimName: client_id, claimValue: ansible, name: Ansible, roles: [admin]}]
findings:
  description:
    - What is wrong, or notable, most severe first. Each has C(id) (from the catalogue in the auth diagnosis guide),
      C(severity) (V(error), V(warning), V(info)), C(message) and C(fix).
    - A healthy setup has no finding above V(info).
  returned: always
  type: list
  elements: dict
  sample:
    - id: issuer_keycloak_auth_path
      severity: error
      message: "The token's issuer https://kc.example.com/auth/realms/camunda-platform and the cluster's issuer
        (expected_issuer) https://kc.example.com/realms/camunda-platform differ only by the /auth prefix."
      fix: "Keycloak 17 and later serve realms without /auth unless started with --http-relative-path=/auth ..."
highest_severity:
  description: The severity of the worst finding (V(error), V(warning), V(info)), or C(null) without findings.
  returned: always
  type: str
  sample: info
'''

from ansible_collections.community.camunda.plugins.module_utils._diagnosis.auth_info import (
    AUTH_INFO_SPEC,
    run_auth_info,
)
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = AUTH_INFO_SPEC
CORE = run_auth_info


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
