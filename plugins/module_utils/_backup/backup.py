# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""BACKUP_SPEC + run_backup: the camunda_backup core (a consistent backup of Camunda 8.8 to 8.10).

For internal collection use only: no stable interface.

The order is Camunda's (docs 8.8/8.9 "Camunda backup creation"): soft-pause exporting, back up the web-app data
(``backupHistory``) and Optimize, snapshot the Zeebe record indices in Elasticsearch/OpenSearch, back up the brokers
(``backupRuntime``), and resume exporting, always, even after a failure, then read every partition's exporter phase
to prove it. From 8.10 (the topology's gateway version, through the version gate) the backups and exporting calls go
to ``/v2/backups`` and ``/v2/exporting`` of the REST API; before, to the actuator endpoints of the management port.

The judging is pure (``judge_exporting``, ``judge_partitions``, ``backup_outcome``, ``next_backup_id``,
``overall_state``) and unit-tested; ``BackupRun`` only sends and waits.
"""

from __future__ import annotations

import base64
import time

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, CamundaError, ConfigurationError, redact
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec
from ansible_collections.community.camunda.plugins.module_utils._core.responses import describe_body, json_or_none
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport
from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import parse_version, version_gate

V2_VERSION = '8.10'
COMPONENTS = ('all', 'runtime', 'history', 'optimize', 'exporting')
RECORDS_SNAPSHOT_PREFIX = 'camunda_zeebe_records_backup_'
# Backup states of the management API (Zeebe's BackupStatusCode; the web apps use the same words).
DONE_OK = ('COMPLETED', 'SUCCESS')
DONE_FAILED = ('FAILED', 'INCOMPLETE', 'DOES_NOT_EXIST', 'DELETED', 'PARTIAL', 'INCOMPATIBLE')
EXPORTING = 'EXPORTING'
BACKUP_SECRET_OPTIONS = ('management_password', 'management_token', 'snapshot_password', 'snapshot_api_key')

# Where the backups live and how to reach them: shared by camunda_backup and camunda_backup_info.
ENDPOINT_OPTIONS = dict(
    management_url=dict(type='str'),
    management_validate_certs=dict(type='bool', default=True),
    management_ca_path=dict(type='path'),
    management_username=dict(type='str'),
    management_password=dict(type='str', no_log=True),
    management_token=dict(type='str', no_log=True),
    optimize_url=dict(type='str'),
    snapshot_url=dict(type='str'),
    snapshot_repository=dict(type='str', default='camunda'),
    snapshot_username=dict(type='str'),
    snapshot_password=dict(type='str', no_log=True),
    snapshot_api_key=dict(type='str', no_log=True),
    snapshot_validate_certs=dict(type='bool', default=True),
    snapshot_ca_path=dict(type='path'),
)
_ENDPOINT_RULES = dict(
    mutually_exclusive=[('management_password', 'management_token'), ('snapshot_password', 'snapshot_api_key')],
    required_together=[('management_username', 'management_password'), ('snapshot_username', 'snapshot_password')],
)

BACKUP_SPEC = module_spec(
    options=dict(
        ENDPOINT_OPTIONS,
        state=dict(type='str', default='present', choices=['present', 'absent']),
        id=dict(type='int'),
        component=dict(type='str', default='all', choices=list(COMPONENTS)),
        exporting=dict(type='str', choices=['pause', 'resume']),
        partitions_urls=dict(type='list', elements='str'),
        snapshot_indices=dict(type='str', default='zeebe-record*'),
        wait=dict(type='bool', default=True),
        wait_timeout=dict(type='float', default=1800.0),
        wait_interval=dict(type='float', default=5.0),
    ),
    required_if=[('component', 'exporting', ('exporting',)), ('state', 'absent', ('id',))],
    **_ENDPOINT_RULES
)

BACKUP_INFO_SPEC = module_spec(
    options=dict(
        ENDPOINT_OPTIONS,
        id=dict(type='int'),
        keep=dict(type='int', no_log=False),
    ),
    **_ENDPOINT_RULES
)


# -- pure judging ---------------------------------------------------------------------------------------------------


def judge_exporting(status_code, body):
    """(ok, message) of an answer of the exporting endpoints.

    From 8.9 they answer HTTP 200 whatever happened, with ``{"body": ..., "status": 204|500, "contentType": ...}``:
    the real outcome is the body's ``status``. Before (and 8.10's /v2), the HTTP status is the outcome.
    """
    if isinstance(body, dict) and 'status' in body and 'body' in body and status_code == 200:
        inner = body.get('status')
        said = body.get('body')
        message = said.get('message') if isinstance(said, dict) else (said if isinstance(said, str) else None)
        ok = isinstance(inner, int) and 200 <= inner < 300
        return ok, None if ok else f'answered HTTP 200 but status {inner} in the body: {message or "no message"}'
    if 200 <= status_code < 300:
        return True, None
    message = None
    if isinstance(body, dict):
        message = body.get('message') or body.get('detail') or body.get('error')
    return False, f'answered HTTP {status_code}: {message or "no message"}'


def judge_partitions(documents, expected):
    """({partition: exporter phase}, [problems]) over the brokers' ``GET /actuator/partitions`` answers.

    A partition read from several brokers counts as exporting only when every replica says EXPORTING; a partition
    of ``expected`` that no answer mentions cannot be proven, which is a problem too.
    """
    phases = {}
    for document in documents:
        for key, status in (document or {}).items():
            try:
                partition = int(key)
            except (TypeError, ValueError):
                continue
            phase = status.get('exporterPhase') if isinstance(status, dict) else None
            if phases.get(partition, EXPORTING) == EXPORTING:
                phases[partition] = phase or 'UNKNOWN'
    problems = [f'partition {p}: exporter phase {phases[p]}' for p in sorted(phases) if phases[p] != EXPORTING]
    problems += [f'partition {p}: no broker reported it' for p in sorted(set(expected) - set(phases))]
    return dict(sorted(phases.items())), problems


def backup_outcome(state):
    """'ok', 'failed' or 'waiting' for a backup or snapshot state."""
    if state in DONE_OK:
        return 'ok'
    if state in DONE_FAILED:
        return 'failed'
    return 'waiting'


def next_backup_id(requested, latest, now):
    """The id to take: ``requested`` when above ``latest``, else a refusal; by default the Unix time, kept above latest."""
    if requested is not None:
        if requested <= 0:
            raise ConfigurationError(f'id {requested} is not a positive integer: backup ids are positive integers.')
        if latest is not None and requested <= latest:
            raise ConfigurationError(
                f'id {requested} is not above the latest existing backup id {latest}: backup ids must always increase '
                '(the brokers refuse the same or a lower id). Give a higher id, or leave id unset for a timestamp-based one.')
        return requested
    candidate = int(now)
    return candidate if latest is None or candidate > latest else latest + 1


def overall_state(parts):
    """One state for a backup from its parts' states ({part: state}); a missing part makes it INCOMPLETE."""
    states = list(parts.values())
    if any(state == 'IN_PROGRESS' for state in states):
        return 'IN_PROGRESS'
    if any(state in ('FAILED', 'PARTIAL') for state in states):
        return 'FAILED'
    if states and all(state in DONE_OK for state in states):
        return 'COMPLETED'
    return 'INCOMPLETE'


