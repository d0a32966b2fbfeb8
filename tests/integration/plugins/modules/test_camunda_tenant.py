# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_tenant through ansible-playbook against the emulator, with Basic and with OIDC auth."""

from __future__ import annotations

from identity_support import step

TENANT = dict(tenantId='finance', name='Finance', description='Money')
EVERY_KIND = dict(
    users=['alice'], clients=['billing-app'], groups=['team'], roles=['clerks'], mapping_rules=['workers']
)


def setup_steps():
    return [
        step('user', user='alice', user_password='alice-Pw-123'),
        step('user', user='bob', user_password='bob-Pw-123'),
        step('group', group_id='team'),
        step('role', role_id='clerks'),
        step('role', role_id='auditors'),
        step('mapping_rule', mapping_rule_id='workers', claim_name='client_id', claim_value='workers'),
    ]


def test_create_again_update_and_delete(connected):
    run = connected.run(
        *setup_steps(),
        step('tenant', tenant_id='finance', name='Finance', description='Money', **EVERY_KIND),
        step('tenant', tenant_id='finance', name='Finance', description='Money', **EVERY_KIND),
    )
    create, again = run[-2], run[-1]
    assert (create['changed'], again['changed']) == (True, False)
    assert create['tenant'] == again['tenant'] == TENANT
    assert again['members'] == EVERY_KIND
    assert connected.members('tenants', 'finance') == {
        'users': ['alice'],
        'clients': ['billing-app'],
        'groups': ['team'],
        'roles': ['clerks'],
        'mapping-rules': ['workers'],
    }

    run = connected.run(
        step('tenant', tenant_id='finance', name='Finance EU', roles=['auditors'], users=['bob']),
        step('tenant', tenant_id='finance', name='Finance EU', roles=['auditors'], users=['bob']),
    )
    assert run.changed() == [True, False]
    assert run[0]['tenant'] == dict(TENANT, name='Finance EU')
    assert run[0]['members'] == {'roles': ['auditors', 'clerks'], 'users': ['alice', 'bob']}

    run = connected.run(
        step('tenant', tenant_id='finance', roles=['auditors'], users=[], members_state='exact'),
        step('tenant', tenant_id='finance', groups=['team'], members_state='absent'),
        step('tenant', tenant_id='finance', groups=['team'], members_state='absent'),
    )
    assert run.changed() == [True, True, False]
    assert connected.members('tenants', 'finance') == {
        'clients': ['billing-app'],
        'roles': ['auditors'],
        'mapping-rules': ['workers'],
    }

    run = connected.run(
        step('tenant', tenant_id='finance', state='absent'), step('tenant', tenant_id='finance', state='absent')
    )
    assert run.changed() == [True, False]
    assert connected.entity('tenants', 'finance') is None


def test_check_mode_predicts_and_changes_nothing(connected):
    connected.run(*setup_steps(), step('tenant', tenant_id='finance', users=['alice']))
    before, writes = connected.state(), connected.writes()
    run = connected.run(
        step('tenant', tenant_id='finance', description='d', users=['bob'], members_state='exact'),
        step('tenant', tenant_id='hr', roles=['clerks']),
        step('tenant', tenant_id='finance', state='absent'),
        check=True,
    )
    assert run.changed() == [True, True, True]
    assert run[0]['members'] == {'users': ['bob']} and run[0]['tenant']['description'] == 'd'
    assert run[1]['tenant'] == dict(tenantId='hr', name='hr', description=None)
    assert connected.state() == before and connected.writes() == writes


def test_diff(connected):
    connected.run(*setup_steps(), step('tenant', tenant_id='finance', roles=['clerks']))
    run = connected.run(step('tenant', tenant_id='finance', roles=['auditors'], members_state='exact'), diff=True)
    assert run[0]['diff'] == {
        'before': {'tenantId': 'finance', 'name': 'finance', 'description': None, 'roles': ['clerks']},
        'after': {'tenantId': 'finance', 'name': 'finance', 'description': None, 'roles': ['auditors']},
    }


def test_read_lag_does_not_break_idempotence(connected):
    connected.run(*setup_steps())
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    run = connected.run(
        step('tenant', tenant_id='finance', **EVERY_KIND), step('tenant', tenant_id='finance', **EVERY_KIND)
    )
    assert run.changed() == [True, False]
    assert run[1]['members'] == EVERY_KIND
    assert run.warnings(0) == []
    # The first task read until its writes showed, so the second one found the tenant without a create.
    assert connected.emulator.admin.request_count('/v2/tenants', 'POST') == 1
