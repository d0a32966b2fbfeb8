# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_upgrade_preflight's core on the real charts with the real helm, against the emulator's topology,
backups and exporting: 8.7->8.8, 8.8->8.9 (the secondary-storage refusal, the --reuse-values trap), 8.9->8.10 (Helm
v4), a clean path, and a skipped minor and a downgrade refused before helm runs."""

from __future__ import annotations

import os
import shutil

import pytest
import upgrade_helm
from upgrade_compose import env_version

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._upgrade import helm_chart
from ansible_collections.community.camunda.plugins.module_utils._upgrade.preflight import (
    UPGRADE_PREFLIGHT_SPEC,
    run_upgrade_preflight,
)

STORAGE = {'orchestration': {'data': {'secondaryStorage': {'type': 'elasticsearch'}}}}


CHARTS = {'8.7': '12.13.3', '8.8': '13.12.7', '8.9': '14.8.4', '8.10': '15.0.0-alpha4'}


@pytest.fixture(scope='module')
def helm(helm_bin):
    return str(helm_bin)


@pytest.fixture(scope='module')
def chart(upstream_dir):
    return lambda minor: str(upstream_dir / 'helm' / f'camunda-platform-{CHARTS[minor]}.tgz')


class Recorder:
    """The real helm runner, recording each command line."""

    def __init__(self):
        self.calls = []

    def __call__(self, argv):
        self.calls.append(argv[1])
        return helm_chart.run_command(argv)


def preflight(emulator, runner=None, **params):
    values = {name: spec.get('default') for name, spec in UPGRADE_PREFLIGHT_SPEC['argument_spec'].items()}
    # No release to read unless a test gives one: an empty values file (os.devnull) stands for the release's values.
    values.update(
        url=emulator.url,
        auth_method='none',
        deployment='helm',
        management_url=emulator.management_url,
        helm_current_values_file=os.devnull,
    )
    values.update(params)
    return run_upgrade_preflight(OptionAdapter.from_dict(values), RunContext(), run=runner or Recorder())


def by_id(result, severity=None):
    return {f['id']: f for f in result['findings'] if severity is None or f['severity'] == severity}


def test_88_to_89_without_secondary_storage_is_refused_by_the_chart_itself(emulator, helm, chart):
    emulator.admin.set_cluster(version='8.8.3')
    result = preflight(emulator, target_version='8.9.0', helm_chart=chart('8.9'), helm_binary=helm)
    assert result['passed'] is False and result['action'] == 'minor'
    refusal = by_id(result, 'error')['chart_refusal']
    assert 'orchestration.data.secondaryStorage.type' in refusal['message']
    assert result['helm']['chart_version'] == '14.8.4' and result['helm']['app_version'] == '8.9.x'
    assert result['versions'] == {'brokers': {0: '8.8.3', 1: '8.8.3', 2: '8.8.3'}, 'gateway': '8.8.3'}


def test_88_to_89_clean_path_passes_and_finds_the_reuse_values_trap(emulator, helm, chart, tmp_path, monkeypatch):
    emulator.admin.set_cluster(version='8.8.3')
    # An 8.8 release; helm get values --all answers the 13.12.7 defaults under the release's own values.
    release = upgrade_helm.install(
        tmp_path, chart('8.8'), {'global': {'identity': {'auth': {'enabled': False}}}}, 'camunda-platform-13.12.7'
    )
    monkeypatch.setenv('UPGRADE_REAL_HELM', helm)
    monkeypatch.setenv('UPGRADE_RELEASE_DIR', str(tmp_path))
    result = preflight(
        emulator,
        target_version='8.9.0',
        helm_chart=chart('8.9'),
        helm_binary=release,
        helm_current_values_file=None,
        helm_set_values=STORAGE,
    )
    assert result['passed'] is True, result['findings']
    assert result['helm']['reuse_values_trap'] is True
    trap = by_id(result)['reuse_values_trap']
    assert 'extraConfiguration' in trap['message'] and '--reset-then-reuse-values' in trap['fix']
    assert {'secondary_storage_required', 'deprecated_secret_keys'} <= set(by_id(result))
    assert [call[0] for call in upgrade_helm.release(tmp_path)['calls']] == [
        'version',
        'get',
        'get',
        'template',
        'template',
    ]


def test_87_to_88_reports_the_values_the_new_chart_no_longer_knows(emulator, helm, chart, tmp_path):
    emulator.admin.set_cluster(version='8.7.9')
    current = tmp_path / 'values-8.7.yaml'
    current.write_text('zeebe: {clusterSize: 3}\nzeebeGateway: {replicas: 1}\norchestration: {clusterSize: 3}\n')
    result = preflight(
        emulator,
        target_version='8.8.0',
        helm_chart=chart('8.8'),
        helm_binary=helm,
        helm_current_values_file=str(current),
    )
    unknown = [f['message'] for f in result['findings'] if f['id'] == 'unknown_value']
    assert any(message.startswith('zeebe ') for message in unknown)
    assert any(message.startswith('zeebeGateway ') for message in unknown)
    assert not any(message.startswith('orchestration') for message in unknown)
    assert {
        'identity_moves_into_cluster',
        'values_under_orchestration',
        'elasticsearch_consolidation',
        'index_prefixes',
    } <= set(by_id(result))


def test_89_to_810_needs_helm_4_from_the_chart_constraint(emulator, helm, chart):
    emulator.admin.set_cluster(version='8.9.2')
    result = preflight(
        emulator, target_version='8.10.0', helm_chart=chart('8.10'), helm_binary=helm, helm_set_values=STORAGE
    )
    assert result['helm']['helm_major_needed'] == 4 and result['helm']['helm_cli'].startswith('v4')
    assert 'helm_v4_required' in by_id(result)
    assert result['passed'] is True, result['findings']


def test_the_chart_of_another_minor_is_refused(emulator, helm, chart):
    emulator.admin.set_cluster(version='8.8.3')
    result = preflight(
        emulator, target_version='8.9.0', helm_chart=chart('8.10'), helm_binary=helm, helm_set_values=STORAGE
    )
    assert 'chart_other_minor' in by_id(result, 'error')


@pytest.mark.parametrize(
    'running, target, error', [('8.8.3', '8.10.0', 'skipped_minor'), ('8.9.2', '8.8.3', 'downgrade')]
)
def test_a_skipped_minor_and_a_downgrade_are_refused_before_helm_runs(emulator, helm, chart, running, target, error):
    emulator.admin.set_cluster(version=running)
    emulator.admin.reset_counts()
    recorder = Recorder()
    result = preflight(emulator, recorder, target_version=target, helm_chart=chart('8.10'), helm_binary=helm)
    assert result['passed'] is False and result['action'] == 'refused'
    assert list(by_id(result, 'error')) == [error]
    assert recorder.calls == []
    assert emulator.admin.request_count() == 1 and emulator.admin.request_count('/v2/topology') == 1


def test_unhealthy_cluster_backup_in_progress_and_paused_exporting_are_errors(emulator, helm, chart):
    emulator.admin.set_cluster(version='8.8.3')
    emulator.admin.set_faults(no_leader=[2])
    emulator.backup_admin.add_backup('runtime', 41, 'IN_PROGRESS')
    emulator.backup_admin.set_phases({1: 'PAUSED'})
    result = preflight(
        emulator, target_version='8.9.0', helm_chart=chart('8.9'), helm_binary=helm, helm_set_values=STORAGE
    )
    errors = by_id(result, 'error')
    assert {'cluster_unhealthy', 'backup_in_progress', 'exporting_not_running'} <= set(errors)
    assert 'partition 2' in errors['cluster_unhealthy']['message']


def test_mixed_versions_resume_only_to_the_same_target(emulator, helm, chart):
    emulator.admin.set_cluster(version='8.8.3')
    emulator.admin.set_faults(broker_versions={2: '8.9.0'})
    resumed = preflight(
        emulator, target_version='8.9.0', helm_chart=chart('8.9'), helm_binary=helm, helm_set_values=STORAGE
    )
    assert resumed['passed'] is True and 'resume' in by_id(resumed)
    other = preflight(emulator, target_version='8.9.1', helm_chart=chart('8.9'), helm_binary=helm)
    assert list(by_id(other, 'error')) == ['mixed_versions_other_target']


def test_already_at_the_target_is_nothing_to_do(emulator, helm, chart):
    emulator.admin.set_cluster(version='8.9.0')
    result = preflight(emulator, target_version='8.9.0', helm_chart=chart('8.9'), helm_binary=helm)
    assert result['action'] == 'none' and result['passed'] is True and result['changed'] is False
    assert 'nothing to upgrade' in result['msg']


def test_compose_88_to_89_on_the_upstream_folders_with_the_real_docker_compose(
    emulator, upstream_dir, docker_compose_bin, tmp_path
):
    emulator.admin.set_cluster(version='8.8.3')
    project = tmp_path / 'project'  # a project made from the 8.8 folder, as users start one
    shutil.copytree(upstream_dir / 'compose' / 'camunda-8.8', project)
    target = env_version(upstream_dir / 'compose' / 'camunda-8.9')  # the folder's own patch: another one is refused
    result = preflight(
        emulator,
        deployment='docker_compose',
        target_version=target,
        compose_project_dir=str(project),
        compose_target_dir=str(upstream_dir / 'compose' / 'camunda-8.9'),
        compose_binary=str(docker_compose_bin),
    )
    compose = result['compose']
    assert compose['versions']['CAMUNDA_VERSION']['current'].startswith('8.8.')
    assert compose['versions']['CAMUNDA_VERSION']['target'].startswith('8.9.')
    assert 'ORCHESTRATION_CONFIG_FILE' in compose['added'] and 'CAMUNDA_IDENTITY_CLIENT_SECRET' in compose['removed']
    before, after = compose['images_before']['orchestration'], compose['images_after']['orchestration']
    assert before.endswith(':' + compose['versions']['CAMUNDA_VERSION']['current'])
    assert after.endswith(':' + compose['versions']['CAMUNDA_VERSION']['target'])
    assert {'h2_by_default', 'compose_image_versions', 'compose_new_settings', 'compose_removed_settings'} <= set(
        by_id(result)
    )
    assert result['passed'] is True, result['findings']

    wrong = preflight(
        emulator,
        deployment='docker_compose',
        target_version=target,
        compose_project_dir=str(project),
        compose_target_dir=str(upstream_dir / 'compose' / 'camunda-8.10'),
        compose_binary=str(docker_compose_bin),
    )
    assert 'compose_target_other_minor' in by_id(wrong, 'error')
    assert compose['images_planned']['orchestration'] == after  # the project with the target versions in its .env

    files = project / 'docker-compose.yaml'  # a project that pins its images instead of reading the .env
    files.write_text(files.read_text().replace('${CAMUNDA_VERSION}', compose['versions']['CAMUNDA_VERSION']['current']))
    pinned = preflight(
        emulator,
        deployment='docker_compose',
        target_version=target,
        compose_project_dir=str(project),
        compose_target_dir=str(upstream_dir / 'compose' / 'camunda-8.9'),
        compose_binary=str(docker_compose_bin),
    )
    assert pinned['passed'] is False and 'compose_images_not_from_env' in by_id(pinned, 'error')
