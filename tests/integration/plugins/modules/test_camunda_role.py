# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_role through ansible-playbook against the emulator, with Basic and with OIDC auth."""

from __future__ import annotations

from identity_support import step

ROLE = dict(roleId='ops', name='Operations', description='On call')


def users(*names):
    return [step('user', user=name, user_password=f'{name}-Pw-123') for name in names]


def test_create_again_update_and_delete(connected):
    run = connected.run(
        *users('alice', 'bob', 'carol'),
        step('mapping_rule', mapping_rule_id='worker', claim_name='client_id', claim_value='worker-app'),
        step(
            'role',
            role_id='ops',
            name='Operations',
            description='On call',
            users=['alice', 'bob'],
            clients=['worker-app'],
            mapping_rules=['worker'],
        ),
        step(
            'role',
            role_id='ops',
            name='Operations',
            description='On call',
            users=['bob', 'alice'],
            clients=['worker-app'],
            mapping_rules=['worker'],
        ),
    )
    create, again = run[4], run[5]
    assert create['changed'] is True and again['changed'] is False
    assert create['role'] == again['role'] == ROLE
    assert again['members'] == {'clients': ['worker-app'], 'mapping_rules': ['worker'], 'users': ['alice', 'bob']}
    assert connected.entity('roles', 'ops') == ROLE
    assert connected.members('roles', 'ops') == {
        'users': ['alice', 'bob'],
        'clients': ['worker-app'],
        'mapping-rules': ['worker'],
    }

    run = connected.run(
        step('role', role_id='ops', description='Day shift', users=['carol']),
        step('role', role_id='ops', description='Day shift', users=['carol']),
    )
    assert run.changed() == [True, False]
    assert run[0]['role'] == dict(ROLE, description='Day shift')
    assert run[0]['members'] == {'users': ['alice', 'bob', 'carol']}
    assert connected.entity('roles', 'ops') == dict(ROLE, description='Day shift')

    run = connected.run(step('role', role_id='ops', state='absent'), step('role', role_id='ops', state='absent'))
    assert run.changed() == [True, False]
    assert run[0]['role'] == run[1]['role'] == {}
    assert connected.entity('roles', 'ops') is None and connected.members('roles', 'ops') == {}


def test_members_exact_and_absent(connected):
    connected.run(
        *users('alice', 'bob', 'carol'), step('role', role_id='ops', users=['alice', 'bob'], clients=['app-1', 'app-2'])
    )

    run = connected.run(
        step('role', role_id='ops', users=['carol', 'bob'], members_state='exact'),
        step('role', role_id='ops', users=['bob', 'carol'], members_state='exact'),
    )
    assert run.changed() == [True, False]
    assert run[0]['members'] == {'users': ['bob', 'carol']}
    # A list the task does not give is left alone, even with exact.
    assert connected.members('roles', 'ops') == {'users': ['bob', 'carol'], 'clients': ['app-1', 'app-2']}

    run = connected.run(
        step('role', role_id='ops', clients=['app-2', 'app-3'], members_state='absent'),
        step('role', role_id='ops', clients=['app-2'], members_state='absent'),
        step('role', role_id='ops', users=[], members_state='exact'),
    )
    assert run.changed() == [True, False, True]
    assert run[0]['members'] == {'clients': ['app-1']}
    assert connected.members('roles', 'ops') == {'clients': ['app-1']}


def test_check_mode_predicts_and_changes_nothing(connected):
    connected.run(*users('alice', 'bob'), step('role', role_id='ops', name='Operations', users=['alice']))
    before, writes = connected.state(), connected.writes()

    run = connected.run(
        step('role', role_id='ops', name='Ops', users=['bob'], members_state='exact'),
        step('role', role_id='new-role', users=['bob'], groups=['g1']),
        step('role', role_id='ops', state='absent'),
        check=True,
    )
    assert run.changed() == [True, True, True]
    assert run[0]['role'] == {'roleId': 'ops', 'name': 'Ops', 'description': None}
    assert run[0]['members'] == {'users': ['bob']}
    assert run[1]['role'] == {'roleId': 'new-role', 'name': 'new-role', 'description': None}
    assert run[1]['members'] == {'groups': ['g1'], 'users': ['bob']}
    assert connected.state() == before and connected.writes() == writes

    unchanged = connected.run(step('role', role_id='ops', name='Operations', users=['alice']), check=True)
    assert unchanged.changed() == [False]


