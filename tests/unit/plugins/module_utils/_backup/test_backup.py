# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_backup's judging (pure) and sequencing (with a recording stand-in for the HTTP side)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.community.camunda.plugins.module_utils._backup import backup
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter

WRAPPED_OK = {'body': None, 'status': 204, 'contentType': None}
WRAPPED_FAILED = {'body': {'message': 'Expected 3 members of partition 1 but found 2'}, 'status': 500, 'contentType': None}


@pytest.mark.parametrize('status, body, ok, says', [
    (200, WRAPPED_OK, True, None),
    (200, WRAPPED_FAILED, False, 'answered HTTP 200 but status 500 in the body: Expected 3 members of partition 1'),
    (200, {'body': None, 'status': 503, 'contentType': None}, False, 'status 503 in the body: no message'),
    (204, None, True, None),
    (200, None, True, None),
    (500, {'message': 'partition 2 unavailable'}, False, 'answered HTTP 500: partition 2 unavailable'),
    (500, {'detail': 'problem detail'}, False, 'answered HTTP 500: problem detail'),
    (502, None, False, 'answered HTTP 502: no message'),
])
def test_exporting_answers_are_judged_by_their_body(status, body, ok, says):
    judged_ok, message = backup.judge_exporting(status, body)
    assert judged_ok is ok
    assert (message is None) if says is None else (says in message)


def test_partitions_export_only_when_every_replica_says_so_and_every_partition_is_seen():
    broker0 = {'1': {'exporterPhase': 'EXPORTING'}, '2': {'exporterPhase': 'EXPORTING'}}
    broker1 = {'2': {'exporterPhase': 'SOFT_PAUSED'}, '3': {'exporterPhase': 'EXPORTING'}}
    assert backup.judge_partitions([broker0, broker1], range(1, 4)) == (
        {1: 'EXPORTING', 2: 'SOFT_PAUSED', 3: 'EXPORTING'}, ['partition 2: exporter phase SOFT_PAUSED'])
    phases, problems = backup.judge_partitions([broker0], range(1, 4))
    assert phases == {1: 'EXPORTING', 2: 'EXPORTING'} and problems == ['partition 3: no broker reported it']
    assert backup.judge_partitions([{'1': {}, 'x': {}}], [1]) == ({1: 'UNKNOWN'}, ['partition 1: exporter phase UNKNOWN'])


@pytest.mark.parametrize('state, outcome', [
    ('COMPLETED', 'ok'), ('SUCCESS', 'ok'), ('FAILED', 'failed'), ('INCOMPLETE', 'failed'), ('PARTIAL', 'failed'),
    ('DOES_NOT_EXIST', 'failed'), ('IN_PROGRESS', 'waiting'), ('UNKNOWN', 'waiting')])
def test_backup_outcome(state, outcome):
    assert backup.backup_outcome(state) == outcome


def test_ids_always_increase():
    assert backup.next_backup_id(None, None, 1764633600.7) == 1764633600
    assert backup.next_backup_id(None, 1764633600, 1764633600.2) == 1764633601  # the clock did not move on
    assert backup.next_backup_id(None, 1900000000, 1764633600) == 1900000001    # a later id exists already
    assert backup.next_backup_id(201, 200, 0) == 201
    for lower in (200, 150):
        with pytest.raises(ConfigurationError, match=f'id {lower} is not above the latest existing backup id 200'):
            backup.next_backup_id(lower, 200, 0)
    with pytest.raises(ConfigurationError, match='not a positive integer'):
        backup.next_backup_id(0, None, 0)


@pytest.mark.parametrize('parts, state', [
    ({'runtime': 'COMPLETED', 'history': 'COMPLETED', 'snapshot': 'SUCCESS'}, 'COMPLETED'),
    ({'runtime': 'IN_PROGRESS', 'history': 'FAILED'}, 'IN_PROGRESS'),
    ({'runtime': 'COMPLETED', 'history': 'FAILED'}, 'FAILED'),
    ({'runtime': 'COMPLETED', 'history': 'INCOMPLETE'}, 'INCOMPLETE'),
    ({}, 'INCOMPLETE'),
])
def test_overall_state(parts, state):
    assert backup.overall_state(parts) == state


def test_retention_keeps_n_completed_never_the_new_one_never_one_in_progress():
    backups = [{'id': i, 'state': 'COMPLETED'} for i in (10, 9, 8, 7)] + [
        {'id': 11, 'state': 'IN_PROGRESS'}, {'id': 6, 'state': 'FAILED'}]
    assert backup.retention(backups, 2, 10) == {'delete': [8, 7], 'kept': [10, 9], 'left_alone': [11, 6]}
    # the one just taken is protected even when newer completed ones exist (an id given by hand)
    assert backup.retention(backups, 1, 8) == {'delete': [9, 7], 'kept': [10, 8], 'left_alone': [11, 6]}
    assert backup.retention(backups, 10, None)['delete'] == []
    # check mode: the backup that would be taken (12) is not there yet, and counts as completed
    assert backup.retention(backups, 2, 12) == {'delete': [9, 8, 7], 'kept': [12, 10], 'left_alone': [11, 6]}
    with pytest.raises(ConfigurationError, match='keep at least 1'):
        backup.retention(backups, 0, 10)


