# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The module_utils packages import only the packages before them; plugin_utils and modules may import any."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[4]
MODULE_UTILS = ROOT / 'plugins' / 'module_utils'
PREFIX = 'ansible_collections.community.camunda.plugins.'
# Lowest first: each package may import itself and those before it.
LAYERS = ('_core', '_auth', '_api', '_identity', '_processes', '_cluster', '_backup', '_upgrade', '_diagnosis')


def collection_imports(source):
    """(line, dotted name) of every import of this collection in a Python source, as written."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f'{node.module}.{alias.name}' for alias in node.names]
            found += [(node.lineno, name) for name in names if name.startswith(PREFIX)]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names if alias.name.startswith(PREFIX)]
    return found


def offences(package, source):
    """The imports a file of ``package`` may not make: a later package, or anything outside module_utils."""
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    wrong = []
    for line, name in collection_imports(source):
        parts = name[len(PREFIX) :].split('.')
        if parts[0] != 'module_utils':
            wrong.append((line, name))
        elif len(parts) > 1 and parts[1] not in allowed:
            wrong.append((line, name))
    return sorted(set(wrong))


def test_the_packages_on_disk_are_the_layers():
    assert sorted(
        path.name for path in MODULE_UTILS.iterdir() if path.is_dir() and path.name != '__pycache__'
    ) == sorted(LAYERS)
    assert not list(MODULE_UTILS.glob('*.py')), 'module_utils files live in a layer package'


@pytest.mark.parametrize('package', LAYERS)
def test_each_package_imports_only_the_packages_before_it(package):
    problems = []
    for path in sorted((MODULE_UTILS / package).glob('*.py')):
        for line, name in offences(package, path.read_text(encoding='utf-8')):
            problems.append(f'{path.relative_to(ROOT)}:{line} imports {name}')
    assert not problems, f'{package} may import only {", ".join(LAYERS[: LAYERS.index(package) + 1])}:\n' + '\n'.join(
        problems
    )


@pytest.mark.parametrize('package', LAYERS)
def test_package_init_is_empty(package):
    # An __init__ that re-exports would put every sibling into every module's payload.
    assert (MODULE_UTILS / package / '__init__.py').read_text(encoding='utf-8').strip() == ''


def test_the_check_sees_a_later_package_and_each_import_form():
    source = (
        f'from {PREFIX}module_utils._core.errors import CamundaError\n'
        f'from {PREFIX}module_utils._diagnosis import judge\n'
        f'import {PREFIX}module_utils._cluster.topology\n'
        f'from {PREFIX}module_utils import _identity\n'
        f'from {PREFIX}plugin_utils._verify import check\n'
    )
    assert offences('_api', source) == [
        (2, f'{PREFIX}module_utils._diagnosis'),
        (2, f'{PREFIX}module_utils._diagnosis.judge'),
        (3, f'{PREFIX}module_utils._cluster.topology'),
        (4, f'{PREFIX}module_utils._identity'),
        (5, f'{PREFIX}plugin_utils._verify'),
        (5, f'{PREFIX}plugin_utils._verify.check'),
    ]
    assert offences('_diagnosis', source[: source.index('from ' + PREFIX + 'plugin_utils')]) == []
