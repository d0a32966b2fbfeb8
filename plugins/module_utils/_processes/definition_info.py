# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What is deployed: the core of camunda_definition_info (read-only).

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._processes.definitions import (
    DEFINITION_KINDS,
    search_ids,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._core.query import apply_query, compile_query

# Option value (a definition kind) -> the result key that lists them.
KIND_CHOICES = {'process': 'processes', 'decision': 'decisions', 'decision_requirements': 'decision_requirements'}

DEFINITION_INFO_SPEC = module_spec(
    dict(
        kinds=dict(type='list', elements='str', choices=list(KIND_CHOICES), default=list(KIND_CHOICES)),
        ids=dict(type='list', elements='str'),
        tenant_id=dict(type='str'),
        latest_only=dict(type='bool', default=False),
        query=dict(type='str'),
    )
)


def run_definition_info(options, context):
    compiled = compile_query(options.get('query'))
    ids = options.get('ids') or []
    result = {'changed': False}
    with CamundaClient(options, context) as client:
        for choice in options.get('kinds'):
            kind, result_key = DEFINITION_KINDS[choice], KIND_CHOICES[choice]
            items = search_ids(client, kind, ids, options.get('tenant_id'), options.get('latest_only'))
            result[result_key] = sorted(
                items,
                key=lambda item: (item.get(kind.id_field) or '', item.get('tenantId') or '', item.get('version') or 0),
            )
    for result_key in KIND_CHOICES.values():
        result.setdefault(result_key, [])
    if compiled is not None:
        result['query_result'] = apply_query(compiled, {key: result[key] for key in KIND_CHOICES.values()})
    return result
