# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_authorization through ansible-playbook against the emulator, with Basic and with OIDC auth."""

from __future__ import annotations

from identity_support import step

OWNER = dict(owner_type='ROLE', owner_id='billing')
ON_PROCESSES = dict(OWNER, resource_type='PROCESS_DEFINITION', resource_id='*')
START = ['CREATE_PROCESS_INSTANCE', 'READ_PROCESS_INSTANCE']


def authorizations(identity):
    """The emulator's authorizations without their keys: (ownerType, ownerId, resourceType, resourceId, property, perms)."""
    return sorted(
        (
            a['ownerType'],
            a['ownerId'],
            a['resourceType'],
            a.get('resourceId'),
            a.get('resourcePropertyName'),
            tuple(sorted(a['permissionTypes'])),
        )
        for a in identity.state()[0]['authorizations'].values()
    )


def test_create_again_update_and_delete(connected):
    run = connected.run(
        step('role', role_id='billing'),
        step('authorization', permission_types=START, **ON_PROCESSES),
        step('authorization', permission_types=list(reversed(START)) + ['READ_PROCESS_INSTANCE'], **ON_PROCESSES),
    )
    create, again = run[1], run[2]
    assert (create['changed'], again['changed']) == (True, False)
    key = create['authorization']['authorizationKey']
    assert key and key.isdigit()
    assert again['authorization'] == dict(
        authorizationKey=key,
        ownerId='billing',
        ownerType='ROLE',
        resourceType='PROCESS_DEFINITION',
        resourceId='*',
        resourcePropertyName=None,
        permissionTypes=START,
    )
    assert authorizations(connected) == [('ROLE', 'billing', 'PROCESS_DEFINITION', '*', None, tuple(START))]

    run = connected.run(
        step('authorization', permission_types=['READ_PROCESS_INSTANCE'], **ON_PROCESSES),
        step('authorization', permission_types=['READ_PROCESS_INSTANCE'], **ON_PROCESSES),
    )
    assert run.changed() == [True, False]
    assert run[0]['authorization']['authorizationKey'] == key
    assert run[0]['authorization']['permissionTypes'] == ['READ_PROCESS_INSTANCE']
    assert authorizations(connected) == [
        ('ROLE', 'billing', 'PROCESS_DEFINITION', '*', None, ('READ_PROCESS_INSTANCE',))
    ]

    run = connected.run(
        step('authorization', state='absent', **ON_PROCESSES), step('authorization', state='absent', **ON_PROCESSES)
    )
    assert run.changed() == [True, False]
    assert run[0]['authorization'] == {} and authorizations(connected) == []


def test_owner_and_resource_identify_it(connected):
    connected.run(
        step('role', role_id='billing'),
        step('group', group_id='billing'),
        step('authorization', permission_types=START, **ON_PROCESSES),
    )
    run = connected.run(
        # Same owner, other resource; same resource, other owner type; a property-based one on user tasks.
        step('authorization', permission_types=START, **ON_PROCESSES | {'resource_id': 'invoice'}),
        step('authorization', permission_types=START, **ON_PROCESSES | {'owner_type': 'GROUP'}),
        step(
            'authorization',
            resource_type='USER_TASK',
            resource_property_name='assignee',
            permission_types=['READ'],
            **OWNER,
        ),
        step(
            'authorization',
            resource_type='USER_TASK',
            resource_property_name='assignee',
            permission_types=['READ'],
            **OWNER,
        ),
    )
    assert run.changed() == [True, True, True, False]
    assert (
        run[3]['authorization']['resourcePropertyName'] == 'assignee' and run[3]['authorization']['resourceId'] is None
    )
    assert len(authorizations(connected)) == 4


