# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_deployment and camunda_definition_info through ansible-playbook against the emulator."""

from __future__ import annotations

from pathlib import Path

import requests

from deployment_files import bpmn, bpmn_binding, dmn, form, write

PLAYBOOKS = Path(__file__).parent / 'playbooks'


def app_files():
    return {
        'processes/order.bpmn': bpmn('order-process', name='Order'),
        'processes/invoice.bpmn': bpmn('invoice-process', 'invoice-reminder', name='Invoice'),
        'decisions/pricing.dmn': dmn('pricing', 'discount', 'surcharge'),
        'forms/address.form': form('address-form'),
    }


def by_id(result):
    return {entry['id']: entry for entry in result['resources']}


def not_forms(result):
    """The entries check mode predicts exactly (forms cannot be read back)."""
    return [entry for entry in result['resources'] if entry['kind'] != 'form']


def versions(emulator, definition_id, tenant='<default>', kind='process'):
    return [d.version for d in emulator.app.deployments.versions(kind, definition_id, tenant)]


def test_present_check_mode_tenants_and_bad_input(connections, emulator, playbook, tmp_path):
    app = write(tmp_path / 'app', app_files())
    bad = tmp_path / 'bad'
    write(
        bad,
        {
            'xml/broken.bpmn': bpmn('broken').replace('</bpmn:process>', '', 1),
            'not-executable/draft.bpmn': bpmn('draft', executable=False),
            'extension/notes.txt': 'not a process\n',
            'same-id/a.bpmn': bpmn('twice'),
            'same-id/b.bpmn': bpmn('twice'),
            'rejected/no-start.bpmn': bpmn('no-start').replace('<bpmn:startEvent id="no-start-start"/>', ''),
        },
    )
    run = playbook(
        PLAYBOOKS / 'deployment.yml',
        extra_vars=connections.none()
        | {
            'app': str(app),
            'changed_order': bpmn('order-process', name='Order, reviewed'),
            'bad_xml': str(bad / 'xml'),
            'bad_not_executable': str(bad / 'not-executable'),
            'bad_extension': str(bad / 'extension/notes.txt'),
            'bad_same_id': str(bad / 'same-id'),
            'bad_rejected': str(bad / 'rejected'),
        },
    ).assert_ok()

    # First run: everything is new; check mode predicted exactly that and wrote nothing before it.
    predicted, first = run.task('Predict the first deployment'), run.task('First deployment')
    ids = ['order-process', 'invoice-process', 'invoice-reminder', 'pricing', 'discount', 'surcharge', 'address-form']
    assert sorted(by_id(first)) == sorted(ids)
    assert first['changed'] is True and all(e['changed'] and e['version'] == 1 for e in first['resources'])
    assert [(e['id'], e['changed']) for e in predicted['resources'] if e['kind'] != 'form'] == [
        (e['id'], e['changed']) for e in first['resources'] if e['kind'] != 'form'
    ]
    assert 'is not deployed' in predicted['diff']['prepared']
    assert by_id(first)['discount']['kind'] == 'decision' and by_id(first)['pricing']['kind'] == 'decision_requirements'
    assert by_id(first)['invoice-reminder']['name'] == 'invoice.bpmn'
    assert any('address.form' in warning for warning in predicted.get('warnings', []))

    # Re-run: nothing new, no deployment of BPMN/DMN sent; only the form is sent alone and Zeebe keeps it.
    again = run.task('Re-run')
    assert again['changed'] is False and again['deployment_key'] is None
    assert {e['id']: (e['key'], e['version']) for e in again['resources']} == {
        e['id']: (e['key'], e['version']) for e in first['resources']
    }
    predicted_again = run.task('Predict a re-run')
    assert predicted_again['changed'] is False and not_forms(predicted_again) == not_forms(again)
    assert 'invocation' in predicted_again  # it ran as a module

    # One changed file: exactly one new version, of its process only; the diff shows the changed line.
    check, changed = run.task('Predict the changed file'), run.task('Deploy the changed file')
    assert [e['id'] for e in changed['resources'] if e['changed']] == ['order-process']
    assert [e['id'] for e in check['resources'] if e['changed']] == ['order-process']
    assert by_id(changed)['order-process']['version'] == 2 and by_id(changed)['invoice-process']['version'] == 1
    assert '-  <bpmn:process id="order-process" name="Order"' in check['diff']['prepared']
    assert '+  <bpmn:process id="order-process" name="Order, reviewed"' in check['diff']['prepared']
    assert len(check['diff']['prepared'].splitlines()) < 20

    # A renamed file is a new resource name for Zeebe: both of its processes get a new version.
    renamed, predicted_rename = run.task('Deploy the renamed file'), run.task('Predict the renamed file')
    assert sorted(e['id'] for e in renamed['resources'] if e['changed']) == ['invoice-process', 'invoice-reminder']
    assert [e['changed'] for e in predicted_rename['resources']] == [e['changed'] for e in renamed['resources']]
    assert by_id(renamed)['invoice-process']['name'] == 'invoice-v2.bpmn'
    assert by_id(renamed)['invoice-process']['version'] == 2

    # Tenants are kept apart: the other tenant starts at version 1, the default tenant is unchanged.
    tenant_b = run.task('Deploy to another tenant')
    assert tenant_b['tenant_id'] == 'tenant-b' and all(
        e['changed'] and e['version'] == 1 for e in tenant_b['resources']
    )
    assert run.task('The default tenant is unchanged by the other tenant')['changed'] is False
    # At the end of the run: the change and the rename made exactly one new version each, the tenants kept apart.
    assert versions(emulator, 'order-process') == [1, 2] and versions(emulator, 'invoice-process') == [1, 2]
    assert versions(emulator, 'discount', kind='decision') == [1] and versions(
        emulator, 'address-form', kind='form'
    ) == [1]
    assert versions(emulator, 'order-process', 'tenant-b') == [1]

    # camunda_definition_info reads it back, read-only.
    latest = run.task('Latest processes of the default tenant')
    assert latest['changed'] is False
    assert latest['query_result'] == [['invoice-process', 2], ['invoice-reminder', 2], ['order-process', 2]]
    every = run.task('Every version of two ids in every tenant')
    assert [(p['tenantId'], p['version']) for p in every['processes']] == [
        ('<default>', 1),
        ('<default>', 2),
        ('tenant-b', 1),
    ]
    assert [d['tenantId'] for d in every['decision_requirements']] == ['<default>', 'tenant-b']

    # Bad input: each fails with the file and the fix, before anything is sent.
    messages = {
        name: run.task(name)
        for name in (
            'Malformed XML',
            'No executable process',
            'A file 8.8 does not deploy',
            'One id in two files',
            'Larger than the gateway takes',
            'Rejected by Zeebe',
            'Missing source',
        )
    }
    assert all(result['_status'] == 'failed' for result in messages.values())
    assert (
        'broken.bpmn line 8, column 3' in messages['Malformed XML']['msg']
        and 'malformed XML' in messages['Malformed XML']['msg']
    )
    assert "no executable process (processes found: 'draft')" in messages['No executable process']['msg']
    assert (
        'generic resources): notes.txt needs Camunda 8.10 or later; this cluster runs 8.8.0'
        in messages['A file 8.8 does not deploy']['msg']
    )
    assert "process id 'twice' is declared in both" in messages['One id in two files']['msg']
    assert 'more than max_deployment_size 600' in messages['Larger than the gateway takes']['msg']
    assert 'order.bpmn' in messages['Larger than the gateway takes']['msg']
    rejected = messages['Rejected by Zeebe']
    assert rejected['msg'].startswith('Camunda rejected the deployment of no-start.bpmn (')
    assert 'Must have at least one start event' in rejected['msg'] and rejected['status'] == 400
    assert 'does not exist' in messages['Missing source']['msg']
    assert 'Traceback' not in run.output
    assert versions(emulator, 'order-process', 'tenant-c') == [] and versions(emulator, 'twice') == []


