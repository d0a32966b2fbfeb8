# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Planning for one entity: member changes, plans, predictions, diffs and the readable field changes."""

from __future__ import annotations

import pytest
from identity_fakes import options

from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import AUTHORIZATION
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.group import GROUP
from ansible_collections.community.camunda.plugins.module_utils._identity.plan import (
    SECRET_MASK,
    State,
    diff_view,
    field_changes,
    member_changes,
    plan_changes,
    predict,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.mapping_rule import MAPPING_RULE
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE
from ansible_collections.community.camunda.plugins.module_utils._identity.user import USER


def plan_for(kind, current, **values):
    task = options(**values)
    desired = kind.desired(task)
    return desired, plan_changes(kind, desired, current, kind.label(task))


@pytest.mark.parametrize(
    'mode, expected',
    [
        ('present', (['c'], [])),
        ('exact', (['c'], ['a'])),
        ('absent', ([], ['b'])),
    ],
)
def test_member_changes_per_members_state(mode, expected):
    assert member_changes(have={'a', 'b'}, want={'b', 'c'}, members_state=mode) == expected


def test_empty_list_with_exact_removes_every_member():
    assert member_changes(have={'a', 'b'}, want=set(), members_state='exact') == ([], ['a', 'b'])


ROLE_R = {'roleId': 'r', 'name': 'R', 'description': None}


def test_missing_role_is_created_with_its_id_as_default_name():
    _desired, plan = plan_for(ROLE, State(), role_id='r', users=['alice'])
    assert plan.create == {'roleId': 'r', 'name': 'r'}
    assert plan.add == {'users': ['alice']} and plan.update is None


def test_equal_state_needs_no_write():
    current = State(ROLE_R, {'users': {'alice'}})
    _desired, plan = plan_for(ROLE, current, role_id='r', name='R', description='', users=['alice'])
    assert plan.empty


def test_options_not_set_are_not_compared():
    current = State(dict(ROLE_R, description='kept'))
    _desired, plan = plan_for(ROLE, current, role_id='r', name='R')
    assert plan.empty


def test_update_sends_the_whole_entity_with_the_desired_values():
    current = State(dict(ROLE_R, description='old'))
    _desired, plan = plan_for(ROLE, current, role_id='r', name='New')
    assert plan.update == {'name': 'New', 'description': 'old'}


def test_an_empty_value_the_task_sets_clears_the_field():
    current = State(dict(ROLE_R, description='old'))
    _desired, plan = plan_for(ROLE, current, role_id='r', description='')
    assert plan.update == {'name': 'R', 'description': ''}


def test_members_of_a_missing_entity_start_empty():
    _desired, plan = plan_for(ROLE, State(), role_id='r', users=['a'], members_state='absent')
    assert plan.add == {'users': []} and plan.remove == {'users': []}


def test_creating_a_user_needs_a_password():
    with pytest.raises(ConfigurationError, match="^User 'alice' does not exist; to create it, set user_password"):
        plan_for(USER, State(), user='alice', name='Alice')


def test_creating_a_mapping_rule_names_every_missing_option():
    with pytest.raises(ConfigurationError, match='set claim_name and claim_value'):
        plan_for(MAPPING_RULE, State(), mapping_rule_id='m')


ALICE = {'username': 'alice', 'name': 'Alice', 'email': None}


def test_password_is_written_on_create():
    _desired, plan = plan_for(USER, State(), user='alice', user_password='pw-1')
    assert plan.create == {'username': 'alice', 'password': 'pw-1'} and plan.secret_written


def test_password_is_not_written_to_an_existing_user_by_default():
    _desired, plan = plan_for(USER, State(ALICE), user='alice', name='Alice', user_password='pw-1')
    assert plan.empty and not plan.secret_written


def test_update_password_always_writes_it_with_the_other_fields():
    _desired, plan = plan_for(USER, State(ALICE), user='alice', user_password='pw-1', update_password='always')
    assert plan.update == {'name': 'Alice', 'password': 'pw-1'} and plan.secret_written


def test_settling_ignores_the_password_that_cannot_be_read_back():
    desired = USER.desired(options(user='alice', user_password='pw-1', update_password='always'))
    assert plan_changes(USER, desired, State(ALICE), 'x', with_secrets=False).empty


def test_prediction_applies_field_and_member_changes():
    current = State(ROLE_R, {'users': {'a', 'b'}})
    desired, plan = plan_for(ROLE, current, role_id='r', description='d', users=['b', 'c'], members_state='exact')
    after = predict(ROLE, desired, current, plan)
    assert after.entity == {'roleId': 'r', 'name': 'R', 'description': 'd'}
    assert after.members == {'users': {'b', 'c'}}


def test_prediction_of_a_create_fills_the_default_name():
    desired, plan = plan_for(GROUP, State(), group_id='g', roles=['ops'])
    after = predict(GROUP, desired, State(), plan)
    assert after.entity == {'groupId': 'g', 'name': 'g', 'description': None}
    assert after.members == {'roles': {'ops'}}


def test_diff_masks_a_written_password_and_never_holds_it():
    desired, plan = plan_for(USER, State(), user='alice', user_password='pw-secret-1')
    after = predict(USER, desired, State(), plan)
    view = diff_view(USER, after, desired, secret_written=plan.secret_written)
    assert view == {'username': 'alice', 'name': None, 'email': None, 'password': SECRET_MASK}
    assert 'pw-secret-1' not in repr(view)


def test_diff_of_a_missing_entity_is_empty_and_lists_are_sorted():
    desired = ROLE.desired(options(role_id='r', users=['b', 'a']))
    assert diff_view(ROLE, State(), desired) == {}
    assert diff_view(ROLE, State(ROLE_R, {'users': {'b', 'a'}}), desired)['users'] == ['a', 'b']


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


def test_permission_order_and_repeats_cause_no_change():
    _desired, plan = plan_for(
        AUTHORIZATION,
        State(AUTH),
        permission_types=['CREATE_PROCESS_INSTANCE', 'READ_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'],
        **AUTH_OPTIONS,
    )
    assert plan.empty


def test_authorization_update_sends_key_fields_and_the_complete_permission_set():
    _desired, plan = plan_for(AUTHORIZATION, State(AUTH), permission_types=['READ_PROCESS_INSTANCE'], **AUTH_OPTIONS)
    assert plan.update == {
        'ownerType': 'ROLE',
        'ownerId': 'ops',
        'resourceType': 'PROCESS_DEFINITION',
        'resourceId': '*',
        'permissionTypes': ['READ_PROCESS_INSTANCE'],
    }


def test_field_changes_name_before_and_after_and_mask_secrets():
    desired, plan = plan_for(USER, State(), user='alice', name='Alice', user_password='pw-secret-1')
    assert field_changes(USER, None, plan, desired) == {'name': {'after': 'Alice'}, 'password': {'after': SECRET_MASK}}
    current = State(dict(ROLE_R, description='old'))
    desired, plan = plan_for(ROLE, current, role_id='r', description='new')
    # An update sends the whole entity; only what differs is a change.
    assert field_changes(ROLE, current.entity, plan, desired) == {'description': {'before': 'old', 'after': 'new'}}
