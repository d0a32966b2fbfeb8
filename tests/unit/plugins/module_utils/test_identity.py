# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identity engine: normalisation, plans, predictions, diffs, and its eventual-consistency paths."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.community.camunda.plugins.module_utils import _identity
from ansible_collections.community.camunda.plugins.module_utils._authorization import AUTHORIZATION, AUTHORIZATION_SPEC, same_identity
from ansible_collections.community.camunda.plugins.module_utils._context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._errors import ApiError, CamundaError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._group import GROUP
from ansible_collections.community.camunda.plugins.module_utils._identity import (
    SECRET_MASK, Field, IdentityApi, IdentityRunner, State, diff_view, member_changes, plan_changes, predict)
from ansible_collections.community.camunda.plugins.module_utils._identity_enums import OWNER_TYPES, PERMISSION_TYPES, RESOURCE_TYPES
from ansible_collections.community.camunda.plugins.module_utils._mapping_rule import MAPPING_RULE
from ansible_collections.community.camunda.plugins.module_utils._options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._role import ROLE, ROLE_SPEC
from ansible_collections.community.camunda.plugins.module_utils._user import USER


def options(**values):
    values.setdefault('state', 'present')
    values.setdefault('members_state', 'present')
    values.setdefault('update_password', 'on_create')
    return OptionAdapter.from_dict(values)


def plan_for(kind, current, **values):
    task = options(**values)
    desired = kind.desired(task)
    return desired, plan_changes(kind, desired, current, kind.label(task))


# -- normalisation --------------------------------------------------------------------------------

@pytest.mark.parametrize('value, expected', [(None, None), ('', None), ('x', 'x'), (' x', ' x')])
def test_text_fields_treat_empty_and_null_alike(value, expected):
    assert Field('description', 'description').normalise(value) == expected


def test_set_fields_ignore_order_and_repeats():
    field = Field('permission_types', 'permissionTypes', compare='set')
    assert field.normalise(['READ', 'CREATE', 'READ']) == field.normalise(['CREATE', 'READ']) == ['CREATE', 'READ']
    assert field.normalise(None) == []


@pytest.mark.parametrize('mode, expected', [
    ('present', (['c'], [])),
    ('exact', (['c'], ['a'])),
    ('absent', ([], ['b'])),
])
def test_member_changes_per_members_state(mode, expected):
    assert member_changes(have={'a', 'b'}, want={'b', 'c'}, members_state=mode) == expected


def test_empty_list_with_exact_removes_every_member():
    assert member_changes(have={'a', 'b'}, want=set(), members_state='exact') == ([], ['a', 'b'])


def test_member_ids_are_stripped_and_blank_ones_refused():
    desired = ROLE.desired(options(role_id='r', users=[' alice', 'alice']))
    assert desired.members == {'users': {'alice'}}
    with pytest.raises(ConfigurationError, match='users must not contain empty user ids'):
        ROLE.desired(options(role_id='r', users=['alice', ' ']))


# -- plans ----------------------------------------------------------------------------------------

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


# -- predictions and diffs ------------------------------------------------------------------------

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


# -- authorizations -------------------------------------------------------------------------------

AUTH_OPTIONS = dict(owner_type='ROLE', owner_id='ops', resource_type='PROCESS_DEFINITION', resource_id='*')
AUTH = {'authorizationKey': '7', 'ownerId': 'ops', 'ownerType': 'ROLE', 'resourceType': 'PROCESS_DEFINITION',
        'resourceId': '*', 'resourcePropertyName': None, 'permissionTypes': ['READ_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE']}


def test_permission_order_and_repeats_cause_no_change():
    _desired, plan = plan_for(AUTHORIZATION, State(AUTH), permission_types=[
        'CREATE_PROCESS_INSTANCE', 'READ_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'], **AUTH_OPTIONS)
    assert plan.empty


def test_authorization_update_sends_identity_and_the_complete_permission_set():
    _desired, plan = plan_for(AUTHORIZATION, State(AUTH), permission_types=['READ_PROCESS_INSTANCE'], **AUTH_OPTIONS)
    assert plan.update == {'ownerType': 'ROLE', 'ownerId': 'ops', 'resourceType': 'PROCESS_DEFINITION', 'resourceId': '*',
                           'permissionTypes': ['READ_PROCESS_INSTANCE']}


def test_authorization_needs_at_least_one_permission_when_present():
    with pytest.raises(ConfigurationError, match='state=absent'):
        AUTHORIZATION.desired(options(permission_types=[], **AUTH_OPTIONS))


def test_identity_matching_is_exact():
    identity = AUTHORIZATION.identity(options(**AUTH_OPTIONS))
    assert same_identity(AUTH, identity)
    assert not same_identity(dict(AUTH, resourceId='order'), identity)
    assert not same_identity(dict(AUTH, ownerType='GROUP'), identity)
    # An 8.8 result has no resourcePropertyName at all.
    assert same_identity({k: v for k, v in AUTH.items() if k != 'resourcePropertyName'}, identity)
    property_based = AUTHORIZATION.identity(options(owner_type='ROLE', owner_id='ops', resource_type='USER_TASK',
                                                    resource_property_name='assignee'))
    assert not same_identity(AUTH, property_based)


