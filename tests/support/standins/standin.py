# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-ins for `helm`, `docker` and C8 Run's start/stop scripts, for the configure_auth tests.

There is no Kubernetes, Docker engine or Camunda here. Each stand-in appends its command line to the JSON-lines file
$STANDIN_RECORD (what the tests assert on) and, where the real tool would (re)start the deployment and $STANDIN_PORT
is set, it works out what the deployment would run with: Compose through the real `docker-compose config` (Compose
merges the files itself), the chart through the real `helm template` (the
release's values across upgrades in release_values.py), C8 Run through c8run.py, and Spring's reading of the result
through spring.py (each names the upstream behaviour it reproduces), then (re)starts the Camunda API emulator
with that auth on $STANDIN_PORT and, when the configuration enables Connectors, the Connectors stand-in
(connectors.py) on $STANDIN_CONNECTORS_PORT, logged in with exactly the credentials the configuration gives it.

    standin.py helm ARGS...            helm upgrade --install ...: chart defaults + release values + files
    standin.py docker ARGS...          docker compose ... up --detach: what `docker-compose config` gives each service
    standin.py c8run start|stop ARGS   C8 Run's start.sh / shutdown.sh (the stop deletes the Zeebe data with H2, as
                                       C8 Run does; with $STANDIN_UPGRADE_EMULATOR the start rolls that emulator
                                       onto the folder's CAMUNDA_VERSION)
    standin.py stop-all STATE_DIR      stops every process a stand-in started (test teardown)

Environment: STANDIN_RECORD, STANDIN_STATE (pid and release files), STANDIN_PORT, STANDIN_CONNECTORS_PORT,
STANDIN_OIDC_CA (CA of the IdP), STANDIN_SECRETS (a JSON file {secret name: {key: value}}: the Kubernetes Secrets).
A failure the real tool reports (a missing Secret, an unresolvable placeholder, a missing env file) is printed to
stderr and the stand-in exits 1; nothing of that deployment is left running.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(1, str(Path(__file__).resolve().parents[1]))  # tests/support: tools, rendered

import c8run as c8run_model  # noqa: E402
import release_values  # noqa: E402
import rendered  # noqa: E402
import spring  # noqa: E402
import tools  # noqa: E402

STANDINS_DIR = Path(__file__).resolve().parent


def record(tool, argv):
    path = os.environ.get('STANDIN_RECORD')
    if path:
        with open(path, 'a', encoding='utf-8') as handle:
            handle.write(json.dumps({'tool': tool, 'argv': argv, 'cwd': os.getcwd()}) + '\n')


def state_dir():
    return Path(os.environ.get('STANDIN_STATE', '.'))


def _spawn(command, cwd, pid_file, extra):
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
        text=True,
    )
    url = process.stdout.readline().strip()
    if not url:
        raise spring.StandinError(f'did not start: {command[2:4]}')
    Path(pid_file).parent.mkdir(parents=True, exist_ok=True)
    Path(pid_file).write_text(json.dumps({'pid': process.pid, 'url': url} | extra))
    return url


def _private_config(pid_file, suffix, content):
    """A 0600 JSON file next to the pid file: settings with passwords or secrets never go on a command line."""
    path = Path(str(pid_file).removesuffix('.pid') + suffix)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(json.dumps(content))
    return path


def start_cluster(settings, pid_file, brokers):
    """(Re)start the cluster (cluster.py: the emulator with exactly these users) on $STANDIN_PORT."""
    stop_process(pid_file)
    config = settings | {
        'port': int(os.environ.get('STANDIN_PORT', '0')),
        'brokers': brokers,
        'ca': os.environ.get('STANDIN_OIDC_CA'),
    }
    if config['auth'] == 'oidc' and not (config.get('issuer') or config.get('jwks_url')):
        raise spring.StandinError('OIDC without an issuer URI or a JWK set URI: Spring cannot validate tokens')
    config_file = _private_config(pid_file, '.json', config)
    return _spawn(
        [sys.executable, str(STANDINS_DIR / 'cluster.py'), str(config_file)],
        STANDINS_DIR,
        pid_file,
        {'settings': settings},
    )


