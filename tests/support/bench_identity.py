# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identity as code at scale: camunda_identity against a loop over the single-entity modules (a benchmark, not a test).

    .venv/bin/python tests/support/bench_identity.py [--scale 1.0] [--loop-scale 1.0] [--module-loop-scale 0.05] [--parallel 4]

The desired state at scale 1 is 1,000 objects: 400 users, 50 groups, 20 roles, 10 tenants, 120 mapping
rules, 400 authorizations, with memberships (each user in a group, each group in a role and a tenant, each
mapping rule in a group). Each run is one `ansible-playbook` (in-controller path, Basic auth) against the
emulator in its own process. Printed: wall time and API requests by kind for the first apply, the unchanged
re-run and a run with 10 objects changed; then the same state as a loop over camunda_user, camunda_group, ...
on the default in-controller path at `--loop-scale` (default the full state), and on the module path (a Python
process per item) at `--module-loop-scale` (default a twentieth, because it takes minutes). A scale below 1 is
extrapolated: the playbook's start once, plus the loop's per-object time times the number of objects.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

SUPPORT_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(SUPPORT_DIR))

from bench_emulator import start_emulator  # noqa: E402
from emulator import EmulatorAdmin  # noqa: E402
from playbook import run_playbook  # noqa: E402

SHAPE = dict(users=400, groups=50, roles=20, tenants=10, mapping_rules=120, authorizations=400)
CONNECTION = dict(url='{{ camunda_url }}', auth_method='basic', username='demo', password='demo')

IDENTITY_PLAY = [
    dict(
        name='Identity as code',
        hosts='localhost',
        gather_facts=False,
        module_defaults={'group/community.camunda.camunda': CONNECTION},
        tasks=[
            dict(
                name='Desired state',
                **{
                    'community.camunda.camunda_identity': dict(
                        users='{{ state.users }}',
                        groups='{{ state.groups }}',
                        roles='{{ state.roles }}',
                        tenants='{{ state.tenants }}',
                        mapping_rules='{{ state.mapping_rules }}',
                        authorizations='{{ state.authorizations }}',
                        parallel='{{ parallel }}',
                    )
                },
            )
        ],
    )
]

# What any playbook run costs here: ansible-playbook starting, one task that sends no request.
FLOOR_PLAY = [
    dict(
        name='Floor',
        hosts='localhost',
        gather_facts=False,
        tasks=[dict(name='Nothing', **{'ansible.builtin.debug': dict(msg='{{ state.users | length }}')})],
    )
]

# The same state, one task item per object, in dependency order (members before the containers that list them).
LOOP_PLAY = [
    dict(
        name='One item per object',
        hosts='localhost',
        gather_facts=False,
        module_defaults={'group/community.camunda.camunda': CONNECTION},
        tasks=[
            dict(
                name=f'{kind} one by one',
                loop=f'{{{{ state.{kind} }}}}',
                loop_control=dict(label='{{ item | first }}'),
                **{f'community.camunda.camunda_{module}': '{{ item }}'},
            )
            for kind, module in (
                ('users', 'user'),
                ('mapping_rules', 'mapping_rule'),
                ('groups', 'group'),
                ('roles', 'role'),
                ('tenants', 'tenant'),
                ('authorizations', 'authorization'),
            )
        ],
    )
]


