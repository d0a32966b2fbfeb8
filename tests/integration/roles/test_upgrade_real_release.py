# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade role on a real release in a real kube-apiserver (helm 4, chart 13.12.7 installed, upgraded to 14.8.4,
rolled back), applied through kubernetes.core.helm 6.6.0 (make tools) and through the helm command: the
--reuse-values trap is real and found by the preflight, and both ways upgrade with --reset-then-reuse-values, keeping
the user's own values. No pod runs (no kubelet): the emulator stands in for the cluster and upgrade_helm.py starts
its rollout after `helm upgrade` (kubernetes.core.helm calls it through binary_path)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess

import pytest
import upgrade_helm
import yaml
from playbook import COLLECTIONS_DIR
from upgrade_runs import JUDGE, UPGRADE, backup_writes, play_vars

# The user's own values: those the release was installed with (a password among them: kubernetes.core.helm returns
# the release's values, which must never show), one in a values file given to the upgrade.
SECRET = 'demo-pa55-7c1e9a'
INSTALLED_VALUES = {
    'orchestration': {
        'podLabels': {'team': 'payments'},
        'security': {
            'initialization': {
                'users': [{'username': 'demo', 'password': SECRET, 'name': 'Demo', 'email': 'demo@example.com'}]
            }
        },
    }
}
UPGRADE_VALUES = {'orchestration': {'podAnnotations': {'owner': 'ops'}}}


