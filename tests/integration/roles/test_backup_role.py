# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup role and camunda_backup through ansible-playbook against the emulator's management, Optimize and
snapshot listeners: a full backup with retention and protected endpoints, ids always increasing, check mode, a
failure at each step with exporting resumed and proven, a partial pause undone, the restore preflight, and 8.10's /v2."""

from __future__ import annotations

from pathlib import Path

from playbook import REPO_ROOT

BACKUP = REPO_ROOT / 'playbooks' / 'backup.yml'
FAULTS = Path(__file__).parent / 'playbooks' / 'backup_faults.yml'
RUN = 'community.camunda.backup : Run the backup sequence'
JUDGE = 'community.camunda.backup : Judge the run'
SHOW = 'community.camunda.backup : Show the backup'
FAIL = 'community.camunda.backup : Fail with every problem'
PREFLIGHT_FAIL = 'community.camunda.backup : Refuse the restore with every reason'
MANAGEMENT_PASSWORD = 'mgmt-pa55-7d1e0c'
ELASTIC_PASSWORD = 'elastic-pa55-93ab2f'
ALL_EXPORTING = {'1': 'EXPORTING', '2': 'EXPORTING', '3': 'EXPORTING'}


def role_vars(emulator, **extra):
    return (
        dict(
            camunda_url=emulator.url,
            backup_management_url=emulator.management_url,
            backup_optimize_url=emulator.optimize_url,
            backup_snapshot_url=emulator.snapshot_url,
            backup_wait_interval=0,
        )
        | extra
    )


def writes(emulator):
    """Every request other than a read that reached the management, Optimize or snapshot listeners."""
    return [entry for entry in emulator.backup_admin.state()['requests'] if entry[1] != 'GET']


def test_full_backup_with_retention_increasing_ids_check_mode_and_no_secrets(emulator, playbook, tmp_path):
    admin = emulator.backup_admin
    for backup_id in (100, 101, 102):
        for component in ('runtime', 'history', 'optimize', 'snapshot'):
            admin.add_backup(component, backup_id, 'SUCCESS' if component == 'snapshot' else 'COMPLETED')
    admin.add_backup('runtime', 103, 'IN_PROGRESS')  # still running: retention must leave it alone
    admin.add_backup('runtime', 99, 'FAILED')
    admin.set_auth(management=['backup-operator', MANAGEMENT_PASSWORD], snapshot=['elastic', ELASTIC_PASSWORD])
    admin.set_faults(reads_to_complete=2)  # every part answers IN_PROGRESS twice before it completes
    report = tmp_path / 'report.md'
    variables = role_vars(
        emulator,
        backup_keep=2,
        backup_report_path=str(report),
        backup_management_username='backup-operator',
        backup_management_password=MANAGEMENT_PASSWORD,
        backup_snapshot_username='elastic',
        backup_snapshot_password=ELASTIC_PASSWORD,
    )

    run = playbook(BACKUP, extra_vars=variables, verbosity=4).assert_ok()
    result = run.task(JUDGE)['ansible_facts']['backup_result']
    new_id = result['backup_id']
    assert new_id > 103
    assert [step['step'] for step in result['steps']] == [
        'pause',
        'history',
        'optimize',
        'snapshot',
        'runtime',
        'resume',
    ]
    assert result['parts'] == {
        'history': 'COMPLETED',
        'optimize': 'COMPLETED',
        'snapshot': 'SUCCESS',
        'runtime': 'COMPLETED',
    }
    assert result['exporting_resumed'] is True and result['exporting_partitions'] == ALL_EXPORTING
    assert result['retention'] == {
        'delete': [101, 100],
        'kept': [new_id, 102],
        'left_alone': [103, 99],
        'incomplete': [
            {'id': 103, 'state': 'IN_PROGRESS', 'missing': ['runtime', 'history', 'snapshot', 'optimize']},
            {'id': 99, 'state': 'FAILED', 'missing': ['runtime', 'history', 'snapshot', 'optimize']},
        ],
    }
    assert result['deleted'] == [101, 100] and result['problems'] == []
    state = admin.state()
    assert sorted(state['backups']['runtime']) == sorted(['99', '102', '103', str(new_id)])
    assert sorted(state['backups']['history']) == ['102', str(new_id)]
    # every part of a deleted backup goes, its records snapshot too
    assert state['snapshots'] == {
        'camunda/camunda_zeebe_records_backup_102': 'SUCCESS',
        f'camunda/camunda_zeebe_records_backup_{new_id}': 'SUCCESS',
    }
    assert sorted(state['backups']['optimize']) == ['102', str(new_id)]
    assert state['phases'] == ALL_EXPORTING
    # Camunda's order, request by request: soft pause, web apps, Optimize, records snapshot, brokers, resume.
    order = [(kind, path) for kind, method, path in writes(emulator) if method in ('POST', 'PUT')]
    assert order == [
        ('management', '/actuator/exporting/pause'),
        ('management', '/actuator/backupHistory'),
        ('optimize', '/actuator/backups'),
        ('snapshot', f'/_snapshot/camunda/camunda_zeebe_records_backup_{new_id}'),
        ('management', '/actuator/backupRuntime'),
        ('management', '/actuator/exporting/resume'),
    ]
    text = report.read_text()
    assert f'# Camunda backup {new_id}' in text and '**COMPLETED**' in text and '| 3 | EXPORTING |' in text
    assert '- deleted: 101, 100' in text and '- left alone (not completed): 103, 99' in text
    for secret in (MANAGEMENT_PASSWORD, ELASTIC_PASSWORD):
        assert secret not in run.output and secret not in text

    # ids always increase: a given id not above the newest is refused before anything is sent
    before = len(writes(emulator))
    refused = playbook(BACKUP, extra_vars=variables | {'backup_id': 102})
    assert refused.rc != 0
    message = refused.task(JUDGE)['ansible_facts']['backup_result']['problems'][0]
    assert f'id 102 is not above the latest existing backup id {new_id}' in message
    assert 'leave id unset for a timestamp-based one' in message
    assert len(writes(emulator)) == before

    # check mode reads, says what it would do, and writes nothing
    checked = playbook(BACKUP, extra_vars=variables | {'backup_id': new_id + 10}, check=True).assert_ok()
    assert checked.task(RUN)['msg'] == (
        f'would take backup {new_id + 10}: pause, history, optimize, snapshot, runtime, resume'
    )
    predicted = checked.task(JUDGE)['ansible_facts']['backup_result']
    assert predicted['exporting_resumed'] is True and predicted['check_mode'] is True
    # retention predicts the real run: the new backup counts, so 102 would go (and is still there)
    assert predicted['retention']['delete'] == [102] and predicted['deleted'] == [102]
    assert len(writes(emulator)) == before and '102' in admin.state()['backups']['runtime']


