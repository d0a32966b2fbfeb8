# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Camunda 8 Run's `start` as far as it decides who may call the API and how its Connectors runtime logs in.

- Config files: `configuration/application.yaml` first, then `--config FILE|DIR` (a directory means its
  application.yaml); the later one wins. Each file's `spring.config.import` (`optional:file:...`) sits above it.
- `--username`/`--password` (default demo/demo): a value other than `demo` becomes `-D` system properties for
  `camunda.security.initialization.users[0].*` (the username also `defaultRoles.admin.users[0]`). System properties
  beat the environment, which beats the files; a list comes whole from the highest source (spring.layer).
- Connectors: when the effective files (`--config` first, then application.yaml; no imports) protect the API
  (`authorizations.enabled: true` or `authentication.unprotected-api: false`, read under exactly these keys),
  C8 Run sets CAMUNDA_CLIENT_AUTH_USERNAME/PASSWORD to the start login unless they are already set; Connectors reads
  `connectors-application.properties` (additional location) below its environment.
- Stop (camunda/camunda c8run/internal/shutdown/shutdownhandler.go): with a secondary storage type set and not
  elasticsearch (the first of --config and configuration/application.yaml that sets it; the stop has no --config, so
  application.yaml) and an RDBMS url starting with jdbc:h2: (CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL from the
  environment, then from .env, which C8 Run loads without overriding; else the file's
  camunda.data.secondary-storage.rdbms.url), C8 Run deletes camunda-zeebe-<CAMUNDA_VERSION>/data.
"""

from __future__ import annotations

import shutil

from pathlib import Path

import yaml

import spring

DEFAULT_LOGIN = 'demo'


def parse_args(argv):
    options = {'config': None, 'username': DEFAULT_LOGIN, 'password': DEFAULT_LOGIN}
    index = 0
    while index < len(argv):
        arg = argv[index]
        for name in options:
            if arg == f'--{name}' and index + 1 < len(argv):
                options[name] = argv[index + 1]
                index += 1
            elif arg.startswith(f'--{name}='):
                options[name] = arg.split('=', 1)[1]
        index += 1
    return options


def _config_file(path):
    path = Path(path)
    return path / 'application.yaml' if path.is_dir() else path


def _load(path):
    path = Path(path)
    return (yaml.safe_load(path.read_text(encoding='utf-8')) or {}) if path.exists() else {}


def _with_imports(path):
    """[imported sources (highest first)..., the file] as canonical property maps."""
    tree = _load(path)
    imports = ((tree.get('spring') or {}).get('config') or {}).get('import') or []
    imports = [entry.strip() for entry in imports.split(',')] if isinstance(imports, str) else list(imports)
    sources = []
    for entry in imports:
        optional = entry.startswith('optional:')
        location = Path(entry.removeprefix('optional:').removeprefix('file:'))
        if not location.is_absolute():
            location = Path(path).parent / location
        if location.exists():
            sources.insert(0, spring.flatten(_load(location)))
        elif not optional:
            raise spring.StandinError(f'Config data location \'{entry}\' does not exist')
    return sources + [spring.flatten(tree)]


def java_options(options):
    opts = []
    if options['username'] != DEFAULT_LOGIN:
        user = options['username']
        opts += [
            f'-Dcamunda.security.initialization.users[0].username={user}',
            f'-Dcamunda.security.initialization.users[0].name={user}',
            f'-Dcamunda.security.initialization.users[0].email={user}@example.com',
            f'-Dcamunda.security.initialization.defaultRoles.admin.users[0]={user}',
        ]
    if options['password'] != DEFAULT_LOGIN:
        opts.append(f"-Dcamunda.security.initialization.users[0].password={options['password']}")
    return opts


def connectors_auth_required(config_paths):
    """First file (highest first) that defines each key decides; undefined: the API counts as open."""
    authorizations = unprotected = None
    for path in config_paths:
        security = (_load(path).get('camunda') or {}).get('security') or {}
        enabled = (security.get('authorizations') or {}).get('enabled')
        if authorizations is None and isinstance(enabled, bool):
            authorizations = enabled
        value = (security.get('authentication') or {}).get('unprotected-api')
        if unprotected is None and isinstance(value, bool):
            unprotected = value
    return bool(authorizations) or unprotected is False


def start(home, argv, environment):
    """{'orchestration': settings, 'connectors': client settings} for `start.sh ARGV` run in `home` with `environment`."""
    home = Path(home)
    options = parse_args(argv)
    config_paths = [home / 'configuration' / 'application.yaml']
    if options['config']:
        user_config = Path(options['config'])
        config_paths.append(_config_file(user_config if user_config.is_absolute() else home / user_config))
    file_sources = []
    for path in reversed(config_paths):  # highest first: --config (and its imports) above application.yaml
        file_sources += _with_imports(path)
    env = {spring.canonical(key): value for key, value in environment.items()}
    properties = spring.layer(spring.system_properties(java_options(options)), env, *file_sources)
    properties = spring.resolve_placeholders(properties, environment)

    connectors_env = dict(environment)
    if connectors_auth_required(list(reversed(config_paths))):
        for key, value in (
            ('CAMUNDA_CLIENT_AUTH_USERNAME', options['username']),
            ('CAMUNDA_CLIENT_AUTH_PASSWORD', options['password']),
        ):
            if not connectors_env.get(key):
                connectors_env[key] = value
    connectors_file = home / 'connectors-application.properties'
    connectors_properties = spring.layer(
        {spring.canonical(key): value for key, value in connectors_env.items()},
        spring.from_properties_text(connectors_file.read_text(encoding='utf-8')) if connectors_file.exists() else {},
    )
    return {
        'orchestration': spring.orchestration_settings(properties),
        'connectors': spring.client_settings(connectors_properties, None)['auth'],
    }


def env_file(home):
    """{name: value} of the folder's .env (C8 Run loads it with godotenv)."""
    path = Path(home) / '.env'
    found = {}
    for line in path.read_text(encoding='utf-8').splitlines() if path.exists() else []:
        if '=' in line and not line.lstrip().startswith('#'):
            name, value = line.split('=', 1)
            found[name.strip()] = value.strip().strip('\'"')
    return found


def stop_cleanup(home, environment):
    """C8 Run's stop with H2: the Zeebe data of camunda-zeebe-<CAMUNDA_VERSION> is deleted."""
    home = Path(home)
    variables = env_file(home) | {
        k: v for k, v in environment.items() if k in ('CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL',)
    }
    secondary = ((_load(home / 'configuration' / 'application.yaml').get('camunda') or {}).get('data') or {}).get(
        'secondary-storage'
    ) or {}
    kind = str(secondary.get('type') or '').strip()
    if not kind or kind.lower() == 'elasticsearch':
        return False
    url = variables.get('CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL')
    if url is None:
        url = str((secondary.get('rdbms') or {}).get('url') or '')
    version = variables.get('CAMUNDA_VERSION', '').strip()
    if not url.strip().lower().startswith('jdbc:h2:') or not version or '/' in version or '..' in version:
        return False
    shutil.rmtree(home / f'camunda-zeebe-{version}' / 'data', ignore_errors=True)
    return True