def retention(backups, keep, protect_id=None):
    """{'delete': [...], 'kept': [...], 'left_alone': [...]} for ``backup_keep``-style retention.

    Keeps the ``keep`` newest COMPLETED backups and deletes the older completed ones, never ``protect_id`` (the one
    just taken). A backup in any other state (in progress, failed, incomplete) is left alone and listed: deleting an
    in-progress one would break it, and a failed one is for the operator to look at.
    """
    if keep is None or keep < 1:
        raise ConfigurationError(f'keep {keep!r}: keep at least 1 backup (the one just taken).')
    if protect_id is not None and all(b['id'] != protect_id for b in backups):
        # in check mode the backup is not taken: count it as the completed one it would be, so the prediction holds
        backups = list(backups) + [{'id': protect_id, 'state': 'COMPLETED'}]
    completed = sorted((b['id'] for b in backups if b.get('state') == 'COMPLETED'), reverse=True)
    kept = completed[:keep]
    delete = [backup_id for backup_id in completed[keep:] if backup_id != protect_id]
    if protect_id in completed[keep:]:
        kept.append(protect_id)
    left_alone = sorted((b['id'] for b in backups if b.get('state') != 'COMPLETED'), reverse=True)
    return {'delete': delete, 'kept': kept, 'left_alone': left_alone}


