# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Deployed resources: BPMN processes, DMN decisions and decision requirements, forms.

The store is what other emulator modules (process instances, jobs) look definitions up in:

    store = app.deployments
    definition = store.latest('process', 'order-process', tenant_id='<default>')
    definition = store.by_key('2251799813685250')           # any kind; store.process_by_key(key) for processes
    definition.key, definition.version, definition.resource, definition.resource_name

Deleting a process definition asks `store.count_active_instances(process_definition_key) -> int`, a hook the
process-instance module sets (the default answers 0).

The engine behaviour modelled here (sources in tests/support/README.md, "Deployments"):

- a resource is a duplicate when the latest version of each id it declares has the same resource name and
  the same MD5 checksum of the resource bytes; a deployment of duplicates only creates nothing new and
  answers the existing keys and versions (but still gets a new deployment key);
- a deployment with at least one non-duplicate versions every resource in it together: the duplicates in it
  get new versions too (since 8.6, for bindingType="deployment");
- a static target of a deployment binding (call activity, business rule task, linked form; from 8.10 also a
  task's linked resource, a form when typed so, else a generic resource) in an executable process must be in
  the same deployment, else the deployment is rejected (INVALID_ARGUMENT); an expression target (=...) is not
  checked;
- the deployment key is generated before the resources' keys, so a key greater than the deployment key is a
  version this deployment created;
- processes and forms take the next version after the highest ever deployed (deleted versions are not
  reused); decisions and decision requirements take the latest version + 1;
- a BPMN resource needs at least one executable process; ids must be unique within one deployment;
- deleting a process definition with running instances is rejected (INVALID_STATE, 409).
"""

from __future__ import annotations

import email.parser
import email.policy
import hashlib
import json
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from urllib.parse import unquote

from .cluster import release
from .errors import ApiError, bad_request, rejected
from .messages import Response, json_response
from .search import SearchSpec, search
from .validation import check_identifier, parse_json_body, reject_unknown_fields, require_object

DEFAULT_TENANT_ID = '<default>'
KINDS = ('process', 'decision', 'decision_requirements', 'form', 'resource')
# The cluster versions that brought a transformer: .rpa scripts (8.7), any other file as a generic resource (8.10).
RPA_VERSION = (8, 7)
GENERIC_VERSION = (8, 10)
# The release that checks a zeebe:linkedResource bound by deployment when deploying; before, a missing one is a
# RESOURCE_NOT_FOUND incident when the job is created, which this emulator does not model.
LINKED_RESOURCE_CHECK_VERSION = (8, 10)
EVERY_RELEASE = (0, 0)  # checked on every release this emulator runs
BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0'
XML_CONTENT_TYPE = 'text/xml'
# The release whose ProcessDefinitionResult gained the required `state` (ACTIVE, DRAINING, DELETED).
STATE_OF_DEFINITIONS_SINCE = (8, 9, 14)


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
    checksum: str  # MD5 of the resource, as the engine's duplicate check compares it
    deployment_key: str
    name: str | None = None
    version_tag: str | None = None
    extra: dict = field(default_factory=dict)  # kind-specific fields, e.g. a decision's decisionRequirementsKey
    visible_at: float = 0.0  # when searches (secondary storage) see it; the engine sees it at once

    @property
    def xml(self):
        """The resource as the XML endpoints answer it (bytes)."""
        return self.resource


def no_active_instances(process_definition_key):  # pylint: disable=unused-argument
    return 0


class DeploymentStore:
    """Every deployed definition version, by key and by (kind, id, tenant); thread-safe through `lock`."""

    def __init__(self, new_key, count_active_instances=no_active_instances, clock=time.monotonic, key_lock=None):
        self._new_key = new_key  # shared with the identity store, so keys are unique across the emulator
        self._key_lock = key_lock or threading.Lock()  # the lock that guards that key counter
        self.count_active_instances = count_active_instances
        self.clock = clock
        self.lock = threading.RLock()
        self._by_key = {}
        self._versions = {}  # (kind, definition id, tenant id) -> [Definition, ...] oldest first
        self._highest = {}  # (kind, definition id, tenant id) -> highest version ever deployed
        self.deployments = []  # every deployment: {'deploymentKey', 'tenantId', 'keys'}

    def new_key(self):
        with self._key_lock:
            return self._new_key()

    # -- look-ups (other emulator modules use these; they see the engine's state, without read lag) ---

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

    def visible(self, kind):
        """What a search sees: definitions whose read lag has passed."""
        now = self.clock()
        return [d for d in self.all(kind) if d.visible_at <= now]

    def next_version(self, kind, definition_id, tenant_id):
        with self.lock:
            ident = (kind, definition_id, tenant_id)
            if kind in ('process', 'form'):
                return self._highest.get(ident, 0) + 1
            latest = self.latest(kind, definition_id, tenant_id)
            return latest.version + 1 if latest else 1

    # -- changes ----------------------------------------------------------------------------------

    def add(self, definition):
        with self.lock:
            ident = (definition.kind, definition.definition_id, definition.tenant_id)
            self._by_key[definition.key] = definition
            self._versions.setdefault(ident, []).append(definition)
            self._highest[ident] = max(self._highest.get(ident, 0), definition.version)

    def remove(self, key):
        with self.lock:
            definition = self._by_key.pop(str(key), None)
            if definition is not None:
                self._versions[(definition.kind, definition.definition_id, definition.tenant_id)].remove(definition)
            return definition


# -- reading resources ----------------------------------------------------------------------------


class ResourceError(Exception):
    """One resource's failure, as the engine lists it in its rejection."""


@dataclass
class Declared:
    """One definition a resource declares, before versioning."""

    kind: str
    definition_id: str
    name: str | None = None
    version_tag: str | None = None


def local_name(tag):
    return tag.rsplit('}', 1)[-1]


def namespace(tag):
    return tag[1:].split('}', 1)[0] if tag.startswith('{') else ''


def parse_xml(name, content):
    try:
        return ET.fromstring(content)
    except ET.ParseError as error:
        raise ResourceError(f"'{name}': {error}") from None


def version_tag_of(element):
    for child in element.iter(f'{{{ZEEBE_NS}}}versionTag'):
        return child.get('value')
    return None


def declared_in_bpmn(name, content):
    root = parse_xml(name, content)
    if local_name(root.tag) != 'definitions' or namespace(root.tag) != BPMN_NS:
        raise ResourceError(f"'{name}': the root element is not a BPMN 2.0 definitions element")
    processes = [p for p in root if p.tag == f'{{{BPMN_NS}}}process']
    executable = [p for p in processes if (p.get('isExecutable') or '').lower() == 'true']
    if not executable:
        raise ResourceError(
            f"'{name}': - Element: {root.get('id') or 'definitions'}\n"
            "    - ERROR: Must contain at least one executable process"
        )
    declared = []
    for process in executable:
        process_id = process.get('id')
        if not process_id:
            raise ResourceError(f"'{name}': - Element: process\n    - ERROR: Attribute 'id' is required")
        if process.find(f'{{{BPMN_NS}}}startEvent') is None:  # one of the engine's many model checks
            raise ResourceError(f"'{name}': - Element: {process_id}\n    - ERROR: Must have at least one start event")
        declared.append(Declared('process', process_id, process.get('name'), version_tag_of(process)))
    return declared


def declared_in_dmn(name, content):
    root = parse_xml(name, content)
    if local_name(root.tag) != 'definitions' or '/spec/DMN/' not in namespace(root.tag):
        raise ResourceError(f"'{name}': FAILED TO PARSE DMN: the root element is not a DMN definitions element")
    drg_id = root.get('id')
    if not drg_id:
        raise ResourceError(f"'{name}': FAILED TO PARSE DMN: the definitions element has no id")
    decisions = [d for d in root if local_name(d.tag) == 'decision']
    if not decisions:
        raise ResourceError(f"'{name}': The decision requirements graph contains no decisions")
    declared = [Declared('decision_requirements', drg_id, root.get('name'))]
    for decision in decisions:
        if not decision.get('id'):
            raise ResourceError(f"'{name}': FAILED TO PARSE DMN: a decision has no id")
        declared.append(Declared('decision', decision.get('id'), decision.get('name'), version_tag_of(decision)))
    return declared


def declared_in_rpa(name, content):
    """An RPA script: its JSON `id` is the resource id (and `versionTag`, optional)."""
    declared = declared_in_form(name, content)[0]
    return [Declared('resource', declared.definition_id, None, declared.version_tag)]


def declared_in_generic(name, content):  # pylint: disable=unused-argument
    """Any other file (8.10): its name is the resource id."""
    return [Declared('resource', name)]


def is_bpmn(content):
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return False
    return local_name(root.tag) == 'definitions' and namespace(root.tag) == BPMN_NS


def declared_in_form(name, content):
    try:
        form = json.loads(content)
    except (ValueError, UnicodeDecodeError) as error:
        raise ResourceError(f"Failed to parse form JSON. '{name}': {error}") from None
    if not isinstance(form, dict) or form.get('id') is None:
        raise ResourceError('Expected the form id to be present, but none given')
    if not isinstance(form['id'], str) or not form['id'].strip():
        raise ResourceError('Expected the form id to be filled, but it is blank')
    return [Declared('form', form['id'], None, form.get('versionTag'))]


# The engine picks a transformer by the end of the resource name.
READERS = (
    ('.bpmn', declared_in_bpmn),
    ('.xml', declared_in_bpmn),
    ('.dmn', declared_in_dmn),
    ('.form', declared_in_form),
)


def declared_in(name, content, version=(8, 8)):
    """What a resource declares, read by the transformer its name picks on a cluster of ``version``."""
    if version >= GENERIC_VERSION and name.endswith('.xml') and not is_bpmn(content):
        return declared_in_generic(name, content)  # an .xml that is not BPMN is a generic resource from 8.10
    for suffix, reader in READERS:
        if name.endswith(suffix):
            return reader(name, content)
    if version >= RPA_VERSION and name.endswith('.rpa'):
        return declared_in_rpa(name, content)
    if version >= GENERIC_VERSION:
        return declared_in_generic(name, content)
    raise ResourceError(f"'{name}': unknown resource type")


# -- multipart/form-data --------------------------------------------------------------------------


def parse_multipart(request):
    """[(part name, file name or None, bytes)] of a multipart/form-data body; 415/400 as the gateway answers."""
    content_type = request.headers.get('Content-Type') or ''
    if content_type.split(';', 1)[0].strip().lower() != 'multipart/form-data':
        raise ApiError(415, f"Content-Type '{content_type or 'none'}' is not supported; use multipart/form-data.")
    head = f'Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n'.encode('latin-1')
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + request.body)
    if not message.is_multipart():
        raise bad_request('The multipart request body could not be read (no parts, or no boundary).')
    parts = []
    for part in message.iter_parts():
        disposition = part.get('Content-Disposition')
        if disposition is None or part.get_content_disposition() != 'form-data':
            raise bad_request('Every part of a multipart/form-data body needs Content-Disposition: form-data.')
        parts.append(
            (
                part.get_param('name', header='content-disposition'),
                part.get_filename(),
                part.get_payload(decode=True) or b'',
            )
        )
    return parts