def test_authorization_label_names_owner_and_resource():
    assert AUTHORIZATION.label(options(**AUTH_OPTIONS)) == "authorization of ROLE 'ops' on PROCESS_DEFINITION '*'"


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
    assert any('permission_types must be one or more of' in e and 'CREATE_PROCESS_INSTANCE' in e and 'FLY' in e for e in errors)


def test_role_spec_offers_its_member_lists_and_members_state():
    spec = ROLE_SPEC['argument_spec']
    assert {'users', 'clients', 'groups', 'mapping_rules'} <= set(spec)
    assert spec['members_state']['choices'] == ['present', 'absent', 'exact']


# -- the runner against a fake API ----------------------------------------------------------------

class FakeClient(object):
    """Answers requests from a handler; records (method, path, body)."""

    def __init__(self, handler):
        self.handler = handler
        self.requests = []

    def url_for(self, path):
        return 'http://camunda/v2/' + path

    def get_json(self, path, expected=(200,)):
        return self.call_json('GET', path)

    def call_json(self, method, path, body=None, expected=(200, 201), idempotent=None):
        self.requests.append((method, path, body))
        return self.handler(method, path, body)

    def count(self, method, path=None):
        return sum(1 for m, p, _body in self.requests if m == method and (path is None or p == path))


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def api_error(status, title='ERR'):
    return ApiError(f'failed with {status}', status=status, title=title, detail='detail')


def run(kind, handler, check_mode=False, diff=False, **values):
    clock = Clock()
    client = FakeClient(handler)
    context = RunContext(check_mode=check_mode, diff=diff)
    values.setdefault('consistency_timeout', 3.0)
    result = IdentityRunner(kind, options(**values), context, client, clock.sleep, clock).run()
    return result, client, clock, context


def search_result(items):
    return {'items': items, 'page': {'totalItems': len(items), 'endCursor': None}}


def test_409_after_a_read_that_missed_waits_for_the_entity_and_never_creates_twice():
    reads = {'count': 0}

    def handler(method, path, body):
        if method == 'GET':
            reads['count'] += 1
            if reads['count'] < 4:
                raise api_error(404)
            return dict(ROLE_R)
        if method == 'POST' and path == 'roles':
            raise api_error(409, 'ALREADY_EXISTS')
        raise AssertionError((method, path))

    result, client, clock, _context = run(ROLE, handler, role_id='r', name='R')
    assert result['changed'] is False
    assert result['role'] == ROLE_R
    assert client.count('POST', 'roles') == 1
    assert clock.sleeps == [0.1, 0.2]


def test_409_that_never_becomes_visible_fails_with_camundas_words_after_the_timeout():
    def handler(method, path, body):
        if method == 'GET':
            raise api_error(404)
        raise ApiError('POST http://camunda/v2/roles failed with 409 Conflict (server said ALREADY_EXISTS: exists).',
                       status=409, title='ALREADY_EXISTS', detail='exists')

    with pytest.raises(ApiError) as caught:
        run(ROLE, handler, role_id='r', consistency_timeout=1.0)
    assert caught.value.status == 409 and caught.value.title == 'ALREADY_EXISTS'
    assert 'ALREADY_EXISTS: exists' in caught.value.msg
    assert 'could not be read within 1 s' in caught.value.msg


def test_member_already_assigned_409_is_not_a_change():
    def handler(method, path, body):
        if method == 'GET':
            return dict(ROLE_R)
        if method == 'POST' and path == 'roles/r/users/search':
            return search_result([])  # the read lags: alice is a member already
        if method == 'PUT' and path == 'roles/r/users/alice':
            raise api_error(409, 'ALREADY_EXISTS')
        raise AssertionError((method, path))

    result, client, _clock, _context = run(ROLE, handler, role_id='r', users=['alice'])
    assert result['changed'] is False
    assert client.count('PUT') == 1


def test_removing_a_member_already_gone_404_is_not_a_change():
    def handler(method, path, body):
        if method == 'GET':
            return dict(ROLE_R)
        if method == 'POST':
            return search_result([{'username': 'bob'}])
        if method == 'DELETE':
            raise api_error(404, 'NOT_FOUND')
        raise AssertionError((method, path))

    result, _client, _clock, _context = run(ROLE, handler, role_id='r', users=[], members_state='exact')
    assert result['changed'] is False


def test_other_write_errors_say_what_was_being_done():
    def handler(method, path, body):
        if method == 'GET':
            return dict(ROLE_R)
        if method == 'POST':
            return search_result([])
        raise api_error(404, 'NOT_FOUND')

    with pytest.raises(ApiError, match="^Cannot assign user 'ghost' to role 'r': failed with 404"):
        run(ROLE, handler, role_id='r', users=['ghost'])


