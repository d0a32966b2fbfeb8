# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identity endpoints of the emulator: Camunda's 201/200/204, 400, 404 and 409 semantics."""

from __future__ import annotations

import pytest

from emulator.testing import Api

CONFLICT_PREFIX = "Command 'CREATE' rejected with code 'ALREADY_EXISTS': "


def assert_problem(response, status, title, detail_part=''):
    assert response.status_code == status, response.text
    assert response.headers['Content-Type'] == 'application/problem+json'
    problem = response.json()
    assert problem['type'] == 'about:blank'
    assert problem['title'] == title
    assert problem['status'] == status
    assert problem['instance'] == response.request.path_url.split('?')[0]
    assert detail_part in problem['detail']
    return problem


# -- users ----------------------------------------------------------------------------------------


def test_user_lifecycle_and_password_never_returned(api):
    created = api.post('users', {'username': 'alice', 'password': 's3cret', 'name': 'Alice', 'email': 'a@x.io'})
    assert created.status_code == 201
    assert created.json() == {'username': 'alice', 'name': 'Alice', 'email': 'a@x.io'}
    assert api.get('users/alice').json() == {'username': 'alice', 'name': 'Alice', 'email': 'a@x.io'}
    updated = api.put('users/alice', {'name': 'Alice B', 'password': 'n3w'})
    assert updated.status_code == 200
    assert updated.json() == {'username': 'alice', 'name': 'Alice B', 'email': 'a@x.io'}
    assert 's3cret' not in created.text + updated.text and 'n3w' not in updated.text
    assert api.delete('users/alice').status_code == 204
    assert_problem(api.get('users/alice'), 404, 'NOT_FOUND', "'alice'")


def test_created_user_can_log_in_with_basic_and_new_password_after_update(api, emulator_server):
    api.post('users', {'username': 'bob', 'password': 'first'})
    assert Api(emulator_server.url, auth=('bob', 'first')).get('topology').status_code == 200
    api.put('users/bob', {'password': 'second'})
    assert Api(emulator_server.url, auth=('bob', 'first')).get('topology').status_code == 401
    assert Api(emulator_server.url, auth=('bob', 'second')).get('topology').status_code == 200


def test_optional_user_fields_are_null_not_absent(api):
    assert api.post('users', {'username': 'carol', 'password': 'x'}).json() == {
        'username': 'carol',
        'name': None,
        'email': None,
    }


def test_create_user_twice_is_409_with_camunda_detail(api):
    api.post('users', {'username': 'alice', 'password': 'x'})
    problem = assert_problem(api.post('users', {'username': 'alice', 'password': 'y'}), 409, 'ALREADY_EXISTS')
    assert problem['detail'] == CONFLICT_PREFIX + (
        "Expected to create user with username 'alice', but a user with this username already exists"
    )
    assert problem['instance'] == '/v2/users'


def test_update_and_delete_of_missing_user_are_404_no_upsert(api):
    assert_problem(api.put('users/ghost', {'name': 'Ghost'}), 404, 'NOT_FOUND', "Command 'UPDATE' rejected")
    assert_problem(api.delete('users/ghost'), 404, 'NOT_FOUND', "Command 'DELETE' rejected")
    assert api.get('users/ghost').status_code == 404  # the PUT did not create it


@pytest.mark.parametrize(
    'body, detail',
    [
        ({'username': 'alice'}, 'No password provided.'),
        ({'password': 'x'}, 'No username provided.'),
        ({'username': 'al ice', 'password': 'x'}, 'illegal characters'),
        ({'username': 'a' * 257, 'password': 'x'}, 'exceeds the limit of 256'),
        ({'username': 'alice', 'password': 'x', 'role': 'admin'}, 'Request property [role]'),
        ({'username': 'alice', 'password': 'x', 'email': 'not-an-email'}, "email 'not-an-email' is not valid"),
        ({'username': 7, 'password': 'x'}, 'must be a string'),
        (['alice'], 'must be a JSON object'),
    ],
)
def test_invalid_user_bodies_are_400(api, body, detail):
    assert_problem(api.post('users', body), 400, 'INVALID_ARGUMENT', detail)


