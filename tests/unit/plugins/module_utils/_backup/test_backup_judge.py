# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_backup's pure judging: exporting answers, partition phases, ids, completeness, retention, restores."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._backup import judge
from ansible_collections.community.camunda.plugins.module_utils._backup.run import plan_steps
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

WRAPPED_OK = {'body': None, 'status': 204, 'contentType': None}
WRAPPED_FAILED = {
    'body': {'message': 'Expected 3 members of partition 1 but found 2'},
    'status': 500,
    'contentType': None,
}


@pytest.mark.parametrize(
    'status, body, ok, says',
    [
        (200, WRAPPED_OK, True, None),
        (200, WRAPPED_FAILED, False, 'answered HTTP 200 but status 500 in the body: Expected 3 members of partition 1'),
        (200, {'body': None, 'status': 503, 'contentType': None}, False, 'status 503 in the body: no message'),
        (204, None, True, None),
        (200, None, True, None),
        (500, {'message': 'partition 2 unavailable'}, False, 'answered HTTP 500: partition 2 unavailable'),
        (500, {'detail': 'problem detail'}, False, 'answered HTTP 500: problem detail'),
        (502, None, False, 'answered HTTP 502: no message'),
        (500, 'Failed to pause exporting: broker 2 unreachable', False, 'answered HTTP 500: Failed to pause exporting'),
    ],
)
def test_exporting_answers_are_judged_by_their_body(status, body, ok, says):
    judged_ok, message = judge.judge_exporting(status, body)
    assert judged_ok is ok
    assert (message is None) if says is None else (says in message)


def test_partitions_export_only_when_every_replica_says_so_and_every_partition_is_seen():
    broker0 = {'1': {'exporterPhase': 'EXPORTING'}, '2': {'exporterPhase': 'EXPORTING'}}
    broker1 = {'2': {'exporterPhase': 'SOFT_PAUSED'}, '3': {'exporterPhase': 'EXPORTING'}}
    assert judge.judge_partitions([broker0, broker1], range(1, 4)) == (
        {1: 'EXPORTING', 2: 'MIXED', 3: 'EXPORTING'},
        ['partition 2: exporter phase MIXED'],
    )
    phases, problems = judge.judge_partitions([broker0], range(1, 4))
    assert phases == {1: 'EXPORTING', 2: 'EXPORTING'} and problems == ['partition 3: no broker reported it']
    assert judge.judge_partitions([{'1': {}, 'x': {}}], [1]) == (
        {1: 'UNKNOWN'},
        ['partition 1: exporter phase UNKNOWN'],
    )


def test_a_partition_is_paused_only_when_every_replica_is():
    paused = {'1': {'exporterPhase': 'SOFT_PAUSED'}, '2': {'exporterPhase': 'PAUSED'}}
    half = {'1': {'exporterPhase': 'SOFT_PAUSED'}, '2': {'exporterPhase': 'EXPORTING'}}
    phases, _problems = judge.judge_partitions([paused, half], range(1, 3))
    assert phases == {1: 'SOFT_PAUSED', 2: 'MIXED'}
    assert judge.not_paused(phases) == ['partition 2: MIXED, not paused']
    # 8.10's GET /v2/exporting answers one word: MIXED is a partial state, not a pause
    assert judge.not_paused({'all': 'MIXED'}) == ['partition all: MIXED, not paused']
    assert judge.not_paused({'all': 'SOFT_PAUSED'}) == judge.not_paused({'all': 'PAUSED'}) == []


def test_partitions_of_several_physical_tenants_are_read_by_tenant():
    by_tenant = {
        'default': {'1': {'exporterPhase': 'EXPORTING'}, '2': {'exporterPhase': 'EXPORTING'}},
        'blue': {'1': {'exporterPhase': 'PAUSED'}, '2': {'exporterPhase': 'EXPORTING'}},
    }
    phases, problems = judge.judge_partitions([by_tenant], range(1, 3))
    assert phases == {'blue/1': 'PAUSED', 'blue/2': 'EXPORTING', 'default/1': 'EXPORTING', 'default/2': 'EXPORTING'}
    assert problems == ['partition blue/1: exporter phase PAUSED']