def helm(helm_bin, kube_api, namespace, *args, check=True):
    result = subprocess.run(
        [str(helm_bin), f'--kubeconfig={kube_api.kubeconfig}', '--namespace', namespace, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert not check or result.returncode == 0, f'helm {" ".join(args)}: {result.stderr}'
    return result


@pytest.fixture
def installed(helm_bin, kube_api, upstream_dir, emulator, tmp_path):
    namespace = f'camunda-{secrets.token_hex(4)}'
    values = tmp_path / 'installed-values.yaml'
    values.write_text(yaml.safe_dump(INSTALLED_VALUES))
    helm(
        helm_bin,
        kube_api,
        namespace,
        'install',
        'camunda',
        str(upstream_dir / 'helm' / 'camunda-platform-13.12.7.tgz'),
        '--create-namespace',
        f'--values={values}',
    )
    emulator.admin.set_cluster(version='8.8.3')
    emulator.admin.set_auth('basic')
    yield namespace
    helm(helm_bin, kube_api, namespace, 'uninstall', 'camunda', '--ignore-not-found')


def history(helm_bin, kube_api, namespace):
    answer = helm(helm_bin, kube_api, namespace, 'history', 'camunda', '--output', 'json').stdout
    return [(entry['revision'], entry['chart']) for entry in json.loads(answer)]


def values(helm_bin, kube_api, namespace):
    return json.loads(helm(helm_bin, kube_api, namespace, 'get', 'values', 'camunda', '--output', 'json').stdout)


def collections(*folders):
    """The playbook's collections: this one, then the given folders (kubernetes.core's)."""
    return {'ANSIBLE_COLLECTIONS_PATH': os.pathsep.join([str(COLLECTIONS_DIR), *map(str, folders)])}


@pytest.fixture
def upgrade(playbook, tmp_path, emulator, helm_bin, kube_api, upstream_dir):
    """A runner of the upgrade playbook against the release in a namespace, through the helm shim (its calls kept)."""

    def run(namespace, collections_env, rollout=None, check=False, verbosity=0, **variables):
        shim = upgrade_helm.install(tmp_path / 'shim', None, {}, None)
        extra = (
            dict(
                **play_vars(emulator, 'helm'),
                camunda_username='demo',
                camunda_password='demo',
                upgrade_to_version='8.9.0',
                upgrade_helm_chart=str(upstream_dir / 'helm' / 'camunda-platform-14.8.4.tgz'),
                upgrade_helm_binary=shim,
                upgrade_helm_kubeconfig=str(kube_api.kubeconfig),
                upgrade_helm_release_namespace=namespace,
            )
            | variables
        )
        env = (
            dict(
                UPGRADE_REAL_HELM=str(helm_bin),
                UPGRADE_RELEASE_DIR=str(tmp_path / 'shim'),
                UPGRADE_REAL_RELEASE='1',
                UPGRADE_EMULATOR_URL=emulator.url,
                UPGRADE_ROLLOUT=json.dumps(rollout or {'to_version': '8.9.0'}),
            )
            | collections_env
        )
        outcome = playbook(UPGRADE, extra_vars=extra, env=env, check=check, verbosity=verbosity)
        outcome.result = outcome.task(JUDGE)['ansible_facts']['upgrade_result']
        outcome.helm_calls = upgrade_helm.release(tmp_path / 'shim')['calls']
        return outcome

    return run


@pytest.mark.parametrize('apply_with', ['module', 'cli'])
def test_the_reuse_values_trap_is_real_and_the_role_upgrades_the_way_that_works(
    installed, upgrade, tmp_path, helm_bin, kube_api, upstream_dir, kubernetes_core_dir, apply_with
):
    target = str(upstream_dir / 'helm' / 'camunda-platform-14.8.4.tgz')
    storage = tmp_path / 'storage.yaml'
    storage.write_text('orchestration: {data: {secondaryStorage: {type: elasticsearch}}}\n')
    trap = helm(
        helm_bin,
        kube_api,
        installed,
        'upgrade',
        'camunda',
        target,
        '--reuse-values',
        f'--values={storage}',
        check=False,
    )
    assert trap.returncode != 0 and 'extraConfiguration' in trap.stderr  # what the preflight predicts, for real
    assert history(helm_bin, kube_api, installed) == [(1, 'camunda-platform-13.12.7')]

    user_file = tmp_path / 'user-values.yaml'
    user_file.write_text(yaml.safe_dump(UPGRADE_VALUES))
    run = upgrade(
        installed,
        collections(kubernetes_core_dir),
        upgrade_apply_with=apply_with,
        upgrade_helm_values_files=[str(user_file)],
        verbosity=4,
    )
    assert run.rc == 0, run.output
    assert SECRET not in run.output
    assert run.result['outcome'] == 'upgraded' and run.result['chart_before'] == 'camunda-platform-13.12.7'
    assert 'reuse_values_trap' in {f['id'] for f in run.result['findings']}
    assert history(helm_bin, kube_api, installed) == [(1, 'camunda-platform-13.12.7'), (2, 'camunda-platform-14.8.4')]
    kept = values(helm_bin, kube_api, installed)['orchestration']
    assert kept['data']['secondaryStorage']['type'] == 'elasticsearch'
    assert kept['podLabels'] == {'team': 'payments'} and kept['podAnnotations'] == {'owner': 'ops'}
    assert kept['security'] == INSTALLED_VALUES['orchestration']['security']
    [upgrade] = [call for call in run.helm_calls if call[0] == 'upgrade']
    # kubernetes.core.helm upgrades with `upgrade -i`; the role's command without it. Both reset, then reuse.
    assert upgrade[1:2] == (['-i'] if apply_with == 'module' else ['camunda'])
    assert (
        '--reset-then-reuse-values' in upgrade and '--reset-values' not in upgrade and '--reuse-values' not in upgrade
    )
    apply = next(step for step in run.result['steps'] if step['step'] == 'apply')
    assert apply['detail'].startswith('kubernetes.core.helm' if apply_with == 'module' else 'helm upgrade')


def test_a_target_chart_that_refuses_the_values_leaves_the_real_release_untouched(
    installed, upgrade, emulator, helm_bin, kube_api, kubernetes_core_dir
):
    before = values(helm_bin, kube_api, installed)
    run = upgrade(
        installed,
        collections(kubernetes_core_dir),
        upgrade_helm_set_values={'orchestration': {'extraConfiguration': {'bad': 'object'}}},
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'preflight'
    assert 'refuses orchestration.extraConfiguration' in run.result['msg']
    assert 'upgrade' not in [call[0] for call in run.helm_calls] and backup_writes(emulator) == []
    assert history(helm_bin, kube_api, installed) == [(1, 'camunda-platform-13.12.7')]
    assert values(helm_bin, kube_api, installed) == before == INSTALLED_VALUES


def test_no_broker_on_the_new_version_rolls_the_real_release_back(
    installed, upgrade, helm_bin, kube_api, kubernetes_core_dir
):
    run = upgrade(
        installed,
        collections(kubernetes_core_dir),
        rollout={'to_version': '8.9.0', 'stuck': [0, 1, 2]},
        upgrade_wait_timeout=2,
        upgrade_helm_rollback=True,
        upgrade_backup=False,
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'wait' and 'was run' in run.result['way_back']
    assert history(helm_bin, kube_api, installed)[-2:] == [
        (2, 'camunda-platform-14.8.4'),
        (3, 'camunda-platform-13.12.7'),
    ]
    # Applied through kubernetes.core.helm, rolled back with the helm command (kubernetes.core has no rollback).
    changes = [call[:2] for call in run.helm_calls if call[0] in ('upgrade', 'rollback')]
    assert changes == [['upgrade', '-i'], ['rollback', 'camunda']]
    assert values(helm_bin, kube_api, installed) == INSTALLED_VALUES


@pytest.mark.parametrize('check', [False, True])
def test_an_older_kubernetes_core_meeting_helm_4_stops_before_the_backup_and_the_apply(
    upgrade, tmp_path, emulator, kubernetes_core_dir, check
):
    """kubernetes.core before 6.4.0 does not work with helm 4: named in the preflight, in check mode too."""
    older = tmp_path / 'older-collections'
    shutil.copytree(kubernetes_core_dir / 'ansible_collections', older / 'ansible_collections')
    manifest = older / 'ansible_collections' / 'kubernetes' / 'core' / 'MANIFEST.json'
    content = json.loads(manifest.read_text())
    content['collection_info']['version'] = '6.3.0'  # the version the role reads; the code is 6.6.0's
    manifest.write_text(json.dumps(content))
    emulator.admin.set_cluster(version='8.8.3')
    run = upgrade(
        'camunda-untouched',
        collections(older),
        check=check,
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'preflight'
    assert 'kubernetes.core 6.3.0 does not support helm 4' in run.result['msg']
    assert 'helm 4 needs kubernetes.core 6.4.0 or later' in run.result['msg']
    assert 'requirements.yml' in run.result['msg'] and 'set upgrade_apply_with to cli' in run.result['msg']
    # Only helm's version was read: no release read, no backup, no upgrade.
    assert [call[0] for call in run.helm_calls] == ['version'] and backup_writes(emulator) == []


def test_without_kubernetes_core_the_preflight_names_the_module_and_the_fix(upgrade, emulator):
    emulator.admin.set_cluster(version='8.8.3')
    run = upgrade(
        'camunda-untouched',
        collections(),
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'preflight'
    assert 'kubernetes.core (its module kubernetes.core.helm) is not installed' in run.result['msg']
    assert 'set upgrade_apply_with to cli' in run.result['msg']
    assert [call[0] for call in run.helm_calls] == ['version'] and backup_writes(emulator) == []


def test_an_upgrade_the_api_server_refuses_is_counted_as_applied_and_rolled_back(
    installed, upgrade, helm_bin, kube_api, kubernetes_core_dir
):
    """The chart renders (the preflight passes), the kube-apiserver refuses a resource: helm records a failed revision."""
    run = upgrade(
        installed,
        collections(kubernetes_core_dir),
        upgrade_helm_set_values={'orchestration': {'podLabels': {'not a label!': 'x'}}},
        upgrade_helm_rollback=True,
        upgrade_backup=False,
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'apply' and run.result['changed'] is True, run.output
    assert 'helm recorded revision 2 (failed)' in run.result['failure'], run.result['failure']
    assert 'was run' in run.result['way_back']
    assert history(helm_bin, kube_api, installed) == [
        (1, 'camunda-platform-13.12.7'),
        (2, 'camunda-platform-14.8.4'),
        (3, 'camunda-platform-13.12.7'),
    ]
    assert values(helm_bin, kube_api, installed) == INSTALLED_VALUES
