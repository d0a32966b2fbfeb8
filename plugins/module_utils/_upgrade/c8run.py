# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A Camunda 8 Run folder against the unpacked target version's folder: versions, layout, settings, storage, and the
carry-over plan (which paths the apply copies from your folder into the target).

For internal collection use only: no stable interface.

Camunda's manual upgrade of an archive distribution: stop, unpack the new version next to the old one, merge your
configuration, start the new one. A C8 Run folder names its versions in ``.env`` (CAMUNDA_VERSION, and up to 8.8
ELASTICSEARCH_VERSION for the bundled Elasticsearch), holds the Camunda distribution as ``camunda-zeebe-<version>/``
(its Zeebe data in ``data/``), ``configuration/application.yaml`` and the start and stop scripts. C8 Run's stop
deletes ``camunda-zeebe-<version>/data`` when the secondary storage is an H2 database, so nothing carries over then.
Sources: docs/upstream.md, section "Upgrade: Camunda 8 Run".
"""

from __future__ import annotations

import os

try:
    import yaml
except ImportError:  # pragma: no cover - PyYAML comes with ansible-core
    yaml = None

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._upgrade.compose import read_env
from ansible_collections.community.camunda.plugins.module_utils._upgrade.rules import finding, parse_version

MANUAL_UPGRADE = 'https://docs.camunda.io/docs/self-managed/upgrade/manual/'
STORAGE_DOCS = 'https://docs.camunda.io/docs/self-managed/quickstart/developer-quickstart/c8run/secondary-storage/'
CONFIGURATION = os.path.join('configuration', 'application.yaml')
RDBMS_URL_VARIABLE = 'CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL'


def read_yaml(path):
    """The YAML document of a file ({} when absent or empty); ConfigurationError when it is not YAML."""
    if not os.path.exists(path):
        return {}
    if yaml is None:
        raise ConfigurationError(f'{path} cannot be read: the module needs PyYAML (python -m pip install PyYAML).')
    try:
        with open(path, encoding='utf-8') as handle:
            document = yaml.safe_load(handle) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigurationError(f'{path} cannot be read as YAML ({exc}); fix the file.')
    return document if isinstance(document, dict) else {}


def _get(document, *keys):
    for key in keys:
        if not isinstance(document, dict):
            return None
        document = document.get(key)
    return document


def leaf_keys(document, prefix=''):
    """The dotted paths of every setting (a list counts as one setting)."""
    if not isinstance(document, dict):
        return {prefix} if prefix else set()
    found = set()
    for key, value in document.items():
        path = f'{prefix}.{key}' if prefix else str(key)
        found |= leaf_keys(value, path) if isinstance(value, dict) and value else {path}
    return found


def storage(folder, env, config=None):
    """(type, H2 or not) of a C8 Run folder's secondary storage as C8 Run's start and stop read it.

    The type is camunda.data.secondary-storage.type of the first file that sets it (the --config file, then
    configuration/application.yaml); unset means Camunda's default, Elasticsearch. C8 Run's stop deletes the Zeebe
    data when the type is set and not elasticsearch and the RDBMS url (CAMUNDA_DATA_SECONDARY_STORAGE_RDBMS_URL, which
    C8 Run also reads from .env, else camunda.data.secondary-storage.rdbms.url in those files) starts with jdbc:h2:.
    The variable exported in the shell that runs the stop is not seen here: set it in .env. C8 Run's stop takes no
    --config (only application.yaml decides there); reading the --config file too errs on the side of the warning.
    """
    files = ([os.path.join(folder, config)] if config else []) + [os.path.join(folder, CONFIGURATION)]
    documents = [read_yaml(path) for path in files]
    kind = next(
        (str(t).strip() for t in (_get(d, 'camunda', 'data', 'secondary-storage', 'type') for d in documents) if t), ''
    )
    url = env.get(RDBMS_URL_VARIABLE)
    if url is None:
        url = next(
            (str(u) for u in (_get(d, 'camunda', 'data', 'secondary-storage', 'rdbms', 'url') for d in documents) if u),
            '',
        )
    h2 = kind.lower() not in ('', 'elasticsearch') and url.strip().lower().startswith('jdbc:h2:')
    return (kind or 'elasticsearch'), h2


def read_folder(folder, name):
    """{'env', 'version', 'zeebe'} of a C8 Run folder; ConfigurationError naming the option when it is none."""
    if not folder or not os.path.isdir(folder):
        raise ConfigurationError(
            f'{name}: {folder} is not a folder; give the Camunda 8 Run folder (the one with .env and start.sh).'
        )
    env = read_env(folder)
    version = env.get('CAMUNDA_VERSION')
    if not version:
        raise ConfigurationError(
            f'{name}: {folder} has no .env with CAMUNDA_VERSION, so it is not a Camunda 8 Run folder; '
            'give the folder you unpacked camunda8-run-<version>-<os>-<arch>.tar.gz into.'
        )
    return dict(env=env, version=version, zeebe=f'camunda-zeebe-{version}')


def judge_layout(target, target_dir, target_version, start_script):
    """Findings of the target folder: its version (.env) and what it must hold to start."""
    findings = []
    shipped, wanted = parse_version(target['version']), parse_version(target_version)
    if shipped != wanted:
        findings.append(
            finding(
                'c8run_target_other_version',
                'error',
                f'The target folder {target_dir} holds Camunda 8 Run {target["version"]} (its .env), not {target_version}.',
                f'Unpack Camunda 8 Run {target_version} into a new folder and give it as the target folder.',
                MANUAL_UPGRADE,
            )
        )
    missing = [name for name in (start_script, target['zeebe']) if not os.path.exists(os.path.join(target_dir, name))]
    if missing:
        findings.append(
            finding(
                'c8run_target_incomplete',
                'error',
                f'The target folder {target_dir} lacks {", ".join(missing)}: it is not a whole Camunda 8 Run {target["version"]}.',
                'Unpack the Camunda 8 Run archive of the target version again, whole.',
                MANUAL_UPGRADE,
            )
        )
    return findings


def judge_settings(current_dir, target_dir):
    """The settings the target's default configuration has that yours lacks (you merge them)."""
    yours = leaf_keys(read_yaml(os.path.join(current_dir, CONFIGURATION)))
    default = leaf_keys(read_yaml(os.path.join(target_dir, CONFIGURATION)))
    added = sorted(default - yours)
    if not added:
        return added, []
    return added, [
        finding(
            'c8run_new_settings',
            'warning',
            f'The target\'s default {CONFIGURATION} has settings yours lacks: {", ".join(added)}. The upgrade copies your '
            'configuration into the target folder, so they do not apply unless you merge them.',
            f'Merge them into your {CONFIGURATION} where you want them (the upgrade keeps the target\'s own file beside it as '
            f'{CONFIGURATION}.dist).',
            MANUAL_UPGRADE,
        )
    ]