# -- the API ----------------------------------------------------------------------------------------


def _key_order(definition):
    return int(definition.key)


PROCESS_SEARCH = SearchSpec(
    filters={
        name: ('string', name)
        for name in ('name', 'resourceName', 'versionTag', 'processDefinitionId', 'tenantId', 'processDefinitionKey')
    },
    sort_fields=(
        'processDefinitionKey',
        'name',
        'resourceName',
        'version',
        'versionTag',
        'processDefinitionId',
        'tenantId',
    ),
)
DECISION_SEARCH = SearchSpec(
    filters={
        name: ('exact', name)
        for name in (
            'decisionDefinitionId',
            'name',
            'decisionRequirementsId',
            'tenantId',
            'decisionDefinitionKey',
            'decisionRequirementsKey',
            'decisionRequirementsName',
        )
    },
    sort_fields=(
        'decisionDefinitionKey',
        'decisionDefinitionId',
        'name',
        'version',
        'decisionRequirementsId',
        'decisionRequirementsKey',
        'decisionRequirementsName',
        'decisionRequirementsVersion',
        'tenantId',
    ),
)
DRG_SEARCH = SearchSpec(
    filters={
        name: ('exact', name)
        for name in (
            'decisionRequirementsName',
            'decisionRequirementsId',
            'decisionRequirementsKey',
            'tenantId',
            'resourceName',
        )
    },
    sort_fields=(
        'decisionRequirementsKey',
        'decisionRequirementsName',
        'version',
        'decisionRequirementsId',
        'tenantId',
    ),
)
# Filters that are not strings: handled before the shared search() sees the filter.
INTEGER_FILTERS = {'version', 'decisionRequirementsVersion'}
BOOLEAN_FILTERS = {'isLatestVersion', 'hasStartForm'}


