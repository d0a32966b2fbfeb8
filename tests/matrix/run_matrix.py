# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the unit and integration tests on each supported ansible-core version (``make test-matrix``).

For each version VERSION, ``.venv-VERSION`` (made by the Makefile) holds that ansible-core:

- unit tests run with that venv's Python, so they import that ansible-core;
- integration tests run with this (the main) venv's pytest, because the test services (emulator,
  IdP) live here, and ``CAMUNDA_TEST_ANSIBLE_BIN`` makes ``tests/support/playbook.py`` run that
  venv's ``ansible-playbook`` (and its Python for modules).

Every version runs even when an earlier one fails; the exit code is 1 when anything failed. A table
of the results goes to ``RESULTS/results.md`` and to stdout; JUnit files and logs sit beside it.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

REPO_ROOT = Path(__file__).resolve().parents[2]
MAIN_PYTHON = sys.executable


def venv_bin(version):
    return REPO_ROOT / f'.venv-{version}' / 'bin'


def describe_venv(version):
    """(ansible-core version, Python version) of the venv under test."""
    probe = 'import ansible.release, platform; print(ansible.release.__version__, platform.python_version())'
    output = subprocess.run(
        [str(venv_bin(version) / 'python'), '-c', probe], capture_output=True, text=True, check=True
    ).stdout.split()
    return output[0], output[1]


def junit_counts(path):
    """passed, failed (failures + errors), skipped from a JUnit XML file; None if it is missing."""
    if not path.exists():
        return None
    root = ElementTree.parse(path).getroot()
    suites = [root] if root.tag == 'testsuite' else list(root.iter('testsuite'))
    total = sum(int(suite.get('tests', 0)) for suite in suites)
    failed = sum(int(suite.get('failures', 0)) + int(suite.get('errors', 0)) for suite in suites)
    skipped = sum(int(suite.get('skipped', 0)) for suite in suites)
    return total - failed - skipped, failed, skipped


def run_tier(name, command, env, results, version):
    junit = results / f'{version}-{name}.xml'
    log = results / f'{version}-{name}.log'
    junit.unlink(missing_ok=True)
    started = time.monotonic()
    with log.open('w') as handle:
        process = subprocess.run(
            command + [f'--junitxml={junit}'],
            cwd=REPO_ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
            check=False,
        )
    seconds = time.monotonic() - started
    counts = junit_counts(junit)
    if counts is None:
        counts = (0, 1, 0)  # pytest did not even start: count it as one failure
    elif process.returncode not in (0, 5) and counts[1] == 0:
        counts = (counts[0], 1, counts[2])  # e.g. a collection error outside any test
    print(
        f'ansible-core {version} {name}: {counts[0]} passed, {counts[1]} failed, {counts[2]} skipped '
        f'({seconds:.0f} s; log {log.relative_to(REPO_ROOT)})',
        flush=True,
    )
    return counts, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('versions', nargs='+', help='ansible-core minor versions, e.g. 2.17 2.21')
    parser.add_argument('--results', type=Path, default=REPO_ROOT / '.build' / 'matrix')
    parser.add_argument('--pytest-args', default='', help='extra pytest arguments for both tiers')
    args = parser.parse_args()
    results = args.results.resolve()
    results.mkdir(parents=True, exist_ok=True)
    extra = args.pytest_args.split()

    rows, any_failed, totals = [], False, [0, 0]
    for version in args.versions:
        core, python = describe_venv(version)
        unit_env = dict(os.environ)
        unit_env.pop('CAMUNDA_TEST_ANSIBLE_BIN', None)
        units = run_tier(
            'units',
            [str(venv_bin(version) / 'python'), '-m', 'pytest', 'tests/unit', '-q'] + extra,
            unit_env,
            results,
            version,
        )
        integration_env = dict(os.environ, CAMUNDA_TEST_ANSIBLE_BIN=str(venv_bin(version)))
        integration = run_tier(
            'integration',
            [MAIN_PYTHON, '-m', 'pytest', 'tests/integration', '-q'] + extra,
            integration_env,
            results,
            version,
        )
        for counts in (units[0], integration[0]):
            totals[0] += counts[0]
            totals[1] += counts[1]
            any_failed = any_failed or counts[1] > 0
        rows.append((version, core, python, units, integration))

    lines = ['| ansible-core | Python | unit tests | integration tests |', '|---|---|---|---|']
    for _version, core, python, units, integration in rows:
        cells = [
            f'{c[0]} passed, {c[1]} failed' + (f', {c[2]} skipped' if c[2] else '') + f' ({s:.0f} s)'
            for c, s in (units, integration)
        ]
        lines.append(f'| {core} | {python} | {cells[0]} | {cells[1]} |')
    table = '\n'.join(lines) + '\n'
    (results / 'results.md').write_text(table)
    print('\n' + table)
    print(f'matrix: {totals[0]} passed, {totals[1]} failed')
    return 1 if any_failed else 0


if __name__ == '__main__':
    sys.exit(main())
