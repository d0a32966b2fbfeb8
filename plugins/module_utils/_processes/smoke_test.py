# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The end-to-end smoke test: the core of camunda_smoke_test.

For internal collection use only: no stable interface.

A cluster can answer every read and still run no process (exporters stuck, backpressure on every command, no job
ever activated). This runs one instance of a probe process through every stage a real process needs, times each
stage, and names the stage that did not happen with what the API said.

The probe's process id, job type and message name are read from the probe BPMN itself (smoke_probe.PROBE_BPMN),
so that it is the one place they are written.
"""

from __future__ import annotations

import time
import uuid
import xml.etree.ElementTree as ET

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient, path_segment
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    ApiError,
    CamundaError,
    ConfigurationError,
)
from ansible_collections.community.camunda.plugins.module_utils._processes.definitions import DEFAULT_TENANT_ID
from ansible_collections.community.camunda.plugins.module_utils._processes.deployment import Deployment
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import (
    DEFAULT_MAX_DEPLOYMENT_SIZE,
    LocalResource,
    read_bpmn,
)
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import (
    PROBE_BPMN,
    PROBE_RESOURCE_NAME,
)

CORRELATION_VARIABLE = 'smokeRunId'
WORKER = 'community.camunda.smoke_test'
# A long poll never waits longer than this, so that the HTTP timeout (option timeout) is not reached first.
LONG_POLL_CAP_SECONDS = 10.0
POLL_INTERVAL_SECONDS = 0.25

SMOKE_TEST_SPEC = module_spec(
    dict(
        probe_bpmn=dict(type='str'),
        tenant_id=dict(type='str'),
        wait_timeout=dict(type='float', default=60.0),
        cleanup=dict(type='bool', default=False),
    )
)

# The stages in order; each names the permission it needs where authorizations are on (x-required-permissions
# of Camunda's REST API spec).
DEPLOY, CREATE, ACTIVATE, COMPLETE_JOB, PUBLISH, COMPLETE_INSTANCE = (
    'deploy',
    'create instance',
    'activate job',
    'complete job',
    'publish message',
    'complete instance',
)
CORRELATE = 'correlate message'  # a failure of complete instance found waiting at the message catch event
CANCEL, DELETE, READ = 'cancel instance', 'delete definition', 'read instance'
PERMISSIONS = {
    DEPLOY: 'RESOURCE: CREATE',
    CREATE: 'PROCESS_DEFINITION: CREATE_PROCESS_INSTANCE',
    ACTIVATE: 'PROCESS_DEFINITION: UPDATE_PROCESS_INSTANCE',
    COMPLETE_JOB: 'PROCESS_DEFINITION: UPDATE_PROCESS_INSTANCE',
    PUBLISH: 'MESSAGE: CREATE',
    COMPLETE_INSTANCE: 'PROCESS_DEFINITION: READ_PROCESS_INSTANCE',
    CORRELATE: 'PROCESS_DEFINITION: READ_PROCESS_INSTANCE',
    READ: 'PROCESS_DEFINITION: READ_PROCESS_INSTANCE',
    CANCEL: 'PROCESS_DEFINITION: CANCEL_PROCESS_INSTANCE',
    DELETE: 'RESOURCE: DELETE_PROCESS',
}

# Reading the probe's latest version and its XML before deploying (the deployment core sends only a new version).
READ_DEFINITION_PERMISSION = 'PROCESS_DEFINITION: READ_PROCESS_DEFINITION'

_BPMN = '{http://www.omg.org/spec/BPMN/20100524/MODEL}'
_ZEEBE = '{http://camunda.org/schema/zeebe/1.0}'


class StageFailed(Exception):
    """A stage did not happen; `said` is what the API answered (or why nothing came)."""

    def __init__(self, stage, said, status=None):
        super().__init__(said)
        self.stage = stage
        self.said = said
        self.status = status


class Probe(object):
    """What the smoke test needs to know about the probe process, read from its BPMN."""

    def __init__(self, bpmn):
        self.bpmn = bpmn.encode('utf-8') if isinstance(bpmn, str) else bpmn
        try:
            root = ET.fromstring(self.bpmn)
        except ET.ParseError as exc:
            raise ConfigurationError(
                f'probe_bpmn is not well-formed XML ({exc}): leave probe_bpmn unset to use the probe shipped with the collection.'
            )
        process = root.find(f'{_BPMN}process')
        task = root.find(f'.//{_BPMN}serviceTask/{_BPMN}extensionElements/{_ZEEBE}taskDefinition')
        message = root.find(f'{_BPMN}message')
        if process is None or task is None or message is None or not message.get('name'):
            raise ConfigurationError(
                'probe_bpmn must hold a process with a service task (zeebe:taskDefinition) and a named message: '
                'leave probe_bpmn unset to use the probe shipped with the collection.'
            )
        self.process_id = process.get('id')
        self.job_type = task.get('type')
        self.message_name = message.get('name')
        self.element_names = {node.get('id'): node.tag.replace(_BPMN, '') for node in process}


def load_probe(options):
    return Probe(options.get('probe_bpmn') or PROBE_BPMN)


def _said(exc):
    """What the API said, as one phrase."""
    if isinstance(exc, ApiError):
        parts = [str(part) for part in (exc.status, exc.title, exc.detail) if part]
        return ' '.join(parts) if parts else exc.msg
    return exc.msg


def _stage_error(stage, exc, permission=None):
    if isinstance(exc, ApiError) and exc.status == 403:
        return StageFailed(
            stage,
            (
                f'{_said(exc)}: the credentials lack the permission {permission or PERMISSIONS[stage]} '
                '(grant it to the principal, or a role that has it)'
            ),
            403,
        )
    if isinstance(exc, ApiError) and (exc.status == 429 or (exc.status == 503 and exc.title == 'RESOURCE_EXHAUSTED')):
        return StageFailed(stage, f'{_said(exc)} (backpressure: the cluster refuses new commands)', exc.status)
    return StageFailed(stage, _said(exc), getattr(exc, 'status', None))


class SmokeRun(object):
    """One run: the stages in order, each timed; cancels what it started when a stage fails."""

    def __init__(self, client, context, probe, tenant_id, wait_timeout, clock=time.monotonic, sleep=time.sleep):
        self.client = client
        self.context = context
        self.probe = probe
        self.tenant_id = tenant_id
        self.clock = clock
        self.sleep = sleep
        self.started = clock()
        self.deadline = self.started + wait_timeout
        self.wait_timeout = wait_timeout
        self.run_id = f'community.camunda-smoke-{uuid.uuid4()}'
        self.stages = []
        self.definition = None
        self.instance_key = None
        self.job_key = None
        self.changed = False

    def remaining(self):
        return self.deadline - self.clock()

    def stage(self, name, action):
        started = self.clock()
        try:
            detail = action()
        except CamundaError as exc:
            raise _stage_error(name, exc)
        self.stages.append(dict(name=name, seconds=round(self.clock() - started, 3), detail=detail))
        return detail

    # -- the stages -----------------------------------------------------------------------------------

    def deploy(self):
        """The deployment core's idempotent deployment: it reads the latest version and sends only a new one."""
        resource = LocalResource(
            PROBE_RESOURCE_NAME, PROBE_RESOURCE_NAME, self.probe.bpmn, read_bpmn(PROBE_RESOURCE_NAME, self.probe.bpmn)
        )
        try:
            answer = Deployment(
                self.client, self.context, [resource], self.tenant_id or DEFAULT_TENANT_ID, DEFAULT_MAX_DEPLOYMENT_SIZE
            ).run()
        except ApiError as exc:
            # The reads before the deployment need another permission than the deployment itself.
            reading = not str(exc.details.get('url', '')).endswith('/deployments')
            raise _stage_error(DEPLOY, exc, READ_DEFINITION_PERMISSION if reading else None)
        found = [
            entry
            for entry in answer['resources']
            if entry['kind'] == 'process' and entry['id'] == self.probe.process_id and entry['key']
        ]
        if not found:
            raise StageFailed(DEPLOY, f'the deployment answer holds no process {self.probe.process_id!r}')
        self.definition = found[0]
        self.changed = answer['changed']
        return f"process {self.probe.process_id} version {self.definition['version']} (key {self.definition['key']})"

    def create(self):
        body = {'processDefinitionKey': self.definition['key'], 'variables': {CORRELATION_VARIABLE: self.run_id}}
        if self.tenant_id:
            body['tenantId'] = self.tenant_id
        created = self.client.call_json('POST', 'process-instances', body, expected=(200,))
        self.instance_key = created['processInstanceKey']
        return f'instance {self.instance_key}'

    def activate(self):
        """Long-polls for the job of this run's instance; a job of another run is left to time out."""
        while True:
            remaining = self.remaining()
            if remaining <= 0:
                raise StageFailed(
                    ACTIVATE,
                    (
                        f'no job of type {self.probe.job_type!r} was activated within {self.wait_timeout:g} s '
                        '(no worker could take it: the partition does not process, or jobs are not activatable)'
                    ),
                )
            body = {
                'type': self.probe.job_type,
                'worker': WORKER,
                'maxJobsToActivate': 10,
                'timeout': int(max(remaining, 1.0) * 1000),
                'requestTimeout': int(max(0.001, min(remaining, LONG_POLL_CAP_SECONDS)) * 1000),
            }
            if self.tenant_id:
                body['tenantIds'] = [self.tenant_id]
            jobs = self.client.call_json('POST', 'jobs/activation', body, expected=(200,)).get('jobs') or []
            mine = [job for job in jobs if str(job.get('processInstanceKey')) == str(self.instance_key)]
            if mine:
                self.job_key = mine[0]['jobKey']
                return f'job {self.job_key}'

    def complete_job(self):
        self.client.request(
            'POST',
            f'jobs/{path_segment(self.job_key)}/completion',
            body={'variables': {'smokeJobWorkedBy': WORKER}},
            expected=(204,),
        )
        return f'job {self.job_key} completed'

    def publish(self):
        body = {
            'name': self.probe.message_name,
            'correlationKey': self.run_id,
            'messageId': self.run_id,
            'timeToLive': int(max(self.remaining(), 1.0) * 1000),
        }
        if self.tenant_id:
            body['tenantId'] = self.tenant_id
        published = self.client.call_json('POST', 'messages/publication', body, expected=(200,))
        return f"message {published.get('messageKey')} with correlation key {self.run_id}"

    def wait_for_completion(self):
        """Reads the instance until it is completed; secondary storage may not know it at first (404)."""
        state = 'not yet visible'
        while True:
            try:
                instance = self.client.get_json(f'process-instances/{path_segment(self.instance_key)}')
                state = instance.get('state')
            except ApiError as exc:
                if exc.status != 404:
                    raise
            if state == 'COMPLETED':
                return f'instance {self.instance_key} completed'
            if state == 'TERMINATED':
                raise StageFailed(
                    COMPLETE_INSTANCE, f'instance {self.instance_key} was terminated (cancelled by someone)'
                )
            if self.remaining() <= 0:
                raise self._not_completed(state)
            self.sleep(min(POLL_INTERVAL_SECONDS, max(self.remaining(), 0.0)))

    def _not_completed(self, state):
        """Where the instance waits: at the message catch event the message did not correlate."""
        waiting = self._active_elements()
        kinds = {self.probe.element_names.get(element) for element in waiting}
        where = f"; it waits at {', '.join(sorted(waiting))}" if waiting else ''
        if 'intermediateCatchEvent' in kinds:
            return StageFailed(
                CORRELATE,
                (
                    f'instance {self.instance_key} did not correlate the message {self.probe.message_name!r} '
                    f'(correlation key {self.run_id}) within {self.wait_timeout:g} s{where}'
                ),
            )
        return StageFailed(
            COMPLETE_INSTANCE,
            (
                f'instance {self.instance_key} did not complete within {self.wait_timeout:g} s '
                f'(last state read: {state}){where}'
            ),
        )

    def _active_elements(self):
        try:
            found = self.client.call_json(
                'POST',
                'element-instances/search',
                {'filter': {'processInstanceKey': str(self.instance_key), 'state': 'ACTIVE'}},
                expected=(200,),
            )
        except CamundaError:
            return []  # only a diagnosis: the failure is named either way
        return [item.get('elementId') for item in found.get('items') or ()]

    # -- cleaning up ----------------------------------------------------------------------------------

    def cancel(self):
        """Cancels this run's instance (a failed or timed-out one); returns what happened."""
        try:
            self.client.request(
                'POST', f'process-instances/{path_segment(self.instance_key)}/cancellation', body={}, expected=(204,)
            )
        except CamundaError as exc:
            if isinstance(exc, ApiError) and exc.status == 404:
                return 'the instance was no longer active'
            return f'could not cancel the instance: {_stage_error(CANCEL, exc).said}'
        return f'instance {self.instance_key} cancelled'


