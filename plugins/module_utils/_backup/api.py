# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""BackupRun: the calls of a backup on the API this cluster has (actuator before 8.10, /v2 from 8.10).

For internal collection use only: no stable interface.
"""

from __future__ import annotations

import time

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import version_gate
from ansible_collections.community.camunda.plugins.module_utils._backup.endpoints import endpoint_for
from ansible_collections.community.camunda.plugins.module_utils._backup.judge import (
    backup_outcome,
    judge_exporting,
    judge_partitions,
)
from ansible_collections.community.camunda.plugins.module_utils._backup.spec import (
    BACKUP_SECRET_OPTIONS,
    EXPORTING,
    MIN_REQUEST_TIMEOUT,
    RECORDS_SNAPSHOT_PREFIX,
    V2_VERSION,
    required_parts,
    uses_generated_id,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    ApiError,
    CamundaError,
    ConfigurationError,
    TransportError,
    redact,
)
from ansible_collections.community.camunda.plugins.module_utils._core.responses import json_or_none
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport

# Right after a take, a part may read INCOMPLETE or DOES_NOT_EXIST until every partition (or snapshot) has started:
# that many reads are waited out before such a state counts as the outcome.
TRANSIENT_READS = 5


class StepFailed(CamundaError):
    """One step of the sequence failed; the message says which and why."""


def said(status, body):
    """'failed: HTTP <status> (<message>)' from an answer: Camunda's message or problem detail, or Elasticsearch's."""
    message = None
    if isinstance(body, dict):
        error = body.get('error')
        message = (
            body.get('message')
            or body.get('detail')
            or body.get('title')
            or (error.get('reason') if isinstance(error, dict) else error)
        )
    elif isinstance(body, str):
        message = body
    return f'failed: HTTP {status}' + (f' ({message})' if message else '')


class BackupRun(object):
    """One task: the endpoints, the chosen API (actuator or /v2), the storage's required parts, and the calls."""

    def __init__(self, options, context, client, sleep=time.sleep, clock=time.monotonic):
        self.options = options
        self.context = context
        self.client = client
        self.sleep = sleep
        self.clock = clock
        gate = version_gate(client)
        try:
            self.use_v2 = gate.supports(V2_VERSION) is True
        except TransportError as exc:
            # resuming exporting after an interrupted backup must work when the REST API is down: the management
            # port serves the actuator exporting endpoints on every version
            if options.get('component') != 'exporting' or not options.get('management_url'):
                raise
            context.warn(f'the REST API cannot be reached ({exc.msg}); exporting goes through management_url alone.')
            self.use_v2 = False
        self.cluster_version = gate.version
        self.rdbms = options.get('secondary_storage') == 'rdbms'
        self.generated_id = uses_generated_id(options)
        self.required = required_parts(options)
        # the exporting endpoints may work for up to 60 s on the server: never give up on them sooner
        timeout = max(float(options.get('timeout') or 0), MIN_REQUEST_TIMEOUT)
        client.transport.timeout = timeout
        self.transport = Transport.from_options(options)
        self.transport.timeout = timeout
        has = options.get
        self.management = (
            endpoint_for(options, 'the management API', 'management_url', 'management', self.transport)
            if has('management_url')
            else None
        )
        self.optimize = (
            endpoint_for(options, "Optimize's management API", 'optimize_url', 'management', self.transport)
            if has('optimize_url')
            else None
        )
        self.snapshot = (
            endpoint_for(options, 'the snapshot API', 'snapshot_url', 'snapshot', self.transport)
            if has('snapshot_url') and not self.rdbms
            else None
        )
        self.partition_endpoints = [
            endpoint_for(options, 'the broker management API', 'partitions_urls', 'management', self.transport, url)
            for url in (has('partitions_urls') or [])
        ] or ([self.management] if self.management else [])
        if not self.use_v2 and self.management is None:
            raise ConfigurationError(
                f'management_url is required on Camunda before {V2_VERSION} (this cluster runs '
                f'{self.cluster_version or "an unknown version"}): give the management port of the orchestration '
                'cluster, e.g. http://camunda-zeebe-gateway:9600 (Helm) or http://localhost:9600 (Compose, C8 Run).'
            )

    def close(self):
        self.transport.close()

    @property
    def api(self):
        return 'v2' if self.use_v2 else 'actuator'

    # -- the calls of one component ----------------------------------------------------------------------

    def _call(self, component, method, backup_id=None, body=None):
        """(status, body) of a backups call of runtime, history or optimize on the API this cluster has."""
        suffix = f'/{backup_id}' if backup_id is not None else ''
        if component == 'optimize':
            return self.optimize.send(method, '/actuator/backups' + suffix, body)
        if self.use_v2:
            try:
                response = self.client.request(
                    method, f'backups/{component}{suffix}', body=body, expected=(200, 201, 202, 204, 404, 409)
                )
            except ApiError as exc:
                return exc.status or 500, {'detail': exc.detail or exc.msg}
            return response.status_code, json_or_none(response)
        name = 'backupRuntime' if component == 'runtime' else 'backupHistory'
        return self.management.send(method, f'/actuator/{name}{suffix}', body)

    def list_backups(self, component):
        """[{backupId, state, ...}] of a component ([] when this cluster has no such part)."""
        if component == 'optimize' and self.optimize is None or component == 'history' and self.rdbms:
            return []
        status, body = self._call(component, 'GET')
        if status == 404 and component == 'history':
            raise StepFailed(
                f'listing history backups {said(status, body)}: the web apps answer 404 when no backup '
                'repository is configured (configure the Elasticsearch/OpenSearch snapshot repository of '
                'Operate and Tasklist; with relational secondary storage set secondary_storage: rdbms).'
            )
        if status == 403 and component == 'history' and self.use_v2:
            raise StepFailed(
                f'listing history backups {said(status, body)}: 8.10 refuses history backups when the '
                'secondary storage is relational (set secondary_storage: rdbms) or when the credentials '
                'lack the BACKUP permission.'
            )
        if status == 404:
            return []
        if status != 200:
            raise StepFailed(f'listing {component} backups {said(status, body)}')
        if isinstance(body, dict):  # 8.10 may wrap lists
            body = body.get('items') or body.get('backups') or []
        return [item for item in (body or []) if isinstance(item, dict)]

    def backup_state(self, component, backup_id):
        status, body = self._call(component, 'GET', backup_id)
        if status == 404:
            return 'DOES_NOT_EXIST', None
        if status != 200 or not isinstance(body, dict):
            raise StepFailed(f'reading {component} backup {backup_id} {said(status, body)}')
        return body.get('state') or 'UNKNOWN', body.get('failureReason')

    def take(self, component, backup_id):
        """Start a part; the id the cluster took (its own with a generated id: the take sends none then)."""
        body = {} if backup_id is None else {'backupId': backup_id}
        status, answer = self._call(component, 'POST', body=body)
        if status not in (200, 201, 202, 204):
            what = f'backup {backup_id}' if backup_id is not None else 'backup (id generated by the cluster)'
            raise StepFailed(f'taking the {component} {what} {said(status, answer)}')
        taken = answer.get('backupId') if isinstance(answer, dict) else None
        return int(taken) if str(taken or '').isdigit() else backup_id

    def delete(self, component, backup_id):
        """Delete one part of a backup (runtime, history, optimize or snapshot); a part already gone is fine."""
        if component == 'snapshot':
            status, body = self.snapshot.send('DELETE', self.snapshot_path(backup_id))
        else:
            status, body = self._call(component, 'DELETE', backup_id)
        if status not in (200, 202, 204, 404):
            raise StepFailed(f'deleting the {component} part of backup {backup_id} {said(status, body)}')

    def latest_id(self):
        """The highest id of any existing backup part (runtime, and history where it exists), or None."""
        ids = [
            int(item['backupId'])
            for component in ('runtime', 'history')
            for item in self.list_backups(component)
            if str(item.get('backupId', '')).isdigit()
        ]
        return max(ids) if ids else None

    def wait_for(self, what, read):
        """Poll ``read() -> (state, reason)`` until done; the state, or StepFailed on timeout or failure.

        INCOMPLETE and DOES_NOT_EXIST within the first TRANSIENT_READS reads after a take count as not started yet.
        """
        deadline = self.clock() + self.options.get('wait_timeout', 1800.0)
        reads = 0
        while True:
            state, reason = read()
            reads += 1
            outcome = backup_outcome(state)
            if outcome == 'ok':
                return state
            transient = state in ('INCOMPLETE', 'DOES_NOT_EXIST') and reads < TRANSIENT_READS
            if outcome == 'failed' and not transient:
                raise StepFailed(f'{what} ended {state}' + (f': {reason}' if reason else ''), state=state)
            if not self.options.get('wait', True) and not transient:
                return state
            if self.clock() >= deadline:
                raise StepFailed(
                    f'{what} was still {state} after wait_timeout ({self.options.get("wait_timeout")} s)', state=state
                )
            self.sleep(self.options.get('wait_interval', 5.0))

    # -- exporting --------------------------------------------------------------------------------------

    def exporting(self, action):
        """Pause (softly, as a backup needs) or resume exporting; (ok, message) judged from the answer's body."""
        query = '?soft=true' if action == 'pause' else ''
        if self.use_v2:
            try:
                response = self.client.request('POST', f'exporting/{action}{query}', expected=(200, 204))
            except ApiError as exc:
                return False, f'answered HTTP {exc.status}: {exc.detail or exc.msg}'
            return judge_exporting(response.status_code, json_or_none(response))
        status, body = self.management.send('POST', f'/actuator/exporting/{action}{query}')
        return judge_exporting(status, body)

    def partition_phases(self):
        """({partition: phase}, problems): every partition read from the brokers' management ports."""
        if not self.partition_endpoints:
            return self.v2_exporting_status()
        documents = []
        for endpoint in self.partition_endpoints:
            status, body = endpoint.send('GET', '/actuator/partitions')
            if status != 200 or not isinstance(body, dict):
                return {}, [f'GET {endpoint.url}/actuator/partitions {said(status, body)}']
            documents.append(body)
        expected = range(1, _partitions_count(self.client) + 1)
        return judge_partitions(documents, expected)

    def v2_exporting_status(self):
        """8.10's ``GET /v2/exporting``: one word for every partition (EXPORTING, PAUSED, SOFT_PAUSED or MIXED)."""
        status = (self.client.get_json('exporting') or {}).get('status')
        return {'all': status}, ([] if status == EXPORTING else [f'GET /v2/exporting says {status}'])

    # -- snapshot of the Zeebe record indices --------------------------------------------------------

    def snapshot_path(self, backup_id):
        return f'/_snapshot/{self.options.get("snapshot_repository")}/{RECORDS_SNAPSHOT_PREFIX}{backup_id}'

    def take_snapshot(self, backup_id):
        body = {'indices': self.options.get('snapshot_indices') or 'zeebe-record*', 'feature_states': ['none']}
        status, answer = self.snapshot.send('PUT', self.snapshot_path(backup_id), body)
        if status not in (200, 201):
            raise StepFailed(f'the snapshot {RECORDS_SNAPSHOT_PREFIX}{backup_id} {said(status, answer)}')

    def snapshot_state(self, backup_id, with_size=False):
        status, body = self.snapshot.send('GET', self.snapshot_path(backup_id) + ('/_status' if with_size else ''))
        if status == 404:
            return 'DOES_NOT_EXIST', None, None
        snapshots = body.get('snapshots') if isinstance(body, dict) else None
        if status != 200 or not snapshots:
            raise StepFailed(f'reading the snapshot {RECORDS_SNAPSHOT_PREFIX}{backup_id} {said(status, body)}')
        snapshot = snapshots[0]
        size = ((snapshot.get('stats') or {}).get('total') or {}).get('size_in_bytes')
        return snapshot.get('state') or 'UNKNOWN', snapshot.get('reason'), size


def _partitions_count(client):
    """The partitions the topology counts; 0 when it cannot be read (then only the brokers' answers count)."""
    try:
        topology = client.get_json('topology')
    except CamundaError:
        return 0
    return int(topology.get('partitionsCount') or 0) if isinstance(topology, dict) else 0


def with_run(options, context, work, sleep=time.sleep, clock=time.monotonic):
    """``work(run)`` with a BackupRun of this task; messages redacted of every secret option."""
    secrets = options.secrets() + [options.get(name) for name in BACKUP_SECRET_OPTIONS if options.get(name)]
    try:
        with CamundaClient(options, context) as client:
            run = BackupRun(options, context, client, sleep=sleep, clock=clock)
            try:
                return work(run)
            finally:
                run.close()
    except CamundaError as exc:
        exc.msg = redact(exc.msg, secrets)
        raise