def test_malformed_json_is_400_and_other_media_types_415(api):
    assert_problem(
        api.post('users', data=b'{"username": ', headers={'Content-Type': 'application/json'}),
        400,
        'INVALID_ARGUMENT',
        'not valid JSON',
    )
    assert_problem(
        api.post('users', data=b'username=alice', headers={'Content-Type': 'text/plain'}), 415, 'UNSUPPORTED_MEDIA_TYPE'
    )
    assert_problem(api.post('users'), 400, 'INVALID_ARGUMENT', 'body is missing')


# -- roles, groups, tenants, mapping rules ------------------------------------------------------


@pytest.mark.parametrize(
    'table, id_field, conflict',
    [
        ('roles', 'roleId', "Expected to create role with ID 'ops', but a role with this ID already exists"),
        ('groups', 'groupId', "Expected to create group with ID 'ops', but a group with this ID already exists."),
        ('tenants', 'tenantId', "Expected to create tenant with ID 'ops', but a tenant with this ID already exists."),
    ],
)
def test_named_entity_lifecycle(api, table, id_field, conflict):
    created = api.post(table, {id_field: 'ops', 'name': 'Operations'})
    assert created.status_code == 201
    assert created.json() == {id_field: 'ops', 'name': 'Operations', 'description': None}
    assert (
        assert_problem(api.post(table, {id_field: 'ops', 'name': 'Again'}), 409, 'ALREADY_EXISTS')['detail']
        == CONFLICT_PREFIX + conflict
    )
    updated = api.put(f'{table}/ops', {'name': 'Ops', 'description': 'on call'})
    assert updated.status_code == 200
    assert updated.json() == {id_field: 'ops', 'name': 'Ops', 'description': 'on call'}
    assert api.get(f'{table}/ops').json()['description'] == 'on call'
    assert_problem(api.put(f'{table}/nope', {'name': 'x'}), 404, 'NOT_FOUND')
    assert api.delete(f'{table}/ops').status_code == 204
    assert_problem(api.delete(f'{table}/ops'), 404, 'NOT_FOUND')
    assert_problem(api.get(f'{table}/ops'), 404, 'NOT_FOUND')


@pytest.mark.parametrize(
    'table, body',
    [
        ('roles', {'roleId': 'r', 'name': 'R', 'extra': 1}),
        ('groups', {'groupId': 'g', 'name': 'G', 'members': []}),
        ('tenants', {'tenantId': 't', 'name': 'T', 'key': '1'}),
        ('mapping-rules', {'mappingRuleId': 'm', 'claimName': 'c', 'claimValue': 'v', 'name': 'n', 'x': 1}),
    ],
)
def test_additional_properties_are_rejected(api, table, body):
    assert_problem(api.post(table, body), 400, 'INVALID_ARGUMENT', 'Request property')


def test_tenant_update_rejects_additional_properties(api):
    api.post('tenants', {'tenantId': 't1', 'name': 'T'})
    assert_problem(api.put('tenants/t1', {'name': 'T', 'tenantId': 't2'}), 400, 'INVALID_ARGUMENT')


def test_seeded_default_tenant_and_admin_role(api):
    assert api.get('tenants/%3Cdefault%3E').json() == {'tenantId': '<default>', 'name': 'Default', 'description': None}
    assert [item['username'] for item in api.post('roles/admin/users/search').json()['items']] == ['demo']


