# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identity data: entities, memberships and authorizations, with eventually consistent reads.

Writes see the true state at once (as Camunda's engine does, so duplicates are caught immediately); reads
(GET and search) only see a record once its `visible_at` has passed, which is how the `read_lag_ms` fault
emulates Camunda's secondary storage lagging behind the engine.
"""

from __future__ import annotations

import threading
import time

ENTITY_TABLES = ('users', 'roles', 'groups', 'tenants', 'mapping-rules', 'authorizations')
# The first key of partition 1, the shape of Camunda's 64-bit keys.
FIRST_KEY = 2251799813685249
DEFAULT_TENANT_ID = '<default>'
ADMIN_ROLE_ID = 'admin'


class IdentityStore:
    def __init__(self, clock=time.monotonic):
        self.clock = clock
        self.lock = threading.RLock()
        self.tables = {table: {} for table in ENTITY_TABLES}
        # (container table, container id) -> {member table: {member id: visible_at}}
        self.members = {}
        self._next_key = FIRST_KEY

    # -- entities ---------------------------------------------------------------------------------

    def new_key(self):
        self._next_key += 1
        return str(self._next_key - 1)

    def add(self, table, entity_id, record, lag_s=0.0):
        record = dict(record, _key=self.new_key(), _visible_at=self.clock() + lag_s)
        self.tables[table][entity_id] = record
        return record

    def get(self, table, entity_id):
        """The record as the engine sees it (writes), regardless of read lag."""
        return self.tables[table].get(entity_id)

    def read(self, table, entity_id):
        """The record as a query sees it (GET, search): None while it is not yet visible."""
        record = self.tables[table].get(entity_id)
        return record if record is not None and self.is_visible(record['_visible_at']) else None

    def readable(self, table):
        return [record for record in self.tables[table].values() if self.is_visible(record['_visible_at'])]

    def is_visible(self, visible_at):
        return visible_at <= self.clock()

    def remove(self, table, entity_id):
        self.tables[table].pop(entity_id, None)
        self.members.pop((table, entity_id), None)
        for members in self.members.values():
            members.get(table, {}).pop(entity_id, None)

    # -- memberships ------------------------------------------------------------------------------

    def member_ids(self, container, container_id, member_table, visible_only=False):
        found = self.members.get((container, container_id), {}).get(member_table, {})
        if visible_only:
            return [member_id for member_id, visible_at in found.items() if self.is_visible(visible_at)]
        return list(found)

    def is_member(self, container, container_id, member_table, member_id):
        return member_id in self.members.get((container, container_id), {}).get(member_table, {})

    def add_member(self, container, container_id, member_table, member_id, lag_s=0.0):
        tables = self.members.setdefault((container, container_id), {})
        tables.setdefault(member_table, {})[member_id] = self.clock() + lag_s

    def remove_member(self, container, container_id, member_table, member_id):
        self.members.get((container, container_id), {}).get(member_table, {}).pop(member_id, None)

    def containers_of(self, container, member_table, member_id):
        """Ids of the `container` entities (e.g. roles) that have this member."""
        return [
            container_id
            for (table, container_id), members in self.members.items()
            if table == container and member_id in members.get(member_table, {})
        ]

    # -- seed -------------------------------------------------------------------------------------

    def seed(self, users):
        """What a fresh Helm install has: the demo user in the admin role, and the default tenant."""
        for username, password in users.items():
            self.add(
                'users',
                username,
                {
                    'username': username,
                    'name': username.capitalize(),
                    'email': f'{username}@example.com',
                    'password': password,
                },
            )
        self.add('roles', ADMIN_ROLE_ID, {'roleId': ADMIN_ROLE_ID, 'name': 'Admin', 'description': None})
        self.add('tenants', DEFAULT_TENANT_ID, {'tenantId': DEFAULT_TENANT_ID, 'name': 'Default', 'description': None})
        for username in users:
            self.add_member('roles', ADMIN_ROLE_ID, 'users', username)

    def as_json(self):
        """Everything, for debugging; passwords are left out."""
        with self.lock:
            tables = {
                table: [
                    {k: v for k, v in record.items() if k not in ('password', '_visible_at')}
                    for record in records.values()
                ]
                for table, records in self.tables.items()
            }
            members = [
                {'container': table, 'id': container_id, 'members': {kind: sorted(ids) for kind, ids in found.items()}}
                for (table, container_id), found in self.members.items()
            ]
        return {'entities': tables, 'memberships': members}
