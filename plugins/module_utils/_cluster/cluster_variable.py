# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Cluster variables (Camunda 8.9): the core of camunda_cluster_variable.

For internal collection use only: no stable interface.

A task manages one scope, global or one tenant's: one variable (``name``/``value``), or several at once
(``variables``), and with ``exclusive`` the whole scope. Read, compare, write only the difference:

- values compare as parsed JSON (the API answers them serialized as JSON strings, whose spacing and key order
  say nothing), with integral floats equal to integers;
- a search reads the scope in one request (``truncateValues=false``; an item still marked truncated is read
  alone); results of other scopes are ignored even if a server answered them, so that ``exclusive`` never
  touches another scope or tenant;
- Camunda's creates are not idempotent and its reads are eventually consistent: a create answered 409 after
  a read that found nothing reads again (bounded by ``consistency_timeout``) and updates only when the value
  differs; a delete answered 404 is no change;
- values are never part of a message: errors and warnings name variables, not what they hold.
"""

from __future__ import annotations

import json
import time

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient, path_segment
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    ApiError,
    CamundaError,
    ConfigurationError,
)
from ansible_collections.community.camunda.plugins.module_utils._core.partial import partial_failure
from ansible_collections.community.camunda.plugins.module_utils._identity.options import DEFAULT_CONSISTENCY_TIMEOUT
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import poll
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import require_version

FIRST_VERSION = '8.9'
GATE_SUBJECT = 'camunda_cluster_variable (cluster variables)'
SEARCH_PATH = 'cluster-variables/search?truncateValues=false'
GLOBAL, TENANT = 'GLOBAL', 'TENANT'
# Words by which an answer says that a value is too large (a 413, or a 400 from the broker's size check).
_SIZE_WORDS = ('too large', 'exceeds', 'exceeded', 'message size', 'maxmessagesize')

CLUSTER_VARIABLE_SPEC = module_spec(
    dict(
        name=dict(type='str'),
        value=dict(type='raw'),
        variables=dict(type='dict'),
        tenant_id=dict(type='str'),
        exclusive=dict(type='bool', default=False),
        state=dict(type='str', default='present', choices=['present', 'absent']),
        consistency_timeout=dict(type='float', default=DEFAULT_CONSISTENCY_TIMEOUT),
    ),
    mutually_exclusive=[('name', 'variables')],
    required_one_of=[('name', 'variables')],
)


# -- values ---------------------------------------------------------------------------------------


def _plain(value):
    """The value as plain JSON data; integral floats become integers (1.0 and 1 are one JSON number)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else value
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    if isinstance(value, str):
        return str(value)
    return value


def canonical(value):
    """A text that is equal for equal JSON values: what values are compared by."""
    return json.dumps(_plain(value), sort_keys=True, separators=(',', ':'), ensure_ascii=False, allow_nan=False)


def checked_value(name, value):
    """The value as JSON data, or a ConfigurationError that names the variable and not the value."""
    try:
        canonical(value)
    except (TypeError, ValueError) as exc:
        # json's messages name the type or the fault ("Object of type set is not JSON serializable"), never the value.
        raise ConfigurationError(
            f"The value of cluster variable '{name}' is not a JSON value ({exc}): give strings, numbers, booleans, "
            "null, lists and mappings only."
        )
    return _plain(value)


def parse_api_value(text):
    """The value of an API answer (a JSON string); a text that is not JSON stays text."""
    if not isinstance(text, str):
        return text
    try:
        return _plain(json.loads(text))
    except ValueError:
        return text


def check_name(name, option):
    text = '' if name is None else str(name)
    if not text.strip():
        raise ConfigurationError(f'{option} must not be empty.')
    if any(char.isspace() for char in text):
        raise ConfigurationError(
            f"{option} '{text}' contains whitespace, which Camunda refuses in cluster variable names."
        )
    return text


# -- the request ----------------------------------------------------------------------------------


class Scope(object):
    """Global, or one tenant's: its paths, its label and how the API marks its variables."""

    def __init__(self, tenant_id=None):
        self.tenant_id = tenant_id

    @property
    def kind(self):
        return GLOBAL if self.tenant_id is None else TENANT

    @property
    def label(self):
        return 'global' if self.tenant_id is None else f"tenant '{self.tenant_id}'"

    @property
    def collection(self):
        if self.tenant_id is None:
            return 'cluster-variables/global'
        return f'cluster-variables/tenants/{path_segment(self.tenant_id)}'

    def variable_path(self, name):
        return f'{self.collection}/{path_segment(name)}'

    def search_filter(self):
        found = {'scope': self.kind}
        if self.tenant_id is not None:
            found['tenantId'] = self.tenant_id
        return found

    def holds(self, item):
        """True for a search item of this scope (the client judges too: exclusive must never reach further)."""
        if item.get('scope') not in (None, self.kind):
            return False
        tenant = item.get('tenantId')
        return (tenant in (None, '') and self.tenant_id is None) or (tenant == self.tenant_id and tenant is not None)


