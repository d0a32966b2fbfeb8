# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Camunda 8 Run folder against the unpacked target's folder: versions, layout, settings, storage, carry-over plan."""

from __future__ import annotations

import c8run_folders
import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._upgrade import c8run

ES_CONFIG = c8run_folders.DEFAULT_CONFIG['8.8']
H2_CONFIG = c8run_folders.DEFAULT_CONFIG['8.9']


def judge(current, target, version='8.9.0', **options):
    return c8run.judge_c8run(
        dict(
            c8run_dir=str(current), c8run_target_dir=str(target), target_version=version, c8run_start_script='start.sh'
        )
        | options
    )


def ids(findings):
    return [f['id'] for f in findings]


def test_88_with_bundled_elasticsearch_to_89_carries_configuration_zeebe_data_and_nothing_else(tmp_path):
    current = c8run_folders.write(tmp_path / 'c8run-8.8', '8.8.3', connectors='8.8.2', elasticsearch='8.17.3')
    target = c8run_folders.write(tmp_path / 'c8run-8.9', '8.9.0', ran=False)
    facts, findings = judge(current, target)
    assert facts['current_version'] == '8.8.3' and facts['target_folder_version'] == '8.9.0'
    assert facts['connectors'] == {'current': '8.8.2', 'target': '8.9.0'}
    assert facts['secondary_storage'] == 'elasticsearch' and facts['h2'] is False
    assert facts['copies'] == [
        {'source': 'configuration/', 'dest': 'configuration/', 'what': 'your configuration'},
        {'source': 'camunda-zeebe-8.8.3/data/', 'dest': 'camunda-zeebe-8.9.0/data/', 'what': 'the Zeebe data'},
    ]
    # 8.9 bundles no Elasticsearch: its data stays where it is, and the finding says what to do
    assert ids(findings) == ['c8run_new_settings', 'c8run_elasticsearch_not_bundled', 'c8run_carry_over']
    assert 'elasticsearch-8.17.3/data' in findings[1]['message'] and findings[1]['severity'] == 'warning'
    assert 'camunda.data.secondary-storage.rdbms.url' in findings[0]['message']
    assert facts['added_settings'] == [
        'camunda.data.secondary-storage.rdbms.url',
        'camunda.data.secondary-storage.rdbms.username',
        'camunda.data.secondary-storage.type',
    ]


def test_both_folders_bundling_elasticsearch_carry_its_data_too(tmp_path):
    current = c8run_folders.write(tmp_path / 'a', '8.8.3', elasticsearch='8.17.3')
    target = c8run_folders.write(tmp_path / 'b', '8.8.5', elasticsearch='8.17.10', ran=False, config=ES_CONFIG)
    facts, findings = judge(current, target, '8.8.5')
    assert facts['copies'][2] == {
        'source': 'elasticsearch-8.17.3/data/',
        'dest': 'elasticsearch-8.17.10/data/',
        'what': 'the Elasticsearch data',
    }
    assert ids(findings) == ['c8run_carry_over']  # same settings, nothing to merge


def test_h2_means_the_stop_deletes_the_zeebe_data_so_only_the_configuration_carries_over(tmp_path):
    current = c8run_folders.write(tmp_path / 'a', '8.9.2', config=H2_CONFIG)
    target = c8run_folders.write(tmp_path / 'b', '8.10.0', ran=False, config=H2_CONFIG)
    facts, findings = judge(current, target, '8.10.0')
    assert facts['h2'] is True and facts['secondary_storage'] == 'rdbms'
    assert facts['copies'] == [{'source': 'configuration/', 'dest': 'configuration/', 'what': 'your configuration'}]
    warning = next(f for f in findings if f['id'] == 'c8run_h2_nothing_carried_over')
    assert warning['severity'] == 'warning' and 'camunda-zeebe-8.9.2/data' in warning['message']
    assert 'starts empty' in warning['message'] and 'Deploy your processes again' in warning['fix']