@pytest.mark.parametrize(
    'state, outcome',
    [
        ('COMPLETED', 'ok'),
        ('SUCCESS', 'ok'),
        ('FAILED', 'failed'),
        ('INCOMPLETE', 'failed'),
        ('PARTIAL', 'failed'),
        ('DOES_NOT_EXIST', 'failed'),
        ('IN_PROGRESS', 'waiting'),
        ('UNKNOWN', 'waiting'),
    ],
)
def test_backup_outcome(state, outcome):
    assert judge.backup_outcome(state) == outcome


def test_ids_always_increase_in_milliseconds_as_the_schedulers_make_them():
    assert judge.next_backup_id(None, None, 1764633600.7) == 1764633600700
    assert judge.next_backup_id(None, 1764633600700, 1764633600.7) == 1764633600701  # the clock did not move on
    assert judge.next_backup_id(None, 1900000000000, 1764633600) == 1900000000001  # a scheduler's later id
    assert judge.next_backup_id(201, 200, 0) == 201
    for lower in (200, 150):
        with pytest.raises(ConfigurationError, match=f'id {lower} is not above the latest existing backup id 200'):
            judge.next_backup_id(lower, 200, 0)
    with pytest.raises(ConfigurationError, match='not a positive integer'):
        judge.next_backup_id(0, None, 0)


@pytest.mark.parametrize(
    'parts, required, state, missing',
    [
        (
            {'runtime': 'COMPLETED', 'history': 'COMPLETED', 'snapshot': 'SUCCESS'},
            ('runtime', 'history', 'snapshot'),
            'COMPLETED',
            [],
        ),
        (
            {'runtime': 'IN_PROGRESS', 'history': 'FAILED'},
            ('runtime', 'history'),
            'IN_PROGRESS',
            ['runtime', 'history'],
        ),
        ({'runtime': 'COMPLETED', 'history': 'FAILED'}, ('runtime', 'history'), 'FAILED', ['history']),
        ({'runtime': 'COMPLETED', 'history': 'INCOMPLETE'}, ('runtime', 'history'), 'INCOMPLETE', ['history']),
        ({}, ('runtime',), 'INCOMPLETE', ['runtime']),
        # the records snapshot failed: history and Optimize taken, no runtime part, no snapshot
        (
            {'history': 'COMPLETED', 'optimize': 'COMPLETED'},
            ('runtime', 'history', 'snapshot', 'optimize'),
            'INCOMPLETE',
            ['runtime', 'snapshot'],
        ),
        ({'runtime': 'COMPLETED'}, ('runtime',), 'COMPLETED', []),  # relational storage: the runtime is the backup
    ],
)
def test_a_backup_is_complete_only_with_every_required_part(parts, required, state, missing):
    assert judge.overall_state(parts, required) == (state, missing)


