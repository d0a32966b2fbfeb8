# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Backups: the management API (port 9600), Optimize's (8092, the chart's `optimize.service.managementPort`), an
Elasticsearch-like snapshot API, and 8.10's `/v2`.

Three extra listeners share one `BackupWorld` (created by `EmulatorApp.reset()`, so `admin.reset()` clears it):

- orchestration management (`emulator.management_url`): `POST /actuator/exporting/pause[?soft=true]`,
  `POST /actuator/exporting/resume`, `POST|GET /actuator/backupRuntime[/{id}]`, `DELETE /actuator/backupRuntime/{id}`,
  the same for `/actuator/backupHistory`, and the brokers' `GET /actuator/partitions` (every partition: with the
  default 3x3x3 shape each broker holds every partition);
- Optimize (`emulator.optimize_url`): `/actuator/backups[/{id}]`;
- Elasticsearch-like (`emulator.snapshot_url`): `PUT|GET|DELETE /_snapshot/{repo}/{name}`, `GET .../_status`;
- on the main API, from 8.10: `/v2/backups/{runtime,history}[/{backupId}]`, `POST /v2/exporting/{pause,resume}`,
  `GET /v2/exporting` (the status of every partition in one word).

State moves are driven by requests, never by the clock: a backup or snapshot answers IN_PROGRESS to its first
`reads_to_complete` status reads (default 1), then its outcome (COMPLETED unless the `outcome` fault names another).
Faults (`BackupAdmin.set_faults`): `pause_fails=[partition, ...]` (those partitions do not pause; the others do,
and the answer reports a failure: a partial pause), `resume_fails=[partition, ...]`, `outcome={'runtime':
'FAILED'|'INCOMPLETE', 'history': ..., 'optimize': ..., 'snapshot': 'FAILED'|'PARTIAL'}`, `take_status={'runtime':
500, ...}` (the take request is refused with that status), `reads_to_complete=N`, `script=[{faults}, ...]` (each
exporting pause request, the start of a backup sequence, replaces the four step faults by the next entry: one playbook
runs several failure cases without an admin call between them).
"""

from __future__ import annotations

import base64
import json
import threading
import time
from urllib.parse import parse_qs

import requests

from .messages import Response, json_response

ADMIN_PREFIX = '/__emulator__/backups/'
# The exporting endpoints answer HTTP 200 always, the real status in the body, from 8.8 (8.8 management-api.md).
WRAPPED_EXPORTING_VERSION = (8, 8)
V2_BACKUPS_VERSION = (8, 10)
RUNTIME, HISTORY, OPTIMIZE, SNAPSHOT = 'runtime', 'history', 'optimize', 'snapshot'
DEFAULT_REPOSITORY = 'camunda'
RECORD_SNAPSHOT_SIZE = 4096  # bytes reported per emulated snapshot


def _version(text):
    parts = []
    for part in str(text).split('-', 1)[0].split('.')[:2]:
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)


class BackupWorld:
    """Backups of every component, snapshots, exporter phases and faults; one lock guards all."""

    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        self.backups = {RUNTIME: {}, HISTORY: {}, OPTIMIZE: {}}
        self.snapshots = {}  # (repository, name) -> record
        self.repositories = {DEFAULT_REPOSITORY}
        self.phases = {}  # partition -> EXPORTING | PAUSED | SOFT_PAUSED; missing means EXPORTING
        self.faults = {
            'pause_fails': [],
            'resume_fails': [],
            'outcome': {},
            'take_status': {},
            'reads_to_complete': 1,
            'script': [],
            'pause_unreachable': False,
        }
        # every id ever taken, per component: ids are never reused, even after a deletion (zeebe-backup-and-restore.md)
        self.used_ids = {RUNTIME: set(), HISTORY: set(), OPTIMIZE: set()}
        # continuous backups, or a backup or checkpoint scheduler: the cluster makes the runtime backup ids
        self.continuous_backups = False
        # 8.10: the physical tenants; with more than one, /actuator/partitions is keyed by tenant (issue 27 item 5)
        self.physical_tenants = ['default']
        self.management_auth = None  # (username, password) once the management port is protected
        self.snapshot_auth = None
        self.requests = []  # (listener, method, path) in order, for tests that prove what was (not) sent

    # -- admin --------------------------------------------------------------------------------------

    def set_faults(self, **faults):
        unknown = sorted(set(faults) - set(self.faults))
        if unknown:
            raise ValueError(f'unknown backup faults {unknown}; known: {sorted(self.faults)}')
        with self.lock:
            self.faults.update(faults)

    def set_auth(self, management=None, snapshot=None):
        with self.lock:
            self.management_auth = tuple(management) if management else None
            self.snapshot_auth = tuple(snapshot) if snapshot else None

    def set_schedulers(self, continuous_backups=False):
        with self.lock:
            self.continuous_backups = bool(continuous_backups)

    def set_physical_tenants(self, tenants):
        with self.lock:
            self.physical_tenants = list(tenants) or ['default']

    def rdbms(self):
        return self.app.cluster.secondary_storage == 'rdbms'

    def generated_ids(self):
        """Relational secondary storage requires continuous backups; any storage may enable them or a scheduler."""
        return self.rdbms() or self.continuous_backups

    def set_phases(self, phases):
        with self.lock:
            self.phases = {int(partition): phase for partition, phase in phases.items()}

    def add_backup(self, component, backup_id, state, version=None):
        """A backup that exists already (e.g. from earlier runs), in a given state, taken with ``version``."""
        with self.lock:
            if component == SNAPSHOT:
                self.snapshots[(DEFAULT_REPOSITORY, f'camunda_zeebe_records_backup_{int(backup_id)}')] = {
                    'state': state,
                    'reads_left': 0,
                    'outcome': state,
                    'indices': 'zeebe-record*',
                    'feature_states': ['none'],
                }
                return
            record = {'state': state, 'reads_left': 0, 'outcome': state, 'version': version or self.version_text()}
            self.backups[component][int(backup_id)] = record
            self.used_ids[component].add(int(backup_id))

    def state(self):
        with self.lock:
            return {
                'backups': {
                    kind: {str(k): v['state'] for k, v in sorted(items.items())} for kind, items in self.backups.items()
                },
                'snapshots': {
                    f'{repo}/{name}': record['state'] for (repo, name), record in sorted(self.snapshots.items())
                },
                'phases': {str(p): self.phase(p) for p in self.partitions()},
                'faults': json.loads(json.dumps(self.faults)),
                'requests': [list(entry) for entry in self.requests],
            }

    # -- model ----------------------------------------------------------------------------------------

    def partitions(self):
        return list(range(1, self.app.cluster.partitions + 1))

    def phase(self, partition):
        return self.phases.get(partition, 'EXPORTING')

    def version(self):
        return _version(self.version_text())

    def version_text(self):
        shape = self.app.cluster
        return shape.gateway_version or shape.version

    def take(self, component, backup_id, v2=False):
        """(backup id, None) when scheduled, else (None, (status, message)).

        A runtime backup takes no id when the cluster generates them (a millisecond timestamp, kept above every id
        used), and must have one otherwise. A history backup always needs one; a duplicate is 400 on the actuator and
        409 on 8.10's /v2.
        """
        with self.lock:
            if component == RUNTIME and self.generated_ids():
                if backup_id is not None:
                    return None, (
                        400,
                        'The backupId must be omitted: continuous backups or a backup schedule are '
                        'enabled, so the id is generated.',
                    )
                backup_id = max([int(time.time() * 1000)] + [i + 1 for i in self.used_ids[RUNTIME]])
            if backup_id is None:
                return None, (400, 'backupId must be a positive integer.')
            refused = self.faults['take_status'].get(component)
            if refused:
                return None, (refused, f'Failed to take backup {backup_id} (emulated fault).')
            existing = self.backups[component]
            used = self.used_ids[component]
            if component == RUNTIME and used and max(used) >= backup_id:
                return None, (
                    409,
                    f'A backup with id {max(used)} already exists, which is the same or higher than '
                    f'the requested id {backup_id}.',
                )
            if backup_id in used:
                return None, (
                    409 if v2 or component == OPTIMIZE else 400,
                    f'A backup with id {backup_id} already exists.',
                )
            used.add(backup_id)
            outcome = self.faults['outcome'].get(component, 'COMPLETED')
            # the version the backup is taken with: the brokers report it, the web-app snapshot names carry it
            existing[backup_id] = {
                'state': 'IN_PROGRESS',
                'reads_left': int(self.faults['reads_to_complete']),
                'outcome': outcome,
                'version': self.version_text(),
            }
            return backup_id, None

    def read(self, component, backup_id):
        """The record after one status read (which may move it on), or None."""
        with self.lock:
            record = self.backups[component].get(backup_id)
            if record is None:
                return None
            if record['state'] == 'IN_PROGRESS':
                if record['reads_left'] <= 0:
                    record['state'] = record['outcome']
                record['reads_left'] -= 1
            return dict(record)

    def delete(self, component, backup_id):
        with self.lock:
            return self.backups[component].pop(backup_id, None) is not None

    def change_exporting(self, action, soft):
        """Apply pause/resume to every partition; returns the partitions that failed."""
        with self.lock:
            if action == 'pause' and self.faults['script']:
                # the next backup sequence (each starts with a pause) runs with the next faults of the script
                self.faults.update(
                    {
                        'pause_fails': [],
                        'resume_fails': [],
                        'outcome': {},
                        'take_status': {},
                        'pause_unreachable': False,
                    },
                    **self.faults['script'].pop(0),
                )
            if action == 'pause' and self.faults['pause_unreachable']:
                return None  # a broker cannot be reached: the pause fails as a whole, no partition changes
            failing = [int(p) for p in self.faults['pause_fails' if action == 'pause' else 'resume_fails']]
            target = ('SOFT_PAUSED' if soft else 'PAUSED') if action == 'pause' else 'EXPORTING'
            failed = []
            for partition in self.partitions():
                if partition in failing:
                    failed.append(partition)
                else:
                    self.phases[partition] = target
            return failed


# -- HTTP ------------------------------------------------------------------------------------------------


class _ListenerApp:
    """What a `_Listener` needs of an app: `handle(request)` and `auth_settings` (for the Date header)."""

    kind = None

    def __init__(self, app):
        self.app = app

    @property
    def auth_settings(self):
        return self.app.auth_settings

    @property
    def world(self):
        return self.app.backups

    def handle(self, request):
        try:
            if request.path.startswith(ADMIN_PREFIX) and self.kind == 'management':
                return _admin(self.world, request)
            with self.world.lock:
                self.world.requests.append((self.kind, request.method, request.path))
            refusal = self._refuse_unauthenticated(request)
            if refusal is not None:
                return refusal
            return self.route(request)
        except Exception as error:  # pylint: disable=broad-except
            self.app.log(f'emulator backups: {request.method} {request.path} failed: {error!r}')
            return json_response(500, {'message': str(error)})

    def expected_auth(self):
        return self.world.management_auth

    def _refuse_unauthenticated(self, request):
        expected = self.expected_auth()
        if expected is None:
            return None
        header = request.headers.get('Authorization') or ''
        wanted = 'Basic ' + base64.b64encode(f'{expected[0]}:{expected[1]}'.encode()).decode()
        if header != wanted:
            return json_response(
                401,
                {'status': 401, 'error': 'Unauthorized', 'path': request.path},
                headers=[('WWW-Authenticate', 'Basic realm="management"')],
            )
        return None

    def route(self, request):
        raise NotImplementedError


def _body(request):
    try:
        return json.loads(request.body or b'{}')
    except ValueError:
        return None


def _backup_id(value):
    try:
        backup_id = int(value)
    except (TypeError, ValueError):
        return None
    return backup_id if backup_id > 0 else None


def _runtime_document(backup_id, record, partitions):
    state, version = record['state'], record['version']
    failed = state in ('FAILED', 'INCOMPLETE')
    # every field of PartitionBackupInfo is required (nullable where unknown), as the 10.x client's model reads it
    details = [
        {
            'partitionId': p,
            'state': state,
            'failureReason': 'Emulated failure.' if failed else None,
            'createdAt': '2026-12-01T00:00:00Z',
            'lastUpdatedAt': '2026-12-01T00:00:01Z',
            'snapshotId': f'{10 * p}-1-{10 * p}-{10 * p}' if state == 'COMPLETED' else None,
            'firstLogPosition': 1,
            'checkpointPosition': 10 * p,
            'brokerId': (p - 1) % 3,
            'brokerVersion': version,
        }
        for p in partitions
    ]
    return {
        'backupId': backup_id,
        'state': state,
        'details': details,
        'failureReason': 'Emulated failure of a partition backup.' if failed else None,
    }


def _webapp_document(backup_id, record):
    state, version = record['state'], record['version']
    parts = 6
    snapshot_state = {'COMPLETED': 'SUCCESS', 'IN_PROGRESS': 'IN_PROGRESS'}.get(state, 'FAILED')
    details = [
        {
            'snapshotName': f'camunda_webapps_{backup_id}_{version}_part_{n}_of_{parts}',
            'state': snapshot_state,
            'startTime': '2026-12-01T00:00:00Z',
            'failures': ['emulated'] if snapshot_state == 'FAILED' else [],
        }
        for n in range(1, parts + 1)
    ]
    return {
        'backupId': backup_id,
        'state': state,
        'details': details,
        'failureReason': 'Emulated snapshot failure.' if state in ('FAILED', 'INCOMPLETE') else None,
    }


class ManagementApp(_ListenerApp):
    """The orchestration cluster's management port (9600): exporting, runtime and history backups, partitions."""

    kind = 'management'

    def route(self, request):
        parts = request.path.strip('/').split('/')
        if parts[:1] != ['actuator'] or len(parts) < 2:
            return json_response(404, {'status': 404, 'error': 'Not Found', 'path': request.path})
        endpoint, rest = parts[1], parts[2:]
        if endpoint == 'exporting' and request.method == 'POST' and len(rest) == 1 and rest[0] in ('pause', 'resume'):
            soft = parse_qs(request.query).get('soft', ['false'])[-1] == 'true'
            return self.exporting(rest[0], soft)
        if endpoint == 'partitions' and request.method == 'GET' and not rest:
            return self.partitions()
        if endpoint in ('backupRuntime', 'backupHistory'):
            component = RUNTIME if endpoint == 'backupRuntime' else HISTORY
            return backup_endpoint(self.world, component, request, rest)
        return json_response(404, {'status': 404, 'error': 'Not Found', 'path': request.path})

    def exporting(self, action, soft):
        failed = self.world.change_exporting(action, soft)
        message = None
        if failed is None:
            # a pause that cannot reach every broker: the body is a plain string (issue 27 item 6)
            text = 'Failed to pause exporting: not every broker could be reached'
            if self.world.version() >= WRAPPED_EXPORTING_VERSION:
                return json_response(200, {'body': text, 'status': 500, 'contentType': 'text/plain'})
            return Response(500, body=text.encode(), content_type='text/plain')
        if failed:
            # Zeebe's wording when a partition cannot take part (operations.md §5, 8.9 management-API docs)
            message = '; '.join(f'Failed to {action} exporting on partition {p}: partition unavailable' for p in failed)
        if self.world.version() >= WRAPPED_EXPORTING_VERSION:
            wrapped = {
                'body': {'message': message} if message else None,
                'status': 500 if message else 204,
                'contentType': None,
            }
            return json_response(200, wrapped)
        return json_response(500, {'message': message}) if message else Response(204)

    def partitions(self):
        world = self.world
        document = {}
        with world.lock:
            for partition in world.partitions():
                document[str(partition)] = {
                    'role': 'LEADER',
                    'snapshotId': None,
                    'processedPosition': 10,
                    'processedPositionInSnapshot': None,
                    'streamProcessorPhase': 'PROCESSING',
                    'exporterPhase': world.phase(partition),
                    'exportedPosition': 10,
                    'health': 'HEALTHY',
                }
            tenants = list(world.physical_tenants)
        if len(tenants) > 1:
            return json_response(200, {tenant: document for tenant in tenants})
        return json_response(200, document)