def test_backup_version_and_the_restore_preflight():
    runtime = {'details': [{'partitionId': 1, 'brokerVersion': '8.8.2'}]}
    history = {'details': [{'snapshotName': 'camunda_webapps_5_8.9.1_part_1_of_6'}]}
    assert backup.backup_version(runtime, history) == '8.8.2'
    assert backup.backup_version(None, history) == '8.9.1'
    assert backup.backup_version({'details': []}, {'details': [{'snapshotName': 'other'}]}) is None
    good = {'id': 5, 'state': 'COMPLETED', 'parts': {'runtime': 'COMPLETED', 'history': 'COMPLETED'}, 'version': '8.8.2'}
    assert backup.restore_problems(good, 5, '8.8.2') == []
    assert backup.restore_problems(good, 5, '8.9.0') == [
        'backup 5 was taken with Camunda 8.8.2; this cluster runs 8.9.0: a restore needs the same version '
        '(install 8.8.2 first)']
    assert backup.restore_problems(None, 7, '8.8.2') == ["backup 7 does not exist on this cluster's backup store"]
    broken = dict(good, state='INCOMPLETE', parts={'runtime': 'COMPLETED'}, version=None)
    assert backup.restore_problems(broken, 5, '8.8.2') == [
        'backup 5 is INCOMPLETE: only a completed backup can be restored', 'backup 5 has no history part',
        'the Camunda version of backup 5 cannot be read: a restore needs the same version']
    assert 'cluster version cannot be read' in backup.restore_problems(good, 5, None)[0]


def test_plan_steps():
    assert backup.plan_steps('all', {'optimize': True, 'snapshot': True}) == [
        'pause', 'history', 'optimize', 'snapshot', 'runtime']
    assert backup.plan_steps('all', {}) == ['pause', 'history', 'runtime']
    assert backup.plan_steps('runtime', {}) == ['runtime'] and backup.plan_steps('exporting', {}) == []


class FakeRun(object):
    """The HTTP side of BackupRun, recorded; ``fail_at`` makes one step fail the way the real one does."""

    def __init__(self, fail_at=None, resume_ok=True, phases=None, latest=None, pause_ok=True):
        self.calls = []
        self.fail_at = fail_at
        self.resume_ok = resume_ok
        self.pause_ok = pause_ok
        self.phases = phases or {1: 'EXPORTING', 2: 'EXPORTING'}
        self.latest = latest
        self.optimize = object()
        self.snapshot = object()
        self.use_v2 = False
        self.cluster_version = '8.9.0'

    def list_backups(self, component):
        return [{'backupId': self.latest, 'state': 'COMPLETED'}] if self.latest and component == 'runtime' else []

    def exporting(self, action):
        self.calls.append(action)
        if action == 'pause':
            if not self.pause_ok:
                self.phases = {1: 'SOFT_PAUSED', 2: 'EXPORTING'}
                return False, 'answered HTTP 200 but status 500 in the body: partition 2'
            self.phases = {p: 'SOFT_PAUSED' for p in self.phases}
            return True, None
        if self.resume_ok:
            self.phases = {p: 'EXPORTING' for p in self.phases}
            return True, None
        return False, 'answered HTTP 500: no message'

    def partition_phases(self):
        problems = [f'partition {p}: exporter phase {v}' for p, v in sorted(self.phases.items()) if v != 'EXPORTING']
        return dict(self.phases), problems

    def take(self, component, backup_id):
        self.calls.append(f'take {component}')
        if self.fail_at == f'take {component}':
            raise backup.StepFailed(f'taking the {component} backup {backup_id} failed: HTTP 500')

    def take_snapshot(self, backup_id):
        self.calls.append('take snapshot')

    def backup_state(self, component, backup_id):
        return ('FAILED', 'disk full') if self.fail_at == component else ('COMPLETED', None)

    def snapshot_state(self, backup_id, with_size=False):
        return ('FAILED' if self.fail_at == 'snapshot' else 'SUCCESS'), None, None

    def wait_for(self, what, read):
        return backup.BackupRun.wait_for(self, what, read)

    options = OptionAdapter.from_dict({'wait': True, 'wait_timeout': 10.0, 'wait_interval': 1.0})
    sleep = staticmethod(lambda seconds: None)
    clock = staticmethod(lambda: 0.0)


