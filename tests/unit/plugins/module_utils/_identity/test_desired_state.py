# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_identity's run against a fake API: few reads, check mode, phases, failure report, principal."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from identity_fakes import Clock, FakeClient, api_error, search_result

from ansible_collections.community.camunda.plugins.module_utils._identity import desired_state as _identity
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import IDENTITY_SPEC
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


class FakeApi(object):
    """Entities by collection; writes are recorded and change nothing unless a test says so."""

    def __init__(self, **collections):
        self.collections = collections
        self.fail = {}

    def __call__(self, method, path, body):
        if (method, path) in self.fail:
            raise self.fail[(method, path)]
        if path == 'authentication/me':
            return {'username': 'demo'}
        if method == 'POST' and path.endswith('/search'):
            parts = path.split('/')
            if len(parts) == 2:
                return search_result(self.collections.get(parts[0], []))
            return search_result([{'username': 'alice'}])
        return {} if method == 'POST' else None


@pytest.fixture
def run(monkeypatch):
    """run(api, check_mode=False, diff=False, **task) -> (result, client): the core with a FakeClient on ``api``."""

    def run_with(api, check_mode=False, diff=False, **task):
        return _run(monkeypatch, api, check_mode, diff, **task)

    return run_with


def _run(monkeypatch, api, check_mode, diff, **task):
    task.setdefault('parallel', 1)
    validation = ArgumentSpecValidator(**IDENTITY_SPEC).validate(task)
    assert not validation.error_messages, validation.error_messages
    client = FakeClient(api)
    clock = Clock()
    context = RunContext(check_mode=check_mode, diff=diff)
    options = OptionAdapter.from_dict(validation.validated_parameters)
    monkeypatch.setattr(_identity, 'CamundaClient', lambda _options, _context: _Closing(client))
    return _identity.run_identity(options, context, clock.sleep, clock), client


class _Closing(object):
    def __init__(self, client):
        self.client = client

    def __enter__(self):
        return self.client

    def __exit__(self, *exc_info):
        return False


GROUPS = [{'groupId': f'g{index}', 'name': f'g{index}', 'description': None} for index in range(50)]


def test_an_unchanged_state_costs_one_search_per_kind_and_one_per_member_list(run):
    api = FakeApi(groups=GROUPS, users=[{'username': 'alice', 'name': 'Alice', 'email': None}])
    result, client = run(
        api,
        users=[dict(user='alice', name='Alice')],
        groups=[dict(group_id=group['groupId'], name=group['groupId'], users=['alice']) for group in GROUPS[:3]],
    )
    assert result == dict(
        changed=False,
        plan=[],
        protected=[],
        summary=dict(create=0, update=0, remove=0, assign=0, unassign=0, protected=0),
    )
    assert [path for _method, path, _body in client.requests] == [
        'users/search',
        'groups/search',
        'groups/g0/users/search',
        'groups/g1/users/search',
        'groups/g2/users/search',
    ]


def test_check_mode_plans_and_writes_nothing_and_diff_is_the_text_plan(run):
    result, client = run(FakeApi(), check_mode=True, diff=True, roles=[dict(role_id='ops', users=['alice'])])
    assert result['changed'] is True
    assert [item['action'] for item in result['plan']] == ['create', 'assign']
    assert result['diff']['prepared'].splitlines()[1:] == [
        "+ create role 'ops': name = 'ops'",
        "+ assign user 'alice' to role 'ops'",
    ]
    assert [method for method, _path, _body in client.requests] == ['POST']  # the search only


def test_writes_run_phase_by_phase_and_the_principal_is_read_only_when_something_may_be_removed(run):
    result, client = run(
        FakeApi(), roles=[dict(role_id='ops', users=['alice'])], users=[dict(user='alice', user_password='pw-1')]
    )
    assert result['changed'] is True
    assert [(method, path) for method, path, _body in client.requests] == [
        ('POST', 'users/search'),
        ('POST', 'roles/search'),
        ('POST', 'users'),
        ('POST', 'roles'),
        ('PUT', 'roles/ops/users/alice'),
    ]
    _result, client = run(FakeApi(), roles=[dict(role_id='ops')], exclusive=['roles'])
    assert client.requests[0][:2] == ('GET', 'authentication/me')


def test_a_failure_reports_what_was_applied_and_what_was_not(run):
    api = FakeApi()
    api.fail[('POST', 'roles')] = api_error(500)
    with pytest.raises(CamundaError) as caught:
        run(
            api,
            users=[dict(user='alice', user_password='pw-1')],
            roles=[dict(role_id='ops', users=['alice'])],
            tenants=[dict(tenant_id='t')],
        )
    error = caught.value
    assert error.msg.startswith("Cannot create role 'ops': failed with 500 Applied 1 of 4 planned writes")
    assert error.details['failed_step'] == "create role 'ops'"
    assert error.details['applied'] == ["create user 'alice'"]
    assert error.details['not_applied'] == ["create tenant 't'", "assign user 'alice' to role 'ops'"]
    assert error.details['status'] == 500
    assert error.details['changed'] is True  # a write was applied: fail_json must not say nothing changed


@pytest.mark.parametrize('status', [401, 403, 404])
def test_no_principal_when_camunda_does_not_say(status):
    api = FakeApi()
    api.fail[('GET', 'authentication/me')] = api_error(status)
    assert _identity.principal_of(FakeClient(api)) is None
    assert _identity.principal_of(FakeClient(FakeApi())) == 'demo'