def backup_version(runtime_document, history_document):
    """The Camunda version a backup was taken with: the brokers' ``brokerVersion``, else the web-app snapshot names."""
    for detail in (runtime_document or {}).get('details') or []:
        if isinstance(detail, dict) and detail.get('brokerVersion'):
            return str(detail['brokerVersion'])
    for detail in (history_document or {}).get('details') or []:
        name = detail.get('snapshotName') if isinstance(detail, dict) else None
        # camunda_webapps_<id>_<version>_part_<n>_of_<m>
        pieces = str(name or '').split('_')
        if len(pieces) >= 4 and pieces[0] == 'camunda' and parse_version(pieces[3]):
            return pieces[3]
    return None


def restore_problems(backup, backup_id, cluster_version):
    """Why backup ``backup_id`` could not be restored into this cluster (empty: the preflight passes)."""
    if backup is None:
        return [f'backup {backup_id} does not exist on this cluster\'s backup store']
    problems = []
    if backup['state'] != 'COMPLETED':
        problems.append(f'backup {backup_id} is {backup["state"]}: only a completed backup can be restored')
    for part in ('runtime', 'history'):
        if part not in backup['parts']:
            problems.append(f'backup {backup_id} has no {part} part')
    taken_with, running = parse_version(backup.get('version')), parse_version(cluster_version)
    if taken_with is None:
        problems.append(f'the Camunda version of backup {backup_id} cannot be read: a restore needs the same version')
    elif running is None:
        problems.append('the cluster version cannot be read from the topology: a restore needs the same version')
    elif taken_with != running:
        problems.append(f'backup {backup_id} was taken with Camunda {backup["version"]}; this cluster runs '
                        f'{cluster_version}: a restore needs the same version (install {backup["version"]} first)')
    return problems


# -- HTTP to the management, Optimize and snapshot endpoints ------------------------------------------------------


class Endpoint(object):
    """Requests to one non-/v2 HTTP API (management port, Optimize, Elasticsearch) with its own TLS and auth."""

    def __init__(self, name, url, transport, verify, headers, ca_option):
        self.name = name
        self.url = url.rstrip('/')
        self.transport = transport
        self.verify = verify
        self.headers = headers
        self.ca_option = ca_option

    def send(self, method, path, body=None):
        """(status, JSON body or None); a connection failure raises TransportError."""
        kwargs = {'json': body} if body is not None else {}
        reply = self.transport.send(method, self.url + path, f'{self.name} at {self.url}', self.verify,
                                    ca_option=self.ca_option, headers=dict(self.headers), **kwargs)
        response = reply.response
        data = json_or_none(response)
        if response.status_code == 401:
            raise ApiError(f'{method} {self.url}{path}: {self.name} refused the credentials (401): check its '
                           'username/password or token options.', status=401)
        if data is None and response.content and response.status_code != 204:
            data = {'message': describe_body(response)}
        return response.status_code, data


def _endpoint(options, name, url, prefix, transport):
    validate = options.get(f'{prefix}_validate_certs', True)
    verify = False if not validate else (options.get(f'{prefix}_ca_path') or True)
    headers = {'Accept': 'application/json', 'User-Agent': 'community.camunda'}
    username, password = options.get(f'{prefix}_username'), options.get(f'{prefix}_password')
    if username and password:
        headers['Authorization'] = 'Basic ' + base64.b64encode(f'{username}:{password}'.encode()).decode()
    token = options.get('management_token') if prefix == 'management' else None
    if token:
        headers['Authorization'] = f'Bearer {token}'
    api_key = options.get('snapshot_api_key') if prefix == 'snapshot' else None
    if api_key:
        headers['Authorization'] = f'ApiKey {api_key}'
    return Endpoint(name, url, transport, verify, headers, f'{prefix}_ca_path')


