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

import json
import re
import signal
import subprocess
import sys
import time

import pytest
import requests

from demo import add_user, command_lines
from playbook import REPO_ROOT

README = REPO_ROOT / 'README.md'
SERVICES_SCRIPT = REPO_ROOT / 'tests' / 'support' / 'services.py'


def bare_shell(script, tmp_path, env=None, timeout=180):
    """``bash -c script`` in the repository, as a new terminal would run it."""
    environ = {'PATH': '/usr/local/bin:/usr/bin:/bin', 'HOME': str(tmp_path / 'home'), 'LANG': 'C.UTF-8',
               'SHELL': '/bin/bash', 'XDG_CACHE_HOME': str(tmp_path / 'cache'), 'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'tmp'),
               'ANSIBLE_HOME': str(tmp_path / 'ansible-home'), 'ANSIBLE_NOCOLOR': '1'}
    environ.update(env or {})
    (tmp_path / 'home').mkdir(exist_ok=True)
    return subprocess.run(['bash', '-c', script], cwd=REPO_ROOT, env=environ, capture_output=True, text=True,
                          timeout=timeout, check=False)


def readme_block_after(marker, language=''):
    """The first fenced block of ``language`` after ``marker`` in the README, as lines."""
    text = README.read_text()
    start = text.index(marker)
    match = re.compile(rf'```{language}\n(.*?)```', re.DOTALL).search(text, start)
    return match.group(1)


@pytest.fixture
def running_services(tmp_path):
    """``services.py up`` as make services runs it, on a free port; yields a starter (auth, cluster) -> info."""
    processes = []

    def start(auth, cluster):
        json_path = tmp_path / f'services-{auth}.json'
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, str(SERVICES_SCRIPT), 'up', '--workdir', str(tmp_path / f'work-{auth}'), '--json', str(json_path),
             '--auth', auth, '--cluster', cluster, '--port', '0'],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        processes.append(process)
        deadline = time.monotonic() + 60
        while not json_path.exists():
            assert process.poll() is None and time.monotonic() < deadline, 'services.py up did not start'
            time.sleep(0.1)
        return json.loads(json_path.read_text()), process

    yield start
    for process in processes:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)


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
    assert 'TASK [Topology]' in run.stdout and re.search(r'localhost +: ok=2 +changed=0 +unreachable=0 +failed=0', run.stdout)


@pytest.mark.parametrize('auth, cluster', [('basic', 'c8run'), ('oidc', 'helm')])
def test_the_commands_make_services_prints_work_as_printed(tmp_path, running_services, auth, cluster):
    info, process = running_services(auth, cluster)
    usage = info['usage']
    assert any(line.startswith('ansible-playbook community.camunda.verify') for line in usage)
    run = bare_shell(' && '.join(usage), tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert run.stdout.count('failed=0') == 1 and '"healthy": true' in run.stdout
    requests.get(info['emulator']['url'] + '/v2/status', timeout=10).raise_for_status()
    process.send_signal(signal.SIGTERM)
    printed = process.communicate(timeout=30)[0]
    for line in usage:
        assert line in printed  # the summary shows the same lines


def test_the_commands_make_demo_prints_run_as_printed_without_a_secret_on_the_command_line(tmp_path, clean_services):
    emulator = clean_services.emulator
    add_user(emulator, 'operator', 'operator-Pw-7')  # as the demo does
    emulator.admin.set_auth('basic')
    settings = dict(camunda_url=emulator.url, verify_deployment='helm', camunda_auth_method='basic',
                    camunda_username='operator', camunda_password='operator-Pw-7')
    lines = command_lines(settings)
    assert lines[:-1] == ['export CAMUNDA_BASIC_AUTH_PASSWORD=operator-Pw-7']
    assert 'operator-Pw-7' not in lines[-1] and lines[-1].startswith('ansible-playbook playbooks/verify.yml -i localhost,')
    readme_export = re.search(r'or, in the shell you are in: `([^`]+)`', README.read_text()).group(1)
    run = bare_shell(' && '.join([readme_export] + lines), tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert 'basic credentials accepted as operator' in run.stdout


def test_make_demo_builds_only_what_it_runs():
    def recipes(target):
        return subprocess.run(['make', '-n', '-B', target], cwd=REPO_ROOT, capture_output=True, text=True, check=True).stdout
    assert '.venv-builder' in recipes('setup')  # the EE tool venv is part of the full set-up ...
    demo = recipes('demo')
    assert '.venv-builder' not in demo and '.venv-docs' not in demo  # ... and not of the demo
    assert 'requirements-dev.txt' in demo and 'npm ci' in demo and 'tests/support/demo.py' in demo