SECRET = 'Deployer-S3cret-pw'


def test_absent_refused_while_instances_run(connections, emulator, playbook, tmp_path):
    emulator.admin.set_auth('basic')
    created = requests.post(
        f'{emulator.url}/v2/users',
        auth=('demo', 'demo'),
        timeout=10,
        verify=False,
        json={'username': 'deployer', 'password': SECRET, 'name': 'Deployer', 'email': 'd@x.io'},
    )
    assert created.status_code == 201
    app = write(
        tmp_path / 'app',
        {
            'shipping.bpmn': bpmn('shipping-process', service_task='ship'),
            'pricing.dmn': dmn('pricing', 'discount'),
            'address.form': form('address-form'),
        },
    )
    # Two versions of the shipping process, so that removal deletes each.
    write(tmp_path / 'old', {'shipping.bpmn': bpmn('shipping-process', name='Old', service_task='ship')})
    run = playbook(
        PLAYBOOKS / 'deployment_absent.yml',
        verbosity=4,
        extra_vars=connections.basic(username='deployer', password=SECRET)
        | {'app': str(app), 'old': str(tmp_path / 'old')},
    ).assert_ok()
    assert SECRET not in run.output  # not at -vvvv either, failed tasks included

    for name in ('Predict removal while it runs', 'Remove while it runs'):
        refused = run.task(name)
        assert refused['_status'] == 'failed'
        assert "process 'shipping-process' version 2" in refused['msg'] and 'has 1 running instance.' in refused['msg']
        assert 'version 1' not in refused['msg']  # the older version has no instance
        assert 'Nothing was deleted' in refused['msg']

    predicted, removed, again = run.task('Predict removal'), run.task('Remove'), run.task('Remove again')
    assert predicted['changed'] is True and predicted['removed'] == removed['removed']
    assert [(r['kind'], r['id'], r['version']) for r in removed['removed']] == [
        ('decision_requirements', 'pricing', 1),
        ('process', 'shipping-process', 2),
        ('process', 'shipping-process', 1),
    ]
    assert {e['id']: e['changed'] for e in removed['resources']} == {
        'shipping-process': True,
        'pricing': True,
        'discount': True,
        'address-form': False,
    }
    assert 'process shipping-process version 2' in predicted['diff']['before']
    assert any('cannot be found by id' in warning and 'address.form' in warning for warning in removed['warnings'])
    assert again['changed'] is False and again['removed'] == []
    store = emulator.app.deployments
    assert store.versions('process', 'shipping-process') == [] and store.all('decision') == []
    assert [d.definition_id for d in store.all()] == ['address-form']