def start_connectors(client, rest_address, pid_file):
    """(Re)start the Connectors stand-in with this login (its config file is private: it holds the secret)."""
    stop_process(pid_file)
    config_file = _private_config(
        pid_file,
        '.json',
        {
            'rest_address': rest_address,
            'auth': client,
            'ca': os.environ.get('STANDIN_OIDC_CA'),
            'port': int(os.environ.get('STANDIN_CONNECTORS_PORT', '0')),
        },
    )
    login = {key: value for key, value in client.items() if key not in ('password', 'client_secret')}
    return _spawn(
        [sys.executable, str(STANDINS_DIR / 'connectors.py'), str(config_file)],
        STANDINS_DIR,
        pid_file,
        {'login': login},
    )


def stop_process(pid_file):
    path = Path(pid_file)
    if not path.exists():
        return
    pid = json.loads(path.read_text())['pid']
    try:
        os.kill(pid, signal.SIGTERM)
        for _attempt in range(200):
            os.kill(pid, 0)
            time.sleep(0.05)
    except ProcessLookupError:
        pass
    path.unlink()


def deploy(name, orchestration, connectors, brokers, folder=None):
    """Start what the configuration describes: the cluster, and Connectors when the configuration enables it."""
    folder = Path(folder or state_dir())
    url = start_cluster(orchestration, folder / f'{name}.pid', brokers)
    if connectors is None:
        stop_process(folder / f'{name}-connectors.pid')
    else:
        start_connectors(connectors, url, folder / f'{name}-connectors.pid')


def _deploy_or_fail(name, orchestration, connectors, brokers, folder=None):
    try:
        deploy(name, orchestration, connectors, brokers, folder)
    except spring.StandinError as error:
        undeploy(name, folder)
        print(f'Error: {error}', file=sys.stderr)
        return 1
    return 0


def undeploy(name, folder=None):
    folder = Path(folder or state_dir())
    for suffix in ('', '-connectors'):
        stop_process(folder / f'{name}{suffix}.pid')


def option_values(argv, name):
    """Every value of --name=VALUE or --name VALUE."""
    found = []
    for index, arg in enumerate(argv):
        if arg.startswith(name + '='):
            found.append(arg.split('=', 1)[1])
        elif arg == name and index + 1 < len(argv):
            found.append(argv[index + 1])
    return found


def secret_store():
    path = os.environ.get('STANDIN_SECRETS')
    return json.loads(Path(path).read_text()) if path and Path(path).exists() else {}


def chart_file(argv):
    """The chart `helm upgrade` names: a chart file, or Camunda's packaged chart of that --version from
    CAMUNDA_UPSTREAM_DIR/helm (as `helm pull camunda/camunda-platform --version` gives it)."""
    if argv[2].endswith('.tgz'):
        return Path(argv[2])
    versions = option_values(argv, '--version')
    if not versions:
        raise spring.StandinError(
            'the helm stand-in needs --version (a chart in CAMUNDA_UPSTREAM_DIR/helm) or a chart file'
        )
    path = tools.upstream_dir() / 'helm' / f'camunda-platform-{versions[0].lstrip("v")}.tgz'
    if not path.exists():
        raise spring.StandinError(f'{path} not found: {tools.skip_reason("upstream") or "no such chart version"}')
    return path


def container_properties(documents, kind, component, secrets, prefix):
    """The Spring properties under `prefix` (canonical) of the component's first container: its environment (Secret
    references resolved from the Secrets store, as the kubelet does: a missing Secret or key stops the container)
    above its application.yaml. Only these are resolved: Spring fails on an unresolvable placeholder it binds."""
    env = {}
    for name, value in (rendered.container_env(documents, kind, component) or {}).items():
        if isinstance(value, str):
            env[name] = value
        elif 'secretKeyRef' in value:
            ref = value['secretKeyRef']
            if ref['name'] not in secrets:
                raise spring.StandinError(
                    f'{component}: Error: secret "{ref["name"]}" not found (env {name}; CreateContainerConfigError)'
                )
            if ref['key'] not in secrets[ref['name']]:
                raise spring.StandinError(
                    f'{component}: Error: couldn\'t find key {ref["key"]} in Secret {ref["name"]} '
                    f'(env {name}; CreateContainerConfigError)'
                )
            env[name] = secrets[ref['name']][ref['key']]
    properties = spring.layer(
        {spring.canonical(key): value for key, value in env.items()},
        spring.flatten(rendered.configmap_yaml(documents, component) or {}),
    )
    return spring.resolve_placeholders({key: value for key, value in properties.items() if key.startswith(prefix)}, env)


