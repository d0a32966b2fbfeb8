# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The target chart's judging that needs no helm: unknown keys, refusal messages, the Helm CLI, the minor."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._upgrade import helm_chart

CHART = dict(name='camunda-platform', version='14.8.4', app_version='8.9.x', helm_major=3)


def test_unknown_keys_are_judged_only_where_the_chart_has_a_non_empty_map():
    defaults = {
        'orchestration': {'enabled': True, 'env': [], 'podLabels': {}, 'data': {'secondaryStorage': {'type': ''}}},
        'global': {'image': {'tag': None}},
    }
    values = {
        'orchestration': {
            'env': [{'name': 'A'}],
            'podLabels': {'team': 'x'},
            'legacy': 1,
            'data': {'secondaryStorage': {'type': 'rdbms', 'old': True}},
        },
        'zeebe': {'clusterSize': 3},
        'elasticsearch': {'anything': 1},
        'global': {'image': {'tag': '8.8.3'}},
    }
    assert helm_chart.unknown_keys(values, defaults, ['elasticsearch']) == [
        'orchestration.legacy',
        'orchestration.data.secondaryStorage.old',
        'zeebe',
    ]


def test_refusals_read_schema_violations_and_the_chart_fail_constraints():
    schema = (
        "Error: values don't meet the specifications of the schema(s) in the following chart(s):\n"
        "camunda-platform:\n- at '/orchestration/extraConfiguration': got object, want array\n"
        "- at '/identity/extraConfiguration': got object, want array\n"
    )
    assert helm_chart.refusals(schema) == [
        ('/orchestration/extraConfiguration', 'got object, want array'),
        ('/identity/extraConfiguration', 'got object, want array'),
    ]
    fail = (
        'Error: execution error at (camunda-platform/templates/common/constraints.tpl:32:6): Please configure an '
        'expected secondary storage type under `orchestration.data.secondaryStorage.type`'
    )
    [(where, said)] = helm_chart.refusals(fail)
    assert where.startswith('camunda-platform/templates/common/constraints.tpl') and said.startswith('Please configure')
    assert helm_chart.refusals('Error: something else went wrong\n') == [('helm', 'Error: something else went wrong')]
    found = helm_chart.judge_refusals(helm_chart.refusals(schema), CHART)
    assert [f['id'] for f in found] == ['chart_schema_refusal'] * 2
    assert 'refuses orchestration.extraConfiguration: got object, want array' in found[0]['message']


def test_the_helm_cli_major_comes_from_the_chart_constraint():
    needs_4 = dict(CHART, version='15.0.0-alpha4', helm_major=4)
    assert [f['id'] for f in helm_chart.judge_helm_cli(needs_4, 'v3.19.0')] == ['helm_cli_too_old']
    assert helm_chart.judge_helm_cli(needs_4, 'v4.3.2') == []
    assert helm_chart.judge_helm_cli(CHART, 'v3.19.0') == []
    assert [f['id'] for f in helm_chart.judge_helm_cli(CHART, 'helm: not found')] == ['helm_cli_unknown']


def test_the_chart_must_deploy_the_target_minor():
    assert helm_chart.judge_chart_target(CHART, '8.9.2') == []
    [other] = helm_chart.judge_chart_target(CHART, '8.10.0')
    assert other['id'] == 'chart_other_minor' and '8.9.x, not 8.10.0' in other['message']


def test_a_missing_binary_is_a_result_not_a_traceback():
    rc, _out, err = helm_chart.run_command(['/nonexistent/helm', 'version'])
    assert rc == 127 and 'No such file' in err
