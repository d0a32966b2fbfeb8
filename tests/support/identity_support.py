# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers of the identity module tests: steps through ansible-playbook, and the emulator's state."""

from __future__ import annotations

from pathlib import Path

import requests

IDENTITY_PLAYBOOK = (
    Path(__file__).resolve().parents[1] / 'integration' / 'plugins' / 'modules' / 'playbooks' / 'identity.yml'
)
AUTH_MODES = ('basic', 'oidc')
# Paths whose POST creates an entity (the others are searches).
CREATE_PATHS = ('/v2/users', '/v2/roles', '/v2/groups', '/v2/tenants', '/v2/mapping-rules', '/v2/authorizations')


def step(module, check_mode=None, diff=None, ignore_errors=None, **args):
    """One task of the identity playbook: ``module`` (short name) with ``args``."""
    found = dict(module=f'camunda_{module}', args=args)
    for name, value in (('check_mode', check_mode), ('diff', diff), ('ignore_errors', ignore_errors)):
        if value is not None:
            found[name] = value
    return found


class StepsRun(object):
    """The results of one playbook run, one per step, in order."""

    def __init__(self, run):
        self.run = run
        self.results = [
            line['result'] | {'_status': line['status']} for line in run.tasks('Step') if line['status'] != 'skipped'
        ]

    def __getitem__(self, index):
        return self.results[index]

    def __len__(self):
        return len(self.results)

    @property
    def output(self):
        return self.run.output

    def changed(self):
        return [result.get('changed') for result in self.results]

    def warnings(self, index):
        """The module's warnings of one step (not Ansible's own about the templated arguments of the test playbook)."""
        return [text for text in self.results[index].get('warnings', []) if 'template for task args' not in text]


class Identity(object):
    """Runs identity steps against the emulator with one auth mode, and reads what the emulator holds."""

    def __init__(self, connections, emulator, playbook):
        self.connections = connections
        self.emulator = emulator
        self.playbook = playbook
        self.mode = 'none'
        self.connection = connections.none()

    def connect(self, mode):
        self.emulator.admin.set_auth(mode)
        self.mode = mode
        self.connection = getattr(self.connections, mode)()
        return self

    def run(self, *steps, check=False, diff=False, ok=True, extra=None, verbosity=0):
        extra_vars = dict(self.connection, steps=list(steps), **(extra or {}))
        run = self.playbook(IDENTITY_PLAYBOOK, extra_vars=extra_vars, check=check, diff=diff, verbosity=verbosity)
        if ok:
            run.assert_ok()
        found = StepsRun(run)
        assert len(found) == len(steps), f'{len(found)} results for {len(steps)} steps:\n{run.output}'
        return found

    # The emulator's side -----------------------------------------------------------------------

    def state(self):
        """{table: {id: record}} and {(container table, id): {member table: [ids]}}, as the engine holds them."""
        identity = self.emulator.admin.state()['identity']
        id_fields = dict(
            users='username',
            roles='roleId',
            groups='groupId',
            tenants='tenantId',
            **{'mapping-rules': 'mappingRuleId', 'authorizations': 'authorizationKey'},
        )
        entities = {
            table: {
                record[id_fields[table]]: {k: v for k, v in record.items() if not k.startswith('_')}
                for record in records
            }
            for table, records in identity['entities'].items()
        }
        members = {
            (entry['container'], entry['id']): {kind: ids for kind, ids in entry['members'].items() if ids}
            for entry in identity['memberships']
        }
        return entities, {key: value for key, value in members.items() if value}

    def members(self, container, container_id):
        return self.state()[1].get((container, container_id), {})

    def entity(self, table, entity_id):
        return self.state()[0][table].get(entity_id)

    def writes(self):
        """Requests that could have changed something: creates, updates, assignments, deletions."""
        admin = self.emulator.admin
        creates = sum(admin.request_count(path, 'POST') for path in CREATE_PATHS)
        return creates + admin.request_count(method='PUT') + admin.request_count(method='DELETE')

    def basic_login(self, username, password):
        """The status of GET /v2/authentication/me with these Basic credentials (the emulator must be in basic mode)."""
        response = requests.get(self.emulator.url + '/v2/authentication/me', auth=(username, password), timeout=10)
        return response.status_code
