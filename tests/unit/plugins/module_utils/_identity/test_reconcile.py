# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plan of camunda_identity: dependency order, exclusive with its protections, claims, the readable text."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_state import CurrentState
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import (
    IDENTITY_SPEC,
    desired_entries,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.reconcile import make_plan
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def entries(**task):
    validation = ArgumentSpecValidator(**IDENTITY_SPEC).validate(task)
    assert not validation.error_messages, validation.error_messages
    options = OptionAdapter.from_dict(validation.validated_parameters)
    return desired_entries(options), list(options.get('exclusive'))


def current(entities=None, members=None):
    state = CurrentState()
    state.entities = entities or {}
    state.members = members or {}
    return state


def plan_of(state=None, principal='demo', **task):
    found, exclusive = entries(**task)
    return make_plan(found, state or current(), exclusive, principal)


def lines(plan):
    return [step.describe() for step in plan.steps]


def test_creates_follow_dependencies_and_members_and_authorizations_come_after():
    plan = plan_of(
        authorizations=[
            dict(owner_type='GROUP', owner_id='g', resource_type='USER', resource_id='*', permission_types=['READ'])
        ],
        tenants=[dict(tenant_id='t', groups=['g'])],
        groups=[dict(group_id='g', users=['u'], roles=['r'])],
        roles=[dict(role_id='r')],
        users=[dict(user='u', user_password='pw-1')],
        mapping_rules=[dict(mapping_rule_id='m', claim_name='c', claim_value='v')],
    )
    assert lines(plan) == [
        "create user 'u'",
        "create mapping rule 'm'",
        "create group 'g'",
        "create role 'r'",
        "create tenant 't'",
        "assign role 'r' to group 'g'",
        "assign user 'u' to group 'g'",
        "assign group 'g' to tenant 't'",
        "create the authorization of GROUP 'g' on USER '*'",
    ]
    assert [len(phase) for phase in plan.phases()] == [1, 1, 1, 1, 1, 3, 1]


ADMIN = {'roleId': 'admin', 'name': 'Admin', 'description': None}


def authorization_of(key, owner_type, owner_id):
    return dict(
        authorizationKey=key,
        ownerType=owner_type,
        ownerId=owner_id,
        resourceType='USER',
        resourceId='*',
        permissionTypes=['READ'],
    )


STATE = current(
    entities={
        'users': {
            'demo': {'username': 'demo'},
            'alice': {'username': 'alice', 'name': 'Alice'},
            'old': {'username': 'old'},
        },
        'roles': {'admin': ADMIN, 'ops': {'roleId': 'ops', 'name': 'Ops'}, 'gone': {'roleId': 'gone', 'name': 'x'}},
        'tenants': {'<default>': {'tenantId': '<default>', 'name': 'Default'}},
        'authorizations': {
            ('ROLE', 'admin', 'USER', '*', None): authorization_of('1', 'ROLE', 'admin'),
            ('USER', 'demo', 'USER', '*', None): authorization_of('2', 'USER', 'demo'),
            ('USER', 'old', 'USER', '*', None): authorization_of('3', 'USER', 'old'),
        },
    },
    members={('roles', 'ops', 'users'): {'alice', 'demo', 'old'}, ('roles', 'admin', 'users'): {'demo', 'old'}},
)


def test_exclusive_removes_strays_in_reverse_order_and_spares_what_is_protected():
    plan = plan_of(
        STATE,
        users=[dict(user='alice')],
        roles=[dict(role_id='ops', users=['alice'])],
        tenants=[],
        exclusive=['users', 'roles', 'tenants', 'authorizations', 'memberships'],
    )
    assert lines(plan) == [
        "remove the authorization of USER 'old' on USER '*'",
        "remove user 'old' from role 'ops'",
        "remove role 'gone'",
        "remove user 'old'",
    ]
    assert plan.protected == [
        dict(label="user 'demo'", reason='the principal this task runs as'),
        dict(label="user 'demo' in role 'ops'", reason='the principal this task runs as'),
        dict(label="role 'admin'", reason='a built-in role of Camunda'),
        dict(label="tenant '<default>'", reason='the default tenant'),
        dict(label="the authorization of ROLE 'admin' on USER '*'", reason='an authorization of a built-in role'),
        dict(
            label="the authorization of USER 'demo' on USER '*'",
            reason='an authorization of the principal this task runs as',
        ),
    ]
    assert plan.summary() == dict(create=0, update=0, remove=3, assign=0, unassign=1, protected=6)


def test_what_an_entry_states_is_applied_as_stated():
    # The admin role declared with its own members_state: exact is applied (but never removes the role itself).
    plan = plan_of(STATE, roles=[dict(role_id='admin', users=['demo'], members_state='exact')], exclusive=['roles'])
    assert "remove user 'old' from role 'admin'" in lines(plan)
    assert plan.protected == []
    # Without exclusive memberships a member list is applied as present.
    plan = plan_of(STATE, roles=[dict(role_id='ops', users=['alice'])])
    assert plan.steps == []


def test_removing_the_principal_is_refused_before_any_write():
    with pytest.raises(ConfigurationError, match=r"^users\[0\]: user 'demo' is the principal this task runs as"):
        plan_of(STATE, users=[dict(user='demo', state='absent')])


def test_an_absent_entry_is_removed_and_a_missing_one_is_nothing():
    plan = plan_of(STATE, users=[dict(user='old', state='absent'), dict(user='never', state='absent')])
    assert [step.as_data() for step in plan.steps] == [
        dict(action='remove', kind='user', label="user 'old'", reason='state: absent')
    ]


def test_an_entry_that_cannot_be_created_names_where_it_is():
    with pytest.raises(
        ConfigurationError, match=r"^users\[1\]: User 'bob' does not exist; to create it, set user_password"
    ):
        plan_of(users=[dict(user='alice', user_password='pw-1'), dict(user='bob')])


def test_two_rules_for_one_claim_fail_before_any_write():
    rules = {'first': {'mappingRuleId': 'first', 'claimName': 'c', 'claimValue': 'v'}}
    with pytest.raises(
        ConfigurationError, match=r"^mapping_rules\[0\]: cannot apply mapping rule 'second': mapping rule 'first' "
    ):
        plan_of(
            current({'mapping_rules': rules}),
            mapping_rules=[dict(mapping_rule_id='second', claim_name='c', claim_value='v')],
        )
    # Moving the claim from a rule that the same plan removes is fine.
    plan = plan_of(
        current({'mapping_rules': rules}),
        exclusive=['mapping_rules'],
        mapping_rules=[dict(mapping_rule_id='second', claim_name='c', claim_value='v')],
    )
    assert lines(plan) == ["create mapping rule 'second'", "remove mapping rule 'first'"]


def test_the_text_plan_shows_field_changes_masks_passwords_and_names_the_spared():
    state = current(
        {'users': {'alice': {'username': 'alice', 'name': 'Alice', 'email': None}}, 'roles': {'admin': ADMIN}}
    )
    plan = plan_of(
        state,
        users=[
            dict(user='alice', name='Alice B', user_password='pw-secret-1', update_password='always'),
            dict(user='bob', user_password='pw-secret-2'),
        ],
        exclusive=['roles'],
    )
    text = plan.as_text()
    assert text.splitlines() == [
        'camunda_identity plan: 1 to create, 1 to update, 0 to remove, 0 member(s) to assign, 0 to unassign; 1 spared.',
        "~ update user 'alice': name 'Alice' -> 'Alice B', password = ********",
        "+ create user 'bob': password = ********",
        "= spared role 'admin' (a built-in role of Camunda)",
    ]
    assert 'pw-secret' not in text and 'pw-secret' not in repr(plan.as_data())


# Issue 27, item 12: what a trial as a new user found.


def test_without_a_principal_exclusive_users_keeps_the_admins_and_says_why():
    state = current({'users': {'demo': {'username': 'demo'}, 'stray': {'username': 'stray'}}})
    found, exclusive = entries(users=[], exclusive=['users'])
    plan = make_plan(found, state, exclusive, None, admins={'demo'})
    assert lines(plan) == ["remove user 'stray'"]
    assert plan.protected == [
        dict(
            label="user 'demo'",
            reason=(
                'a member of the built-in admin role, kept because the principal this task runs as is unknown (no '
                'credentials), so removing it could leave no admin'
            ),
        )
    ]
    assert "= spared user 'demo' (a member of the built-in admin role" in plan.as_text()


def test_a_membership_to_a_group_that_does_not_exist_fails_before_any_write():
    state = current({'groups': {'ops': {'groupId': 'ops'}}, 'roles': {'r': {'roleId': 'r', 'name': 'r'}}})
    with pytest.raises(ConfigurationError) as raised:
        plan_of(state, roles=[dict(role_id='r', groups=['ops', 'ghost'])])
    assert (
        "roles[0]: cannot assign group 'ghost' to role 'r': no such group exists and this task does not create it"
        in raised.value.msg
        and "'ops'" not in raised.value.msg
    )
    # Declared in the same task, it is created before the assignment.
    plan = plan_of(state, roles=[dict(role_id='r', groups=['ops', 'ghost'])], groups=[dict(group_id='ghost')])
    assert "assign group 'ghost' to role 'r'" in lines(plan)


def test_removing_a_group_of_the_principal_says_it_loses_that_membership():
    state = current({'groups': {'ops': {'groupId': 'ops', 'name': 'ops'}, 'misc': {'groupId': 'misc', 'name': 'misc'}}})
    found, exclusive = entries(groups=[], exclusive=['groups'])
    plan = make_plan(found, state, exclusive, 'demo', principal_groups=['ops'])
    reasons = {step.label: step.reason for step in plan.steps}
    assert reasons["group 'ops'"] == (
        "not declared; exclusive: groups; the principal this task runs as ('demo') is a "
        'member and loses this membership and what the group grants it'
    )
    assert reasons["group 'misc'"] == 'not declared; exclusive: groups'
    assert "loses this membership" in plan.as_text()