def test_mapping_rule_is_unique_by_id_and_by_claim(api):
    rule = {'mappingRuleId': 'eng', 'claimName': 'groups', 'claimValue': 'engineering', 'name': 'Engineering'}
    assert api.post('mapping-rules', rule).json() == rule
    by_id = dict(rule, claimValue='other')
    assert assert_problem(api.post('mapping-rules', by_id), 409, 'ALREADY_EXISTS')['detail'] == CONFLICT_PREFIX + (
        "Expected to create mapping rule with id 'eng', but a mapping rule with this id already exists."
    )
    by_claim = dict(rule, mappingRuleId='eng2')
    assert_problem(
        api.post('mapping-rules', by_claim), 409, 'ALREADY_EXISTS', "claimName 'groups' and claimValue 'engineering'"
    )
    api.post('mapping-rules', dict(rule, mappingRuleId='ops', claimValue='ops'))
    assert_problem(
        api.put('mapping-rules/ops', {'claimName': 'groups', 'claimValue': 'engineering', 'name': 'x'}),
        409,
        'ALREADY_EXISTS',
    )
    assert api.put('mapping-rules/ops', {'claimName': 'groups', 'claimValue': 'sre', 'name': 'SRE'}).json() == {
        'mappingRuleId': 'ops',
        'claimName': 'groups',
        'claimValue': 'sre',
        'name': 'SRE',
    }


# -- members --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    'container, member_path, member_id',
    [
        ('roles/r1', 'users', 'demo'),
        ('roles/r1', 'clients', 'worker-1'),
        ('roles/r1', 'groups', 'g1'),
        ('roles/r1', 'mapping-rules', 'm1'),
        ('groups/g1', 'users', 'demo'),
        ('groups/g1', 'clients', 'worker-1'),
        ('groups/g1', 'mapping-rules', 'm1'),
        ('tenants/t1', 'users', 'demo'),
        ('tenants/t1', 'clients', 'worker-1'),
        ('tenants/t1', 'groups', 'g1'),
        ('tenants/t1', 'roles', 'r1'),
        ('tenants/t1', 'mapping-rules', 'm1'),
    ],
)
def test_member_assignment_semantics(api, container, member_path, member_id):
    api.post('roles', {'roleId': 'r1', 'name': 'R1'})
    api.post('groups', {'groupId': 'g1', 'name': 'G1'})
    api.post('tenants', {'tenantId': 't1', 'name': 'T1'})
    api.post('mapping-rules', {'mappingRuleId': 'm1', 'claimName': 'c', 'claimValue': 'v', 'name': 'M1'})
    path = f'{container}/{member_path}/{member_id}'
    assigned = api.put(path)
    assert assigned.status_code == 204 and assigned.content == b''
    assert_problem(api.put(path), 409, 'ALREADY_EXISTS', 'is already assigned')
    found = api.post(f'{container}/{member_path}/search', {}).json()
    assert found['page']['totalItems'] == 1
    assert member_id in found['items'][0].values()
    assert api.delete(path).status_code == 204
    assert_problem(api.delete(path), 404, 'NOT_FOUND', 'is not assigned')
    assert api.post(f'{container}/{member_path}/search', {}).json()['items'] == []


def test_assignment_to_missing_container_or_member_is_404(api):
    api.post('roles', {'roleId': 'r1', 'name': 'R1'})
    assert_problem(api.put('roles/nope/users/demo'), 404, 'NOT_FOUND', "role with ID 'nope'")
    assert_problem(api.put('roles/r1/users/nobody'), 404, 'NOT_FOUND', "user with ID 'nobody'")
    assert_problem(api.put('roles/r1/groups/nogroup'), 404, 'NOT_FOUND')
    assert_problem(api.post('roles/nope/users/search', {}), 404, 'NOT_FOUND')
    assert_problem(api.put('roles/r1/clients/bad%20id'), 400, 'INVALID_ARGUMENT', 'illegal characters')


