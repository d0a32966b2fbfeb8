# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The requests of identity entities: the same writes for every kind, found by id or by search."""

from __future__ import annotations

import pytest
from identity_fakes import FakeClient, api_error, options, search_result

from ansible_collections.community.camunda.plugins.module_utils._identity import request_bodies
from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import AUTHORIZATION
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE

AUTH_OPTIONS = dict(owner_type='ROLE', owner_id='ops', resource_type='PROCESS_DEFINITION', resource_id='*')
AUTH = {
    'authorizationKey': '7',
    'ownerId': 'ops',
    'ownerType': 'ROLE',
    'resourceType': 'PROCESS_DEFINITION',
    'resourceId': '*',
    'resourcePropertyName': None,
    'permissionTypes': ['READ'],
}


def test_an_authorization_is_found_by_search_and_only_with_exactly_its_key_fields():
    other = dict(AUTH, authorizationKey='8', resourceId='order')
    client = FakeClient(lambda method, path, body: search_result([other, AUTH]))
    assert request_bodies.find(client, AUTHORIZATION, options(**AUTH_OPTIONS)) == AUTH
    assert client.requests[0][:2] == ('POST', 'authorizations/search')
    client = FakeClient(lambda method, path, body: search_result([other]))
    assert request_bodies.find(client, AUTHORIZATION, options(**AUTH_OPTIONS)) is None


@pytest.mark.parametrize(
    'kind, current, url',
    [
        (ROLE, {'roleId': 'ops'}, 'roles/ops'),
        (AUTHORIZATION, AUTH, 'authorizations/7'),
    ],
)
def test_updates_and_deletes_are_the_same_for_every_kind_but_the_url(kind, current, url):
    client = FakeClient(lambda method, path, body: None)
    request_bodies.update(client, kind, 'x', current, {'a': 1})
    assert request_bodies.delete(client, kind, 'x', current) is True
    assert client.requests == [('PUT', url, {'a': 1}), ('DELETE', url, None)]


def test_delete_of_an_entity_already_gone_is_no_change_and_other_errors_name_the_action():
    def handler(method, path, body):
        raise api_error(404 if path == 'roles/gone' else 403)

    client = FakeClient(handler)
    assert request_bodies.delete(client, ROLE, "role 'gone'", {'roleId': 'gone'}) is False
    with pytest.raises(ApiError, match="^Cannot delete role 'x': failed with 403") as caught:
        request_bodies.delete(client, ROLE, "role 'x'", {'roleId': 'x'})
    assert caught.value.status == 403 and caught.value.title == 'ERR'


@pytest.mark.parametrize('adding, status, changed', [(True, 409, False), (False, 404, False), (True, None, True)])
def test_member_writes_that_find_the_state_as_wanted_are_no_change(adding, status, changed):
    def handler(method, path, body):
        if status:
            raise api_error(status)

    membership = ROLE.membership('users')
    client = FakeClient(handler)
    assert request_bodies.write_member(client, membership, 'ops', 'alice', adding, "role 'ops'") is changed
    assert client.requests == [('PUT' if adding else 'DELETE', 'roles/ops/users/alice', None)]


def test_a_member_write_refused_otherwise_fails_naming_member_and_container():
    def handler(method, path, body):
        raise api_error(404)

    with pytest.raises(ApiError, match="^Cannot assign user 'ghost' to role 'ops'"):
        request_bodies.write_member(FakeClient(handler), ROLE.membership('users'), 'ops', 'ghost', True, "role 'ops'")


def test_member_ids_are_read_from_the_member_field():
    client = FakeClient(lambda method, path, body: search_result([{'username': 'a'}, {'username': 'b'}, {}]))
    assert request_bodies.read_members(client, ROLE.membership('users'), 'ops') == {'a', 'b'}
    assert client.requests[0][1] == 'roles/ops/users/search'
