# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_group through ansible-playbook against the emulator, with Basic and with OIDC auth."""

from __future__ import annotations

from identity_support import step

GROUP = dict(groupId='team', name='Team', description=None)


def setup_steps():
    """Users, two roles and a mapping rule that the groups below refer to."""
    return [step('user', user=name, user_password=f'{name}-Pw-123') for name in ('alice', 'bob', 'carol')] + [
        step('role', role_id='operations'),
        step('role', role_id='auditors'),
        step('mapping_rule', mapping_rule_id='admins', claim_name='groups', claim_value='admins'),
    ]


def test_create_again_update_and_delete(connected):
    run = connected.run(
        *setup_steps(),
        step(
            'group',
            group_id='team',
            name='Team',
            users=['alice', 'bob'],
            clients=['app'],
            mapping_rules=['admins'],
            roles=['operations'],
        ),
        step(
            'group',
            group_id='team',
            name='Team',
            users=['bob', 'alice'],
            clients=['app'],
            mapping_rules=['admins'],
            roles=['operations'],
        ),
    )
    create, again = run[-2], run[-1]
    assert (create['changed'], again['changed']) == (True, False)
    assert create['group'] == again['group'] == GROUP
    assert again['members'] == {
        'clients': ['app'],
        'mapping_rules': ['admins'],
        'roles': ['operations'],
        'users': ['alice', 'bob'],
    }
    assert connected.members('groups', 'team') == {
        'users': ['alice', 'bob'],
        'clients': ['app'],
        'mapping-rules': ['admins'],
    }
    # A group's roles are recorded on the role.
    assert connected.members('roles', 'operations') == {'groups': ['team']}

    run = connected.run(
        step('group', group_id='team', description='Night shift', roles=['auditors']),
        step('group', group_id='team', description='Night shift', roles=['auditors']),
    )
    assert run.changed() == [True, False]
    assert run[0]['group'] == dict(GROUP, description='Night shift')
    assert run[0]['members'] == {'roles': ['auditors', 'operations']}

    run = connected.run(step('group', group_id='team', state='absent'), step('group', group_id='team', state='absent'))
    assert run.changed() == [True, False]
    assert connected.entity('groups', 'team') is None
    assert connected.members('roles', 'operations') == {}


def test_members_added_and_removed_in_both_modes(connected):
    connected.run(*setup_steps(), step('group', group_id='team', users=['alice'], roles=['operations']))

    run = connected.run(
        step('group', group_id='team', users=['bob'], roles=['auditors']),
        step('group', group_id='team', users=['bob'], roles=['auditors']),
    )
    assert run.changed() == [True, False]
    assert connected.members('groups', 'team') == {'users': ['alice', 'bob']}

    run = connected.run(
        step('group', group_id='team', users=['carol'], roles=['auditors'], members_state='exact'),
        step('group', group_id='team', users=['carol'], roles=['auditors'], members_state='exact'),
    )
    assert run.changed() == [True, False]
    assert run[0]['members'] == {'roles': ['auditors'], 'users': ['carol']}
    assert connected.members('groups', 'team') == {'users': ['carol']}
    assert connected.members('roles', 'operations') == {} and connected.members('roles', 'auditors') == {
        'groups': ['team']
    }

    run = connected.run(step('group', group_id='team', users=['carol', 'alice'], members_state='absent'))
    assert run.changed() == [True] and run[0]['members'] == {'users': []}
    assert connected.members('groups', 'team') == {}


def test_check_mode_predicts_and_changes_nothing(connected):
    connected.run(*setup_steps(), step('group', group_id='team', users=['alice']))
    before, writes = connected.state(), connected.writes()
    run = connected.run(
        step('group', group_id='team', name='Renamed', users=['bob'], roles=['operations'], members_state='exact'),
        step('group', group_id='other', users=['bob']),
        check=True,
    )
    assert run.changed() == [True, True]
    assert run[0]['group'] == dict(GROUP, groupId='team', name='Renamed')
    assert run[0]['members'] == {'roles': ['operations'], 'users': ['bob']}
    assert run[1]['group'] == dict(groupId='other', name='other', description=None)
    assert connected.state() == before and connected.writes() == writes


def test_diff(connected):
    connected.run(*setup_steps(), step('group', group_id='team', users=['alice']))
    run = connected.run(
        step('group', group_id='team', users=['alice', 'bob'], roles=['auditors'], members_state='exact'), diff=True
    )
    assert run[0]['diff'] == {
        'before': {'groupId': 'team', 'name': 'team', 'description': None, 'roles': [], 'users': ['alice']},
        'after': {
            'groupId': 'team',
            'name': 'team',
            'description': None,
            'roles': ['auditors'],
            'users': ['alice', 'bob'],
        },
    }


def test_read_lag_does_not_break_idempotence(connected):
    connected.run(*setup_steps())
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    run = connected.run(
        step('group', group_id='team', users=['alice'], roles=['operations'], consistency_timeout=0),
        step('group', group_id='team', users=['alice'], roles=['operations']),
        step('group', group_id='team', users=['alice'], roles=['operations']),
    )
    assert run.changed() == [True, False, False]
    assert run[1]['members'] == run[2]['members'] == {'roles': ['operations'], 'users': ['alice']}
    assert connected.emulator.admin.request_count('/v2/groups', 'POST') == 2
