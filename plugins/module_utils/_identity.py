# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Read-compare-write for Camunda's identity entities: the engine of camunda_user, camunda_role and the others.

For internal collection use only: no stable interface.

Each entity kind describes itself (an ``EntityKind``: paths, fields, member lists); this engine does the
rest the same way for all of them:

1. read the entity, and the member lists the task names;
2. plan: compare the normalised current state with the options the user set (and only those), and list
   the writes needed (``plan_changes``, a pure function);
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

from ansible_collections.community.camunda.plugins.module_utils._client import CamundaClient, path_segment
from ansible_collections.community.camunda.plugins.module_utils._errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._options import module_spec

STATES = ('present', 'absent')
MEMBERS_STATES = ('present', 'absent', 'exact')
DEFAULT_CONSISTENCY_TIMEOUT = 10.0
# What diff output shows for a secret that is written; the secret itself never leaves the module.
SECRET_MASK = '********'
# Page size of searches; the cursor of each answer asks for the next page.
PAGE_LIMIT = 1000
FIRST_RETRY_DELAY = 0.1
MAX_RETRY_DELAY = 1.0

# Member kinds by the API's path segment: (option name, noun, id field of a member search item).
MEMBER_KINDS = {
    'users': ('users', 'user', 'username'),
    'clients': ('clients', 'client', 'clientId'),
    'groups': ('groups', 'group', 'groupId'),
    'roles': ('roles', 'role', 'roleId'),
    'mapping-rules': ('mapping_rules', 'mapping rule', 'mappingRuleId'),
}


def identity_spec(options, **kwargs):
    """The module spec of an identity module: shared options, state, consistency_timeout and its own."""
    spec = dict(
        state=dict(type='str', default='present', choices=list(STATES)),
        consistency_timeout=dict(type='float', default=DEFAULT_CONSISTENCY_TIMEOUT),
    )
    spec.update(options)
    return module_spec(spec, **kwargs)


def members_options(kind):
    """Argument specs of a kind's member lists and of members_state."""
    spec = {membership.option: dict(type='list', elements='str') for membership in kind.memberships}
    spec['members_state'] = dict(type='str', default='present', choices=list(MEMBERS_STATES))
    return spec


# -- descriptions ---------------------------------------------------------------------------------

class Field(object):
    """A writable field: its option, its name in the API, and how values compare.

    ``compare`` is ``text`` (None and '' are equal) or ``set`` (a list whose order and repeats do not
    matter). A ``write_only`` field (a password) cannot be read back: it is written on create, and on
    update only when the task says so (``update_password: always``).
    """

    def __init__(self, option, api, compare='text', write_only=False, required_on_create=False,
                 defaults_to_id=False):
        self.option = option
        self.api = api
        self.compare = compare
        self.write_only = write_only
        self.required_on_create = required_on_create
        self.defaults_to_id = defaults_to_id

    def normalise(self, value):
        if self.compare == 'set':
            return sorted(set(value or ()))
        return None if value in (None, '') else value


class Membership(object):
    """A member list of a container, e.g. the users of a role.

    ``search_path`` and ``write_path`` are templates: ``{id}`` is the container, ``{member}`` the member.
    """

    def __init__(self, option, noun, member_field, search_path, write_path):
        self.option = option
        self.noun = noun
        self.member_field = member_field
        self.search_path = search_path
        self.write_path = write_path

    @classmethod
    def of(cls, container, members):
        """The usual shape: ``<container>/{id}/<members>/search`` and ``<container>/{id}/<members>/{member}``."""
        option, noun, member_field = MEMBER_KINDS[members]
        return cls(option, noun, member_field, f'{container}/{{id}}/{members}/search',
                   f'{container}/{{id}}/{members}/{{member}}')

    def search_url(self, container_id):
        return self.search_path.format(id=path_segment(container_id))

    def write_url(self, container_id, member_id):
        return self.write_path.format(id=path_segment(container_id), member=path_segment(member_id))