def process_result(d):
    return {
        'name': d.name,
        'resourceName': d.resource_name,
        'version': d.version,
        'versionTag': d.version_tag,
        'processDefinitionId': d.definition_id,
        'tenantId': d.tenant_id,
        'processDefinitionKey': d.key,
        'hasStartForm': bool(d.extra.get('hasStartForm')),
    }


def decision_result(d):
    return {
        'decisionDefinitionId': d.definition_id,
        'decisionDefinitionKey': d.key,
        'name': d.name,
        'version': d.version,
        'tenantId': d.tenant_id,
        **{
            name: d.extra[name]
            for name in (
                'decisionRequirementsId',
                'decisionRequirementsKey',
                'decisionRequirementsName',
                'decisionRequirementsVersion',
            )
        },
    }


def drg_result(d):
    return {
        'decisionRequirementsId': d.definition_id,
        'decisionRequirementsKey': d.key,
        'decisionRequirementsName': d.name,
        'version': d.version,
        'resourceName': d.resource_name,
        'tenantId': d.tenant_id,
    }


RESULTS = {'process': process_result, 'decision': decision_result, 'decision_requirements': drg_result}
SPECS = {'process': PROCESS_SEARCH, 'decision': DECISION_SEARCH, 'decision_requirements': DRG_SEARCH}
NOUNS = {
    'process': 'Process definition',
    'decision': 'Decision definition',
    'decision_requirements': 'Decision requirements',
}


