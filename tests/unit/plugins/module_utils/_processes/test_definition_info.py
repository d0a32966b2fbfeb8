# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_definition_info's core against an in-process emulator: every page, latest only, ids, query."""

from __future__ import annotations

import pytest
import requests

from emulator import EmulatorServer
from deployment_files import bpmn, dmn

from ansible_collections.community.camunda.plugins.module_utils._api import client as _client
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._processes.definition_info import run_definition_info
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


@pytest.fixture(scope='module')
def emulator():
    with EmulatorServer(auth='none') as server:
        deploy = server.url + '/v2/deployments'
        for name in ('First', 'Second'):
            files = [('resources', (f'{p}.bpmn', bpmn(p, name=name))) for p in ('a', 'b', 'c')]
            files.append(('resources', ('rules.dmn', dmn('rules', 'd1' if name == 'First' else 'd2'))))
            assert requests.post(deploy, files=files, timeout=10, verify=False).status_code == 200
        requests.post(
            deploy, files=[('resources', ('a.bpmn', bpmn('a')))], data={'tenantId': 't2'}, timeout=10, verify=False
        )
        yield server


def info(emulator, **options):
    values = dict(
        url=emulator.url,
        retries=0,
        token_cache=False,
        auth_method='auto',
        kinds=['process', 'decision', 'decision_requirements'],
        latest_only=False,
    )
    values.update(options)
    return run_definition_info(OptionAdapter.from_dict(values), RunContext())


def test_every_page_is_read(emulator, monkeypatch):
    monkeypatch.setattr(_client, 'SEARCH_PAGE_LIMIT', 2)
    result = info(emulator)
    assert [(p['processDefinitionId'], p['tenantId'], p['version']) for p in result['processes']] == [
        ('a', '<default>', 1),
        ('a', '<default>', 2),
        ('a', 't2', 1),
        ('b', '<default>', 1),
        ('b', '<default>', 2),
        ('c', '<default>', 1),
        ('c', '<default>', 2),
    ]
    assert result['changed'] is False and len(result['decisions']) == 2 and len(result['decision_requirements']) == 2
    latest = info(emulator, latest_only=True)
    assert [(p['processDefinitionId'], p['version']) for p in latest['processes']] == [
        ('a', 2),
        ('a', 1),
        ('b', 2),
        ('c', 2),
    ]
    assert [(d['decisionRequirementsId'], d['version']) for d in latest['decision_requirements']] == [('rules', 2)]
    assert [d['decisionDefinitionId'] for d in latest['decisions']] == ['d1', 'd2']


def test_ids_tenant_kinds_and_query(emulator):
    result = info(
        emulator,
        ids=['a', 'rules', 'd2'],
        tenant_id='<default>',
        latest_only=True,
        query='{processes: processes[].version, drg: decision_requirements[].version, d: decisions[].name}',
    )
    assert result['query_result'] == {'processes': [2], 'drg': [2], 'd': ['d2']}
    only = info(emulator, kinds=['decision'])
    assert only['processes'] == [] and only['decision_requirements'] == [] and len(only['decisions']) == 2
    with pytest.raises(ConfigurationError):
        info(emulator, query='processes[')
