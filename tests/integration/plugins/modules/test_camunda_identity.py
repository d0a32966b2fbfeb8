# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_identity through ansible-playbook against the emulator (Basic auth, as user demo)."""

from __future__ import annotations

from identity_support import step

ALICE_PASSWORD = 'Al1ce-Pa55word-That-Must-Not-Leak'
BOB_PASSWORD = 'B0b-Pa55word-That-Must-Not-Leak'
READ = ['READ_PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE']
DEPLOYER_PASSWORD = 'Depl0yer-Pa55word'


def desired(**changes):
    """The desired state of the tests: two users, a mapping rule, a group, a role, a tenant, an authorization."""
    state = dict(
        users=[
            dict(user='alice', name='Alice', email='alice@example.com', user_password=ALICE_PASSWORD),
            dict(user='bob', name='Bob', user_password=BOB_PASSWORD),
        ],
        mapping_rules=[dict(mapping_rule_id='ops-claim', claim_name='groups', claim_value='ops')],
        groups=[
            dict(
                group_id='operators',
                name='Operators',
                users=['alice', 'bob'],
                mapping_rules=['ops-claim'],
                roles=['operations'],
            )
        ],
        roles=[dict(role_id='operations', name='Operations', users=['alice'])],
        tenants=[dict(tenant_id='emea', name='EMEA', groups=['operators'])],
        authorizations=[
            dict(
                owner_type='ROLE',
                owner_id='operations',
                resource_type='PROCESS_DEFINITION',
                resource_id='*',
                permission_types=READ,
            )
        ],
    )
    state.update(changes)
    return state


def test_apply_rerun_drift_check_mode_and_secrets(identity):
    identity.connect('basic')
    run = identity.run(
        step('identity', check_mode=True, diff=True, **desired()), step('identity', diff=True, **desired()), verbosity=4
    )
    predicted, applied = run[0], run[1]
    # Check mode predicts the real run: the same plan, and each planned write is one request.
    assert predicted['changed'] is applied['changed'] is True
    assert predicted['plan'] == applied['plan']
    assert predicted['summary'] == dict(create=7, update=0, remove=0, assign=6, unassign=0, protected=0)
    assert identity.writes() == len(applied['plan'])
    # The plan is readable and masks the passwords, which appear nowhere in the -vvvv output.
    assert (
        "+ create user 'alice': email = 'alice@example.com', name = 'Alice', password = ********"
        in applied['diff']['prepared']
    )
    assert {
        'action': 'assign',
        'kind': 'group',
        'label': "group 'operators'",
        'members': 'roles',
        'member': 'operations',
    } in applied['plan']
    assert ALICE_PASSWORD not in run.output and BOB_PASSWORD not in run.output

    entities, members = identity.state()
    assert set(entities['users']) == {'demo', 'alice', 'bob'}
    assert entities['groups']['operators']['name'] == 'Operators'
    assert members[('groups', 'operators')] == {'users': ['alice', 'bob'], 'mapping-rules': ['ops-claim']}
    assert members[('roles', 'operations')] == {'users': ['alice'], 'groups': ['operators']}
    assert members[('tenants', 'emea')] == {'groups': ['operators']}
    assert [
        auth['permissionTypes'] for auth in entities['authorizations'].values() if auth['ownerId'] == 'operations'
    ] == [READ]
    assert identity.basic_login('alice', ALICE_PASSWORD) == 200

    # Drift made behind the task's back: the unchanged re-run writes nothing, the next run corrects the drift.
    before = identity.writes()
    drift = identity.run(
        step('identity', **desired()),
        step('role', role_id='operations', name='Renamed', users=['bob']),
        step(
            'authorization',
            owner_type='ROLE',
            owner_id='operations',
            resource_type='PROCESS_DEFINITION',
            resource_id='*',
            permission_types=['READ_PROCESS_DEFINITION'],
        ),
        step('identity', diff=True, **desired()),
    )
    unchanged, corrected = drift[0], drift[3]
    assert unchanged['changed'] is False and unchanged['plan'] == []
    # The unchanged run wrote nothing: 3 writes of the drift steps (a rename, a member, a permission set), 2 corrections.
    assert identity.writes() - before == 5
    assert corrected['changed'] is True
    assert corrected['summary'] == dict(create=0, update=2, remove=0, assign=0, unassign=0, protected=0)
    assert "~ update role 'operations': name 'Renamed' -> 'Operations'" in corrected['diff']['prepared']
    # members_state defaults to present: bob, added out of band, stays.
    assert identity.members('roles', 'operations')['users'] == ['alice', 'bob']
    assert identity.entity('roles', 'operations')['name'] == 'Operations'