class DeploymentApi:
    """Handlers of /v2/deployments, the definition searches and XML, and resource deletion."""

    def __init__(self, store, settings):
        self.store = store
        self.settings = settings  # read_lag_s()

    def routes(self):
        return [
            ('POST', '/v2/deployments', self.deploy),
            ('POST', '/v2/resources/{resourceKey}/deletion', self.delete_resource),
            ('POST', '/v2/process-definitions/search', self.search('process')),
            ('GET', '/v2/process-definitions/{processDefinitionKey}', self.get('process')),
            ('GET', '/v2/process-definitions/{processDefinitionKey}/xml', self.xml('process')),
            ('POST', '/v2/decision-definitions/search', self.search('decision')),
            ('GET', '/v2/decision-definitions/{decisionDefinitionKey}', self.get('decision')),
            ('GET', '/v2/decision-definitions/{decisionDefinitionKey}/xml', self.xml('decision')),
            ('POST', '/v2/decision-requirements/search', self.search('decision_requirements')),
            ('GET', '/v2/decision-requirements/{decisionRequirementsKey}', self.get('decision_requirements')),
            ('GET', '/v2/decision-requirements/{decisionRequirementsKey}/xml', self.xml('decision_requirements')),
        ]

    # -- deploy -----------------------------------------------------------------------------------

    def deploy(self, call):
        resources, tenant_id = self._deployment_parts(parse_multipart(call.request))
        with self.store.lock:
            deployment_key = self.store.new_key()  # before the resources' keys, as the engine does
            planned = self._plan(resources, tenant_id)
            duplicates_only = all(entry['duplicate'] is not None for entry in planned)
            created = [] if duplicates_only else self._create(planned, tenant_id, deployment_key)
            self.store.deployments.append(
                {'deploymentKey': deployment_key, 'tenantId': tenant_id, 'keys': [d.key for d in created]}
            )
            answered = [entry['duplicate'] for entry in planned] if duplicates_only else created
        order = {kind: index for index, kind in enumerate(KINDS)}
        items = [deployment_item(d) for d in sorted(answered, key=lambda d: order[d.kind])]
        return json_response(200, {'deploymentKey': deployment_key, 'tenantId': tenant_id, 'deployments': items})

    @staticmethod
    def _deployment_parts(parts):
        resources, tenant_id = [], DEFAULT_TENANT_ID
        for name, filename, content in parts:
            if name == 'resources':
                resources.append((filename or 'unnamed', content))
            elif name == 'tenantId':
                tenant_id = content.decode('utf-8', 'replace').strip()
                # Camunda's TenantId pattern admits '<default>' besides ordinary identifiers.
                if tenant_id != DEFAULT_TENANT_ID:
                    check_identifier('tenantId', tenant_id)
            else:
                raise bad_request(f"Request property [{name}] is not supported; allowed: ['resources', 'tenantId'].")
        if not resources:
            raise ApiError(
                400, rejected('CREATE', 'INVALID_ARGUMENT', 'Expected to deploy at least one resource, but none given')
            )
        return resources, tenant_id

    def cluster_version(self):
        shape = getattr(self.settings, 'cluster', None)
        text = (shape.gateway_version or shape.version) if shape is not None else '8.8'
        return tuple(int(part) if part.isdigit() else 0 for part in str(text).split('-', 1)[0].split('.')[:2])

    def _plan(self, resources, tenant_id):
        """Each declared definition with the latest version it duplicates (or None); 400 listing every failure."""
        errors, planned, seen = [], [], {}
        for name, content in resources:
            try:
                declared = declared_in(name, content, self.cluster_version())
                for entry in declared:
                    ident = (entry.kind, entry.definition_id)
                    if ident in seen:
                        raise ResourceError(duplicate_id_text(entry, seen[ident], name))
                for entry in declared:
                    seen[(entry.kind, entry.definition_id)] = name
            except ResourceError as error:
                errors.append(str(error))
                continue
            checksum = hashlib.md5(content).hexdigest()  # nosec - the engine's own duplicate checksum
            for entry in declared:
                latest = self.store.latest(entry.kind, entry.definition_id, tenant_id)
                same = latest is not None and latest.checksum == checksum and latest.resource_name == name
                planned.append(
                    {
                        'declared': entry,
                        'name': name,
                        'content': content,
                        'checksum': checksum,
                        'duplicate': latest if same else None,
                    }
                )
        if not errors:
            in_deployment = {(entry['declared'].kind, entry['declared'].definition_id) for entry in planned}
            errors = [
                error
                for name, content in resources
                if name.endswith(('.bpmn', '.xml'))
                for error in [binding_errors(name, content, in_deployment, self.cluster_version())]
                if error
            ]
        if errors:
            raise ApiError(
                400,
                rejected(
                    'CREATE',
                    'INVALID_ARGUMENT',
                    ('Expected to deploy new resources, but encountered the following errors:\n' + '\n'.join(errors)),
                ),
            )
        self._drg_duplicates_need_their_decisions(planned, tenant_id)
        return planned

    def _drg_duplicates_need_their_decisions(self, planned, tenant_id):
        """A DRG is a duplicate only while the latest of each of its decisions still belongs to it."""
        for entry in planned:
            if entry['declared'].kind != 'decision_requirements' or entry['duplicate'] is None:
                continue
            drg_key = entry['duplicate'].key
            decisions = [
                other for other in planned if other['name'] == entry['name'] and other['declared'].kind == 'decision'
            ]
            for decision in decisions:
                latest = self.store.latest('decision', decision['declared'].definition_id, tenant_id)
                if latest is None or latest.extra.get('decisionRequirementsKey') != drg_key:
                    entry['duplicate'] = None
            for decision in decisions:
                if entry['duplicate'] is None:
                    decision['duplicate'] = None

    def _create(self, planned, tenant_id, deployment_key):
        """Every planned definition as a new version (versioned together); decisions after their DRG."""
        created, drg_of = [], {}
        lag = self.settings.read_lag_s()
        ordered = sorted(planned, key=lambda entry: entry['declared'].kind != 'decision_requirements')
        for entry in ordered:
            declared = entry['declared']
            extra = {}
            if declared.kind == 'decision':
                drg = drg_of[entry['name']]
                extra = {
                    'decisionRequirementsId': drg.definition_id,
                    'decisionRequirementsKey': drg.key,
                    'decisionRequirementsName': drg.name,
                    'decisionRequirementsVersion': drg.version,
                }
            elif declared.kind == 'process':
                extra = {'hasStartForm': has_start_form(entry['content'], declared.definition_id)}
            definition = Definition(
                kind=declared.kind,
                key=self.store.new_key(),
                definition_id=declared.definition_id,
                version=self.store.next_version(declared.kind, declared.definition_id, tenant_id),
                tenant_id=tenant_id,
                resource_name=entry['name'],
                resource=entry['content'],
                checksum=entry['checksum'],
                deployment_key=deployment_key,
                name=declared.name,
                version_tag=declared.version_tag,
                extra=extra,
                visible_at=self.store.clock() + lag,
            )
            self.store.add(definition)
            if declared.kind == 'decision_requirements':
                drg_of[entry['name']] = definition
            created.append(definition)
        return created

    # -- read -------------------------------------------------------------------------------------

    def search(self, kind):
        def handler(call):
            body = parse_json_body(call.request)
            body = {} if body is None else dict(require_object(body))
            filters = dict(require_object(body['filter'])) if body.get('filter') is not None else {}
            special = {name: filters.pop(name) for name in list(filters) if name in INTEGER_FILTERS | BOOLEAN_FILTERS}
            reject_unknown_fields(filters, set(SPECS[kind].filters) | INTEGER_FILTERS | BOOLEAN_FILTERS)
            body['filter'] = filters
            with self.store.lock:
                found = sorted(self.store.visible(kind), key=_key_order)
            latest_only = special.pop('isLatestVersion', None) is True
            if latest_only:
                latest = {}
                for definition in found:
                    ident = (definition.definition_id, definition.tenant_id)
                    if ident not in latest or definition.version > latest[ident].version:
                        latest[ident] = definition
                found = sorted(latest.values(), key=_key_order)
            items = [self._result(kind, d) for d in found]
            for name, wanted in special.items():
                check_special_filter(name, wanted)
                items = [item for item in items if wanted is None or item.get(name) == wanted]
            answer = search(items, body, SPECS[kind])
            if latest_only:  # only forward paging with `after` is offered: no start cursor
                answer['page']['startCursor'] = None
            return json_response(200, answer)

        return handler

    def _result(self, kind, definition):
        result = RESULTS[kind](definition)
        cluster = getattr(self.settings, 'cluster', None)
        if kind == 'process' and cluster is not None and release(cluster.version) >= STATE_OF_DEFINITIONS_SINCE:
            result['state'] = 'ACTIVE'  # a deleted definition is gone from the store; none drains here
        return result

    def _visible(self, kind, call):
        key = unquote(call.params[0])
        definition = self.store.by_key(key)
        if definition is None or definition.kind != kind or definition.visible_at > self.store.clock():
            raise ApiError(404, f"{NOUNS[kind]} with key '{key}' not found")
        return definition

    def get(self, kind):
        def handler(call):
            return json_response(200, self._result(kind, self._visible(kind, call)))

        return handler

    def xml(self, kind):
        def handler(call):
            check_accepts_xml(call.request)
            definition = self._visible(kind, call)
            if kind == 'decision':  # a decision's XML is the XML of its decision requirements graph
                definition = self.store.by_key(definition.extra['decisionRequirementsKey']) or definition
            return Response(200, definition.resource, XML_CONTENT_TYPE)

        return handler

    # -- delete -----------------------------------------------------------------------------------

    def delete_resource(self, call):
        key = unquote(call.params[0])
        body = parse_json_body(call.request)
        if body is not None:
            body = require_object(body)
            reject_unknown_fields(body, {'operationReference', 'deleteHistory'})
        definition = self.store.by_key(key)
        if definition is None or definition.kind == 'decision':
            raise ApiError(
                404,
                rejected('DELETE', 'NOT_FOUND', f'Expected to delete resource but no resource found with key `{key}`'),
            )
        # Asked outside the store's lock: the process engine takes its own lock, then looks definitions up.
        if definition.kind == 'process' and self.store.count_active_instances(definition.key) > 0:
            raise ApiError(
                409,
                rejected(
                    'DELETE',
                    'INVALID_STATE',
                    (f'Expected to delete resource with key `{key}` but there are still running instances'),
                ),
                title='INVALID_STATE',
            )
        with self.store.lock:
            self.store.remove(definition.key)
            if definition.kind == 'decision_requirements':
                for decision in self.store.all('decision'):
                    if decision.extra.get('decisionRequirementsKey') == definition.key:
                        self.store.remove(decision.key)
        return json_response(200, {'resourceKey': key, 'batchOperation': None})


