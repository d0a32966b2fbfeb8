# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade role on Docker Compose through ansible-playbook: a project made from camunda-distributions' 8.8
lightweight folder, its cluster (emulator) on the folder's 8.8 version, upgraded with the 8.9 folder as the target:
check mode first, then the run (backup, the target image versions into the project's .env with the old one kept,
`docker compose up`), a second run that changes nothing, a skipped minor refused before anything is written, and an
`up` that fails after the .env was written. The real docker-compose renders the real upstream folders;
upgrade_compose.py stands in for the Docker engine and starts the emulator's rolling upgrade where the containers
would restart."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest
import upgrade_compose
from upgrade_runs import JUDGE, UPGRADE, backup_writes, play_vars


@pytest.fixture
def project(tmp_path, emulator, upstream_dir, docker_compose_bin):
    """A Compose project made from the 8.8 folder, running (emulator) the folder's 8.8 version; returns a runner."""
    folder = tmp_path / 'project'
    shutil.copytree(upstream_dir / 'compose' / 'camunda-8.8', folder)
    target = upstream_dir / 'compose' / 'camunda-8.9'
    # One orchestration container with Camunda's default cluster (the folder sets no cluster size): one broker.
    emulator.admin.set_cluster(
        version=upgrade_compose.env_version(folder), brokers=1, partitions=1, replication_factor=1
    )
    emulator.admin.set_auth('none')  # the lightweight folder's REST API is unprotected
    engine = tmp_path / 'engine'
    docker = upgrade_compose.install(engine, folder, docker_compose_bin)
    env = dict(
        UPGRADE_REAL_DOCKER_COMPOSE=str(docker_compose_bin),
        UPGRADE_COMPOSE_DIR=str(engine),
        UPGRADE_EMULATOR_URL=emulator.url,
    )

    def run(playbook, check=False, diff=False, verbosity=0, rollout=None, up_error=None, **variables):
        extra = (
            dict(
                **play_vars(emulator, 'docker_compose'),
                upgrade_to_version=upgrade_compose.env_version(target),
                upgrade_compose_project_dir=str(folder),
                upgrade_compose_target_dir=str(target),
                upgrade_compose_binary=docker,
                upgrade_compose_config_binary=str(docker_compose_bin),
                upgrade_report_path=str(tmp_path / 'report.md'),
            )
            | variables
        )
        outcome = playbook(
            UPGRADE,
            extra_vars=extra,
            check=check,
            diff=diff,
            verbosity=verbosity,
            env=env | dict(UPGRADE_ROLLOUT=json.dumps(rollout or {}), UPGRADE_COMPOSE_UP_ERROR=up_error or ''),
        )
        outcome.result = outcome.task(JUDGE)['ansible_facts']['upgrade_result']
        outcome.report = (tmp_path / 'report.md').read_text()
        outcome.docker_calls = upgrade_compose.state(engine)['calls']
        return outcome

    run.folder, run.target, run.compose = folder, target, docker_compose_bin
    return run


