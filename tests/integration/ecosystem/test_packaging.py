# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as users get it: ansible-galaxy builds an artifact without debris, installs it into
a clean collections path, and a playbook runs from the installed copy against the emulator."""

from __future__ import annotations

import fnmatch
import json
import subprocess
import tarfile

import pytest

from playbook import REPO_ROOT, ansible_command, playbook_environment

TOPOLOGY = REPO_ROOT / 'tests' / 'integration' / 'plugins' / 'modules' / 'playbooks' / 'topology.yml'

# Nothing from local environments, build trees, test output or caches may reach the artifact.
FORBIDDEN = (
    '.build/*',
    '.venv/*',
    '.venv-*',
    '*/node_modules/*',
    'node_modules/*',
    'tests/output/*',
    '*__pycache__*',
    '*.pyc',
    '.pytest_cache/*',
    '*/.pytest_cache/*',
    '.cache/*',
    '.git/*',
    '*.tar.gz',
    '.ci/*',
    'Makefile',
    'pytest.ini',
    'requirements-dev.txt',
    'constraints-dev.txt',
    'docs/sphinx/*',
    'docs/requirements-docs.txt',
    'docs/constraints-docs.txt',
    'changelogs/.plugin-cache.yaml',
)
# What users, ansible-builder and the docs site need from the artifact.
REQUIRED = (
    'MANIFEST.json',
    'FILES.json',
    'README.md',
    'LICENSE',
    'meta/runtime.yml',
    'meta/execution-environment.yml',
    'requirements.txt',
    'bindep.txt',
    'changelogs/changelog.yaml',
    'docs/docsite/extra-docs.yml',
    'docs/docsite/links.yml',
    'extensions/awx/camunda_credential_type.yml',
)


def run(command, workdir, env=None):
    process = subprocess.run(
        command,
        env=playbook_environment(workdir, env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=workdir,
    )
    assert process.returncode == 0, f'{" ".join(map(str, command))} failed:\n{process.stdout}\n{process.stderr}'
    return process


@pytest.fixture(scope='module')
def artifact(tmp_path_factory):
    """The collection built by ansible-galaxy from this tree, once for the module."""
    workdir = tmp_path_factory.mktemp('build')
    run(
        [ansible_command('ansible-galaxy'), 'collection', 'build', '--output-path', str(workdir), str(REPO_ROOT)],
        workdir,
    )
    built = list(workdir.glob('community-camunda-*.tar.gz'))
    assert len(built) == 1, built
    return built[0]


@pytest.fixture(scope='module')
def installed(artifact, tmp_path_factory):
    """A clean collections path with only the artifact installed (offline: it has no dependencies)."""
    workdir = tmp_path_factory.mktemp('install')
    collections = workdir / 'collections'
    # Only the clean path is configured: with the working tree's link in the path, ansible-galaxy
    # would find community.camunda "already installed" and install nothing.
    run(
        [
            ansible_command('ansible-galaxy'),
            'collection',
            'install',
            '--offline',
            '-p',
            str(collections),
            str(artifact),
        ],
        workdir,
        env={'ANSIBLE_COLLECTIONS_PATH': str(collections)},
    )
    assert (collections / 'ansible_collections' / 'community' / 'camunda' / 'MANIFEST.json').is_file()
    return collections


def members(artifact):
    with tarfile.open(artifact) as tar:
        return [member.name for member in tar.getmembers() if member.isfile()]


def test_artifact_has_no_debris(artifact):
    debris = sorted(name for name in members(artifact) if any(fnmatch.fnmatch(name, pattern) for pattern in FORBIDDEN))
    assert not debris, f'the artifact holds files that users should not get: {debris[:20]}'


def test_artifact_has_what_users_need(artifact):
    names = set(members(artifact))
    missing = [name for name in REQUIRED if name not in names]
    assert not missing, f'the artifact lacks {missing}'
    with tarfile.open(artifact) as tar:
        manifest = json.load(tar.extractfile('MANIFEST.json'))
    info = manifest['collection_info']
    assert (info['namespace'], info['name']) == ('community', 'camunda')
    assert info['dependencies'] == {}


def test_playbook_runs_from_the_installed_copy(installed, connections, emulator, playbook, tmp_path):
    emulator.admin.set_auth('basic')
    copy = tmp_path / 'topology.yml'
    copy.write_text(TOPOLOGY.read_text())
    for in_controller in (True, False):
        run_ = playbook(
            copy,
            extra_vars=connections.basic() | {'camunda_run_in_controller': in_controller},
            env={'ANSIBLE_COLLECTIONS_PATH': str(installed)},
            verbosity=3,
        ).assert_ok()
        result = run_.task('Topology')
        assert result['healthy'] is True and len(result['topology']['brokers']) == 3
        # The copied playbook and a collections path holding only the installed copy leave ansible no
        # other place to find community.camunda; nothing mentions the working tree.
        assert str(REPO_ROOT / 'plugins') not in run_.output
        assert '.build/collections' not in run_.output
    assert emulator.admin.request_count('/v2/topology') == 2


def test_installed_copy_is_listed_and_documented(installed, tmp_path):
    env = {'ANSIBLE_COLLECTIONS_PATH': str(installed)}
    listed = subprocess.run(
        [ansible_command('ansible-galaxy'), 'collection', 'list', 'community.camunda', '--format', 'json'],
        env=playbook_environment(tmp_path, env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    paths = json.loads(listed.stdout)
    assert any('community.camunda' in collections for collections in paths.values()), paths
    doc = subprocess.run(
        [ansible_command('ansible-doc'), '-t', 'module', 'community.camunda.camunda_topology'],
        env=playbook_environment(tmp_path, env),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert doc.returncode == 0 and str(installed) in doc.stdout, doc.stderr
