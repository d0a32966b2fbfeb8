# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Running processes: process instances, jobs and messages, for BPMN made of start events, service tasks,
intermediate message catch events and end events (nothing more).

The engine works as Zeebe does from the outside: a command is processed at once and the instance runs on until
it waits (a job to complete, a message to correlate). Everything that waits for something (job activation with
long polling, creation with `awaitCompletion`) waits on one condition variable that every state change notifies;
job timeouts and message time-to-live are checked against the clock whenever a waiter wakes up, so no background
thread is needed. Sources of the modelled behaviour: tests/support/README.md ("Process instances, jobs, messages").
"""

from __future__ import annotations

import datetime
import json
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .cluster import release
from .errors import ApiError, bad_request, rejected
from .messages import json_response, no_content
from .search import SearchSpec, match_string, matches, search
from .validation import parse_json_body, reject_unknown_fields, require_object

DEFAULT_TENANT_ID = '<default>'
# The physical tenant a request without a physical tenant prefix goes to (8.10; PhysicalTenantContext upstream).
DEFAULT_PHYSICAL_TENANT_ID = 'default'
BPMN_NS = '{http://www.omg.org/spec/BPMN/20100524/MODEL}'
ZEEBE_NS = '{http://camunda.org/schema/zeebe/1.0}'

# Gateway defaults: the long-polling timeout of job activation (requestTimeout 0) and the generic request
# timeout that awaitCompletion uses when requestTimeout is 0.
DEFAULT_LONG_POLLING_MS = 10_000
DEFAULT_REQUEST_TIMEOUT_MS = 15_000

# The permission each endpoint needs (x-required-permissions of the upstream spec), for the denied_permissions fault.
PERMISSION_CREATE_INSTANCE = ('PROCESS_DEFINITION', 'CREATE_PROCESS_INSTANCE')
PERMISSION_UPDATE_INSTANCE = ('PROCESS_DEFINITION', 'UPDATE_PROCESS_INSTANCE')
PERMISSION_CANCEL_INSTANCE = ('PROCESS_DEFINITION', 'CANCEL_PROCESS_INSTANCE')
PERMISSION_READ_INSTANCE = ('PROCESS_DEFINITION', 'READ_PROCESS_INSTANCE')
PERMISSION_PUBLISH_MESSAGE = ('MESSAGE', 'CREATE')

ELEMENT_TAGS = {
    'startEvent': 'START_EVENT',
    'serviceTask': 'SERVICE_TASK',
    'intermediateCatchEvent': 'INTERMEDIATE_CATCH_EVENT',
    'endEvent': 'END_EVENT',
}
# Flow nodes the emulator refuses to run (anything that is not in ELEMENT_TAGS and not a sequence flow).
_NOT_FLOW_NODES = {'sequenceFlow', 'extensionElements', 'documentation', 'laneSet', 'textAnnotation', 'association'}


# -- BPMN -----------------------------------------------------------------------------------------


class UnsupportedBpmn(ValueError):
    pass


@dataclass(frozen=True)
class Element:
    element_id: str
    kind: str  # a value of ELEMENT_TAGS
    name: str | None
    outgoing: tuple = ()
    job_type: str | None = None
    job_retries: int = 3
    message_name: str | None = None
    correlation_key: str | None = None  # '=variable' or a literal


@dataclass(frozen=True)
class ProcessModel:
    process_id: str
    name: str | None
    elements: dict
    start_id: str


def parse_process(xml_bytes, process_id):
    """The runnable model of one `<bpmn:process>` of a BPMN file; UnsupportedBpmn for what the emulator cannot run."""
    try:
        root = ET.fromstring(xml_bytes)
    except ET.ParseError as error:
        raise UnsupportedBpmn(f'the BPMN is not well-formed XML: {error}') from None
    # message id -> (name, correlation key expression of its zeebe:subscription)
    messages = {}
    for node in root.iter(f'{BPMN_NS}message'):
        subscription = node.find(f'{BPMN_NS}extensionElements/{ZEEBE_NS}subscription')
        messages[node.get('id')] = (
            node.get('name'),
            None if subscription is None else subscription.get('correlationKey'),
        )
    process = next((node for node in root.iter(f'{BPMN_NS}process') if node.get('id') == process_id), None)
    if process is None:
        raise UnsupportedBpmn(f"the BPMN has no process with id '{process_id}'")
    outgoing = {}
    for flow in process.iter(f'{BPMN_NS}sequenceFlow'):
        outgoing.setdefault(flow.get('sourceRef'), []).append(flow.get('targetRef'))
    elements = {}
    for node in process:
        tag = node.tag.replace(BPMN_NS, '')
        if tag in _NOT_FLOW_NODES or not node.tag.startswith(BPMN_NS):
            continue
        if tag not in ELEMENT_TAGS:
            raise UnsupportedBpmn(
                f"element '{node.get('id')}' is a {tag}; the emulator runs only start events, service tasks, "
                'intermediate message catch events and end events'
            )
        elements[node.get('id')] = _element(node, ELEMENT_TAGS[tag], tuple(outgoing.get(node.get('id'), ())), messages)
    starts = [element.element_id for element in elements.values() if element.kind == 'START_EVENT']
    if len(starts) != 1:
        raise UnsupportedBpmn(f'the process needs exactly one none start event, it has {len(starts)}')
    return ProcessModel(process_id, process.get('name'), elements, starts[0])


def _element(node, kind, outgoing, messages):
    element = dict(element_id=node.get('id'), kind=kind, name=node.get('name'), outgoing=outgoing)
    if kind == 'SERVICE_TASK':
        definition = node.find(f'{BPMN_NS}extensionElements/{ZEEBE_NS}taskDefinition')
        if definition is None or not definition.get('type'):
            raise UnsupportedBpmn(f"service task '{node.get('id')}' has no zeebe:taskDefinition type")
        element.update(job_type=definition.get('type'), job_retries=int(definition.get('retries') or 3))
    if kind == 'INTERMEDIATE_CATCH_EVENT':
        definition = node.find(f'{BPMN_NS}messageEventDefinition')
        if definition is None:
            raise UnsupportedBpmn(f"intermediate catch event '{node.get('id')}' is not a message catch event")
        name, subscription = messages.get(definition.get('messageRef'), (None, None))
        if not name or not subscription:
            raise UnsupportedBpmn(
                f"message catch event '{node.get('id')}' needs a message with a name and a "
                'zeebe:subscription correlationKey'
            )
        element.update(message_name=name, correlation_key=subscription)
    return Element(**element)


# -- runtime records --------------------------------------------------------------------------------


def _now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds').replace('+00:00', 'Z')


def _now_ms():
    return int(time.time() * 1000)


@dataclass
class ElementInstance:
    key: str
    element: Element
    instance: 'Instance'
    state: str = 'ACTIVE'
    start_date: str = field(default_factory=_now_iso)
    end_date: str | None = None
    incident: bool = False

    def finish(self, state='COMPLETED'):
        self.state = state
        self.end_date = _now_iso()

    def as_json(self):
        definition = self.instance.definition
        return {
            'processDefinitionId': definition.definition_id,
            'startDate': self.start_date,
            'endDate': self.end_date,
            'elementId': self.element.element_id,
            'elementName': self.element.name or self.element.element_id,
            'type': self.element.kind,
            'state': self.state,
            'hasIncident': self.incident,
            'tenantId': self.instance.tenant_id,
            'elementInstanceKey': self.key,
            'processInstanceKey': self.instance.key,
            'rootProcessInstanceKey': self.instance.key,
            'processDefinitionKey': definition.key,
            'incidentKey': None,
        }


@dataclass
class Instance:
    key: str
    definition: object  # deployments.Definition
    model: ProcessModel
    tenant_id: str
    variables: dict
    tags: list
    business_id: str | None
    state: str = 'ACTIVE'
    start_date: str = field(default_factory=_now_iso)
    end_date: str | None = None
    elements: list = field(default_factory=list)

    def as_json(self):
        definition = self.definition
        return {
            'processDefinitionId': definition.definition_id,
            'processDefinitionName': self.model.name,
            'processDefinitionVersion': definition.version,
            'processDefinitionVersionTag': definition.version_tag,
            'startDate': self.start_date,
            'endDate': self.end_date,
            'state': self.state,
            'hasIncident': any(element.incident for element in self.elements),
            'tenantId': self.tenant_id,
            'processInstanceKey': self.key,
            'processDefinitionKey': definition.key,
            'parentProcessInstanceKey': None,
            'parentElementInstanceKey': None,
            'rootProcessInstanceKey': self.key,
            'tags': list(self.tags),
            'businessId': self.business_id,
        }


@dataclass
class Job:
    key: str
    element_instance: ElementInstance
    job_type: str
    retries: int
    state: str = 'ACTIVATABLE'  # ACTIVATABLE, ACTIVATED, COMPLETED, CANCELED
    deadline_ms: int | None = None
    worker: str = ''

    def activatable(self, now_ms):
        # A job whose activation timed out is activatable again (Zeebe's job timeout).
        return self.state == 'ACTIVATABLE' or (self.state == 'ACTIVATED' and self.deadline_ms <= now_ms)


@dataclass
class Subscription:
    element_instance: ElementInstance
    message_name: str
    correlation_key: str
    tenant_id: str


@dataclass
class Message:
    key: str
    name: str
    correlation_key: str
    tenant_id: str
    variables: dict
    message_id: str | None
    expires_at: float  # time.monotonic(); a message with TTL 0 is never buffered
    correlated_processes: set = field(default_factory=set)  # bpmnProcessIds it correlated to (once per process)


# -- the engine -------------------------------------------------------------------------------------

INSTANCE_SEARCH = SearchSpec(
    filters={
        name: ('string', name)
        for name in (
            'processInstanceKey',
            'processDefinitionKey',
            'processDefinitionId',
            'state',
            'tenantId',
            'businessId',
        )
    },
    sort_fields=(
        'processInstanceKey',
        'processDefinitionId',
        'processDefinitionKey',
        'startDate',
        'endDate',
        'state',
        'tenantId',
    ),
)
ELEMENT_INSTANCE_SEARCH = SearchSpec(
    filters={
        name: ('string', name)
        for name in (
            'processInstanceKey',
            'processDefinitionKey',
            'processDefinitionId',
            'elementId',
            'elementInstanceKey',
            'state',
            'type',
            'tenantId',
        )
    },
    sort_fields=('elementInstanceKey', 'processInstanceKey', 'startDate', 'endDate', 'elementId', 'state', 'type'),
)


class ProcessEngine:
    """Instances, jobs, subscriptions and buffered messages of one emulator; every change under `changed`."""

    def __init__(self, app):
        self.app = app
        self.changed = threading.Condition(threading.RLock())
        self.instances = {}
        self.jobs = {}
        self.subscriptions = []
        self.messages = []
        self._models = {}  # definition key -> ProcessModel

    def routes(self):
        return [
            ('POST', '/v2/process-instances', self.create_instance),
            ('POST', '/v2/process-instances/search', self.search_instances),
            ('GET', '/v2/process-instances/{processInstanceKey}', self.get_instance),
            ('POST', '/v2/process-instances/{processInstanceKey}/cancellation', self.cancel_instance),
            ('POST', '/v2/element-instances/search', self.search_element_instances),
            ('POST', '/v2/jobs/activation', self.activate_jobs),
            ('POST', '/v2/jobs/{jobKey}/completion', self.complete_job),
            ('POST', '/v2/messages/publication', self.publish_message),
        ]

    def count_active(self, process_definition_key):
        """Active instances of one definition: the deployments store's deletion check asks this."""
        with self.changed:
            return sum(
                1
                for instance in self.instances.values()
                if instance.definition.key == str(process_definition_key) and instance.state == 'ACTIVE'
            )

    def _new_key(self):
        with self.app.store.lock:
            return self.app.store.new_key()

    def _check_permission(self, permission, resource_id='*'):
        resource_type, permission_type = permission
        if f'{resource_type}:{permission_type}' in self.app.faults.denied_permissions:
            raise ApiError(
                403,
                (
                    f"Insufficient permissions to perform operation '{permission_type}' on resource '{resource_type}', "
                    f"required resource identifiers are one of '[*, {resource_id}]'"
                ),
            )

    # -- process instances --------------------------------------------------------------------------

    def create_instance(self, call):
        backpressure = self.app.faults.creation_backpressure
        if backpressure:
            raise ApiError(
                backpressure,
                (
                    'Expected to handle REST API request, but the broker rejected it because of backpressure '
                    '(resource exhausted; emulated fault).'
                ),
                title='RESOURCE_EXHAUSTED',
            )
        body = require_object(parse_json_body(call.request))
        reject_unknown_fields(body, CREATION_FIELDS)
        definition = self._definition_for(body)
        self._check_permission(PERMISSION_CREATE_INSTANCE, definition.definition_id)
        model = self._model_of(definition)
        variables = body.get('variables') or {}
        if not isinstance(variables, dict):
            raise bad_request('The provided variables must be a JSON object.')
        with self.changed:
            instance = Instance(
                self._new_key(),
                definition,
                model,
                definition.tenant_id,
                dict(variables),
                list(body.get('tags') or ()),
                body.get('businessId'),
            )
            self.instances[instance.key] = instance
            self._enter(instance, model.elements[model.start_id])
            self.changed.notify_all()
            if body.get('awaitCompletion'):
                timeout_ms = _milliseconds(body, 'requestTimeout', 0) or DEFAULT_REQUEST_TIMEOUT_MS
                if not self.changed.wait_for(lambda: instance.state != 'ACTIVE', timeout_ms / 1000.0):
                    raise ApiError(
                        504,
                        (
                            f'Expected to receive the result of process instance {instance.key} within '
                            f'{timeout_ms} ms, but it did not complete in time; it continues to run.'
                        ),
                        title='DEADLINE_EXCEEDED',
                    )
                variables = _fetched(instance.variables, body.get('fetchVariables'))
            else:
                variables = {}
            return json_response(
                200,
                {
                    'processDefinitionId': definition.definition_id,
                    'processDefinitionVersion': definition.version,
                    'tenantId': instance.tenant_id,
                    'variables': variables,
                    'processDefinitionKey': definition.key,
                    'processInstanceKey': instance.key,
                    'tags': instance.tags,
                    'businessId': instance.business_id,
                },
            )

    def _definition_for(self, body):
        by_key, by_id = body.get('processDefinitionKey'), body.get('processDefinitionId')
        if (by_key is None) == (by_id is None):
            raise bad_request('Expected exactly one of processDefinitionKey and processDefinitionId.')
        tenant_id = body.get('tenantId') or DEFAULT_TENANT_ID
        store = self.app.deployments
        if by_key is not None:
            definition = store.process_by_key(by_key)
            if definition is None or definition.tenant_id != tenant_id:
                raise ApiError(
                    404,
                    rejected(
                        'CREATE',
                        'NOT_FOUND',
                        (f"Expected to find process definition with key '{by_key}', but none found"),
                    ),
                )
            return definition
        version = body.get('processDefinitionVersion', -1)
        if version in (None, -1):
            definition = store.latest_process(by_id, tenant_id)
        else:
            definition = next((d for d in store.versions('process', by_id, tenant_id) if d.version == version), None)
        if definition is None:
            raise ApiError(
                404,
                rejected(
                    'CREATE',
                    'NOT_FOUND',
                    (
                        f"Expected to find process definition with process ID '{by_id}'"
                        + (f" and version '{version}'" if version not in (None, -1) else '')
                        + ', but none found'
                    ),
                ),
            )
        return definition

    def _model_of(self, definition):
        model = self._models.get(definition.key)
        if model is None:
            try:
                model = parse_process(definition.resource, definition.definition_id)
            except UnsupportedBpmn as error:
                raise bad_request(f'The emulator cannot run process {definition.definition_id!r}: {error}.') from None
            self._models[definition.key] = model
        return model

    def get_instance(self, call):
        self._check_permission(PERMISSION_READ_INSTANCE)
        with self.changed:
            instance = self.instances.get(call.params[0])
            if instance is None:
                raise ApiError(404, f"Process instance with key '{call.params[0]}' not found")
            return json_response(200, self._instance_result(instance))

    def search_instances(self, call):
        self._check_permission(PERMISSION_READ_INSTANCE)
        body = parse_json_body(call.request)
        body = {} if body is None else dict(require_object(body))
        filters = dict(require_object(body.get('filter') or {}))
        # The fields the official clients send in every search (empty unless asked), matched here, not by search().
        alternatives = _list_field(filters.pop('$or', None), '$or', dict)
        tags = _list_field(filters.pop('tags', None), 'tags', str)
        variables = [
            _variable_condition(entry) for entry in _list_field(filters.pop('variables', None), 'variables', dict)
        ]
        body['filter'] = filters
        with self.changed:
            items = [
                self._instance_result(instance)
                for instance in self.instances.values()
                if set(tags) <= set(instance.tags) and all(condition(instance.variables) for condition in variables)
            ]
        if alternatives:
            items = [
                item
                for item in items
                if any(matches(item, alternative, INSTANCE_SEARCH) for alternative in alternatives)
            ]
        return json_response(200, search(items, body, INSTANCE_SEARCH))

    def _instance_result(self, instance):
        result = instance.as_json()
        if release(self.app.cluster.version) >= (8, 10):
            result['suspendedDate'] = None  # required from 8.10 on; the emulator never suspends an instance
        return result

    def search_element_instances(self, call):
        self._check_permission(PERMISSION_READ_INSTANCE)
        with self.changed:
            items = [element.as_json() for instance in self.instances.values() for element in instance.elements]
        return json_response(200, search(items, parse_json_body(call.request), ELEMENT_INSTANCE_SEARCH))

    def cancel_instance(self, call):
        body = parse_json_body(call.request)
        if body is not None:
            reject_unknown_fields(require_object(body), {'operationReference'})
        with self.changed:
            instance = self.instances.get(call.params[0])
            if instance is None or instance.state != 'ACTIVE':
                raise ApiError(
                    404,
                    rejected(
                        'CANCEL',
                        'NOT_FOUND',
                        (
                            f"Expected to cancel a process instance with key '{call.params[0]}', but no such process was found"
                        ),
                    ),
                )
            self._check_permission(PERMISSION_CANCEL_INSTANCE, instance.definition.definition_id)
            for element in instance.elements:
                if element.state == 'ACTIVE':
                    element.finish('TERMINATED')
            self._close_waits(instance)
            instance.state = 'TERMINATED'
            instance.end_date = _now_iso()
            self.changed.notify_all()
        return no_content()

    # -- running an instance -------------------------------------------------------------------------

    def _enter(self, instance, element):
        element_instance = ElementInstance(self._new_key(), element, instance)
        instance.elements.append(element_instance)
        if element.kind == 'SERVICE_TASK':
            job = Job(self._new_key(), element_instance, element.job_type, element.job_retries)
            self.jobs[job.key] = job
        elif element.kind == 'INTERMEDIATE_CATCH_EVENT':
            self._subscribe(element_instance)
        elif element.kind == 'END_EVENT' and self.app.faults.instances_never_complete:
            pass  # the token reaches the end event and stays there: the instance never completes
        else:
            self._leave(element_instance)

    def _leave(self, element_instance, variables=None):
        instance = element_instance.instance
        if variables:
            instance.variables.update(variables)
        element_instance.finish()
        for target in element_instance.element.outgoing:
            self._enter(instance, instance.model.elements[target])
        if instance.state == 'ACTIVE' and not any(element.state == 'ACTIVE' for element in instance.elements):
            instance.state = 'COMPLETED'
            instance.end_date = _now_iso()

    def _subscribe(self, element_instance):
        instance, element = element_instance.instance, element_instance.element
        key = _correlation_key(element.correlation_key, instance.variables)
        if key is None:
            element_instance.incident = True  # Zeebe raises an incident: the key expression has no value
            return
        subscription = Subscription(element_instance, element.message_name, key, instance.tenant_id)
        self.subscriptions.append(subscription)
        now = time.monotonic()
        for message in self.messages:
            if message.expires_at > now and self._correlates(message, subscription):
                self._correlate(message, subscription)
                return

    def _correlates(self, message, subscription):
        return (
            not self.app.faults.messages_never_correlated
            and message.name == subscription.message_name
            and message.correlation_key == subscription.correlation_key
            and message.tenant_id == subscription.tenant_id
            and subscription.element_instance.instance.definition.definition_id not in message.correlated_processes
        )

    def _correlate(self, message, subscription):
        self.subscriptions.remove(subscription)
        message.correlated_processes.add(subscription.element_instance.instance.definition.definition_id)
        self._leave(subscription.element_instance, message.variables)

    def _close_waits(self, instance):
        for job in self.jobs.values():
            if job.element_instance.instance is instance and job.state in ('ACTIVATABLE', 'ACTIVATED'):
                job.state = 'CANCELED'
        self.subscriptions = [s for s in self.subscriptions if s.element_instance.instance is not instance]

    # -- jobs -------------------------------------------------------------------------------------------

    def activate_jobs(self, call):
        body = require_object(parse_json_body(call.request))
        reject_unknown_fields(body, ACTIVATION_FIELDS)
        job_type = body.get('type')
        if not isinstance(job_type, str) or not job_type:
            raise bad_request('No type provided.')
        timeout_ms = _milliseconds(body, 'timeout', None)
        maximum = body.get('maxJobsToActivate')
        if timeout_ms is None or not isinstance(maximum, int) or maximum < 1:
            raise bad_request('timeout and maxJobsToActivate (at least 1) are required.')
        self._check_permission(PERMISSION_UPDATE_INSTANCE)
        tenants = set(body.get('tenantIds') or [DEFAULT_TENANT_ID])
        request_timeout = _milliseconds(body, 'requestTimeout', 0, allow_negative=True)
        wait_s = 0.0 if request_timeout < 0 else (request_timeout or DEFAULT_LONG_POLLING_MS) / 1000.0
        give_up_at = time.monotonic() + wait_s
        worker = body.get('worker') or ''
        with self.changed:
            while True:
                jobs = self._take_jobs(job_type, tenants, maximum, timeout_ms, worker, body.get('fetchVariable'))
                remaining = give_up_at - time.monotonic()
                if jobs or remaining <= 0:
                    return json_response(200, {'jobs': jobs})
                self.changed.wait(min(remaining, self._seconds_to_next_job_timeout()))

    def _take_jobs(self, job_type, tenants, maximum, timeout_ms, worker, fetch):
        if self.app.faults.jobs_never_activatable:
            return []
        fields_of_8_10 = release(self.app.cluster.version) >= (8, 10)
        now_ms = _now_ms()
        taken = []
        for job in self.jobs.values():
            instance = job.element_instance.instance
            if (
                len(taken) < maximum
                and job.job_type == job_type
                and instance.tenant_id in tenants
                and job.activatable(now_ms)
            ):
                job.state, job.deadline_ms, job.worker = 'ACTIVATED', now_ms + timeout_ms, worker
                taken.append(self._activated(job, fetch, fields_of_8_10))
        return taken

    def _seconds_to_next_job_timeout(self):
        deadlines = [job.deadline_ms for job in self.jobs.values() if job.state == 'ACTIVATED']
        if not deadlines:
            return DEFAULT_LONG_POLLING_MS / 1000.0
        return max(0.001, (min(deadlines) - _now_ms()) / 1000.0)

    @staticmethod
    def _activated(job, fetch, fields_of_8_10):
        element_instance = job.element_instance
        instance = element_instance.instance
        definition = instance.definition
        fields = {}
        if fields_of_8_10:  # required from 8.10 on but jobLeaseToken, which is null without a lease
            fields = {
                'physicalTenantId': DEFAULT_PHYSICAL_TENANT_ID,
                'businessId': instance.business_id,
                'jobLeaseToken': None,
            }
        return fields | {
            'type': job.job_type,
            'processDefinitionId': definition.definition_id,
            'processDefinitionVersion': definition.version,
            'elementId': element_instance.element.element_id,
            'customHeaders': {},
            'worker': job.worker,
            'retries': job.retries,
            'deadline': job.deadline_ms,
            'variables': _fetched(instance.variables, fetch),
            'tenantId': instance.tenant_id,
            'jobKey': job.key,
            'processInstanceKey': instance.key,
            'processDefinitionKey': definition.key,
            'elementInstanceKey': element_instance.key,
            'kind': 'BPMN_ELEMENT',
            'listenerEventType': 'UNSPECIFIED',
            'userTask': None,
            'tags': list(instance.tags),
            'rootProcessInstanceKey': instance.key,
            'priority': 0,
        }

    def complete_job(self, call):
        body = parse_json_body(call.request)
        body = {} if body is None else require_object(body)
        reject_unknown_fields(body, {'variables', 'result'})
        variables = body.get('variables') or {}
        if not isinstance(variables, dict):
            raise bad_request('The provided variables must be a JSON object.')
        self._check_permission(PERMISSION_UPDATE_INSTANCE)
        with self.changed:
            job = self.jobs.get(call.params[0])
            if job is None or job.state in ('COMPLETED', 'CANCELED'):
                raise ApiError(
                    404,
                    rejected(
                        'COMPLETE',
                        'NOT_FOUND',
                        (
                            f"Expected to update retries for job with key '{call.params[0]}', but no such job was found"
                            if job is None
                            else f"Expected to complete job with key '{call.params[0]}', but no such job was found"
                        ),
                    ),
                )
            job.state = 'COMPLETED'
            self._leave(job.element_instance, variables)
            self.changed.notify_all()
        return no_content()

    # -- messages -----------------------------------------------------------------------------------

    def publish_message(self, call):
        body = require_object(parse_json_body(call.request))
        reject_unknown_fields(body, PUBLICATION_FIELDS)
        name = body.get('name')
        if not isinstance(name, str) or not name:
            raise bad_request('No name provided.')
        correlation_key = body.get('correlationKey') or ''
        if not isinstance(correlation_key, str):
            raise bad_request('The provided correlationKey must be a string.')
        ttl_ms = _milliseconds(body, 'timeToLive', 0)
        tenant_id = body.get('tenantId') or DEFAULT_TENANT_ID
        variables = body.get('variables') or {}
        if not isinstance(variables, dict):
            raise bad_request('The provided variables must be a JSON object.')
        self._check_permission(PERMISSION_PUBLISH_MESSAGE, name)
        message_id = body.get('messageId')
        with self.changed:
            now = time.monotonic()
            self.messages = [message for message in self.messages if message.expires_at > now]
            if message_id and any(m.message_id == message_id and m.tenant_id == tenant_id for m in self.messages):
                raise ApiError(
                    409,
                    rejected(
                        'PUBLISH',
                        'ALREADY_EXISTS',
                        (
                            f"Expected to publish a new message with id '{message_id}', but a message with that id was "
                            'already published'
                        ),
                    ),
                )
            message = Message(
                self._new_key(), name, correlation_key, tenant_id, variables, message_id, now + ttl_ms / 1000.0
            )
            for subscription in list(self.subscriptions):
                if self._correlates(message, subscription):
                    self._correlate(message, subscription)
            if ttl_ms > 0:
                self.messages.append(message)
            self.changed.notify_all()
        return json_response(200, {'tenantId': tenant_id, 'messageKey': message.key})


