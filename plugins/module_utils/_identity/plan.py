# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Planning for one entity: compare the current state with the desired one, list the writes, predict.

For internal collection use only: no stable interface.

Pure functions of an ``EntityKind``, a ``Desired`` and a ``State``: no requests, no clock. Only the
options a task sets are compared; member lists follow ``members_state``; a secret cannot be read back,
so it is written on create and on update only when the task says ``always``.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.errors import SECRET_MASK


class State(object):
    """An entity as read (or predicted) and its member lists (those the task names)."""

    def __init__(self, entity=None, members=None):
        self.entity = entity
        self.members = members or {}

    @property
    def exists(self):
        return self.entity is not None


class EntityPlan(object):
    """The writes that take the current state of one entity to the desired one."""

    def __init__(self, create=None, update=None, add=None, remove=None, secret_written=False):
        self.create = create
        self.update = update
        self.add = add or {}
        self.remove = remove or {}
        self.secret_written = secret_written

    @property
    def empty(self):
        return self.create is None and self.update is None and not self.member_writes()

    def member_writes(self):
        """(option, member id, adding) for every member write, additions first."""
        writes = [(option, member, True) for option, ids in sorted(self.add.items()) for member in ids]
        return writes + [(option, member, False) for option, ids in sorted(self.remove.items()) for member in ids]


def changed_fields(kind, current, desired):
    """API names of the fields whose desired value differs from the current one."""
    return [
        name for name, wanted in desired.fields.items() if kind.field_named(name).normalise(current.get(name)) != wanted
    ]


def member_changes(have, want, members_state):
    """(to add, to remove) as sorted lists, for one member list."""
    if members_state == 'absent':
        return [], sorted(want & have)
    remove = sorted(have - want) if members_state == 'exact' else []
    return sorted(want - have), remove


def plan_changes(kind, desired, current, label, with_secrets=True):
    """The writes needed; ``with_secrets=False`` ignores write-only fields (they cannot be read back)."""
    add, remove = {}, {}
    for option, want in desired.members.items():
        have = current.members.get(option, set()) if current.exists else set()
        add[option], remove[option] = member_changes(have, want, desired.members_state)
    if not current.exists:
        body = kind.create_body(desired, label)
        return EntityPlan(create=body, add=add, remove=remove, secret_written=bool(desired.secrets))
    rewrite = with_secrets and desired.rewrite_secrets and bool(desired.secrets)
    update = None
    if changed_fields(kind, current.entity, desired) or rewrite:
        update = kind.update_body(current.entity, desired, with_secrets=rewrite)
    return EntityPlan(update=update, add=add, remove=remove, secret_written=rewrite)


def predict(kind, desired, current, plan, base=None):
    """The state the plan leads to; ``base`` is the created entity as the create answered it."""
    entity = kind.predicted_entity(current.entity if current.exists else base, desired)
    members = {}
    for option in desired.members:
        have = current.members.get(option, set()) if current.exists else set()
        members[option] = (have | set(plan.add.get(option, ()))) - set(plan.remove.get(option, ()))
    return State(entity, members)


def diff_view(kind, state, desired, secret_written=False):
    """Before or after for diff mode: the entity's fields, the member lists named, masked secrets."""
    if not state.exists:
        return {}
    view = {}
    for name, value in kind.result_view(state.entity).items():
        view[name] = sorted(value) if isinstance(value, list) else value
    for option in sorted(desired.members):
        view[option] = sorted(state.members.get(option, ()))
    if secret_written:
        for name in sorted(desired.secrets):
            view[name] = SECRET_MASK
    return view


def field_changes(kind, current, plan, desired):
    """{field: {'before': ..., 'after': ...}} of an update ({field: {'after': ...}} of a create), secrets masked."""
    body = plan.create if plan.create is not None else plan.update
    if body is None:
        return {}
    changes = {}
    for field in kind.fields:
        if field.api not in body:
            continue
        if field.write_only:
            changes[field.api] = {'after': SECRET_MASK}
            continue
        after = field.normalise(body[field.api])
        if plan.create is not None:
            changes[field.api] = {'after': after}
            continue
        before = field.normalise(current.get(field.api))
        if before != after:
            changes[field.api] = {'before': before, 'after': after}
    return changes
