# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deployment units (issue 27, item 9): files bound by deployment are sent and versioned together, unlinked files
stay independent, a target in none of the task's files fails before anything is sent, check mode predicts it."""

from __future__ import annotations


import pytest


from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._processes.deployment_units import deployment_units
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import read_resources

from deployment_runs import deploy, deployments_sent
from deployment_files import bpmn, bpmn_binding, dmn, form, write

APP = {
    'main.bpmn': bpmn_binding('main', calls='sub', decides='d1', shows='review'),
    'sub.bpmn': bpmn('sub'),
    'rules.dmn': dmn('rules', 'd1'),
    'review.form': form('review'),
    'other.bpmn': bpmn('other'),
    'loose.bpmn': bpmn_binding('loose', calls='other', binding='latest'),
}


def changed_files(result):
    return sorted({entry['name'] for entry in result['resources'] if entry['changed']})


def versions(result):
    return {entry['id']: entry['version'] for entry in result['resources']}


def test_linked_files_form_one_unit_and_unlinked_ones_stay_apart(tmp_path):
    folder = write(tmp_path / 'app', APP)
    units = deployment_units(read_resources([str(folder)]))
    assert sorted(sorted(r.name for r in unit) for unit in units) == [
        ['loose.bpmn'],
        ['main.bpmn', 'review.form', 'rules.dmn', 'sub.bpmn'],
        ['other.bpmn'],
    ]
    assert [len(unit) for unit in deployment_units(read_resources([str(folder)]), 'all')] == [6]


@pytest.mark.parametrize(
    'edited, expected',
    [
        ('sub.bpmn', ['main.bpmn', 'review.form', 'rules.dmn', 'sub.bpmn']),  # a callee changed: its caller comes along
        (
            'main.bpmn',
            ['main.bpmn', 'review.form', 'rules.dmn', 'sub.bpmn'],
        ),  # a caller changed: its callees come along
        ('rules.dmn', ['main.bpmn', 'review.form', 'rules.dmn', 'sub.bpmn']),
        ('other.bpmn', ['other.bpmn']),  # bound by latest from loose.bpmn: not re-versioned with it, nor it with other
    ],
)
def test_a_changed_member_sends_its_whole_unit_and_check_mode_predicts_it(emulator, tmp_path, edited, expected):
    folder = write(tmp_path / 'app', APP)
    first, _w = deploy(emulator, [folder])
    assert changed_files(first) == sorted(APP)
    text = (folder / edited).read_text()
    (folder / edited).write_text(text.replace('name="', 'name="Edited ', 1))
    predicted, _w = deploy(emulator, [folder], check=True)
    real, _w = deploy(emulator, [folder])
    assert changed_files(predicted) == changed_files(real) == expected
    assert {name: versions(real)[name] for name in ('main', 'sub', 'other', 'loose')} == {
        'main': 1 + ('main.bpmn' in expected),
        'sub': 1 + ('sub.bpmn' in expected),
        'other': 1 + ('other.bpmn' in expected),
        'loose': 1,
    }
    if edited == 'sub.bpmn':
        assert (
            'main.bpmn (' in predicted['diff']['prepared']
            and 'gets a new version with sub.bpmn' in predicted['diff']['prepared']
        )
    again, _w = deploy(emulator, [folder])
    assert again['changed'] is False


def test_an_unchanged_unit_with_a_form_is_left_to_zeebe_and_stays_at_its_versions(emulator, tmp_path):
    folder = write(tmp_path / 'app', APP)
    deploy(emulator, [folder])
    sent_before = deployments_sent(emulator)
    again, _w = deploy(emulator, [folder])
    assert again['changed'] is False and versions(again)['main'] == versions(again)['review'] == 1
    assert deployments_sent(emulator) == sent_before + 1  # only the unit with the form, which Zeebe judged
    predicted, warnings = deploy(emulator, [folder], check=True)
    assert predicted['changed'] is False and 'review.form' in warnings[0]


def test_deploy_together_all_sends_everything_when_one_file_differs(emulator, tmp_path):
    folder = write(tmp_path / 'app', APP)
    deploy(emulator, [folder], deploy_together='all')
    (folder / 'other.bpmn').write_text(bpmn('other', name='Edited'))
    predicted, _w = deploy(emulator, [folder], check=True, deploy_together='all')
    real, _w = deploy(emulator, [folder], deploy_together='all')
    assert changed_files(predicted) == changed_files(real) == sorted(APP)
    assert set(versions(real).values()) == {2}