def helm(argv):
    """Records the command line; for `upgrade` with $STANDIN_PORT set, renders the real chart with the release's values
    (the real helm 4, `helm template`) and starts what the rendered objects give the orchestration cluster and
    Connectors (no Kubernetes here: this is the kubelet's part, Secrets from $STANDIN_SECRETS)."""
    import yaml

    record('helm', argv)
    if argv[:1] == ['version']:
        print('version.BuildInfo{Version:"v3.16.0-standin"}')
        return 0
    if argv[:1] != ['upgrade'] or not os.environ.get('STANDIN_PORT'):
        return 0
    release = argv[1]
    release_file = state_dir() / f'helm-{release}.values.json'
    previous = json.loads(release_file.read_text()) if release_file.exists() else {}
    files = [
        yaml.safe_load(Path(path).read_text()) or {}
        for path in option_values(argv, '--values') + option_values(argv, '-f')
    ]
    reuse = '--reuse-values' in argv and '--reset-values' not in argv
    supplied = release_values.supplied_values(previous, files, reuse)
    namespace = (option_values(argv, '--namespace') or ['default'])[0]
    try:
        documents = render_chart(chart_file(argv), supplied, release, namespace)
        secrets = secret_store()
        orchestration = spring.orchestration_settings(
            container_properties(documents, 'StatefulSet', 'zeebe-broker', secrets, 'CAMUNDA_SECURITY_')
        )
        connectors = None
        if rendered.objects(documents, 'Deployment', 'connectors'):
            connectors = spring.client_settings(
                container_properties(documents, 'Deployment', 'connectors', secrets, 'CAMUNDA_CLIENT_AUTH_'), None
            )['auth']
    except spring.StandinError as error:
        undeploy(f'helm-{release}')
        wait = '--wait' in argv
        print(f'Error: UPGRADE FAILED: {"context deadline exceeded: " if wait else ""}{error}', file=sys.stderr)
        return 1
    release_file.parent.mkdir(parents=True, exist_ok=True)
    release_file.write_text(json.dumps(supplied))
    return _deploy_or_fail(f'helm-{release}', orchestration, connectors, brokers=3)


def render_chart(chart_path, supplied, release, namespace):
    """`helm template` of the real chart with these values (the real helm 4 of make tools); helm's refusal raised."""
    import tempfile

    import yaml

    helm_binary = tools.go_tool('helm')
    if helm_binary is None:
        raise spring.StandinError(tools.skip_reason('helm'))
    with tempfile.TemporaryDirectory() as folder:
        values = Path(folder) / 'values.yaml'
        values.touch(mode=0o600)
        values.write_text(yaml.safe_dump(supplied))
        try:
            return rendered.helm_template(helm_binary, chart_path, [values], release=release, namespace=namespace)
        except rendered.ToolRefused as refusal:
            raise spring.StandinError(str(refusal).split(': ', 1)[1].removeprefix('Error: ')) from None


def compose_model(argv):
    """What `docker compose ... up` would run: the real `docker-compose config --format json` of the same files (Docker
    Compose merges the files, env files and `.env` itself); $STANDIN_DOCKER_COMPOSE, else the one next to Python."""
    binary = os.environ.get('STANDIN_DOCKER_COMPOSE') or str(Path(sys.executable).parent / 'docker-compose')
    folder = option_values(argv, '--project-directory')
    command = [binary] + (['--project-directory', folder[0]] if folder else [])
    for name in option_values(argv, '--file') or ['docker-compose.yaml']:
        command += ['--file', name]
    result = subprocess.run(command + ['config', '--format', 'json'], capture_output=True, text=True, check=False)
    if result.returncode:
        raise spring.StandinError(result.stderr.strip())
    return json.loads(result.stdout)