def test_exclusive_removes_strays_and_spares_what_it_must(identity):
    # The task runs as its own user (demo's password is its name, which Ansible would mask in every result).
    identity.connect('basic')
    identity.run(step('user', user='deployer', user_password=DEPLOYER_PASSWORD))
    identity.connection = identity.connections.basic(username='deployer', password=DEPLOYER_PASSWORD)
    identity.run(
        step('identity', **desired()),
        step('user', user='stray', user_password='Str4y-Pa55'),
        step('group', group_id='old-team'),
        step('role', role_id='admin', users=['alice']),
        step(
            'authorization',
            owner_type='USER',
            owner_id='bob',
            resource_type='PROCESS_DEFINITION',
            resource_id='*',
            permission_types=['READ_PROCESS_DEFINITION'],
        ),
    )
    exclusive = ['users', 'groups', 'roles', 'tenants', 'authorizations', 'memberships']
    trimmed = desired(
        groups=[
            dict(
                group_id='operators',
                name='Operators',
                users=['alice'],
                mapping_rules=['ops-claim'],
                roles=['operations'],
            )
        ]
    )
    run = identity.run(
        step('identity', check_mode=True, exclusive=exclusive, **trimmed),
        step('identity', exclusive=exclusive, diff=True, **trimmed),
        step('identity', exclusive=exclusive, **trimmed),
    )
    predicted, applied, again = run[0], run[1], run[2]
    assert predicted['plan'] == applied['plan']
    removed = sorted(item['label'] for item in applied['plan'] if item['action'] == 'remove')
    assert removed == [
        "group 'old-team'",
        "the authorization of USER 'bob' on PROCESS_DEFINITION '*'",
        "user 'demo'",
        "user 'stray'",
    ]
    assert [item['member'] for item in applied['plan'] if item['action'] == 'unassign'] == ['bob']
    # The principal (deployer), the built-in admin role, and the default tenant are spared and named.
    assert sorted(item['label'] for item in applied['protected']) == [
        "role 'admin'",
        "tenant '<default>'",
        "user 'deployer'",
    ]
    assert "= spared user 'deployer' (the principal this task runs as)" in applied['diff']['prepared']
    assert again['changed'] is False

    entities, members = identity.state()
    assert set(entities['users']) == {'deployer', 'alice', 'bob'}
    assert set(entities['groups']) == {'operators'}
    assert set(entities['roles']) == {'admin', 'operations'}
    # The admin role is not declared: its members stay (demo went with its user).
    assert members[('roles', 'admin')] == {'users': ['alice']}
    assert members[('groups', 'operators')]['users'] == ['alice']

    # Removing the principal itself is refused before any write.
    before = identity.writes()
    refused = identity.run(
        step('identity', ignore_errors=True, users=[dict(user='deployer', state='absent')]), ok=False
    )
    assert refused[0]['_status'] == 'failed'
    assert refused[0]['msg'].startswith("users[0]: user 'deployer' is the principal this task runs as")
    assert identity.writes() == before