def images(compose, folder):
    """{service: image} of the project as the real docker-compose renders it (its .env included)."""
    rendered = subprocess.run(
        [
            str(compose),
            '--project-directory',
            str(folder),
            '-f',
            str(folder / 'docker-compose.yaml'),
            'config',
            '--format',
            'json',
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return {name: spec['image'] for name, spec in json.loads(rendered.stdout)['services'].items()}


def env_copies(folder):
    return sorted(path.name for path in folder.glob('.env.before-*'))


def secrets_of(folder):
    """The .env's passwords and secrets (the upstream demo values): none may show in the output."""
    pairs = [
        line.split('=', 1)
        for line in (folder / '.env').read_text().splitlines()
        if '=' in line and not line.startswith('#')
    ]
    return [value for name, value in pairs if any(word in name for word in ('PASSWORD', 'SECRET')) and len(value) > 6]


def test_88_to_89_check_mode_first_then_the_run_then_a_second_run_that_changes_nothing(project, emulator, playbook):
    env_before = (project.folder / '.env').read_text()
    old, new = upgrade_compose.env_version(project.folder), upgrade_compose.env_version(project.target)
    assert images(project.compose, project.folder)['orchestration'] == f'camunda/camunda:{old}'

    predicted = project(playbook, check=True).assert_ok()
    assert predicted.result['outcome'] == 'predicted'
    backup, apply, *rest = predicted.result['would_run']
    assert backup == 'backup' and rest == ['wait', 'verify']
    assert f'CAMUNDA_VERSION {old} -> {new}' in apply and 'docker compose up --detach' in apply
    assert (project.folder / '.env').read_text() == env_before and env_copies(project.folder) == []
    assert predicted.docker_calls == [] and backup_writes(emulator) == []

    run = project(playbook, verbosity=4, diff=True).assert_ok()  # .env passwords: never shown, not even as a diff
    result = run.result
    assert result['outcome'] == 'upgraded' and result['version_before'] == old and result['version_after'] == new
    assert [s['step'] for s in result['steps']] == ['preflight', 'backup', 'apply', 'wait', 'verify']
    assert result['backup_id'] is not None and result['changed'] is True
    # Backup first: the backup was taken before the .env was written and the containers recreated.
    [up] = run.docker_calls
    assert up[0] == 'compose' and up[-2:] == ['up', '--detach'] and '--project-directory' in up
    assert images(project.compose, project.folder)['orchestration'] == f'camunda/camunda:{new}'
    assert images(project.compose, project.folder)['connectors'].endswith(
        ':' + upgrade_compose.env_version(project.target, 'CAMUNDA_CONNECTORS_VERSION')
    )
    [copy] = env_copies(project.folder)
    assert (project.folder / copy).read_text() == env_before
    assert copy in result['steps'][2]['detail'] and copy in run.report
    # Only the version lines changed: the project's own settings stay as they were.
    target_lines = set((project.target / '.env').read_text().splitlines())
    written = set((project.folder / '.env').read_text().splitlines()) - set(env_before.splitlines())
    assert f'CAMUNDA_VERSION={new}' in written and written <= target_lines
    assert all(line.startswith('CAMUNDA') and '_VERSION=' in line for line in written)
    assert len((project.folder / '.env').read_text().splitlines()) == len(env_before.splitlines())
    topology = emulator.admin.state()['topology']
    assert {b['version'] for b in topology['brokers']} == {new}
    assert {'compose_new_settings', 'compose_removed_settings'} <= {f['id'] for f in result['findings']}
    for secret in secrets_of(project.folder):
        assert secret not in run.output and secret not in run.report

    again = project(playbook).assert_ok()
    assert again.result['outcome'] == 'unchanged' and again.result['changed'] is False
    assert again.docker_calls == [up] and env_copies(project.folder) == [copy]


def test_a_skipped_minor_is_refused_before_anything_is_written(project, emulator, playbook, upstream_dir):
    env_before = (project.folder / '.env').read_text()
    target = upstream_dir / 'compose' / 'camunda-8.10'
    run = project(playbook, upgrade_compose_target_dir=str(target), upgrade_to_version='8.10.0')
    assert run.rc != 0 and run.result['stopped_at'] == 'preflight' and 'skips 8.9' in run.result['msg']
    assert (project.folder / '.env').read_text() == env_before and env_copies(project.folder) == []
    assert run.docker_calls == [] and backup_writes(emulator) == []


def test_an_up_that_fails_after_the_env_was_written_says_what_was_applied_and_the_way_back(project, emulator, playbook):
    env_before = (project.folder / '.env').read_text()
    run = project(
        playbook, up_error='Error response from daemon: pull access denied for camunda/camunda', upgrade_backup=False
    )
    assert run.rc != 0 and run.result['stopped_at'] == 'apply' and run.result['changed'] is True
    [copy] = env_copies(project.folder)
    assert (project.folder / copy).read_text() == env_before
    assert 'pull access denied' in run.result['failure'] and 'written to' in run.result['failure']
    assert 'docker compose up failed' in run.result['failure']
    assert 'data did not migrate' in run.result['way_back'] and copy in run.result['way_back']
    assert 'up --detach' in run.result['way_back']
    for secret in secrets_of(project.folder):
        assert secret not in run.output and secret not in run.report


def test_a_smoke_test_failing_after_the_containers_ran_the_new_version_names_the_backup_and_the_old_env(
    project, emulator, playbook
):
    run = project(playbook, rollout={'smoke_fails': True}, upgrade_smoke_timeout=2)
    assert run.rc != 0 and run.result['stopped_at'] == 'verify'
    way_back = run.result['way_back']
    assert 'Camunda does not support downgrades' in way_back and f'backup {run.result["backup_id"]}' in way_back
    [copy] = env_copies(project.folder)
    assert f'the old .env is {project.folder / copy}' in way_back and 'data did not migrate' not in way_back


def test_the_role_names_the_options_compose_needs(playbook, emulator):
    run = playbook(
        UPGRADE,
        extra_vars=dict(camunda_url=emulator.url, upgrade_deployment='docker_compose', upgrade_to_version='8.9.0'),
    )
    assert run.rc != 0 and 'upgrade_compose_project_dir' in run.output and 'upgrade_compose_target_dir' in run.output
