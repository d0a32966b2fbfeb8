# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Kinds of Camunda Identity entities: fields, key fields, desired state, bodies and labels."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from identity_fakes import options

from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import (
    AUTHORIZATION,
    AUTHORIZATION_SPEC,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.group import GROUP
from ansible_collections.community.camunda.plugins.module_utils._identity.enums import (
    OWNER_TYPES,
    PERMISSION_TYPES,
    RESOURCE_TYPES,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.kind import Field
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE, ROLE_SPEC
from ansible_collections.community.camunda.plugins.module_utils._identity.tenant import TENANT


@pytest.mark.parametrize('value, expected', [(None, None), ('', None), ('x', 'x'), (' x', ' x')])
def test_text_fields_treat_empty_and_null_alike(value, expected):
    assert Field('description', 'description').normalise(value) == expected


def test_set_fields_ignore_order_and_repeats():
    field = Field('permission_types', 'permissionTypes', compare='set')
    assert field.normalise(['READ', 'CREATE', 'READ']) == field.normalise(['CREATE', 'READ']) == ['CREATE', 'READ']
    assert field.normalise(None) == []


def test_member_ids_are_stripped_and_blank_ones_refused():
    desired = ROLE.desired(options(role_id='r', users=[' alice', 'alice']))
    assert desired.members == {'users': {'alice'}}
    with pytest.raises(ConfigurationError, match='users must not contain empty user ids'):
        ROLE.desired(options(role_id='r', users=['alice', ' ']))


AUTH_OPTIONS = dict(owner_type='ROLE', owner_id='ops', resource_type='PROCESS_DEFINITION', resource_id='*')
AUTH = {
    'authorizationKey': '7',
    'ownerId': 'ops',
    'ownerType': 'ROLE',
    'resourceType': 'PROCESS_DEFINITION',
    'resourceId': '*',
    'resourcePropertyName': None,
    'permissionTypes': ['READ_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'],
}


def test_authorization_needs_at_least_one_permission_when_present():
    with pytest.raises(ConfigurationError, match='state=absent'):
        AUTHORIZATION.desired(options(permission_types=[], **AUTH_OPTIONS))


def test_key_matching_is_exact():
    wanted = AUTHORIZATION.key_of_options(options(**AUTH_OPTIONS))
    assert AUTHORIZATION.key_of(AUTH) == wanted
    assert AUTHORIZATION.key_of(dict(AUTH, resourceId='order')) != wanted
    assert AUTHORIZATION.key_of(dict(AUTH, ownerType='GROUP')) != wanted
    # An 8.8 result has no resourcePropertyName at all.
    assert AUTHORIZATION.key_of({k: v for k, v in AUTH.items() if k != 'resourcePropertyName'}) == wanted
    property_based = AUTHORIZATION.key_of_options(
        options(owner_type='ROLE', owner_id='ops', resource_type='USER_TASK', resource_property_name='assignee')
    )
    assert AUTHORIZATION.key_of(AUTH) != property_based
    assert ROLE.key_of({'roleId': 'r'}) == ROLE.key_of_options(options(role_id='r')) == 'r'


def test_authorization_label_names_owner_and_resource():
    assert AUTHORIZATION.label(options(**AUTH_OPTIONS)) == "the authorization of ROLE 'ops' on PROCESS_DEFINITION '*'"


def test_enum_tables_hold_every_documented_value_once():
    assert 'UNSPECIFIED' not in OWNER_TYPES
    assert {'AUDIT_LOG', 'BACKUP', 'USER_TASK', 'PROCESS_DEFINITION'} <= set(RESOURCE_TYPES)
    assert {'ACCESS', 'CLAIM', 'SUSPEND_PROCESS_INSTANCE'} <= set(PERMISSION_TYPES)
    for table in (OWNER_TYPES, RESOURCE_TYPES, PERMISSION_TYPES):
        assert list(table) == sorted(set(table))


def test_invalid_enum_values_are_refused_by_the_spec_listing_the_valid_ones():
    arguments = dict(AUTH_OPTIONS, owner_type='TEAM', permission_types=['READ', 'FLY'])
    errors = ArgumentSpecValidator(**AUTHORIZATION_SPEC).validate(arguments).error_messages
    assert any('owner_type must be one of: CLIENT, GROUP, MAPPING_RULE, ROLE, USER, got: TEAM' in e for e in errors)
    assert any(
        'permission_types must be one or more of' in e and 'CREATE_PROCESS_INSTANCE' in e and 'FLY' in e for e in errors
    )


def test_role_spec_offers_its_member_lists_and_members_state():
    spec = ROLE_SPEC['argument_spec']
    assert {'users', 'clients', 'groups', 'mapping_rules'} <= set(spec)
    assert spec['members_state']['choices'] == ['present', 'absent', 'exact']


def test_groups_roles_and_tenants_share_one_shape_with_their_own_member_lists():
    for kind, id_field in ((GROUP, 'groupId'), (ROLE, 'roleId'), (TENANT, 'tenantId')):
        assert [field.api for field in kind.fields] == ['name', 'description']
        assert kind.result_fields == (id_field, 'name', 'description')
    assert [m.option for m in GROUP.memberships] == ['users', 'clients', 'mapping_rules', 'roles']
    assert [m.option for m in TENANT.memberships] == ['users', 'clients', 'groups', 'roles', 'mapping_rules']
    # A group's roles are read on the group and written on the role.
    roles = GROUP.membership('roles')
    assert roles.search_url('a b') == 'groups/a%20b/roles/search'
    assert roles.write_url('a b', 'ops') == 'roles/ops/groups/a%20b'


def test_entities_live_at_their_id_and_authorizations_at_their_key():
    assert ROLE.lookup(options(role_id='a/b')) == ('get', 'roles/a%2Fb')
    assert ROLE.entity_url({'roleId': 'a/b'}) == 'roles/a%2Fb'
    assert AUTHORIZATION.entity_url(AUTH) == 'authorizations/7'
    assert AUTHORIZATION.lookup(options(**AUTH_OPTIONS)) == (
        'search',
        'authorizations/search',
        {'ownerId': 'ops', 'ownerType': 'ROLE', 'resourceType': 'PROCESS_DEFINITION', 'resourceIds': ['*']},
    )