class Request(object):
    """What the task asks for, checked before any request."""

    def __init__(self, options):
        tenant_id = options.get('tenant_id')
        if tenant_id is not None and not str(tenant_id).strip():
            raise ConfigurationError('tenant_id must not be empty; leave it out for the global scope.')
        self.scope = Scope(None if tenant_id is None else str(tenant_id))
        self.state = options.get('state', 'present')
        self.exclusive = bool(options.get('exclusive'))
        self.single = options.get('name') is not None
        self.timeout = options.get('consistency_timeout', DEFAULT_CONSISTENCY_TIMEOUT)
        if self.exclusive and (self.single or self.state != 'present'):
            raise ConfigurationError(
                'exclusive needs variables and state=present: it removes the variables of the scope that variables '
                'does not list.'
            )
        if self.single:
            name = check_name(options.get('name'), 'name')
            if self.state == 'present' and options.get('value') is None:
                raise ConfigurationError(
                    f"value is required to set cluster variable '{name}' (state=present); to store JSON null, use "
                    f"variables: {{{name}: null}}."
                )
            self.desired = (
                {name: checked_value(name, options.get('value'))} if self.state == 'present' else {name: None}
            )
        else:
            variables = options.get('variables') or {}
            self.desired = {}
            for name, value in variables.items():
                name = check_name(name, 'variables key')
                self.desired[name] = checked_value(name, value) if self.state == 'present' else None


# -- the run --------------------------------------------------------------------------------------


