# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""run_backup_info: the camunda_backup_info core (listing with completeness, retention, restore preflight).

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._backup.api import with_run
from ansible_collections.community.camunda.plugins.module_utils._backup.judge import (
    backup_version,
    overall_state,
    restore_problems,
    retention,
)


def collect_backups(run):
    """Every backup, newest first, each with its parts' states and whether the parts this cluster requires are all
    complete (``state`` COMPLETED only then; ``missing`` names the others)."""
    parts_by_id = {}
    components = ['runtime'] + ([] if run.rdbms else ['history']) + (['optimize'] if run.optimize is not None else [])
    for component in components:
        for item in run.list_backups(component):
            backup_id = item.get('backupId')
            if not str(backup_id or '').isdigit():
                continue
            entry = parts_by_id.setdefault(int(backup_id), {'parts': {}, 'failure_reasons': {}, 'documents': {}})
            entry['parts'][component] = item.get('state')
            entry['documents'][component] = item
            if item.get('failureReason'):
                entry['failure_reasons'][component] = item['failureReason']
    backups = []
    for backup_id in sorted(parts_by_id, reverse=True):
        entry = parts_by_id[backup_id]
        size = None
        if run.snapshot is not None:
            state, _reason, size = run.snapshot_state(backup_id, with_size=True)
            if state != 'DOES_NOT_EXIST':
                entry['parts']['snapshot'] = state
        state, missing = overall_state(entry['parts'], run.required)
        version = backup_version(entry['documents'].get('runtime'), entry['documents'].get('history'))
        backups.append(
            {
                'id': backup_id,
                'state': state,
                'parts': entry['parts'],
                'missing': missing,
                'failure_reasons': entry['failure_reasons'],
                'size_bytes': size,
                'version': version,
            }
        )
    return backups


def _info(run, options):
    backups = collect_backups(run)
    result = dict(
        changed=False, backups=backups, api=run.api, cluster_version=run.cluster_version, required_parts=run.required
    )
    if options.get('keep') is not None:
        result['retention'] = retention(
            backups, options.get('keep'), options.get('id'), options.get('delete_incomplete')
        )
    elif options.get('id') is not None:
        backup = next((b for b in backups if b['id'] == options.get('id')), None)
        result['backup'] = backup or {}
        result['restore_problems'] = restore_problems(backup, options.get('id'), run.cluster_version, run.required)
    return result


def run_backup_info(options, context):
    """The camunda_backup_info core: the backups with their state, parts, size and version; retention; preflight."""
    return with_run(options, context, lambda run: _info(run, options))
