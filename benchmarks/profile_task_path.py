# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Profile (prints figures; not a test): where a camunda_topology task's time goes on the in-controller path.

Runs ansible-playbook with TASKS camunda_topology tasks on one host (Basic auth, the emulator in its own process)
under py-spy, sampling every process (ansible-playbook forks a worker per task), and sorts the samples of the
workers into: the action plugin's run, and within it the imports (all; jmespath; the OIDC, client-authentication
and token-cache code) and the HTTP request. `make profile` runs it; py-spy is pinned in requirements-dev.txt.

  .venv/bin/python benchmarks/profile_task_path.py --tasks 100 [--keep FILE]   (FILE: py-spy's raw samples)
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / 'tests' / 'support'))
sys.path.insert(0, str(REPO / 'benchmarks'))

from playbook import ANSIBLE_PLAYBOOK, playbook_environment, write_inventory  # noqa: E402  pylint: disable=wrong-import-position
from playbook_paths import write_playbook  # noqa: E402  pylint: disable=wrong-import-position
from services import start_services  # noqa: E402  pylint: disable=wrong-import-position

PY_SPY = Path(sys.executable).parent / 'py-spy'
# (label, pattern on a frame, within an import or not); a sample counts once per row.
ROWS = (
    ('imports (all)', None, True),
    ('  jmespath', r'jmespath/', True),
    (
        '  OIDC, client auth, token cache, JWT',
        r'_auth/(oidc|method_oidc|client_auth|client_assertion|token_cache)|jwt/',
        True,
    ),
    ('HTTP request (requests, urllib3, http.client)', r'requests/|urllib3/|http/client\.py', False),
)


def record(tasks, samples_file, workdir):
    services = start_services(workdir / 'services')
    try:
        services.emulator.admin.set_auth('basic')
        username, password = next(iter(services.emulator.basic_users.items()))
        playbook = write_playbook(workdir, 'controller', tasks, 'basic')
        variables = workdir / 'variables.json'
        variables.write_text(json.dumps(dict(camunda_url=services.emulator.url, username=username, password=password)))
        command = [
            str(PY_SPY),
            'record',
            '--subprocesses',
            '--format',
            'raw',
            '--rate',
            '200',
            '-o',
            str(samples_file),
            '--',
            str(ANSIBLE_PLAYBOOK),
            str(playbook),
            '-i',
            str(write_inventory(workdir, ['localhost'])),
            '-e',
            f'@{variables}',
        ]
        subprocess.run(command, env=playbook_environment(workdir / 'run'), check=True, capture_output=True)
    finally:
        services.stop()


def summarize(samples_file):
    """{label: samples} over the workers' samples, with the totals."""
    counts = Counter()
    for line in Path(samples_file).read_text(encoding='utf-8').splitlines():
        stack, number = line.rsplit(' ', 1)
        frames, number = stack.split(';'), int(number)
        counts['all processes'] += number
        if not any('executor/process/worker.py' in frame for frame in frames):
            continue
        counts['workers'] += number
        if not any('CamundaActionBase.run' in frame for frame in frames):
            continue
        counts['action plugin run'] += number
        importing = any('_find_and_load' in frame for frame in frames)
        for label, pattern, within_import in ROWS:
            matched = pattern is None or any(re.search(pattern, frame) for frame in frames)
            if matched and importing == within_import:
                counts[label] += number
    return counts


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--tasks', type=int, default=100)
    parser.add_argument('--keep', type=Path, help="keep py-spy's raw samples in this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='camunda-profile-') as folder:
        samples = args.keep or Path(folder) / 'samples.txt'
        record(args.tasks, samples, Path(folder))
        counts = summarize(samples)
    action = counts['action plugin run'] or 1
    print(
        f"{args.tasks} camunda_topology tasks, Basic auth: {counts['all processes']} samples, "
        f"{counts['workers']} in the workers, {counts['action plugin run']} in the action plugin's run"
    )
    print(f"{'share of the action plugin run':<48} {'samples':>8} {'share':>7}")
    for label, *_pattern in ROWS:
        print(f'{label:<48} {counts[label]:8d} {100 * counts[label] / action:6.1f}%')


if __name__ == '__main__':
    main()
