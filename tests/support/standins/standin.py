# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for `helm`, `docker` and C8 Run's start/stop scripts, for the configure_auth tests.

There is no Kubernetes, Docker engine or Camunda here. Each stand-in appends its command line to the
JSON-lines file $STANDIN_RECORD (what the tests assert on) and, where the real tool would (re)start the
orchestration cluster, it reads the auth settings from the files the role wrote, the way Camunda would
read them (Helm chart values, Spring environment variables, Spring application.yaml with imports), and
(re)starts the Camunda API emulator with that auth mode on $STANDIN_PORT, so that the role's verify step
checks a cluster that really enforces what was configured.

    standin.py helm ARGS...            helm upgrade --install ...: values files -> emulator
    standin.py docker ARGS...          docker compose ... up --detach: override + env files -> emulator
    standin.py c8run start|stop        C8 Run's start.sh / shutdown.sh: application.yaml (+ imports) -> emulator
    standin.py stop-all STATE_DIR      stops every emulator a stand-in started (test teardown)

Environment: STANDIN_RECORD, STANDIN_STATE (pid files), STANDIN_PORT, STANDIN_OIDC_CA (CA of the IdP).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import yaml

SUPPORT_DIR = Path(__file__).resolve().parent.parent


def record(tool, argv):
    path = os.environ.get('STANDIN_RECORD')
    if path:
        with open(path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps({'tool': tool, 'argv': argv, 'cwd': os.getcwd()}) + '\n')


def merge(base, extra):
    """Deep merge as Helm and Spring do for maps; lists and scalars of ``extra`` replace."""
    result = dict(base)
    for key, value in (extra or {}).items():
        result[key] = merge(result[key], value) if isinstance(value, dict) and isinstance(result.get(key), dict) else value
    return result


def flatten(tree, prefix=''):
    """A Spring property tree as relaxed environment names: camunda.security.unprotected-api -> CAMUNDA_SECURITY_UNPROTECTEDAPI."""
    names = {}
    items = tree.items() if isinstance(tree, dict) else enumerate(tree)
    for key, value in items:
        name = (prefix + '_' if prefix else '') + re.sub(r'[-.]', '', str(key)).upper()
        if isinstance(value, (dict, list)):
            names.update(flatten(value, name))
        else:
            names[name] = value
    return names


def spring_settings(env):
    """What a Camunda orchestration cluster would enforce, from its CAMUNDA_SECURITY_* properties."""
    def get(name, default=None):
        value = env.get('CAMUNDA_SECURITY_' + name, default)
        return value.lower() if isinstance(value, str) and value.lower() in ('true', 'false') else value

    def listed(name):
        found = []
        while f'{name}_{len(found)}' in {k[len('CAMUNDA_SECURITY_'):] for k in env}:
            found.append(get(f'{name}_{len(found)}'))
        return found

    users = []
    while get(f'INITIALIZATION_USERS_{len(users)}_USERNAME') is not None:
        index = len(users)
        users.append((get(f'INITIALIZATION_USERS_{index}_USERNAME'), get(f'INITIALIZATION_USERS_{index}_PASSWORD')))
    method = str(get('AUTHENTICATION_METHOD', 'basic')).lower()
    unprotected = str(get('AUTHENTICATION_UNPROTECTEDAPI', 'false')).lower() == 'true'
    return dict(
        auth='none' if unprotected else method,
        users=users,
        issuer=get('AUTHENTICATION_OIDC_ISSUERURI'),
        audiences=listed('AUTHENTICATION_OIDC_AUDIENCES'),
        client_id_claim=get('AUTHENTICATION_OIDC_CLIENTIDCLAIM', 'client_id'),
        client_secret=get('AUTHENTICATION_OIDC_CLIENTSECRET'),
    )


def chart_settings(values):
    """The same from Helm chart values (orchestration.security.*), as the chart renders them."""
    security = values.get('orchestration', {}).get('security', {})
    authentication = security.get('authentication', {})
    oidc = authentication.get('oidc', {})
    method = authentication.get('method') or values.get('global', {}).get('security', {}).get('authentication', {}).get('method', 'basic')
    users = [(user.get('username'), user.get('password')) for user in security.get('initialization', {}).get('users', [])]
    return dict(
        auth='none' if authentication.get('unprotectedApi') else method,
        users=users if method == 'basic' else [],
        issuer=oidc.get('issuer'),
        audiences=[a for a in [oidc.get('audience', 'orchestration-api')] + list(oidc.get('backwardsCompatibleAudiences', [])) if a],
        client_id_claim=oidc.get('clientIdClaim', 'client_id'),
        client_secret=(oidc.get('secret') or {}).get('inlineSecret'),
    )