class StepFailed(CamundaError):
    """One step of the sequence failed; the message says which and why."""


class BackupRun(object):
    """One task: the endpoints, the chosen API (actuator or /v2), and the sequence."""

    def __init__(self, options, context, client, sleep=time.sleep, clock=time.monotonic):
        self.options = options
        self.context = context
        self.client = client
        self.sleep = sleep
        self.clock = clock
        self.transport = Transport.from_options(options)
        self.use_v2 = version_gate(client).supports(V2_VERSION) is True
        self.cluster_version = version_gate(client).version
        management_url = options.get('management_url')
        self.management = _endpoint(options, 'the management API', management_url, 'management', self.transport) \
            if management_url else None
        optimize_url = options.get('optimize_url')
        self.optimize = _endpoint(options, "Optimize's management API", optimize_url, 'management', self.transport) \
            if optimize_url else None
        snapshot_url = options.get('snapshot_url')
        self.snapshot = _endpoint(options, 'the snapshot API', snapshot_url, 'snapshot', self.transport) \
            if snapshot_url else None
        self.partition_endpoints = [
            _endpoint(options, 'the broker management API', url, 'management', self.transport)
            for url in (options.get('partitions_urls') or ([management_url] if management_url else []))]
        if not self.use_v2 and self.management is None:
            raise ConfigurationError(
                f'management_url is required on Camunda before {V2_VERSION} (this cluster runs '
                f'{self.cluster_version or "an unknown version"}): give the management port of the orchestration '
                'cluster, e.g. http://camunda-zeebe-gateway:9600 (Helm) or http://localhost:9600 (Compose, C8 Run).')

    def close(self):
        self.transport.close()

    # -- the calls of one component ----------------------------------------------------------------------

    def _component_call(self, component, method, backup_id=None, body=None):
        """(status, body) of a backups call of runtime, history or optimize on the API this cluster has."""
        if component == 'optimize':
            path = '/actuator/backups' + (f'/{backup_id}' if backup_id is not None else '')
            return self.optimize.send(method, path, body)
        if self.use_v2:
            path = f'backups/{component}' + (f'/{backup_id}' if backup_id is not None else '')
            try:
                response = self.client.request(method, path, body=body, expected=(200, 201, 202, 204, 404, 409))
            except ApiError as exc:
                return exc.status or 500, {'message': exc.msg}
            return response.status_code, json_or_none(response)
        name = 'backupRuntime' if component == 'runtime' else 'backupHistory'
        return self.management.send(method, f'/actuator/{name}' + (f'/{backup_id}' if backup_id is not None else ''),
                                    body)

    def list_backups(self, component):
        """[{backupId, state, ...}] of a component ([] when the component is not deployed or has none)."""
        if component == 'optimize' and self.optimize is None:
            return []
        status, body = self._component_call(component, 'GET')
        if status == 404:
            return []
        if status != 200:
            raise StepFailed(f'listing {component} backups {_said(status, body)}')
        if isinstance(body, dict):  # 8.10 may wrap lists
            body = body.get('items') or body.get('backups') or []
        return [item for item in (body or []) if isinstance(item, dict)]

    def backup_state(self, component, backup_id):
        status, body = self._component_call(component, 'GET', backup_id)
        if status == 404:
            return 'DOES_NOT_EXIST', None
        if status != 200 or not isinstance(body, dict):
            raise StepFailed(f'reading {component} backup {backup_id} {_said(status, body)}')
        return body.get('state') or 'UNKNOWN', body.get('failureReason')

    def take(self, component, backup_id):
        status, body = self._component_call(component, 'POST', body={'backupId': backup_id})
        if status not in (200, 201, 202, 204):
            raise StepFailed(f'taking the {component} backup {backup_id} {_said(status, body)}')

    def wait_for(self, what, read):
        """Poll ``read() -> (state, reason)`` until done; (state, reason) or StepFailed on timeout or failure."""
        deadline = self.clock() + self.options.get('wait_timeout', 1800.0)
        while True:
            state, reason = read()
            outcome = backup_outcome(state)
            if outcome == 'ok':
                return state
            if outcome == 'failed':
                raise StepFailed(f'{what} ended {state}' + (f': {reason}' if reason else ''), state=state)
            if not self.options.get('wait', True):
                return state
            if self.clock() >= deadline:
                raise StepFailed(f'{what} was still {state} after wait_timeout ({self.options.get("wait_timeout")} s)',
                                 state=state)
            self.sleep(self.options.get('wait_interval', 5.0))

    # -- exporting --------------------------------------------------------------------------------------

    def exporting(self, action):
        """Pause (softly) or resume exporting; (ok, message) judged from the answer's body."""
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
            if self.use_v2:
                return self.v2_exporting_status()
            return {}, ['no management_url or partitions_urls: the exporter phase of the partitions cannot be read']
        documents = []
        for endpoint in self.partition_endpoints:
            status, body = endpoint.send('GET', '/actuator/partitions')
            if status != 200 or not isinstance(body, dict):
                return {}, [f'GET {endpoint.url}/actuator/partitions {_said(status, body)}']
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
        body = {'indices': self.options.get('snapshot_indices'), 'feature_states': ['none']}
        status, answer = self.snapshot.send('PUT', self.snapshot_path(backup_id), body)
        if status not in (200, 201):
            raise StepFailed(f'the snapshot {RECORDS_SNAPSHOT_PREFIX}{backup_id} {_said(status, answer)}')

    def snapshot_state(self, backup_id, with_size=False):
        status, body = self.snapshot.send('GET', self.snapshot_path(backup_id) + ('/_status' if with_size else ''))
        if status == 404:
            return 'DOES_NOT_EXIST', None, None
        snapshots = body.get('snapshots') if isinstance(body, dict) else None
        if status != 200 or not snapshots:
            raise StepFailed(f'reading the snapshot {RECORDS_SNAPSHOT_PREFIX}{backup_id} {_said(status, body)}')
        snapshot = snapshots[0]
        size = ((snapshot.get('stats') or {}).get('total') or {}).get('size_in_bytes')
        return snapshot.get('state') or 'UNKNOWN', snapshot.get('reason'), size