def mounted_application_yaml(model, service):
    """The application.yaml a service mounts (a config with content or a file, or a bind-mounted file), or {}."""
    import yaml

    settings = model['services'][service]
    for entry in settings.get('configs') or []:
        if str(entry.get('target', '')).endswith('application.yaml'):
            config = (model.get('configs') or {}).get(entry['source']) or {}
            text = config['content'] if 'content' in config else Path(config['file']).read_text(encoding='utf-8')
            return yaml.safe_load(text) or {}
    for volume in settings.get('volumes') or []:
        if volume.get('type') == 'bind' and str(volume.get('target', '')).endswith('application.yaml'):
            return yaml.safe_load(Path(volume['source']).read_text(encoding='utf-8')) or {}
    return {}


def spring_properties(model, service):
    env = {
        key: '' if value is None else str(value)
        for key, value in (model['services'][service].get('environment') or {}).items()
    }
    properties = spring.layer(
        {spring.canonical(key): value for key, value in env.items()},
        spring.flatten(mounted_application_yaml(model, service)),
    )
    return spring.resolve_placeholders(properties, env)


def docker(argv):
    """Records the command line; for `compose ... up` with $STANDIN_PORT set, starts what the real Compose
    configuration gives the orchestration and connectors services (no Docker engine here)."""
    record('docker', argv)
    if argv[:1] != ['compose'] or 'up' not in argv or not os.environ.get('STANDIN_PORT'):
        return 0
    try:
        model = compose_model(argv)
        orchestration = spring.orchestration_settings(spring_properties(model, 'orchestration'))
        connectors = None
        if 'connectors' in model['services']:
            connectors = spring.client_settings(spring_properties(model, 'connectors'), None)['auth']
    except spring.StandinError as error:
        print(f'Error response from daemon: {error}', file=sys.stderr)
        return 1
    return _deploy_or_fail('compose', orchestration, connectors, brokers=1)


def c8run(argv):
    record('c8run', argv)
    home = Path.cwd()
    if argv[:1] == ['stop']:
        undeploy('c8run', home)
        c8run_model.stop_cleanup(home, dict(os.environ))
        return 0
    if os.environ.get('STANDIN_UPGRADE_EMULATOR'):
        return c8run_upgrade_start(home)
    try:
        started = c8run_model.start(home, argv[1:], dict(os.environ))
    except spring.StandinError as error:
        print(f'Error: {error}', file=sys.stderr)
        return 1
    return _deploy_or_fail('c8run', started['orchestration'], started['connectors'], brokers=1, folder=home)


def c8run_upgrade_start(home):
    """For the upgrade tests: this folder's C8 Run starts on the version its .env names, so the emulator (the running
    cluster, $STANDIN_UPGRADE_EMULATOR) rolls onto that version (POST /__emulator__/upgrade; $STANDIN_UPGRADE_ROLLOUT
    adds to the request, e.g. {"stuck": [0]})."""
    import urllib.request

    version = c8run_model.env_file(home).get('CAMUNDA_VERSION')
    if not version or not (home / f'camunda-zeebe-{version}').is_dir():
        print(f'Error: no camunda-zeebe-{version} in {home}', file=sys.stderr)
        return 1
    request = urllib.request.Request(
        os.environ['STANDIN_UPGRADE_EMULATOR'] + '/__emulator__/upgrade',
        data=json.dumps(
            json.loads(os.environ.get('STANDIN_UPGRADE_ROLLOUT') or '{}') | {'to_version': version}
        ).encode(),
        method='POST',
        headers={'Content-Type': 'application/json'},
    )
    with urllib.request.urlopen(request, timeout=10):  # nosec - the test's own emulator on loopback
        pass
    return 0


def stop_all(folder):
    for pid_file in Path(folder).rglob('*.pid'):
        stop_process(pid_file)
    return 0


if __name__ == '__main__':
    tool, args = sys.argv[1], sys.argv[2:]
    if tool == 'stop-all':
        sys.exit(stop_all(args[0]))
    sys.exit({'helm': helm, 'docker': docker, 'c8run': c8run}[tool](args))
