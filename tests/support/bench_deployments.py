# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_deployment on a folder of BPMN files: first deploy, unchanged re-run, one file changed (a benchmark).

    .venv/bin/python tests/support/bench_deployments.py [--files 200] [--runs 3]

The emulator runs as its own process; each step is one `ansible-playbook` run of one camunda_deployment task on
the default (in-controller) path. Printed per step: the playbook's wall time, the task's own time (from the
task's start to its result, as the callback sees it), and the API requests by kind (reads: GET and searches;
writes: deployments). Goal: the unchanged re-run sends no write and its task takes at most 3 s.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SUPPORT_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SUPPORT_DIR))
sys.path.insert(0, str(SUPPORT_DIR.parent / 'integration' / 'plugins' / 'modules'))

from deployment_files import bpmn  # noqa: E402  pylint: disable=wrong-import-position
from emulator import EmulatorAdmin  # noqa: E402  pylint: disable=wrong-import-position
from playbook import run_playbook  # noqa: E402  pylint: disable=wrong-import-position

PLAYBOOK = '''
- name: Deploy a folder
  hosts: all
  gather_facts: false
  tasks:
    - name: Deploy
      community.camunda.camunda_deployment:
        url: "{{ camunda_url }}"
        auth_method: none
        src: ["{{ folder }}"]
      register: deployed

    - name: Summary
      ansible.builtin.debug:
        msg: "{{ deployed.resources | selectattr('changed') | list | length }} changed"
'''
STEPS = ('first deploy', 'unchanged re-run', 'one file changed')
# A callback that writes each task's own time (task start to result) to BENCH_TIMINGS as JSON lines.
TIMER_CALLBACK = '''
import json, os, time
from ansible.plugins.callback import CallbackBase


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'bench_timer'
    CALLBACK_NEEDS_ENABLED = True

    def v2_playbook_on_task_start(self, task, is_conditional):
        self._started = time.monotonic()

    def v2_runner_on_ok(self, result):
        with open(os.environ['BENCH_TIMINGS'], 'a') as handle:
            handle.write(json.dumps({'task': result._task.get_name(), 'seconds': time.monotonic() - self._started}) + chr(10))
'''


def start_emulator():
    process = subprocess.Popen(
        [sys.executable, '-m', 'emulator', '--auth', 'none', '--port', '0'],
        cwd=SUPPORT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = process.stdout.readline().strip()
    if not url:
        process.kill()
        raise RuntimeError('the emulator did not print its URL')
    return process, url


def requests_by_kind(admin):
    counts = {'reads': 0, 'writes': 0}
    for entry in admin.state()['requests']:
        write = entry['method'] == 'POST' and not entry['path'].endswith('/search')
        counts['writes' if write else 'reads'] += entry['count']
    return counts


def one_round(admin, url, work, files):
    admin.reset()
    folder = work / 'processes'
    for index in range(files):
        path = folder / f'process-{index:03d}.bpmn'
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(bpmn(f'process-{index:03d}', name=f'Process {index}'))
    (work / 'deploy.yml').write_text(PLAYBOOK)
    (work / 'callbacks').mkdir(exist_ok=True)
    (work / 'callbacks' / 'bench_timer.py').write_text(TIMER_CALLBACK)
    timings = work / 'timings.jsonl'
    env = {
        'ANSIBLE_CALLBACK_PLUGINS': f"{SUPPORT_DIR / 'callback_plugins'}:{work / 'callbacks'}",
        'ANSIBLE_CALLBACKS_ENABLED': 'camunda_test_recorder,bench_timer',
        'BENCH_TIMINGS': str(timings),
    }
    figures = []
    for step in STEPS:
        if step == 'one file changed':
            (folder / 'process-100.bpmn').write_text(bpmn('process-100', name='Process 100, changed'))
        admin.reset_counts()
        started = time.monotonic()
        if timings.exists():
            timings.unlink()
        run = run_playbook(
            work / 'deploy.yml', work / 'run', extra_vars={'camunda_url': url, 'folder': str(folder)}, env=env
        )
        wall = time.monotonic() - started
        run.assert_ok()
        result = run.task('Deploy')
        changed = sum(1 for entry in result['resources'] if entry['changed'])
        task_seconds = [
            json.loads(line)['seconds']
            for line in timings.read_text().splitlines()
            if json.loads(line)['task'] == 'Deploy'
        ][0]
        figures.append(dict(step=step, wall=wall, task=task_seconds, changed=changed, **requests_by_kind(admin)))
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--files', type=int, default=200)
    parser.add_argument('--runs', type=int, default=3)
    args = parser.parse_args()
    process, url = start_emulator()
    admin = EmulatorAdmin(url)
    try:
        rounds = []
        with tempfile.TemporaryDirectory() as tmp:
            for number in range(args.runs):
                rounds.append(one_round(admin, url, Path(tmp) / f'round-{number}', args.files))
    finally:
        admin.close()
        process.terminate()
        process.wait(timeout=10)
    print(f'camunda_deployment, {args.files} BPMN files, in-controller path, median of {args.runs} runs')
    print(f'{"step":<18} {"playbook wall":>14} {"task":>8} {"changed":>8} {"reads":>6} {"writes":>7}')
    for index, step in enumerate(STEPS):
        per_run = [figures[index] for figures in rounds]
        wall = statistics.median(f['wall'] for f in per_run)
        task = f"{statistics.median(f['task'] for f in per_run):.2f} s"
        last = per_run[-1]
        print(f'{step:<18} {wall:>12.2f} s {task:>8} {last["changed"]:>8} {last["reads"]:>6} {last["writes"]:>7}')
    unchanged = [figures[1] for figures in rounds]
    goal_met = all(f['writes'] == 0 and f['task'] <= 3.0 for f in unchanged)
    print(f'goal (unchanged re-run: no write, task at most 3 s): {"met" if goal_met else "NOT met"}')


if __name__ == '__main__':
    main()
