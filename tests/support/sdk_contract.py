# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the official-client contract tests (tests/services/test_contract_sdk_*.py).

The same tests run under camunda-orchestration-sdk 9.x (the 8.9 contract; in .venv) and 10.x (the 8.10 contract;
in the tool venv .venv-sdk10, `make contract-sdk10`): the emulator is started with the cluster version of the
installed SDK, so it serves the shapes that SDK expects.
"""

from __future__ import annotations

import json
from importlib.metadata import version
from pathlib import Path

from camunda_orchestration_sdk import CamundaClient, errors
from camunda_orchestration_sdk.models import (
    CreateClusterVariableRequest,
    CreateClusterVariableRequestValue,
    UpdateClusterVariableRequest,
    UpdateClusterVariableRequestValue,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
SDK_VERSION = version('camunda-orchestration-sdk')
SDK_MAJOR = int(SDK_VERSION.split('.', 1)[0])
# The Camunda version whose API each SDK major is generated from.
CAMUNDA_VERSION_OF_SDK = {9: '8.9.0', 10: '8.10.0'}
CAMUNDA_VERSION = CAMUNDA_VERSION_OF_SDK[SDK_MAJOR]
# The 10.x client that the 9.x venv's tests run in a subprocess: the one of the SDK 10 tool venv (pinned by tests/sdk10/,
# built by `make contract-sdk10`); the sdk10 fixture of tests/services/conftest.py finds it.
SDK10_VENV = REPO_ROOT / '.venv-sdk10'
SDK10_SETTINGS = {
    'CAMUNDA_TOKEN_DISK_CACHE_DISABLE': 'true',
    'CAMUNDA_SDK_BACKPRESSURE_PROFILE': 'LEGACY',
    'CAMUNDA_AUTH_STRATEGY': 'BASIC',
    'CAMUNDA_BASIC_AUTH_USERNAME': 'demo',
    'CAMUNDA_BASIC_AUTH_PASSWORD': 'demo',
}


def sdk_client(emulator_url, **configuration):
    """A client configured explicitly (never from the environment's CAMUNDA_* variables or a token file)."""
    settings = {
        'CAMUNDA_REST_ADDRESS': f'{emulator_url}/v2',
        'CAMUNDA_TOKEN_DISK_CACHE_DISABLE': 'true',
        'CAMUNDA_SDK_BACKPRESSURE_PROFILE': 'LEGACY',
    }
    settings.update(configuration)
    return CamundaClient(configuration=settings)


def basic_client(emulator_url, username='demo', password='demo'):
    return sdk_client(
        emulator_url,
        CAMUNDA_AUTH_STRATEGY='BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME=username,
        CAMUNDA_BASIC_AUTH_PASSWORD=password,
    )


def refusal(call, *args, **kwargs):
    """(status, problem body) of a call the server refuses; fails the test when it succeeds.

    The SDK raises a per-status error for the statuses its operation documents and UnexpectedStatus for the
    others; both carry the status and the raw body, which must be a problem document naming that status.
    """
    try:
        call(*args, **kwargs)
    except errors.ApiError as exc:
        problem = json.loads(exc.content)
        assert problem['status'] == exc.status_code, problem
        assert problem['title'] and problem['detail'], problem
        return exc.status_code, problem
    raise AssertionError(f'{call.__name__}{args} succeeded; a refusal was expected')


# (container, its id, member kind, member id, assign, unassign, search, member id field in search items)
MEMBERSHIPS = [
    (
        'role',
        'c-role',
        'user',
        'c-user',
        'assign_role_to_user',
        'unassign_role_from_user',
        'search_users_for_role',
        'username',
    ),
    (
        'role',
        'c-role',
        'client',
        'c-client',
        'assign_role_to_client',
        'unassign_role_from_client',
        'search_clients_for_role',
        'clientId',
    ),
    (
        'role',
        'c-role',
        'group',
        'c-group',
        'assign_role_to_group',
        'unassign_role_from_group',
        'search_groups_for_role',
        'groupId',
    ),
    (
        'role',
        'c-role',
        'mapping rule',
        'c-rule',
        'assign_role_to_mapping_rule',
        'unassign_role_from_mapping_rule',
        'search_mapping_rules_for_role',
        'mappingRuleId',
    ),
    (
        'group',
        'c-group',
        'user',
        'c-user',
        'assign_user_to_group',
        'unassign_user_from_group',
        'search_users_for_group',
        'username',
    ),
    (
        'group',
        'c-group',
        'client',
        'c-client',
        'assign_client_to_group',
        'unassign_client_from_group',
        'search_clients_for_group',
        'clientId',
    ),
    (
        'group',
        'c-group',
        'mapping rule',
        'c-rule',
        'assign_mapping_rule_to_group',
        'unassign_mapping_rule_from_group',
        'search_mapping_rules_for_group',
        'mappingRuleId',
    ),
    (
        'tenant',
        'c-tenant',
        'user',
        'c-user',
        'assign_user_to_tenant',
        'unassign_user_from_tenant',
        'search_users_for_tenant',
        'username',
    ),
    (
        'tenant',
        'c-tenant',
        'client',
        'c-client',
        'assign_client_to_tenant',
        'unassign_client_from_tenant',
        'search_clients_for_tenant',
        'clientId',
    ),
    (
        'tenant',
        'c-tenant',
        'group',
        'c-group',
        'assign_group_to_tenant',
        'unassign_group_from_tenant',
        'search_group_ids_for_tenant',
        'groupId',
    ),
    (
        'tenant',
        'c-tenant',
        'role',
        'c-role',
        'assign_role_to_tenant',
        'unassign_role_from_tenant',
        'search_roles_for_tenant',
        'roleId',
    ),
    (
        'tenant',
        'c-tenant',
        'mapping rule',
        'c-rule',
        'assign_mapping_rule_to_tenant',
        'unassign_mapping_rule_from_tenant',
        'search_mapping_rules_for_tenant',
        'mappingRuleId',
    ),
]


def create_request(name, value):
    # The SDK's request model takes a JSON object as the value (the spec's `type: object`).
    return CreateClusterVariableRequest(name=name, value=CreateClusterVariableRequestValue.from_dict(value))


def update_request(value):
    return UpdateClusterVariableRequest(value=UpdateClusterVariableRequestValue.from_dict(value))