# What the XML endpoints declare they produce (`produces` of the controllers' @CamundaGetMapping): the XML, and
# problem JSON for their errors. Spring matches the request's Accept against both, then answers text/xml, which
# the controller sets on the response itself; so the Java client's `Accept: application/json,
# application/problem+json` gets the XML, and only an Accept that names neither is refused.
XML_ENDPOINT_PRODUCES = (XML_CONTENT_TYPE, 'application/problem+json')
ACCEPTABLE_FOR_XML = ('*/*', 'text/*', 'application/*', *XML_ENDPOINT_PRODUCES)


def check_accepts_xml(request):
    """An Accept compatible with neither text/xml nor problem JSON is refused (406), as Spring's negotiation does."""
    accept = request.headers.get('Accept') or '*/*'
    ranges = [part.split(';', 1)[0].strip().lower() for part in accept.split(',')]
    if not any(media in ACCEPTABLE_FOR_XML for media in ranges):
        raise ApiError(
            406,
            (
                f"No acceptable representation: the endpoint produces {', '.join(XML_ENDPOINT_PRODUCES)}, "
                f"not '{accept}'."
            ),
            title='NOT_ACCEPTABLE',
        )


def check_special_filter(name, wanted):
    if wanted is None:
        return
    if name in INTEGER_FILTERS and (isinstance(wanted, bool) or not isinstance(wanted, int)):
        raise bad_request(f'The filter {name} must be an integer.')
    if name in BOOLEAN_FILTERS and not isinstance(wanted, bool):
        raise bad_request(f'The filter {name} must be a boolean.')