def desired_state(scale, changed=0):
    """The desired state at ``scale``; ``changed`` objects differ (names, descriptions, permissions)."""
    count = {kind: max(1, round(number * scale)) for kind, number in SHAPE.items()}
    users = [
        dict(user=f'user{i:04d}', name=f'User {i}', email=f'user{i}@example.com', user_password=f'Pw-{i:04d}-secret')
        for i in range(count['users'])
    ]
    rules = [
        dict(mapping_rule_id=f'rule{i:03d}', claim_name='groups', claim_value=f'claim{i:03d}')
        for i in range(count['mapping_rules'])
    ]
    groups = [
        dict(
            group_id=f'group{g:02d}',
            name=f'Group {g}',
            users=[user['user'] for i, user in enumerate(users) if i % count['groups'] == g],
        )
        for g in range(count['groups'])
    ]
    roles = [
        dict(
            role_id=f'role{r:02d}',
            name=f'Role {r}',
            groups=[group['group_id'] for g, group in enumerate(groups) if g % count['roles'] == r],
        )
        for r in range(count['roles'])
    ]
    tenants = [
        dict(
            tenant_id=f'tenant{t}',
            name=f'Tenant {t}',
            groups=[group['group_id'] for g, group in enumerate(groups) if g % count['tenants'] == t],
            mapping_rules=[rule['mapping_rule_id'] for i, rule in enumerate(rules) if i % count['tenants'] == t],
        )
        for t in range(count['tenants'])
    ]
    resources = ('PROCESS_DEFINITION', 'DECISION_DEFINITION')
    authorizations = [
        dict(
            owner_type='USER',
            owner_id=users[i % count['users']]['user'],
            resource_type=resources[i % 2],
            resource_id=f'process-{i:04d}',
            permission_types=['READ_PROCESS_DEFINITION'] if i % 2 == 0 else ['READ_DECISION_DEFINITION'],
        )
        for i in range(count['authorizations'])
    ]
    for i in range(changed):  # spread the changes over kinds
        target = (users, groups, roles, authorizations, rules)[i % 5]
        entry = target[(i // 5) % len(target)]
        if target is authorizations:
            more = (
                'READ_PROCESS_INSTANCE' if entry['resource_type'] == 'PROCESS_DEFINITION' else 'READ_DECISION_INSTANCE'
            )
            entry['permission_types'] = entry['permission_types'] + [more]
        elif target is rules:
            entry['name'] = f"{entry['mapping_rule_id']} renamed"
        else:
            entry['name'] = f"{entry.get('name')} (changed)"
    return dict(
        users=users, groups=groups, roles=roles, tenants=tenants, mapping_rules=rules, authorizations=authorizations
    )


def object_count(state):
    return sum(len(entries) for entries in state.values())


def requests_by_kind(admin):
    """{'users': {'search': n, 'write': m, 'read': k}, ...} from the emulator's counters."""
    table = collections.defaultdict(collections.Counter)
    for entry in admin.state()['requests']:
        parts = entry['path'].split('/')  # '', 'v2', kind, ...
        kind = parts[2] if len(parts) > 2 else entry['path']
        if entry['path'].endswith('/search'):
            what = 'member searches' if len(parts) > 4 else 'searches'
        elif entry['method'] == 'GET':
            what = 'reads'
        else:
            what = 'writes'
        table[kind][what] += entry['count']
    return {kind: dict(counts) for kind, counts in sorted(table.items())}


def run(play, state, url, admin, workdir, parallel, in_controller=True):
    admin.reset_counts()
    playbook = workdir / 'play.json'
    playbook.write_text(json.dumps(play))
    started = time.perf_counter()
    extra_vars = dict(state=state, camunda_url=url, parallel=parallel, camunda_run_in_controller=in_controller)
    result = run_playbook(playbook, workdir / 'run', extra_vars=extra_vars, timeout=3600)
    elapsed = time.perf_counter() - started
    result.assert_ok()
    changed = sum(1 for line in result.results if line['result'].get('changed'))
    return elapsed, requests_by_kind(admin), changed


def report(label, objects, elapsed, by_kind):
    total = sum(sum(counts.values()) for counts in by_kind.values())
    print(f'{label}: {objects} objects, {elapsed:.2f} s, {total} requests')
    for kind, counts in by_kind.items():
        print(f'    {kind:16} ' + ', '.join(f'{what} {number}' for what, number in sorted(counts.items())))
    return total


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--scale', type=float, default=1.0)
    parser.add_argument('--loop-scale', type=float, default=1.0)
    parser.add_argument('--module-loop-scale', type=float, default=0.05)
    parser.add_argument('--parallel', type=int, default=4)
    args = parser.parse_args()
    process, url = start_emulator('basic')
    admin = EmulatorAdmin(url)
    figures = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            workdir = Path(folder)
            state = desired_state(args.scale)
            objects = object_count(state)
            floor, _by_kind, _changed = run(FLOOR_PLAY, state, url, admin, workdir, args.parallel)
            print(f'floor (ansible-playbook with one debug task, same variables): {floor:.2f} s')
            for label, desired in (
                ('first apply', state),
                ('unchanged re-run', state),
                ('10 objects changed', desired_state(args.scale, changed=10)),
            ):
                elapsed, by_kind, _changed = run(IDENTITY_PLAY, desired, url, admin, workdir, args.parallel)
                figures[label] = (elapsed, report(f'camunda_identity, {label}', objects, elapsed, by_kind))
            for way, scale, in_controller in (
                ('in the controller (the default path)', args.loop_scale, True),
                ('as module processes (camunda_run_in_controller: false)', args.module_loop_scale, False),
            ):
                admin.reset()
                admin.set_auth('basic')
                loop_state = desired_state(scale)
                loop_objects = object_count(loop_state)
                factor = objects / loop_objects
                for label in ('first apply', 'unchanged re-run'):
                    elapsed, by_kind, _changed = run(
                        LOOP_PLAY, loop_state, url, admin, workdir, args.parallel, in_controller
                    )
                    total = report(f'loop over single-entity modules {way}, {label}', loop_objects, elapsed, by_kind)
                    if loop_objects != objects:
                        # The playbook's start is paid once; the rest grows with the objects.
                        elapsed = floor + (elapsed - floor) * factor
                        print(
                            f'    extrapolated to {objects} objects (floor + per-object time x {factor:g}): {elapsed:.1f} s, '
                            f'{round(total * factor)} requests'
                        )
                    print(f'    camunda_identity is {elapsed / figures[label][0]:.1f} times faster')
    finally:
        admin.close()
        process.terminate()
        process.wait(timeout=10)


if __name__ == '__main__':
    main()