class EntityKind(object):
    """One kind of identity entity with an id in its path (``/v2/<collection>/{id}``).

    Subclasses override the I/O methods when the entity is found otherwise (authorizations).
    """

    def __init__(self, noun, result_key, collection, id_option, id_field, fields, result_fields,
                 memberships=(), secret_rewrite_option=None):
        self.noun = noun
        self.result_key = result_key
        self.collection = collection
        self.id_option = id_option
        self.id_field = id_field
        self.fields = tuple(fields)
        self.result_fields = tuple(result_fields)
        self.memberships = tuple(memberships)
        # The option that says whether a write-only field is written on update ('always') or not.
        self.secret_rewrite_option = secret_rewrite_option

    # What the task asks for --------------------------------------------------------------------

    def entity_id(self, options):
        value = options.get(self.id_option)
        if value is None or str(value).strip() == '':
            raise ConfigurationError(f'{self.id_option} must not be empty.')
        return str(value)

    def identity(self, options):
        """The fields that identify the entity, as the API names them."""
        return {self.id_field: self.entity_id(options)}

    def label(self, options):
        return f"{self.noun} '{self.entity_id(options)}'"

    def desired(self, options):
        """The desired state: only the options the task sets."""
        fields, secrets = {}, {}
        for field in self.fields:
            value = options.get(field.option)
            if value is None:
                continue
            if field.write_only:
                secrets[field.api] = value
            else:
                fields[field.api] = field.normalise(value)
        members = {}
        for membership in self.memberships:
            listed = options.get(membership.option)
            if listed is not None:
                members[membership.option] = _member_ids(membership, listed)
        rewrite = bool(self.secret_rewrite_option) and options.get(self.secret_rewrite_option) == 'always'
        return Desired(self.identity(options), fields, secrets, rewrite, members,
                       options.get('members_state', 'present'))

    # Bodies -------------------------------------------------------------------------------------

    def field_named(self, api):
        return next(field for field in self.fields if field.api == api)

    def create_body(self, desired, label):
        body = dict(desired.identity)
        missing = []
        for field in self.fields:
            value = desired.secrets.get(field.api) if field.write_only else desired.fields.get(field.api)
            if value is None and field.defaults_to_id:
                value = next(iter(desired.identity.values()))
            if value is None and field.required_on_create:
                missing.append(field.option)
            if value is not None:
                body[field.api] = value
        if missing:
            raise ConfigurationError(f'{label[:1].upper()}{label[1:]} does not exist; to create it, set {" and ".join(missing)}.')
        return body

    def update_body(self, current, desired, with_secrets):
        """The full update body: desired values over current ones (Camunda's updates replace the entity)."""
        body = {}
        for field in self.fields:
            if field.write_only:
                if with_secrets and field.api in desired.secrets:
                    body[field.api] = desired.secrets[field.api]
                continue
            if field.api in desired.fields:
                # An empty value the task sets clears the field: send it, as leaving it out keeps the old one.
                body[field.api] = '' if desired.fields[field.api] is None else desired.fields[field.api]
            elif current.get(field.api) is not None:
                body[field.api] = current[field.api]
        return body

    def predicted_entity(self, base, desired):
        """The entity as Camunda will show it after the writes: ``base`` with the desired fields."""
        merged = dict(base or {})
        merged.update(desired.identity)
        for field in self.fields:
            if field.write_only:
                continue
            if field.api in desired.fields:
                merged[field.api] = desired.fields[field.api]
            elif merged.get(field.api) is None and field.defaults_to_id and not base:
                merged[field.api] = next(iter(desired.identity.values()))
        return self.result_view(merged)

    def result_view(self, entity):
        """The entity in the API's result shape (every result field, None when absent)."""
        if entity is None:
            return {}
        return {name: entity.get(name) for name in self.result_fields}

    # I/O ----------------------------------------------------------------------------------------

    def entity_url(self, options):
        return f'{self.collection}/{path_segment(self.entity_id(options))}'

    def read(self, api, options):
        return api.get_or_none(self.entity_url(options))

    def create(self, api, options, body):
        """Create; return the API's answer (the created entity). Raises ApiError, 409 included."""
        return api.write('POST', self.collection, body, f'create {self.label(options)}', expected=(200, 201)) or {}

    def update(self, api, options, current, body):
        api.write('PUT', self.entity_url(options), body, f'update {self.label(options)}', expected=(200, 204))

    def delete(self, api, options, current):
        """Delete; False when it was already gone (404)."""
        try:
            api.write('DELETE', self.entity_url(options), None, f'delete {self.label(options)}', expected=(204, 200))
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def check_conflicts(self, api, options, desired, current, plan):
        """Fail before any write when the plan cannot succeed for a reason the read can tell (a hook)."""


