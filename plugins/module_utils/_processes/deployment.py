# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deploying BPMN, DMN and forms idempotently: the core of camunda_deployment.

For internal collection use only: no stable interface.

Zeebe's rules this core is built on (see docs/docsite/rst/guide_deployments.rst):

- a resource is a duplicate when the latest version of each id it declares has the same resource name and
  the same checksum; a deployment of duplicates only creates no version (but a deployment record);
- a deployment with at least one new resource versions everything in it together, duplicates included (since
  8.6, so that a binding by deployment always finds its target in the process's own deployment);
- the deployment key is generated before the keys of the versions it creates.

So ``present`` reads the latest version of every id (search, then its XML), groups the files into deployment
units (deployment_units: files that bind each other by deployment, or everything with deploy_together=all),
sends one deployment with every unit that has a differing member (or none), and tells a created version from a
returned one by its key: greater than the deployment key means created by this deployment. Forms cannot be read
back through the 8.8/8.9 API: a unit with a form and no known difference is sent in a deployment of its own, where
Zeebe's duplicate check decides alone, and check mode cannot predict it.
"""

from __future__ import annotations

import re

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import require_version
from ansible_collections.community.camunda.plugins.module_utils._processes.definitions import (
    DECISION,
    DECISION_REQUIREMENTS,
    DEFAULT_TENANT_ID,
    PROCESS,
    ids_filter,
    read_xml,
    search_all,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.multipart import multipart_form
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._processes.deployment_units import (
    TOGETHER_CHOICES,
    TOGETHER_LINKED,
    deployment_units,
)
from ansible_collections.community.camunda.plugins.module_utils._processes.removal import Removal
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import (
    DEFAULT_MAX_DEPLOYMENT_SIZE,
    FORMAT_VERSIONS,
    KIND_NOUNS,
    UNREADABLE_FORMATS,
    checksum,
    entry,
    read_resources,
    short_diff,
)

STATES = ('present', 'absent')

DEPLOYMENT_SPEC = module_spec(
    dict(
        src=dict(type='list', elements='path', required=True),
        tenant_id=dict(type='str'),
        state=dict(type='str', default='present', choices=list(STATES)),
        max_deployment_size=dict(type='int', default=DEFAULT_MAX_DEPLOYMENT_SIZE),
        deploy_together=dict(type='str', default=TOGETHER_LINKED, choices=list(TOGETHER_CHOICES)),
    )
)

# Where each kind's key and version are in a DeploymentMetadataResult.
ANSWER_FIELDS = {
    'processDefinition': ('process', 'processDefinitionId', 'processDefinitionKey', 'processDefinitionVersion'),
    'decisionDefinition': ('decision', 'decisionDefinitionId', 'decisionDefinitionKey', 'version'),
    'decisionRequirements': ('decision_requirements', 'decisionRequirementsId', 'decisionRequirementsKey', 'version'),
    'form': ('form', 'formId', 'formKey', 'version'),
    'resource': ('resource', 'resourceId', 'resourceKey', 'version'),  # RPA scripts and generic resources
}
# A resource named at the start of a line of Zeebe's rejection: 'order.bpmn': ...
REJECTED_RESOURCE = re.compile(r"^'([^']+)':", re.MULTILINE)


def run_deployment(options, context):
    if options.get('max_deployment_size') <= 0:
        raise ConfigurationError(
            'max_deployment_size must be a positive number of bytes (the gateway default is '
            f'{DEFAULT_MAX_DEPLOYMENT_SIZE}).'
        )
    resources = read_resources(options.get('src'))
    tenant_id = options.get('tenant_id') or DEFAULT_TENANT_ID
    with CamundaClient(options, context) as client:
        if options.get('state') == 'absent':
            return Removal(client, context, resources, tenant_id).run()
        for format_, (minimum, what) in sorted(FORMAT_VERSIONS.items()):
            named = [r.name for r in resources if r.format == format_]
            if named:  # fails before anything is sent; an unknown version lets Zeebe answer for itself
                require_version(client, minimum, f"Deploying {what}: {', '.join(named)}")
        return Deployment(
            client, context, resources, tenant_id, options.get('max_deployment_size'), options.get('deploy_together')
        ).run()


class Deployment(object):
    """state=present: read the latest versions, send what differs, report every declared id."""

    def __init__(self, client, context, resources, tenant_id, max_size, together=TOGETHER_LINKED):
        self.client = client
        self.context = context
        self.resources = resources
        self.tenant_id = tenant_id
        self.max_size = max_size
        self.together = together
        self._xml = {}
        self._unknown = set()  # files whose deployed version has no XML to compare (204)

    def run(self):
        units = deployment_units(self.resources, self.together)  # a missing target fails before any request
        latest = self.read_latest()
        reasons = {
            resource.path: self.differences(resource, latest)
            for resource in self.resources
            if resource.format not in UNREADABLE_FORMATS
        }
        # A unit with a differing member is sent whole; one with a member that cannot be read back (a form, an
        # RPA script, a generic resource, a definition without XML) and no difference is left to Zeebe.
        differing = [resource for unit in units if any(reasons.get(r.path) for r in unit) for resource in unit]
        undecided = [
            unit
            for unit in units
            if not any(reasons.get(r.path) for r in unit)
            and any(r.format in UNREADABLE_FORMATS or r.path in self._unknown for r in unit)
        ]
        self.check_size(differing)
        for unit in undecided:
            self.check_size(unit)
        entries = {}
        for resource in self.resources:
            for declared in resource.declared:
                known = latest.get((declared.kind, declared.id)) or {}
                entries[(resource.path, declared.kind, declared.id)] = entry(
                    resource, declared, known.get('key'), known.get('version')
                )
        deployment_key = None
        if self.context.check_mode:
            for resource in differing:  # the key and version of a new version are known only once it exists
                for declared in resource.declared:
                    entries[(resource.path, declared.kind, declared.id)].update(key=None, version=None, changed=True)
            if undecided:
                self.context.warn(
                    'check mode cannot tell whether these files (and the files deployed with them) would '
                    'get a new version (the API gives no deployed form, RPA script or generic resource by '
                    'id, nor a definition without XML): '
                    + ', '.join(
                        r.name
                        for unit in undecided
                        for r in unit
                        if r.format in UNREADABLE_FORMATS or r.path in self._unknown
                    )
                )
        else:
            if differing:
                deployment_key = self.deploy(differing, entries)
            for unit in undecided:
                self.deploy(unit, entries)
        result = {
            'changed': any(item['changed'] for item in entries.values()),
            'resources': list(entries.values()),
            'deployment_key': deployment_key,
            'tenant_id': self.tenant_id,
        }
        if self.context.diff:
            result['diff'] = {'prepared': self.diff_text(differing, undecided, reasons, latest)}
        return result

    # -- read -------------------------------------------------------------------------------------

    def read_latest(self):
        """(kind, id) -> {'key', 'version', 'resourceName', 'drg_key'} of the latest deployed version."""
        latest = {}
        process_ids = [d.id for r in self.resources for d in r.declared if d.kind == 'process']
        if process_ids:
            for item in search_all(
                self.client,
                PROCESS,
                {'processDefinitionId': ids_filter(process_ids), 'tenantId': self.tenant_id},
                latest_only=True,
            ):
                latest[('process', item['processDefinitionId'])] = {
                    'key': item['processDefinitionKey'],
                    'version': item['version'],
                    'resourceName': item.get('resourceName'),
                }
        for resource in self.resources:
            for declared in resource.declared:
                if declared.kind == 'decision_requirements':
                    found = search_all(
                        self.client,
                        DECISION_REQUIREMENTS,
                        {'decisionRequirementsId': declared.id, 'tenantId': self.tenant_id},
                        latest_only=True,
                    )
                    for item in found:
                        latest[('decision_requirements', declared.id)] = {
                            'key': item['decisionRequirementsKey'],
                            'version': item['version'],
                            'resourceName': item.get('resourceName'),
                        }
                elif declared.kind == 'decision':
                    found = search_all(
                        self.client,
                        DECISION,
                        {'decisionDefinitionId': declared.id, 'tenantId': self.tenant_id},
                        latest_only=True,
                    )
                    for item in found:
                        latest[('decision', declared.id)] = {
                            'key': item['decisionDefinitionKey'],
                            'version': item['version'],
                            'drg_key': item.get('decisionRequirementsKey'),
                        }
        return latest

    def deployed_xml(self, kind, key):
        if key not in self._xml:
            self._xml[key] = read_xml(self.client, kind, key)
        return self._xml[key]

    def differences(self, resource, latest):
        """Why Zeebe would make a new version of this file (empty: it is a duplicate of the latest versions)."""
        reasons = []
        if resource.format == 'bpmn':
            for declared in resource.declared:
                reasons.extend(self._differs(resource, declared, latest.get(('process', declared.id)), PROCESS))
        else:
            drg = [d for d in resource.declared if d.kind == 'decision_requirements'][0]
            known = latest.get(('decision_requirements', drg.id))
            reasons.extend(self._differs(resource, drg, known, DECISION_REQUIREMENTS))
            if known and not reasons:
                for declared in resource.declared:
                    decision = latest.get(('decision', declared.id))
                    if declared.kind == 'decision' and (decision is None or decision.get('drg_key') != known['key']):
                        reasons.append(
                            f"decision {declared.id!r} is not part of the latest decision requirements "
                            f"{drg.id!r} (version {known['version']})"
                        )
        return reasons

    def _differs(self, resource, declared, known, kind):
        noun = KIND_NOUNS[declared.kind]
        if known is None:
            return [f'{noun} {declared.id!r} is not deployed in tenant {self.tenant_id!r}']
        if known.get('resourceName') != resource.name:
            return [
                f"{noun} {declared.id!r} version {known['version']} was deployed as {known.get('resourceName')!r}, "
                f'not {resource.name!r}: Zeebe sees a new resource name'
            ]
        deployed = self.deployed_xml(kind, known['key'])
        if deployed is None:  # 204: the cluster keeps no XML for it; Zeebe's duplicate check decides
            self._unknown.add(resource.path)
            return []
        if checksum(deployed) != resource.checksum:
            return [f"{noun} {declared.id!r}: the file differs from version {known['version']}"]
        return []

    # -- write ------------------------------------------------------------------------------------

    def body(self, resources):
        fields = [] if self.tenant_id == DEFAULT_TENANT_ID else [('tenantId', self.tenant_id)]
        files = [('resources', r.name, r.content, r.content_type) for r in resources]
        return multipart_form(fields, files)

    def check_size(self, resources):
        if not resources:
            return
        size = len(self.body(resources))
        if size > self.max_size:
            largest = sorted(resources, key=lambda r: len(r.content), reverse=True)[:5]
            named = ', '.join(f'{r.name} ({len(r.content)} bytes)' for r in largest)
            raise ConfigurationError(
                f'The deployment would be {size} bytes, more than max_deployment_size {self.max_size} (the gateway '
                f'refuses larger messages; its default maximum is {DEFAULT_MAX_DEPLOYMENT_SIZE} bytes). Largest files: '
                f'{named}. Deploy the files in several tasks, or raise max_deployment_size to the gateway\'s '
                'configured maximum message size.'
            )

    def deploy(self, resources, entries):
        """One deployment of ``resources``; fills their entries from Zeebe's answer; returns the deployment key."""
        try:
            answer = self.client.call_json('POST', 'deployments', self.body(resources), expected=(200,))
        except ApiError as exc:
            if exc.status == 400:
                raise self.rejection(exc, resources)
            raise
        deployment_key = answer.get('deploymentKey')
        for item in answer.get('deployments') or []:
            for field, (kind, id_field, key_field, version_field) in ANSWER_FIELDS.items():
                found = item.get(field)
                if not found:
                    continue
                for resource in resources:
                    ident = (resource.path, kind, found.get(id_field))
                    if ident in entries and found.get('resourceName', resource.name) == resource.name:
                        entries[ident].update(
                            key=found.get(key_field),
                            version=found.get(version_field),
                            changed=created_by(found.get(key_field), deployment_key),
                        )
        return deployment_key

    def rejection(self, exc, resources):
        detail = exc.detail or exc.msg
        by_name = {r.name: r.path for r in resources}
        named = [name for name in REJECTED_RESOURCE.findall(detail) if name in by_name]
        concerned = ', '.join(f'{name} ({by_name[name]})' for name in dict.fromkeys(named)) or ', '.join(
            r.name for r in resources
        )
        return ApiError(
            f'Camunda rejected the deployment of {concerned}: {detail}',
            status=exc.status,
            title=exc.title,
            detail=detail,
        )

    # -- diff -------------------------------------------------------------------------------------

    def diff_text(self, differing, undecided, reasons, latest):
        parts = []
        changed = [r.name for r in differing if reasons.get(r.path)]
        for resource in differing:
            why = reasons.get(resource.path)
            if not why:
                parts.append(
                    f'{resource.name} ({resource.path}) gets a new version with '
                    + ', '.join(changed)
                    + ': it is deployed together with them (bound by deployment, or deploy_together=all)'
                )
                continue
            parts.append(f'{resource.name} ({resource.path}) gets a new version: ' + '; '.join(why))
            shown = self._deployed_text(resource, latest)
            if shown is not None:
                label, before = shown
                parts.append(short_diff(before, resource.text(), label, f'{resource.path} (local)'))
        for unit in undecided:
            parts.append(
                ', '.join(f'{r.name} ({r.path})' for r in unit) + ' sent in a deployment of its own; Zeebe '
                'keeps their versions when all are unchanged (forms, RPA scripts and generic resources '
                'cannot be read back by id)'
            )
        return '\n'.join(parts) + ('\n' if parts else '')

    def _deployed_text(self, resource, latest):
        first = resource.declared[0]
        kind = PROCESS if first.kind == 'process' else DECISION_REQUIREMENTS
        known = latest.get((first.kind, first.id))
        if known is None:
            return None
        deployed = self.deployed_xml(kind, known['key'])
        if deployed is None:
            return None
        label = (
            f"deployed {known.get('resourceName')} ({KIND_NOUNS[first.kind]} {first.id}, version {known['version']})"
        )
        return label, deployed.decode('utf-8', 'replace')


def created_by(key, deployment_key):
    """Whether a version was created by the deployment: its key was generated after the deployment key."""
    try:
        return int(key) > int(deployment_key)
    except (TypeError, ValueError):
        return False