def _partitions_count(client):
    try:
        topology = client.get_json('topology')
    except ApiError:
        return 0
    return int(topology.get('partitionsCount') or 0) if isinstance(topology, dict) else 0


def _said(status, body):
    message = None
    if isinstance(body, dict):
        error = body.get('error')
        message = body.get('message') or body.get('detail') or (
            error.get('reason') if isinstance(error, dict) else error)
    return f'failed: HTTP {status}' + (f' ({message})' if message else '')


# -- the sequences ---------------------------------------------------------------------------------------------


def plan_steps(component, run_has):
    """The ordered steps for a component; ``run_has`` says which optional parts are configured."""
    if component == 'exporting':
        return []
    if component != 'all':
        return [component]
    steps = ['pause', 'history']
    if run_has.get('optimize'):
        steps.append('optimize')
    if run_has.get('snapshot'):
        steps.append('snapshot')
    steps.append('runtime')
    return steps


def _latest_id(run):
    ids = [int(item['backupId']) for component in ('runtime', 'history')
           for item in run.list_backups(component) if str(item.get('backupId', '')).isdigit()]
    return max(ids) if ids else None


def _present(run, options, context):
    component = options.get('component')
    if component == 'exporting':
        return _exporting_only(run, options.get('exporting'), context)
    backup_id = next_backup_id(options.get('id'), _latest_id(run), time.time())
    steps = plan_steps(component, {'optimize': run.optimize is not None, 'snapshot': run.snapshot is not None})
    result = dict(changed=True, backup_id=backup_id, component=component, api='v2' if run.use_v2 else 'actuator',
                  cluster_version=run.cluster_version, steps=[], parts={})
    if component == 'all' and run.snapshot is None:
        context.warn('snapshot_url is not set: the Zeebe record indices are not snapshotted (needed with '
                     'Elasticsearch/OpenSearch as secondary storage).')
    if component == 'optimize' and run.optimize is None:
        raise ConfigurationError('component optimize needs optimize_url (the management port of Optimize, e.g. :9620).')
    if context.check_mode:
        result['steps'] = [{'step': step, 'state': 'would run'} for step in steps]
        if 'pause' in steps:
            result['steps'].append({'step': 'resume', 'state': 'would run'})
        result['msg'] = f'would take backup {backup_id}: ' + ', '.join(s['step'] for s in result['steps'])
        return result
    failure = None
    try:
        for step in steps:
            _run_step(run, step, backup_id, result)
    except CamundaError as exc:
        failure = exc
        result['steps'].append({'step': step, 'state': 'failed', 'message': exc.msg})
    finally:
        if 'pause' in steps:
            _resume_and_prove(run, result)
    exporting = result.get('exporting', {})
    if failure is not None or exporting.get('resumed') is False:
        reasons = [f'step {step} failed: {failure.msg}'] if failure is not None else []
        if exporting.get('resumed') is False:
            reasons.append('EXPORTING IS NOT RESUMED on every partition (' + '; '.join(exporting['problems']) +
                           '): run camunda_backup with component=exporting exporting=resume until it succeeds')
        else:
            reasons.append('exporting was resumed and proven resumed on every partition')
        raise StepFailed(f'Backup {backup_id}: ' + '; '.join(reasons) + '.', backup_id=backup_id,
                         steps=result['steps'], parts=result['parts'], exporting=exporting)
    result['msg'] = f'backup {backup_id} completed: ' + ', '.join(f'{k} {v}' for k, v in result['parts'].items())
    return result