def has_start_form(content, process_id):
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return False
    for process in root.iter(f'{{{BPMN_NS}}}process'):
        if process.get('id') == process_id:
            for start in process.findall(f'{{{BPMN_NS}}}startEvent'):
                if start.find(f'.//{{{ZEEBE_NS}}}formDefinition') is not None:
                    return True
    return False


# The Zeebe extension elements of a binding, as the engine validates them: (path under extensionElements, the
# attribute naming the target, the target's kind, the kind when resourceType says form, the release that checks it).
BINDINGS = (
    ('calledElement', 'processId', 'process', None, EVERY_RELEASE),
    ('calledDecision', 'decisionId', 'decision', None, EVERY_RELEASE),
    ('formDefinition', 'formId', 'form', None, EVERY_RELEASE),
    ('linkedResources/linkedResource', 'resourceId', 'resource', 'form', LINKED_RESOURCE_CHECK_VERSION),
)


def binding_errors(name, content, in_deployment, version=(8, 8)):
    """The engine's rejection text for deployment-bound static targets missing from the deployment, or ''."""
    lines = []
    for process in ET.fromstring(content).findall(f'{{{BPMN_NS}}}process'):
        if (process.get('isExecutable') or '').lower() != 'true':
            continue  # the engine validates the executable processes it deploys
        for element in process.iter():
            extensions = element.find(f'{{{BPMN_NS}}}extensionElements')
            if extensions is None:
                continue
            for path, attribute, kind, form_kind, since in BINDINGS:
                for binding in extensions.findall('/'.join(f'{{{ZEEBE_NS}}}{step}' for step in path.split('/'))):
                    target = binding.get(attribute) or ''
                    is_form = (binding.get('resourceType') or '').lower() == 'form'
                    target_kind = form_kind if form_kind and is_form else kind
                    if (
                        version < since
                        or binding.get('bindingType') != 'deployment'
                        or target.startswith('=')
                        or (target_kind, target) in in_deployment
                    ):
                        continue
                    lines.append(
                        f"- Element: {element.get('id')} > extensionElements > {path.replace('/', ' > ')}\n"
                        f"    - ERROR: Expected to find {target_kind} with id '{target}' in current deployment, "
                        "but not found."
                    )
    return f"'{name}':\n" + '\n'.join(lines) + '\n' if lines else ''