def _member_ids(membership, listed):
    ids = set()
    for value in listed:
        value = '' if value is None else str(value).strip()
        if not value:
            raise ConfigurationError(f'{membership.option} must not contain empty {membership.noun} ids.')
        ids.add(value)
    return ids


# -- states and plans -----------------------------------------------------------------------------

class Desired(object):
    """What the task asks for: identity, fields set, secrets, member lists and how to read them."""

    def __init__(self, identity, fields, secrets, rewrite_secrets, members, members_state):
        self.identity = identity
        self.fields = fields
        self.secrets = secrets
        self.rewrite_secrets = rewrite_secrets
        self.members = members
        self.members_state = members_state


class State(object):
    """An entity as read (or predicted) and its member lists (those the task names)."""

    def __init__(self, entity=None, members=None):
        self.entity = entity
        self.members = members or {}

    @property
    def exists(self):
        return self.entity is not None


class Plan(object):
    """The writes that take the current state to the desired one."""

    def __init__(self, create=None, update=None, add=None, remove=None, secret_written=False):
        self.create = create
        self.update = update
        self.add = add or {}
        self.remove = remove or {}
        self.secret_written = secret_written

    @property
    def empty(self):
        return (self.create is None and self.update is None and not any(self.add.values())
                and not any(self.remove.values()))

    def member_writes(self):
        """(option, member id, adding) for every member write, additions first."""
        writes = [(option, member, True) for option, ids in sorted(self.add.items()) for member in ids]
        return writes + [(option, member, False) for option, ids in sorted(self.remove.items()) for member in ids]


def changed_fields(kind, current, desired):
    """API names of the fields whose desired value differs from the current one."""
    return [name for name, wanted in desired.fields.items()
            if kind.field_named(name).normalise(current.get(name)) != wanted]


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
        return Plan(create=body, add=add, remove=remove, secret_written=bool(desired.secrets))
    rewrite = with_secrets and desired.rewrite_secrets and bool(desired.secrets)
    update = None
    if changed_fields(kind, current.entity, desired) or rewrite:
        update = kind.update_body(current.entity, desired, with_secrets=rewrite)
    return Plan(update=update, add=add, remove=remove, secret_written=rewrite)


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


# -- requests -------------------------------------------------------------------------------------