def _run_step(run, step, backup_id, result):
    if step == 'pause':
        ok, message = run.exporting('pause')
        result['steps'].append({'step': 'pause', 'state': 'ok' if ok else 'failed', 'message': message})
        if not ok:
            raise StepFailed(f'soft pause of exporting {message}')
        return
    if step == 'snapshot':
        run.take_snapshot(backup_id)
        state = run.wait_for(f'the snapshot {RECORDS_SNAPSHOT_PREFIX}{backup_id}',
                             lambda: run.snapshot_state(backup_id)[:2])
    else:
        run.take(step, backup_id)
        state = run.wait_for(f'the {step} backup {backup_id}', lambda: run.backup_state(step, backup_id))
    result['parts'][step] = state
    result['steps'].append({'step': step, 'state': state, 'message': None})


def _resume_and_prove(run, result):
    """Resume exporting, then read every partition; resumed only when each one says EXPORTING."""
    try:
        ok, message = run.exporting('resume')
    except CamundaError as exc:
        ok, message = False, exc.msg
    result['steps'].append({'step': 'resume', 'state': 'ok' if ok else 'failed', 'message': message})
    try:
        phases, problems = run.partition_phases()
    except CamundaError as exc:
        phases, problems = {}, [exc.msg]
    if not ok:
        problems = [f'resume {message}'] + problems
    result['exporting'] = {'resumed': not problems, 'partitions': {str(k): v for k, v in phases.items()},
                           'problems': problems}


def _still_exporting(phases):
    """After a pause: the partitions that did not pause (the problems of a pause, where a resume's are the paused ones)."""
    return [f'partition {p}: still exporting' for p, phase in sorted(phases.items()) if phase == EXPORTING]


def _exporting_only(run, action, context):
    phases, problems = run.partition_phases()
    if action == 'pause':
        problems = _still_exporting(phases)
    wanted_done = not problems if action == 'resume' else bool(phases) and not problems
    result = dict(changed=not wanted_done, component='exporting', exporting={'action': action},
                  api='v2' if run.use_v2 else 'actuator', cluster_version=run.cluster_version)
    if context.check_mode or wanted_done:
        result['exporting'].update(partitions={str(k): v for k, v in phases.items()}, problems=problems)
        result['msg'] = (f'exporting would be {action}d' if not wanted_done else f'exporting is already {action}d')
        return result
    ok, message = run.exporting(action)
    phases, problems = run.partition_phases()
    if action == 'pause':
        problems = _still_exporting(phases)
    result['exporting'].update(partitions={str(k): v for k, v in phases.items()}, problems=problems)
    if action == 'pause' and not ok:
        # A partial pause: some partitions may have paused. Undo it rather than leave the cluster half paused.
        undone, undo_message = run.exporting('resume')
        phases, problems = run.partition_phases()
        raise StepFailed(
            f'pausing exporting {message}; the partial pause was ' +
            ('undone: exporting resumed and proven resumed on every partition' if undone and not problems else
             f'NOT undone ({undo_message or "; ".join(problems)}): resume exporting'),
            exporting={'partitions': {str(k): v for k, v in phases.items()}, 'problems': problems})
    if not ok or (action == 'resume' and problems):
        raise StepFailed(f'{action} of exporting ' + (message or '; '.join(problems)), exporting=result['exporting'])
    result['msg'] = f'exporting {action}d'
    return result