def test_failure_at_each_step_resumes_exporting_and_a_partial_pause_is_undone(emulator, playbook):
    emulator.admin.set_cluster(version='8.9.0')  # 8.9: the exporting endpoints answer 200 with the outcome in the body
    cases = [
        {'name': 'pause', 'faults': {'pause_fails': [2]}},
        {'name': 'pause unreachable', 'faults': {'pause_unreachable': True}},
        {'name': 'history', 'faults': {'outcome': {'history': 'FAILED'}}},
        {'name': 'optimize', 'faults': {'outcome': {'optimize': 'INCOMPLETE'}}},
        {'name': 'snapshot', 'faults': {'outcome': {'snapshot': 'FAILED'}}},
        {'name': 'runtime', 'faults': {'outcome': {'runtime': 'FAILED'}}},
        {'name': 'runtime refused', 'faults': {'take_status': {'runtime': 500}}},
        {'name': 'resume fails', 'faults': {'resume_fails': [3]}},
        {
            'name': 'partial pause alone',
            'faults': {'pause_fails': [1]},
            'args': {'component': 'exporting', 'exporting': 'pause'},
        },
    ]
    emulator.backup_admin.set_faults(script=[case['faults'] for case in cases])
    connection = dict(
        url=emulator.url,
        management_url=emulator.management_url,
        optimize_url=emulator.optimize_url,
        snapshot_url=emulator.snapshot_url,
        wait_interval=0,
    )
    run = playbook(FAULTS, extra_vars=dict(connection=connection, cases=cases)).assert_ok()
    recorded = {item['case']['name']: item for item in run.task('Run each case')['results']}
    assert list(recorded) == [case['name'] for case in cases]
    failing_step = {
        'pause': 'pause',
        'pause unreachable': 'pause',
        'history': 'history',
        'optimize': 'optimize',
        'snapshot': 'snapshot',
        'runtime': 'runtime',
        'runtime refused': 'runtime',
    }
    for name, step in failing_step.items():
        result = recorded[name]
        assert result['failed'] is True, name
        assert f'step {step} failed' in result['msg'], (name, result['msg'])
        assert 'exporting was resumed and proven resumed on every partition' in result['msg'], name
        assert result['exporting'] == {'resumed': True, 'partitions': ALL_EXPORTING, 'problems': []}, name
        assert result['steps'][-1]['step'] == 'resume' and result['steps'][-1]['state'] == 'ok', name
    assert 'answered HTTP 200 but status 500 in the body' in recorded['pause']['msg']
    assert 'partition 2' in recorded['pause']['msg']
    assert 'not every broker could be reached' in recorded['pause unreachable']['msg']
    # each step once in the list, even the pause that failed (issue 29 item 13)
    assert [step['step'] for step in recorded['pause']['steps']] == ['pause', 'resume']
    assert all(recorded[name]['changed'] is True for name in failing_step)
    assert 'the history backup' in recorded['history']['msg'] and 'ended FAILED' in recorded['history']['msg']
    assert 'ended INCOMPLETE' in recorded['optimize']['msg'] and 'snapshot' in recorded['snapshot']['msg']
    assert 'HTTP 500' in recorded['runtime refused']['msg']
    # a resume that fails for partition 3 is reported loudly, with the partition left paused
    resume = recorded['resume fails']
    assert resume['failed'] is True and 'EXPORTING IS NOT RESUMED' in resume['msg']
    assert resume['exporting']['resumed'] is False and resume['exporting']['partitions']['3'] == 'SOFT_PAUSED'
    assert 'partition 3: exporter phase SOFT_PAUSED' in resume['exporting']['problems']
    # a partial pause on its own (partition 1 refuses; 2 and 3 paused) is detected and undone
    partial = recorded['partial pause alone']
    assert partial['failed'] is True and 'the partial pause was undone' in partial['msg']
    assert partial['exporting']['partitions'] == ALL_EXPORTING
    # what the emulator holds at the end: every partition exports, the script is used up
    state = emulator.backup_admin.state()
    assert state['phases'] == ALL_EXPORTING and state['faults']['script'] == []


