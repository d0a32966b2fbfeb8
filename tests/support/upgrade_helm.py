# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""helm for the upgrade role's tests: the real helm renders and judges, a file keeps the release, the emulator runs.

``version``, ``template`` and ``show`` go to the real helm 4 ($UPGRADE_REAL_HELM). The release (its revisions: chart
and user-supplied values) lives in $UPGRADE_RELEASE_DIR/release.json instead of a Kubernetes API server, and
``get values [--all]``, ``history``, ``upgrade`` and ``rollback`` read and write it as helm does with its release
Secrets: ``get values`` answers the user-supplied values, ``--all`` those over the chart's defaults (``helm show
values``); ``upgrade`` renders the target chart for real with the values the flags give (``--reuse-values``: the
old computed values; ``--reset-then-reuse-values``: the user-supplied ones; then each ``--values`` file) and refuses
as helm does ("Error: UPGRADE FAILED: ..." and exit 1) when the chart refuses them. After a successful upgrade it
stands in for the kubelet: it starts the emulator's rolling upgrade (POST /__emulator__/upgrade with
$UPGRADE_ROLLOUT). Every command line goes to release.json's ``calls``. With $UPGRADE_REAL_RELEASE set, every command
goes to the real helm (the release is in a real kube-apiserver) and only the kubelet's part is added: that is how
kubernetes.core.helm runs it (binary_path; its ``list``, ``get values``, ``show chart``, ``plugin list``, ``upgrade -i``
...). The file-backed release models only the commands the role runs itself (upgrade_apply_with: cli).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

import yaml

REAL = os.environ.get('UPGRADE_REAL_HELM', 'helm')
STATE = Path(os.environ.get('UPGRADE_RELEASE_DIR', '.')) / 'release.json'


def merge(base, over):
    out = dict(base)
    for key, value in (over or {}).items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def chart_defaults(chart):
    return (
        yaml.safe_load(
            subprocess.run([REAL, 'show', 'values', chart], capture_output=True, text=True, check=True).stdout
        )
        or {}
    )


def flag(args, name):
    return [a.split('=', 1)[1] for a in args if a.startswith(name + '=')]


def record(args):
    """Append this command line to the calls; the preflight runs two helm processes at once, hence the lock."""
    with open(STATE.with_suffix('.lock'), 'w', encoding='utf-8') as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        state = json.loads(STATE.read_text())
        state['calls'].append(args)
        STATE.write_text(json.dumps(state))
    return state


def start_rollout():
    rollout = json.loads(os.environ.get('UPGRADE_ROLLOUT') or '{}')
    if rollout:
        request = urllib.request.Request(
            os.environ['UPGRADE_EMULATOR_URL'] + '/__emulator__/upgrade',
            data=json.dumps(rollout).encode(),
            method='POST',
            headers={'Content-Type': 'application/json'},
        )
        with urllib.request.urlopen(request, timeout=10):  # nosec - the test's own emulator on loopback
            pass


def main(args):
    state = record(args)
    command = args[0]
    if os.environ.get('UPGRADE_REAL_RELEASE'):
        # A real release in a real API server: helm does everything; only the kubelet's part is ours.
        rc = subprocess.run([REAL] + args, check=False).returncode
        if rc == 0 and command == 'upgrade':
            start_rollout()
        return rc
    if command in ('version', 'template', 'show'):
        return subprocess.run([REAL] + args, check=False).returncode
    current = state['revisions'][-1]
    if command == 'get':
        values = current['values']
        if '--all' in args:
            values = merge(chart_defaults(current['chart']), values)
        print(json.dumps(values))
        return 0
    if command == 'history':
        print(
            json.dumps(
                [
                    {'revision': r['revision'], 'chart': r['chart_name'], 'status': 'deployed'}
                    for r in state['revisions'][-1:]
                ]
            )
        )
        return 0
    if command == 'upgrade':
        chart = args[2]
        if '--reuse-values' in args:
            values = merge(chart_defaults(current['chart']), current['values'])
        else:  # --reset-then-reuse-values (the role's) keeps the user-supplied values; without a flag, none
            values = current['values'] if '--reset-then-reuse-values' in args else {}
        for path in flag(args, '--values'):
            values = merge(values, yaml.safe_load(Path(path).read_text()) or {})
        with tempfile.NamedTemporaryFile('w', suffix='.yaml') as handle:
            yaml.safe_dump(values, handle)
            handle.flush()
            rendered = subprocess.run(
                [REAL, 'template', args[1], chart, '--values', handle.name], capture_output=True, text=True, check=False
            )
        if rendered.returncode != 0:
            sys.stderr.write('Error: UPGRADE FAILED: ' + rendered.stderr.replace('Error: ', '', 1))
            return 1
        name = yaml.safe_load(
            subprocess.run([REAL, 'show', 'chart', chart], capture_output=True, text=True, check=True).stdout
        )
        state['revisions'].append(
            dict(
                revision=current['revision'] + 1,
                chart=chart,
                values=values,
                chart_name=f"{name['name']}-{name['version']}",
            )
        )
        STATE.write_text(json.dumps(state))
        start_rollout()
        print(f'Release "{args[1]}" has been upgraded. Happy Helming!')
        return 0
    if command == 'rollback':
        target = next(r for r in state['revisions'] if str(r['revision']) == args[2])
        state['revisions'].append(dict(target, revision=current['revision'] + 1))
        STATE.write_text(json.dumps(state))
        print('Rollback was a success! Happy Helming!')
        return 0
    sys.stderr.write(f'upgrade_helm.py: {command} is not modelled\n')
    return 2


def install(folder, chart, values, chart_name):
    """A release at revision 1 (what helm install would have stored), and the helm command to use.

    Without a chart, only the command (for $UPGRADE_REAL_RELEASE: the release is a real one).
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    revisions = [dict(revision=1, chart=chart, values=values, chart_name=chart_name)] if chart else []
    (folder / 'release.json').write_text(json.dumps(dict(calls=[], revisions=revisions)))
    script = folder / 'helm'
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n')
    script.chmod(0o755)
    return str(script)


def release(folder):
    return json.loads((Path(folder) / 'release.json').read_text())


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
