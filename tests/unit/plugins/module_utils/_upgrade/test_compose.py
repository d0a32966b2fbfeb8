# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Compose project's .env against the target folder's (pure); docker-compose config's answers."""

from __future__ import annotations

import json

from ansible_collections.community.camunda.plugins.module_utils._upgrade import compose


def test_env_files_are_read_as_compose_reads_them(tmp_path):
    (tmp_path / '.env').write_text('# comment\nCAMUNDA_VERSION=8.8.3\nexport HOST="localhost"\n\nEMPTY=\n')
    assert compose.read_env(str(tmp_path)) == {'CAMUNDA_VERSION': '8.8.3', 'HOST': 'localhost', 'EMPTY': ''}
    assert compose.read_env(str(tmp_path / 'missing')) == {}


def test_versions_added_and_removed_settings_and_the_wrong_folder():
    project = {'CAMUNDA_VERSION': '8.8.3', 'CAMUNDA_IDENTITY_CLIENT_SECRET': 'x', 'HOST': 'h'}
    target = {'CAMUNDA_VERSION': '8.9.17', 'ORCHESTRATION_CONFIG_FILE': 'application-h2.yaml', 'HOST': 'h'}
    facts, findings = compose.judge_env(project, target, '8.9.17')
    assert facts == {
        'versions': {'CAMUNDA_VERSION': {'current': '8.8.3', 'target': '8.9.17'}},
        'changes': [{'name': 'CAMUNDA_VERSION', 'current': '8.8.3', 'target': '8.9.17'}],
        'added': ['ORCHESTRATION_CONFIG_FILE'],
        'removed': ['CAMUNDA_IDENTITY_CLIENT_SECRET'],
    }
    assert [f['id'] for f in findings] == ['compose_image_versions', 'compose_new_settings', 'compose_removed_settings']
    assert 'CAMUNDA_VERSION 8.8.3 -> 8.9.17' in findings[0]['message']
    _facts, wrong = compose.judge_env(project, target, '8.10.0')
    assert wrong[0]['id'] == 'compose_target_other_minor' and wrong[0]['severity'] == 'error'
    _facts, other_patch = compose.judge_env(project, target, '8.9.0')
    assert other_patch[0]['id'] == 'compose_target_other_patch' and other_patch[0]['severity'] == 'error'
    assert 'Set the target version to 8.9.17' in other_patch[0]['fix']


def test_a_version_already_at_the_target_is_no_change():
    project = {'CAMUNDA_VERSION': '8.8.3', 'CAMUNDA_CONNECTORS_VERSION': '8.9.4'}
    target = {'CAMUNDA_VERSION': '8.9.17', 'CAMUNDA_CONNECTORS_VERSION': '8.9.4', 'CAMUNDA_OPTIMIZE_VERSION': '8.9.2'}
    facts, _findings = compose.judge_env(project, target, '8.9.17')
    assert facts['changes'] == [
        {'name': 'CAMUNDA_OPTIMIZE_VERSION', 'current': None, 'target': '8.9.2'},
        {'name': 'CAMUNDA_VERSION', 'current': '8.8.3', 'target': '8.9.17'},
    ]


def test_images_from_docker_compose_config_and_its_refusal():
    def config(argv):
        assert argv[:3] == ['dc', '--project-directory', '/p'] and argv[-3:] == ['config', '--format', 'json']
        return (
            0,
            json.dumps({'services': {'orchestration': {'image': 'camunda/camunda:8.8.3'}, 'x': {'build': '.'}}}),
            '',
        )

    assert compose.images('dc', '/p', ['docker-compose.yaml'], config) == (
        {'orchestration': 'camunda/camunda:8.8.3'},
        None,
    )
    assert compose.images(
        'dc', '/p', ['a.yaml'], lambda argv: (1, '', 'boom\nservice "x" refers to undefined volume')
    ) == ({}, 'service "x" refers to undefined volume')


def test_the_project_rendered_with_the_target_versions_over_its_env(tmp_path):
    (tmp_path / '.env').write_text('CAMUNDA_VERSION=8.8.3\nPOSTGRES_PASSWORD=p4ss-w0rd\n')
    versions = {
        'CAMUNDA_VERSION': {'current': '8.8.3', 'target': '8.9.17'},
        'CAMUNDA_IDENTITY_VERSION': {'current': '8.9.8', 'target': '8.9.8'},
    }
    seen = {}

    def config(argv):
        env_files = [argv[i + 1] for i, arg in enumerate(argv) if arg == '--env-file']
        seen['own'], seen['targets'] = env_files[0], open(env_files[1], encoding='utf-8').read()
        return 0, json.dumps({'services': {'orchestration': {'image': 'camunda/camunda:8.9.17'}}}), ''

    planned, error = compose.planned_images('dc', str(tmp_path), ['docker-compose.yaml'], versions, config)
    assert (planned, error) == ({'orchestration': 'camunda/camunda:8.9.17'}, None)
    # the project's .env first, then only the lines that change: no secret copied anywhere
    assert seen == {'own': str(tmp_path / '.env'), 'targets': 'CAMUNDA_VERSION=8.9.17\n'}
    assert compose.judge_planned(planned, versions) == []
    [pinned] = compose.judge_planned({'orchestration': 'camunda/camunda:8.8.3'}, versions)
    assert pinned['id'] == 'compose_images_not_from_env' and pinned['severity'] == 'error'
