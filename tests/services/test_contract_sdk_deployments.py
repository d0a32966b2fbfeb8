# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: Camunda's official Python client deploys, searches, reads XML and deletes against the emulator.

Every endpoint camunda_deployment and camunda_definition_info call goes through the client's generated models,
which insist on the documented required fields, enums and types:

    POST /v2/deployments                               (multipart, with and without tenantId)
    POST /v2/process-definitions/search                GET /v2/process-definitions/{key}[/xml]
    POST /v2/decision-definitions/search               GET /v2/decision-definitions/{key}[/xml]
    POST /v2/decision-requirements/search              GET /v2/decision-requirements/{key}[/xml]
    POST /v2/resources/{key}/deletion
"""

from __future__ import annotations

import pytest
from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    DecisionDefinitionSearchQuery,
    DecisionDefinitionSearchQueryFilter,
    DecisionRequirementsSearchQuery,
    DecisionRequirementsSearchQueryFilter,
    DeleteResourceRequest,
    LimitBasedPagination,
    ProcessDefinitionSearchQuery,
    ProcessDefinitionSearchQueryFilter,
    ProcessDefinitionSearchQuerySortRequest,
    ProcessDefinitionSearchQuerySortRequestField,
    SortOrderEnum,
)

from emulator import EmulatorServer
from deployment_files import bpmn, dmn, form, write
from sdk_contract import sdk_client

ENDPOINTS = 11  # the endpoints above: the closing note counts them


@pytest.fixture(scope='module')
def emulator():
    with EmulatorServer(auth='basic') as running:
        yield running


@pytest.fixture
def client(emulator):
    emulator.admin.reset()
    with sdk_client(
        emulator.url,
        CAMUNDA_AUTH_STRATEGY='BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME='demo',
        CAMUNDA_BASIC_AUTH_PASSWORD='demo',
    ) as sdk:
        yield sdk


def files(tmp_path, **changes):
    contents = {
        'order.bpmn': bpmn('order-process', name='Order'),
        'pricing.dmn': dmn('pricing', 'discount', 'surcharge'),
        'address.form': form('address-form'),
    }
    contents.update(changes)
    folder = write(tmp_path / 'resources', contents)
    return [folder / name for name in sorted(contents)]


def test_deploy_duplicate_and_new_version(client, tmp_path):
    first = client.deploy_resources_from_files(files(tmp_path))
    assert first.tenant_id == '<default>'
    [process] = first.processes
    assert (process.process_definition_id, process.process_definition_version, process.resource_name) == (
        'order-process',
        1,
        'order.bpmn',
    )
    assert sorted(d.decision_definition_id for d in first.decisions) == ['discount', 'surcharge']
    [drg] = first.decision_requirements
    assert {d.decision_requirements_key for d in first.decisions} == {drg.decision_requirements_key}
    [address] = first.forms
    assert (address.form_id, address.version) == ('address-form', 1)
    assert all(
        int(key) > int(first.deployment_key)
        for key in (process.process_definition_key, drg.decision_requirements_key, address.form_key)
    )

    # The same files again: duplicates, the same keys and versions, a new deployment key.
    again = client.deploy_resources_from_files(files(tmp_path))
    assert again.deployment_key != first.deployment_key
    assert again.processes[0].process_definition_key == process.process_definition_key
    assert int(again.processes[0].process_definition_key) < int(again.deployment_key)

    # One file changed: the whole deployment is versioned together.
    changed = client.deploy_resources_from_files(files(tmp_path, **{'order.bpmn': bpmn('order-process', name='New')}))
    assert changed.processes[0].process_definition_version == 2
    assert changed.decision_requirements[0].version == 2 and changed.forms[0].version == 2

    # Another tenant has its own versions.
    other = client.deploy_resources_from_files(files(tmp_path), tenant_id='tenant-b')
    assert other.tenant_id == 'tenant-b' and other.processes[0].process_definition_version == 1


def test_search_get_and_xml(client, tmp_path):
    paths = files(tmp_path)
    client.deploy_resources_from_files(paths)
    client.deploy_resources_from_files(files(tmp_path, **{'order.bpmn': bpmn('order-process', name='Changed')}))

    every = client.search_process_definitions(
        data=ProcessDefinitionSearchQuery(
            filter_=ProcessDefinitionSearchQueryFilter(process_definition_id='order-process', tenant_id='<default>'),
            sort=[
                ProcessDefinitionSearchQuerySortRequest(
                    field=ProcessDefinitionSearchQuerySortRequestField.VERSION, order=SortOrderEnum.DESC
                )
            ],
        )
    )
    assert [p.version for p in every.items] == [2, 1] and every.page.total_items == 2
    latest = client.search_process_definitions(
        data=ProcessDefinitionSearchQuery(
            filter_=ProcessDefinitionSearchQueryFilter(is_latest_version=True), page=LimitBasedPagination(limit=10)
        )
    )
    [newest] = latest.items
    assert (newest.version, newest.name, newest.resource_name, newest.has_start_form) == (
        2,
        'Changed',
        'order.bpmn',
        False,
    )
    fetched = client.get_process_definition(newest.process_definition_key)
    assert fetched.process_definition_key == newest.process_definition_key and fetched.version == 2
    assert client.get_process_definition_xml(newest.process_definition_key) == bpmn('order-process', name='Changed')

    decisions = client.search_decision_definitions(
        data=DecisionDefinitionSearchQuery(
            filter_=DecisionDefinitionSearchQueryFilter(decision_definition_id='discount', is_latest_version=True)
        )
    )
    [discount] = decisions.items
    assert (discount.version, discount.decision_requirements_id, discount.decision_requirements_version) == (
        2,
        'pricing',
        2,
    )
    assert client.get_decision_definition(discount.decision_definition_key).name == 'discount'
    assert client.get_decision_definition_xml(discount.decision_definition_key) == dmn(
        'pricing', 'discount', 'surcharge'
    )

    drgs = client.search_decision_requirements(
        data=DecisionRequirementsSearchQuery(
            filter_=DecisionRequirementsSearchQueryFilter(decision_requirements_id='pricing', tenant_id='<default>')
        )
    )
    assert sorted(d.version for d in drgs.items) == [1, 2]
    drg = client.get_decision_requirements(discount.decision_requirements_key)
    assert (drg.decision_requirements_name, drg.resource_name) == ('pricing', 'pricing.dmn')
    assert client.get_decision_requirements_xml(drg.decision_requirements_key).startswith('<?xml')

    with pytest.raises(errors.NotFoundError):
        client.get_process_definition('1')


def test_delete_and_rejections(client, tmp_path):
    deployed = client.deploy_resources_from_files(files(tmp_path))
    key = deployed.processes[0].process_definition_key
    answer = client.delete_resource(key, data=DeleteResourceRequest(delete_history=False))
    assert answer.resource_key == key and answer.batch_operation is None
    with pytest.raises(errors.NotFoundError):
        client.get_process_definition(key)
    with pytest.raises(errors.NotFoundError):
        client.delete_resource(key, data=None)
    drg_key = deployed.decision_requirements[0].decision_requirements_key
    client.delete_resource(drg_key, data=None)
    with pytest.raises(errors.NotFoundError):
        client.get_decision_definition(deployed.decisions[0].decision_definition_key)

    broken = write(tmp_path / 'broken', {'broken.bpmn': bpmn('broken', executable=False)}) / 'broken.bpmn'
    with pytest.raises(errors.BadRequestError) as refused:
        client.deploy_resources_from_files([broken])
    assert refused.value.parsed.title == 'INVALID_ARGUMENT'
    assert (
        "'broken.bpmn': " in refused.value.parsed.detail
        and 'at least one executable process' in refused.value.parsed.detail
    )
