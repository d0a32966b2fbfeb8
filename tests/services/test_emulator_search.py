# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`POST .../search` of the emulator: filters, sort, offset and cursor pages, response shape."""

from __future__ import annotations

import pytest

from emulator import EmulatorServer
from emulator.testing import Api

PEOPLE = [
    ('anna', 'Anna', 'anna@corp.io'),
    ('bert', 'Bert', 'bert@corp.io'),
    ('cleo', 'Cleo', None),
    ('dave', 'Anna', 'dave@home.net'),
    ('emil', 'Emil', 'emil@corp.io'),
]


@pytest.fixture(scope='module')
def emulator_server():
    with EmulatorServer(auth='none') as running:
        yield running


@pytest.fixture
def api(server):
    client = Api(server.url)
    for username, name, email in PEOPLE:
        body = {'username': username, 'password': 'pw', 'name': name}
        if email:
            body['email'] = email
        assert client.post('users', body).status_code == 201
    yield client
    client.close()


def usernames(response):
    assert response.status_code == 200, response.text
    return [item['username'] for item in response.json()['items']]


def test_empty_request_returns_all_with_page_info(api):
    response = api.post('users/search')
    body = response.json()
    assert usernames(response) == ['anna', 'bert', 'cleo', 'dave', 'demo', 'emil']  # by id by default
    assert body['page']['totalItems'] == 6
    assert body['page']['hasMoreTotalItems'] is False
    assert body['page']['startCursor'] and body['page']['endCursor']


@pytest.mark.parametrize(
    'condition, expected',
    [
        ({'name': 'Anna'}, ['anna', 'dave']),
        ({'name': {'$eq': 'Anna'}}, ['anna', 'dave']),
        ({'name': {'$neq': 'Anna'}, 'username': {'$notIn': ['demo']}}, ['bert', 'cleo', 'emil']),
        ({'email': {'$exists': False}}, ['cleo']),
        ({'username': {'$in': ['bert', 'emil', 'zed']}}, ['bert', 'emil']),
        ({'email': {'$like': '*@corp.io'}}, ['anna', 'bert', 'emil']),
        ({'username': {'$like': 'd?ve'}}, ['dave']),
        ({'name': 'Anna', 'email': 'dave@home.net'}, ['dave']),
        ({'username': 'nobody'}, []),
    ],
)
def test_user_filters(api, condition, expected):
    response = api.post('users/search', {'filter': condition, 'sort': [{'field': 'username'}]})
    assert usernames(response) == expected
    assert response.json()['page']['totalItems'] == len(expected)


def test_sort_by_several_fields_and_directions(api):
    response = api.post(
        'users/search', {'sort': [{'field': 'name', 'order': 'DESC'}, {'field': 'username', 'order': 'DESC'}]}
    )
    assert usernames(response) == ['emil', 'demo', 'cleo', 'bert', 'dave', 'anna']


def test_nulls_sort_last(api):
    assert usernames(api.post('users/search', {'sort': [{'field': 'email', 'order': 'ASC'}]}))[-1] == 'cleo'
    assert usernames(api.post('users/search', {'sort': [{'field': 'email', 'order': 'DESC'}]}))[-1] == 'cleo'


def test_offset_pages(api):
    sort = [{'field': 'username'}]
    first = api.post('users/search', {'sort': sort, 'page': {'from': 0, 'limit': 4}})
    second = api.post('users/search', {'sort': sort, 'page': {'from': 4, 'limit': 4}})
    assert usernames(first) == ['anna', 'bert', 'cleo', 'dave']
    assert usernames(second) == ['demo', 'emil']
    assert second.json()['page']['totalItems'] == 6
    empty = api.post('users/search', {'page': {'from': 10}}).json()
    assert empty['items'] == [] and empty['page']['startCursor'] is None and empty['page']['endCursor'] is None


def test_cursor_pages_forward_and_backward(api):
    sort = [{'field': 'username'}]
    first = api.post('users/search', {'sort': sort, 'page': {'limit': 2}}).json()
    second = api.post('users/search', {'sort': sort, 'page': {'limit': 2, 'after': first['page']['endCursor']}})
    assert usernames(second) == ['cleo', 'dave']
    third = api.post('users/search', {'sort': sort, 'page': {'limit': 2, 'after': second.json()['page']['endCursor']}})
    assert usernames(third) == ['demo', 'emil']
    back = api.post('users/search', {'sort': sort, 'page': {'limit': 2, 'before': third.json()['page']['startCursor']}})
    assert usernames(back) == ['cleo', 'dave']