def start_cluster(settings, pid_file, brokers):
    """(Re)start the emulator with these settings on $STANDIN_PORT; its pid goes to pid_file."""
    stop_cluster(pid_file)
    command = [sys.executable, '-m', 'emulator', '--port', os.environ.get('STANDIN_PORT', '0'), '--auth', settings['auth'],
               '--brokers', str(brokers), '--partitions', str(brokers), '--replication-factor', str(brokers)]
    for username, password in settings['users']:
        command += ['--user', f'{username}:{password}']
    if settings['auth'] == 'oidc':
        command += ['--oidc-issuer', settings['issuer'], '--client-id-claim', settings['client_id_claim']]
        for audience in settings['audiences']:
            command += ['--oidc-audience', audience]
        if os.environ.get('STANDIN_OIDC_CA'):
            command += ['--oidc-ca', os.environ['STANDIN_OIDC_CA']]
    process = subprocess.Popen(command, cwd=SUPPORT_DIR, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, start_new_session=True, text=True)
    url = process.stdout.readline().strip()
    if not url:
        sys.exit(f'the emulator did not start: {command}')
    Path(pid_file).parent.mkdir(parents=True, exist_ok=True)
    Path(pid_file).write_text(json.dumps({'pid': process.pid, 'url': url, 'settings': settings}))


def stop_cluster(pid_file):
    path = Path(pid_file)
    if not path.exists():
        return
    pid = json.loads(path.read_text())['pid']
    try:
        os.kill(pid, signal.SIGTERM)
        for _attempt in range(100):
            os.kill(pid, 0)
            time.sleep(0.05)
    except ProcessLookupError:
        pass
    path.unlink()


def state_dir():
    return Path(os.environ.get('STANDIN_STATE', '.'))


def option_values(argv, name):
    """Every value of --name=VALUE or --name VALUE (and -f for --file)."""
    found = []
    for index, arg in enumerate(argv):
        if arg.startswith(name + '='):
            found.append(arg.split('=', 1)[1])
        elif arg == name and index + 1 < len(argv):
            found.append(argv[index + 1])
    return found


def helm(argv):
    record('helm', argv)
    if argv[:1] == ['version']:
        print('version.BuildInfo{Version:"v3.16.0-standin"}')
        return 0
    if argv[:1] == ['upgrade']:
        values = {}
        for path in option_values(argv, '--values') + option_values(argv, '-f'):
            values = merge(values, yaml.safe_load(Path(path).read_text()) or {})
        start_cluster(chart_settings(values), state_dir() / f'helm-{argv[1]}.pid', brokers=3)
    return 0


def docker(argv):
    record('docker', argv)
    if argv[:1] != ['compose'] or 'up' not in argv:
        return 0
    project = Path(option_values(argv, '--project-directory')[0] if option_values(argv, '--project-directory') else '.')
    env = {}
    for name in option_values(argv, '--file'):
        service = ((yaml.safe_load((project / name).read_text()) or {}).get('services') or {}).get('orchestration') or {}
        for env_file in service.get('env_file', []):
            for line in (project / env_file).read_text().splitlines():
                if line.strip() and not line.startswith('#'):
                    key, value = line.split('=', 1)
                    env[key] = value[1:-1] if value[:1] == value[-1:] == "'" else value
        env.update({key: str(value) for key, value in (service.get('environment') or {}).items()})
    start_cluster(spring_settings(env), state_dir() / 'compose.pid', brokers=1)
    return 0


def c8run(argv):
    record('c8run', argv)
    home = Path.cwd()
    if argv[:1] == ['stop']:
        stop_cluster(home / 'c8run.pid')
        return 0
    config_file = Path(option_values(argv, '--config')[0]) if option_values(argv, '--config') else home / 'configuration' / 'application.yaml'
    config = yaml.safe_load(config_file.read_text()) or {}
    imports = ((config.get('spring') or {}).get('config') or {}).get('import') or []
    for entry in [imports] if isinstance(imports, str) else imports:
        path = Path(entry.split('file:', 1)[1])
        if path.exists() or not entry.startswith('optional:'):
            config = merge(config, yaml.safe_load(path.read_text()) or {})  # imported values win
    start_cluster(spring_settings(flatten(config)), home / 'c8run.pid', brokers=1)
    return 0


def stop_all(folder):
    for pid_file in Path(folder).rglob('*.pid'):
        stop_cluster(pid_file)
    return 0


if __name__ == '__main__':
    tool, args = sys.argv[1], sys.argv[2:]
    if tool == 'stop-all':
        sys.exit(stop_all(args[0]))
    sys.exit({'helm': helm, 'docker': docker, 'c8run': c8run}[tool](args))