class ClusterVariableRunner(object):
    def __init__(self, client, request, context, sleep=time.sleep, clock=time.monotonic):
        self.client = client
        self.api = client
        self.request = request
        self.scope = request.scope
        self.context = context
        self.sleep = sleep
        self.clock = clock

    def run(self):
        current = self.read()
        if self.request.state == 'absent':
            plan = {'remove': sorted(name for name in self.request.desired if name in current)}
        else:
            plan = self.plan(current)
        after = self.predicted(current, plan)
        changed = any(plan[step] for step in plan)
        if changed and not self.context.check_mode:
            changed, after = self.apply(current, plan, after)
        return self.result(current, after, plan, changed)

    # read and plan ------------------------------------------------------------------------------

    def read(self):
        """{name: value} of the variables the task concerns (with exclusive: the whole scope)."""
        if self.request.single:
            (name,) = self.request.desired
            found = self.read_one(name)
            return {} if found is None else {name: found[1]}
        current = {}
        for item in self.api.search_all(SEARCH_PATH, self.scope.search_filter()):
            name = item.get('name')
            if not isinstance(name, str) or not self.scope.holds(item):
                continue
            if not self.request.exclusive and name not in self.request.desired:
                continue
            if item.get('isTruncated'):
                found = self.read_one(name)  # a preview is not the value
                if found is None:
                    continue
                current[name] = found[1]
            else:
                current[name] = parse_api_value(item.get('value'))
        return current

    def read_one(self, name):
        """(name, value) as a GET reads it, or None when the scope has no such variable (yet)."""
        answer = self.api.get_or_none(self.scope.variable_path(name))
        if not isinstance(answer, dict):
            return None
        return name, parse_api_value(answer.get('value'))

    def plan(self, current):
        create, update = [], []
        for name, value in sorted(self.request.desired.items()):
            if name not in current:
                create.append(name)
            elif canonical(current[name]) != canonical(value):
                update.append(name)
        remove = sorted(set(current) - set(self.request.desired)) if self.request.exclusive else []
        return {'create': create, 'update': update, 'remove': remove}

    def predicted(self, current, plan):
        after = dict(current)
        for name in plan.get('create', []) + plan.get('update', []):
            after[name] = self.request.desired[name]
        for name in plan.get('remove', []):
            after.pop(name, None)
        return after

    # write --------------------------------------------------------------------------------------

    def apply(self, current, plan, after):
        """Write the plan; return (changed, the state after) with what each write turned out to be.

        A failed write fails the task with what was applied before it and what was not (partial_failure).
        """
        done = {'create': [], 'update': [], 'remove': []}
        steps = [(action, name) for action in ('remove', 'update', 'create') for name in plan.get(action, [])]
        applied = []
        for index, (action, name) in enumerate(steps):
            try:
                outcome = self.write_step(action, name)
            except CamundaError as exc:
                raise partial_failure(
                    exc, applied, self.describe(action, name), [self.describe(*step) for step in steps[index + 1 :]]
                )
            if outcome:
                done[outcome].append(name)
                applied.append(self.describe(outcome, name))
        plan.update(done)
        return any(done.values()), after

    def write_step(self, action, name):
        """What the write turned out to be ('create', 'update', 'remove'), or None when nothing needed writing."""
        if action == 'remove':
            return 'remove' if self.delete(name) else None
        if action == 'update':
            return self.update(name)
        return self.create(name)

    def describe(self, action, name):
        verb = 'delete' if action == 'remove' else action
        return f"{verb} cluster variable '{name}' ({self.scope.label})"

    def create(self, name):
        """'create', 'update' (it existed with another value) or None (it existed with this value)."""
        value = self.request.desired[name]
        try:
            self.write('POST', self.scope.collection, {'name': name, 'value': value}, 'create', name)
            return 'create'
        except ApiError as exc:
            if exc.status != 409:
                raise
        # The scope has it, but the read did not show it yet: read until it does, then compare.
        found = poll(lambda: self.read_one(name), self.request.timeout, self.sleep, self.clock)
        if found is not None and canonical(found[1]) == canonical(value):
            return None
        self.write('PUT', self.scope.variable_path(name), {'value': value}, 'update', name)
        return 'update'

    def update(self, name):
        value = self.request.desired[name]
        try:
            self.write('PUT', self.scope.variable_path(name), {'value': value}, 'update', name)
            return 'update'
        except ApiError as exc:
            if exc.status != 404:
                raise
        # Deleted since the read (or the read was stale): create it.
        self.write('POST', self.scope.collection, {'name': name, 'value': value}, 'create', name)
        return 'create'

    def delete(self, name):
        try:
            self.write('DELETE', self.scope.variable_path(name), None, 'delete', name)
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    def write(self, method, path, body, action, name):
        label = f"{action} cluster variable '{name}' ({self.scope.label})"
        try:
            return self.client.call_json(method, path, body, expected=(200, 201, 204))
        except ApiError as exc:
            if body is not None and is_size_refusal(exc):
                size = len(canonical(body['value']).encode('utf-8'))
                raise ApiError(
                    f'Cannot {label}: the cluster refused the value as too large ({size} bytes as JSON; '
                    f'{exc.status} {exc.title or ""}: {exc.detail or "no detail"}). Keep large payloads outside '
                    'cluster variables and store a reference, or raise the maximum message size of the cluster.',
                    status=exc.status,
                    title=exc.title,
                    detail=exc.detail,
                    url=exc.details.get('url'),
                )
            raise ApiError(
                f'Cannot {label}: {exc.msg}',
                status=exc.status,
                title=exc.title,
                detail=exc.detail,
                url=exc.details.get('url'),
            )

    # result -------------------------------------------------------------------------------------

    def result(self, current, after, plan, changed):
        scope = self.scope
        result = dict(
            changed=changed,
            scope=scope.kind,
            tenant_id=scope.tenant_id,
            created=list(plan.get('create', [])),
            updated=list(plan.get('update', [])),
            removed=list(plan.get('remove', [])),
        )
        if self.request.single:
            (name,) = self.request.desired
            result['variable'] = (
                {'name': name, 'value': after[name], 'scope': scope.kind, 'tenantId': scope.tenant_id}
                if name in after
                else {}
            )
        else:
            shown = set(after) if self.request.exclusive else set(self.request.desired) & set(after)
            result['variables'] = {name: after[name] for name in sorted(shown)}
        if self.context.diff:
            names = set(self.request.desired) | set(plan.get('remove', []))
            result['diff'] = dict(
                before={name: current[name] for name in sorted(names) if name in current},
                after={name: after[name] for name in sorted(names) if name in after},
            )
        return result


def is_size_refusal(exc):
    """True when an error answer says the request or value is too large."""
    if exc.status == 413:
        return True
    said = f'{exc.title or ""} {exc.detail or ""}'.lower()
    return exc.status == 400 and any(word in said for word in _SIZE_WORDS)


def run_cluster_variable(options, context, sleep=time.sleep, clock=time.monotonic):
    """The camunda_cluster_variable module: one scope's variables as the task says."""
    request = Request(options)
    with CamundaClient(options, context) as client:
        require_version(client, FIRST_VERSION, GATE_SUBJECT)
        return ClusterVariableRunner(client, request, context, sleep, clock).run()
