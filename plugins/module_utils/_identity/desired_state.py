# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Identity as code: the core of camunda_identity, the desired state of many entities in one task.

For internal collection use only: no stable interface.

1. read: one paged search per kind in play, and the member lists the entries give (concurrently);
2. plan (``_identity_reconcile``): the same per-entity plan as the single-entity modules, plus the
   removals ``exclusive`` asks for, minus what is protected;
3. check mode returns the plan; otherwise apply it phase by phase in dependency order, each phase's
   writes concurrently (``parallel``, slowing down when Camunda pushes back). After a failure no new
   write starts: the result says what was applied and what was not, and a re-run plans again from the
   state Camunda then has (there is no local state).
"""

from __future__ import annotations

import time

from ansible_collections.community.camunda.plugins.module_utils._identity import request_bodies
from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._api.principal import read_principal
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._core.partial import partial_failure
from ansible_collections.community.camunda.plugins.module_utils._core.concurrency import Window, run_bounded
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import KINDS, desired_entries
from ansible_collections.community.camunda.plugins.module_utils._identity.reconcile import (
    ADMIN_ROLE,
    EXISTING_MEMBER_OPTIONS,
    make_plan,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import EntityRunner


class CurrentState(object):
    """What Camunda holds: ``entities[option][key]`` and ``members[(option, key, member option)]``."""

    def __init__(self):
        self.entities = {}
        self.members = {}


def kinds_in_play(entries, exclusive):
    """The kinds the task declares or sweeps, and the kinds its member lists name that must exist."""
    assigned = {
        member_option
        for option_entries in entries.values()
        for entry in option_entries
        if not entry.absent
        for member_option, members in entry.desired.members.items()
        if members
    }
    return [
        (option, kind)
        for option, kind in KINDS
        if entries.get(option) or option in exclusive or (option in assigned and option in EXISTING_MEMBER_OPTIONS)
    ]


def read_state(client, entries, exclusive, window):
    """One paged search per kind in play, then the member lists given by entries of existing containers."""
    state = CurrentState()
    in_play = kinds_in_play(entries, exclusive)
    found = run_bounded(
        [lambda kind=kind: client.search_all(kind.search_path) for _option, kind in in_play],
        window.limit,
        lambda: client.retried_responses,
        window,
    )
    _raise_first(found)
    for (option, kind), outcome in zip(in_play, found):
        state.entities[option] = {kind.key_of(item): item for item in outcome.value}
    lists = [
        (option, entry, member_option)
        for option, _kind in in_play
        for entry in entries.get(option, ())
        if not entry.absent and entry.key in state.entities[option]
        for member_option in entry.desired.members
    ]
    read = run_bounded(
        [
            lambda entry=entry, member_option=member_option: request_bodies.read_members(
                client, entry.kind.membership(member_option), entry.key
            )
            for _option, entry, member_option in lists
        ],
        window.limit,
        lambda: client.retried_responses,
        window,
    )
    _raise_first(read)
    for (option, entry, member_option), outcome in zip(lists, read):
        state.members[(option, entry.key, member_option)] = outcome.value
    return state


def _raise_first(outcomes):
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error


def read_me(client):
    """What Camunda says of the principal (``GET /v2/authentication/me``), or {} when it does not say."""
    try:
        me = read_principal(client)
    except ApiError as exc:
        if exc.status in (401, 403, 404):
            return {}
        raise
    return me if isinstance(me, dict) else {}


def principal_of(client):
    """The username or client id the task runs as, or None when Camunda does not say (no authentication)."""
    return read_me(client).get('username')


def admins_of(client):
    """The users of the built-in admin role (none when the role cannot be read)."""
    try:
        return request_bodies.read_members(client, ROLE.membership('users'), ADMIN_ROLE)
    except ApiError as exc:
        if exc.status in (403, 404):
            return set()
        raise


class StepWriter(object):
    """Runs the steps of a plan: entity writes through EntityRunner (409 on create handled as there)."""

    def __init__(self, client, context, timeout, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.context = context
        self.timeout = timeout
        self.sleep = sleep
        self.clock = clock

    def task(self, step):
        return lambda: self.run(step)

    def run(self, step):
        """Send the step's write; True when it changed something."""
        if step.op in ('create', 'update'):
            runner = EntityRunner(step.kind, step.entry.options, self.context, self.client, self.sleep, self.clock)
            runner.timeout = self.timeout  # the task's, for every entry (a 409 on create waits this long)
            _before, _plan, changed, _created = runner.write_entity(step.entry.desired, step.current, step.plan)
            return changed
        if step.op == 'remove':
            return request_bodies.delete(self.client, step.kind, step.label, step.current.entity)
        return request_bodies.write_member(
            self.client, step.membership, step.container_id, step.member_id, step.op == 'assign', step.label
        )


def apply_plan(plan, writer, window, pressure):
    """Run the phases in order; return (changed, applied, failure, not applied)."""
    applied, not_applied, failure, changed = [], [], None, False
    for steps in plan.phases():
        if failure is not None:
            not_applied.extend(step.describe() for step in steps)
            continue
        outcomes = run_bounded([writer.task(step) for step in steps], window.limit, pressure, window)
        for step, outcome in zip(steps, outcomes):
            if outcome.done:
                applied.append(step.describe())
                changed = changed or bool(outcome.value)
            elif outcome.error is not None and failure is None:
                failure = (step, outcome.error)
            else:
                not_applied.append(step.describe())
    return changed, applied, failure, not_applied


def run_identity(options, context, sleep=time.sleep, clock=time.monotonic):
    entries = desired_entries(options)
    exclusive = list(options.get('exclusive') or ())
    window = Window(options.get('parallel'))
    with CamundaClient(options, context) as client:
        removes = exclusive or any(entry.absent for option_entries in entries.values() for entry in option_entries)
        me = read_me(client) if removes else {}
        principal = me.get('username')
        admins = admins_of(client) if 'users' in exclusive and not principal else ()
        state = read_state(client, entries, exclusive, window)
        plan = make_plan(entries, state, exclusive, principal, me.get('groups') or (), admins)
        result = dict(changed=bool(plan.steps), plan=plan.as_data(), summary=plan.summary(), protected=plan.protected)
        if context.diff:
            result['diff'] = dict(prepared=plan.as_text())
        if context.check_mode or not plan.steps:
            return result
        writer = StepWriter(client, context, options.get('consistency_timeout'), sleep, clock)
        changed, applied, failure, not_applied = apply_plan(plan, writer, window, lambda: client.retried_responses)
    if failure is not None:
        step, error = failure
        raise partial_failure(error, applied, step.describe(), not_applied, plan=plan.as_data())
    result['changed'] = changed
    return result