def test_member_searches_return_documented_item_shapes(api):
    api.post('roles', {'roleId': 'r1', 'name': 'R1', 'description': 'd'})
    api.post('groups', {'groupId': 'g1', 'name': 'G1'})
    api.post('tenants', {'tenantId': 't1', 'name': 'T1'})
    api.post('mapping-rules', {'mappingRuleId': 'm1', 'claimName': 'c', 'claimValue': 'v', 'name': 'M1'})
    api.put('roles/r1/groups/g1')
    api.put('roles/r1/mapping-rules/m1')
    api.put('tenants/t1/roles/r1')
    api.put('groups/g1/clients/c1')
    assert api.post('roles/r1/groups/search').json()['items'] == [{'groupId': 'g1'}]
    assert api.post('roles/r1/mapping-rules/search').json()['items'] == [
        {'mappingRuleId': 'm1', 'claimName': 'c', 'claimValue': 'v', 'name': 'M1'}
    ]
    assert api.post('tenants/t1/roles/search').json()['items'] == [{'roleId': 'r1', 'name': 'R1', 'description': 'd'}]
    assert api.post('groups/g1/clients/search').json()['items'] == [{'clientId': 'c1'}]
    assert api.post('groups/g1/roles/search').json()['items'] == [{'roleId': 'r1', 'name': 'R1', 'description': 'd'}]


def test_deleting_an_entity_removes_its_memberships(api):
    api.post('users', {'username': 'alice', 'password': 'x'})
    api.post('roles', {'roleId': 'r1', 'name': 'R1'})
    api.put('roles/r1/users/alice')
    api.delete('users/alice')
    assert api.post('roles/r1/users/search').json()['items'] == []
    api.post('users', {'username': 'alice', 'password': 'x'})
    assert api.put('roles/r1/users/alice').status_code == 204  # not 409: the old membership is gone


def test_me_lists_roles_groups_and_tenants_of_the_caller(api, emulator_server):
    api.post('users', {'username': 'alice', 'password': 'pw', 'name': 'Alice', 'email': 'alice@x.io'})
    api.post('groups', {'groupId': 'devs', 'name': 'Devs'})
    api.post('roles', {'roleId': 'viewer', 'name': 'Viewer'})
    api.post('tenants', {'tenantId': 'acme', 'name': 'ACME'})
    api.put('groups/devs/users/alice')
    api.put('roles/viewer/groups/devs')
    api.put('tenants/acme/roles/viewer')
    api.post(
        'authorizations',
        {
            'ownerId': 'viewer',
            'ownerType': 'ROLE',
            'resourceType': 'COMPONENT',
            'resourceId': 'operate',
            'permissionTypes': ['ACCESS'],
        },
    )
    me = Api(emulator_server.url, auth=('alice', 'pw')).get('authentication/me').json()
    assert me['username'] == 'alice' and me['displayName'] == 'Alice' and me['email'] == 'alice@x.io'
    assert me['groups'] == ['devs'] and me['roles'] == ['viewer']
    assert [tenant['tenantId'] for tenant in me['tenants']] == ['<default>', 'acme']
    assert me['authorizedComponents'] == ['operate']
    assert api.get('authentication/me').json()['authorizedComponents'] == ['*']  # demo is an admin


# -- authorizations -------------------------------------------------------------------------------

AUTH_BODY = {
    'ownerId': 'demo',
    'ownerType': 'USER',
    'resourceType': 'PROCESS_DEFINITION',
    'resourceId': '*',
    'permissionTypes': ['READ_PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE'],
}


def test_authorization_lifecycle(api):
    created = api.post('authorizations', AUTH_BODY)
    assert created.status_code == 201
    key = created.json()['authorizationKey']
    assert isinstance(key, str) and key.isdigit()
    assert api.get(f'authorizations/{key}').json() == dict(AUTH_BODY, authorizationKey=key, resourcePropertyName=None)
    changed = dict(AUTH_BODY, permissionTypes=['READ_PROCESS_DEFINITION'])
    updated = api.put(f'authorizations/{key}', changed)
    assert updated.status_code == 204 and updated.content == b''
    assert api.get(f'authorizations/{key}').json()['permissionTypes'] == ['READ_PROCESS_DEFINITION']
    assert api.delete(f'authorizations/{key}').status_code == 204
    assert_problem(api.get(f'authorizations/{key}'), 404, 'NOT_FOUND')
    assert_problem(api.put(f'authorizations/{key}', AUTH_BODY), 404, 'NOT_FOUND')
    assert_problem(api.delete(f'authorizations/{key}'), 404, 'NOT_FOUND')


