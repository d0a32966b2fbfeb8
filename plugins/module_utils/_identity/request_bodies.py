# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The requests of Camunda Identity entities: find, create, update, delete, read and write members.

For internal collection use only: no stable interface.

The same for every kind: the kind says where an entity lives (``EntityKind.lookup`` and ``entity_url``),
these functions send the requests on the shared ``CamundaClient``. Errors of writes say what was
being done. Two answers are not errors: removing an entity already gone (404), assigning a member
already assigned (409) and removing one not assigned (404) mean the state is as wanted already.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError


def write(client, method, path, body, action, expected):
    """A write; its errors say what was being done, with Camunda's title and detail."""
    try:
        return client.call_json(method, path, body, expected=expected)
    except ApiError as exc:
        raise ApiError(
            f'Cannot {action}: {exc.msg}',
            status=exc.status,
            title=exc.title,
            detail=exc.detail,
            url=exc.details.get('url'),
        )


def find(client, kind, options):
    """The entity a task means, as Camunda shows it, or None."""
    lookup = kind.lookup(options)
    if lookup[0] == 'get':
        return client.get_or_none(lookup[1])
    _how, path, filters = lookup
    wanted = kind.key_of_options(options)
    # A search filter is only a first cut (an 8.8 authorization has no resourcePropertyName at all).
    return next((item for item in client.search_all(path, filters) if kind.key_of(item) == wanted), None)


def create(client, kind, label, body):
    """Create; return the API's answer (the created entity). Raises ApiError, 409 included."""
    return write(client, 'POST', kind.collection, body, f'create {label}', expected=(200, 201)) or {}


def update(client, kind, label, current, body):
    write(client, 'PUT', kind.entity_url(current), body, f'update {label}', expected=(200, 204))


def delete(client, kind, label, current):
    """Delete; False when it was already gone (404)."""
    try:
        write(client, 'DELETE', kind.entity_url(current), None, f'delete {label}', expected=(204, 200))
    except ApiError as exc:
        if exc.status == 404:
            return False
        raise
    return True


def read_members(client, membership, container_id):
    """The ids in one member list of a container."""
    items = client.search_all(membership.search_url(container_id))
    field = membership.member_field
    return {str(item.get(field)) for item in items if item.get(field) is not None}


def write_member(client, membership, container_id, member_id, adding, label):
    """Assign or remove one member; False when it already was as wanted (409 on assign, 404 on removal)."""
    action = (
        f"assign {membership.noun} '{member_id}' to {label}"
        if adding
        else f"remove {membership.noun} '{member_id}' from {label}"
    )
    tolerated = 409 if adding else 404
    try:
        write(
            client,
            'PUT' if adding else 'DELETE',
            membership.write_url(container_id, member_id),
            None,
            action,
            expected=(204, 200),
        )
    except ApiError as exc:
        if exc.status == tolerated:
            return False
        raise
    return True