CREATION_FIELDS = {
    'processDefinitionId',
    'processDefinitionVersion',
    'processDefinitionKey',
    'variables',
    'tenantId',
    'operationReference',
    'startInstructions',
    'runtimeInstructions',
    'awaitCompletion',
    'fetchVariables',
    'requestTimeout',
    'tags',
    'businessId',
}
ACTIVATION_FIELDS = {
    'type',
    'worker',
    'timeout',
    'maxJobsToActivate',
    'fetchVariable',
    'requestTimeout',
    'tenantIds',
    'tenantFilter',
}
PUBLICATION_FIELDS = {'name', 'correlationKey', 'timeToLive', 'messageId', 'variables', 'tenantId'}


def _list_field(value, name, item_type):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(entry, item_type) for entry in value):
        raise bad_request(f'The filter {name} must be a list of {"objects" if item_type is dict else "strings"}.')
    return value


def _variable_condition(entry):
    """A VariableValueFilterProperty: the variable `name` whose value, as JSON text, matches `value`."""
    reject_unknown_fields(entry, {'name', 'value'})
    name, condition = entry.get('name'), entry.get('value')
    if not isinstance(name, str) or condition is None:
        raise bad_request('A variables filter needs a name and a value.')
    return lambda variables: (
        name in variables
        and match_string(json.dumps(variables[name], separators=(',', ':')), condition, f'variables[{name}]')
    )


def _correlation_key(expression, variables):
    """A correlation key: `=name` reads a variable (a string or a number), anything else is a literal."""
    if not expression.startswith('='):
        return expression
    value = variables.get(expression[1:].strip())
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return None
    return str(value)


def _fetched(variables, names):
    if not names:
        return dict(variables)
    return {name: variables[name] for name in names if name in variables}


def _milliseconds(body, name, default, allow_negative=False):
    value = body.get(name, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int) or (value < 0 and not allow_negative):
        raise bad_request(f'The provided {name} must be a {"" if allow_negative else "non-negative "}integer (ms).')
    return value
