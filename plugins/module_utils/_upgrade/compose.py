# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A Docker Compose project against the target's upstream folder (camunda-distributions): versions and settings.

For internal collection use only: no stable interface.

Compose has no upgrade procedure of its own: the target folder's ``.env`` says which image versions and settings the
target expects. The real ``docker-compose config`` renders both folders, so the images before and after are the
ones Compose would run.
"""

from __future__ import annotations

import json
import os
import re
import tempfile

from ansible_collections.community.camunda.plugins.module_utils._upgrade.rules import finding, minor_of, parse_version

DISTRIBUTIONS = 'https://github.com/camunda/camunda-distributions/tree/main/docker-compose/versions'
_LINE = re.compile(r'^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$')


def read_env(folder):
    """{name: value} of a Compose project's .env ({} when it has none)."""
    path = os.path.join(folder, '.env')
    found = {}
    if not os.path.exists(path):
        return found
    with open(path, encoding='utf-8') as handle:
        for line in handle:
            if line.lstrip().startswith('#'):
                continue
            match = _LINE.match(line)
            if match:
                found[match.group(1)] = match.group(2).strip('\'"')
    return found


def judge_env(project, target, target_version):
    """(facts, findings) of the project's .env against the target folder's."""
    versions = {
        name: {'current': project.get(name), 'target': target[name]}
        for name in sorted(target)
        if name.endswith('_VERSION') and name.startswith('CAMUNDA')
    }
    added = sorted(set(target) - set(project))
    removed = sorted(set(project) - set(target))
    findings = []
    shipped = parse_version(target.get('CAMUNDA_VERSION'))
    wanted = parse_version(target_version)
    if shipped and wanted and minor_of(shipped) != minor_of(wanted):
        findings.append(
            finding(
                'compose_target_other_minor',
                'error',
                f'The target folder ships Camunda {target.get("CAMUNDA_VERSION")}, not {target_version}.',
                f'Use the camunda-{wanted[0]}.{wanted[1]} folder of camunda-distributions.',
                DISTRIBUTIONS,
            )
        )
    elif shipped and wanted and shipped != wanted:
        # The project would run the folder's version, and waiting for another one would time out after the data migrated.
        findings.append(
            finding(
                'compose_target_other_patch',
                'error',
                f'The target folder ships Camunda {target.get("CAMUNDA_VERSION")}, not {target_version}.',
                f'Set the target version to {target.get("CAMUNDA_VERSION")}, or CAMUNDA_VERSION in the '
                f'target folder\'s .env to {target_version}.',
                DISTRIBUTIONS,
            )
        )
    # The .env lines the apply writes, in one place: the role writes these and names them in check mode.
    changes = [
        dict(name=name, current=v['current'], target=v['target'])
        for name, v in versions.items()
        if v['current'] != v['target']
    ]
    changed = [f'{c["name"]} {c["current"] or "unset"} -> {c["target"]}' for c in changes]
    if changed:
        findings.append(
            finding(
                'compose_image_versions',
                'info',
                'Image versions to set: ' + '; '.join(changed) + '.',
                'Take the target folder\'s versions into your .env (or use the target folder).',
                DISTRIBUTIONS,
            )
        )
    if added:
        findings.append(
            finding(
                'compose_new_settings',
                'warning',
                'The target .env has settings your project lacks: ' + ', '.join(added) + '.',
                'Add them to your .env with your values (see the target folder\'s .env and README).',
                DISTRIBUTIONS,
            )
        )
    if removed:
        findings.append(
            finding(
                'compose_removed_settings',
                'warning',
                'Your .env has settings the target no longer has: ' + ', '.join(removed) + '.',
                'Check in the target folder\'s README what replaced them; remove them afterwards.',
                DISTRIBUTIONS,
            )
        )
    return dict(versions=versions, changes=changes, added=added, removed=removed), findings


def images(binary, folder, files, run, env_files=()):
    """({service: image}, error) from ``docker-compose config`` of a folder (the real Compose, no daemon needed)."""
    argv = [binary, '--project-directory', folder]
    for name in env_files:
        argv += ['--env-file', name]
    for name in files:
        argv += ['-f', os.path.join(folder, name)]
    rc, out, err = run(argv + ['config', '--format', 'json'])
    if rc != 0:
        return {}, (err.strip().splitlines() or [f'exit {rc}'])[-1]
    services = json.loads(out or '{}').get('services') or {}
    return {name: spec.get('image') for name, spec in sorted(services.items()) if spec.get('image')}, None


def planned_images(binary, folder, files, versions, run):
    """({service: image}, error) of the project once its .env has the target versions: the real Compose renders it with
    the project's .env and then a file of only the version lines (the later env file wins; no secret is copied)."""
    changes = {name: version['target'] for name, version in versions.items() if version['current'] != version['target']}
    with tempfile.TemporaryDirectory() as scratch:
        targets = os.path.join(scratch, 'versions.env')
        with open(targets, 'w', encoding='utf-8') as handle:
            handle.writelines(f'{name}={value}\n' for name, value in sorted(changes.items()))
        own = os.path.join(folder, '.env')
        return images(binary, folder, files, run, ([own] if os.path.exists(own) else []) + [targets])


def judge_planned(planned, versions):
    """Findings when the project's images do not take the target version from the .env (pinned in the files)."""
    target = (versions.get('CAMUNDA_VERSION') or {}).get('target')
    if not target or not planned or any(image.endswith(':' + target) for image in planned.values()):
        return []
    return [
        finding(
            'compose_images_not_from_env',
            'error',
            f'With CAMUNDA_VERSION={target} in the .env, none of your project\'s images runs {target} (the '
            'Compose files pin the versions): writing the .env would not upgrade anything.',
            'Let the Compose files take the image versions from the .env (camunda/camunda:${CAMUNDA_VERSION}, '
            'as the target folder does), or upgrade the images by hand.',
            DISTRIBUTIONS,
        )
    ]
