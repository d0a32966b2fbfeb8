# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a newcomer does from the README: its commands, run as written, in a shell that has nothing set up.

- `make shell`, then `ansible-doc community.camunda.<name>`; and the one-line `export` alternative;
- the README's first example against the services as `make services` starts them;
- the commands `make services` prints, for Basic and OIDC;
- the commands `make demo` prints (secrets in variables, none on the command line);
- `make demo` does not build the Execution Environment tool venv.

Each shell starts from a bare environment (no venv on PATH, no ANSIBLE_* or CAMUNDA_* variables), as a new terminal.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import requests

import services
from demo import add_user, command_lines
from newcomer_shell import README, SERVICES_SCRIPT, bare_shell, readme_block_after, wait_for_file
from playbook import REPO_ROOT


def test_ansible_doc_after_make_shell_and_after_the_export_line(tmp_path):
    block = readme_block_after('one command away')
    commands = [line.split('#')[0].strip() for line in block.splitlines() if line.strip()]
    assert commands == ['make shell', 'ansible-doc community.camunda.camunda_topology']
    in_make_shell = bare_shell(f'echo {commands[1]!r} | make -s shell', tmp_path)
    assert in_make_shell.returncode == 0, in_make_shell.stdout + in_make_shell.stderr
    assert 'COMMUNITY.CAMUNDA.CAMUNDA_TOPOLOGY' in in_make_shell.stdout.upper()
    export = re.search(r'or, in the shell you are in: `([^`]+)`', README.read_text()).group(1)
    with_export = bare_shell(f'{export} && ansible-doc -t lookup community.camunda.camunda_api', tmp_path)
    assert with_export.returncode == 0, with_export.stderr
    without = bare_shell('ansible-doc community.camunda.camunda_topology', tmp_path)
    assert without.returncode != 0  # a new terminal has neither: the README's line is what makes it work


