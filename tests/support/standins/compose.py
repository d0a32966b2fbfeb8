# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Docker Compose, reduced to what decides the environment and the mounted application.yaml of a service.

`project(folder, files)` merges the Compose files as `docker compose --file A --file B` does, interpolates
`${VAR}` / `${VAR:-default}` from the project's `.env` and the process environment, and returns the services.
`service_environment` reads `env_file` in the short (`- file.env`) and the long form (`- path: .env`,
`required: false`) and `environment` as a map or a list (`- NAME=value`); `environment` wins over `env_file`.
`service_config` finds the application.yaml a service mounts (`configs:` with `content` or `file`, or a volume).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import yaml

from spring import StandinError

INTERPOLATION = re.compile(r'\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|\$\$')


def read_env_file(path):
    """KEY=VALUE lines; `#` comments; single quotes are literal, double quotes are stripped."""
    env = {}
    for line in Path(path).read_text(encoding='utf-8').splitlines():
        line = line.strip()
        if not line or line.startswith('#') or '=' not in line:
            continue
        key, value = line.split('=', 1)
        key, value = key.strip().removeprefix('export '), value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in '\'"':
            value = value[1:-1]
        env[key] = value
    return env


def interpolate(node, variables):
    if isinstance(node, dict):
        return {key: interpolate(value, variables) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolate(value, variables) for value in node]
    if isinstance(node, str):
        def replace(match):
            if match.group(0) == '$$':
                return '$'
            name, default = match.group(1), match.group(2)
            value = variables.get(name)
            return value if value not in (None, '') else (default or '')
        return INTERPOLATION.sub(replace, node)
    return node


def _merge_service(base, extra):
    """Compose's merge of one service: maps merge, `environment` by name, `env_file` appended, other lists replaced."""
    result = dict(base)
    for key, value in extra.items():
        if key == 'environment':
            result[key] = {**environment_map(base.get(key)), **environment_map(value)}
        elif key == 'env_file':
            result[key] = _as_list(base.get(key)) + _as_list(value)
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            result[key] = {**base[key], **value}
        else:
            result[key] = value
    return result


def _as_list(value):
    return [] if value is None else [value] if isinstance(value, (str, dict)) else list(value)


def environment_map(environment):
    """`environment:` as a map, from the map or the list form (`NAME=value`; a bare `NAME` takes the shell's value)."""
    if environment is None:
        return {}
    if isinstance(environment, dict):
        return {key: '' if value is None else str(value).lower() if isinstance(value, bool) else str(value)
                for key, value in environment.items()}
    result = {}
    for entry in environment:
        key, has_value, value = str(entry).partition('=')
        if has_value:
            result[key] = value
        elif key in os.environ:
            result[key] = os.environ[key]
    return result


def project(folder, files):
    """The merged, interpolated Compose model of these files (relative to folder)."""
    folder = Path(folder)
    variables = read_env_file(folder / '.env') if (folder / '.env').exists() else {}
    variables = {**variables, **os.environ}
    model = {'services': {}, 'configs': {}}
    for name in files:
        path = folder / name
        if not path.exists():
            raise StandinError(f'open {path}: no such file or directory')
        document = interpolate(yaml.safe_load(path.read_text(encoding='utf-8')) or {}, variables)
        for service, settings in (document.get('services') or {}).items():
            model['services'][service] = _merge_service(model['services'].get(service, {}), settings or {})
        model['configs'].update(document.get('configs') or {})
    model['folder'] = folder
    return model


def service_environment(model, service):
    """The container environment of a service: its env files in order, then `environment`."""
    settings = model['services'][service]
    env = {}
    for entry in _as_list(settings.get('env_file')):
        path, required = (entry, True) if isinstance(entry, str) else (entry.get('path'), entry.get('required', True))
        full = model['folder'] / path
        if not full.exists():
            if required:
                raise StandinError(f'env file {full} not found: stat {full}: no such file or directory')
            continue
        env.update(read_env_file(full))
    env.update(environment_map(settings.get('environment')))
    return env


def service_config(model, service, target_suffix='application.yaml'):
    """The YAML a service mounts as its application.yaml (configs or a volume), or {} when it mounts none."""
    settings = model['services'][service]
    for entry in settings.get('configs') or []:
        source, target = (entry, '/' + entry) if isinstance(entry, str) else (entry.get('source'), entry.get('target', ''))
        if not str(target).endswith(target_suffix):
            continue
        config = model['configs'].get(source) or {}
        if 'content' in config:
            return yaml.safe_load(config['content']) or {}
        if 'file' in config:
            path = model['folder'] / config['file']
            if not path.exists():
                raise StandinError(f'config {source}: file {path} not found')
            return yaml.safe_load(path.read_text(encoding='utf-8')) or {}
    for volume in settings.get('volumes') or []:
        if isinstance(volume, str) and volume.count(':') >= 1:
            host, container = volume.split(':')[:2]
            if container.endswith(target_suffix) and host.startswith(('.', '/')):
                return yaml.safe_load((model['folder'] / host).read_text(encoding='utf-8')) or {}
    return {}