def test_a_failure_halfway_is_reported_and_a_rerun_continues(identity, emulator):
    identity.connect('basic')
    # Creating the group fails once (500): users and the mapping rule are written, later phases are not.
    emulator.admin.set_faults(next_status={'status': 500, 'count': 1, 'path': '/v2/groups'})
    failed = identity.run(step('identity', ignore_errors=True, **desired()), ok=False)[0]
    assert failed['_status'] == 'failed'
    assert failed['failed_step'] == "create group 'operators'" and failed['changed'] is True
    assert "Applied 3 of 13 planned writes before this one failed" in failed['msg']
    assert failed['applied'] == ["create user 'alice'", "create user 'bob'", "create mapping rule 'ops-claim'"]
    assert "create the authorization of ROLE 'operations' on PROCESS_DEFINITION '*'" in failed['not_applied']
    assert len(failed['applied']) + len(failed['not_applied']) + 1 == 13
    assert set(identity.state()[0]['users']) == {'demo', 'alice', 'bob'}

    # The re-run plans from the real state, and rides out backpressure (two 429 answers, retried); this time on the
    # module path (a module process on the target), which must give the same results as the in-controller path.
    emulator.admin.set_faults(next_status={'status': 429, 'count': 2, 'retry_after': 0})
    resumed = identity.run(
        step('identity', **desired()), step('identity', **desired()), extra={'camunda_run_in_controller': False}
    )
    assert resumed[0]['summary'] == dict(create=4, update=0, remove=0, assign=6, unassign=0, protected=0)
    assert resumed[1]['changed'] is False


def test_what_a_new_user_met_no_admin_lost_a_missing_group_predicted_a_lost_membership_said(identity):
    # Issue 27, item 12. Without credentials the principal is unknown: exclusive users keeps the admin role's users.
    identity.connect('none')
    run = identity.run(
        step(
            'identity', check_mode=True, users=[dict(user='alice', user_password=ALICE_PASSWORD)], exclusive=['users']
        ),
        step('identity', check_mode=True, ignore_errors=True, roles=[dict(role_id='operations', groups=['ghosts'])]),
        ok=False,
    )
    kept, missing = run[0], run[1]
    assert {item['label'] for item in kept['protected']} == {"user 'demo'"}
    assert "admin role" in kept['protected'][0]['reason']
    assert [s['label'] for s in kept['plan'] if s['action'] == 'remove'] == []
    # Check mode predicts the failure the real run would meet, before any write.
    assert missing['_status'] == 'failed' and "cannot assign group 'ghosts' to role 'operations'" in missing['msg']

    identity.connect('basic')
    before = identity.writes()
    run = identity.run(
        step('identity', groups=[dict(group_id='stray', users=['demo'])]),
        step('identity', check_mode=True, diff=True, groups=[], exclusive=['groups']),
    )
    [removal] = [s for s in run[1]['plan'] if s['action'] == 'remove']
    # (The name reads '********' here: Ansible masks the password 'demo' wherever it occurs, the user name included.)
    assert removal['label'] == "group 'stray'" and 'is a member and loses this membership' in removal['reason']
    assert "loses this membership" in run[1]['diff']['prepared']
    assert identity.writes() == before + 2  # the group and its member; check mode wrote nothing


def test_a_list_of_names_where_entries_belong_says_the_shape_on_both_paths(identity):
    identity.connect('basic')
    wrong = [
        step('identity', ignore_errors=True, users='alice', groups=[dict(group_id='ops')]),
        step('identity', ignore_errors=True, users=[dict(user='alice', user_password=ALICE_PASSWORD), 'bob']),
    ]
    for extra in ({}, {'camunda_run_in_controller': False}):
        run = identity.run(*wrong, extra=extra, ok=False)
        assert run[0]['msg'] == (
            'users must be a list of dictionaries, one per entry, each with the options of '
            'community.camunda.camunda_user (for example users: [{user: ...}]), but it is a string.'
        )
        assert run[1]['msg'].endswith('but users[1] is a string.')
        assert ALICE_PASSWORD not in run.output
    assert identity.writes() == 0