def _elasticsearch_plan(current, target, current_dir):
    """([(source, dest)], findings) for C8 Run's bundled Elasticsearch (its data under elasticsearch-<version>/data,
    Elasticsearch's default for an archive install)."""
    old_version, new_version = current['env'].get('ELASTICSEARCH_VERSION'), target['env'].get('ELASTICSEARCH_VERSION')
    source = f'elasticsearch-{old_version}/data'
    if not old_version or not os.path.isdir(os.path.join(current_dir, source)):
        return [], []
    if new_version:
        return [(source, f'elasticsearch-{new_version}/data')], []
    return [], [
        finding(
            'c8run_elasticsearch_not_bundled',
            'warning',
            f'Your folder runs the bundled Elasticsearch {old_version} (its data in {source}); the target Camunda 8 Run '
            f'{target["version"]} bundles none, and stopping your folder stops that Elasticsearch too.',
            'Run an Elasticsearch on that data (or restore into one) and point the target at it '
            '(camunda.data.secondary-storage.elasticsearch.url) before the upgrade starts it.',
            STORAGE_DOCS,
        )
    ]


def plan(current, target, current_dir, target_dir, kind, h2):
    """([{'source', 'dest', 'what'}], findings): what the apply copies from your folder into the target."""
    copies = [dict(source='configuration/', dest='configuration/', what='your configuration')]
    findings = []
    target_data = os.path.join(target_dir, target['zeebe'], 'data')
    if not h2 and os.path.isdir(target_data) and os.listdir(target_data):
        findings.append(
            finding(
                'c8run_target_has_data',
                'error',
                f'The target folder already holds Zeebe data ({target_data}): it has run, and your data cannot be copied '
                'over a cluster of its own.',
                'Unpack the target version again into an empty folder (or delete that data folder if nothing in it is '
                'needed).',
                MANUAL_UPGRADE,
            )
        )
    if h2:
        findings.append(
            finding(
                'c8run_h2_nothing_carried_over',
                'warning',
                f'Your folder uses H2 as secondary storage ({kind}): C8 Run deletes {current["zeebe"]}/data when it stops, '
                'to keep H2 consistent, so no process data survives the stop and the upgraded Camunda 8 Run starts empty '
                '(only your configuration is copied).',
                'Deploy your processes again after the upgrade; to keep data across versions, use Elasticsearch or an '
                'external database as secondary storage.',
                STORAGE_DOCS,
            )
        )
        return copies, findings
    zeebe_data = f'{current["zeebe"]}/data'
    if os.path.isdir(os.path.join(current_dir, zeebe_data)):
        copies.append(dict(source=zeebe_data + '/', dest=f'{target["zeebe"]}/data/', what='the Zeebe data'))
    if kind.lower() == 'elasticsearch':
        elastic, elastic_findings = _elasticsearch_plan(current, target, current_dir)
        copies += [dict(source=s + '/', dest=d + '/', what='the Elasticsearch data') for s, d in elastic]
        findings += elastic_findings
    return copies, findings


