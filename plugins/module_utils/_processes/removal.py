# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""camunda_deployment with state=absent: delete every deployed version of the ids the files declare.

For internal collection use only: no stable interface.

Zeebe deletes no process definition while instances of it run, so the running instances are counted first and
the task fails naming them before it deletes anything. A deletion that fails after others is reported with what
was and was not deleted (_core.partial).
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import path_segment
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, CamundaError
from ansible_collections.community.camunda.plugins.module_utils._core.partial import partial_failure
from ansible_collections.community.camunda.plugins.module_utils._processes.definitions import (
    DECISION_REQUIREMENTS,
    PROCESS,
    ids_filter,
    search_all,
)
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import (
    KIND_NOUNS,
    UNREADABLE_FORMATS,
    entry,
)


def describe_version(target):
    return f"delete {KIND_NOUNS[target['kind']]} {target['id']!r} version {target['version']} (key {target['key']})"


class Removal(object):
    """state=absent: delete every deployed version of the ids the files declare, refusing while instances run."""

    def __init__(self, client, context, resources, tenant_id):
        self.client = client
        self.context = context
        self.resources = resources
        self.tenant_id = tenant_id

    def run(self):
        targets = self.find_versions()
        self.refuse_running(targets)
        removed = []
        for index, target in enumerate(targets):
            try:
                if self.context.check_mode or self.delete(target):
                    removed.append(target)
            except CamundaError as exc:
                raise partial_failure(
                    exc,
                    [describe_version(t) for t in removed],
                    describe_version(target),
                    [describe_version(t) for t in targets[index + 1 :]],
                )
        deleted_ids = {(t['kind'], t['id']) for t in removed}
        deleted_drgs = {t['id'] for t in removed if t['kind'] == 'decision_requirements'}
        entries = []
        for resource in self.resources:
            drg_ids = [d.id for d in resource.declared if d.kind == 'decision_requirements']
            for declared in resource.declared:
                changed = (declared.kind, declared.id) in deleted_ids or (
                    declared.kind == 'decision' and any(drg in deleted_drgs for drg in drg_ids)
                )
                entries.append(entry(resource, declared, changed=changed))
        unreadable = [r for r in self.resources if r.format in UNREADABLE_FORMATS]
        if unreadable:
            self.context.warn(
                'these cannot be found by id through the API (forms, RPA scripts and generic resources '
                'are read by key only), so they were not deleted: ' + ', '.join(r.name for r in unreadable)
            )
        result = {'changed': bool(removed), 'resources': entries, 'removed': removed, 'tenant_id': self.tenant_id}
        if self.context.diff:
            lines = [f"{t['kind']} {t['id']} version {t['version']} (key {t['key']}, {t['name']})" for t in removed]
            result['diff'] = {
                'before': ''.join(line + '\n' for line in lines),
                'after': '',
                'before_header': 'deployed',
                'after_header': 'after removal',
            }
        return result

    def find_versions(self):
        """Every deployed version (newest first) of the processes and decision requirements the files declare."""
        targets = []
        process_ids = [d.id for r in self.resources for d in r.declared if d.kind == 'process']
        if process_ids:
            found = search_all(
                self.client, PROCESS, {'processDefinitionId': ids_filter(process_ids), 'tenantId': self.tenant_id}
            )
            targets.extend(
                {
                    'kind': 'process',
                    'id': item['processDefinitionId'],
                    'key': item['processDefinitionKey'],
                    'version': item['version'],
                    'name': item.get('resourceName'),
                }
                for item in found
            )
        for resource in self.resources:
            for declared in resource.declared:
                if declared.kind != 'decision_requirements':
                    continue
                found = search_all(
                    self.client,
                    DECISION_REQUIREMENTS,
                    {'decisionRequirementsId': declared.id, 'tenantId': self.tenant_id},
                )
                targets.extend(
                    {
                        'kind': 'decision_requirements',
                        'id': declared.id,
                        'key': item['decisionRequirementsKey'],
                        'version': item['version'],
                        'name': item.get('resourceName'),
                    }
                    for item in found
                )
        return sorted(targets, key=lambda t: (t['kind'], t['id'], -t['version']))

    def running_instances(self, key):
        """Active instances of one process definition, or None when the search cannot tell."""
        try:
            answer = self.client.call_json(
                'POST',
                'process-instances/search',
                {'filter': {'processDefinitionKey': key, 'state': 'ACTIVE'}, 'page': {'limit': 1}},
                expected=(200,),
                idempotent=True,
            )
        except ApiError:
            return None
        total = (answer.get('page') or {}).get('totalItems')
        return total if isinstance(total, int) else None

    def refuse_running(self, targets):
        busy = []
        for target in targets:
            if target['kind'] == 'process':
                count = self.running_instances(target['key'])
                if count:
                    busy.append(
                        f"process {target['id']!r} version {target['version']} (key {target['key']}) has "
                        f"{count} running instance{'s' if count != 1 else ''}"
                    )
        if busy:
            raise ApiError(
                'Cannot remove the deployed definitions: ' + '; '.join(busy) + '. Zeebe deletes no process '
                'definition while instances of it run: let them complete, or cancel them, then run again. '
                'Nothing was deleted.'
            )

    def delete(self, target):
        """Delete one version; False when it is already gone."""
        path = f"resources/{path_segment(target['key'])}/deletion"
        try:
            self.client.call_json('POST', path, {}, expected=(200,))
        except ApiError as exc:
            if exc.status == 404:
                return False
            if 'running instances' in (exc.detail or ''):
                count = self.running_instances(target['key'])
                counted = (
                    f'{count} running instances' if count else 'running instances (the API did not give their count)'
                )
                raise ApiError(
                    f"Zeebe refused to delete process {target['id']!r} version {target['version']} "
                    f"(key {target['key']}): it has {counted}. Let them complete or cancel them, then run "
                    f'again. ({exc.msg})',
                    status=exc.status,
                    title=exc.title,
                    detail=exc.detail,
                )
            raise
        return True