def duplicate_id_text(entry, earlier, name):
    if entry.kind == 'process':
        return f"Duplicated process id in resources '{earlier}' and '{name}'"
    if entry.kind == 'decision_requirements':
        noun = 'decision requirements ids'
    elif entry.kind == 'decision':
        noun = 'decision ids'
    else:
        noun = 'form ids'
    return (
        f"Expected the {noun} to be unique within a deployment but found a duplicated id "
        f"'{entry.definition_id}' in the resources '{earlier}' and '{name}'."
    )


def deployment_item(d):
    """One DeploymentMetadataResult: exactly one of its five fields is set."""
    item = {
        'processDefinition': None,
        'decisionDefinition': None,
        'decisionRequirements': None,
        'form': None,
        'resource': None,
    }
    if d.kind == 'process':
        item['processDefinition'] = {
            'processDefinitionId': d.definition_id,
            'processDefinitionVersion': d.version,
            'resourceName': d.resource_name,
            'tenantId': d.tenant_id,
            'processDefinitionKey': d.key,
        }
    elif d.kind == 'decision':
        item['decisionDefinition'] = {
            'decisionDefinitionId': d.definition_id,
            'version': d.version,
            'name': d.name,
            'tenantId': d.tenant_id,
            'decisionRequirementsId': d.extra['decisionRequirementsId'],
            'decisionDefinitionKey': d.key,
            'decisionRequirementsKey': d.extra['decisionRequirementsKey'],
        }
    elif d.kind == 'decision_requirements':
        item['decisionRequirements'] = {
            'decisionRequirementsId': d.definition_id,
            'decisionRequirementsName': d.name,
            'version': d.version,
            'resourceName': d.resource_name,
            'tenantId': d.tenant_id,
            'decisionRequirementsKey': d.key,
        }
    elif d.kind == 'resource':
        item['resource'] = {
            'resourceId': d.definition_id,
            'resourceName': d.resource_name,
            'version': d.version,
            'tenantId': d.tenant_id,
            'resourceKey': d.key,
        }
    else:
        item['form'] = {
            'formId': d.definition_id,
            'version': d.version,
            'resourceName': d.resource_name,
            'tenantId': d.tenant_id,
            'formKey': d.key,
        }
    return item


def routes(app):
    """The deployment routes of an EmulatorApp (its `deployments` store, its read lag)."""
    return DeploymentApi(app.deployments, app).routes()


__all__ = ['DeploymentStore', 'Definition', 'DeploymentApi', 'routes']
