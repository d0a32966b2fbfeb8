# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Camunda's upgrade rules as pure functions: versions in, findings (data) out.

For internal collection use only: no stable interface.

A finding is a dict ``{id, severity, message, fix, link}``; severity ``error`` stops the upgrade, ``warning`` and
``info`` are reported. The rules come from docs.camunda.io "Upgrade Camunda 8.9 to 8.10 using Helm" (upgrade to
the latest patch of the current minor first, then one minor at a time: a skipped minor fails the schema
compatibility check and blocks start-up), "Upgrade Camunda 8.8 to 8.9 using Helm" and "Upgrade Camunda 8.7 to 8.8
using Helm"; docs/upstream.md, section "Upgrade", lists them with the tests that hold them.
"""

from __future__ import annotations

import re

SEVERITIES = ('error', 'warning', 'info')
DOCS = 'https://docs.camunda.io/docs/self-managed/upgrade/'
HELM_GUIDES = {
    (8, 8): DOCS + 'helm/870-to-880/',
    (8, 9): DOCS + 'helm/880-to-890/',
    (8, 10): DOCS + 'helm/890-to-8100/',
}
UPGRADE_PROCEDURE = HELM_GUIDES[(8, 10)]
BACKUP_DOCS = 'https://docs.camunda.io/docs/self-managed/operational-guides/backup-restore/backup-and-restore/'
_VERSION = re.compile(r'^v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+].*)?$')

# What changes on the way into a minor, per kind of deployment ('any' for all): (id, severity, message, fix).
STEP_NOTES = {
    (8, 8): (
        (
            'any',
            'identity_moves_into_cluster',
            'info',
            '8.8 moves users, groups, roles, tenants and authorizations of the orchestration cluster into the cluster '
            'itself (Orchestration Cluster Identity); Management Identity stays for Optimize, Web Modeler and Console.',
            'Plan the identity migration of the 8.8 guide; check that your clients still get the permissions they need.',
        ),
        (
            'helm',
            'values_under_orchestration',
            'warning',
            'Chart 13.x (8.8) moves the Zeebe, gateway, Operate and Tasklist settings under orchestration.*: values '
            'written for chart 12.x under zeebe.*, zeebeGateway.*, operate.* or tasklist.* are not read any more.',
            'Move those keys under orchestration.* as the 8.8 Helm upgrade guide maps them (the unknown keys listed '
            'by this preflight are the ones to move).',
        ),
        (
            'any',
            'elasticsearch_consolidation',
            'warning',
            '8.8 reads the exported Zeebe, Operate and Tasklist data from one Elasticsearch/OpenSearch instance.',
            'If they use more than one instance, consolidate them into a single one before upgrading.',
        ),
        (
            'any',
            'index_prefixes',
            'warning',
            '8.8 changes how custom index prefixes apply (one prefix for the unified indices).',
            'If you set custom prefixes, apply the prefix changes of the 8.8 guide before upgrading.',
        ),
    ),
    (8, 9): (
        (
            'helm',
            'secondary_storage_required',
            'info',
            'Chart 14.x (8.9) refuses to render without orchestration.data.secondaryStorage.type '
            '(elasticsearch, opensearch or rdbms).',
            'Set orchestration.data.secondaryStorage.type (the upgrade role sets upgrade_helm_secondary_storage_type, '
            'default elasticsearch).',
        ),
        (
            'helm',
            'deprecated_secret_keys',
            'warning',
            'Chart 14.x (8.9) drops the deprecated 8.8 secret keys (for example global.license.key and the old '
            '*.existingSecret paths).',
            'Move them to the *.secret.existingSecret / *.secret.existingSecretKey paths before upgrading.',
        ),
        (
            'docker_compose',
            'h2_by_default',
            'warning',
            'From 8.9 the lightweight docker-compose.yaml runs on H2 (a relational secondary storage), not '
            'Elasticsearch: data in an 8.8 Elasticsearch is not read by it.',
            'Use the full docker-compose-full.yaml (Elasticsearch) of 8.9 to keep your 8.8 data, or plan a fresh start.',
        ),
    ),
    (8, 10): (
        (
            'helm',
            'helm_v4_required',
            'info',
            'Chart 15.x (8.10) requires the Helm v4 CLI (its own constraint refuses Helm 3).',
            'Switch to the Helm v4 CLI while still on 8.9 (chart 14.x supports it); no release migration is needed.',
        ),
    ),
}


def finding(id, severity, message, fix=None, link=None):  # pylint: disable=redefined-builtin
    return dict(id=id, severity=severity, message=message, fix=fix, link=link)


def parse_version(text):
    """(major, minor, patch) of '8.9.3', 'v8.9.3', '8.9' (patch None) or '8.9.0-alpha1'; None when not a version."""
    match = _VERSION.match(str(text or '').strip())
    if not match:
        return None
    return int(match.group(1)), int(match.group(2)), int(match.group(3)) if match.group(3) is not None else None


def minor_of(version):
    return version[:2] if version else None


def show(version):
    return '.'.join(str(part) for part in version if part is not None)


def _step_link(target_minor):
    return HELM_GUIDES.get(tuple(target_minor), UPGRADE_PROCEDURE)


def running_version(broker_versions, gateway_version):
    """(version text or None, [finding]) of the cluster from its topology's versions.

    One version everywhere: that version. Mixed versions: the highest, with a finding that the caller keeps only
    when the target is that highest version (resuming an interrupted upgrade); judge_path makes it an error otherwise.
    """
    seen = {}
    for name, text in list(broker_versions.items()) + [('gateway', gateway_version)]:
        if text:
            seen.setdefault(text, []).append(str(name))
    if not seen:
        return None, [
            finding(
                'version_unknown',
                'error',
                'The topology reports no version for any broker or the gateway.',
                'Check that the cluster answers GET /v2/topology with brokers.',
                UPGRADE_PROCEDURE,
            )
        ]
    if len(seen) == 1:
        return next(iter(seen)), []
    parsed = sorted(seen, key=lambda text: parse_version(text) or (0, 0, 0))
    where = '; '.join(f'{text} on {", ".join(seen[text])}' for text in parsed)
    return parsed[-1], [
        finding(
            'mixed_versions',
            'warning',
            f'The cluster runs mixed versions: {where}.',
            'Mixed versions are allowed only to resume an interrupted upgrade to the same '
            'target; finish that upgrade first.',
            UPGRADE_PROCEDURE,
        )
    ]


def judge_path(current_text, target_text, mixed=False, latest_patch_text=None, kind='any'):
    """The findings of going from current_text to target_text under Camunda's upgrade procedure.

    Returns (action, [finding]): action is 'none' (already there), 'patch', 'minor' or 'refused'.
    """
    current, target = parse_version(current_text), parse_version(target_text)
    if target is None or target[2] is None:
        return 'refused', [
            finding(
                'target_invalid',
                'error',
                f'upgrade_to_version {target_text!r} is not a full Camunda version.',
                'Give the full target version, e.g. 8.9.2.',
                UPGRADE_PROCEDURE,
            )
        ]
    if current is None:
        return 'refused', [
            finding(
                'version_unknown',
                'error',
                f'The running version {current_text!r} cannot be read.',
                'Check the topology (GET /v2/topology).',
                UPGRADE_PROCEDURE,
            )
        ]
    current_patch = current if current[2] is not None else current[:2] + (0,)
    if mixed and current_patch != target:
        return 'refused', [
            finding(
                'mixed_versions_other_target',
                'error',
                f'The cluster runs mixed versions and the highest, {show(current)}, is not the target {show(target)}.',
                f'Resume the interrupted upgrade with upgrade_to_version {show(current)} first.',
                UPGRADE_PROCEDURE,
            )
        ]
    if current_patch == target:
        if mixed:
            return 'minor', [
                finding(
                    'resume', 'info', f'Resuming the interrupted upgrade to {show(target)}.', None, UPGRADE_PROCEDURE
                )
            ]
        return 'none', [
            finding('already_at_target', 'info', f'The cluster already runs {show(target)}: nothing to do.')
        ]
    if target < current_patch:
        return 'refused', [
            finding(
                'downgrade',
                'error',
                f'{show(target)} is older than the running {show(current)}: Camunda does not support '
                'downgrades once data has migrated.',
                'Choose a target at or above the running version; to go back, restore a backup taken on that version.',
                UPGRADE_PROCEDURE,
            )
        ]
    if target[0] != current[0]:
        return 'refused', [
            finding(
                'major_change',
                'error',
                f'{show(current)} to {show(target)} changes the major version: no upgrade path is documented.',
                None,
                UPGRADE_PROCEDURE,
            )
        ]
    if target[1] == current[1]:
        return 'patch', []
    if target[1] > current[1] + 1:
        next_minor = (current[0], current[1] + 1)
        return 'refused', [
            finding(
                'skipped_minor',
                'error',
                f'{show(current)} to {show(target)} skips {show(next_minor)}: Camunda upgrades '
                'one minor at a time, and a skipped minor fails the schema compatibility check and blocks start-up.',
                f'Upgrade to the latest {show(next_minor)} patch first, then to {show(target)}.',
                UPGRADE_PROCEDURE,
            )
        ]
    findings = []
    latest = parse_version(latest_patch_text)
    if latest and minor_of(latest) == minor_of(current) and latest[2] is not None and current_patch < latest:
        findings.append(
            finding(
                'not_latest_patch',
                'error',
                f'The cluster runs {show(current)}, not the latest {show(current[:2])} patch '
                f'{show(latest)}: Camunda upgrades from the latest patch of the current minor.',
                f'Upgrade to {show(latest)} first (a patch upgrade), then to {show(target)}.',
                UPGRADE_PROCEDURE,
            )
        )
    for note_kind, note_id, severity, message, fix in STEP_NOTES.get(target[:2], ()):
        if note_kind in ('any', kind):
            findings.append(finding(note_id, severity, message, fix, _step_link(target[:2])))
    return 'minor', findings


def judge_health(problems):
    """Findings of the topology's health problems (camunda_topology's lines)."""
    return [
        finding(
            'cluster_unhealthy',
            'error',
            f'The cluster is not healthy: {line}.',
            'Fix the cluster before upgrading (run community.camunda.verify); an upgrade restarts every broker.',
            UPGRADE_PROCEDURE,
        )
        for line in problems
    ]


def judge_backups(backups):
    """Findings of a backup listing: one in progress blocks the upgrade."""
    running = [str(b.get('backupId')) for b in backups if str(b.get('state', '')).upper() == 'IN_PROGRESS']
    if not running:
        return []
    return [
        finding(
            'backup_in_progress',
            'error',
            f'Backup {", ".join(running)} is in progress.',
            'Wait until it has completed (camunda_backup_info) before upgrading.',
            BACKUP_DOCS,
        )
    ]


def judge_exporting(phases, problems):
    """Findings of the exporter phases: exporting must be running (a paused exporter is a backup left half-way)."""
    if not problems:
        return []
    return [
        finding(
            'exporting_not_running',
            'error',
            'Exporting is not running: ' + '; '.join(problems) + '.',
            'Resume exporting (community.camunda.camunda_backup exporting: resume) before upgrading.',
            BACKUP_DOCS,
        )
    ]


def worst(findings):
    for severity in SEVERITIES:
        if any(item['severity'] == severity for item in findings):
            return severity
    return None


def ordered(findings):
    return sorted(findings, key=lambda item: SEVERITIES.index(item['severity']))
