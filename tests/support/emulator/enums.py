# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Enumerations of the 8.9 API (OwnerTypeEnum, ResourceTypeEnum, PermissionTypeEnum)."""

from __future__ import annotations

OWNER_TYPES = frozenset({'USER', 'CLIENT', 'ROLE', 'GROUP', 'MAPPING_RULE', 'UNSPECIFIED'})

RESOURCE_TYPES = frozenset(
    {
        'AUDIT_LOG',
        'AUTHORIZATION',
        'BATCH',
        'CLUSTER_VARIABLE',
        'COMPONENT',
        'DECISION_DEFINITION',
        'DECISION_REQUIREMENTS_DEFINITION',
        'DOCUMENT',
        'EXPRESSION',
        'GLOBAL_LISTENER',
        'GROUP',
        'MAPPING_RULE',
        'MESSAGE',
        'PROCESS_DEFINITION',
        'RESOURCE',
        'ROLE',
        'SYSTEM',
        'TENANT',
        'USER',
        'USER_TASK',
    }
)

PERMISSION_TYPES = frozenset(
    {
        'ACCESS',
        'CANCEL_PROCESS_INSTANCE',
        'CLAIM',
        'CLAIM_USER_TASK',
        'COMPLETE',
        'COMPLETE_USER_TASK',
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
        'CREATE_TASK_LISTENER',
        'DELETE',
        'DELETE_DECISION_INSTANCE',
        'DELETE_DRD',
        'DELETE_FORM',
        'DELETE_PROCESS',
        'DELETE_PROCESS_INSTANCE',
        'DELETE_RESOURCE',
        'DELETE_TASK_LISTENER',
        'EVALUATE',
        'MODIFY_PROCESS_INSTANCE',
        'READ',
        'READ_DECISION_DEFINITION',
        'READ_DECISION_INSTANCE',
        'READ_JOB_METRIC',
        'READ_PROCESS_DEFINITION',
        'READ_PROCESS_INSTANCE',
        'READ_TASK_LISTENER',
        'READ_USAGE_METRIC',
        'READ_USER_TASK',
        'UPDATE',
        'UPDATE_PROCESS_INSTANCE',
        'UPDATE_TASK_LISTENER',
        'UPDATE_USER_TASK',
    }
)

_CRUD = frozenset({'CREATE', 'DELETE', 'READ', 'UPDATE'})

# Supported permissions per resource type, for the types whose set is documented (the reference's excerpt of
# Camunda's resource-permission map, restricted to 8.9 permission names). Other types accept any permission.
PERMISSIONS_BY_RESOURCE_TYPE = {
    'AUTHORIZATION': _CRUD,
    'CLUSTER_VARIABLE': _CRUD,
    'GROUP': _CRUD,
    'MAPPING_RULE': _CRUD,
    'ROLE': _CRUD,
    'TENANT': _CRUD,
    'USER': _CRUD,
    'COMPONENT': frozenset({'ACCESS'}),
    'DECISION_DEFINITION': frozenset(
        {
            'CREATE_DECISION_INSTANCE',
            'DELETE_DECISION_INSTANCE',
            'READ_DECISION_DEFINITION',
            'READ_DECISION_INSTANCE',
        }
    ),
    'DECISION_REQUIREMENTS_DEFINITION': frozenset({'READ'}),
    'DOCUMENT': frozenset({'CREATE', 'DELETE', 'READ'}),
    'MESSAGE': frozenset({'CREATE', 'READ'}),
    'PROCESS_DEFINITION': frozenset(
        {
            'CANCEL_PROCESS_INSTANCE',
            'CLAIM_USER_TASK',
            'COMPLETE_USER_TASK',
            'CREATE_PROCESS_INSTANCE',
            'DELETE_PROCESS_INSTANCE',
            'MODIFY_PROCESS_INSTANCE',
            'READ_PROCESS_DEFINITION',
            'READ_PROCESS_INSTANCE',
            'READ_USER_TASK',
            'UPDATE_PROCESS_INSTANCE',
            'UPDATE_USER_TASK',
        }
    ),
    'RESOURCE': frozenset({'CREATE', 'DELETE_DRD', 'DELETE_FORM', 'DELETE_PROCESS', 'DELETE_RESOURCE', 'READ'}),
    'SYSTEM': frozenset({'READ', 'READ_JOB_METRIC', 'READ_USAGE_METRIC', 'UPDATE'}),
}
