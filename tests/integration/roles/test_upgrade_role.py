# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade role through ansible-playbook: an 8.8 cluster (emulator) behind a Helm release upgraded to 8.9 in one
run with a backup first, a smoke test and a report; check mode; a second run that changes nothing; and the runs that
stop: a skipped minor, a chart that refuses the values, a failed backup, a broker that never comes back, a smoke test
that fails afterwards. The real helm 4 renders the real charts; upgrade_helm.py keeps the release and starts the
emulator's rolling upgrade where the kubelet would."""

from __future__ import annotations

import json

import pytest
import upgrade_helm
from upgrade_runs import JUDGE, UPGRADE, backup_writes, play_vars

SECRET = 'demo-pa55-4f0b2c'
USER_VALUES = {
    'orchestration': {
        'security': {
            'initialization': {
                'users': [{'username': 'demo', 'password': SECRET, 'name': 'Demo', 'email': 'demo@example.com'}]
            }
        }
    }
}


CHARTS = {'8.8': '13.12.7', '8.9': '14.8.4', '8.10': '15.0.0-alpha4'}


@pytest.fixture
def chart(upstream_dir):
    return lambda minor: str(upstream_dir / 'helm' / f'camunda-platform-{CHARTS[minor]}.tgz')


@pytest.fixture
def release(tmp_path, emulator, helm_bin, chart):
    """An 8.8.3 cluster behind a release of chart 13.12.7; returns a runner of the upgrade playbook."""
    real = str(helm_bin)
    emulator.admin.set_cluster(version='8.8.3')
    emulator.admin.set_auth('basic')  # the chart's default
    folder = tmp_path / 'release'
    helm = upgrade_helm.install(folder, chart('8.8'), USER_VALUES, 'camunda-platform-13.12.7')

    def run(playbook, rollout=None, check=False, verbosity=0, **variables):
        # The helm command: the file-backed shim models the commands the role runs, not kubernetes.core.helm's (helm
        # list, plugin list, show chart ...); test_upgrade_real_release.py applies through the module on a real release.
        extra = (
            dict(
                upgrade_apply_with='cli',
                **play_vars(emulator, 'helm'),
                camunda_username='demo',
                camunda_password='demo',
                upgrade_to_version='8.9.0',
                upgrade_helm_chart=chart('8.9'),
                upgrade_helm_binary=helm,
                upgrade_report_path=str(tmp_path / 'report.md'),
            )
            | variables
        )
        env = dict(
            UPGRADE_REAL_HELM=real,
            UPGRADE_RELEASE_DIR=str(folder),
            UPGRADE_EMULATOR_URL=emulator.url,
            UPGRADE_ROLLOUT=json.dumps(rollout if rollout is not None else {'to_version': '8.9.0'}),
        )
        outcome = playbook(UPGRADE, extra_vars=extra, env=env, check=check, verbosity=verbosity)
        outcome.result = outcome.task(JUDGE)['ansible_facts']['upgrade_result']
        outcome.report = (tmp_path / 'report.md').read_text()
        outcome.helm_commands = [call[0] for call in upgrade_helm.release(folder)['calls']]
        return outcome

    run.folder = folder
    return run


def test_88_to_89_in_one_run_with_check_mode_first_and_a_second_run_that_changes_nothing(
    release, emulator, playbook, tmp_path
):
    predicted = release(playbook, check=True).assert_ok()
    assert predicted.result['outcome'] == 'predicted' and predicted.result['would_run'] == [
        'backup',
        'apply: helm upgrade camunda to camunda-platform-14.8.4.tgz --reset-then-reuse-values (the helm command)',
        'wait',
        'verify',
    ]
    assert 'upgrade' not in predicted.helm_commands and backup_writes(emulator) == []
    assert upgrade_helm.release(release.folder)['revisions'][-1]['revision'] == 1

    # With the verify role's fleet report asked for: the page shows the version before and after, with no history.
    fleet = tmp_path / 'fleet'
    run = release(playbook, verbosity=4, verify_fleet_report=True, verify_fleet_report_dir=str(fleet)).assert_ok()
    result = run.result
    assert (
        result['outcome'] == 'upgraded' and result['version_before'] == '8.8.3' and result['version_after'] == '8.9.0'
    )
    assert [s['step'] for s in result['steps']] == ['preflight', 'backup', 'apply', 'wait', 'verify']
    assert all(s['status'] == 'ok' for s in result['steps'][1:]) and result['backup_id'] is not None
    assert result['chart_before'] == 'camunda-platform-13.12.7' and result['chart_after'] == '14.8.4'
    topology = emulator.admin.state()['topology']
    assert {b['version'] for b in topology['brokers']} == {'8.9.0'} and topology['gatewayVersion'] == '8.9.0'
    revision = upgrade_helm.release(release.folder)['revisions'][-1]
    assert revision['chart_name'] == 'camunda-platform-14.8.4'
    assert revision['values']['orchestration']['data']['secondaryStorage']['type'] == 'elasticsearch'
    assert revision['values']['orchestration']['security'] == USER_VALUES['orchestration']['security']
    [upgrade] = [call for call in upgrade_helm.release(release.folder)['calls'] if call[0] == 'upgrade']
    assert '--reset-then-reuse-values' in upgrade and '--reuse-values' not in upgrade
    assert 'reuse_values_trap' in {f['id'] for f in result['findings']}
    assert f'backup: {result["backup_id"]}' in run.report and '| wait | ok |' in run.report
    assert '**upgraded**' in run.report
    assert SECRET not in run.output and SECRET not in run.report
    fleet_md, fleet_html = (fleet / 'fleet.md').read_text(), (fleet / 'fleet.html').read_text()
    assert '- Version: 8.8.3 -> 8.9.0 (upgraded in this run)' in fleet_md and '8.8.3 -&gt; 8.9.0' in fleet_html
    assert SECRET not in fleet_md and SECRET not in fleet_html and 'demo:demo' not in fleet_html

    again = release(playbook).assert_ok()
    assert again.result['outcome'] == 'unchanged' and again.result['changed'] is False
    assert 'nothing was changed' in again.result['msg']
    assert again.helm_commands.count('upgrade') == 1