def test_units_deploy_a_caller_with_its_callee_and_a_failed_removal_reports_what_it_did(
    connections, emulator, playbook, tmp_path
):
    app = write(
        tmp_path / 'app',
        {'main.bpmn': bpmn_binding('main', calls='sub'), 'sub.bpmn': bpmn('sub'), 'other.bpmn': bpmn('other')},
    )
    emulator.admin.set_auth('none')
    run = playbook(
        PLAYBOOKS / 'deployment_units.yml',
        extra_vars=connections.none() | {'app': str(app), 'changed_callee': bpmn('sub', name='Changed')},
    ).assert_ok()
    changed = {
        task: sorted(e['id'] for e in run.task(task)['resources'] if e['changed'])
        for task in ('Deploy', 'Predict the unit', 'Deploy the unit')
    }
    assert changed == {
        'Deploy': ['main', 'other', 'sub'],
        'Predict the unit': ['main', 'sub'],
        'Deploy the unit': ['main', 'sub'],
    }
    assert 'main.bpmn' in run.task('Predict the unit')['diff']['prepared']
    assert {e['id']: e['version'] for e in run.task('Deploy the unit')['resources']} == {
        'main': 2,
        'sub': 2,
        'other': 1,
    }

    failed = run.task('Remove with a deletion failing')
    assert failed['_status'] == 'failed' and failed['changed'] is True, failed
    key = {entry['id']: entry['key'] for entry in run.task('Deploy')['resources']}
    assert [line.split(' (key')[0] for line in failed['applied']] == [
        "delete process 'main' version 2",
        "delete process 'main' version 1",
    ]
    assert failed['failed_step'] == f"delete process 'other' version 1 (key {key['other']})"
    assert [line.split(' (key')[0] for line in failed['not_applied']] == [
        "delete process 'sub' version 2",
        "delete process 'sub' version 1",
    ]
    assert 'Applied 2 of 5 planned writes before this one failed' in failed['msg']
    rest = run.task('Remove the rest')
    assert rest['changed'] is True and [(r['id'], r['version']) for r in rest['removed']] == [
        ('other', 1),
        ('sub', 2),
        ('sub', 1),
    ]


def test_a_task_linked_rpa_script_is_deployed_with_its_process_and_a_missing_one_fails_first(
    connections, emulator, playbook, tmp_path
):
    script = '{"id": "invoice-bot", "name": "Invoice bot", "script": "*** Tasks ***"}\n'
    links = [('RPAScript', 'invoice-bot', 'RPA')]
    app = write(
        tmp_path / 'app',
        {'main.bpmn': bpmn_binding('main', links=links), 'bot.rpa': script, 'other.bpmn': bpmn('other')},
    )
    orphan = write(tmp_path / 'orphan', {'orphan.bpmn': bpmn_binding('orphan', links=links)})
    emulator.admin.set_auth('none')
    emulator.admin.set_cluster(version='8.10.0')
    run = playbook(
        PLAYBOOKS / 'deployment_linked_resources.yml',
        extra_vars=connections.none()
        | {'app': str(app), 'orphan': str(orphan), 'changed_script': script.replace('Invoice bot', 'Invoice bot 2')},
    ).assert_ok()
    unit = run.task('Deploy the unit')['resources']
    assert sorted(e['id'] for e in unit if e['changed']) == ['invoice-bot', 'main']
    assert {e['id']: e['version'] for e in unit} == {'main': 2, 'invoice-bot': 2, 'other': 1}
    failed = run.task('Deploy a process whose script is in no file')
    assert failed['_status'] == 'failed' and failed['changed'] is False, failed
    assert (
        f"task 'orphan-robot' (linked resource 'RPAScript') in {orphan / 'orphan.bpmn'} binds resource 'invoice-bot' "
        'by deployment, but no file of this task declares it' in failed['msg']
    )
    assert versions(emulator, 'orphan') == []