def present(run, check_mode=False, **options):
    values = {'component': 'all', 'id': None} | options
    warnings = []
    context = RunContext(check_mode=check_mode, warn=warnings.append)
    return backup._present(run, OptionAdapter.from_dict(values), context)  # pylint: disable=protected-access


def test_the_whole_sequence_in_order():
    run = FakeRun(latest=100)
    result = present(run, id=101)
    assert run.calls == ['pause', 'take history', 'take optimize', 'take snapshot', 'take runtime', 'resume']
    assert result['parts'] == {'history': 'COMPLETED', 'optimize': 'COMPLETED', 'snapshot': 'SUCCESS', 'runtime': 'COMPLETED'}
    assert result['exporting'] == {'resumed': True, 'partitions': {'1': 'EXPORTING', '2': 'EXPORTING'}, 'problems': []}


@pytest.mark.parametrize('fail_at, done_before', [
    ('history', ['pause', 'take history']),
    ('take optimize', ['pause', 'take history', 'take optimize']),
    ('snapshot', ['pause', 'take history', 'take optimize', 'take snapshot']),
    ('runtime', ['pause', 'take history', 'take optimize', 'take snapshot', 'take runtime']),
])
def test_a_failure_at_any_step_stops_the_sequence_and_still_resumes(fail_at, done_before):
    run = FakeRun(fail_at=fail_at)
    with pytest.raises(backup.StepFailed) as failure:
        present(run, id=5)
    assert run.calls == done_before + ['resume']
    assert 'exporting was resumed and proven resumed on every partition' in failure.value.msg
    assert failure.value.details['exporting']['resumed'] is True


def test_a_failed_pause_is_resumed_and_a_failed_resume_is_loud():
    run = FakeRun(pause_ok=False)
    with pytest.raises(backup.StepFailed, match='step pause failed: soft pause of exporting answered HTTP 200'):
        present(run, id=5)
    assert run.calls == ['pause', 'resume'] and run.phases == {1: 'EXPORTING', 2: 'EXPORTING'}
    stuck = FakeRun(resume_ok=False)
    with pytest.raises(backup.StepFailed, match='EXPORTING IS NOT RESUMED') as failure:
        present(stuck, id=5)
    assert failure.value.details['exporting']['problems'][0] == 'resume answered HTTP 500: no message'


def test_check_mode_reads_only_and_refuses_a_lower_id_first():
    run = FakeRun(latest=100)
    result = present(run, check_mode=True)
    assert run.calls == [] and result['backup_id'] > 100
    assert [s['step'] for s in result['steps']] == ['pause', 'history', 'optimize', 'snapshot', 'runtime', 'resume']
    with pytest.raises(ConfigurationError, match='id 100 is not above'):
        present(FakeRun(latest=100), id=100)


def test_a_partial_pause_alone_is_undone():
    run = FakeRun(pause_ok=False)
    with pytest.raises(backup.StepFailed, match='the partial pause was undone') as failure:
        backup._exporting_only(run, 'pause', RunContext())  # pylint: disable=protected-access
    assert run.calls == ['pause', 'resume'] and failure.value.details['exporting']['problems'] == []
    resumed = FakeRun()
    assert backup._exporting_only(resumed, 'resume', RunContext())['changed'] is False  # pylint: disable=protected-access
    assert resumed.calls == []
    paused = backup._exporting_only(resumed, 'pause', RunContext())  # pylint: disable=protected-access
    assert paused['changed'] is True and paused['exporting']['problems'] == [] and resumed.calls == ['pause']
    again = backup._exporting_only(resumed, 'pause', RunContext())  # pylint: disable=protected-access
    assert again['changed'] is False and again['msg'] == 'exporting is already paused'


def test_waiting_polls_until_done_and_times_out_on_a_condition_not_a_clock_guess():
    states = iter(['IN_PROGRESS', 'IN_PROGRESS', 'COMPLETED'])
    sleeps = []
    waiter = SimpleNamespace(options=OptionAdapter.from_dict({'wait_timeout': 10.0, 'wait_interval': 2.0}),
                             clock=lambda: 0.0, sleep=sleeps.append)
    assert backup.BackupRun.wait_for(waiter, 'x', lambda: (next(states), None)) == 'COMPLETED'
    assert sleeps == [2.0, 2.0]
    ticks = iter([0.0, 5.0, 11.0])
    late = SimpleNamespace(options=waiter.options, clock=lambda: next(ticks), sleep=lambda s: None)
    with pytest.raises(CamundaError, match=r'x was still IN_PROGRESS after wait_timeout \(10.0 s\)'):
        backup.BackupRun.wait_for(late, 'x', lambda: ('IN_PROGRESS', None))
