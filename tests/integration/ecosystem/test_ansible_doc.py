# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""ansible-doc renders every plugin and role of the collection, as found in the tree.

The lists come from the files under plugins/ and roles/, so a new plugin or role is checked
without touching this test. It runs with the ansible-doc of the ansible-core under test (the
main venv's, or the matrix venv's through CAMUNDA_TEST_ANSIBLE_BIN).
"""

from __future__ import annotations

import json
import subprocess
import pytest

from playbook import REPO_ROOT, ansible_command, playbook_environment

# Folders of plugins/ whose files are documented plugins, and the ansible-doc type of each.
# action/ is left out: an action plugin shares the documentation of its module.
PLUGIN_TYPES = {
    'modules': 'module',
    'lookup': 'lookup',
    'filter': 'filter',
    'test': 'test',
    'callback': 'callback',
    'inventory': 'inventory',
    'connection': 'connection',
    'become': 'become',
    'cache': 'cache',
    'vars': 'vars',
}


def documented_plugins():
    """(ansible-doc type, FQCN) of every plugin file; private files (leading _) are not plugins."""
    found = []
    for folder, doc_type in PLUGIN_TYPES.items():
        for path in sorted((REPO_ROOT / 'plugins' / folder).glob('*')):
            if path.name.startswith('_') or path.suffix not in ('.py', '.yml', '.yaml'):
                continue
            # Filter and test plugins may be documented by a YAML file beside the Python file.
            if path.suffix != '.py' and path.with_suffix('.py').exists() and folder not in ('filter', 'test'):
                continue
            name = f'community.camunda.{path.stem}'
            if (doc_type, name) not in found:
                found.append((doc_type, name))
    return found


def roles():
    return (
        sorted(path.name for path in (REPO_ROOT / 'roles').iterdir() if path.is_dir())
        if (REPO_ROOT / 'roles').is_dir()
        else []
    )


def ansible_doc(tmp_path, *args):
    return subprocess.run(
        [ansible_command('ansible-doc'), *args],
        env=playbook_environment(tmp_path),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=tmp_path,
    )


def test_the_tree_has_plugins():
    kinds = {plugin[0] for plugin in documented_plugins()}
    assert {'module', 'lookup'} <= kinds


@pytest.mark.parametrize(
    'doc_type,name', documented_plugins(), ids=lambda value: str(value).rsplit('.', maxsplit=1)[-1]
)
def test_plugin_documentation_renders(tmp_path, doc_type, name):
    as_json = ansible_doc(tmp_path, '-t', doc_type, '--json', name)
    assert as_json.returncode == 0, f'ansible-doc -t {doc_type} --json {name} failed:\n{as_json.stderr}'
    doc = json.loads(as_json.stdout)[name]['doc']
    assert doc.get('short_description'), f'{name} has no short_description'
    assert doc.get('version_added'), f'{name} has no version_added'
    text = ansible_doc(tmp_path, '-t', doc_type, name)
    assert text.returncode == 0, f'ansible-doc -t {doc_type} {name} failed:\n{text.stderr}'
    assert name in text.stdout and 'ERROR' not in text.stderr, text.stderr
    if doc_type == 'module':
        assert 'EXAMPLES' in text.stdout, f'{name} has no EXAMPLES'


@pytest.mark.parametrize('role', roles())
def test_role_documentation_renders(tmp_path, role):
    specs = [REPO_ROOT / 'roles' / role / 'meta' / f'argument_specs.{ext}' for ext in ('yml', 'yaml')]
    assert any(path.exists() for path in specs), (
        f'role {role} has no meta/argument_specs.yml: ansible-doc and the docs site need one'
    )
    name = f'community.camunda.{role}'
    as_json = ansible_doc(tmp_path, '-t', 'role', '--json', name)
    assert as_json.returncode == 0, f'ansible-doc -t role --json {name} failed:\n{as_json.stderr}'
    entry_points = json.loads(as_json.stdout)[name]['entry_points']
    assert 'main' in entry_points
    for entry_point, spec in entry_points.items():
        assert spec.get('short_description'), f'{name} entry point {entry_point} has no short_description'
    text = ansible_doc(tmp_path, '-t', 'role', name)
    assert text.returncode == 0 and 'ERROR' not in text.stderr, text.stderr


def test_ansible_doc_lists_every_module(tmp_path):
    listed = ansible_doc(tmp_path, '-t', 'module', '--list', '--json', 'community.camunda')
    assert listed.returncode == 0, listed.stderr
    modules = {name for doc_type, name in documented_plugins() if doc_type == 'module'}
    assert modules <= set(json.loads(listed.stdout)), listed.stdout