def backup_endpoint(world, component, request, rest, v2=False):
    """POST (take), GET (list or one), DELETE of one component's backups (the actuator's, or with v2 8.10's)."""

    def error(status, message):
        if v2:  # 8.10's /v2 answers problem details
            return json_response(
                status,
                {
                    'type': 'about:blank',
                    'title': _TITLES.get(status, 'INTERNAL'),
                    'status': status,
                    'detail': message,
                    'instance': request.path,
                },
                content_type='application/problem+json',
            )
        return json_response(status, {'message': message})

    if v2 and component == HISTORY and world.rdbms():
        return error(
            403,
            'History backups are only available when the secondary storage is Elasticsearch or '
            'OpenSearch; this cluster uses a relational database.',
        )
    if request.method == 'POST' and not rest:
        body = _body(request)
        given = body.get('backupId') if isinstance(body, dict) else None
        backup_id = _backup_id(given)
        if given is not None and backup_id is None:
            return error(400, 'backupId must be a positive integer.')
        backup_id, refused = world.take(component, backup_id, v2=v2)
        if refused:
            return error(*refused)
        if component == HISTORY:
            snapshots = [f'camunda_webapps_{backup_id}_{world.version_text()}_part_{n}_of_6' for n in range(1, 7)]
            if v2:  # TakeHistoryBackupResponse: 202 with backupId and scheduledSnapshots
                return json_response(202, {'backupId': backup_id, 'scheduledSnapshots': snapshots})
            return json_response(200, {'scheduledSnapshots': snapshots})
        if v2:  # TakeRuntimeBackupResponse: 202 with backupId
            return json_response(202, {'backupId': backup_id})
        return json_response(202, {'message': f'A backup with id {backup_id} has been scheduled.'})
    if request.method == 'GET' and not rest:
        with world.lock:
            ids = sorted(world.backups[component], reverse=True)
        return json_response(
            200, [_document(world, component, backup_id, world.read(component, backup_id)) for backup_id in ids]
        )
    backup_id = _backup_id(rest[0]) if len(rest) == 1 else None
    if backup_id is None:
        return json_response(404, {'message': 'No such endpoint.'})
    if request.method == 'GET':
        record = world.read(component, backup_id)
        if record is None:
            return error(404, f'No backup with id {backup_id} found.')
        return json_response(200, _document(world, component, backup_id, record))
    if request.method == 'DELETE':
        if not world.delete(component, backup_id):
            return error(404, f'No backup with id {backup_id} found.')
        return Response(204)
    return error(405, f'{request.method} is not supported.')