def delete_resource(client, key):
    client.request('POST', f'resources/{path_segment(key)}/deletion', body={}, expected=(200, 202, 204))


def run_smoke_test(options, context):
    """The camunda_smoke_test module."""
    probe = load_probe(options)
    wait_timeout = options.get('wait_timeout')
    if wait_timeout <= 0:
        raise ConfigurationError(f'wait_timeout must be more than 0 seconds, got {wait_timeout:g}.')
    tenant_id = options.get('tenant_id') or None
    # No `skipped` key unless skipped: Ansible evaluates failed_when and changed_when only on results without one.
    result = dict(
        changed=False,
        passed=False,
        failed_stage=None,
        stages=[],
        latency_seconds=None,
        run_id=None,
        process_definition_key=None,
        process_instance_key=None,
        tenant_id=tenant_id,
        cancelled=None,
        deleted=None,
        api_said=None,
    )
    if context.check_mode:
        result.update(skipped=True, msg='The smoke test deploys the probe and runs an instance: not run in check mode.')
        return result
    with CamundaClient(options, context) as client:
        run = SmokeRun(client, context, probe, tenant_id, wait_timeout)
        result['run_id'] = run.run_id
        failure = None
        try:
            run.stage(DEPLOY, run.deploy)
            result['process_definition_key'] = run.definition['key']
            created_at = run.clock()
            run.stage(CREATE, run.create)
            result['process_instance_key'] = run.instance_key
            run.stage(ACTIVATE, run.activate)
            run.stage(COMPLETE_JOB, run.complete_job)
            run.stage(PUBLISH, run.publish)
            run.stage(COMPLETE_INSTANCE, run.wait_for_completion)
            result['latency_seconds'] = round(run.clock() - created_at, 3)
        except StageFailed as exc:
            failure = exc
        result.update(stages=run.stages, changed=run.changed)
        if failure is not None and run.instance_key is not None:
            result['cancelled'] = run.cancel()
        if options.get('cleanup') and run.definition is not None:
            result['deleted'] = _delete(client, run.definition['key'])
            result['changed'] = result['changed'] or result['deleted'] == 'deleted'
    if failure is None:
        stage_times = ', '.join(f"{stage['name']} {stage['seconds']:.3f} s" for stage in result['stages'])
        result.update(
            passed=True, msg=f"The probe ran end to end in {result['latency_seconds']:.3f} s ({stage_times})."
        )
        return result
    result.update(
        failed_stage=failure.stage,
        api_said=failure.said,
        msg=f'Smoke test failed at stage {failure.stage!r}: {failure.said}.',
    )
    raise CamundaError(result.pop('msg'), **result)


def _delete(client, key):
    try:
        delete_resource(client, key)
    except CamundaError as exc:
        return f'not deleted: {_stage_error(DELETE, exc).said}'
    return 'deleted'
