# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run ansible-playbook against the collection in this working tree and collect every task result.

Integration tests use ``run_playbook``: a real ``ansible-playbook`` process, with the collection
found through ``.build/collections`` (a link to the working tree), the venv's Python as the module
interpreter, and a recording callback that writes one JSON line per task result.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

SUPPORT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SUPPORT_DIR.parent.parent
COLLECTIONS_DIR = REPO_ROOT / '.build' / 'collections'
COLLECTION_LINK = COLLECTIONS_DIR / 'ansible_collections' / 'community' / 'camunda'
# `make test-matrix` points CAMUNDA_TEST_ANSIBLE_BIN at the bin folder of the venv under test
# (.venv-2.17/bin, ...): its ansible-playbook runs the plays and its Python runs the modules, while the
# test services keep running from this venv. Unset: this venv's own.
ANSIBLE_BIN_DIR = Path(os.environ.get('CAMUNDA_TEST_ANSIBLE_BIN') or Path(sys.executable).parent)
PROXY_VARIABLES = ('http_proxy', 'https_proxy', 'all_proxy', 'no_proxy')
ANSIBLE_PLAYBOOK = ANSIBLE_BIN_DIR / 'ansible-playbook'
MODULE_PYTHON = ANSIBLE_BIN_DIR / 'python'


def ansible_command(name):
    """Path of an ansible command (ansible-doc, ansible-galaxy, ...) of the ansible-core under test."""
    return str(ANSIBLE_BIN_DIR / name)


def ensure_collection_link():
    """The link the Makefile also makes; tests may run without make."""
    if not COLLECTION_LINK.exists():
        COLLECTION_LINK.parent.mkdir(parents=True, exist_ok=True)
        COLLECTION_LINK.symlink_to(REPO_ROOT)


@dataclass
class PlaybookRun:
    rc: int
    stdout: str
    stderr: str
    results: list = field(default_factory=list)

    @property
    def output(self):
        return self.stdout + self.stderr

    def tasks(self, name):
        return [line for line in self.results if line['task'] == name]

    def task(self, name, host=None):
        """The result of task ``name`` (on ``host``); fails the test when the task did not run."""
        found = [line for line in self.tasks(name) if host is None or line['host'] == host]
        assert found, (
            f'task {name!r} has no result; tasks seen: {sorted({line["task"] for line in self.results})}\n{self.output}'
        )
        return found[-1]['result'] | {'_status': found[-1]['status']}

    def assert_ok(self):
        assert self.rc == 0, f'ansible-playbook failed (rc {self.rc}):\n{self.output}'
        return self


def playbook_environment(workdir, env=None):
    """Environment of an ansible-playbook run: isolated home, cache and temp folders under ``workdir``."""
    ensure_collection_link()
    workdir = Path(workdir)
    # Settings of the machine must not leak into the runs: Camunda SDK variables, Ansible settings, and
    # proxies (the services listen on loopback; proxy tests pass their own variables).
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(('CAMUNDA_', 'ZEEBE_', 'ANSIBLE_')) and key.lower() not in PROXY_VARIABLES
    }
    environ.update(
        ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS_DIR),
        ANSIBLE_CALLBACK_PLUGINS=str(SUPPORT_DIR / 'callback_plugins'),
        ANSIBLE_CALLBACKS_ENABLED='camunda_test_recorder',
        ANSIBLE_PYTHON_INTERPRETER=str(MODULE_PYTHON),
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_RETRY_FILES_ENABLED='0',
        ANSIBLE_HOME=str(workdir / 'ansible-home'),
        ANSIBLE_LOCAL_TEMP=str(workdir / 'ansible-tmp'),
        ANSIBLE_LOCALHOST_WARNING='0',
        ANSIBLE_INVENTORY_UNPARSED_WARNING='0',
        # ansible-core 2.21 leaves `invocation` out of results unless asked; tests read it (older versions ignore this).
        ANSIBLE_INJECT_INVOCATION='1',
        XDG_CACHE_HOME=str(workdir / 'cache'),
        CAMUNDA_TEST_RECORD=str(workdir / 'results.jsonl'),
    )
    environ.update(env or {})
    return environ


def write_inventory(workdir, hosts):
    """An inventory of ``hosts``, all on the local connection (the way these tasks run in practice)."""
    path = Path(workdir) / 'inventory.ini'
    path.write_text(''.join(f'{host} ansible_connection=local\n' for host in hosts))
    return path


def run_playbook(
    playbook,
    workdir,
    extra_vars=None,
    env=None,
    check=False,
    diff=False,
    verbosity=0,
    hosts=('localhost',),
    forks=None,
    args=(),
    timeout=600,
):
    """Run one playbook; return a PlaybookRun with rc, output and the recorded task results."""
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    environ = playbook_environment(workdir, env)
    record = Path(environ['CAMUNDA_TEST_RECORD'])
    if record.exists():
        record.unlink()
    command = [str(ANSIBLE_PLAYBOOK), str(playbook), '-i', str(write_inventory(workdir, hosts))]
    if extra_vars:
        vars_file = workdir / 'extra_vars.json'
        vars_file.write_text(json.dumps(extra_vars))
        command += ['-e', f'@{vars_file}']
    if check:
        command.append('--check')
    if diff:
        command.append('--diff')
    if verbosity:
        command.append('-' + 'v' * verbosity)
    if forks:
        command += ['--forks', str(forks)]
    command += list(args)
    process = subprocess.run(
        command, env=environ, capture_output=True, text=True, timeout=timeout, cwd=workdir, check=False
    )
    results = [json.loads(line) for line in record.read_text().splitlines()] if record.exists() else []
    return PlaybookRun(process.returncode, process.stdout, process.stderr, results)