def test_the_readme_first_example_passes_against_make_services(tmp_path, running_services):
    dry_run = subprocess.run(['make', '-n', 'services'], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    assert '--auth none --cluster c8run --port 8080' in dry_run.stdout  # what the example expects
    example = readme_block_after('**C8 Run or Docker Compose**', 'yaml')
    assert 'url: http://localhost:8080' in example and 'expected_cluster_size: 1' in example
    info, _process = running_services('none', 'c8run')
    # The one change: the free port the test services got, where make services listens on 8080.
    (tmp_path / 'check.yml').write_text(example.replace('http://localhost:8080', info['emulator']['url']))
    readme_export = re.search(r'or, in the shell you are in: `([^`]+)`', README.read_text()).group(1)
    run = bare_shell(f'{readme_export} && ansible-playbook {tmp_path / "check.yml"}', tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'TASK [Topology]' in run.stdout and re.search(
        r'localhost +: ok=2 +changed=0 +unreachable=0 +failed=0', run.stdout
    )


@pytest.mark.parametrize(
    'auth, cluster, version, storage',
    [
        ('basic', 'c8run', '8.9', 'rdbms'),
        ('oidc', 'helm', '8.10', 'elasticsearch'),
        ('none', 'c8run', '8.8', 'elasticsearch'),
    ],
)
def test_the_commands_make_services_prints_work_as_printed(tmp_path, running_services, auth, cluster, version, storage):
    info, process = running_services(auth, cluster, version)
    shape = info['cluster_shape']
    assert (shape['version'], shape['api_version'], shape['secondary_storage']) == (
        services.VERSIONS[version] + (storage,)
    )  # the storage a user of that version and kind meets by default
    usage = info['usage']
    assert any(line.startswith('ansible-playbook community.camunda.verify') for line in usage)
    assert any(line.startswith('ansible localhost -m community.camunda.camunda_backup_info') for line in usage)
    run = bare_shell(' && '.join(usage), tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count('failed=0') == 1 and '"healthy": true' in run.stdout
    assert f'"gatewayVersion": "{shape["version"]}"' in run.stdout
    # camunda_backup_info reached the printed management port (and Optimize; the snapshot API only on elasticsearch).
    assert '"backups": []' in run.stdout
    if auth == 'basic':  # logged in as a user whose name is not a secret, so no_log masks nothing of it
        assert 'basic credentials accepted as operator (roles: admin)' in run.stdout
    requests.get(info['emulator']['url'] + '/v2/status', timeout=10).raise_for_status()
    process.send_signal(signal.SIGTERM)
    printed = process.communicate(timeout=30)[0]
    for line in usage:
        assert line in printed  # the summary shows the same lines
    assert f'management port     {info["emulator"]["management_url"]}' in printed
    assert ('snapshot_url=' in ' '.join(usage)) is (storage == 'elasticsearch')


def test_rdbms_needs_8_9_and_the_default_storage_is_what_users_meet():
    assert [
        services.default_storage(version, cluster)
        for version in ('8.8', '8.9', '8.10')
        for cluster in ('c8run', 'helm')
    ] == ['elasticsearch', 'elasticsearch', 'rdbms', 'elasticsearch', 'rdbms', 'elasticsearch']
    refused = subprocess.run(
        [sys.executable, str(SERVICES_SCRIPT), 'up', '--version', '8.8', '--storage', 'rdbms', '--port', '0'],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert refused.returncode == 2 and 'Traceback' not in refused.stderr
    assert refused.stderr.startswith('STORAGE=rdbms needs VERSION=8.9 or later')
    dry_run = subprocess.run(
        ['make', '-n', 'services', 'VERSION=8.10', 'STORAGE=rdbms'],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert '--version 8.10 --storage rdbms' in dry_run.stdout


def _free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_a_second_instance_on_another_port_keeps_its_own_state_and_stopping_it_names_it():
    first_port, second_port = _free_port(), _free_port()
    paths = {port: services.instance_paths(port) for port in (first_port, second_port)}

    def up(port):
        # As make services runs it: only the port given, so each instance uses its default paths.
        return subprocess.Popen(
            [sys.executable, str(SERVICES_SCRIPT), 'up', '--port', str(port)],  # pylint: disable=consider-using-with
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    first = up(first_port)
    try:
        first_info = wait_for_file(paths[first_port][1], first)
        second = up(second_port)
        second_info = wait_for_file(paths[second_port][1], second)
        assert first_info['certs']['ca'] != second_info['certs']['ca']
        first_ca = Path(first_info['certs']['ca']).read_bytes()
        again = subprocess.run(
            [sys.executable, str(SERVICES_SCRIPT), 'up', '--port', str(first_port)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert again.returncode == 2 and f'port {first_port} is taken' in again.stderr
        second.send_signal(signal.SIGTERM)
        stopped = second.communicate(timeout=30)[0]
        assert f'stopped the test services on port {second_port}' in stopped
        assert not paths[second_port][1].exists()
        # The first instance is untouched: its details, its certificates, and it still answers with them.
        assert json.loads(paths[first_port][1].read_text())['pid'] == first_info['pid']
        assert Path(first_info['certs']['ca']).read_bytes() == first_ca
        requests.get(
            first_info['emulator']['tls_url'] + '/v2/status', verify=first_info['certs']['ca'], timeout=10
        ).raise_for_status()
    finally:
        first.send_signal(signal.SIGTERM)
        first.communicate(timeout=30)
        for workdir, _json in paths.values():
            shutil.rmtree(workdir, ignore_errors=True)


def test_the_readme_verify_command_runs_as_written_whatever_python3_comes_first_on_path(tmp_path, running_services):
    command = next(
        line
        for line in readme_block_after('```\nansible-playbook community.camunda.verify -i localhost,').splitlines()
        if line.startswith('ansible-playbook community.camunda.verify -i localhost,')
    )
    info, _process = running_services('none', 'c8run')
    # A broken python3 (and python3.N) first on PATH: interpreter discovery would pick it for the task that writes the report.
    broken = tmp_path / 'broken-bin'
    broken.mkdir()
    for name in ['python3'] + [f'python3.{minor}' for minor in range(8, 15)]:
        (broken / name).write_text('#!/bin/sh\necho "this python3 is broken" >&2\nexit 1\n')
        (broken / name).chmod(0o755)
    report = tmp_path / 'report.md'
    readme_export = re.search(r'or, in the shell you are in: `([^`]+)`', README.read_text()).group(1)
    script = (
        f'{readme_export} && export PATH="{broken}:$PATH" && '
        f'{command.replace("http://localhost:8080", info["emulator"]["url"])} -e verify_report_path={report}'
    )
    run = bare_shell(script, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert report.read_text().startswith('# Camunda verification: ')


def test_the_commands_make_demo_prints_run_as_printed_without_a_secret_on_the_command_line(tmp_path, clean_services):
    emulator = clean_services.emulator
    add_user(emulator, 'operator', 'operator-Pw-7')  # as the demo does
    emulator.admin.set_auth('basic')
    settings = dict(
        camunda_url=emulator.url,
        verify_deployment='helm',
        camunda_auth_method='basic',
        camunda_username='operator',
        camunda_password='operator-Pw-7',
    )
    lines = command_lines(settings)
    assert lines[:-1] == ['export CAMUNDA_BASIC_AUTH_PASSWORD=operator-Pw-7']
    assert 'operator-Pw-7' not in lines[-1] and lines[-1].startswith(
        'ansible-playbook playbooks/verify.yml -i localhost,'
    )
    readme_export = re.search(r'or, in the shell you are in: `([^`]+)`', README.read_text()).group(1)
    run = bare_shell(' && '.join([readme_export] + lines), tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'basic credentials accepted as operator' in run.stdout


def test_make_demo_says_first_what_it_does_and_builds_only_what_it_runs():
    # As a user's shell runs make: under `make test` the outer make's MAKEFLAGS and MAKELEVEL would add its own flags
    # and 'Entering directory' lines.
    environ = {name: value for name, value in os.environ.items() if name not in ('MAKEFLAGS', 'MFLAGS', 'MAKELEVEL')}

    def recipes(target):
        return subprocess.run(
            ['make', '-n', '-B', target], cwd=REPO_ROOT, capture_output=True, text=True, check=True, env=environ
        ).stdout

    setup = recipes('setup')
    assert (
        '.venv-builder' not in setup and 'requirements-dev.txt' in setup and 'npm ci' in setup
    )  # set-up for a user ...
    assert '.venv-builder' in recipes('integration')  # ... the EE tool venv for the tests that use it
    demo = recipes('demo')
    assert (
        demo.splitlines()[0].startswith('echo "make demo: sets up what is missing') and 'about' in demo.splitlines()[0]
    )
    assert '.venv-builder' not in demo and '.venv-docs' not in demo
    assert 'requirements-dev.txt' in demo and 'npm ci' in demo and 'tests/support/demo.py' in demo
    # One line per set-up step, before it runs.
    assert setup.count('echo "set-up: ') == 3
    helped = subprocess.run(
        ['make', '-s', 'help'], cwd=REPO_ROOT, capture_output=True, text=True, check=True, env=environ
    ).stdout
    assert 'make setup ' in helped and 'VERSION=8.8|8.9|8.10' in helped and 'STORAGE=elasticsearch|rdbms' in helped
    assert '`make setup`' in README.read_text()


def test_each_demo_run_says_what_it_runs_before_it_runs(clean_services, monkeypatch, capsys, tmp_path):
    import demo  # pylint: disable=import-outside-toplevel

    seen_before_each_run = []

    class NotJudged:
        rc, output = 0, 'the playbook output'

        @staticmethod
        def tasks(_name):
            return []

    def run_playbook(_playbook, _workdir, env, args):  # pylint: disable=unused-argument
        seen_before_each_run.append(capsys.readouterr().out)
        for argument in args:
            if argument.startswith('verify_report_path='):
                Path(argument.split('=', 1)[1]).write_text('report\n')
        return NotJudged()

    @contextlib.contextmanager
    def started(_workdir):
        yield clean_services

    monkeypatch.setattr(demo, 'WORKDIR', tmp_path)
    monkeypatch.setattr(demo, 'run_playbook', run_playbook)
    monkeypatch.setattr(demo, 'start_services', started)
    monkeypatch.setattr(demo, 'show_fleet', lambda services, workdir: True)
    demo.main()
    assert len(seen_before_each_run) == 4
    for number, printed in enumerate(seen_before_each_run, start=1):
        lines = printed.rstrip('\n').splitlines()
        heading = next(line for line in lines if line.startswith('=== '))
        assert heading.startswith(f'=== {number}/4. ') and lines[-1] == '    running ...'
        assert any(line.startswith('    ansible-playbook playbooks/verify.yml -i localhost,') for line in lines)
