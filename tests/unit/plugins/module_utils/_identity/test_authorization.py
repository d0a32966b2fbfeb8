# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_authorization's core: the key of an authorization, its label, its requests, and a run against the emulator."""

from __future__ import annotations

import pytest
import requests

from emulator import EmulatorServer
from identity_fakes import options

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import (
    AUTHORIZATION,
    run_authorization,
)

ON_RESOURCE = dict(owner_type='USER', owner_id='alice', resource_type='PROCESS_DEFINITION', resource_id='order')
ON_PROPERTY = dict(owner_type='GROUP', owner_id='ops', resource_type='USER_TASK', resource_property_name='assignee')


def test_key_fields_are_the_options_given_and_an_empty_one_is_refused_by_name():
    assert AUTHORIZATION.key_fields(options(**ON_RESOURCE)) == {
        'ownerType': 'USER',
        'ownerId': 'alice',
        'resourceType': 'PROCESS_DEFINITION',
        'resourceId': 'order',
    }
    with pytest.raises(ConfigurationError, match='^owner_id must not be empty'):
        AUTHORIZATION.key_fields(options(**dict(ON_RESOURCE, owner_id='  ')))


def test_an_8_8_result_without_property_name_has_the_key_of_the_same_options():
    found = {
        'authorizationKey': '7',
        'ownerType': 'USER',
        'ownerId': 'alice',
        'resourceType': 'PROCESS_DEFINITION',
        'resourceId': 'order',
        'permissionTypes': ['READ'],
    }
    assert AUTHORIZATION.key_of(found) == AUTHORIZATION.key_of_options(options(**ON_RESOURCE))
    assert AUTHORIZATION.key_of(dict(found, resourcePropertyName='')) == AUTHORIZATION.key_of(found)


def test_label_names_the_owner_and_the_resource_or_the_property():
    assert (
        AUTHORIZATION.label(options(**ON_RESOURCE)) == "the authorization of USER 'alice' on PROCESS_DEFINITION 'order'"
    )
    assert (
        AUTHORIZATION.label(options(**ON_PROPERTY))
        == "the authorization of GROUP 'ops' on USER_TASK property 'assignee'"
    )


def test_lookup_searches_by_owner_and_resource_id_or_property_name():
    assert AUTHORIZATION.lookup(options(**ON_RESOURCE)) == (
        'search',
        'authorizations/search',
        {'ownerId': 'alice', 'ownerType': 'USER', 'resourceType': 'PROCESS_DEFINITION', 'resourceIds': ['order']},
    )
    assert AUTHORIZATION.lookup(options(**ON_PROPERTY))[2] == {
        'ownerId': 'ops',
        'ownerType': 'GROUP',
        'resourceType': 'USER_TASK',
        'resourcePropertyNames': ['assignee'],
    }


def test_present_without_permissions_says_how_to_remove_instead():
    with pytest.raises(ConfigurationError, match='permission_types must list at least one permission; .*state=absent'):
        AUTHORIZATION.desired(options(**ON_RESOURCE))


def test_update_sends_the_whole_authorization_to_its_key():
    desired = AUTHORIZATION.desired(options(permission_types=['UPDATE', 'READ'], **ON_RESOURCE))
    body = AUTHORIZATION.update_body({}, desired, with_secrets=False)
    assert body == dict(
        AUTHORIZATION.key_fields(options(**ON_RESOURCE)), permissionTypes=desired.fields['permissionTypes']
    )
    assert set(body['permissionTypes']) == {'READ', 'UPDATE'}
    assert AUTHORIZATION.entity_url({'authorizationKey': 'a/b'}) == 'authorizations/a%2Fb'


@pytest.fixture(scope='module')
def emulator():
    with EmulatorServer(auth='none') as server:
        yield server


def run(emulator, **values):
    values = dict(
        dict(
            url=emulator.url,
            retries=0,
            token_cache=False,
            auth_method='auto',
            state='present',
            consistency_timeout=10.0,
        ),
        **values,
    )
    return run_authorization(OptionAdapter.from_dict(values), RunContext())


def test_create_then_unchanged_whatever_the_order_then_update_then_remove(emulator):
    emulator.admin.reset()
    alice = dict(username='alice', password='alice-password-1', name='Alice', email='alice@example.com')
    owner = requests.post(emulator.url + '/v2/users', json=alice, timeout=10)
    assert owner.status_code in (200, 201), owner.text
    created = run(emulator, permission_types=['READ_PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE'], **ON_RESOURCE)
    assert created['changed'] is True
    key = created['authorization']['authorizationKey']
    again = run(
        emulator,
        permission_types=['CREATE_PROCESS_INSTANCE', 'READ_PROCESS_DEFINITION', 'READ_PROCESS_DEFINITION'],
        **ON_RESOURCE,
    )
    assert again['changed'] is False and again['authorization']['authorizationKey'] == key
    updated = run(emulator, permission_types=['READ_PROCESS_DEFINITION'], **ON_RESOURCE)
    assert updated['changed'] is True and updated['authorization']['permissionTypes'] == ['READ_PROCESS_DEFINITION']
    assert updated['authorization']['authorizationKey'] == key
    assert run(emulator, state='absent', **ON_RESOURCE)['changed'] is True
    assert run(emulator, state='absent', **ON_RESOURCE)['changed'] is False
