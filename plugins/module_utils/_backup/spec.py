# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of camunda_backup and camunda_backup_info, and the words of Camunda's backup APIs.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec

# Backups and exporting move to the REST API (/v2/backups, /v2/exporting) in 8.10.
V2_VERSION = '8.10'
COMPONENTS = ('all', 'runtime', 'history', 'optimize', 'exporting')
SECONDARY_STORAGES = ('elasticsearch', 'rdbms')
RECORDS_SNAPSHOT_PREFIX = 'camunda_zeebe_records_backup_'
# Backup states of the management API (Zeebe's BackupStatusCode; the web apps use the same words).
DONE_OK = ('COMPLETED', 'SUCCESS')
DONE_FAILED = ('FAILED', 'INCOMPLETE', 'DOES_NOT_EXIST', 'DELETED', 'PARTIAL', 'INCOMPATIBLE')
EXPORTING = 'EXPORTING'
# Only these confirm a pause: GET /v2/exporting answers MIXED when the partitions (or replicas) differ.
PAUSED_PHASES = ('PAUSED', 'SOFT_PAUSED')
BACKUP_SECRET_OPTIONS = ('management_password', 'management_token', 'snapshot_password', 'snapshot_api_key')
# The exporting endpoints may take up to 60 s on the server from 8.9 (management-api.md): requests of this module
# wait at least this long, whatever the connection's timeout says.
EXPORTING_SERVER_SECONDS = 60
MIN_REQUEST_TIMEOUT = EXPORTING_SERVER_SECONDS + 5

# The management port, and the storage that decides what a backup holds: camunda_backup, camunda_backup_info and
# camunda_upgrade_preflight (doc fragment community.camunda._backup.MANAGEMENT).
MANAGEMENT_OPTIONS = dict(
    management_url=dict(type='str'),
    management_validate_certs=dict(type='bool', default=True),
    management_ca_path=dict(type='path'),
    management_username=dict(type='str'),
    management_password=dict(type='str', no_log=True),
    management_token=dict(type='str', no_log=True),
    secondary_storage=dict(type='str', default='elasticsearch', choices=list(SECONDARY_STORAGES)),
)
# Where the backups live and how to reach them: shared by camunda_backup and camunda_backup_info.
ENDPOINT_OPTIONS = dict(
    **MANAGEMENT_OPTIONS,
    optimize_url=dict(type='str'),
    snapshot_url=dict(type='str'),
    snapshot_repository=dict(type='str', default='camunda'),
    snapshot_username=dict(type='str'),
    snapshot_password=dict(type='str', no_log=True),
    snapshot_api_key=dict(type='str', no_log=True),
    snapshot_validate_certs=dict(type='bool', default=True),
    snapshot_ca_path=dict(type='path'),
    generated_id=dict(type='bool', default=False),
)
_ENDPOINT_RULES = dict(
    mutually_exclusive=[('management_password', 'management_token'), ('snapshot_password', 'snapshot_api_key')],
    required_together=[('management_username', 'management_password'), ('snapshot_username', 'snapshot_password')],
)

BACKUP_SPEC = module_spec(
    options=dict(
        ENDPOINT_OPTIONS,
        state=dict(type='str', default='present', choices=['present', 'absent']),
        id=dict(type='int'),
        component=dict(type='str', default='all', choices=list(COMPONENTS)),
        exporting=dict(type='str', choices=['pause', 'resume']),
        partitions_urls=dict(type='list', elements='str'),
        snapshot_indices=dict(type='str', default='zeebe-record*'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='float', default=1800.0),
        wait_interval=dict(type='float', default=5.0),
    ),
    required_if=[('component', 'exporting', ('exporting',)), ('state', 'absent', ('id',))],
    **_ENDPOINT_RULES,
)

BACKUP_INFO_SPEC = module_spec(
    options=dict(
        ENDPOINT_OPTIONS,
        id=dict(type='int'),
        keep=dict(type='int', no_log=False),
        delete_incomplete=dict(type='bool', default=False),
    ),
    **_ENDPOINT_RULES,
)


def uses_generated_id(options):
    """True when the cluster makes the backup id (continuous backups or a schedule): the take sends no backupId.

    Relational secondary storage needs continuous backups, so there it is always true.
    """
    if options.get('secondary_storage') == 'rdbms':
        return True
    return bool(options.get('generated_id'))


def required_parts(options):
    """The parts a complete backup has on this cluster: the runtime always; the web-app history unless the secondary
    storage is relational (no history backup there); Optimize and the records snapshot when they are configured."""
    parts = ['runtime']
    if options.get('secondary_storage') != 'rdbms':
        parts.append('history')
        if options.get('snapshot_url'):
            parts.append('snapshot')
    if options.get('optimize_url'):
        parts.append('optimize')
    return parts
