# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""One task on one Camunda Identity entity: the run of camunda_user, camunda_role and the others.

For internal collection use only: no stable interface.

1. read the entity, and the member lists the task names;
2. plan (``_identity_plan``): compare with the options the task sets, list the writes needed;
3. in check mode, predict the state the plan leads to; otherwise write only the planned difference;
4. after writes, read back until Camunda shows them, and report the entity as read.

Camunda's creates are not idempotent (409 on an existing entity) and its reads are eventually consistent
(GET and search read secondary storage, which may lag the engine that checks writes). So:

- a create answered 409 after a read that found nothing means the entity exists but is not visible yet:
  read again with backoff until it is, then continue as for an existing entity. Never a second create;
- assigning a member answered 409, or removing one answered 404, means the membership already is as
  wanted: not a change;
- after writes, the final read is repeated until it shows the planned state or ``consistency_timeout``
  passes; then the predicted state is returned with a warning (the writes themselves succeeded).
"""

from __future__ import annotations

import time

from ansible_collections.community.camunda.plugins.module_utils._identity import request_bodies
from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._identity.options import DEFAULT_CONSISTENCY_TIMEOUT
from ansible_collections.community.camunda.plugins.module_utils._identity.plan import (
    EntityPlan,
    State,
    diff_view,
    plan_changes,
    predict,
)

FIRST_RETRY_DELAY = 0.1
MAX_RETRY_DELAY = 1.0


def poll(check, timeout, sleep, clock):
    """Call ``check`` until it returns something true or ``timeout`` seconds pass; return its last value."""
    deadline = clock() + max(0.0, timeout)
    delay = FIRST_RETRY_DELAY
    while True:
        value = check()
        if value or clock() + delay > deadline:
            return value
        sleep(delay)
        delay = min(delay * 2, MAX_RETRY_DELAY)


class EntityRunner(object):
    """One task of a single-entity module: read, plan, write (or predict), read back, report."""

    def __init__(self, kind, options, context, client, sleep=time.sleep, clock=time.monotonic):
        self.kind = kind
        self.options = options
        self.context = context
        self.client = client
        self.sleep = sleep
        self.clock = clock
        self.timeout = options.get('consistency_timeout', DEFAULT_CONSISTENCY_TIMEOUT)
        self.label = kind.label(options)

    def run(self):
        if self.options.get('state', 'present') == 'absent':
            return self.ensure_absent()
        return self.ensure_present()

    # present ------------------------------------------------------------------------------------

    def ensure_present(self):
        desired = self.kind.desired(self.options)
        before = self.read_state(desired)
        plan = plan_changes(self.kind, desired, before, self.label)
        self.kind.check_conflicts(self.client, self.options, desired, before, plan)
        if plan.empty:
            return self.result(desired, before, before, plan, changed=False)
        if self.context.check_mode:
            return self.result(desired, before, predict(self.kind, desired, before, plan), plan, changed=True)
        before, plan, changed, created = self.write_entity(desired, before, plan)
        changed = self.write_members(plan) or changed
        if created is None and plan.empty:
            return self.result(desired, before, before, plan, changed=False)
        # Even writes that turned out to be no change (409, 404) mean the read lagged: read until it shows them.
        after = self.settle(desired, predict(self.kind, desired, before, plan, base=created))
        return self.result(desired, before, after, plan, changed)

    def read_state(self, desired):
        entity = request_bodies.find(self.client, self.kind, self.options)
        if entity is None:
            return State()
        entity_id = self.kind.key_of(entity)
        members = {
            option: request_bodies.read_members(self.client, self.kind.membership(option), entity_id)
            for option in desired.members
        }
        return State(entity, members)

    def write_entity(self, desired, before, plan):
        """Create or update the entity as planned; return (before, plan, changed, created entity).

        When a create meets an entity the read could not see yet (409), the state read once it shows
        becomes ``before`` and the plan is made again against it (its member writes included).
        """
        if plan.create is not None:
            try:
                return before, plan, True, request_bodies.create(self.client, self.kind, self.label, plan.create)
            except ApiError as exc:
                if exc.status != 409:
                    raise
                before = self.wait_until_visible(desired, exc)
                plan = plan_changes(self.kind, desired, before, self.label)
        if plan.update is not None:
            request_bodies.update(self.client, self.kind, self.label, before.entity, plan.update)
            return before, plan, True, None
        return before, plan, False, None

    def wait_until_visible(self, desired, conflict):
        """The state of an entity whose create was refused as existing, once a read shows it."""
        state = poll(lambda: self._visible_state(desired), self.timeout, self.sleep, self.clock)
        if state is None:
            raise ApiError(
                f'{conflict.msg} Camunda says {self.label} exists, but it could not be read within '
                f'{self.timeout:g} s (its reads are eventually consistent): run the task again, or raise consistency_timeout.',
                status=conflict.status,
                title=conflict.title,
                detail=conflict.detail,
            )
        return state

    def _visible_state(self, desired):
        state = self.read_state(desired)
        return state if state.exists else None

    def write_members(self, plan):
        """Assign and unassign; True when at least one write changed something."""
        changed = False
        for option, member_id, adding in plan.member_writes():
            container_id = self.kind.entity_id(self.options)
            changed = (
                request_bodies.write_member(
                    self.client, self.kind.membership(option), container_id, member_id, adding, self.label
                )
                or changed
            )
        return changed

    def settle(self, desired, expected):
        """Read until Camunda shows the writes (bounded); else the expected state, with a warning."""
        state = poll(lambda: self._settled_state(desired), self.timeout, self.sleep, self.clock)
        if state is not None:
            return state
        if self.timeout > 0:  # with 0 the task asked not to wait: the expected state is what it wants
            self.context.warn(
                f'Camunda did not show the changes to {self.label} within {self.timeout:g} s (its reads are eventually '
                'consistent); the result shows the expected state. Raise consistency_timeout to wait longer.'
            )
        return expected

    def _settled_state(self, desired):
        state = self.read_state(desired)
        if not state.exists:
            return None
        remaining = plan_changes(self.kind, desired, state, self.label, with_secrets=False)
        return state if remaining.empty else None

    # absent -------------------------------------------------------------------------------------

    def ensure_absent(self):
        # Member lists go with the entity: they are neither read nor shown.
        desired = self.kind.desired(self.options)
        desired.members = {}
        entity = request_bodies.find(self.client, self.kind, self.options)
        before = State(entity)
        if entity is None:
            return self.result(desired, before, before, EntityPlan(), changed=False)
        changed = True
        if not self.context.check_mode:
            changed = request_bodies.delete(self.client, self.kind, self.label, entity)
        return self.result(desired, before, State(), EntityPlan(), changed)

    # result -------------------------------------------------------------------------------------

    def result(self, desired, before, after, plan, changed):
        result = dict(changed=changed)
        result[self.kind.result_key] = self.kind.result_view(after.entity)
        if self.kind.memberships and after.exists:
            result['members'] = {option: sorted(after.members.get(option, ())) for option in sorted(desired.members)}
        if self.context.diff:
            result['diff'] = dict(
                before=diff_view(self.kind, before, desired),
                after=diff_view(self.kind, after, desired, secret_written=changed and plan.secret_written),
            )
        return result


def run_entity(kind, options, context, sleep=time.sleep, clock=time.monotonic):
    """The core of a single-entity module: ``state`` present or absent for one entity of ``kind``."""
    with CamundaClient(options, context) as client:
        return EntityRunner(kind, options, context, client, sleep, clock).run()