def test_diff_shows_fields_and_the_member_lists_given(connected):
    connected.run(*users('alice', 'bob'), step('role', role_id='ops', name='Operations', users=['alice']))
    run = connected.run(step('role', role_id='ops', description='New', users=['bob']), diff=True)
    assert run[0]['diff'] == {
        'before': {'roleId': 'ops', 'name': 'Operations', 'description': None, 'users': ['alice']},
        'after': {'roleId': 'ops', 'name': 'Operations', 'description': 'New', 'users': ['alice', 'bob']},
    }
    assert '"description": "New"' in run.output or 'description: New' in run.output
    without = connected.run(step('role', role_id='ops'))
    assert 'diff' not in without[0]


def test_read_lag_does_not_break_idempotence(connected):
    connected.run(*users('alice'))
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    # The first task waits until its writes show; the second one finds everything in place.
    run = connected.run(
        step('role', role_id='ops', users=['alice'], clients=['app']),
        step('role', role_id='ops', users=['alice'], clients=['app']),
    )
    assert run.changed() == [True, False]
    assert run[1]['members'] == {'clients': ['app'], 'users': ['alice']}
    assert run.warnings(0) == []
    # The second task found the role by reading: it did not try to create it again.
    assert connected.emulator.admin.request_count('/v2/roles', 'POST') == 1

    # Without waiting, the next task reads nothing yet: its create meets 409 and its assignments 409.
    run = connected.run(
        step('role', role_id='lagging', users=['alice'], consistency_timeout=0),
        step('role', role_id='lagging', users=['alice']),
    )
    assert run.changed() == [True, False]
    assert run[1]['role']['roleId'] == 'lagging' and run[1]['members'] == {'users': ['alice']}
    assert connected.emulator.admin.request_count('/v2/roles', 'POST') == 3
    assert connected.members('roles', 'lagging') == {'users': ['alice']}

    # A member added to a visible role without waiting: the next task's search misses it, its assignment is
    # refused with 409 (already a member), which is no change.
    run = connected.run(
        step('role', role_id='ops', clients=['late-app'], consistency_timeout=0),
        step('role', role_id='ops', clients=['late-app']),
    )
    assert run.changed() == [True, False]
    assert connected.emulator.admin.request_count('/v2/roles/ops/clients/late-app', 'PUT') == 2
    assert run[1]['members'] == {'clients': ['app', 'late-app']}


def test_errors_carry_camundas_title_and_detail(identity):
    identity.connect('basic')
    run = identity.run(step('role', role_id='ops', users=['ghost'], ignore_errors=True), ok=False)
    failed = run[0]
    assert failed['_status'] == 'failed' and failed['status'] == 404 and failed['title'] == 'NOT_FOUND'
    assert failed['msg'].startswith("Cannot assign user 'ghost' to role 'ops': PUT ")
    assert "but the user does not exist" in failed['msg'] and 'Traceback' not in run.output

    run = identity.run(step('role', role_id='bad id', ignore_errors=True), ok=False)
    assert run[0]['status'] == 400 and run[0]['title'] == 'INVALID_ARGUMENT'
    assert run[0]['msg'].startswith("Cannot create role 'bad id': POST ")

    identity.emulator.admin.set_faults(forbidden=['demo'])
    run = identity.run(step('role', role_id='ops', ignore_errors=True), ok=False)
    assert run[0]['status'] == 403 and 'lacks permission (403 Forbidden)' in run[0]['msg']
    assert 'FORBIDDEN' in run[0]['msg']


def test_module_path_gives_the_same_result(identity):
    """The module on the target (not the controller shortcut) creates and then finds no change."""
    identity.connect('basic')
    run = identity.run(
        step('role', role_id='ops', clients=['app']),
        step('role', role_id='ops', clients=['app']),
        extra={'camunda_run_in_controller': False},
    )
    assert run.changed() == [True, False]
    assert run[1]['role'] == {'roleId': 'ops', 'name': 'ops', 'description': None}
    assert run[1]['invocation']['module_args']['role_id'] == 'ops'