def test_role_failure_is_reported_with_exporting_resumed(emulator, playbook, tmp_path):
    emulator.backup_admin.set_faults(outcome={'runtime': 'FAILED'})
    report = tmp_path / 'report.md'
    run = playbook(BACKUP, extra_vars=role_vars(emulator, backup_keep=1, backup_report_path=str(report)))
    assert run.rc != 0
    result = run.task(JUDGE)['ansible_facts']['backup_result']
    assert result['exporting_resumed'] is True and result['exporting_partitions'] == ALL_EXPORTING
    assert len(result['problems']) == 1 and 'step runtime failed' in result['problems'][0]
    assert result['retention'] == {}  # no retention after a failed backup
    assert run.task(FAIL)['msg'].startswith(f'Backup {result["backup_id"]} failed: ')
    assert '**FAILED**' in report.read_text()
    assert emulator.backup_admin.state()['phases'] == ALL_EXPORTING


def test_restore_preflight_refuses_a_version_mismatch(emulator, playbook):
    admin = emulator.backup_admin
    for component in ('runtime', 'history', 'optimize'):
        admin.add_backup(component, 200, version='8.8.2')
    admin.add_backup('snapshot', 200, 'SUCCESS')
    admin.add_backup('runtime', 201, 'FAILED', version='8.9.0')
    emulator.admin.set_cluster(version='8.9.0')
    refused = playbook(BACKUP, extra_vars=role_vars(emulator, backup_restore_preflight=True))
    assert refused.rc != 0
    message = refused.task(PREFLIGHT_FAIL)['msg']
    assert message.startswith('Restore preflight refused: ')
    assert 'backup 200 was taken with Camunda 8.8.2; this cluster runs 8.9.0' in message
    assert writes(emulator) == []

    failed = playbook(BACKUP, extra_vars=role_vars(emulator, backup_restore_preflight=True, backup_restore_id=201))
    assert 'backup 201 is FAILED: only a completed backup can be restored' in failed.task(PREFLIGHT_FAIL)['msg']
    assert 'backup 201 has no history part' in failed.task(PREFLIGHT_FAIL)['msg']

    emulator.admin.set_cluster(version='8.8.2')
    passed = playbook(BACKUP, extra_vars=role_vars(emulator, backup_restore_preflight=True)).assert_ok()
    result = passed.task('community.camunda.backup : Record the preflight')['ansible_facts']['backup_restore_result']
    assert result == {'backup_id': 200, 'backup_version': '8.8.2', 'cluster_version': '8.8.2', 'problems': []}


