# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test of the endpoints camunda_auth_info reads, with Camunda's official Python client and a token
from the real test IdP: GET /v2/authentication/me (a principal whose roles come from a mapping rule),
POST /v2/mapping-rules/search, POST /v2/roles/search, POST /v2/roles/{id}/mapping-rules/search, and a 403."""

from __future__ import annotations

import pytest
from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    MappingRuleCreateRequest,
    MappingRuleSearchQueryRequest,
    RoleSearchQueryRequest,
)

from sdk_contract import sdk_client


@pytest.fixture
def oidc_client(clean_services):
    idp, emulator = clean_services.idp, clean_services.emulator
    emulator.admin.set_auth('oidc')
    with sdk_client(
        emulator.url,
        CAMUNDA_AUTH_STRATEGY='OAUTH',
        CAMUNDA_OAUTH_URL=idp.token_url,
        CAMUNDA_CLIENT_ID=idp.clients.secret.id,
        CAMUNDA_CLIENT_SECRET=idp.clients.secret.secret,
        CAMUNDA_TOKEN_AUDIENCE=idp.audience,
        CAMUNDA_MTLS_CA_PATH=idp.ca_path,
    ) as client:
        yield client, clean_services
    emulator.admin.reset()


def test_sdk_reads_what_auth_info_reads(oidc_client):
    client, services = oidc_client
    client_id = services.idp.clients.secret.id
    before = client.get_authentication()
    assert before.username == client_id and before.roles == []

    client.create_mapping_rule(
        data=MappingRuleCreateRequest(
            mapping_rule_id='contract-rule', claim_name='client_id', claim_value=client_id, name='Contract rule'
        )
    )
    client.assign_role_to_mapping_rule('admin', 'contract-rule')

    me = client.get_authentication()
    assert me.username == client_id and me.roles == ['admin'] and me.authorized_components == ['*']
    rules = client.search_mapping_rule(data=MappingRuleSearchQueryRequest())
    assert [(rule.mapping_rule_id, rule.claim_name, rule.claim_value) for rule in rules.items] == [
        ('contract-rule', 'client_id', client_id)
    ]
    assert 'admin' in [role.role_id for role in client.search_roles(data=RoleSearchQueryRequest()).items]
    members = client.search_mapping_rules_for_role('admin', data=MappingRuleSearchQueryRequest())
    assert [rule.mapping_rule_id for rule in members.items] == ['contract-rule']


def test_sdk_sees_the_forbidden_principal(oidc_client):
    client, services = oidc_client
    services.emulator.admin.set_faults(forbidden=[services.idp.clients.secret.id])
    with pytest.raises(errors.ForbiddenError):
        client.get_authentication()
