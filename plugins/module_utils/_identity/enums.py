# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The authorization enums of the Orchestration Cluster API, per Camunda version.

For internal collection use only: no stable interface.

Facts: the API's schemas ``OwnerTypeEnum``, ``ResourceTypeEnum`` and ``PermissionTypeEnum`` of Camunda 8.8,
8.9 and 8.10. The modules accept the union of all versions, so one playbook serves clusters of every
version; a cluster rejects a value its own version does not know (400) with Camunda's own message.
"""

from __future__ import annotations

# UNSPECIFIED is in OwnerTypeEnum as the protocol's default value; an authorization cannot be owned by it,
# so it is not offered.
OWNER_TYPES = ('CLIENT', 'GROUP', 'MAPPING_RULE', 'ROLE', 'USER')

RESOURCE_TYPES_ADDED = {
    '8.8': (
        'AUTHORIZATION',
        'BATCH',
        'COMPONENT',
        'DECISION_DEFINITION',
        'DECISION_REQUIREMENTS_DEFINITION',
        'DOCUMENT',
        'GROUP',
        'MAPPING_RULE',
        'MESSAGE',
        'PROCESS_DEFINITION',
        'RESOURCE',
        'ROLE',
        'SYSTEM',
        'TENANT',
        'USER',
    ),
    '8.9': ('AUDIT_LOG', 'CLUSTER_VARIABLE', 'EXPRESSION', 'GLOBAL_LISTENER', 'USER_TASK'),
    '8.10': ('BACKUP', 'EXPORTER', 'SECRET'),
}

PERMISSION_TYPES_ADDED = {
    '8.8': (
        'ACCESS',
        'CANCEL_PROCESS_INSTANCE',
        'CREATE',
        'CREATE_BATCH_OPERATION_CANCEL_PROCESS_INSTANCE',
        'CREATE_BATCH_OPERATION_DELETE_DECISION_DEFINITION',
        'CREATE_BATCH_OPERATION_DELETE_DECISION_INSTANCE',
        'CREATE_BATCH_OPERATION_DELETE_PROCESS_DEFINITION',
        'CREATE_BATCH_OPERATION_DELETE_PROCESS_INSTANCE',
        'CREATE_BATCH_OPERATION_MIGRATE_PROCESS_INSTANCE',
        'CREATE_BATCH_OPERATION_MODIFY_PROCESS_INSTANCE',
        'CREATE_BATCH_OPERATION_RESOLVE_INCIDENT',
        'CREATE_DECISION_INSTANCE',
        'CREATE_PROCESS_INSTANCE',
        'DELETE',
        'DELETE_DECISION_INSTANCE',
        'DELETE_DRD',
        'DELETE_FORM',
        'DELETE_PROCESS',
        'DELETE_PROCESS_INSTANCE',
        'DELETE_RESOURCE',
        'MODIFY_PROCESS_INSTANCE',
        'READ',
        'READ_DECISION_DEFINITION',
        'READ_DECISION_INSTANCE',
        'READ_PROCESS_DEFINITION',
        'READ_PROCESS_INSTANCE',
        'READ_USAGE_METRIC',
        'READ_USER_TASK',
        'UPDATE',
        'UPDATE_PROCESS_INSTANCE',
        'UPDATE_USER_TASK',
    ),
    '8.9': (
        'CLAIM',
        'CLAIM_USER_TASK',
        'COMPLETE',
        'COMPLETE_USER_TASK',
        'CREATE_TASK_LISTENER',
        'DELETE_TASK_LISTENER',
        'EVALUATE',
        'READ_JOB_METRIC',
        'READ_TASK_LISTENER',
        'UPDATE_TASK_LISTENER',
    ),
    '8.10': (
        'CREATE_BATCH_OPERATION_SUSPEND_PROCESS_INSTANCE',
        'CREATE_BATCH_OPERATION_UPDATE_JOB',
        'PAUSE',
        'RESTORE',
        'REVEAL',
        'SUSPEND_PROCESS_INSTANCE',
    ),
}


def _union(added):
    return tuple(sorted(value for values in added.values() for value in values))


RESOURCE_TYPES = _union(RESOURCE_TYPES_ADDED)
PERMISSION_TYPES = _union(PERMISSION_TYPES_ADDED)
