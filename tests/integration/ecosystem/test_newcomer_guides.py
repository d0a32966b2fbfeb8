# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Each guide's example that can run against `make services` runs as written, in a bare shell (issue 29, item 15).

A console block runs line by line after `$ `; its `make services ...` line starts the services (on a free port,
with the same VERSION and AUTH), and the one substitution is where they listen: `http://localhost:8080` becomes the
emulator's URL, the management port (9600) and the snapshot API (9200) become the URLs `make services` prints for
them, in the commands and in an inventory file they name. A block of tasks runs inside a play of its own on
localhost, as a reader pastes it. Every guide is either here or in NOT_AGAINST_MAKE_SERVICES with the reason.
"""

from __future__ import annotations

import re
import shlex

import pytest

from playbook import REPO_ROOT
from newcomer_shell import bare_shell
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import (
    PROBE_BPMN,
    PROBE_RESOURCE_NAME,
)

GUIDES = REPO_ROOT / 'docs' / 'docsite' / 'rst'
READY = 'export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$PWD/.build/collections"'  # what make shell sets

# (guide, which block of that language: 0 the first, language): what runs against make services.
RUNNABLE = [
    ('guide_roles.rst', 0, 'console'),
    ('guide_cluster_variables.rst', 1, 'console'),
    ('guide_backups.rst', 0, 'console'),
    ('guide_deployments.rst', 0, 'yaml+jinja'),
    ('guide_authentication.rst', 1, 'yaml'),
]
NOT_AGAINST_MAKE_SERVICES = {
    'guide_auth_diagnosis.rst': 'an OIDC client of a real Keycloak (example.com) with a vaulted secret',
    'guide_authentication.rst': 'the other blocks show module_defaults for real deployments (example.com)',
    'guide_awx.rst': 'AWX credential types, run by AWX',
    'guide_client_certificates.rst': 'certificates a real IdP trusts (the test services\' are in tests/integration/keycloak)',
    'guide_execution_environments.rst': 'ansible-builder and a container engine (tests/integration/ecosystem/test_execution_environment.py)',
    'guide_identity_as_code.rst': 'a vault and a staging URL: tests/integration/roles/test_identity_role.py runs that example',
    'guide_supported_versions.rst': 'installing from Galaxy and PyPI',
    'guide_token_cache.rst': 'no example to run (a listing of the cache folder)',
    'guide_troubleshooting.rst': 'no example to run',
    'guide_upgrades.rst': 'a Helm release on a Kubernetes cluster, a Compose project or two C8 Run folders: '
    'test_upgrade_role.py, test_upgrade_real_release.py (a real kube-apiserver), '
    'test_upgrade_compose.py (the upstream folders) and test_upgrade_c8run.py '
    '(tests/integration/roles) run those plays',
    'guide_backups.rst': 'the second block is a restore preflight against another cluster\'s inventory (new-cluster.yml)',
    'guide_cluster_variables.rst': 'the first blocks are the example files, run by the block after them; prod.yml needs a vault',
    'guide_deployments.rst': 'the other blocks name SaaS and Helm clusters (example.com) and a vault',
    'guide_roles.rst': 'the other blocks need a vault and a Compose project',
}


def code_block(guide, index, language):
    """The text of the index-th ``.. code-block:: language`` of the guide, unindented."""
    text = (GUIDES / guide).read_text()
    blocks = re.findall(rf'^\.\. code-block:: {re.escape(language)}\n\n((?:(?:[ \t]+.*)?\n)+)', text, re.MULTILINE)
    lines = blocks[index].rstrip().splitlines()
    indent = min(len(line) - len(line.lstrip()) for line in lines if line.strip())
    return '\n'.join(line[indent:] for line in lines) + '\n'


def console_commands(block):
    """The commands of a console block: the lines after `$ ` (or every line when none has it), continuations joined."""
    lines = block.replace('\\\n', ' ').splitlines()
    prompted = [line[2:] for line in lines if line.startswith('$ ')]
    return [' '.join(line.split()) for line in (prompted or lines) if line.strip()]


def services_settings(command):
    """make services VERSION=8.9 AUTH=basic -> the starter's (auth, cluster, version)."""
    settings = dict(word.split('=', 1) for word in shlex.split(command.split('#')[0])[2:])
    return settings.get('AUTH', 'none'), settings.get('CLUSTER', 'c8run'), settings.get('VERSION', '8.8')


def where_they_listen(info, tmp_path):
    emulator = info['emulator']
    return {
        'http://localhost:8080': emulator['url'],
        'http://localhost:9600': emulator['management_url'],
        'http://localhost:9200': emulator['snapshot_url'],
        '$PWD/': f'{tmp_path}/',
    }


def substituted(text, places):
    for written, actual in places.items():
        text = text.replace(written, actual)
    return text


def test_every_guide_is_run_here_or_says_why_not():
    guides = {path.name for path in GUIDES.glob('guide_*.rst')}
    assert guides == {guide for guide, _index, _language in RUNNABLE} | set(NOT_AGAINST_MAKE_SERVICES)


@pytest.mark.parametrize('guide, index, language', RUNNABLE)
def test_the_guide_example_runs_as_written_against_make_services(tmp_path, running_services, guide, index, language):  # noqa: F811
    # pylint: disable=redefined-outer-name
    block = code_block(guide, index, language)
    if language == 'console':
        commands = console_commands(block)
        started = [services_settings(command) for command in commands if command.startswith('make services')]
        commands = [command for command in commands if not command.startswith('make services')]
        info, _process = running_services(*(started[0] if started else ('none', 'c8run', '8.8')))
        places = where_they_listen(info, tmp_path)
        for number, command in enumerate(commands):
            for inventory in re.findall(r'-i (\S+\.ya?ml)\b', command):  # an inventory file that names the URLs
                copy = tmp_path / f'inventory-{number}-{(REPO_ROOT / inventory).name}'
                copy.write_text(substituted((REPO_ROOT / inventory).read_text(), places))
                command = command.replace(inventory, str(copy))
            commands[number] = substituted(command, places)
    else:
        info, _process = running_services('none', 'c8run')
        (tmp_path / 'processes').mkdir()
        (tmp_path / 'processes' / PROBE_RESOURCE_NAME).write_bytes(PROBE_BPMN)
        tasks = substituted(block, where_they_listen(info, tmp_path))
        play = '- name: The guide example\n  hosts: localhost\n  gather_facts: false\n  tasks:\n' + ''.join(
            f'    {line}\n' if line.strip() else '\n' for line in tasks.splitlines()
        )
        (tmp_path / 'play.yml').write_text(play)
        commands = [f'ansible-playbook {tmp_path / "play.yml"}']
    # One line each, as pasted into a terminal (a line may end in a comment); the first failure stops.
    run = bare_shell('\n'.join(['set -e', READY] + commands), tmp_path, timeout=300)
    assert run.returncode == 0, '\n'.join(commands) + '\n' + run.stdout + run.stderr
    assert 'failed=0' in run.stdout or 'SUCCESS' in run.stdout
