# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Read what upstream's own tools rendered: `helm template` of Camunda's chart, `docker-compose config` of its files.

Nothing here computes a configuration: the chart and Docker Compose do; these helpers only find the objects and
say what a container gets (its application.yaml and its environment, with Secret references as they are).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import yaml

CHARTS = {'8.7': '12.13.3', '8.8': '13.12.7', '8.9': '14.8.4', '8.10': '15.0.0-alpha4'}


class ToolRefused(AssertionError):
    """The real tool refused the input; the message is the tool's own."""


def chart_path(upstream, line):
    return Path(upstream) / 'helm' / f'camunda-platform-{CHARTS[line]}.tgz'


def helm_template(helm, chart, values_files, release='camunda', namespace='camunda'):
    """The objects `helm template` renders, in order; a refusal raises ToolRefused with helm's message."""
    command = [str(helm), 'template', release, str(chart), '--namespace', namespace]
    for path in values_files:
        command += ['--values', str(path)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=300)
    if result.returncode:
        raise ToolRefused(f'helm template of {Path(chart).name} refused the values: {result.stderr.strip()}')
    return [document for document in yaml.safe_load_all(result.stdout) if document]


def objects(documents, kind, component):
    """The objects of this kind whose app.kubernetes.io/component label is `component`."""
    return [
        document
        for document in documents
        if document.get('kind') == kind
        and (document['metadata'].get('labels') or {}).get('app.kubernetes.io/component') == component
    ]


def configmap_yaml(documents, component, key='application.yaml'):
    """The YAML file `key` of the component's ConfigMap that holds it, parsed; None when no ConfigMap holds it."""
    for configmap in objects(documents, 'ConfigMap', component):
        if key in (configmap.get('data') or {}):
            return yaml.safe_load(configmap['data'][key])
    return None


def container_env(documents, kind, component, container=None):
    """{name: value or {'secretKeyRef': {name, key}} ...} of the component's (first or named) container."""
    workloads = objects(documents, kind, component)
    if not workloads:
        return None
    containers = workloads[0]['spec']['template']['spec']['containers']
    chosen = next((item for item in containers if container in (None, item['name'])), containers[0])
    env = {}
    for entry in chosen.get('env') or []:
        source = entry.get('valueFrom') or {}
        env[entry['name']] = entry['value'] if 'value' in entry else source
    return env


def dig(tree, *keys):
    for key in keys:
        if not isinstance(tree, dict) or key not in tree:
            return None
        tree = tree[key]
    return tree


def compose_config(docker_compose, project, files):
    """`docker-compose config --format json` of these files in the project: the model `up` would run."""
    command = [str(docker_compose), '--project-directory', str(project)]
    for name in files:
        command += ['--file', str(name)]
    command += ['config', '--format', 'json']
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=120, cwd=project)
    if result.returncode:
        raise ToolRefused(f'docker-compose config refused the project: {result.stderr.strip()}')
    return json.loads(result.stdout)
