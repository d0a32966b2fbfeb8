# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camunda_deployment core against an in-process emulator: check mode predicts the real run, forms, read lag,
Zeebe's own refusals."""

from __future__ import annotations

import pytest

from deployment_runs import deploy
from deployment_files import bpmn, dmn, form, write

from ansible_collections.community.camunda.plugins.module_utils._processes.deployment import created_by
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, ConfigurationError


def changes(result):
    return [(e['name'], e['id'], e['changed']) for e in result['resources']]


BASE = {'order.bpmn': bpmn('order'), 'pair.bpmn': bpmn('left', 'right'), 'rules.dmn': dmn('rules', 'd1', 'd2')}
SCENARIOS = {
    'unchanged': ({}, []),
    'one process changed': ({'order.bpmn': bpmn('order', name='Changed')}, ['order.bpmn']),
    'one process of a pair changed': ({'pair.bpmn': bpmn('left', 'right', name='Changed')}, ['pair.bpmn']),
    'a decision changed': ({'rules.dmn': dmn('rules', 'd1', 'd2').replace('"ok"', '"changed"', 1)}, ['rules.dmn']),
    'a decision added': ({'rules.dmn': dmn('rules', 'd1', 'd2', 'd3')}, ['rules.dmn']),
    'renamed': ({'order.bpmn': None, 'order-renamed.bpmn': bpmn('order')}, ['order-renamed.bpmn']),
    'a new file': ({'extra.bpmn': bpmn('extra')}, ['extra.bpmn']),
    'an older version again': ('older', ['order.bpmn']),
}


@pytest.mark.parametrize('scenario', sorted(SCENARIOS))
def test_check_mode_predicts_the_real_run(emulator, tmp_path, scenario):
    edits, expected_files = SCENARIOS[scenario]
    folder = write(tmp_path / 'app', BASE)
    deploy(emulator, [folder])
    if edits == 'older':  # version 2 deployed, then the content of version 1 comes back
        (folder / 'order.bpmn').write_text(bpmn('order', name='Second'))
        deploy(emulator, [folder])
        edits = {'order.bpmn': BASE['order.bpmn']}
    for name, text in edits.items():
        if text is None:
            (folder / name).unlink()
        else:
            (folder / name).write_text(text)
    before = emulator.admin.state()['requests']
    predicted, _warnings = deploy(emulator, [folder], check=True)
    assert [
        r for r in emulator.admin.state()['requests'] if r['method'] == 'POST' and r['path'] == '/v2/deployments'
    ] == [r for r in before if r['method'] == 'POST' and r['path'] == '/v2/deployments']
    real, _warnings = deploy(emulator, [folder])
    assert changes(predicted) == changes(real)
    assert sorted({name for name, _id, changed in changes(real) if changed}) == expected_files
    assert real['changed'] is predicted['changed'] is bool(expected_files)
    assert (real['deployment_key'] is None) is (not expected_files)
    rerun, _warnings = deploy(emulator, [folder])
    assert rerun['changed'] is False


def test_forms_are_judged_by_zeebe_one_deployment_each(emulator, tmp_path):
    folder = write(tmp_path / 'forms', {'a.form': form('a'), 'b.form': form('b')})
    first, _w = deploy(emulator, [folder])
    assert changes(first) == [('a.form', 'a', True), ('b.form', 'b', True)] and first['deployment_key'] is None
    (folder / 'b.form').write_text(form('b', label='Full name'))
    second, _w = deploy(emulator, [folder])
    assert changes(second) == [('a.form', 'a', False), ('b.form', 'b', True)]
    assert [e['version'] for e in second['resources']] == [1, 2]
    predicted, warnings = deploy(emulator, [folder], check=True)
    assert (
        predicted['changed'] is False
        and 'check mode cannot tell whether these files' in warnings[0]
        and 'a.form' in warnings[0]
    )
    assert f"a.form ({folder / 'a.form'}) sent in a deployment of its own" in predicted['diff']['prepared']


def test_read_lag_makes_a_resend_that_changes_nothing(emulator, tmp_path):
    emulator.admin.set_faults(read_lag_ms=60000)
    folder = write(tmp_path / 'app', {'order.bpmn': bpmn('order')})
    first, _w = deploy(emulator, [folder])
    again, _w = deploy(emulator, [folder])  # the search does not show version 1 yet: sent again, a duplicate
    assert first['changed'] is True and again['changed'] is False
    assert again['deployment_key'] is not None and again['resources'][0]['version'] == 1


def test_zeebes_rejection_names_the_file(emulator, tmp_path):
    folder = write(
        tmp_path / 'app',
        {'good.bpmn': bpmn('good'), 'bad.bpmn': bpmn('bad').replace('<bpmn:startEvent id="bad-start"/>', '')},
    )
    with pytest.raises(ApiError) as failure:
        deploy(emulator, [folder])
    assert failure.value.msg.startswith(f"Camunda rejected the deployment of bad.bpmn ({folder / 'bad.bpmn'}): ")
    assert 'Must have at least one start event' in failure.value.msg and failure.value.status == 400
    assert emulator.app.deployments.all() == []  # atomic: the good file was not deployed either


def test_engine_refusal_without_a_count(emulator, tmp_path):
    folder = write(tmp_path / 'app', {'order.bpmn': bpmn('order')})
    deploy(emulator, [folder])
    # Instances the search does not see (yet): the engine refuses, the module says it could not count them.
    emulator.app.deployments.count_active_instances = lambda key: 1
    with pytest.raises(ApiError) as failure:
        deploy(emulator, [folder], state='absent')
    assert "Zeebe refused to delete process 'order' version 1" in failure.value.msg
    assert 'running instances (the API did not give their count)' in failure.value.msg and failure.value.status == 409


def test_size_limit_and_bad_options(emulator, tmp_path):
    folder = write(tmp_path / 'app', {'order.bpmn': bpmn('order')})
    size = len((folder / 'order.bpmn').read_bytes())
    with pytest.raises(ConfigurationError) as failure:
        deploy(emulator, [folder], max_deployment_size=size)  # the multipart framing needs more than the file
    assert f'order.bpmn ({size} bytes)' in failure.value.msg
    with pytest.raises(ConfigurationError):
        deploy(emulator, [folder], max_deployment_size=0)
    assert deploy(emulator, [folder], max_deployment_size=size + 400)[0]['changed'] is True


def test_created_by():
    assert created_by('11', '10') is True and created_by('9', '10') is False and created_by(None, '10') is False
