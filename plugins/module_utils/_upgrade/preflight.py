# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""UPGRADE_PREFLIGHT_SPEC + run_upgrade_preflight (the camunda_upgrade_preflight core): read only, findings as data.

For internal collection use only: no stable interface.

It reads the topology (versions of every broker and the gateway, health), the backups and exporter phases when a
management port is given, and for Helm renders the target chart locally with the values the upgrade would apply.
It sends nothing that changes anything, so check mode runs it whole.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._backup.api import BackupRun, StepFailed
from ansible_collections.community.camunda.plugins.module_utils._backup.spec import MANAGEMENT_OPTIONS
from ansible_collections.community.camunda.plugins.module_utils._cluster.topology import (
    VERSION_KINDS,
    broker_id,
    topology_problem_details,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    CamundaError,
    ConfigurationError,
    redact,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._upgrade import c8run, compose, helm_chart, rules

DEPLOYMENTS = ('helm', 'docker_compose', 'c8run')
_SECRET_KEY = re.compile(r'(password|secret|token|key|credential)', re.IGNORECASE)

UPGRADE_PREFLIGHT_SPEC = module_spec(
    options=dict(
        target_version=dict(type='str', required=True),
        deployment=dict(type='str', required=True, choices=list(DEPLOYMENTS)),
        latest_patch=dict(type='str'),
        **MANAGEMENT_OPTIONS,
        helm_chart=dict(type='path'),
        helm_binary=dict(type='str', default='helm'),
        helm_release=dict(type='str', default='camunda'),
        helm_namespace=dict(type='str', default='camunda'),
        helm_kubeconfig=dict(type='path'),
        helm_current_values_file=dict(type='path'),
        helm_values_files=dict(type='list', elements='path', default=[]),
        helm_set_values=dict(type='dict', default={}),
        compose_project_dir=dict(type='path'),
        compose_target_dir=dict(type='path'),
        compose_files=dict(type='list', elements='str', default=['docker-compose.yaml']),
        compose_binary=dict(type='str', default='docker-compose'),
        c8run_dir=dict(type='path'),
        c8run_target_dir=dict(type='path'),
        c8run_config=dict(type='str'),
        c8run_start_script=dict(type='str', default='start.sh'),
    ),
    required_if=[
        ('deployment', 'helm', ('helm_chart',)),
        ('deployment', 'docker_compose', ('compose_project_dir', 'compose_target_dir')),
        ('deployment', 'c8run', ('c8run_dir', 'c8run_target_dir')),
    ],
    mutually_exclusive=[('management_password', 'management_token')],
    required_together=[('management_username', 'management_password')],
)


def topology_versions(topology):
    """({broker id: version}, gateway version) of a topology document."""
    brokers = {broker_id(b): b.get('version') for b in topology.get('brokers') or []}
    return brokers, topology.get('gatewayVersion')


def secret_leaves(document):
    """String values under secret-looking keys, so that no refusal message repeats them."""
    found = []
    if isinstance(document, dict):
        for key, value in document.items():
            if isinstance(value, str) and _SECRET_KEY.search(str(key)) and value:
                found.append(value)
            else:
                found += secret_leaves(value)
    elif isinstance(document, list):
        for item in document:
            found += secret_leaves(item)
    return found


def judge_cluster(topology, options):
    """(current version, versions, action, findings) from the topology and the version rules."""
    brokers, gateway = topology_versions(topology)
    current, findings = rules.running_version(brokers, gateway)
    mixed = bool(findings) and findings[0]['id'] == 'mixed_versions'
    if current is None:
        return None, dict(brokers=brokers, gateway=gateway), 'refused', findings
    action, path_findings = rules.judge_path(
        current,
        options.get('target_version'),
        mixed=mixed,
        latest_patch_text=options.get('latest_patch'),
        kind=options.get('deployment'),
    )
    if action != 'refused' and mixed:
        findings = []  # resuming to the same target: mixed versions are expected
    findings += path_findings
    health = [p['message'] for p in topology_problem_details(topology) if p['kind'] not in VERSION_KINDS]
    findings += rules.judge_health(health)
    return current, dict(brokers=brokers, gateway=gateway), action, findings


def judge_backups_and_exporting(options, context, client):
    """Findings of the backups in progress and the exporter phases (needs the management port before 8.10)."""
    try:
        run = BackupRun(options, context, client)
    except ConfigurationError:
        return [
            rules.finding(
                'backups_not_checked',
                'warning',
                'Backups in progress and exporting were not checked: no management_url.',
                'Give management_url (the management port, 9600) so that the preflight can check them.',
                rules.BACKUP_DOCS,
            )
        ]
    try:
        # relational storage has no history backup (and 8.10 refuses to list one there)
        parts = [part for part in ('runtime', 'history') if part in run.required]
        backups = [backup for part in parts for backup in run.list_backups(part)]
        phases, problems = run.partition_phases()
    except StepFailed as exc:
        return [
            rules.finding(
                'backups_unreadable',
                'error',
                f'Backups could not be read: {exc.msg}',
                'Check management_url and its credentials.',
                rules.BACKUP_DOCS,
            )
        ]
    finally:
        run.close()
    return rules.judge_backups(backups) + rules.judge_exporting(phases, problems)


def _load_files(paths):
    documents = []
    for path in paths:
        try:
            with open(path, encoding='utf-8') as handle:
                documents.append(helm_chart.yaml.safe_load(handle) or {})
        except (OSError, helm_chart.yaml.YAMLError) as exc:
            raise ConfigurationError(
                f'helm_values_files: {path} cannot be read as YAML ({exc}); fix the file or remove it from the list.'
            )
    return documents


def current_values(options, run):
    """(the release's own values, its computed values or None): from helm_current_values_file, else the release.

    Read here, not handed in as task arguments, so that the values (which can hold passwords) never appear in a task's
    arguments or output.
    """
    path = options.get('helm_current_values_file')
    if path:
        return _load_files([path])[0], None
    found = []
    for extra in ([], ['--all']):
        argv = [
            options.get('helm_binary'),
            'get',
            'values',
            options.get('helm_release'),
            '--output',
            'json',
            '--namespace',
            options.get('helm_namespace'),
        ] + extra
        if options.get('helm_kubeconfig'):
            argv += ['--kubeconfig', options.get('helm_kubeconfig')]
        rc, out, err = run(argv)
        if rc != 0:
            raise ConfigurationError(
                f'helm get values {options.get("helm_release")} failed ({err.strip() or rc}): check '
                'helm_release, helm_namespace and helm_kubeconfig, or give helm_current_values_file.'
            )
        try:
            found.append(helm_chart.json.loads(out or '{}') or {})
        except ValueError:
            raise ConfigurationError(f'helm get values {options.get("helm_release")} did not answer JSON.')
    return found[0], found[1]


def judge_helm(options, run=helm_chart.run_command):
    """(facts, findings) of the target chart with the values the upgrade would apply (--reset-then-reuse-values)."""
    chart_path = options.get('helm_chart')
    try:
        chart = helm_chart.read_chart(chart_path)
    except helm_chart.ChartError as exc:
        raise ConfigurationError(f'helm_chart: {exc}')
    helm = options.get('helm_binary')
    cli = helm_chart.helm_version(helm, run)
    facts = dict(
        chart=chart['name'],
        chart_version=chart['version'],
        app_version=chart['app_version'],
        helm_cli=cli,
        helm_major_needed=chart['helm_major'],
        reuse_values_trap=None,
    )
    findings = helm_chart.judge_chart_target(chart, options.get('target_version'))
    findings += helm_chart.judge_helm_cli(chart, cli)
    if any(f['id'] == 'helm_cli_unknown' for f in findings):
        return facts, findings
    current, reused = current_values(options, run)
    layers = [current] + _load_files(options.get('helm_values_files')) + [options.get('helm_set_values') or {}]
    findings += helm_chart.judge_unknown_keys(
        helm_chart.unknown_keys(current, chart['values'], chart['dependencies']), chart
    )
    release, namespace = options.get('helm_release'), options.get('helm_namespace')
    renders = [layers] + ([[reused] + layers[1:]] if reused is not None else [])
    # What the upgrade applies and, from the computed values, what `helm upgrade --reuse-values` would send (the old
    # chart's defaults travel along): two independent renders of a big chart, run side by side.
    with ThreadPoolExecutor(max_workers=len(renders)) as pool:
        outcomes = list(
            pool.map(lambda documents: helm_chart.render(helm, chart_path, release, namespace, documents, run), renders)
        )
    rc, err = outcomes[0]
    if rc != 0:
        findings += helm_chart.judge_refusals(helm_chart.refusals(err), chart)
    if reused is not None and rc == 0:
        trap_rc, trap_err = outcomes[1]
        facts['reuse_values_trap'] = trap_rc != 0
        if trap_rc != 0:
            reasons = '; '.join(f'{where}: {said}' for where, said in helm_chart.refusals(trap_err))
            findings.append(
                rules.finding(
                    'reuse_values_trap',
                    'info',
                    f'helm upgrade --reuse-values would fail here ({reasons}): the old chart\'s defaults travel with '
                    'the reused values.',
                    'The upgrade role runs helm upgrade --reset-then-reuse-values, which works; do the same by hand.',
                    rules.HELM_GUIDES.get(
                        rules.minor_of(rules.parse_version(options.get('target_version'))), rules.UPGRADE_PROCEDURE
                    ),
                )
            )
    secrets = secret_leaves(current) + secret_leaves(reused)
    for item in findings:
        item['message'] = redact(item['message'], secrets)
    return facts, findings


def judge_compose(options, run=helm_chart.run_command):
    """(facts, findings) of the Compose project against the target's upstream folder."""
    project, target = options.get('compose_project_dir'), options.get('compose_target_dir')
    for name, folder in (('compose_project_dir', project), ('compose_target_dir', target)):
        if not os.path.isdir(folder):
            raise ConfigurationError(
                f'{name}: {folder} is not a folder; give the Compose project folder and the '
                'target version\'s folder of camunda-distributions (docker-compose/versions/camunda-<minor>).'
            )
    facts, findings = compose.judge_env(
        compose.read_env(project), compose.read_env(target), options.get('target_version')
    )
    files = options.get('compose_files')
    facts['images_before'], error_before = compose.images(options.get('compose_binary'), project, files, run)
    facts['images_after'], error_after = compose.images(options.get('compose_binary'), target, files, run)
    facts['images_planned'], error_planned = compose.planned_images(
        options.get('compose_binary'), project, files, facts['versions'], run
    )
    if not error_before:
        findings += compose.judge_planned(facts['images_planned'], facts['versions'])
    for where, error in (
        ('your project', error_before),
        ('the target folder', error_after),
        ('your project with the target versions', error_planned if not error_before else None),
    ):
        if error:
            findings.append(
                rules.finding(
                    'compose_config_failed',
                    'error',
                    f'docker-compose config of {where} failed: {error}',
                    'Fix the Compose files (or compose_files, compose_binary) and run again.',
                    compose.DISTRIBUTIONS,
                )
            )
    return facts, findings


# What each kind of deployment adds: (the result's key for its facts, its judge(options, run) -> (facts, findings)).
DEPLOYMENT_JUDGES = {
    'helm': ('helm', judge_helm),
    'docker_compose': ('compose', judge_compose),
    'c8run': ('c8run', lambda options, run: c8run.judge_c8run(options)),
}


def run_upgrade_preflight(options, context, run=helm_chart.run_command):
    """The camunda_upgrade_preflight core."""
    secrets = options.secrets() + [
        options.get(n) for n in ('management_password', 'management_token') if options.get(n)
    ]
    secrets += secret_leaves(options.get('helm_set_values'))
    try:
        with CamundaClient(options, context) as client:
            topology = client.get_json('topology') or {}
            current, versions, action, findings = judge_cluster(topology, options)
            if action not in ('none', 'refused'):
                findings += judge_backups_and_exporting(options, context, client)
        result = dict(
            changed=False,
            current_version=current,
            target_version=options.get('target_version'),
            versions=versions,
            action=action,
            helm={},
            compose={},
            c8run={},
        )
        if action not in ('none', 'refused'):
            key, judge = DEPLOYMENT_JUDGES[options.get('deployment')]
            result[key], deployment_findings = judge(options, run)
            findings += deployment_findings
    except CamundaError as exc:
        exc.msg = redact(exc.msg, secrets)
        raise
    for item in findings:
        item['message'] = redact(item['message'], secrets)
    result['findings'] = rules.ordered(findings)
    result['passed'] = rules.worst(findings) != 'error'
    errors = [f['message'] for f in result['findings'] if f['severity'] == 'error']
    if action == 'none':
        result['msg'] = f'already at {options.get("target_version")}: nothing to upgrade'
    elif errors:
        result['msg'] = f'upgrade {current} -> {options.get("target_version")} refused: ' + ' | '.join(errors)
    else:
        result['msg'] = f'upgrade {current} -> {options.get("target_version")} ({action}) passes the preflight'
    return result