def _info(run, options):
    parts_by_id = {}
    components = ['runtime', 'history'] + (['optimize'] if run.optimize is not None else [])
    for component in components:
        for item in run.list_backups(component):
            backup_id = item.get('backupId')
            if backup_id is None:
                continue
            entry = parts_by_id.setdefault(int(backup_id), {'parts': {}, 'failure_reasons': {}, 'documents': {}})
            entry['parts'][component] = item.get('state')
            entry['documents'][component] = item
            if item.get('failureReason'):
                entry['failure_reasons'][component] = item['failureReason']
    backups = []
    for backup_id in sorted(parts_by_id, reverse=True):
        entry = parts_by_id[backup_id]
        size = None
        if run.snapshot is not None:
            state, _reason, size = run.snapshot_state(backup_id, with_size=True)
            if state != 'DOES_NOT_EXIST':
                entry['parts']['snapshot'] = state
        version = backup_version(entry['documents'].get('runtime'), entry['documents'].get('history'))
        backups.append({'id': backup_id, 'state': overall_state(entry['parts']), 'parts': entry['parts'],
                        'failure_reasons': entry['failure_reasons'], 'size_bytes': size, 'version': version})
    result = dict(changed=False, backups=backups, api='v2' if run.use_v2 else 'actuator',
                  cluster_version=run.cluster_version)
    if options.get('keep') is not None:
        result['retention'] = retention(backups, options.get('keep'), options.get('id'))
    elif options.get('id') is not None:
        backup = next((b for b in backups if b['id'] == options.get('id')), None)
        result['backup'] = backup or {}
        result['restore_problems'] = restore_problems(backup, options.get('id'), run.cluster_version)
    return result


def _absent(run, options, context):
    backup_id = options.get('id')
    component = options.get('component')
    components = ['runtime', 'history', 'optimize', 'snapshot'] if component == 'all' else [component]
    existing = []
    for part in components:
        if part == 'optimize' and run.optimize is None or part == 'snapshot' and run.snapshot is None \
                or part == 'exporting':
            continue
        state = run.snapshot_state(backup_id)[0] if part == 'snapshot' else run.backup_state(part, backup_id)[0]
        if state != 'DOES_NOT_EXIST':
            existing.append(part)
    result = dict(changed=bool(existing), backup_id=backup_id, deleted=existing)
    if context.check_mode or not existing:
        result['msg'] = (f'would delete backup {backup_id}: ' + ', '.join(existing)) if existing else \
            f'backup {backup_id} does not exist'
        return result
    for part in existing:
        if part == 'snapshot':
            status, body = run.snapshot.send('DELETE', run.snapshot_path(backup_id))
        else:
            status, body = run._component_call(part, 'DELETE', backup_id)  # pylint: disable=protected-access
        if status not in (200, 202, 204, 404):
            raise StepFailed(f'deleting the {part} part of backup {backup_id} {_said(status, body)}')
    result['msg'] = f'deleted backup {backup_id}: ' + ', '.join(existing)
    return result


def _with_run(options, context, work, sleep=time.sleep, clock=time.monotonic):
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


def run_backup(options, context, sleep=time.sleep, clock=time.monotonic):
    """The camunda_backup core: take (present) or delete (absent) a backup, or pause/resume exporting."""
    if options.get('state') == 'absent':
        return _with_run(options, context, lambda run: _absent(run, options, context), sleep, clock)
    return _with_run(options, context, lambda run: _present(run, options, context), sleep, clock)


def run_backup_info(options, context):
    """The camunda_backup_info core: the backups with their state, parts, size and version; retention; preflight."""
    return _with_run(options, context, lambda run: _info(run, options))