def test_retention_counts_complete_backups_only_and_never_deletes_the_newest_complete_ones():
    complete = [{'id': i, 'state': 'COMPLETED'} for i in (10, 9, 8, 7)]
    backups = complete + [
        {'id': 11, 'state': 'IN_PROGRESS', 'missing': ['runtime']},
        {'id': 12, 'state': 'INCOMPLETE', 'missing': ['runtime', 'snapshot']},
        {'id': 6, 'state': 'FAILED', 'missing': ['history']},
    ]
    incomplete = [
        {'id': 12, 'state': 'INCOMPLETE', 'missing': ['runtime', 'snapshot']},
        {'id': 11, 'state': 'IN_PROGRESS', 'missing': ['runtime']},
        {'id': 6, 'state': 'FAILED', 'missing': ['history']},
    ]
    assert judge.retention(backups, 2, 10) == {
        'delete': [8, 7],
        'kept': [10, 9],
        'incomplete': incomplete,
        'left_alone': [12, 11, 6],
    }
    # asked to: the failed and incomplete ones go too, never one in progress
    assert judge.retention(backups, 2, 10, delete_incomplete=True) == {
        'delete': [12, 8, 7, 6],
        'kept': [10, 9],
        'incomplete': incomplete,
        'left_alone': [11],
    }
    # the one just taken is protected even when newer completed ones exist (an id given by hand)
    assert judge.retention(complete, 1, 8) == {'delete': [9, 7], 'kept': [10, 8], 'incomplete': [], 'left_alone': []}
    assert judge.retention(backups, 10, None)['delete'] == []
    # check mode: the backup that would be taken (13) is not there yet, and counts as completed
    assert judge.retention(complete, 2, 13)['delete'] == [9, 8, 7]
    with pytest.raises(ConfigurationError, match='keep at least 1'):
        judge.retention(backups, 0, 10)


def test_backup_version_and_the_restore_preflight():
    runtime = {'details': [{'partitionId': 1, 'brokerVersion': '8.8.2'}]}
    history = {'details': [{'snapshotName': 'camunda_webapps_5_8.9.1_part_1_of_6'}]}
    assert judge.backup_version(runtime, history) == '8.8.2'
    assert judge.backup_version(None, history) == '8.9.1'
    assert judge.backup_version({'details': []}, {'details': [{'snapshotName': 'other'}]}) is None
    good = {
        'id': 5,
        'state': 'COMPLETED',
        'parts': {'runtime': 'COMPLETED', 'history': 'COMPLETED'},
        'version': '8.8.2',
    }
    assert judge.restore_problems(good, 5, '8.8.2') == []
    assert judge.restore_problems(good, 5, '8.9.0') == [
        'backup 5 was taken with Camunda 8.8.2; this cluster runs 8.9.0: a restore needs the same version '
        '(install 8.8.2 first)'
    ]
    assert judge.restore_problems(None, 7, '8.8.2') == ["backup 7 does not exist on this cluster's backup store"]
    broken = dict(good, state='INCOMPLETE', parts={'runtime': 'COMPLETED'}, version=None)
    assert judge.restore_problems(broken, 5, '8.8.2') == [
        'backup 5 is INCOMPLETE: only a completed backup can be restored',
        'backup 5 has no history part',
        'the Camunda version of backup 5 cannot be read: a restore needs the same version',
    ]
    # every configured part: the records snapshot and Optimize too
    no_snapshot = dict(good, parts={'runtime': 'COMPLETED', 'history': 'COMPLETED', 'snapshot': 'FAILED'})
    assert judge.restore_problems(no_snapshot, 5, '8.8.2', ('runtime', 'history', 'snapshot', 'optimize')) == [
        'the snapshot part of backup 5 is FAILED, not complete',
        'backup 5 has no optimize part',
    ]
    # relational storage: no history part is needed
    assert judge.restore_problems(dict(good, parts={'runtime': 'COMPLETED'}), 5, '8.8.2', ('runtime',)) == []
    assert 'cluster version cannot be read' in judge.restore_problems(good, 5, None)[0]


def test_plan_steps():
    assert plan_steps('all', {'optimize': True, 'snapshot': True}) == [
        'pause',
        'history',
        'optimize',
        'snapshot',
        'runtime',
    ]
    # relational storage: no history, no snapshot; the generated id is known after the runtime backup
    assert plan_steps('all', {'optimize': True, 'snapshot': True}, rdbms=True, generated_id=True) == [
        'pause',
        'runtime',
        'optimize',
    ]
    assert plan_steps('all', {'snapshot': True}, generated_id=True) == ['pause', 'runtime', 'history', 'snapshot']
    assert plan_steps('all', {}) == ['pause', 'history', 'runtime']
    assert plan_steps('runtime', {}) == ['runtime'] and plan_steps('exporting', {}) == []