@pytest.mark.parametrize(
    'body, detail',
    [
        ({'filter': {'role': 'admin'}}, 'Request property [role]'),
        ({'filter': {'name': {'$regex': 'A.*'}}}, 'Request property [$regex]'),
        ({'filter': {'name': {'$in': 'Anna'}}}, 'needs a list of strings'),
        ({'filter': {'name': 5}}, 'must be a string or an advanced string filter'),
        ({'sort': [{'field': 'password'}]}, "Unexpected sort field 'password'"),
        ({'sort': [{'field': 'name', 'order': 'UP'}]}, "Unexpected sort order 'UP'"),
        ({'sort': {'field': 'name'}}, 'must be a list'),
        ({'page': {'limit': 0}}, 'from 1 to 10000'),
        ({'page': {'limit': 10001}}, 'from 1 to 10000'),
        ({'page': {'from': -1}}, 'at least 0'),
        ({'page': {'from': 1, 'after': 'eyJwb3NpdGlvbiI6IDB9'}}, 'Only one of from, after and before'),
        ({'page': {'after': 'not a cursor'}}, 'cursor'),
        ({'page': {'size': 5}}, 'Request property [size]'),
        ({'query': {}}, 'Request property [query]'),
    ],
)
def test_invalid_search_requests_are_400(api, body, detail):
    response = api.post('users/search', body)
    assert response.status_code == 400
    assert response.json()['title'] == 'INVALID_ARGUMENT'
    assert detail in response.json()['detail']


def test_role_group_tenant_and_mapping_rule_searches(api):
    for role_id, name in (('b-role', 'Zulu'), ('a-role', 'Alpha')):
        api.post('roles', {'roleId': role_id, 'name': name})
    roles = api.post('roles/search', {'filter': {'name': 'Zulu'}}).json()['items']
    assert roles == [{'roleId': 'b-role', 'name': 'Zulu', 'description': None}]
    ordered = api.post('roles/search', {'sort': [{'field': 'name'}]}).json()['items']
    assert [role['roleId'] for role in ordered] == ['admin', 'a-role', 'b-role']
    api.post('groups', {'groupId': 'g-1', 'name': 'One'})
    assert api.post('groups/search', {'filter': {'groupId': {'$like': 'g-*'}}}).json()['page']['totalItems'] == 1
    api.post('tenants', {'tenantId': 't-1', 'name': 'One'})
    tenants = api.post('tenants/search', {'sort': [{'field': 'key', 'order': 'DESC'}]}).json()['items']
    assert [tenant['tenantId'] for tenant in tenants] == ['t-1', '<default>']  # newest key first
    assert all('_key' not in tenant for tenant in tenants)
    api.post('mapping-rules', {'mappingRuleId': 'm-1', 'claimName': 'grp', 'claimValue': 'x', 'name': 'X'})
    api.post('mapping-rules', {'mappingRuleId': 'm-2', 'claimName': 'grp', 'claimValue': 'y', 'name': 'Y'})
    found = api.post('mapping-rules/search', {'filter': {'claimValue': 'y'}}).json()['items']
    assert [rule['mappingRuleId'] for rule in found] == ['m-2']


def test_authorization_search_filters(api):
    base = {'ownerType': 'USER', 'resourceType': 'PROCESS_DEFINITION', 'permissionTypes': ['READ_PROCESS_DEFINITION']}
    api.post('authorizations', dict(base, ownerId='anna', resourceId='p1'))
    api.post('authorizations', dict(base, ownerId='anna', resourceId='p2'))
    api.post('authorizations', dict(base, ownerId='bert', resourceId='p1'))
    api.post(
        'authorizations',
        {
            'ownerId': 'bert',
            'ownerType': 'USER',
            'resourceType': 'USER_TASK',
            'resourcePropertyName': 'assignee',
            'permissionTypes': ['READ'],
        },
    )

    def owners_and_resources(body):
        response = api.post('authorizations/search', body)
        assert response.status_code == 200, response.text
        return [
            (item['ownerId'], item['resourceId'] or item['resourcePropertyName']) for item in response.json()['items']
        ]

    assert owners_and_resources({'filter': {'ownerId': 'anna'}}) == [('anna', 'p1'), ('anna', 'p2')]
    assert owners_and_resources(
        {'filter': {'resourceIds': ['p1']}, 'sort': [{'field': 'ownerId', 'order': 'DESC'}]}
    ) == [('bert', 'p1'), ('anna', 'p1')]
    assert owners_and_resources({'filter': {'resourcePropertyNames': ['assignee']}}) == [('bert', 'assignee')]
    assert owners_and_resources({'filter': {'resourceType': 'USER_TASK', 'ownerType': 'USER'}}) == [
        ('bert', 'assignee')
    ]
    assert owners_and_resources({'filter': {'ownerType': 'ROLE'}}) == []
