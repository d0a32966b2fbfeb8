# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade role on a real release in a real kube-apiserver (helm 4, chart 13.12.7 installed, upgraded to 14.8.4,
rolled back): the --reuse-values trap is real and found by the preflight, and the role's --reset-then-reuse-values
works. No pod runs (no kubelet): the emulator stands in for the cluster and upgrade_helm.py starts its rollout."""

from __future__ import annotations

import json
import secrets
import subprocess

import pytest
import upgrade_helm
from playbook import REPO_ROOT

UPGRADE = REPO_ROOT / 'playbooks' / 'upgrade.yml'
JUDGE = 'community.camunda.upgrade : Judge the run'


def helm(helm_bin, kube_api, namespace, *args, check=True):
    result = subprocess.run([str(helm_bin), f'--kubeconfig={kube_api.kubeconfig}', '--namespace', namespace, *args],
                            capture_output=True, text=True, check=False, timeout=300)
    assert not check or result.returncode == 0, f'helm {" ".join(args)}: {result.stderr}'
    return result


@pytest.fixture
def installed(helm_bin, kube_api, upstream_dir, emulator):
    namespace = f'camunda-{secrets.token_hex(4)}'
    helm(helm_bin, kube_api, namespace, 'install', 'camunda', str(upstream_dir / 'helm' / 'camunda-platform-13.12.7.tgz'),
         '--create-namespace')
    emulator.admin.set_cluster(version='8.8.3')
    emulator.admin.set_auth('basic')
    yield namespace
    helm(helm_bin, kube_api, namespace, 'uninstall', 'camunda', '--ignore-not-found')


def history(helm_bin, kube_api, namespace):
    answer = helm(helm_bin, kube_api, namespace, 'history', 'camunda', '--output', 'json').stdout
    return [(entry['revision'], entry['chart']) for entry in json.loads(answer)]


def run_upgrade(playbook, tmp_path, emulator, helm_bin, kube_api, upstream_dir, namespace, rollout, **variables):
    shim = upgrade_helm.install(tmp_path / 'shim', None, {}, None)
    extra = dict(camunda_url=emulator.url, camunda_username='demo', camunda_password='demo', verify_deployment='helm',
                 backup_management_url=emulator.management_url, backup_optimize_url=emulator.optimize_url,
                 backup_snapshot_url=emulator.snapshot_url, backup_wait_interval=0, upgrade_to_version='8.9.0',
                 upgrade_helm_chart=str(upstream_dir / 'helm' / 'camunda-platform-14.8.4.tgz'), upgrade_helm_binary=shim,
                 upgrade_helm_kubeconfig=str(kube_api.kubeconfig), upgrade_helm_release_namespace=namespace,
                 upgrade_wait_interval=0, upgrade_wait_timeout=30, upgrade_smoke_timeout=10) | variables
    env = dict(UPGRADE_REAL_HELM=str(helm_bin), UPGRADE_RELEASE_DIR=str(tmp_path / 'shim'), UPGRADE_REAL_RELEASE='1',
               UPGRADE_EMULATOR_URL=emulator.url, UPGRADE_ROLLOUT=json.dumps(rollout))
    run = playbook(UPGRADE, extra_vars=extra, env=env)
    run.result = run.task(JUDGE)['ansible_facts']['upgrade_result']
    return run


def test_the_reuse_values_trap_is_real_and_the_role_upgrades_the_way_that_works(
        installed, playbook, tmp_path, emulator, helm_bin, kube_api, upstream_dir):
    target = str(upstream_dir / 'helm' / 'camunda-platform-14.8.4.tgz')
    storage = tmp_path / 'storage.yaml'
    storage.write_text('orchestration: {data: {secondaryStorage: {type: elasticsearch}}}\n')
    trap = helm(helm_bin, kube_api, installed, 'upgrade', 'camunda', target, '--reuse-values', f'--values={storage}',
                check=False)
    assert trap.returncode != 0 and 'extraConfiguration' in trap.stderr   # what the preflight predicts, for real
    assert history(helm_bin, kube_api, installed) == [(1, 'camunda-platform-13.12.7')]

    run = run_upgrade(playbook, tmp_path, emulator, helm_bin, kube_api, upstream_dir, installed, {'to_version': '8.9.0'},
                      upgrade_helm_release_namespace=installed)
    assert run.rc == 0, run.output
    assert run.result['outcome'] == 'upgraded' and run.result['chart_before'] == 'camunda-platform-13.12.7'
    assert 'reuse_values_trap' in {f['id'] for f in run.result['findings']}
    assert history(helm_bin, kube_api, installed)[-1] == (2, 'camunda-platform-14.8.4')


def test_no_broker_on_the_new_version_rolls_the_real_release_back(
        installed, playbook, tmp_path, emulator, helm_bin, kube_api, upstream_dir):
    run = run_upgrade(playbook, tmp_path, emulator, helm_bin, kube_api, upstream_dir, installed,
                      {'to_version': '8.9.0', 'stuck': [0, 1, 2]}, upgrade_wait_timeout=2, upgrade_helm_rollback=True,
                      upgrade_backup=False)
    assert run.rc != 0 and run.result['stopped_at'] == 'wait' and 'was run' in run.result['way_back']
    assert history(helm_bin, kube_api, installed)[-2:] == [(2, 'camunda-platform-14.8.4'), (3, 'camunda-platform-13.12.7')]
