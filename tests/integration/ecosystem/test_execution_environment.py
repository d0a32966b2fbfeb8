# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Execution Environments: what ansible-builder reads from the collection, and a rendered build context.

No container engine runs here, so the image itself is not built. What is checked instead:

- meta/execution-environment.yml, requirements.txt and bindep.txt are well-formed, and every
  third-party Python package that the plugins import is declared;
- ansible-builder's own introspection, run on the installed artifact, finds those dependencies
  (the same script runs inside the image build);
- ``ansible-builder create`` renders a build context for an EE that installs the artifact.

ansible-builder comes from its own tool venv (.venv-builder, made by ``make setup``), or from
CAMUNDA_TEST_ANSIBLE_BUILDER.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement

from playbook import REPO_ROOT, ansible_command, playbook_environment

# Import names that ansible-core itself brings along (it depends on them), so they need no declaration.
PROVIDED_BY_ANSIBLE_CORE = {'ansible', 'ansible_collections', 'yaml', 'jinja2', 'markupsafe', 'packaging', 'resolvelib'}
# Import name -> distribution name, where they differ.
DISTRIBUTIONS = {'jwt': 'pyjwt', 'dateutil': 'python-dateutil'}


def ansible_builder():
    path = os.environ.get('CAMUNDA_TEST_ANSIBLE_BUILDER') or str(
        REPO_ROOT / '.venv-builder' / 'bin' / 'ansible-builder'
    )
    if not Path(path).exists():
        pytest.skip('ansible-builder is not installed: make setup creates .venv-builder')
    return path


def declared_requirements():
    lines = (REPO_ROOT / 'requirements.txt').read_text().splitlines()
    return [Requirement(line.split('#', 1)[0].strip()) for line in lines if line.split('#', 1)[0].strip()]


def third_party_imports():
    """Top-level names of every module that plugins/ imports, less the standard library and ansible-core's own."""
    names = set()
    for path in (REPO_ROOT / 'plugins').rglob('*.py'):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names.update(alias.name.split('.')[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split('.')[0])
    return {
        name
        for name in names
        if name not in sys.stdlib_module_names and name not in PROVIDED_BY_ANSIBLE_CORE and name != '__future__'
    }


def test_collection_ee_metadata_names_its_dependency_files():
    metadata = yaml.safe_load((REPO_ROOT / 'meta' / 'execution-environment.yml').read_text())
    assert metadata['version'] == 1
    assert metadata['dependencies'] == {'python': 'requirements.txt', 'system': 'bindep.txt'}
    for name in metadata['dependencies'].values():
        assert (REPO_ROOT / name).is_file(), name


def test_every_imported_package_is_declared():
    declared = {requirement.name.lower() for requirement in declared_requirements()}
    imported = {DISTRIBUTIONS.get(name, name).lower() for name in third_party_imports()}
    assert {'requests', 'jmespath'} <= declared
    assert imported <= declared, (
        f'plugins import {sorted(imported - declared)} but requirements.txt does not declare it'
    )


def test_bindep_entries_are_well_formed():
    entries = [
        line
        for line in (REPO_ROOT / 'bindep.txt').read_text().splitlines()
        if line.strip() and not line.startswith('#')
    ]
    assert entries
    for entry in entries:
        name, profiles = entry.partition(' ')[::2]
        assert name and all(c.isalnum() or c in '-_.+' for c in name), entry
        if profiles:
            assert profiles.startswith('[') and profiles.endswith(']'), entry


@pytest.fixture(scope='module')
def artifact_and_install(tmp_path_factory):
    workdir = tmp_path_factory.mktemp('ee')
    environment = playbook_environment(workdir, {'ANSIBLE_COLLECTIONS_PATH': str(workdir / 'collections')})
    galaxy = ansible_command('ansible-galaxy')
    for command in (
        [galaxy, 'collection', 'build', '--output-path', str(workdir), str(REPO_ROOT)],
        [galaxy, 'collection', 'install', '--offline', '-p', str(workdir / 'collections')],
    ):
        if command[2] == 'install':
            command.append(str(next(workdir.glob('community-camunda-*.tar.gz'))))
        process = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=300, check=False)
        assert process.returncode == 0, process.stderr
    assert (workdir / 'collections' / 'ansible_collections' / 'community' / 'camunda' / 'meta').is_dir()
    return next(workdir.glob('community-camunda-*.tar.gz')), workdir / 'collections'


def test_ansible_builder_introspection_finds_the_dependencies(artifact_and_install, tmp_path):
    builder = ansible_builder()
    collections = artifact_and_install[1]
    process = subprocess.run(
        [builder, 'introspect', '--sanitize', str(collections)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert process.returncode == 0, process.stderr
    found = yaml.safe_load(process.stdout)
    python = [line.split('#')[0].strip() for line in found['python']]
    system = [line.split('#')[0].strip() for line in found['system']]
    assert {Requirement(line).name for line in python} >= {'requests', 'jmespath', 'cryptography'}
    assert all('from collection community.camunda' in line for line in found['python'] + found['system'])
    assert any(line.startswith('ca-certificates') for line in system)


def test_ansible_builder_renders_a_build_context(artifact_and_install, tmp_path):
    builder = ansible_builder()
    artifact = artifact_and_install[0]
    (tmp_path / artifact.name).write_bytes(artifact.read_bytes())
    definition = {
        'version': 3,
        'dependencies': {
            'ansible_core': {'package_pip': 'ansible-core>=2.17,<2.22'},
            'ansible_runner': {'package_pip': 'ansible-runner'},
            'galaxy': {'collections': [{'name': f'collections/{artifact.name}', 'type': 'file'}]},
        },
        'additional_build_files': [{'src': artifact.name, 'dest': 'collections'}],
    }
    (tmp_path / 'execution-environment.yml').write_text(yaml.safe_dump(definition))
    process = subprocess.run(
        [
            builder,
            'create',
            '-f',
            'execution-environment.yml',
            '--context',
            'context',
            '--output-filename',
            'Containerfile',
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )
    assert process.returncode == 0, process.stdout + process.stderr
    context = tmp_path / 'context'
    containerfile = (context / 'Containerfile').read_text()
    assert (context / '_build' / 'collections' / artifact.name).read_bytes() == artifact.read_bytes()
    assert yaml.safe_load((context / '_build' / 'requirements.yml').read_text()) == definition['dependencies']['galaxy']
    # The image build installs the collection from that file, then installs what introspection finds.
    assert 'ansible-galaxy collection install' in containerfile and '-r requirements.yml' in containerfile
    assert 'introspect' in containerfile and (context / '_build' / 'scripts' / 'introspect.py').is_file()