def test_the_final_read_waits_until_the_write_shows():
    state = {'visible_after': 3, 'reads': 0, 'created': False}

    def handler(method, path, body):
        if method == 'GET':
            state['reads'] += 1
            if not state['created'] or state['reads'] < state['visible_after']:
                raise api_error(404)
            return {'roleId': 'r', 'name': 'r', 'description': None}
        if method == 'POST' and path == 'roles':
            state['created'] = True
            return {'roleId': 'r', 'name': 'r', 'description': None}
        raise AssertionError((method, path))

    result, client, clock, context = run(ROLE, handler, role_id='r')
    assert result['changed'] is True
    assert client.count('GET') == 3 and len(clock.sleeps) == 1
    assert context.warnings == []


def test_a_final_read_that_never_shows_the_write_returns_the_prediction_with_a_warning():
    def handler(method, path, body):
        if method == 'GET':
            raise api_error(404)
        return {'roleId': 'r', 'name': 'Ops', 'description': None}

    result, _client, clock, context = run(ROLE, handler, role_id='r', name='Ops', consistency_timeout=2.0)
    assert result['changed'] is True
    assert result['role'] == {'roleId': 'r', 'name': 'Ops', 'description': None}
    assert sum(clock.sleeps) <= 2.0
    assert len(context.warnings) == 1 and 'within 2 s' in context.warnings[0]


def test_check_mode_reads_but_never_writes():
    def handler(method, path, body):
        if method == 'GET':
            return dict(ROLE_R)
        if method == 'POST' and path.endswith('/search'):
            return search_result([{'username': 'bob'}])
        raise AssertionError(f'check mode wrote {method} {path}')

    result, _client, _clock, _context = run(ROLE, handler, check_mode=True, diff=True, role_id='r', name='New',
                                            users=['alice'], members_state='exact')
    assert result['changed'] is True
    assert result['members'] == {'users': ['alice']}
    assert result['diff'] == {
        'before': {'roleId': 'r', 'name': 'R', 'description': None, 'users': ['bob']},
        'after': {'roleId': 'r', 'name': 'New', 'description': None, 'users': ['alice']},
    }


def test_absent_and_missing_is_not_a_change_and_delete_404_neither():
    def missing(method, path, body):
        if method == 'GET':
            raise api_error(404)
        raise AssertionError((method, path))

    result, client, _clock, _context = run(ROLE, missing, role_id='r', state='absent')
    assert result == {'changed': False, 'role': {}} and client.count('DELETE') == 0

    def raced(method, path, body):
        if method == 'GET':
            return dict(ROLE_R)
        raise api_error(404)

    result, client, _clock, _context = run(ROLE, raced, role_id='r', state='absent')
    assert result['changed'] is False and client.count('DELETE') == 1


def test_search_follows_cursors_until_a_short_page(monkeypatch):
    monkeypatch.setattr(_identity, 'PAGE_LIMIT', 2)
    pages = [
        {'items': [{'username': 'a'}, {'username': 'b'}], 'page': {'endCursor': 'c1'}},
        {'items': [{'username': 'c'}, {'username': 'd'}], 'page': {'endCursor': 'c2'}},
        {'items': [{'username': 'e'}], 'page': {'endCursor': 'c3'}},
    ]
    client = FakeClient(lambda method, path, body: pages.pop(0))
    items = IdentityApi(client).search('roles/r/users/search', {'x': 'y'})
    assert [item['username'] for item in items] == ['a', 'b', 'c', 'd', 'e']
    assert [body['page'] for _m, _p, body in client.requests] == [{'limit': 2}, {'limit': 2, 'after': 'c1'},
                                                                  {'limit': 2, 'after': 'c2'}]
    assert all(body['filter'] == {'x': 'y'} for _m, _p, body in client.requests)


def test_search_refuses_an_answer_that_is_not_a_search_result():
    client = FakeClient(lambda method, path, body: ['not', 'a', 'result'])
    with pytest.raises(ApiError, match='did not answer a search result'):
        IdentityApi(client).search('roles/search')


def test_mapping_rule_with_a_claim_another_rule_has_fails_before_writing():
    def handler(method, path, body):
        if method == 'GET':
            raise api_error(404)
        if path == 'mapping-rules/search':
            assert body['filter'] == {'claimName': 'client_id', 'claimValue': 'w'}
            return search_result([{'mappingRuleId': 'other', 'claimName': 'client_id', 'claimValue': 'w', 'name': 'o'}])
        raise AssertionError((method, path))

    with pytest.raises(CamundaError, match="mapping rule 'other' already maps claim client_id = w"):
        run(MAPPING_RULE, handler, mapping_rule_id='m', claim_name='client_id', claim_value='w')


def test_group_roles_are_read_on_the_group_and_written_on_the_role():
    def handler(method, path, body):
        if method == 'GET':
            return {'groupId': 'g', 'name': 'g', 'description': None}
        if path == 'groups/g/roles/search':
            return search_result([])
        if (method, path) == ('PUT', 'roles/ops/groups/g'):
            return None
        raise AssertionError((method, path))

    result, client, _clock, _context = run(GROUP, handler, group_id='g', roles=['ops'], consistency_timeout=0)
    assert result['changed'] is True and client.count('PUT', 'roles/ops/groups/g') == 1