def judge_c8run(options):
    """(facts, findings) of the C8 Run folder against the unpacked target version's folder."""
    current_dir, target_dir = options.get('c8run_dir'), options.get('c8run_target_dir')
    current = read_folder(current_dir, 'c8run_dir')
    target = read_folder(target_dir, 'c8run_target_dir')
    if os.path.realpath(current_dir) == os.path.realpath(target_dir):
        raise ConfigurationError(
            'c8run_target_dir is c8run_dir: unpack the target version into a new folder, so that your '
            'folder stays as it is (it is the way back).'
        )
    target_version = options.get('target_version')
    findings = judge_layout(target, target_dir, target_version, options.get('c8run_start_script'))
    added, setting_findings = judge_settings(current_dir, target_dir)
    kind, h2 = storage(current_dir, current['env'], options.get('c8run_config'))
    copies, plan_findings = plan(current, target, current_dir, target_dir, kind, h2)
    findings += setting_findings + plan_findings
    findings.append(
        finding(
            'c8run_carry_over',
            'info',
            'The upgrade stops your Camunda 8 Run, copies '
            + '; '.join(f'{c["what"]} ({c["source"]} -> {c["dest"]})' for c in copies)
            + ' into the target folder (your folder is not changed), and starts the target.',
            None,
            MANUAL_UPGRADE,
        )
    )
    facts = dict(
        current_version=current['version'],
        target_folder_version=target['version'],
        connectors=dict(
            current=current['env'].get('CONNECTORS_VERSION'), target=target['env'].get('CONNECTORS_VERSION')
        ),
        secondary_storage=kind,
        h2=h2,
        added_settings=added,
        copies=copies,
    )
    return facts, findings