def test_authorization_is_unique_per_owner_and_resource(api):
    api.post('authorizations', AUTH_BODY)
    problem = assert_problem(
        api.post('authorizations', dict(AUTH_BODY, permissionTypes=['READ_USER_TASK'])), 409, 'ALREADY_EXISTS'
    )
    assert problem['detail'] == CONFLICT_PREFIX + (
        "Expected to create authorization for owner 'demo' for resource identifier '*', "
        "but an authorization for this resource identifier already exists."
    )
    assert api.post('authorizations', dict(AUTH_BODY, resourceId='order-process')).status_code == 201
    assert api.post('authorizations', dict(AUTH_BODY, ownerType='CLIENT', ownerId='demo')).status_code == 201


def test_property_based_authorization(api):
    body = {
        'ownerId': 'demo',
        'ownerType': 'USER',
        'resourceType': 'USER_TASK',
        'resourcePropertyName': 'assignee',
        'permissionTypes': ['READ'],
    }
    key = api.post('authorizations', body).json()['authorizationKey']
    assert api.get(f'authorizations/{key}').json()['resourceId'] is None
    assert_problem(api.post('authorizations', body), 409, 'ALREADY_EXISTS', "resource property name 'assignee'")


@pytest.mark.parametrize(
    'change, detail',
    [
        ({'ownerType': 'ROBOT'}, "Unexpected value 'ROBOT' for ownerType"),
        ({'resourceType': 'CLUSTER'}, "Unexpected value 'CLUSTER' for resourceType"),
        ({'permissionTypes': ['FLY']}, "Unexpected value 'FLY' for permissionTypes"),
        ({'permissionTypes': []}, 'No permissionTypes provided.'),
        ({'resourceType': 'USER', 'permissionTypes': ['ACCESS']}, 'not supported'),
        ({'resourcePropertyName': 'assignee'}, 'Exactly one of resourceId and resourcePropertyName'),
        ({'resourceId': None}, 'Exactly one of resourceId and resourcePropertyName'),
        ({'owner': 'x'}, 'Request property [owner]'),
    ],
)
def test_invalid_authorizations_are_400(api, change, detail):
    body = {name: value for name, value in dict(AUTH_BODY, **change).items() if value is not None}
    assert_problem(api.post('authorizations', body), 400, 'INVALID_ARGUMENT', detail)


def test_authorization_for_missing_owner_is_404(api):
    assert_problem(api.post('authorizations', dict(AUTH_BODY, ownerType='ROLE', ownerId='nope')), 404, 'NOT_FOUND')
    assert api.post('authorizations', dict(AUTH_BODY, ownerType='CLIENT', ownerId='any-client')).status_code == 201


def test_deleting_an_owner_removes_its_authorizations(api):
    api.post('roles', {'roleId': 'r1', 'name': 'R1'})
    key = api.post('authorizations', dict(AUTH_BODY, ownerType='ROLE', ownerId='r1')).json()['authorizationKey']
    api.delete('roles/r1')
    assert api.get(f'authorizations/{key}').status_code == 404


def test_unknown_paths_and_methods(api):
    assert_problem(api.get('nothing-here'), 404, 'NOT_FOUND')
    problem = assert_problem(api.request('PATCH', 'users/demo'), 405, 'METHOD_NOT_ALLOWED')
    assert 'PATCH' in problem['detail']
    assert api.get('users/search').status_code == 404  # GET user 'search', as a router with path variables does
