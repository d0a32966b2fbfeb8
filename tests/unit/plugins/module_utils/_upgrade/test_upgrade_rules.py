# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Camunda's upgrade rules (pure): the path, mixed versions, health, backups, exporting, the step notes."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._upgrade import rules


def ids(findings, severity=None):
    return [f['id'] for f in findings if severity is None or f['severity'] == severity]


@pytest.mark.parametrize(
    'current, target, action, error',
    [
        ('8.8.3', '8.9.2', 'minor', None),
        ('8.9.2', '8.10.0', 'minor', None),
        ('8.7.9', '8.8.0', 'minor', None),
        ('8.8.1', '8.8.3', 'patch', None),
        ('8.9.2', '8.9.2', 'none', None),
        ('8.7.9', '8.9.0', 'refused', 'skipped_minor'),
        ('8.8.3', '8.10.0', 'refused', 'skipped_minor'),
        ('8.9.0', '8.8.3', 'refused', 'downgrade'),
        ('8.8.3', '8.8.1', 'refused', 'downgrade'),
        ('8.8.3', '9.0.0', 'refused', 'major_change'),
        ('8.8.3', '8.9', 'refused', 'target_invalid'),
        ('8.8.3', 'latest', 'refused', 'target_invalid'),
        ('garbage', '8.9.0', 'refused', 'version_unknown'),
    ],
)
def test_the_path_follows_one_minor_at_a_time_and_never_down(current, target, action, error):
    judged, findings = rules.judge_path(current, target)
    assert judged == action
    assert ids(findings, 'error') == ([error] if error else [])


def test_a_skipped_minor_names_the_minor_to_go_through_first():
    _action, findings = rules.judge_path('8.7.4', '8.9.1')
    assert 'skips 8.8' in findings[0]['message']
    assert findings[0]['fix'] == 'Upgrade to the latest 8.8 patch first, then to 8.9.1.'
    assert findings[0]['link'].startswith('https://docs.camunda.io/')


def test_the_latest_patch_of_the_current_minor_comes_first_when_known():
    action, findings = rules.judge_path('8.8.1', '8.9.0', latest_patch_text='8.8.3')
    assert action == 'minor' and ids(findings, 'error') == ['not_latest_patch']
    assert 'Upgrade to 8.8.3 first' in findings[0]['fix']
    assert ids(rules.judge_path('8.8.3', '8.9.0', latest_patch_text='8.8.3')[1], 'error') == []
    # a latest patch of another minor says nothing about this one
    assert ids(rules.judge_path('8.8.1', '8.9.0', latest_patch_text='8.9.4')[1], 'error') == []


def test_mixed_versions_are_only_a_resume_to_the_same_target():
    current, findings = rules.running_version({0: '8.9.0', 1: '8.8.3', 2: '8.9.0'}, '8.8.3')
    assert current == '8.9.0' and ids(findings) == ['mixed_versions']
    assert '8.8.3 on 1, gateway' in findings[0]['message'] and '8.9.0 on 0, 2' in findings[0]['message']
    action, resumed = rules.judge_path(current, '8.9.0', mixed=True)
    assert action == 'minor' and ids(resumed) == ['resume']
    action, other = rules.judge_path(current, '8.9.1', mixed=True)
    assert action == 'refused' and ids(other) == ['mixed_versions_other_target']


def test_one_version_everywhere_is_that_version_and_none_at_all_is_an_error():
    assert rules.running_version({0: '8.8.3', 1: '8.8.3'}, '8.8.3') == ('8.8.3', [])
    current, findings = rules.running_version({0: None}, None)
    assert current is None and ids(findings, 'error') == ['version_unknown']


@pytest.mark.parametrize(
    'target, kind, expected',
    [
        (
            '8.8.0',
            'helm',
            {
                'identity_moves_into_cluster',
                'values_under_orchestration',
                'elasticsearch_consolidation',
                'index_prefixes',
            },
        ),
        ('8.8.0', 'docker_compose', {'identity_moves_into_cluster', 'elasticsearch_consolidation', 'index_prefixes'}),
        ('8.9.0', 'helm', {'secondary_storage_required', 'deprecated_secret_keys'}),
        ('8.9.0', 'docker_compose', {'h2_by_default'}),
        ('8.10.0', 'helm', {'helm_v4_required'}),
        ('8.10.0', 'c8run', set()),
    ],
)
def test_each_step_brings_its_notes_with_links(target, kind, expected):
    current = {'8.8.0': '8.7.9', '8.9.0': '8.8.3', '8.10.0': '8.9.2'}[target]
    _action, findings = rules.judge_path(current, target, kind=kind)
    assert set(ids(findings)) == expected
    assert all(f['link'].startswith(rules.DOCS) for f in findings)
    assert all(f['severity'] != 'error' for f in findings)


def test_health_backups_and_exporting_become_errors_with_fixes():
    assert ids(rules.judge_health(['partition 2: no leader'])) == ['cluster_unhealthy']
    assert rules.judge_health([]) == []
    running = rules.judge_backups([{'backupId': 7, 'state': 'IN_PROGRESS'}, {'backupId': 6, 'state': 'COMPLETED'}])
    assert ids(running, 'error') == ['backup_in_progress'] and 'Backup 7 ' in running[0]['message']
    assert rules.judge_backups([{'backupId': 6, 'state': 'COMPLETED'}]) == []
    paused = rules.judge_exporting({1: 'PAUSED'}, ['partition 1: exporter phase PAUSED'])
    assert ids(paused, 'error') == ['exporting_not_running'] and 'resume' in paused[0]['fix']
    assert rules.judge_exporting({1: 'EXPORTING'}, []) == []


def test_findings_are_ordered_errors_first_and_the_worst_severity_is_known():
    findings = [rules.finding('a', 'info', 'x'), rules.finding('b', 'error', 'y'), rules.finding('c', 'warning', 'z')]
    assert ids(rules.ordered(findings)) == ['b', 'c', 'a']
    assert rules.worst(findings) == 'error' and rules.worst(findings[:1]) == 'info' and rules.worst([]) is None
