# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Pure judging of backup answers: exporting outcomes, partition phases, ids, completeness, retention, restores.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import parse_version
from ansible_collections.community.camunda.plugins.module_utils._backup.spec import (
    DONE_FAILED,
    DONE_OK,
    EXPORTING,
    PAUSED_PHASES,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

MIXED = 'MIXED'


def judge_exporting(status_code, body):
    """(ok, message) of an answer of the exporting endpoints.

    From 8.8 they answer HTTP 200 whatever happened, with ``{"body": ..., "status": 204|500, "contentType": ...}``:
    the real outcome is the body's ``status``. 8.10's /v2 answers with the HTTP status. A pause that cannot reach every
    broker fails as a whole, sometimes with a plain-string body.
    """
    if isinstance(body, dict) and 'status' in body and 'body' in body and status_code == 200:
        inner = body.get('status')
        said = body.get('body')
        message = said.get('message') if isinstance(said, dict) else (said if isinstance(said, str) else None)
        ok = isinstance(inner, int) and 200 <= inner < 300
        return ok, None if ok else f'answered HTTP 200 but status {inner} in the body: {message or "no message"}'
    if 200 <= status_code < 300:
        return True, None
    message = None
    if isinstance(body, dict):
        message = body.get('message') or body.get('detail') or body.get('error')
    elif isinstance(body, str):
        message = body
    return False, f'answered HTTP {status_code}: {message or "no message"}'


def _partition_documents(document):
    """The per-partition maps of one ``GET /actuator/partitions`` answer: ``{partition: status}`` before 8.10 and on
    an 8.10 cluster with one physical tenant; ``{tenant: {partition: status}}`` with several physical tenants."""
    document = document or {}
    if (
        document
        and all(
            isinstance(value, dict) and value and all(str(key).isdigit() for key in value)
            for value in document.values()
        )
        and not any(str(key).isdigit() for key in document)
    ):
        return [(str(tenant), value) for tenant, value in sorted(document.items())]
    return [(None, document)]


def judge_partitions(documents, expected):
    """({partition: exporter phase}, [problems]) over the brokers' ``GET /actuator/partitions`` answers.

    A partition read from several brokers has one phase only when every replica says it; replicas that differ make it
    MIXED (neither exporting nor paused). A partition of ``expected`` that no answer mentions cannot be proven, which
    is a problem too. With several physical tenants (8.10) a partition is named ``<tenant>/<partition>``.
    """
    phases = {}
    for document in documents:
        for tenant, partitions in _partition_documents(document):
            for key, status in partitions.items():
                try:
                    partition = int(key)
                except (TypeError, ValueError):
                    continue
                name = partition if tenant is None else f'{tenant}/{partition}'
                phase = (status.get('exporterPhase') if isinstance(status, dict) else None) or 'UNKNOWN'
                seen = phases.get(name)
                phases[name] = phase if seen is None or seen == phase else MIXED
    problems = [f'partition {p}: exporter phase {phases[p]}' for p in sorted(phases, key=str) if phases[p] != EXPORTING]
    seen_numbers = {p if isinstance(p, int) else int(str(p).rsplit('/', 1)[1]) for p in phases}
    problems += [f'partition {p}: no broker reported it' for p in sorted(set(expected) - seen_numbers)]
    return dict(sorted(phases.items(), key=lambda item: str(item[0]))), problems


def not_paused(phases):
    """After a pause: the partitions whose pause is not confirmed (only PAUSED and SOFT_PAUSED confirm one)."""
    return [
        f'partition {p}: {phase}, not paused'
        for p, phase in sorted(phases.items(), key=lambda i: str(i[0]))
        if phase not in PAUSED_PHASES
    ]


def backup_outcome(state):
    """'ok', 'failed' or 'waiting' for a backup or snapshot state."""
    if state in DONE_OK:
        return 'ok'
    if state in DONE_FAILED:
        return 'failed'
    return 'waiting'


def next_backup_id(requested, latest, now):
    """The id to take: ``requested`` when above ``latest``, else a refusal; by default the Unix time in milliseconds
    (the unit of the schedulers' ids, so that ours and theirs compare), kept above latest."""
    if requested is not None:
        if requested <= 0:
            raise ConfigurationError(f'id {requested} is not a positive integer: backup ids are positive integers.')
        if latest is not None and requested <= latest:
            raise ConfigurationError(
                f'id {requested} is not above the latest existing backup id {latest}: backup ids must always increase '
                '(the brokers refuse the same or a lower id, even of a deleted backup). Give a higher id, or leave id '
                'unset for a timestamp-based one.'
            )
        return requested
    candidate = int(now * 1000)
    return candidate if latest is None or candidate > latest else latest + 1


def overall_state(parts, required=('runtime', 'history')):
    """(state, missing) of a backup from its parts' states ({part: state}).

    COMPLETED only when every required part is complete: a part missing, or in any other state, makes it INCOMPLETE
    (or FAILED, IN_PROGRESS). ``missing`` names the required parts that are absent or not complete.
    """
    missing = [part for part in required if parts.get(part) not in DONE_OK]
    states = list(parts.values())
    if any(state == 'IN_PROGRESS' for state in states):
        return 'IN_PROGRESS', missing
    if any(state in ('FAILED', 'PARTIAL') for state in states):
        return 'FAILED', missing
    if not missing and states and all(state in DONE_OK for state in states):
        return 'COMPLETED', []
    return 'INCOMPLETE', missing


def retention(backups, keep, protect_id=None, delete_incomplete=False):
    """{'delete': [...], 'kept': [...], 'incomplete': [{id, state, missing}], 'left_alone': [...]} for retention.

    Counts complete backups only: keeps the ``keep`` newest COMPLETED backups (never deleted) and deletes the older
    completed ones, never ``protect_id`` (the one just taken). A backup in any other state is listed with its missing
    parts under ``incomplete`` and left alone, unless ``delete_incomplete`` asks to delete the failed and incomplete
    ones; one in progress is never deleted (that would break it).
    """
    if keep is None or keep < 1:
        raise ConfigurationError(f'keep {keep!r}: keep at least 1 backup (the one just taken).')
    if protect_id is not None and all(b['id'] != protect_id for b in backups):
        # in check mode the backup is not taken: count it as the completed one it would be, so the prediction holds
        backups = list(backups) + [{'id': protect_id, 'state': 'COMPLETED'}]
    completed = sorted((b['id'] for b in backups if b.get('state') == 'COMPLETED'), reverse=True)
    kept = completed[:keep]
    delete = [backup_id for backup_id in completed[keep:] if backup_id != protect_id]
    if protect_id in completed[keep:]:
        kept.append(protect_id)
    others = sorted((b for b in backups if b.get('state') != 'COMPLETED'), key=lambda b: b['id'], reverse=True)
    incomplete = [{'id': b['id'], 'state': b.get('state'), 'missing': list(b.get('missing') or [])} for b in others]
    removable = [b['id'] for b in others if b.get('state') != 'IN_PROGRESS' and b['id'] != protect_id]
    if delete_incomplete:
        delete += removable
    left_alone = [b['id'] for b in others if not (delete_incomplete and b['id'] in removable)]
    return {'delete': sorted(delete, reverse=True), 'kept': kept, 'incomplete': incomplete, 'left_alone': left_alone}


def backup_version(runtime_document, history_document):
    """The Camunda version a backup was taken with: the brokers' ``brokerVersion``, else the web-app snapshot names."""
    for detail in (runtime_document or {}).get('details') or []:
        if isinstance(detail, dict) and detail.get('brokerVersion'):
            return str(detail['brokerVersion'])
    for detail in (history_document or {}).get('details') or []:
        name = detail.get('snapshotName') if isinstance(detail, dict) else None
        # camunda_webapps_<id>_<version>_part_<n>_of_<m>
        pieces = str(name or '').split('_')
        if len(pieces) >= 4 and pieces[0] == 'camunda' and parse_version(pieces[3]):
            return pieces[3]
    return None


def restore_problems(backup, backup_id, cluster_version, required=('runtime', 'history')):
    """Why backup ``backup_id`` could not be restored into this cluster (empty: the preflight passes).

    Every part ``required`` must be complete (runtime; history unless relational storage; Optimize and the records
    snapshot when configured), and the backup must come from the cluster's version.
    """
    if backup is None:
        return [f'backup {backup_id} does not exist on this cluster\'s backup store']
    problems = []
    if backup['state'] != 'COMPLETED':
        problems.append(f'backup {backup_id} is {backup["state"]}: only a completed backup can be restored')
    parts = backup.get('parts') or {}
    for part in required:
        if part not in parts:
            problems.append(f'backup {backup_id} has no {part} part')
        elif parts[part] not in DONE_OK:
            problems.append(f'the {part} part of backup {backup_id} is {parts[part]}, not complete')
    taken_with, running = parse_version(backup.get('version')), parse_version(cluster_version)
    if taken_with is None:
        problems.append(f'the Camunda version of backup {backup_id} cannot be read: a restore needs the same version')
    elif running is None:
        problems.append('the cluster version cannot be read from the topology: a restore needs the same version')
    elif taken_with != running:
        problems.append(
            f'backup {backup_id} was taken with Camunda {backup["version"]}; this cluster runs '
            f'{cluster_version}: a restore needs the same version (install {backup["version"]} first)'
        )
    return problems