_TITLES = {400: 'INVALID_ARGUMENT', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 409: 'ALREADY_EXISTS', 500: 'INTERNAL'}


def _document(world, component, backup_id, record):
    if component == RUNTIME:
        return _runtime_document(backup_id, record, world.partitions())
    return _webapp_document(backup_id, record)


class OptimizeApp(_ListenerApp):
    """Optimize's management port (8092): `/actuator/backups`."""

    kind = 'optimize'

    def route(self, request):
        parts = request.path.strip('/').split('/')
        if parts[:2] != ['actuator', 'backups']:
            return json_response(404, {'message': 'Not Found'})
        return backup_endpoint(self.world, OPTIMIZE, request, parts[2:])


class SnapshotApp(_ListenerApp):
    """An Elasticsearch-like snapshot API: `_snapshot/{repository}/{snapshot}` (create, get, status, delete)."""

    kind = 'snapshot'

    def expected_auth(self):
        return self.world.snapshot_auth

    def route(self, request):
        parts = request.path.strip('/').split('/')
        if parts[:1] != ['_snapshot'] or len(parts) < 3:
            return _es_error(400, 'illegal_argument_exception', f'no handler found for uri [{request.path}]')
        repository, name, rest = parts[1], parts[2], parts[3:]
        world = self.world
        if repository not in world.repositories:
            return _es_error(404, 'repository_missing_exception', f'[{repository}] missing')
        key = (repository, name)
        with world.lock:
            if request.method == 'PUT' and not rest:
                if key in world.snapshots:
                    # the race of camunda/camunda#50306 gives the same error
                    return _es_error(
                        400,
                        'snapshot_name_already_in_use_exception',
                        f'[{repository}:{name}] Invalid snapshot name [{name}], snapshot with the same name '
                        'already exists',
                    )
                body = _body(request)
                if not isinstance(body, dict) or not body.get('indices'):
                    return _es_error(400, 'action_request_validation_exception', 'indices are required by this test')
                refused = world.faults['take_status'].get(SNAPSHOT)
                if refused:
                    return _es_error(refused, 'snapshot_exception', f'[{repository}:{name}] emulated failure')
                world.snapshots[key] = {
                    'state': 'IN_PROGRESS',
                    'reads_left': int(world.faults['reads_to_complete']),
                    'outcome': world.faults['outcome'].get(SNAPSHOT, 'SUCCESS'),
                    'indices': body['indices'],
                    'feature_states': body.get('feature_states'),
                }
                return json_response(200, {'accepted': True})
            record = world.snapshots.get(key)
            if record is None:
                return _es_error(404, 'snapshot_missing_exception', f'[{repository}:{name}] is missing')
            if request.method == 'DELETE' and not rest:
                del world.snapshots[key]
                return json_response(200, {'acknowledged': True})
            if request.method == 'GET' and rest in ([], ['_status']):
                if record['state'] == 'IN_PROGRESS':
                    if record['reads_left'] <= 0:
                        record['state'] = record['outcome']
                    record['reads_left'] -= 1
                snapshot = {
                    'snapshot': name,
                    'repository': repository,
                    'state': record['state'],
                    'indices': [record['indices']] if isinstance(record['indices'], str) else record['indices'],
                }
                if rest:
                    snapshot['stats'] = {'total': {'file_count': 4, 'size_in_bytes': RECORD_SNAPSHOT_SIZE}}
                return json_response(200, {'snapshots': [snapshot]})
        return _es_error(405, 'method_not_allowed', f'{request.method} not allowed')


