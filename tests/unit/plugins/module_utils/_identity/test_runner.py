# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One task on one entity against a fake API: eventual consistency, 409/404, check mode, absent."""

from __future__ import annotations

import pytest
from identity_fakes import Clock, FakeClient, api_error, options, search_result

from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import AUTHORIZATION
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, CamundaError
from ansible_collections.community.camunda.plugins.module_utils._identity.group import GROUP
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import EntityRunner
from ansible_collections.community.camunda.plugins.module_utils._identity.mapping_rule import MAPPING_RULE
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE


ROLE_R = {'roleId': 'r', 'name': 'R', 'description': None}


def run(kind, handler, check_mode=False, diff=False, **values):
    clock = Clock()
    client = FakeClient(handler)
    context = RunContext(check_mode=check_mode, diff=diff)
    values.setdefault('consistency_timeout', 3.0)
    result = EntityRunner(kind, options(**values), context, client, clock.sleep, clock).run()
    return result, client, clock, context


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
        raise ApiError(
            'POST http://camunda/v2/roles failed with 409 Conflict (server said ALREADY_EXISTS: exists).',
            status=409,
            title='ALREADY_EXISTS',
            detail='exists',
        )

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

    result, _client, _clock, _context = run(
        ROLE, handler, check_mode=True, diff=True, role_id='r', name='New', users=['alice'], members_state='exact'
    )
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


def test_an_authorization_without_members_is_created_through_the_shared_create():
    def handler(method, path, body):
        if path == 'authorizations/search':
            return search_result([])
        if (method, path) == ('POST', 'authorizations'):
            return {'authorizationKey': '9'}
        raise AssertionError((method, path))

    result, client, _clock, _context = run(
        AUTHORIZATION,
        handler,
        consistency_timeout=0,
        owner_type='ROLE',
        owner_id='ops',
        resource_type='PROCESS_DEFINITION',
        resource_id='*',
        permission_types=['READ'],
    )
    assert result['changed'] is True and client.count('POST', 'authorizations') == 1