def test_invalid_values_are_refused_before_any_request(identity):
    identity.connect('basic')
    identity.emulator.admin.reset_counts()
    run = identity.run(
        step(
            'authorization',
            owner_type='TEAM',
            owner_id='x',
            resource_type='PROCESS_DEFINITION',
            resource_id='*',
            permission_types=['READ'],
            ignore_errors=True,
        ),
        step(
            'authorization',
            resource_type='PROCESS',
            resource_id='*',
            permission_types=['READ'],
            ignore_errors=True,
            **OWNER,
        ),
        step('authorization', permission_types=['READ', 'FLY'], ignore_errors=True, **ON_PROCESSES),
        step('authorization', permission_types=[], ignore_errors=True, **ON_PROCESSES),
        step(
            'authorization',
            resource_property_name='assignee',
            permission_types=['READ'],
            ignore_errors=True,
            **ON_PROCESSES,
        ),
        ok=False,
    )
    assert [result['_status'] for result in run] == ['failed'] * 5
    assert 'owner_type must be one of: CLIENT, GROUP, MAPPING_RULE, ROLE, USER, got: TEAM' in run[0]['msg']
    assert 'resource_type must be one of: ' in run[1]['msg'] and 'USER_TASK' in run[1]['msg']
    assert 'permission_types must be one or more of: ' in run[2]['msg'] and 'Got no match for: FLY' in run[2]['msg']
    assert 'permission_types must list at least one permission' in run[3]['msg']
    assert 'mutually exclusive: resource_id|resource_property_name' in run[4]['msg']
    assert identity.emulator.admin.request_count() == 0


def test_camundas_refusals_come_with_title_and_detail(identity):
    identity.connect('basic')
    run = identity.run(
        step(
            'authorization',
            permission_types=['READ_PROCESS_INSTANCE'],
            ignore_errors=True,
            **ON_PROCESSES | {'owner_id': 'no-such-role'},
        ),
        step('role', role_id='billing'),
        step('authorization', permission_types=['ACCESS'], ignore_errors=True, **ON_PROCESSES),
        ok=False,
    )
    missing_owner, unsupported = run[0], run[2]
    assert missing_owner['status'] == 404 and missing_owner['title'] == 'NOT_FOUND'
    assert missing_owner['msg'].startswith(
        "Cannot create the authorization of ROLE 'no-such-role' on PROCESS_DEFINITION '*': POST "
    )
    assert "no such owner exists" in missing_owner['detail']
    assert unsupported['status'] == 400 and unsupported['title'] == 'INVALID_ARGUMENT'
    assert 'these permissions are not supported' in unsupported['msg']


def test_check_mode_predicts_and_changes_nothing(connected):
    connected.run(step('role', role_id='billing'), step('authorization', permission_types=START, **ON_PROCESSES))
    before, writes = connected.state(), connected.writes()
    run = connected.run(
        step('authorization', permission_types=['READ_PROCESS_INSTANCE'], **ON_PROCESSES),
        step(
            'authorization',
            permission_types=['ACCESS'],
            **dict(OWNER, resource_type='COMPONENT', resource_id='operate'),
        ),
        step('authorization', state='absent', **ON_PROCESSES),
        step('authorization', permission_types=START, **ON_PROCESSES),
        check=True,
    )
    assert run.changed() == [True, True, True, False]
    assert run[0]['authorization']['permissionTypes'] == ['READ_PROCESS_INSTANCE']
    assert run[1]['authorization'] == dict(
        authorizationKey=None,
        ownerId='billing',
        ownerType='ROLE',
        resourceType='COMPONENT',
        resourceId='operate',
        resourcePropertyName=None,
        permissionTypes=['ACCESS'],
    )
    assert connected.state() == before and connected.writes() == writes


def test_diff_sorts_permissions(connected):
    run = connected.run(
        step('role', role_id='billing'),
        step('authorization', permission_types=['READ_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'], **ON_PROCESSES),
        step('authorization', permission_types=['UPDATE_PROCESS_INSTANCE', 'CREATE_PROCESS_INSTANCE'], **ON_PROCESSES),
        diff=True,
    )
    key = run[1]['authorization']['authorizationKey']
    common = dict(
        authorizationKey=key,
        ownerId='billing',
        ownerType='ROLE',
        resourceType='PROCESS_DEFINITION',
        resourceId='*',
        resourcePropertyName=None,
    )
    assert run[1]['diff'] == {'before': {}, 'after': dict(common, permissionTypes=START)}
    assert run[2]['diff'] == {
        'before': dict(common, permissionTypes=START),
        'after': dict(common, permissionTypes=['CREATE_PROCESS_INSTANCE', 'UPDATE_PROCESS_INSTANCE']),
    }


def test_read_lag_does_not_break_idempotence(connected):
    connected.run(step('role', role_id='billing'))
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    run = connected.run(
        step('authorization', permission_types=START, consistency_timeout=0, **ON_PROCESSES),
        step('authorization', permission_types=START, **ON_PROCESSES),
        step('authorization', permission_types=START, **ON_PROCESSES),
    )
    assert run.changed() == [True, False, False]
    assert run[1]['authorization']['authorizationKey'] == run[2]['authorization']['authorizationKey']
    assert len(authorizations(connected)) == 1