def _es_error(status, kind, reason):
    cause = {'type': kind, 'reason': reason}
    return json_response(status, {'error': {'root_cause': [cause], **cause}, 'status': status})


def v2_backup_routes(app):
    """8.10's `/v2/backups/{runtime,history}` and `/v2/exporting/{pause,resume}` on the main API (one line in routes)."""

    def backups(component, with_id):
        def handler(call):
            _require_v2(app)
            return backup_endpoint(app.backups, component, call.request, list(call.params) if with_id else [], v2=True)

        return handler

    def exporting(action):
        def handler(call):
            _require_v2(app)
            soft = parse_qs(call.request.query).get('soft', ['false'])[-1] == 'true'
            failed = app.backups.change_exporting(action, soft)
            if failed is None:
                failed = 'all (a broker cannot be reached)'
            if failed:
                return json_response(
                    500,
                    {
                        'type': 'about:blank',
                        'title': 'INTERNAL',
                        'status': 500,
                        'detail': f'Failed to {action} exporting on partitions {failed}',
                        'instance': call.request.path,
                    },
                    content_type='application/problem+json',
                )
            return Response(204)

        return handler

    routes = []
    for component in (RUNTIME, HISTORY):
        routes += [
            ('POST', f'/v2/backups/{component}', backups(component, False)),
            ('GET', f'/v2/backups/{component}', backups(component, False)),
            ('GET', f'/v2/backups/{component}/{{backupId}}', backups(component, True)),
            ('DELETE', f'/v2/backups/{component}/{{backupId}}', backups(component, True)),
        ]

    def status(call):
        _require_v2(app)
        world = app.backups
        with world.lock:
            phases = {world.phase(p) for p in world.partitions()}
        # ExportingStatusCode: EXPORTING, PAUSED, SOFT_PAUSED, or MIXED when the partitions differ
        return json_response(200, {'status': phases.pop() if len(phases) == 1 else 'MIXED'})

    routes += [
        ('POST', '/v2/exporting/pause', exporting('pause')),
        ('POST', '/v2/exporting/resume', exporting('resume')),
        ('GET', '/v2/exporting', status),
    ]
    return routes


