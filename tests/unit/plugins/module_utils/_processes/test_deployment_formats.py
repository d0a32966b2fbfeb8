# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the cluster's version accepts (issue 27, item 10): .xml BPMN, .rpa (8.7+), any file as a generic resource
(8.10+), and a definition whose XML read answers 204."""

from __future__ import annotations


import pytest


from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import UnsupportedVersionError
from ansible_collections.community.camunda.plugins.module_utils._processes import deployment

from deployment_runs import deploy, deployments_sent
from deployment_files import bpmn, write

RPA = '{"id": "invoice-bot", "name": "Invoice bot", "script": "*** Tasks ***"}'


def test_xml_bpmn_is_predicted_like_bpmn(emulator, tmp_path):
    folder = write(tmp_path, {'order.xml': bpmn('order')})
    first, _w = deploy(emulator, [folder / 'order.xml'])
    again, warnings = deploy(emulator, [folder / 'order.xml'], check=True)
    assert first['changed'] is True and again['changed'] is False and warnings == []


def test_generic_resources_need_8_10_and_are_judged_by_zeebe(emulator, tmp_path):
    folder = write(tmp_path, {'notes.txt': 'hello', 'bot.rpa': RPA, 'order.bpmn': bpmn('order')})
    files = [folder / 'notes.txt', folder / 'bot.rpa', folder / 'order.bpmn']
    with pytest.raises(UnsupportedVersionError) as raised:  # the default cluster runs 8.8.0
        deploy(emulator, files)
    assert raised.value.msg.startswith(
        'Deploying files other than .bpmn, .dmn, .form and .rpa (generic resources): '
        'notes.txt needs Camunda 8.10 or later; this cluster runs 8.8.0'
    )
    assert deployments_sent(emulator) == 0
    emulator.admin.set_cluster(version='8.10.0')
    first, _w = deploy(emulator, files)
    assert {(e['kind'], e['id'], e['version'], e['changed']) for e in first['resources']} == {
        ('resource', 'notes.txt', 1, True),
        ('resource', 'invoice-bot', 1, True),
        ('process', 'order', 1, True),
    }
    predicted, warnings = deploy(emulator, files, check=True)
    assert predicted['changed'] is False and 'notes.txt' in warnings[0] and 'bot.rpa' in warnings[0]
    again, _w = deploy(emulator, files)  # each unreadable file is sent on its own; Zeebe finds duplicates
    assert again['changed'] is False and {e['version'] for e in again['resources']} == {1}


def test_an_rpa_script_deploys_from_8_7(emulator, tmp_path):
    folder = write(tmp_path, {'bot.rpa': RPA})
    emulator.admin.set_cluster(version='8.6.0')
    with pytest.raises(
        UnsupportedVersionError, match=r'Deploying \.rpa files \(RPA scripts\): bot.rpa needs Camunda 8.7'
    ):
        deploy(emulator, [folder])
    emulator.admin.set_cluster(version='8.8.0')
    assert deploy(emulator, [folder])[0]['resources'][0]['version'] == 1


def test_a_definition_without_xml_is_left_to_zeebe(emulator, tmp_path, monkeypatch):
    folder = write(tmp_path, {'order.bpmn': bpmn('order')})
    deploy(emulator, [folder])
    # 8.8's spec: 204 "The process definition was found but does not have XML"; nothing to compare with.
    monkeypatch.setattr(deployment, 'read_xml', lambda client, kind, key: None)
    predicted, warnings = deploy(emulator, [folder], check=True)
    assert predicted['changed'] is False and 'order.bpmn' in warnings[0]
    before = deployments_sent(emulator)
    real, _w = deploy(emulator, [folder])
    assert real['changed'] is False and deployments_sent(emulator) == before + 1  # sent, and Zeebe found it a duplicate


def test_read_xml_gives_none_for_204():
    from ansible_collections.community.camunda.plugins.module_utils._processes.definitions import PROCESS, read_xml

    class Answer(object):
        def __init__(self, status_code, content):
            self.status_code, self.content = status_code, content

    class Client(object):
        def __init__(self, answer):
            self.answer, self.asked = answer, []

        def request(self, method, path, expected, accept):
            self.asked.append((method, path, expected, accept))
            return self.answer

    empty = Client(Answer(204, b''))
    assert read_xml(empty, PROCESS, '1') is None and empty.asked[0][2] == (200, 204)
    assert read_xml(Client(Answer(200, b'<xml/>')), PROCESS, '1') == b'<xml/>'
