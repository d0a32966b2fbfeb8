# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's deployments: multipart handling, Zeebe's duplicate and versioning rules, read lag, deletion."""

from __future__ import annotations

import pytest
import requests

from emulator import EmulatorServer
from deployment_files import bpmn, dmn, form


@pytest.fixture(scope='module')
def server():
    with EmulatorServer(auth='none') as running:
        yield running


@pytest.fixture
def api(server):
    server.admin.reset()
    return server.url + '/v2'


def deploy(api, *files, tenant=None, expected=200):
    data = {'tenantId': tenant} if tenant else None
    answer = requests.post(f'{api}/deployments', files=[('resources', f) for f in files], data=data, verify=False, timeout=10)
    assert answer.status_code == expected, answer.text
    return answer.json()


def versions(answer):
    found = []
    for item in answer['deployments']:
        [(field, value)] = [(k, v) for k, v in item.items() if v is not None]
        found.append((field, value.get('processDefinitionVersion', value.get('version'))))
    return found


def test_multipart_is_required(api):
    answer = requests.post(f'{api}/deployments', json={'resources': []}, verify=False, timeout=10)
    assert answer.status_code == 415
    answer = requests.post(f'{api}/deployments', files=[('tenantId', (None, b'x'))], verify=False, timeout=10)
    assert answer.status_code == 400 and 'at least one resource' in answer.json()['detail']
    answer = requests.post(f'{api}/deployments', files=[('other', ('a.bpmn', b'x'))], verify=False, timeout=10)
    assert answer.status_code == 400 and 'Request property [other]' in answer.json()['detail']


def test_every_failure_is_listed_with_its_resource(api):
    problem = deploy(api, ('a.txt', b'x'), ('b.bpmn', b'<oops'), ('c.form', b'{}'), ('d.bpmn', bpmn('d').encode()),
                     ('e.bpmn', bpmn('d').encode()), expected=400)
    detail = problem['detail']
    assert detail.startswith("Command 'CREATE' rejected with code 'INVALID_ARGUMENT': Expected to deploy new resources")
    assert "'a.txt': unknown resource type" in detail and "'b.bpmn': " in detail
    assert 'Expected the form id to be present' in detail
    assert "Duplicated process id in resources 'd.bpmn' and 'e.bpmn'" in detail


def test_versions_after_deletion_and_for_decisions(api):
    first = deploy(api, ('p.bpmn', bpmn('p').encode()), ('r.dmn', dmn('r', 'd').encode()))
    second = deploy(api, ('p.bpmn', bpmn('p', name='2').encode()), ('r.dmn', dmn('r', 'd').encode()))
    assert versions(second) == [('processDefinition', 2), ('decisionDefinition', 2), ('decisionRequirements', 2)]
    keys = {field: value for item in second['deployments'] for field, value in item.items() if value}
    for key in (keys['processDefinition']['processDefinitionKey'], keys['decisionRequirements']['decisionRequirementsKey']):
        assert requests.post(f'{api}/resources/{key}/deletion', verify=False, timeout=10).status_code == 200
    third = deploy(api, ('p.bpmn', bpmn('p', name='3').encode()), ('r.dmn', dmn('r', 'd', 'x').encode()))
    # Processes never reuse a deleted version; decisions count from the latest that remains.
    assert versions(third) == [('processDefinition', 3), ('decisionDefinition', 2), ('decisionDefinition', 1),
                               ('decisionRequirements', 2)]
    assert first['deploymentKey'] < second['deploymentKey'] < third['deploymentKey']


def test_a_decision_moved_to_another_graph_breaks_the_duplicate(api):
    deploy(api, ('r.dmn', dmn('r', 'd').encode()))
    deploy(api, ('s.dmn', dmn('s', 'd').encode()))  # decision d now belongs to graph s
    again = deploy(api, ('r.dmn', dmn('r', 'd').encode()))
    assert versions(again) == [('decisionDefinition', 3), ('decisionRequirements', 2)]


def test_searches_wait_for_the_read_lag_and_xml_needs_an_xml_accept(server, api):
    server.admin.set_faults(read_lag_ms=60000)
    answer = deploy(api, ('p.bpmn', bpmn('p').encode()))
    key = answer['deployments'][0]['processDefinition']['processDefinitionKey']
    assert requests.post(f'{api}/process-definitions/search', json={}, verify=False, timeout=10).json()['items'] == []
    assert requests.get(f'{api}/process-definitions/{key}', verify=False, timeout=10).status_code == 404
    server.admin.clear_faults()
    deploy(api, ('q.bpmn', bpmn('q').encode()))
    found = requests.post(f'{api}/process-definitions/search', json={}, verify=False, timeout=10).json()['items']
    assert [item['processDefinitionId'] for item in found] == ['q']
    deployed = server.app.deployments.latest_process('q')
    refused = requests.get(f'{api}/process-definitions/{deployed.key}/xml', headers={'Accept': 'application/json'},
                           verify=False, timeout=10)
    assert refused.status_code == 406
    xml = requests.get(f'{api}/process-definitions/{deployed.key}/xml', headers={'Accept': 'text/xml'}, verify=False,
                       timeout=10)
    assert xml.status_code == 200 and xml.headers['Content-Type'] == 'text/xml' and xml.content == bpmn('q').encode()


def test_forms_and_tenants(api):
    one = deploy(api, ('f.form', form('f').encode()), tenant='t1')
    other = deploy(api, ('f.form', form('f').encode()), tenant='t2')
    assert one['tenantId'] == 't1' and versions(one) == versions(other) == [('form', 1)]
    bad = deploy(api, ('f.form', form('f').encode()), tenant='not valid!', expected=400)
    assert 'tenantId' in bad['detail']


def test_the_default_tenant_may_be_named(api):
    # Camunda's TenantId pattern admits '<default>'; a deployment naming it lands where one without a tenant does.
    named = deploy(api, ('p.bpmn', bpmn('p').encode()), tenant='<default>')
    assert named['tenantId'] == '<default>'
    again = deploy(api, ('p.bpmn', bpmn('p').encode()))
    assert again['deployments'][0]['processDefinition']['processDefinitionVersion'] == 1
    problem = deploy(api, ('p.bpmn', bpmn('p').encode()), tenant='no spaces', expected=400)
    assert 'illegal characters' in problem['detail']
