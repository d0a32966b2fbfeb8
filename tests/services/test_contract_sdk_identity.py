# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: every identity endpoint the collection calls, through Camunda's official Python client.

Groups, roles, tenants and mapping rules (create, create again, get, update, search, delete, delete again),
authorizations (id- and property-based), every membership kind (assign, search, assign again, remove, remove
again) and the license without credentials, with the status codes and problem bodies of each refusal. Runs under
SDK 9.x (8.9) in .venv and under SDK 10.x (8.10) in .venv-sdk10: the client parses every answer into its
generated models, so an emulator that strays from either contract fails here.
"""

from __future__ import annotations

import pytest
from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    AuthorizationIdBasedRequest,
    AuthorizationIdBasedRequestPermissionTypesItem,
    AuthorizationIdBasedRequestResourceType,
    AuthorizationPropertyBasedRequest,
    AuthorizationPropertyBasedRequestPermissionTypesItem,
    AuthorizationPropertyBasedRequestResourceType,
    AuthorizationSearchQuery,
    AuthorizationSearchQueryFilter,
    GroupCreateRequest,
    GroupUpdateRequest,
    MappingRuleCreateRequest,
    MappingRuleUpdateRequest,
    OwnerTypeEnum,
    RoleCreateRequest,
    RoleUpdateRequest,
    TenantCreateRequest,
    TenantUpdateRequest,
    UserRequest,
    UserUpdateRequest,
)

from emulator import EmulatorServer
from sdk_contract import CAMUNDA_VERSION, MEMBERSHIPS, basic_client, refusal, sdk_client


@pytest.fixture(scope='module')
def emulator():
    with EmulatorServer(auth='basic', cluster={'version': CAMUNDA_VERSION}) as running:
        yield running


@pytest.fixture
def client(emulator):
    emulator.admin.reset()
    with basic_client(emulator.url) as connected:
        yield connected


def ids(page, field):
    return sorted(item.to_dict()[field] for item in page.items)


def test_status_and_license_are_served_without_credentials_and_me_with_them(emulator, client):
    with sdk_client(emulator.url, CAMUNDA_AUTH_STRATEGY='NONE') as anonymous:
        assert anonymous.get_status() is None  # 204
        license_ = anonymous.get_license()
        assert (license_.valid_license, license_.license_type, license_.is_commercial) == (False, 'unknown', False)
        status, problem = refusal(anonymous.get_authentication)
        assert (status, problem['title']) == (401, 'UNAUTHORIZED')
        with pytest.raises(errors.UnauthorizedError):
            anonymous.search_roles()  # the rest of the API stays protected
    me = client.get_authentication()
    assert me.username == 'demo' and list(me.roles) == ['admin']


def test_users(client):
    created = client.create_user(data=UserRequest(username='c-user', password='pw-1', name='Contract', email='c@x.io'))
    assert (created.username, created.name, created.email) == ('c-user', 'Contract', 'c@x.io')
    status, problem = refusal(client.create_user, data=UserRequest(username='c-user', password='pw-2'))
    assert (status, problem['title']) == (409, 'ALREADY_EXISTS')
    updated = client.update_user('c-user', data=UserUpdateRequest(name='Renamed', email='r@x.io', password='pw-3'))
    assert (updated.name, updated.email) == ('Renamed', 'r@x.io')
    assert client.get_user('c-user').name == 'Renamed'
    assert 'c-user' in ids(client.search_users(), 'username')
    status, problem = refusal(
        client.create_user, data=UserRequest(username='c-user-2', password='pw', email='not-an-email')
    )
    assert (status, problem['title']) == (400, 'INVALID_ARGUMENT')
    assert client.delete_user('c-user') is None
    assert refusal(client.get_user, 'c-user')[0] == 404
    assert refusal(client.delete_user, 'c-user')[0] == 404


def test_groups_roles_and_tenants(client):
    kinds = [
        ('group', 'group_id', GroupCreateRequest, GroupUpdateRequest),
        ('role', 'role_id', RoleCreateRequest, RoleUpdateRequest),
        ('tenant', 'tenant_id', TenantCreateRequest, TenantUpdateRequest),
    ]
    for noun, id_field, create_request, update_request in kinds:
        entity_id = f'c-{noun}'
        create, get, update, delete = (
            getattr(client, f'{verb}_{noun}') for verb in ('create', 'get', 'update', 'delete')
        )
        created = create(data=create_request(**{id_field: entity_id}, name='Contract', description='d'))
        assert (getattr(created, id_field), created.name, created.description) == (entity_id, 'Contract', 'd')
        status, problem = refusal(create, data=create_request(**{id_field: entity_id}, name='Again'))
        assert (status, problem['title']) == (409, 'ALREADY_EXISTS'), noun
        assert problem['detail'].startswith("Command 'CREATE' rejected with code 'ALREADY_EXISTS'")
        assert get(entity_id).name == 'Contract'
        updated = update(entity_id, data=update_request(name='Renamed', description='e'))
        assert (updated.name, updated.description) == ('Renamed', 'e')
        assert entity_id in ids(getattr(client, f'search_{noun}s')(), id_field.replace('_id', 'Id'))
        assert delete(entity_id) is None
        assert refusal(get, entity_id)[0] == 404
        status, problem = refusal(delete, entity_id)
        assert (status, problem['title']) == (404, 'NOT_FOUND')
        status, problem = refusal(update, entity_id, data=update_request(name='Nobody'))
        assert status == 404, noun  # no upsert
    status, problem = refusal(client.create_group, data=GroupCreateRequest(group_id='bad id!', name='x'))
    assert (status, problem['title']) == (400, 'INVALID_ARGUMENT') and 'illegal characters' in problem['detail']


def test_mapping_rules(client):
    created = client.create_mapping_rule(
        data=MappingRuleCreateRequest(
            mapping_rule_id='c-rule', claim_name='client_id', claim_value='worker', name='Workers'
        )
    )
    assert (created.mapping_rule_id, created.claim_name, created.claim_value) == ('c-rule', 'client_id', 'worker')
    status, problem = refusal(
        client.create_mapping_rule,
        data=MappingRuleCreateRequest(
            mapping_rule_id='c-rule-2', claim_name='client_id', claim_value='worker', name='Same claim'
        ),
    )
    assert (status, problem['title']) == (409, 'ALREADY_EXISTS')  # unique by claim as well as by id
    updated = client.update_mapping_rule(
        'c-rule', data=MappingRuleUpdateRequest(claim_name='client_id', claim_value='worker-2', name='Workers 2')
    )
    assert (updated.claim_value, updated.name) == ('worker-2', 'Workers 2')
    assert client.get_mapping_rule('c-rule').claim_value == 'worker-2'
    assert ids(client.search_mapping_rule(), 'mappingRuleId') == ['c-rule']
    assert client.delete_mapping_rule('c-rule') is None
    assert refusal(client.delete_mapping_rule, 'c-rule')[0] == 404


def test_authorizations_by_id_and_by_property(client):
    client.create_user(data=UserRequest(username='c-user', password='pw-1'))
    by_id = client.create_authorization(
        data=AuthorizationIdBasedRequest(
            owner_id='c-user',
            owner_type=OwnerTypeEnum.USER,
            resource_id='order-process',
            resource_type=AuthorizationIdBasedRequestResourceType.PROCESS_DEFINITION,
            permission_types=[AuthorizationIdBasedRequestPermissionTypesItem.READ_PROCESS_DEFINITION],
        )
    )
    by_property = client.create_authorization(
        data=AuthorizationPropertyBasedRequest(
            owner_id='c-user',
            owner_type=OwnerTypeEnum.USER,
            resource_property_name='assignee',
            resource_type=AuthorizationPropertyBasedRequestResourceType.USER_TASK,
            permission_types=[AuthorizationPropertyBasedRequestPermissionTypesItem.READ_USER_TASK],
        )
    )
    key, property_key = str(by_id.authorization_key), str(by_property.authorization_key)
    assert key != property_key
    read = client.get_authorization(key)
    assert (read.owner_id, read.resource_id, read.resource_property_name) == ('c-user', 'order-process', None)
    assert client.get_authorization(property_key).resource_property_name == 'assignee'
    status, problem = refusal(
        client.create_authorization,
        data=AuthorizationIdBasedRequest(
            owner_id='c-user',
            owner_type=OwnerTypeEnum.USER,
            resource_id='order-process',
            resource_type=AuthorizationIdBasedRequestResourceType.PROCESS_DEFINITION,
            permission_types=[AuthorizationIdBasedRequestPermissionTypesItem.READ_PROCESS_INSTANCE],
        ),
    )
    assert (status, problem['title']) == (409, 'ALREADY_EXISTS')
    status, problem = refusal(
        client.create_authorization,
        data=AuthorizationIdBasedRequest(
            owner_id='c-user',
            owner_type=OwnerTypeEnum.USER,
            resource_id='*',
            resource_type=AuthorizationIdBasedRequestResourceType.GROUP,
            permission_types=[AuthorizationIdBasedRequestPermissionTypesItem.READ_PROCESS_DEFINITION],
        ),
    )
    assert (status, problem['title']) == (400, 'INVALID_ARGUMENT') and 'not supported' in problem['detail']
    assert (
        client.update_authorization(
            key,
            data=AuthorizationIdBasedRequest(
                owner_id='c-user',
                owner_type=OwnerTypeEnum.USER,
                resource_id='order-process',
                resource_type=AuthorizationIdBasedRequestResourceType.PROCESS_DEFINITION,
                permission_types=[
                    AuthorizationIdBasedRequestPermissionTypesItem.READ_PROCESS_DEFINITION,
                    AuthorizationIdBasedRequestPermissionTypesItem.READ_PROCESS_INSTANCE,
                ],
            ),
        )
        is None
    )
    assert sorted(str(p) for p in client.get_authorization(key).permission_types) == [
        'READ_PROCESS_DEFINITION',
        'READ_PROCESS_INSTANCE',
    ]
    found = client.search_authorizations(
        data=AuthorizationSearchQuery(filter_=AuthorizationSearchQueryFilter(owner_id='c-user'))
    )
    assert sorted(str(item.authorization_key) for item in found.items) == sorted([key, property_key])
    assert client.delete_authorization(key) is None
    assert refusal(client.get_authorization, key)[0] == 404
    assert refusal(client.delete_authorization, key)[0] == 404


def test_every_membership_kind(client):
    client.create_user(data=UserRequest(username='c-user', password='pw-1'))
    client.create_group(data=GroupCreateRequest(group_id='c-group', name='G'))
    client.create_role(data=RoleCreateRequest(role_id='c-role', name='R'))
    client.create_tenant(data=TenantCreateRequest(tenant_id='c-tenant', name='T'))
    client.create_mapping_rule(
        data=MappingRuleCreateRequest(
            mapping_rule_id='c-rule', claim_name='client_id', claim_value='worker', name='Workers'
        )
    )
    for container, container_id, noun, member_id, assign, unassign, search, field in MEMBERSHIPS:
        label = f'{noun} in {container}'
        assert getattr(client, assign)(container_id, member_id) is None, label
        assert ids(getattr(client, search)(container_id), field) == [member_id], label
        status, problem = refusal(getattr(client, assign), container_id, member_id)
        assert (status, problem['title']) == (409, 'ALREADY_EXISTS'), label
        assert getattr(client, unassign)(container_id, member_id) is None, label
        assert ids(getattr(client, search)(container_id), field) == [], label
        status, problem = refusal(getattr(client, unassign), container_id, member_id)
        assert (status, problem['title']) == (404, 'NOT_FOUND'), label
    client.assign_role_to_group('c-role', 'c-group')
    assert ids(client.search_roles_for_group('c-group'), 'roleId') == ['c-role']  # the group's side of it
    status, problem = refusal(client.assign_user_to_group, 'no-such-group', 'c-user')
    assert (status, problem['title']) == (404, 'NOT_FOUND')
