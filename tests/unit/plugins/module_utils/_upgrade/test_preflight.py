# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The preflight core's judging of a topology and of the helm answers (a scripted runner stands in for helm here;
the real helm on the real charts is tests/integration/plugins/modules/test_camunda_upgrade_preflight.py)."""

from __future__ import annotations

import io
import json
import tarfile

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._upgrade import preflight

SCHEMA_REFUSAL = (
    "Error: values don't meet the specifications of the schema(s) in the following chart(s):\n"
    "camunda-platform:\n- at '/orchestration/extraConfiguration': got object, want array\n"
)
PASSWORD = 's3cret-value-91'


def chart_package(tmp_path, app_version='8.9.x', constraint=''):
    path = tmp_path / 'chart.tgz'
    files = {
        'camunda-platform/Chart.yaml': f'name: camunda-platform\nversion: 14.8.4\nappVersion: {app_version}\n',
        'camunda-platform/values.yaml': 'orchestration:\n  enabled: true\n  env: []\n',
        'camunda-platform/templates/common/constraints.tpl': constraint,
        'camunda-platform/charts/elasticsearch/Chart.yaml': 'name: elasticsearch\n',
    }
    with tarfile.open(path, 'w:gz') as archive:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return str(path)


class Helm:
    """Answers like helm: version, get values, and template by ``template(first values document) -> (rc, out, err)``.

    The preflight renders twice side by side, so an answer depends on the values rendered, not on the call order.
    """

    def __init__(self, version='v4.3.2', template=None, values=None, values_all=None):
        self.version = version
        self.values = values or {}
        self.values_all = values_all or {}
        self.template = template or (lambda document: (0, '', ''))
        self.calls = []

    def __call__(self, argv):
        self.calls.append(argv)
        if argv[1] == 'version':
            return 0, self.version, ''
        if argv[1] == 'get':
            return 0, json.dumps(self.values_all if '--all' in argv else self.values), ''
        with open(argv[argv.index('--values') + 1], encoding='utf-8') as handle:
            return self.template(json.load(handle))


def options(tmp_path, **values):
    base = dict(
        target_version='8.9.0',
        deployment='helm',
        helm_binary='helm',
        helm_release='camunda',
        helm_namespace='camunda',
        helm_values_files=[],
        helm_set_values={},
    )
    if 'helm_chart' not in values:
        base['helm_chart'] = chart_package(tmp_path)
    return OptionAdapter.from_dict(base | values)


def test_the_chart_refusal_and_the_unknown_keys_become_findings(tmp_path):
    values_file = tmp_path / 'current.yaml'
    values_file.write_text('zeebe: {a: 1}\nelasticsearch: {x: 1}\n')
    helm = Helm(template=lambda document: (1, '', SCHEMA_REFUSAL))
    facts, findings = preflight.judge_helm(options(tmp_path, helm_current_values_file=str(values_file)), helm)
    assert [f['id'] for f in findings] == ['unknown_value', 'chart_schema_refusal']
    assert findings[0]['message'].startswith('zeebe ')
    assert facts['chart_version'] == '14.8.4' and facts['helm_major_needed'] == 3 and facts['reuse_values_trap'] is None
    assert [call[1] for call in helm.calls] == ['version', 'template']  # a file: the release is not read
    template = helm.calls[1]
    assert template[:4] == ['helm', 'template', 'camunda', options(tmp_path).get('helm_chart')]
    assert template.count('--values') == 2  # the release's values and the added ones


def test_the_reuse_values_trap_is_a_second_render_with_the_computed_values(tmp_path):
    def refuse_the_computed_values(document):
        computed = 'adminPassword' in document['orchestration']
        return (1, '', SCHEMA_REFUSAL + "- at '/x': " + PASSWORD + '\n') if computed else (0, '', '')

    helm = Helm(
        template=refuse_the_computed_values,
        values={'orchestration': {'enabled': True}},
        values_all={'orchestration': {'enabled': True, 'adminPassword': PASSWORD}},
    )
    facts, findings = preflight.judge_helm(options(tmp_path, helm_kubeconfig='/k'), helm)
    assert facts['reuse_values_trap'] is True and [f['id'] for f in findings] == ['reuse_values_trap']
    assert 'orchestration/extraConfiguration' in findings[0]['message']
    assert PASSWORD not in findings[0]['message']  # a refusal quoting a secret value of the release is redacted
    assert sorted(call[1] for call in helm.calls) == ['get', 'get', 'template', 'template', 'version']
    assert '--all' not in helm.calls[1] and '--all' in helm.calls[2]
    assert helm.calls[1][-2:] == helm.calls[2][-2:] == ['--kubeconfig', '/k']


def test_a_release_that_cannot_be_read_is_a_clear_configuration_error(tmp_path):
    def refusing(argv):
        return (0, 'v4.3.2', '') if argv[1] == 'version' else (1, '', 'Error: release: not found')

    with pytest.raises(
        ConfigurationError,
        match='helm get values camunda failed .Error: release: not found.: check '
        'helm_release, helm_namespace and helm_kubeconfig',
    ):
        preflight.judge_helm(options(tmp_path), refusing)


def test_helm_3_against_a_chart_that_needs_4_and_a_missing_helm(tmp_path):
    constraint = '{{- if not (semverCompare ">=4.0.0-0" .Capabilities.HelmVersion.Version) -}}'
    chart = chart_package(tmp_path, constraint=constraint)
    _facts, findings = preflight.judge_helm(options(tmp_path, helm_chart=chart), Helm(version='v3.19.0'))
    assert 'helm_cli_too_old' in [f['id'] for f in findings]

    def absent(argv):
        return 127, '', 'helm: No such file or directory'

    _facts, findings = preflight.judge_helm(options(tmp_path), absent)
    assert [f['id'] for f in findings] == ['helm_cli_unknown']


def test_topology_versions_and_health_are_judged_together():
    topology = {
        'gatewayVersion': '8.8.3',
        'clusterSize': 1,
        'partitionsCount': 1,
        'replicationFactor': 1,
        'brokers': [
            {
                'nodeId': 0,
                'version': '8.8.3',
                'partitions': [{'partitionId': 1, 'role': 'leader', 'health': 'unhealthy'}],
            }
        ],
    }
    current, versions, action, findings = preflight.judge_cluster(
        topology, OptionAdapter.from_dict({'target_version': '8.9.0', 'deployment': 'helm'})
    )
    assert current == '8.8.3' and versions == {'brokers': {0: '8.8.3'}, 'gateway': '8.8.3'} and action == 'minor'
    assert 'cluster_unhealthy' in [f['id'] for f in findings]


def test_secret_values_are_found_for_redaction():
    values = {'a': {'password': PASSWORD, 'name': 'x'}, 'users': [{'clientSecret': 'cs'}], 'existingSecretKey': ''}
    assert sorted(preflight.secret_leaves(values)) == sorted([PASSWORD, 'cs'])
