# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Scenarios of auth traps for the camunda_auth_info tests (oidc-provider and Keycloak tiers).

A playbook (tests/integration/plugins/modules/playbooks/auth_info.yml) runs one diagnosis per scenario;
before each it sets the IdP's token shape (oidc-provider only) and the emulator's auth settings and faults
through their admin APIs. ``prepare_cluster`` creates the mapping rules the scenarios rely on.
"""

from __future__ import annotations

from pathlib import Path

import requests

# Any JWT: three base64url parts, the first two JSON objects ('{"' encodes as 'eyJ').
JWT_PATTERN = r'eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+'
# The secret client's claims match this rule, which makes it a member of the role admin; a second rule
# matches nobody, so that "no rule matched" is judged against rules that exist.
MATCHING_RULE = 'auth-info-secret-client'
OTHER_RULE = 'auth-info-someone-else'
TIMEOUT = 10
# The scenario playbook switches the services with the test-only action camunda_test_admin.
PLAYBOOK_ENV = {'ANSIBLE_ACTION_PLUGINS': str(Path(__file__).resolve().parent / 'action_plugins')}


def prepare_cluster(services):
    """Mapping rules: one for the secret client (role admin), one for nobody; then OIDC as the scenarios set it."""
    emulator, idp = services.emulator, services.idp
    emulator.admin.set_auth('basic')
    session = requests.Session()
    session.auth = ('demo', emulator.basic_users['demo'])
    base = f'{emulator.url}/v2'
    for rule_id, claim_value in ((MATCHING_RULE, idp.clients.secret.id), (OTHER_RULE, 'someone-else')):
        body = {'mappingRuleId': rule_id, 'claimName': 'client_id', 'claimValue': claim_value, 'name': rule_id}
        session.post(f'{base}/mapping-rules', json=body, timeout=TIMEOUT, verify=True).raise_for_status()
    session.put(f'{base}/roles/admin/mapping-rules/{MATCHING_RULE}', timeout=TIMEOUT, verify=True).raise_for_status()
    session.close()


def cluster_auth(services):
    """The emulator's OIDC settings every scenario starts from (a scenario changes some of them)."""
    idp = services.idp
    audiences = [idp.audience] + ([idp.saas_audience] if idp.saas_token_url else [])
    return dict(mode='oidc', oidc_issuer=idp.issuer, oidc_audiences=audiences, clock_offset_s=0)


def scenario_vars(services, scenarios):
    """Extra variables of auth_info.yml: the connection, the admin URLs and the scenarios."""
    idp, emulator = services.idp, services.emulator
    values = dict(
        camunda_url=emulator.url,
        camunda_token_url=idp.token_url,
        camunda_client_id=idp.clients.secret.id,
        camunda_client_secret=idp.clients.secret.secret,
        camunda_token_ca_path=idp.ca_path,
        emulator_admin_url=f'{emulator.url}/__emulator__/',
        cluster_auth=cluster_auth(services),
        scenarios=scenarios,
    )
    if idp.kind == 'oidc-provider':
        values['idp_admin_url'] = f'{idp.origin}/__idp__/'
    return values


def findings_by_id(result):
    """{finding id: finding}; fails when one id appears twice (each trap is judged once)."""
    ids = [item['id'] for item in result['findings']]
    assert len(ids) == len(set(ids)), result['findings']
    return {item['id']: item for item in result['findings']}