def test_a_skipped_minor_stops_before_anything_is_sent(release, emulator, playbook, chart):
    run = release(playbook, upgrade_to_version='8.10.0', upgrade_helm_chart=chart('8.10'))
    assert run.rc != 0
    assert run.result['stopped_at'] == 'preflight' and 'skips 8.9' in run.result['msg']
    assert 'Upgrade to the latest 8.9 patch first' in run.result['msg']
    assert 'upgrade' not in run.helm_commands and 'template' not in run.helm_commands and backup_writes(emulator) == []


def test_a_chart_that_refuses_the_values_stops_before_anything_is_sent(release, emulator, playbook):
    run = release(playbook, upgrade_helm_set_values={'orchestration': {'extraConfiguration': {'bad': 'object'}}})
    assert run.rc != 0 and run.result['stopped_at'] == 'preflight'
    assert 'refuses orchestration.extraConfiguration' in run.result['msg']
    assert 'upgrade' not in run.helm_commands and backup_writes(emulator) == []


def test_no_backup_no_upgrade(release, emulator, playbook):
    emulator.backup_admin.set_faults(outcome={'runtime': 'FAILED'})
    run = release(playbook)
    assert run.rc != 0 and run.result['stopped_at'] == 'backup'
    assert 'nothing was upgraded (no backup, no upgrade)' in run.result['msg']
    assert 'upgrade' not in run.helm_commands


def test_a_broker_that_never_comes_back_stops_the_play_and_names_the_backup_to_restore(release, emulator, playbook):
    run = release(playbook, rollout={'to_version': '8.9.0', 'stuck': [1]}, upgrade_wait_timeout=2)
    assert run.rc != 0 and run.result['stopped_at'] == 'wait'
    backup_id = run.result['backup_id']
    assert backup_id is not None and f'restore backup {backup_id}' in run.result['way_back']
    assert 'Camunda does not support downgrades' in run.result['way_back']
    assert run.result['checks'] == [] and 'verify' not in [s['step'] for s in run.result['steps']]
    assert 'way back: ' in run.report and str(backup_id) in run.report


def test_no_broker_on_the_new_version_rolls_back_when_asked(release, emulator, playbook):
    run = release(
        playbook,
        rollout={'to_version': '8.9.0', 'stuck': [0, 1, 2]},
        upgrade_wait_timeout=2,
        upgrade_helm_rollback=True,
        upgrade_backup=False,
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'wait'
    assert 'helm rollback' in run.result['way_back'] and 'was run' in run.result['way_back']
    assert run.result['steps'][1] | {'ended': None, 'seconds': None} == {
        'step': 'backup',
        'status': 'skipped',
        'ended': None,
        'seconds': None,
        'detail': 'upgrade_backup is false: no backup to restore if the upgrade fails',
    }
    assert backup_writes(emulator) == []
    revisions = upgrade_helm.release(release.folder)['revisions']
    assert [r['chart_name'] for r in revisions] == [
        'camunda-platform-13.12.7',
        'camunda-platform-14.8.4',
        'camunda-platform-13.12.7',
    ]


def test_a_smoke_test_failing_after_the_upgrade_without_a_backup_reports_the_way_back(release, emulator, playbook):
    run = release(
        playbook, rollout={'to_version': '8.9.0', 'smoke_fails': True}, upgrade_smoke_timeout=2, upgrade_backup=False
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'verify' and 'smoke' in run.result['failure']
    assert 'restore a backup taken before the upgrade (none was taken by this run)' in run.result['way_back']
    assert 'Brokers 0, 1, 2 already run 8.9.0' in run.result['way_back']
