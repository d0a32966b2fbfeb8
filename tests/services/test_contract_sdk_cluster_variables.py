# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: cluster variables (Camunda 8.9) through Camunda's official Python client.

Create, create again (409), get, update, search (filters, truncation), delete and delete again, in the global and a
tenant's scope, and the 404 of an 8.8 cluster, which has none of these endpoints. Runs under SDK 9.x (8.9 shapes)
and SDK 10.x (8.10 shapes, with `kind` and `metadata`); see sdk_contract.py.
"""

from __future__ import annotations

import json

import pytest
from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    ClusterVariableScopeExactMatch,
    ClusterVariableSearchQueryRequest,
    ClusterVariableSearchQueryRequestFilter,
    TenantCreateRequest,
)

from emulator import EmulatorServer
from emulator.cluster_variables import PREVIEW_CHARS
from sdk_contract import CAMUNDA_VERSION, SDK_MAJOR, basic_client, create_request, refusal, update_request


@pytest.fixture(scope='module')
def emulator():
    with EmulatorServer(auth='basic', cluster={'version': CAMUNDA_VERSION}) as running:
        yield running


@pytest.fixture
def client(emulator):
    emulator.admin.reset()
    with basic_client(emulator.url) as connected:
        yield connected


def test_global_and_tenant_variables(client):
    created = client.create_global_cluster_variable(
        data=create_request('PAYMENT_API', {'url': 'https://p', 'timeout': 5})
    )
    assert (created.name, str(created.scope), created.tenant_id) == ('PAYMENT_API', 'GLOBAL', None)
    assert json.loads(created.value) == {'url': 'https://p', 'timeout': 5}  # the value comes back as a JSON string
    if SDK_MAJOR >= 10:
        assert (str(created.kind), created.metadata.to_dict()) == ('JSON', {})
    status, problem = refusal(client.create_global_cluster_variable, data=create_request('PAYMENT_API', {'x': 1}))
    assert (status, problem['title']) == (409, 'ALREADY_EXISTS')

    client.create_tenant(data=TenantCreateRequest(tenant_id='finance', name='Finance'))
    tenant = client.create_tenant_cluster_variable('finance', data=create_request('PAYMENT_API', {'url': 'https://f'}))
    assert (str(tenant.scope), tenant.tenant_id) == ('TENANT', 'finance')
    status, problem = refusal(client.create_tenant_cluster_variable, 'nobody', data=create_request('A', {'x': 1}))
    assert (status, problem['title']) == (404, 'NOT_FOUND')

    assert json.loads(client.get_global_cluster_variable('PAYMENT_API').value)['url'] == 'https://p'
    assert json.loads(client.get_tenant_cluster_variable('finance', 'PAYMENT_API').value) == {'url': 'https://f'}
    updated = client.update_tenant_cluster_variable('finance', 'PAYMENT_API', data=update_request({'url': 'https://g'}))
    assert json.loads(updated.value) == {'url': 'https://g'}
    updated = client.update_global_cluster_variable('PAYMENT_API', data=update_request({'url': 'https://q'}))
    assert json.loads(updated.value) == {'url': 'https://q'}
    assert refusal(client.update_global_cluster_variable, 'NOPE', data=update_request({'x': 1}))[0] == 404

    assert client.delete_tenant_cluster_variable('finance', 'PAYMENT_API') is None
    assert refusal(client.delete_tenant_cluster_variable, 'finance', 'PAYMENT_API')[0] == 404
    assert refusal(client.get_tenant_cluster_variable, 'finance', 'PAYMENT_API')[0] == 404
    assert client.delete_global_cluster_variable('PAYMENT_API') is None
    status, problem = refusal(client.delete_global_cluster_variable, 'PAYMENT_API')
    assert (status, problem['title']) == (404, 'NOT_FOUND') and 'does not exist' in problem['detail']


def test_search_filters_and_truncation(client):
    long_text = 'l' * (PREVIEW_CHARS + 1)
    client.create_global_cluster_variable(data=create_request('SHORT', {'a': 1}))
    client.create_global_cluster_variable(data=create_request('LONG', {'text': long_text}))
    client.create_tenant_cluster_variable('<default>', data=create_request('SHORT', {'a': 2}))
    everything = client.search_cluster_variables()
    assert sorted((str(item.scope), item.name) for item in everything.items) == [
        ('GLOBAL', 'LONG'),
        ('GLOBAL', 'SHORT'),
        ('TENANT', 'SHORT'),
    ]
    assert {item.name: item.is_truncated for item in everything.items if str(item.scope) == 'GLOBAL'} == {
        'LONG': True,
        'SHORT': False,
    }
    full = client.search_cluster_variables(
        truncate_values=False,
        data=ClusterVariableSearchQueryRequest(filter_=ClusterVariableSearchQueryRequestFilter(name='LONG')),
    )
    assert [json.loads(item.value) for item in full.items] == [{'text': long_text}]
    tenant = client.search_cluster_variables(
        data=ClusterVariableSearchQueryRequest(
            filter_=ClusterVariableSearchQueryRequestFilter(
                scope=ClusterVariableScopeExactMatch.TENANT, tenant_id='<default>'
            )
        )
    )
    assert [(item.name, json.loads(item.value)) for item in tenant.items] == [('SHORT', {'a': 2})]


def test_an_8_8_cluster_answers_404(client, emulator):
    emulator.admin.set_cluster(version='8.8.0')
    with pytest.raises(errors.NotFoundError):
        client.get_global_cluster_variable('ANY')
    status, problem = refusal(client.create_global_cluster_variable, data=create_request('ANY', {'x': 1}))
    assert (status, problem['title']) == (404, 'NOT_FOUND')
