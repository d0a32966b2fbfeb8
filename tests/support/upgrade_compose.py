# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""docker for the upgrade role's Compose tests: the real docker-compose renders, the emulator runs the containers.

There is no Docker engine here. ``docker compose ... config`` goes to the real Docker Compose v2
($UPGRADE_REAL_DOCKER_COMPOSE). ``docker compose ... up`` renders the project with the real ``docker-compose config``
(Compose reads the project's .env itself) and, as the engine would, recreates only the containers whose image
changed: when the orchestration service's image differs from the one running, it starts the emulator's rolling
upgrade (POST /__emulator__/upgrade) to that image's tag, with the extra settings of $UPGRADE_ROLLOUT ("stuck",
"smoke_fails"). $UPGRADE_COMPOSE_UP_ERROR makes ``up`` fail with that message before anything restarts (a pull the
registry refuses). State and every command line: $UPGRADE_COMPOSE_DIR/compose.json.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

REAL = os.environ.get('UPGRADE_REAL_DOCKER_COMPOSE', 'docker-compose')
STATE = Path(os.environ.get('UPGRADE_COMPOSE_DIR', '.')) / 'compose.json'


def env_version(folder, name='CAMUNDA_VERSION'):
    """A version a Compose folder's .env sets (the upstream folders pin each image's version there)."""
    for line in (Path(folder) / '.env').read_text(encoding='utf-8').splitlines():
        if line.startswith(name + '='):
            return line.split('=', 1)[1].strip()
    raise LookupError(f'{name} is not set in {folder}/.env')


def split(args):
    """(global options as docker-compose takes them, subcommand and its arguments) of `docker compose ARGS`."""
    options, rest = [], list(args)
    while rest and rest[0].startswith('-'):
        option = rest.pop(0)
        if option.startswith('--file='):
            options += ['--file', option.split('=', 1)[1]]
        elif option.startswith('--project-directory='):
            options += ['--project-directory', option.split('=', 1)[1]]
        elif option in ('-f', '--file', '--project-directory', '-p', '--project-name', '--env-file'):
            options += [option, rest.pop(0)]
        else:
            options.append(option)
    return options, rest


def images(options, real=REAL):
    """{service: image} of the real `docker-compose config`, or the error Compose gives."""
    rendered = subprocess.run(
        [real] + options + ['config', '--format', 'json'], capture_output=True, text=True, check=False
    )
    if rendered.returncode:
        raise RuntimeError(rendered.stderr.strip())
    services = json.loads(rendered.stdout).get('services') or {}
    return {name: spec.get('image') for name, spec in services.items()}


def start_rollout(to_version):
    rollout = json.loads(os.environ.get('UPGRADE_ROLLOUT') or '{}') | {'to_version': to_version}
    request = urllib.request.Request(
        os.environ['UPGRADE_EMULATOR_URL'] + '/__emulator__/upgrade',
        data=json.dumps(rollout).encode(),
        method='POST',
        headers={'Content-Type': 'application/json'},
    )
    with urllib.request.urlopen(request, timeout=10):  # nosec - the test's own emulator on loopback
        pass


def up(options):
    if os.environ.get('UPGRADE_COMPOSE_UP_ERROR'):
        sys.stderr.write(os.environ['UPGRADE_COMPOSE_UP_ERROR'] + '\n')
        return 1
    try:
        wanted = images(options)
    except RuntimeError as error:
        sys.stderr.write(f'{error}\n')
        return 1
    state = json.loads(STATE.read_text())
    for service in sorted(wanted):
        print(f' Container {service}  {"Recreated" if wanted[service] != state["running"].get(service) else "Running"}')
    if wanted.get('orchestration') != state['running'].get('orchestration'):
        start_rollout(wanted['orchestration'].rsplit(':', 1)[1])
    state['running'] = wanted
    STATE.write_text(json.dumps(state))
    return 0


def main(args):
    state = json.loads(STATE.read_text())
    state['calls'].append(args)
    STATE.write_text(json.dumps(state))
    if args[:1] != ['compose']:
        sys.stderr.write(f'upgrade_compose.py: docker {args[:1]} is not modelled\n')
        return 2
    options, command = split(args[1:])
    if command[:1] == ['config']:
        return subprocess.run([REAL] + options + command, check=False).returncode
    if command[:1] == ['up']:
        return up(options)
    sys.stderr.write(f'upgrade_compose.py: docker compose {command[:1]} is not modelled\n')
    return 2


def install(folder, project, real, files=('docker-compose.yaml',)):
    """What runs now (the project as it is, already up, rendered by the real docker-compose) and the docker command."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    options = ['--project-directory', str(project)] + [
        arg for name in files for arg in ('--file', str(Path(project) / name))
    ]
    (folder / 'compose.json').write_text(json.dumps(dict(calls=[], running=images(options, str(real)))))
    script = folder / 'docker'
    script.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{Path(__file__).resolve()}" "$@"\n')
    script.chmod(0o755)
    return str(script)


def state(folder):
    return json.loads((Path(folder) / 'compose.json').read_text())


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
