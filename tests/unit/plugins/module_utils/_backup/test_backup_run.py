# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_backup's sequencing, with a recording stand-in for the HTTP side."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ansible_collections.community.camunda.plugins.module_utils._backup import run as backup
from ansible_collections.community.camunda.plugins.module_utils._backup.api import BackupRun, StepFailed
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


class FakeRun(object):
    """The HTTP side of BackupRun, recorded; ``fail_at`` makes one step fail the way the real one does."""

    def __init__(
        self,
        fail_at=None,
        resume_ok=True,
        phases=None,
        latest=None,
        pause_ok=True,
        rdbms=False,
        generated_id=False,
        given_id=None,
    ):
        self.calls = []
        self.rdbms = rdbms
        self.generated_id = generated_id
        self.given_id = given_id  # the id the cluster answers a take without one
        self.required = ['runtime'] if rdbms else ['runtime', 'history', 'snapshot', 'optimize']
        self.api = 'actuator'
        self.fail_at = fail_at
        self.resume_ok = resume_ok
        self.pause_ok = pause_ok
        self.phases = phases or {1: 'EXPORTING', 2: 'EXPORTING'}
        self.latest = latest
        self.optimize = object()
        self.snapshot = object()
        self.use_v2 = False
        self.cluster_version = '8.9.0'

    def latest_id(self):
        return self.latest

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
        self.calls.append(f'take {component}' + ('' if backup_id is not None else ' without id'))
        if self.fail_at == f'take {component}':
            raise StepFailed(f'taking the {component} backup {backup_id} failed: HTTP 500')
        return backup_id if backup_id is not None else self.given_id

    def take_snapshot(self, backup_id):
        self.calls.append('take snapshot')

    def backup_state(self, component, backup_id):
        return ('FAILED', 'disk full') if self.fail_at == component else ('COMPLETED', None)

    def snapshot_state(self, backup_id, with_size=False):
        return ('FAILED' if self.fail_at == 'snapshot' else 'SUCCESS'), None, None

    def wait_for(self, what, read):
        return BackupRun.wait_for(self, what, read)

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
    # history and Optimize are started together, then both awaited
    assert run.calls == ['pause', 'take history', 'take optimize', 'take snapshot', 'take runtime', 'resume']
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
    assert result['exporting'] == {'resumed': True, 'partitions': {'1': 'EXPORTING', '2': 'EXPORTING'}, 'problems': []}


@pytest.mark.parametrize(
    'fail_at, done_before',
    [
        ('history', ['pause', 'take history', 'take optimize']),
        ('take optimize', ['pause', 'take history', 'take optimize']),
        ('snapshot', ['pause', 'take history', 'take optimize', 'take snapshot']),
        ('runtime', ['pause', 'take history', 'take optimize', 'take snapshot', 'take runtime']),
    ],
)
def test_a_failure_at_any_step_stops_the_sequence_and_still_resumes(fail_at, done_before):
    run = FakeRun(fail_at=fail_at)
    with pytest.raises(StepFailed) as failure:
        present(run, id=5)
    assert run.calls == done_before + ['resume']
    assert 'exporting was resumed and proven resumed on every partition' in failure.value.msg
    assert failure.value.details['exporting']['resumed'] is True and failure.value.details['changed'] is True
    # each step once in the list, the failed one marked
    steps = [step['step'] for step in failure.value.details['steps']]
    assert len(steps) == len(set(steps)) and steps[-1] == 'resume'
    assert [s['state'] for s in failure.value.details['steps']].count('failed') == 1


def test_a_failed_pause_is_resumed_and_a_failed_resume_is_loud():
    run = FakeRun(pause_ok=False)
    with pytest.raises(StepFailed, match='step pause failed: soft pause of exporting answered HTTP 200'):
        present(run, id=5)
    assert run.calls == ['pause', 'resume'] and run.phases == {1: 'EXPORTING', 2: 'EXPORTING'}
    # a partial pause failure lists the pause step once (issue 29 item 13)
    with pytest.raises(StepFailed) as failure:
        present(FakeRun(pause_ok=False), id=5)
    assert [step['step'] for step in failure.value.details['steps']] == ['pause', 'resume']
    stuck = FakeRun(resume_ok=False)
    with pytest.raises(StepFailed, match='EXPORTING IS NOT RESUMED') as failure:
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
    with pytest.raises(StepFailed, match='the partial pause was undone') as failure:
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
    waiter = SimpleNamespace(
        options=OptionAdapter.from_dict({'wait_timeout': 10.0, 'wait_interval': 2.0}),
        clock=lambda: 0.0,
        sleep=sleeps.append,
    )
    assert BackupRun.wait_for(waiter, 'x', lambda: (next(states), None)) == 'COMPLETED'
    assert sleeps == [2.0, 2.0]
    ticks = iter([0.0, 5.0, 11.0])
    late = SimpleNamespace(options=waiter.options, clock=lambda: next(ticks), sleep=lambda s: None)
    with pytest.raises(CamundaError, match=r'x was still IN_PROGRESS after wait_timeout \(10.0 s\)'):
        BackupRun.wait_for(late, 'x', lambda: ('IN_PROGRESS', None))


def test_relational_storage_takes_the_runtime_backup_without_an_id_and_no_history_or_snapshot():
    run = FakeRun(rdbms=True, generated_id=True, given_id=1764633600123)
    run.snapshot = None
    run.optimize = None
    result = present(run, secondary_storage='rdbms')
    assert run.calls == ['pause', 'take runtime without id', 'resume']
    assert result['backup_id'] == 1764633600123 and result['parts'] == {'runtime': 'COMPLETED'}
    with pytest.raises(ConfigurationError, match='generates backup ids .*required with relational secondary storage'):
        present(FakeRun(rdbms=True, generated_id=True), id=7, secondary_storage='rdbms')
    with pytest.raises(ConfigurationError, match='no history backup with relational secondary storage'):
        present(FakeRun(rdbms=True, generated_id=True), component='history', secondary_storage='rdbms')


def test_a_scheduler_generated_id_names_the_other_parts():
    run = FakeRun(generated_id=True, given_id=1764633600123)
    result = present(run)
    assert run.calls == ['pause', 'take runtime without id', 'take history', 'take optimize', 'take snapshot', 'resume']
    assert result['backup_id'] == 1764633600123


def test_transient_states_right_after_a_take_are_waited_out_within_a_bound():
    states = iter(['DOES_NOT_EXIST', 'INCOMPLETE', 'IN_PROGRESS', 'COMPLETED'])
    waiter = SimpleNamespace(
        options=OptionAdapter.from_dict({'wait_timeout': 10.0, 'wait_interval': 0.0}),
        clock=lambda: 0.0,
        sleep=lambda s: None,
    )
    assert BackupRun.wait_for(waiter, 'x', lambda: (next(states), None)) == 'COMPLETED'
    with pytest.raises(CamundaError, match='x ended INCOMPLETE'):
        BackupRun.wait_for(waiter, 'x', lambda: ('INCOMPLETE', None))
