# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The plan of camunda_identity: every write that takes Camunda's identity state to the declared one.

For internal collection use only: no stable interface.

Pure: the declared entries and the state as read go in, ``Step``s in dependency order come out. Each
entry is planned by the same ``plan_changes`` as the single-entity modules. ``exclusive`` adds the removal
of what is not declared, except what is protected (the principal the task runs as, Camunda's built-in
roles with their members and authorizations, the default tenant); the plan lists what it spared and why.

Phases (each one's steps are independent of each other, so they may run concurrently):
creates and updates by kind (users, mapping rules, groups, roles, tenants), member assignments,
authorizations; then removals in reverse: authorizations, member removals, then entities by kind
(tenants, roles, groups, mapping rules, users).
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import DEFAULT_TENANT_ID
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import KINDS
from ansible_collections.community.camunda.plugins.module_utils._identity.plan import (
    SECRET_MASK,
    State,
    field_changes,
    plan_changes,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.mapping_rule import claim_conflict

# Facts: the `DefaultRole` enums of camunda/camunda (8.8: admin, rpa, connectors, app-integrations,
# task-worker; readonly-admin later) and the tenant every cluster has.
BUILT_IN_ROLES = ('admin', 'app-integrations', 'connectors', 'readonly-admin', 'rpa', 'task-worker')
ADMIN_ROLE = 'admin'
PRINCIPAL_OWNER_TYPES = ('USER', 'CLIENT')
# Member kinds Camunda requires to exist before they are assigned; users and clients may live in the IdP.
EXISTING_MEMBER_OPTIONS = ('groups', 'roles', 'mapping_rules')
PRINCIPAL_MEMBER_OPTIONS = ('users', 'clients')

MARKS = {'create': '+', 'update': '~', 'remove': '-', 'assign': '+', 'unassign': '-'}


class Step(object):
    """One write: create, update or remove an entity, or assign or unassign one member."""

    def __init__(
        self,
        op,
        option,
        kind,
        label,
        entry=None,
        current=None,
        plan=None,
        changes=None,
        membership=None,
        container_id=None,
        member_id=None,
        reason=None,
    ):
        self.op = op
        self.option = option
        self.kind = kind
        self.label = label
        self.entry = entry
        self.current = current
        self.plan = plan
        self.changes = changes or {}
        self.membership = membership
        self.container_id = container_id
        self.member_id = member_id
        self.reason = reason

    @property
    def phase(self):
        order = [option for option, _kind in KINDS]
        if self.op in ('create', 'update'):
            return (0, order.index(self.option)) if self.option != 'authorizations' else (2, 0)
        if self.op == 'assign':
            return 1, 0
        if self.option == 'authorizations':
            return 3, 0
        if self.op == 'unassign':
            return 4, 0
        return 5, -order.index(self.option)

    def describe(self):
        if self.membership is not None:
            verb = 'assign' if self.op == 'assign' else 'remove'
            where = 'to' if self.op == 'assign' else 'from'
            return f"{verb} {self.membership.noun} '{self.member_id}' {where} {self.label}"
        return f'{self.op} {self.label}'

    def as_data(self):
        data = dict(action=self.op, kind=self.kind.noun, label=self.label)
        if self.membership is not None:
            data.update(members=self.membership.option, member=self.member_id)
        if self.changes:
            data['changes'] = self.changes
        if self.reason:
            data['reason'] = self.reason
        return data


class IdentityPlan(object):
    """The steps in phase order, what was spared, and the texts a reviewer reads."""

    def __init__(self, steps, protected):
        self.steps = sorted(steps, key=lambda step: step.phase)
        self.protected = protected

    def phases(self):
        """The steps grouped by phase, in order."""
        groups = []
        for step in self.steps:
            if groups and groups[-1][0].phase == step.phase:
                groups[-1].append(step)
            else:
                groups.append([step])
        return groups

    def summary(self):
        counts = {op: 0 for op in ('create', 'update', 'remove', 'assign', 'unassign')}
        for step in self.steps:
            counts[step.op] += 1
        counts['protected'] = len(self.protected)
        return counts

    def as_data(self):
        return [step.as_data() for step in self.steps]

    def as_text(self):
        counts = self.summary()
        lines = [
            'camunda_identity plan: {create} to create, {update} to update, {remove} to remove, '
            '{assign} member(s) to assign, {unassign} to unassign; {protected} spared.'.format(**counts)
        ]
        for step in self.steps:
            line = f'{MARKS[step.op]} {step.describe()}'
            if step.changes:
                line += ': ' + ', '.join(
                    f'{name} {_show(change.get("before"))} -> {_show(change.get("after"))}'
                    if 'before' in change
                    else f'{name} = {_show(change["after"])}'
                    for name, change in sorted(step.changes.items())
                )
            if step.reason:
                line += f' ({step.reason})'
            lines.append(line)
        lines.extend(f"= spared {item['label']} ({item['reason']})" for item in self.protected)
        return '\n'.join(lines) + '\n'


def _show(value):
    """A value in the text plan: lists bracketed, strings quoted (not the secret mask), null for None."""
    if isinstance(value, list):
        return '[' + ', '.join(str(item) for item in value) + ']'
    if value is None:
        return 'null'
    return repr(value) if isinstance(value, str) and value != SECRET_MASK else str(value)


class Protection(object):
    """What ``exclusive`` never removes, and the record of what it spared."""

    def __init__(self, principal, admins=()):
        self.principal = principal
        self.admins = set(admins)  # read only when the principal is unknown (a task without credentials)
        self.spared = []

    def entity_reason(self, option, kind, item):
        key = kind.key_of(item)
        if option == 'users' and self.principal and key == self.principal:
            return 'the principal this task runs as'
        if option == 'users' and not self.principal and key in self.admins:
            return (
                'a member of the built-in admin role, kept because the principal this task runs as is unknown '
                '(no credentials), so removing it could leave no admin'
            )
        if option == 'roles' and key in BUILT_IN_ROLES:
            return 'a built-in role of Camunda'
        if option == 'tenants' and key == DEFAULT_TENANT_ID:
            return 'the default tenant'
        if option == 'authorizations':
            if item.get('ownerType') == 'ROLE' and item.get('ownerId') in BUILT_IN_ROLES:
                return 'an authorization of a built-in role'
            if (
                item.get('ownerType') in PRINCIPAL_OWNER_TYPES
                and self.principal
                and item.get('ownerId') == self.principal
            ):
                return 'an authorization of the principal this task runs as'
        return None

    def member_reason(self, option, container_id, member_option, member_id):
        if member_option in PRINCIPAL_MEMBER_OPTIONS and self.principal and member_id == self.principal:
            return 'the principal this task runs as'
        if option == 'roles' and container_id in BUILT_IN_ROLES:
            return 'a member of a built-in role'
        return None

    def spare(self, label, reason):
        self.spared.append(dict(label=label, reason=reason))


def make_plan(entries, current, exclusive, principal, principal_groups=(), admins=()):
    """The IdentityPlan from ``{option: [Entry]}``, the state as read and the ``exclusive`` kinds.

    ``current.entities[option]`` maps each key to the entity as read; ``current.members[(option, key, member
    option)]`` is the set of member ids of a list an entry gives. ``principal_groups`` are the groups the
    principal belongs to (a removal says the principal loses them); ``admins`` the users of the admin role,
    spared by ``exclusive: [users]`` when the principal is unknown.
    """
    protection = Protection(principal, admins)
    exclusive = set(exclusive or ())
    steps = []
    for option, _kind in KINDS:
        declared = set()
        for entry in entries.get(option, ()):
            declared.add(entry.key)
            entity = current.entities.get(option, {}).get(entry.key)
            if entry.absent:
                steps.extend(_removal(option, entry, entity, protection))
            else:
                state = State(
                    entity,
                    {
                        member_option: current.members.get((option, entry.key, member_option), set())
                        for member_option in entry.desired.members
                    }
                    if entity is not None
                    else None,
                )
                try:
                    steps.extend(_present(option, entry, state, protection, 'memberships' in exclusive))
                except ConfigurationError as exc:
                    raise ConfigurationError(f'{entry.where}: {exc.msg}')
        if option in exclusive:
            steps.extend(_sweep(option, current.entities.get(option, {}), declared, protection))
    _check_claims(entries.get('mapping_rules', ()), current.entities.get('mapping_rules', {}), steps)
    _check_members_exist(steps, current)
    for step in steps:
        if (
            step.op == 'remove'
            and step.option == 'groups'
            and principal
            and step.current.entity.get('groupId') in set(principal_groups)
        ):
            step.reason += (
                f"; the principal this task runs as ('{principal}') is a member and loses this membership "
                'and what the group grants it'
            )
    return IdentityPlan(steps, protection.spared)


def _check_members_exist(steps, current):
    """Fail before any write (check mode too) when a member that must exist neither exists nor is created."""
    created = {(step.option, step.entry.key) for step in steps if step.op == 'create'}
    missing = []
    for step in steps:
        option = step.membership.option if step.op == 'assign' else None
        known = current.entities.get(option)
        if option not in EXISTING_MEMBER_OPTIONS or known is None:
            continue
        if step.member_id not in known and (option, step.member_id) not in created:
            missing.append(
                f"{step.entry.where}: cannot assign {step.membership.noun} '{step.member_id}' to "
                f'{step.label}: no such {step.membership.noun} exists and this task does not create it'
            )
    if missing:
        raise ConfigurationError('; '.join(missing) + '. Declare it in the task, or remove it from the member list.')


def _present(option, entry, state, protection, memberships_exclusive):
    kind, desired = entry.kind, entry.desired
    plan = plan_changes(kind, desired, state, entry.label)
    steps = []
    if plan.create is not None or plan.update is not None:
        op = 'create' if plan.create is not None else 'update'
        steps.append(
            Step(
                op,
                option,
                kind,
                entry.label,
                entry=entry,
                current=state,
                plan=plan,
                changes=field_changes(kind, state.entity, plan, desired),
            )
        )
    # An entry that does not set members_state follows `exclusive: [memberships]`: only then is it the
    # task's default, and only then are protected members spared.
    sweeping = memberships_exclusive and not entry.members_state_stated
    container_id = next(iter(desired.key_fields.values()))
    for member_option, member_id, adding in plan.member_writes():
        membership = kind.membership(member_option)
        if not adding and sweeping:
            reason = protection.member_reason(option, container_id, member_option, member_id)
            if reason:
                protection.spare(f"{membership.noun} '{member_id}' in {entry.label}", reason)
                continue
        steps.append(
            Step(
                'assign' if adding else 'unassign',
                option,
                kind,
                entry.label,
                entry=entry,
                membership=membership,
                container_id=container_id,
                member_id=member_id,
            )
        )
    return steps


def _removal(option, entry, entity, protection):
    if entity is None:
        return []
    if option == 'users' and protection.principal and entry.key == protection.principal:
        raise ConfigurationError(
            f'{entry.where}: {entry.label} is the principal this task runs as; '
            'camunda_identity never removes it. Remove it with another principal.'
        )
    return [Step('remove', option, entry.kind, entry.label, entry=entry, current=State(entity), reason='state: absent')]


def _sweep(option, entities, declared, protection):
    kind = dict(KINDS)[option]
    steps = []
    for key, entity in sorted(entities.items(), key=lambda pair: str(pair[0])):
        if key in declared:
            continue
        label = kind.label_of(entity)
        reason = protection.entity_reason(option, kind, entity)
        if reason:
            protection.spare(label, reason)
            continue
        steps.append(
            Step('remove', option, kind, label, current=State(entity), reason=f'not declared; exclusive: {option}')
        )
    return steps


def _check_claims(entries, rules, steps):
    """Fail before any write when two mapping rules would map the same claim (Camunda allows one per claim)."""
    removed = {
        step.current.entity.get('mappingRuleId')
        for step in steps
        if step.option == 'mapping_rules' and step.op == 'remove'
    }
    claims = {
        rule_id: (rule.get('claimName'), rule.get('claimValue'))
        for rule_id, rule in rules.items()
        if rule_id not in removed
    }
    for entry in entries:
        if entry.absent:
            claims.pop(entry.key, None)
            continue
        old = claims.get(entry.key, (None, None))
        claims[entry.key] = (
            entry.desired.fields.get('claimName', old[0]),
            entry.desired.fields.get('claimValue', old[1]),
        )
    holders = {}
    for rule_id, claim in claims.items():
        holders.setdefault(claim, []).append(rule_id)
    for entry in entries:
        claim = claims.get(entry.key)
        others = sorted(rule_id for rule_id in holders.get(claim, ()) if rule_id != entry.key)
        if not entry.absent and others:
            conflict = claim_conflict(dict(mappingRuleId=others[0]), dict(claimName=claim[0], claimValue=claim[1]))
            raise ConfigurationError(
                f'{entry.where}: cannot apply {entry.label}: {conflict} '
                'Change or remove one of them in the desired state.'
            )