def test_camunda_810_uses_v2_backups_and_exporting(emulator, playbook):
    emulator.admin.set_cluster(version='8.10.0', api_version='8.10')
    run = playbook(BACKUP, extra_vars=role_vars(emulator, backup_optimize_url='', backup_snapshot_url='')).assert_ok()
    result = run.task(JUDGE)['ansible_facts']['backup_result']
    assert result['api'] == 'v2' and result['exporting_resumed'] is True
    assert result['parts'] == {'history': 'COMPLETED', 'runtime': 'COMPLETED'}
    for path in ('/v2/exporting/pause', '/v2/backups/history', '/v2/backups/runtime', '/v2/exporting/resume'):
        assert emulator.admin.request_count(path, 'POST') == 1, path
    # the management port is only read (the exporter phase of each partition), never written
    assert writes(emulator) == []


def test_a_backup_whose_records_snapshot_failed_is_incomplete_and_retention_keeps_the_older_complete_ones(
    emulator, playbook
):
    """Issue 27 item 7: history and Optimize taken, the records snapshot failed (no snapshot, no runtime part)."""
    admin = emulator.backup_admin
    for backup_id in (100, 101):
        for component in ('runtime', 'history', 'optimize', 'snapshot'):
            admin.add_backup(component, backup_id, 'SUCCESS' if component == 'snapshot' else 'COMPLETED')
    # the snapshot request is refused: no snapshot exists, and the sequence stops before the runtime backup
    admin.set_faults(script=[{'take_status': {'snapshot': 500}}, {}])
    broken = playbook(BACKUP, extra_vars=role_vars(emulator, backup_keep=2))
    assert broken.rc != 0
    broken_id = broken.task(JUDGE)['ansible_facts']['backup_result']['backup_id']
    assert 'step snapshot failed' in broken.task(JUDGE)['ansible_facts']['backup_result']['problems'][0]

    listed = {
        b['id']: b
        for b in playbook(
            BACKUP, extra_vars=role_vars(emulator, backup_restore_preflight=True, backup_restore_id=broken_id)
        ).task('community.camunda.backup : Judge the backup against this cluster')['backups']
    }
    # every part it has is complete, yet it is not: two required parts are missing
    assert listed[broken_id]['parts'] == {'history': 'COMPLETED', 'optimize': 'COMPLETED'}
    assert listed[broken_id]['state'] == 'INCOMPLETE' and listed[broken_id]['missing'] == ['runtime', 'snapshot']

    run = playbook(BACKUP, extra_vars=role_vars(emulator, backup_keep=2)).assert_ok()
    result = run.task(JUDGE)['ansible_facts']['backup_result']
    new_id = result['backup_id']
    assert result['retention']['kept'] == [new_id, 101] and result['deleted'] == [100]
    assert result['retention']['incomplete'] == [
        {'id': broken_id, 'state': 'INCOMPLETE', 'missing': ['runtime', 'snapshot']}
    ]
    assert f'incomplete {broken_id} INCOMPLETE, missing runtime, snapshot' in run.output
    state = admin.state()
    assert '101' in state['backups']['runtime'] and str(broken_id) in state['backups']['history']  # left alone

    # the preflight without an id judges the newest complete backup, never the broken one
    preflight = playbook(BACKUP, extra_vars=role_vars(emulator, backup_restore_preflight=True)).assert_ok()
    assert (
        preflight.task('community.camunda.backup : Record the preflight')['ansible_facts']['backup_restore_result'][
            'backup_id'
        ]
        == new_id
    )

    # asked to, retention removes the incomplete one too
    cleaned = playbook(BACKUP, extra_vars=role_vars(emulator, backup_keep=2, backup_delete_incomplete=True)).assert_ok()
    assert broken_id in cleaned.task(JUDGE)['ansible_facts']['backup_result']['deleted']
    assert str(broken_id) not in admin.state()['backups']['history']