@pytest.mark.parametrize(
    'config, env, h2',
    [
        (
            {
                'camunda': {
                    'data': {'secondary-storage': {'type': 'rdbms', 'rdbms': {'url': 'jdbc:postgresql://db/camunda'}}}
                }
            },
            '',
            False,
        ),
        (
            {'camunda': {'data': {'secondary-storage': {'rdbms': {'url': 'jdbc:h2:mem:x'}}}}},
            '',
            False,
        ),  # no type: Elasticsearch
        ({'camunda': {'data': {'secondary-storage': {'type': 'elasticsearch'}}}}, '', False),
        (
            {'camunda': {'data': {'secondary-storage': {'type': 'rdbms', 'rdbms': {'url': 'jdbc:postgresql://db/c'}}}}},
            'CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL=JDBC:H2:mem:camunda\n',
            True,
        ),  # .env wins over the file
        (
            {'camunda': {'data': {'secondary-storage': {'type': 'rdbms', 'rdbms': {'url': 'jdbc:h2:file:./d'}}}}},
            'CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL=jdbc:postgresql://db/c\n',
            False,
        ),
    ],
)
def test_the_h2_rule_is_c8runs_own(tmp_path, config, env, h2):
    folder = c8run_folders.write(tmp_path / 'a', '8.9.2', config=config)
    with open(folder / '.env', 'a', encoding='utf-8') as handle:
        handle.write(env)
    assert c8run.storage(str(folder), c8run.read_env(str(folder)))[1] is h2


def test_the_config_file_comes_before_application_yaml(tmp_path):
    folder = c8run_folders.write(tmp_path / 'a', '8.9.2', config=ES_CONFIG)
    (folder / 'my.yaml').write_text(
        'camunda:\n  data:\n    secondary-storage:\n      type: rdbms\n      rdbms:\n        url: jdbc:h2:mem:x\n'
    )
    assert c8run.storage(str(folder), {}, 'my.yaml') == ('rdbms', True)
    assert c8run.storage(str(folder), {}) == ('elasticsearch', False)


def test_a_target_folder_of_another_version_or_incomplete_is_an_error_naming_the_folder(tmp_path):
    current = c8run_folders.write(tmp_path / 'a', '8.8.3', elasticsearch='8.17.3')
    other = c8run_folders.write(tmp_path / 'b', '8.9.1', ran=False)
    _facts, findings = judge(current, other)
    assert findings[0]['id'] == 'c8run_target_other_version' and findings[0]['severity'] == 'error'
    assert str(other) in findings[0]['message'] and '8.9.1' in findings[0]['message']
    broken = c8run_folders.write(tmp_path / 'c', '8.9.0', ran=False, start_script=False)
    (broken / 'camunda-zeebe-8.9.0' / 'lib').rmdir()
    (broken / 'camunda-zeebe-8.9.0').rmdir()
    _facts, findings = judge(current, broken)
    assert findings[0]['id'] == 'c8run_target_incomplete'
    assert 'start.sh, camunda-zeebe-8.9.0' in findings[0]['message']


def test_folders_that_are_not_c8run_folders_are_clear_errors(tmp_path):
    current = c8run_folders.write(tmp_path / 'a', '8.8.3')
    (tmp_path / 'empty').mkdir()
    with pytest.raises(ConfigurationError, match='c8run_target_dir: .* has no .env with CAMUNDA_VERSION'):
        judge(current, tmp_path / 'empty')
    with pytest.raises(ConfigurationError, match='c8run_dir: .* is not a folder'):
        judge(tmp_path / 'missing', current)
    with pytest.raises(ConfigurationError, match='c8run_target_dir is c8run_dir'):
        judge(current, current, '8.8.3')
    (current / 'configuration' / 'application.yaml').write_text('camunda: [unclosed\n')
    with pytest.raises(ConfigurationError, match='cannot be read as YAML'):
        judge(current, c8run_folders.write(tmp_path / 'b', '8.9.0'))


def test_a_target_that_has_run_already_is_refused_unless_nothing_carries_over(tmp_path):
    current = c8run_folders.write(tmp_path / 'a', '8.8.3', elasticsearch='8.17.3')
    used = c8run_folders.write(tmp_path / 'b', '8.9.0', ran=True)
    _facts, findings = judge(current, used)
    refusal = next(f for f in findings if f['id'] == 'c8run_target_has_data')
    assert refusal['severity'] == 'error' and str(used / 'camunda-zeebe-8.9.0' / 'data') in refusal['message']
    h2 = c8run_folders.write(tmp_path / 'c', '8.9.2', config=H2_CONFIG)
    _facts, findings = judge(h2, c8run_folders.write(tmp_path / 'd', '8.10.0', ran=True, config=H2_CONFIG), '8.10.0')
    assert 'c8run_target_has_data' not in ids(findings)
