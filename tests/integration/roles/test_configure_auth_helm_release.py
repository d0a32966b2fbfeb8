# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""configure_auth's Helm path applied for real: helm 4.3.2 against a real Kubernetes API server (kube-apiserver
1.34.4 + etcd 3.6.16 on loopback, no kubelet: pods never run), through the helm CLI and through kubernetes.core.helm
6.6.0, on a release installed first from Camunda's chart 14.8.4 (8.9, CAMUNDA_UPSTREAM_DIR/helm).

`helm get values` shows what the release holds after the role, a second run makes no new revision, and an upgrade
the chart refuses leaves the release as helm reports it (the role says changed, what it applied and what not).
The role's verify step is off here: nothing runs the pods (test_configure_auth.py verifies against stand-ins).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess

import pytest
import yaml

from playbook import COLLECTIONS_DIR
from rendered import chart_path
from role_hosts import CONFIGURE

LINE = '8.9'
RELEASE_VALUES = {'orchestration': {'data': {'secondaryStorage': {'type': 'elasticsearch'}}}}
OPS = {'username': 'ops', 'password': 'ops-password-1', 'name': 'Ops User', 'email': 'ops@example.com'}
CONNECTORS_PASSWORD = 'connectors-password-1'


def helm(helm_bin, kube_api, *args):
    result = subprocess.run(
        [str(helm_bin), f'--kubeconfig={kube_api.kubeconfig}', *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, f'helm {" ".join(args)}: {result.stderr}'
    return result.stdout


class Release:
    def __init__(self, helm_bin, kube_api, namespace, chart):
        self.helm_bin, self.kube_api, self.namespace, self.chart = helm_bin, kube_api, namespace, chart

    def helm(self, *args):
        return helm(self.helm_bin, self.kube_api, '--namespace', self.namespace, *args)

    def values(self):
        return json.loads(self.helm('get', 'values', 'camunda', '--output', 'json'))

    def history(self):
        return [
            (entry['revision'], entry['status'])
            for entry in json.loads(self.helm('history', 'camunda', '--output', 'json'))
        ]


@pytest.fixture
def release(helm_bin, kube_api, upstream_dir, tmp_path):
    """camunda installed from the real 8.9 chart into a namespace of its own (no --wait: no pod ever runs)."""
    namespace = f'camunda-{secrets.token_hex(4)}'
    values = tmp_path / 'release-values.yaml'
    values.write_text(yaml.safe_dump(RELEASE_VALUES))
    installed = Release(helm_bin, kube_api, namespace, chart_path(upstream_dir, LINE))
    installed.helm('install', 'camunda', str(installed.chart), '--create-namespace', f'--values={values}')
    yield installed
    installed.helm('uninstall', 'camunda', '--ignore-not-found')


def role_vars(release, folder, apply_with, **extra):
    return {
        'configure_auth_deployment': 'helm',
        'configure_auth_method': 'basic',
        'configure_auth_apply_with': apply_with,
        'configure_auth_users': [OPS],
        'configure_auth_admin_users': ['ops'],
        'configure_auth_connectors_password': CONNECTORS_PASSWORD,
        'configure_auth_helm_values_file': str(folder / 'camunda-auth-values.yaml'),
        'configure_auth_helm_release_namespace': release.namespace,
        'configure_auth_helm_chart_ref': str(release.chart),
        'configure_auth_helm_kubeconfig': str(release.kube_api.kubeconfig),
        'configure_auth_helm_binary': str(release.helm_bin),
        # --wait would wait for pods that never run here (no kubelet).
        'configure_auth_helm_wait': False,
        'configure_auth_verify': False,
    } | extra


@pytest.fixture
def collections_env(kubernetes_core_dir):
    """The playbook environment's collections: this collection, then kubernetes.core 6.6.0 (make tools)."""
    return {'ANSIBLE_COLLECTIONS_PATH': os.pathsep.join([str(COLLECTIONS_DIR), str(kubernetes_core_dir)])}


def changed_tasks(run):
    return [line['task'] for line in run.results if line['result'].get('changed')]


@pytest.mark.parametrize('apply_with', ['cli', 'module'])
def test_apply_basic_to_a_real_release_then_nothing_changes(playbook, release, tmp_path, collections_env, apply_with):
    # -vvvv: kubernetes.core.helm's result holds the release's values, passwords included.
    run = playbook(
        CONFIGURE, extra_vars=role_vars(release, tmp_path, apply_with), env=collections_env, verbosity=4
    ).assert_ok()
    for secret in (OPS['password'], CONNECTORS_PASSWORD):
        assert secret not in run.output
    values = release.values()
    # --reuse-values: the release keeps what it was installed with and gets the role's two files over it.
    assert values['orchestration']['data'] == RELEASE_VALUES['orchestration']['data']
    security = values['orchestration']['security']
    assert security['authentication'] == {'method': 'basic', 'unprotectedApi': False}
    assert [(user['username'], user['password']) for user in security['initialization']['users']] == [
        ('connectors', CONNECTORS_PASSWORD),
        ('ops', OPS['password']),
    ]
    assert security['initialization']['defaultRoles']['admin'] == {'users': ['ops'], 'clients': []}
    assert values['connectors']['security']['authentication'] == {'method': 'basic'}
    assert release.history() == [(1, 'superseded'), (2, 'deployed')]

    again = playbook(CONFIGURE, extra_vars=role_vars(release, tmp_path, apply_with), env=collections_env).assert_ok()
    assert changed_tasks(again) == []
    assert release.history() == [(1, 'superseded'), (2, 'deployed')], 'the second run made a new revision'


@pytest.mark.parametrize('apply_with', ['cli', 'module'])
def test_an_upgrade_the_chart_refuses_leaves_the_release_as_helm_reports_it(
    playbook, release, tmp_path, collections_env, apply_with
):
    before = release.values()
    # Without --reuse-values only the role's files count, and the 8.9 chart refuses a release without a secondary
    # storage type: helm stops before it changes anything.
    settings = role_vars(release, tmp_path, apply_with, configure_auth_helm_reuse_values=False)
    run = playbook(CONFIGURE, extra_vars=settings, env=collections_env)
    assert run.rc != 0
    assert 'orchestration.data.secondaryStorage.type' in run.output  # helm's own message, passed on
    assert 'was removed, so that the next run writes and applies the settings again' in run.output
    assert not (tmp_path / 'camunda-auth-values.yaml').exists()
    assert release.history() == [(1, 'deployed')]
    assert release.values() == before


def test_an_older_kubernetes_core_meeting_helm_4_is_named_before_anything_is_written(
    playbook, helm_bin, kubernetes_core_dir, tmp_path
):
    """kubernetes.core before 6.4.0 does not work with helm 4 (6.3.0 refuses it, older ones call `helm list --all`)."""
    older = tmp_path / 'older-collections'
    shutil.copytree(kubernetes_core_dir / 'ansible_collections', older / 'ansible_collections')
    manifest = older / 'ansible_collections' / 'kubernetes' / 'core' / 'MANIFEST.json'
    content = json.loads(manifest.read_text())
    content['collection_info']['version'] = '6.3.0'  # the version the role reads; the code is 6.6.0's
    manifest.write_text(json.dumps(content))
    settings = {
        'configure_auth_deployment': 'helm',
        'configure_auth_method': 'basic',
        'configure_auth_apply_with': 'module',
        'configure_auth_users': [OPS],
        'configure_auth_connectors_password': CONNECTORS_PASSWORD,
        'configure_auth_helm_values_file': str(tmp_path / 'camunda-auth-values.yaml'),
        'configure_auth_helm_binary': str(helm_bin),
        'configure_auth_verify': False,
    }
    run = playbook(
        CONFIGURE,
        extra_vars=settings,
        env={'ANSIBLE_COLLECTIONS_PATH': os.pathsep.join([str(COLLECTIONS_DIR), str(older)])},
    )
    assert run.rc != 0
    assert 'kubernetes.core 6.3.0 does not support helm 4' in run.output
    assert 'helm 4 needs kubernetes.core 6.4.0 or later' in run.output
    assert not (tmp_path / 'camunda-auth-values.yaml').exists()
