# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading deployed definitions: the searches and XML endpoints of processes, decisions and decision requirements.

For internal collection use only: no stable interface.

Forms have no search in the 8.8 and 8.9 API (``GET /v2/forms/{key}`` arrives in 8.10, and nothing finds a
form by its id), so deployed forms cannot be read back.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import path_segment

# Re-exported: deployment and smoke_test take the default tenant from here, with the definition kinds.
from ansible_collections.community.camunda.plugins.module_utils._api.client import DEFAULT_TENANT_ID  # noqa: F401  pylint: disable=unused-import


class DefinitionKind(object):
    """How the API names one kind of definition: its path, id and key fields, and its version field."""

    def __init__(self, kind, collection, id_field, key_field, latest_filter, id_operators):
        self.kind = kind
        self.collection = collection
        self.id_field = id_field
        self.key_field = key_field
        self.latest_filter = latest_filter  # whether the search takes isLatestVersion
        self.id_operators = id_operators  # whether the id filter takes operators ($in); else one id per search

    def xml_path(self, key):
        return f'{self.collection}/{path_segment(key)}/xml'


PROCESS = DefinitionKind('process', 'process-definitions', 'processDefinitionId', 'processDefinitionKey', True, True)
DECISION = DefinitionKind(
    'decision', 'decision-definitions', 'decisionDefinitionId', 'decisionDefinitionKey', True, False
)
DECISION_REQUIREMENTS = DefinitionKind(
    'decision_requirements', 'decision-requirements', 'decisionRequirementsId', 'decisionRequirementsKey', False, False
)
DEFINITION_KINDS = {kind.kind: kind for kind in (PROCESS, DECISION, DECISION_REQUIREMENTS)}


def search_all(client, kind, filters, latest_only=False):
    """Every item of a definition search, by the client's cursor paging (the only paging isLatestVersion allows)."""
    filters = {name: value for name, value in filters.items() if value is not None}
    if latest_only and kind.latest_filter:
        filters['isLatestVersion'] = True
    items = client.search_all(f'{kind.collection}/search', filters)
    if latest_only and not kind.latest_filter:
        items = latest_of(items, kind)
    return items


def latest_of(items, kind):
    """The highest version of each (id, tenant) among ``items``."""
    latest = {}
    for item in items:
        ident = (item.get(kind.id_field), item.get('tenantId'))
        if ident not in latest or item.get('version', 0) > latest[ident].get('version', 0):
            latest[ident] = item
    return [item for item in items if latest.get((item.get(kind.id_field), item.get('tenantId'))) is item]


def search_ids(client, kind, ids, tenant_id=None, latest_only=False):
    """Every version (or the latest) of the definitions with these ids; all ids when ``ids`` is empty."""
    ids = sorted(set(ids or ()))
    if not ids or kind.id_operators:
        id_filter = ids_filter(ids) if ids else None
        return search_all(client, kind, {kind.id_field: id_filter, 'tenantId': tenant_id}, latest_only)
    found = []
    for one in ids:
        found.extend(search_all(client, kind, {kind.id_field: one, 'tenantId': tenant_id}, latest_only))
    return found


def ids_filter(ids):
    """A string filter matching any of ``ids`` (one id as itself, several with $in)."""
    ids = sorted(set(ids))
    return ids[0] if len(ids) == 1 else {'$in': ids}


def read_xml(client, kind, key):
    """The deployed XML of one definition, as bytes (the endpoint produces text/xml only); None when the
    cluster answers 204, "found but does not have XML"."""
    response = client.request('GET', kind.xml_path(key), expected=(200, 204), accept='text/xml')
    return None if response.status_code == 204 else response.content