class IdentityApi(object):
    """The few request shapes the identity modules need, on the shared CamundaClient."""

    def __init__(self, client):
        self.client = client

    def get_or_none(self, path):
        try:
            return self.client.get_json(path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def search(self, path, filters=None):
        """Every item of a search, page after page (cursor pagination)."""
        items, after = [], None
        while True:
            page = {'limit': PAGE_LIMIT}
            if after:
                page['after'] = after
            body = {'page': page}
            if filters:
                body['filter'] = filters
            answer = self.client.call_json('POST', path, body, expected=(200,), idempotent=True)
            if not isinstance(answer, dict) or not isinstance(answer.get('items', []), list):
                raise ApiError(f'POST {self.client.url_for(path)} did not answer a search result (no items list): check url.')
            batch = answer.get('items') or []
            items.extend(batch)
            cursor = (answer.get('page') or {}).get('endCursor')
            if len(batch) < PAGE_LIMIT or not cursor or cursor == after:
                return items
            after = cursor

    def write(self, method, path, body, action, expected):
        """A write; its errors say what was being done, with Camunda's title and detail."""
        try:
            return self.client.call_json(method, path, body, expected=expected)
        except ApiError as exc:
            raise ApiError(f'Cannot {action}: {exc.msg}', status=exc.status, title=exc.title, detail=exc.detail,
                           url=exc.details.get('url'))


# -- the run --------------------------------------------------------------------------------------

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


class IdentityRunner(object):
    """One task of an identity module: read, plan, write (or predict), read back, report."""

    def __init__(self, kind, options, context, client, sleep=time.sleep, clock=time.monotonic):
        self.kind = kind
        self.options = options
        self.context = context
        self.api = IdentityApi(client)
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
        self.kind.check_conflicts(self.api, self.options, desired, before, plan)
        if plan.empty:
            return self.result(desired, before, before, plan, changed=False)
        if self.context.check_mode:
            return self.result(desired, before, predict(self.kind, desired, before, plan), plan, changed=True)
        before, plan, changed, created = self.apply(desired, before, plan)
        if created is None and plan.empty:
            return self.result(desired, before, before, plan, changed=False)
        # Even writes that turned out to be no change (409, 404) mean the read lagged: read until it shows them.
        after = self.settle(desired, predict(self.kind, desired, before, plan, base=created))
        return self.result(desired, before, after, plan, changed)

    def read_state(self, desired):
        entity = self.kind.read(self.api, self.options)
        if entity is None:
            return State()
        return State(entity, {option: self.read_members(option) for option in desired.members})

    def read_members(self, option):
        membership = next(m for m in self.kind.memberships if m.option == option)
        items = self.api.search(membership.search_url(self.kind.entity_id(self.options)))
        return {str(item.get(membership.member_field)) for item in items if item.get(membership.member_field) is not None}

    def apply(self, desired, before, plan):
        """Write the plan; return (before, plan, changed, created entity).

        When a create meets an entity the read could not see yet (409), the state read once it shows
        becomes ``before`` and the plan is made again against it.
        """
        if plan.create is not None:
            try:
                created = self.kind.create(self.api, self.options, plan.create)
            except ApiError as exc:
                if exc.status != 409:
                    raise
                before = self.wait_until_visible(desired, exc)
                plan = plan_changes(self.kind, desired, before, self.label)
                if plan.empty:
                    return before, plan, False, None
            else:
                self.write_members(plan)
                return before, plan, True, created
        changed = False
        if plan.update is not None:
            self.kind.update(self.api, self.options, before.entity, plan.update)
            changed = True
        return before, plan, self.write_members(plan) or changed, None

    def wait_until_visible(self, desired, conflict):
        """The state of an entity whose create was refused as existing, once a read shows it."""
        state = poll(lambda: self._visible_state(desired), self.timeout, self.sleep, self.clock)
        if state is None:
            raise ApiError(
                f'{conflict.msg} Camunda says the {self.label} exists, but it could not be read within '
                f'{self.timeout:g} s (its reads are eventually consistent): run the task again, or raise consistency_timeout.',
                status=conflict.status, title=conflict.title, detail=conflict.detail)
        return state

    def _visible_state(self, desired):
        state = self.read_state(desired)
        return state if state.exists else None

    def write_members(self, plan):
        """Assign and unassign; True when at least one write changed something."""
        changed = False
        for option, member_id, adding in plan.member_writes():
            membership = next(m for m in self.kind.memberships if m.option == option)
            changed = self.write_member(membership, self.kind.entity_id(self.options), member_id, adding) or changed
        return changed

    def write_member(self, membership, container_id, member_id, adding):
        action = (f"assign {membership.noun} '{member_id}' to {self.label}" if adding
                  else f"remove {membership.noun} '{member_id}' from {self.label}")
        # 409 on assign: already a member; 404 on removal: not a member. The read lagged behind; no change.
        tolerated = 409 if adding else 404
        try:
            self.api.write('PUT' if adding else 'DELETE', membership.write_url(container_id, member_id), None,
                           action, expected=(204, 200))
        except ApiError as exc:
            if exc.status == tolerated:
                return False
            raise
        return True

    def settle(self, desired, expected):
        """Read until Camunda shows the writes (bounded); else the expected state, with a warning."""
        state = poll(lambda: self._settled_state(desired), self.timeout, self.sleep, self.clock)
        if state is not None:
            return state
        if self.timeout > 0:  # with 0 the task asked not to wait: the expected state is what it wants
            self.context.warn(
                f'Camunda did not show the changes to {self.label} within {self.timeout:g} s (its reads are eventually '
                'consistent); the result shows the expected state. Raise consistency_timeout to wait longer.')
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
        entity = self.kind.read(self.api, self.options)
        before = State(entity)
        if entity is None:
            return self.result(desired, before, before, Plan(), changed=False)
        changed = True
        if not self.context.check_mode:
            changed = self.kind.delete(self.api, self.options, entity)
        return self.result(desired, before, State(), Plan(), changed)

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


def run_identity(kind, options, context, sleep=time.sleep, clock=time.monotonic):
    """The core of an identity module: ``state`` present or absent for one entity of ``kind``."""
    with CamundaClient(options, context) as client:
        return IdentityRunner(kind, options, context, client, sleep, clock).run()