def test_a_target_in_no_file_fails_before_sending_naming_the_file_and_element(emulator, tmp_path):
    sketch = bpmn_binding('sketch', calls='nowhere').replace('isExecutable="true"', 'isExecutable="false"')
    process = sketch[sketch.index('  <bpmn:process') : sketch.index('</bpmn:definitions>')]
    mixed = bpmn('runnable').replace('</bpmn:definitions>', process + '</bpmn:definitions>')
    folder = write(
        tmp_path / 'app',
        {
            'main.bpmn': bpmn_binding('main', calls='sub', shows='review'),
            'expr.bpmn': bpmn_binding('expr', calls='=subProcessId'),
            'mixed.bpmn': mixed,
        },
    )  # a non-executable process is not deployed nor checked
    with pytest.raises(ConfigurationError) as raised:
        deploy(emulator, [folder])
    message = raised.value.msg
    assert f"call activity 'main-call' in {folder / 'main.bpmn'} binds process 'sub' by deployment" in message
    assert (
        "user task 'main-task'" in message
        and "form 'review'" in message
        and 'expr' not in message
        and 'sketch' not in message
    )
    assert 'add the file that declares it to src' in message
    assert deployments_sent(emulator) == 0


RPA = '{"id": "invoice-bot", "name": "Invoice bot", "script": "*** Tasks ***"}\n'


def test_a_linked_resource_bound_by_deployment_joins_the_file_declaring_it_by_its_type(tmp_path):
    folder = write(
        tmp_path / 'app',
        {
            'main.bpmn': bpmn_binding('main', links=[('robot', 'invoice-bot', 'RPA'), ('sheet', 'review', 'Form')]),
            'bot.rpa': RPA,
            'review.form': form('review'),
            'notes.txt': 'hello\n',
            'reads.bpmn': bpmn_binding('reads', links=[('notes', 'notes.txt', 'text')]),
            'loose.bpmn': bpmn_binding('loose', links=[('robot', 'invoice-bot', 'RPA')], binding='latest'),
            'expr.bpmn': bpmn_binding('expr', links=[('robot', '=botId', 'RPA')]),
        },
    )
    # A folder yields the known extensions; a generic resource (8.10) is deployed when named.
    units = deployment_units(read_resources([str(folder), str(folder / 'notes.txt')]))
    assert sorted(sorted(r.name for r in unit) for unit in units) == [
        ['bot.rpa', 'main.bpmn', 'review.form'],  # the RPA script by its JSON id, the form by its id
        ['expr.bpmn'],  # an expression is resolved at run time: nothing to link
        ['loose.bpmn'],  # bound by latest
        ['notes.txt', 'reads.bpmn'],  # a generic resource by its file name
    ]


def test_a_linked_resource_in_no_file_fails_naming_the_element_the_link_and_the_id(emulator, tmp_path):
    folder = write(
        tmp_path / 'app',
        {
            # typed RPA, so the form that declares 'review' is not its target; typed form, so the script is not
            'main.bpmn': bpmn_binding('main', links=[('robot', 'review', 'RPA'), ('sheet', 'invoice-bot', 'form')]),
            'bot.rpa': RPA,
            'review.form': form('review'),
        },
    )
    with pytest.raises(ConfigurationError) as raised:
        deploy(emulator, [folder])
    message = raised.value.msg
    assert (
        f"task 'main-robot' (linked resource 'robot') in {folder / 'main.bpmn'} binds resource 'review' by deployment"
        in message
    )
    assert "task 'main-robot' (linked resource 'sheet') in" in message and "binds form 'invoice-bot'" in message
    assert deployments_sent(emulator) == 0


def test_a_changed_rpa_script_sends_the_process_that_links_it(emulator, tmp_path):
    folder = write(
        tmp_path / 'app',
        {
            'main.bpmn': bpmn_binding('main', links=[('robot', 'invoice-bot', 'RPA')]),
            'bot.rpa': RPA,
            'other.bpmn': bpmn('other'),
        },
    )
    deploy(emulator, [folder])
    (folder / 'bot.rpa').write_text(RPA.replace('Invoice bot', 'Invoice bot 2'))
    real, _w = deploy(emulator, [folder])
    assert changed_files(real) == ['bot.rpa', 'main.bpmn']
    assert versions(real) == {'main': 2, 'invoice-bot': 2, 'other': 1}