def _require_v2(app):
    from .errors import ApiError  # pylint: disable=import-outside-toplevel

    if app.backups.version() < V2_BACKUPS_VERSION:
        raise ApiError(404, 'No endpoint for this path on this cluster version.')


def _admin(world, request):
    name = request.path[len(ADMIN_PREFIX) :]
    try:
        body = _body(request) or {}
        if request.method == 'GET' and name == 'state':
            return json_response(200, world.state())
        if request.method == 'POST' and name == 'faults':
            world.set_faults(**body)
        elif request.method == 'POST' and name == 'auth':
            world.set_auth(**body)
        elif request.method == 'POST' and name == 'schedulers':
            world.set_schedulers(**body)
        elif request.method == 'POST' and name == 'physical_tenants':
            world.set_physical_tenants(body.get('tenants') or [])
        elif request.method == 'POST' and name == 'phases':
            world.set_phases(body)
        elif request.method == 'POST' and name == 'add':
            world.add_backup(body['component'], body['backup_id'], body['state'], body.get('version'))
        else:
            return json_response(404, {'error': f'no admin call {request.method} {name}'})
    except (ValueError, TypeError, KeyError) as error:
        return json_response(400, {'error': str(error)})
    return json_response(200, {'ok': True})


class BackupAdmin:
    """Client of the backup admin calls on the management port (the main `admin.reset()` clears this state)."""

    def __init__(self, management_url, timeout=10):
        self.url = management_url.rstrip('/') + ADMIN_PREFIX
        self.timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False
        self._session.headers['Connection'] = 'close'  # as EmulatorAdmin: no idle keep-alive connection to race

    def set_faults(self, **faults):
        self._call('POST', 'faults', faults)

    def set_auth(self, management=None, snapshot=None):
        """(username, password) required on the management (and Optimize) ports, or on the snapshot API."""
        self._call('POST', 'auth', {'management': management, 'snapshot': snapshot})

    def set_physical_tenants(self, tenants):
        """8.10's physical tenants (default ['default']); the phases and backups are shared by all in this model."""
        self._call('POST', 'physical_tenants', {'tenants': list(tenants)})

    def set_schedulers(self, continuous_backups=False):
        """Continuous backups (or a backup or checkpoint scheduler) on: the cluster generates runtime backup ids."""
        self._call('POST', 'schedulers', {'continuous_backups': continuous_backups})

    def set_phases(self, phases):
        """{partition: 'EXPORTING' | 'PAUSED' | 'SOFT_PAUSED'}: the exporter phase each partition reports."""
        self._call('POST', 'phases', {str(k): v for k, v in phases.items()})

    def add_backup(self, component, backup_id, state='COMPLETED', version=None):
        """An existing backup part (runtime, history, optimize, or snapshot: the records snapshot, state SUCCESS);
        version: the Camunda version it was taken with (default: the cluster's now)."""
        self._call('POST', 'add', {'component': component, 'backup_id': backup_id, 'state': state, 'version': version})

    def state(self):
        return self._call('GET', 'state')

    def close(self):
        self._session.close()

    def _call(self, method, name, body=None):
        response = self._session.request(method, self.url + name, json=body, timeout=self.timeout, verify=False)
        if response.status_code != 200:
            raise RuntimeError(f'{method} {ADMIN_PREFIX}{name}: {response.status_code} {response.text}')
        return response.json()


def start_backup_listeners(server):
    """Start the management, Optimize and snapshot listeners of an EmulatorServer (plain HTTP on free ports)."""
    server.management_url = server.listen_app(ManagementApp(server.app))
    server.optimize_url = server.listen_app(OptimizeApp(server.app))
    server.snapshot_url = server.listen_app(SnapshotApp(server.app))
    server.backup_admin = BackupAdmin(server.management_url)
