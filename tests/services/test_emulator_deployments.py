# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's deployments: multipart handling, Zeebe's duplicate and versioning rules, read lag, deletion."""

from __future__ import annotations

import pytest
import requests

from emulator import EmulatorServer
from deployment_files import bpmn, bpmn_binding, dmn, form


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
    answer = requests.post(
        f'{api}/deployments', files=[('resources', f) for f in files], data=data, verify=False, timeout=10
    )
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
    problem = deploy(
        api,
        ('a.txt', b'x'),
        ('b.bpmn', b'<oops'),
        ('c.form', b'{}'),
        ('d.bpmn', bpmn('d').encode()),
        ('e.bpmn', bpmn('d').encode()),
        expected=400,
    )
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
    for key in (
        keys['processDefinition']['processDefinitionKey'],
        keys['decisionRequirements']['decisionRequirementsKey'],
    ):
        assert requests.post(f'{api}/resources/{key}/deletion', verify=False, timeout=10).status_code == 200
    third = deploy(api, ('p.bpmn', bpmn('p', name='3').encode()), ('r.dmn', dmn('r', 'd', 'x').encode()))
    # Processes never reuse a deleted version; decisions count from the latest that remains.
    assert versions(third) == [
        ('processDefinition', 3),
        ('decisionDefinition', 2),
        ('decisionDefinition', 1),
        ('decisionRequirements', 2),
    ]
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
    refused = requests.get(
        f'{api}/process-definitions/{deployed.key}/xml',
        headers={'Accept': 'application/json'},
        verify=False,
        timeout=10,
    )
    assert refused.status_code == 406
    xml = requests.get(
        f'{api}/process-definitions/{deployed.key}/xml', headers={'Accept': 'text/xml'}, verify=False, timeout=10
    )
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


def test_a_deployment_binding_needs_its_target_in_the_same_deployment(api):
    main = bpmn_binding('main', calls='sub', decides='d1', shows='review').encode()
    problem = deploy(api, ('main.bpmn', main), ('sub.bpmn', bpmn('sub').encode()), expected=400)
    assert problem['detail'].endswith(
        "'main.bpmn':\n"
        "- Element: main-decide > extensionElements > calledDecision\n"
        "    - ERROR: Expected to find decision with id 'd1' in current deployment, but not found.\n"
        "- Element: main-task > extensionElements > formDefinition\n"
        "    - ERROR: Expected to find form with id 'review' in current deployment, but not found.\n"
    )
    # Bound by latest, or through an expression: not checked.
    deploy(api, ('loose.bpmn', bpmn_binding('loose', calls='sub', binding='latest').encode()))
    deploy(api, ('expr.bpmn', bpmn_binding('expr', calls='=target').encode()))
    unit = [
        ('main.bpmn', main),
        ('sub.bpmn', bpmn('sub').encode()),
        ('r.dmn', dmn('r', 'd1').encode()),
        ('review.form', form('review').encode()),
    ]
    assert versions(deploy(api, *unit)) == [
        ('processDefinition', 1),
        ('processDefinition', 1),
        ('decisionDefinition', 1),
        ('decisionRequirements', 1),
        ('form', 1),
    ]
    # One changed file versions every resource of the deployment together (8.6+), so the binding finds its target.
    unit[1] = ('sub.bpmn', bpmn('sub', name='Changed').encode())
    assert versions(deploy(api, *unit)) == [
        ('processDefinition', 2),
        ('processDefinition', 2),
        ('decisionDefinition', 2),
        ('decisionRequirements', 2),
        ('form', 2),
    ]


def test_a_linked_resource_bound_by_deployment_is_checked_when_deploying_from_8_10(server, api):
    rpa = ('bot.rpa', b'{"id": "invoice-bot", "script": "*** Tasks ***"}')
    links = [('robot', 'invoice-bot', 'RPA'), ('sheet', 'review', 'form')]
    main = ('main.bpmn', bpmn_binding('main', links=links).encode())
    server.admin.set_cluster(version='8.9.0')
    # Before 8.10 the deployment passes; the missing resource is an incident when the job is created.
    assert versions(deploy(api, main)) == [('processDefinition', 1)]
    server.admin.set_cluster(version='8.10.0')
    problem = deploy(api, main, expected=400)
    assert problem['detail'].endswith(
        "'main.bpmn':\n"
        "- Element: main-robot > extensionElements > linkedResources > linkedResource\n"
        "    - ERROR: Expected to find resource with id 'invoice-bot' in current deployment, but not found.\n"
        "- Element: main-robot > extensionElements > linkedResources > linkedResource\n"
        "    - ERROR: Expected to find form with id 'review' in current deployment, but not found.\n"
    )
    # Typed form, the link needs a form: an RPA script of that id does not do.
    wrong = ('wrong.rpa', b'{"id": "review", "script": "*** Tasks ***"}')
    assert "form with id 'review'" in deploy(api, main, rpa, wrong, expected=400)['detail']
    deploy(api, main, rpa, ('review.form', form('review').encode()))
    # Bound by latest, or through an expression: not checked.
    deploy(api, ('loose.bpmn', bpmn_binding('loose', links=links, binding='latest').encode()))
    deploy(api, ('expr.bpmn', bpmn_binding('expr', links=[('robot', '=botId', 'RPA')]).encode()))


def test_rpa_from_8_7_and_any_file_as_a_generic_resource_from_8_10(server, api):
    rpa = b'{"id": "invoice-bot", "name": "Invoice bot", "script": "*** Tasks ***"}'
    problem = deploy(api, ('bot.rpa', rpa), ('notes.txt', b'hello'), expected=400)  # the default shape runs 8.8.0
    assert "'notes.txt': unknown resource type" in problem['detail'] and 'bot.rpa' not in problem['detail']
    server.admin.set_cluster(version='8.9.0')
    assert deploy(api, ('notes.txt', b'hello'), expected=400)['detail'].endswith("'notes.txt': unknown resource type")
    server.admin.set_cluster(version='8.10.0')
    first = deploy(api, ('bot.rpa', rpa), ('notes.txt', b'hello'), ('config.xml', b'<config/>'))
    assert [item['resource']['resourceId'] for item in first['deployments']] == [
        'invoice-bot',
        'notes.txt',
        'config.xml',
    ]
    again = deploy(api, ('bot.rpa', rpa), ('notes.txt', b'hello'), ('config.xml', b'<config/>'))
    assert [item['resource']['version'] for item in again['deployments']] == [1, 1, 1]  # duplicates
    changed = deploy(api, ('bot.rpa', rpa), ('notes.txt', b'hello again'), ('config.xml', b'<config/>'))
    assert [item['resource']['version'] for item in changed['deployments']] == [2, 2, 2]  # versioned together
