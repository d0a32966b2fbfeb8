# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deployed resources: BPMN processes, DMN decisions and decision requirements, forms (the store).

The store is what other emulator modules (process instances, jobs) look definitions up in:

    store = app.deployments
    definition = store.latest('process', 'order-process', tenant_id='<default>')
    definition = store.by_key('2251799813685250')           # any kind; store.process_by_key(key) for processes
    definition.key, definition.version, definition.resource, definition.resource_name

Deleting a process definition asks `store.count_active_instances(process_definition_key) -> int`, a hook the
process-instance module sets (the default answers 0).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

DEFAULT_TENANT_ID = '<default>'
KINDS = ('process', 'decision', 'decision_requirements', 'form')


@dataclass(frozen=True)
class Definition:
    """One deployed version of one definition; several share a resource when a file declares several ids."""
    kind: str  # one of KINDS
    key: str  # the definition key (a string, as the /v2 API renders keys)
    definition_id: str  # bpmnProcessId / decisionId / decisionRequirementsId / formId
    version: int
    tenant_id: str
    resource_name: str
    resource: bytes  # the whole deployed file (the XML of a BPMN or DMN, the JSON of a form)
    checksum: str  # of the resource, as the engine's duplicate check compares it
    deployment_key: str
    name: str | None = None
    version_tag: str | None = None
    extra: dict = field(default_factory=dict)  # kind-specific fields, e.g. a decision's decisionRequirementsKey

    @property
    def xml(self):
        """The resource as the XML endpoints answer it (bytes)."""
        return self.resource


def no_active_instances(process_definition_key):  # pylint: disable=unused-argument
    return 0


class DeploymentStore:
    """Every deployed definition version, by key and by (kind, id, tenant); thread-safe through `lock`."""

    def __init__(self, new_key, count_active_instances=no_active_instances):
        self.new_key = new_key  # shared with the identity store, so keys are unique across the emulator
        self.count_active_instances = count_active_instances
        self.lock = threading.RLock()
        self._by_key = {}
        self._versions = {}  # (kind, definition id, tenant id) -> [Definition, ...] oldest first
        self.deployments = []  # every deployment record: {'deploymentKey', 'tenantId', 'keys'}

    # -- look-ups (other emulator modules use these) ----------------------------------------------

    def by_key(self, key):
        with self.lock:
            return self._by_key.get(str(key))

    def process_by_key(self, key):
        found = self.by_key(key)
        return found if found is not None and found.kind == 'process' else None

    def latest(self, kind, definition_id, tenant_id=DEFAULT_TENANT_ID):
        with self.lock:
            versions = self._versions.get((kind, definition_id, tenant_id))
            return versions[-1] if versions else None

    def latest_process(self, bpmn_process_id, tenant_id=DEFAULT_TENANT_ID):
        return self.latest('process', bpmn_process_id, tenant_id)

    def versions(self, kind, definition_id, tenant_id=DEFAULT_TENANT_ID):
        with self.lock:
            return list(self._versions.get((kind, definition_id, tenant_id), ()))

    def all(self, kind=None):
        with self.lock:
            return [d for d in self._by_key.values() if kind is None or d.kind == kind]

    # -- changes (the deployment handlers call these) ---------------------------------------------

    def add(self, definition):
        with self.lock:
            self._by_key[definition.key] = definition
            self._versions.setdefault((definition.kind, definition.definition_id, definition.tenant_id), []).append(
                definition)

    def remove(self, key):
        with self.lock:
            definition = self._by_key.pop(str(key), None)
            if definition is not None:
                versions = self._versions[(definition.kind, definition.definition_id, definition.tenant_id)]
                versions.remove(definition)
            return definition
