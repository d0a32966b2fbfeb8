# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The target Helm chart judged before anything is applied: its metadata, the Helm CLI it needs, what it refuses.

For internal collection use only: no stable interface.

The chart is read as Helm packages it (a .tgz or a folder); ``helm template`` renders it with the values the
upgrade would apply, and its refusals (schema violations, the chart's own ``fail`` constraints) become findings.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import tarfile
import tempfile

from ansible_collections.community.camunda.plugins.module_utils._upgrade.rules import finding, minor_of, parse_version

try:
    import yaml

    HAS_YAML = True
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    HAS_YAML = False

# The chart's own Helm CLI constraint, e.g. semverCompare ">=4.0.0-0" .Capabilities.HelmVersion.Version
_HELM_CONSTRAINT = re.compile(r'semverCompare\s+"\s*>=\s*v?(\d+)[^"]*"\s+\.Capabilities\.HelmVersion')
_SCHEMA_LINE = re.compile(r"^\s*-\s*(?:at\s+)?'?(/[^':]*)'?:?\s*(.*)$")
_FAIL = re.compile(r'execution error at \(([^)]*)\):\s*(.*)$')
# Maps whose keys are the user's own (labels, env, free configuration): unknown keys inside them are not judged.
FREE_FORM_TYPES = (dict,)
VALUES_DOCS = 'https://docs.camunda.io/docs/self-managed/deployment/helm/chart-parameters/'


class ChartError(Exception):
    pass


def read_chart(path):
    """{'name', 'version', 'app_version', 'values', 'dependencies', 'helm_major'} of a packaged or unpacked chart."""
    files = {}
    wanted = ('Chart.yaml', 'values.yaml')
    constraint_majors = []
    if os.path.isdir(path):
        for name in wanted:
            full = os.path.join(path, name)
            if os.path.exists(full):
                with open(full, encoding='utf-8') as handle:
                    files[name] = handle.read()
        for folder, _dirs, names in os.walk(os.path.join(path, 'templates')):
            for name in names:
                with open(os.path.join(folder, name), encoding='utf-8', errors='replace') as handle:
                    constraint_majors += _HELM_CONSTRAINT.findall(handle.read())
        dependencies = (
            sorted(os.listdir(os.path.join(path, 'charts'))) if os.path.isdir(os.path.join(path, 'charts')) else []
        )
    else:
        try:
            archive = tarfile.open(path, 'r:*')
        except (OSError, tarfile.TarError) as exc:
            raise ChartError(f'{path} is not a readable Helm chart package: {exc}')
        dependencies = set()
        with archive:
            for member in archive.getmembers():
                parts = member.name.split('/')
                if not member.isfile() or len(parts) < 2:
                    continue
                if len(parts) == 2 and parts[1] in wanted:
                    files[parts[1]] = archive.extractfile(member).read().decode('utf-8')
                elif len(parts) >= 3 and parts[1] == 'charts':
                    dependencies.add(parts[2])
                elif parts[1] == 'templates':
                    constraint_majors += _HELM_CONSTRAINT.findall(
                        archive.extractfile(member).read().decode('utf-8', 'replace')
                    )
        dependencies = sorted(dependencies)
    if 'Chart.yaml' not in files:
        raise ChartError(f'{path} has no Chart.yaml at its top: give the packaged chart (.tgz) or its folder.')
    meta = yaml.safe_load(files['Chart.yaml']) or {}
    return dict(
        name=meta.get('name'),
        version=str(meta.get('version')),
        app_version=str(meta.get('appVersion')),
        values=yaml.safe_load(files.get('values.yaml') or '') or {},
        dependencies=dependencies,
        helm_major=max((int(m) for m in constraint_majors), default=3),
    )


def judge_chart_target(chart, target_text):
    """The chart must deploy the target's minor (its appVersion, e.g. 8.9.x)."""
    app = parse_version(chart['app_version'].replace('.x', ''))
    target = parse_version(target_text)
    if app and target and minor_of(app) != minor_of(target):
        return [
            finding(
                'chart_other_minor',
                'error',
                f'Chart {chart["name"]} {chart["version"]} deploys Camunda {chart["app_version"]}, not {target_text}.',
                'Give the chart version that deploys the target minor (see the chart version matrix).',
                'https://helm.camunda.io/camunda-platform/version-matrix/',
            )
        ]
    return []


def judge_helm_cli(chart, helm_version_text):
    """The Helm CLI major version the chart needs (from its own constraint) against the one installed."""
    installed = parse_version(helm_version_text)
    if installed is None:
        return [
            finding(
                'helm_cli_unknown',
                'error',
                f'The Helm CLI version could not be read ({helm_version_text!r}).',
                f'Install Helm {chart["helm_major"]} or later and put it on PATH (or set helm_binary).',
                'https://helm.sh/docs/intro/install/',
            )
        ]
    if installed[0] < chart['helm_major']:
        return [
            finding(
                'helm_cli_too_old',
                'error',
                f'Chart {chart["version"]} needs the Helm v{chart["helm_major"]} CLI; helm is {helm_version_text}.',
                f'Install Helm v{chart["helm_major"]} (no release migration is needed) and run again.',
                'https://helm.sh/docs/topics/v4_migration/',
            )
        ]
    return []


def unknown_keys(values, defaults, dependencies=(), prefix=''):
    """Dotted paths of ``values`` that the chart's defaults do not have.

    A key is judged only where the chart's default at that place is a non-empty map: an empty map, a list or a
    scalar there is the user's to fill. Subcharts (``dependencies``) have their own values and are not judged.
    """
    found = []
    if not isinstance(values, dict) or not isinstance(defaults, dict) or not defaults:
        return found
    for key, value in values.items():
        path = f'{prefix}{key}'
        if not prefix and key in dependencies:
            continue
        if key not in defaults:
            found.append(path)
        elif isinstance(value, dict):
            found += unknown_keys(value, defaults[key], dependencies, path + '.')
    return found


def judge_unknown_keys(paths, chart):
    return [
        finding(
            'unknown_value',
            'warning',
            f'{path} is not a value of chart {chart["version"]}: it would be ignored after the upgrade.',
            f'Remove {path} or move it to its new place in chart {chart["version"]} (see the upgrade guide '
            'of the target minor).',
            VALUES_DOCS,
        )
        for path in paths
    ]


def refusals(stderr):
    """[(where, message)] of what ``helm template`` refused: schema violations and the chart's fail constraints."""
    found = []
    in_schema = False
    for line in stderr.splitlines():
        fail = _FAIL.search(line)
        if fail:
            found.append((fail.group(1), fail.group(2).strip()))
            continue
        if "don't meet the specifications of the schema" in line:
            in_schema = True
            continue
        if in_schema:
            schema = _SCHEMA_LINE.match(line)
            if schema:
                found.append((schema.group(1), schema.group(2).strip()))
    if not found and stderr.strip():
        found.append(('helm', stderr.strip().splitlines()[-1]))
    return found


def judge_refusals(pairs, chart, what='The target chart'):
    out = []
    for where, message in pairs:
        if where.startswith('/'):
            key = where.strip('/').replace('/', '.')
            out.append(
                finding(
                    'chart_schema_refusal',
                    'error',
                    f'{what} {chart["version"]} refuses {key}: {message}',
                    f'Change {key} in your values so that it matches the schema of chart {chart["version"]}.',
                    VALUES_DOCS,
                )
            )
        else:
            out.append(
                finding(
                    'chart_refusal',
                    'error',
                    f'{what} {chart["version"]} refuses the values: {message}',
                    'Set what the message names in your values (or the upgrade role\'s variables).',
                    VALUES_DOCS,
                )
            )
    return out


def run_command(argv):
    """(rc, stdout, stderr); the runner of the real CLI, replaced in unit tests."""
    try:
        completed = subprocess.run(argv, capture_output=True, text=True, check=False)
    except OSError as exc:
        return 127, '', f'{argv[0]}: {exc.strerror}'
    return completed.returncode, completed.stdout, completed.stderr


def helm_version(helm, run=run_command):
    rc, out, err = run([helm, 'version', '--template', '{{.Version}}'])
    return out.strip() if rc == 0 else (err.strip() or f'exit {rc}')


def render(helm, chart_path, release, namespace, value_documents, run=run_command):
    """(rc, stderr) of ``helm template`` with the value documents (dicts) layered in order, nothing sent anywhere."""
    with tempfile.TemporaryDirectory(prefix='camunda-upgrade-') as folder:
        argv = [helm, 'template', release, chart_path, '--namespace', namespace]
        for index, document in enumerate(value_documents):
            path = os.path.join(folder, f'values-{index}.json')
            # 0600: current values can hold secrets. JSON is YAML to helm, and json serialises the str and dict
            # subclasses that Ansible hands over (tagged values) where yaml.safe_dump refuses them.
            with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600), 'w', encoding='utf-8') as handle:
                json.dump(document, handle)
            argv += ['--values', path]
        rc, _out, err = run(argv)
    return rc, err