def test_c8run_89_with_h2_backs_up_the_runtime_with_a_generated_id_with_retention_and_preflight(emulator, playbook):
    """Issue 27 item 1: relational secondary storage (H2, C8 Run 8.9's default): no history, no snapshot, no id sent."""
    emulator.admin.set_cluster(version='8.9.0', secondary_storage='rdbms')
    admin = emulator.backup_admin
    # scheduled (continuous) backups made earlier: millisecond-timestamp ids
    for backup_id in (1764633600000, 1764637200000):
        admin.add_backup('runtime', backup_id)
    variables = dict(
        camunda_url=emulator.url,
        backup_management_url=emulator.management_url,
        backup_wait_interval=0,
        backup_secondary_storage='rdbms',
        backup_keep=2,
    )
    run = playbook(BACKUP, extra_vars=variables).assert_ok()
    result = run.task(JUDGE)['ansible_facts']['backup_result']
    new_id = result['backup_id']
    assert new_id > 1764637200000  # the cluster's id, comparable with the scheduler's
    assert [step['step'] for step in result['steps']] == ['pause', 'runtime', 'resume']
    assert result['parts'] == {'runtime': 'COMPLETED'} and result['problems'] == []
    assert result['retention']['kept'] == [new_id, 1764637200000] and result['deleted'] == [1764633600000]
    order = [(kind, path) for kind, method, path in writes(emulator) if method == 'POST']
    assert order == [
        ('management', '/actuator/exporting/pause'),
        ('management', '/actuator/backupRuntime'),
        ('management', '/actuator/exporting/resume'),
    ]
    assert admin.state()['snapshots'] == {} and admin.state()['backups']['history'] == {}

    preflight = playbook(BACKUP, extra_vars=variables | {'backup_restore_preflight': True}).assert_ok()
    checked = preflight.task('community.camunda.backup : Record the preflight')['ansible_facts'][
        'backup_restore_result'
    ]
    assert checked == {'backup_id': new_id, 'backup_version': '8.9.0', 'cluster_version': '8.9.0', 'problems': []}

    # an id given by hand is refused before anything is sent: the cluster makes them
    before = len(writes(emulator))
    refused = playbook(BACKUP, extra_vars=variables | {'backup_id': new_id + 1})
    assert refused.rc != 0 and len(writes(emulator)) == before
    assert 'this cluster generates backup ids' in refused.task(JUDGE)['ansible_facts']['backup_result']['problems'][0]


def test_camunda_810_on_rdbms_never_asks_for_history_and_says_why_when_not_told(emulator, playbook):
    emulator.admin.set_cluster(version='8.10.0', api_version='8.10', secondary_storage='rdbms')
    variables = dict(camunda_url=emulator.url, backup_wait_interval=0, backup_secondary_storage='rdbms')
    result = playbook(BACKUP, extra_vars=variables).assert_ok().task(JUDGE)['ansible_facts']['backup_result']
    assert result['api'] == 'v2' and result['parts'] == {'runtime': 'COMPLETED'}
    assert emulator.admin.request_count('/v2/backups/history', 'POST') == 0
    # without secondary_storage: 8.10 answers 403 on history, and the message says what to set
    told = playbook(BACKUP, extra_vars=variables | {'backup_secondary_storage': 'elasticsearch'})
    assert told.rc != 0
    assert 'set secondary_storage: rdbms' in told.task(JUDGE)['ansible_facts']['backup_result']['problems'][0]


def test_exporting_resumes_through_the_management_port_alone_when_the_rest_api_is_down(emulator, playbook):
    """Issue 29 item 10: after an interrupted backup, with the REST API unreachable and no credentials at hand."""
    emulator.backup_admin.set_phases({1: 'SOFT_PAUSED', 2: 'SOFT_PAUSED', 3: 'EXPORTING'})
    # port 9 (discard) on loopback: nothing listens there, the connection is refused
    connection = dict(url='http://127.0.0.1:9', retries=0, management_url=emulator.management_url)
    cases = [{'name': 'resume', 'args': {'component': 'exporting', 'exporting': 'resume'}}]
    run = playbook(FAULTS, extra_vars=dict(connection=connection, cases=cases)).assert_ok()
    result = run.task('Run each case')['results'][0]
    assert result.get('failed') is not True, result.get('msg')
    assert result['changed'] is True and result['exporting']['problems'] == []
    assert result['api'] == 'actuator' and emulator.backup_admin.state()['phases'] == ALL_EXPORTING
    assert 'REST API cannot be reached' in run.output


def test_camunda_810_with_several_physical_tenants_says_which_one_is_backed_up(emulator, playbook):
    """Issue 27 item 5: /actuator/partitions keyed by physical tenant; /v2 acts on the default one."""
    emulator.admin.set_cluster(version='8.10.0', api_version='8.10')
    emulator.backup_admin.set_physical_tenants(['default', 'blue'])
    run = playbook(BACKUP, extra_vars=role_vars(emulator, backup_optimize_url='', backup_snapshot_url='')).assert_ok()
    result = run.task(JUDGE)['ansible_facts']['backup_result']
    assert result['exporting_resumed'] is True
    assert result['exporting_partitions'] == {
        f'{tenant}/{p}': 'EXPORTING' for tenant in ('blue', 'default') for p in (1, 2, 3)
    }
    assert run.task(RUN)['physical_tenants'] == ['blue', 'default']
    assert 'the backup covers the default physical tenant only' in run.output
