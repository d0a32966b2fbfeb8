# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator application: its state, and how one request becomes one response (faults, auth, routing)."""

from __future__ import annotations

import http
import json
import sys
import threading
import time
import traceback
from dataclasses import dataclass, field

from . import admin, upgrade
from .auth import Authenticator, AuthSettings, TokenRevocation
from .cluster import ClusterShape, build_topology, cluster_is_up
from .deployments import DeploymentStore
from .errors import PROBLEM_CONTENT_TYPE, ApiError
from .faults import Faults
from .identity import IdentityApi
from .management import BackupWorld
from .messages import Call, Response, json_response
from .processes import ProcessEngine
from .routes import Router, api_routes
from .store import IdentityStore

STATUS_PATH = '/v2/status'
# Served without credentials in every auth mode: licenses.yaml, like the status endpoint, names no security
# scheme and no 401 answer (camunda/camunda zeebe/gateway-protocol/src/main/proto/v2/).
PUBLIC_PATHS = frozenset((STATUS_PATH, '/v2/license'))
# The methods Tomcat names in the Allow header of its TRACE refusal: those Spring's DispatcherServlet serves.
SERVLET_METHODS = 'GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH'
DEFAULT_USERS = {'demo': 'demo'}  # as the Helm chart seeds
DEFAULT_LICENSE = {'validLicense': False, 'licenseType': 'unknown', 'isCommercial': False, 'expiresAt': None}


@dataclass
class StartupConfig:
    """What reset() goes back to."""

    auth: AuthSettings = field(default_factory=AuthSettings)
    users: dict = field(default_factory=lambda: dict(DEFAULT_USERS))
    cluster: ClusterShape = field(default_factory=ClusterShape)
    license: dict = field(default_factory=lambda: dict(DEFAULT_LICENSE))


class RequestCounter:
    def __init__(self):
        self._lock = threading.Lock()
        self._counts = {}

    def add(self, method, path):
        with self._lock:
            self._counts[(method, path)] = self._counts.get((method, path), 0) + 1

    def count(self, path=None, method=None):
        with self._lock:
            return sum(
                n
                for (m, p), n in self._counts.items()
                if (path is None or p == path) and (method is None or m == method)
            )

    def clear(self):
        with self._lock:
            self._counts.clear()

    def as_json(self):
        with self._lock:
            return [{'method': m, 'path': p, 'count': n} for (m, p), n in sorted(self._counts.items())]


class EmulatorApp:
    """Everything behind the HTTP listeners; one instance may serve several listeners (HTTP and HTTPS)."""

    def __init__(self, startup=None, log=None):
        self.startup = startup or StartupConfig()
        self.log = log or (lambda message: print(message, file=sys.stderr))
        self.lock = threading.RLock()
        self.counter = RequestCounter()
        self.admin_router = Router(admin.admin_routes(self) + upgrade.admin_routes(self))
        self.reset()

    # -- state changes (the admin interface calls these) -----------------------------------------

    def reset(self):
        with self.lock:
            self.revocation = TokenRevocation()
            self.store = IdentityStore()
            self.store.seed(self.startup.users)
            self.deployments = DeploymentStore(self.store.new_key, key_lock=self.store.lock)
            self.processes = ProcessEngine(self)
            self.deployments.count_active_instances = self.processes.count_active
            self.cluster = self.startup.cluster
            self.faults = Faults()
            self.backups = BackupWorld(self)  # emulator/management.py: backups, snapshots, exporting
            self.rollout = None  # emulator/upgrade.py: a rolling upgrade in progress
            self.license = dict(self.startup.license)
            self.counter.clear()
            self.set_auth(**self.startup.auth.as_json())
            self.identity = IdentityApi(self.store, self)
            self.router = Router(api_routes(self, self.identity))
            self._changed()

    def set_auth(self, mode=None, **settings):
        with self.lock:
            base = getattr(self, 'auth_settings', self.startup.auth)
            self.auth_settings = base.changed(**({'mode': mode} if mode else {}), **settings)
            self.authenticator = Authenticator(self.auth_settings, self.store.tables['users'], self.revocation)

    def set_cluster(self, **changes):
        with self.lock:
            self.cluster = self.cluster.changed(**changes)
            self._changed()

    def set_faults(self, **changes):
        with self.lock:
            self.faults.update(changes)
            self._changed()

    def clear_faults(self):
        with self.lock:
            self.faults = Faults()
            self._changed()

    def set_license(self, **changes):
        unknown = sorted(set(changes) - set(DEFAULT_LICENSE))
        if unknown:
            raise ValueError(f'unknown license fields {unknown}; known: {sorted(DEFAULT_LICENSE)}')
        with self.lock:
            self.license.update(changes)

    def _changed(self):
        """Invalidates the cached topology: a new generation of cluster and faults."""
        self._generation = getattr(self, '_generation', 0) + 1

    def revoke_tokens(self):
        return self.revocation.revoke_until_now()

    def state(self):
        with self.lock:
            return {
                'auth': self.auth_settings.as_json(),
                'cluster': self.cluster.as_json(),
                'topology': self.topology(),
                'faults': self.faults.as_json(),
                'license': dict(self.license),
                'identity': self.store.as_json(),
                'requests': self.counter.as_json(),
                'tokens_revoked_through': self.revocation.revoked_through,
            }

    # -- what the identity handlers ask -----------------------------------------------------------

    def read_lag_s(self):
        return self.faults.read_lag_ms / 1000.0

    def users_managed_by_camunda(self):
        return self.auth_settings.mode != 'oidc'

    # -- request handling -------------------------------------------------------------------------

    def handle(self, request):
        """The response to one request; never raises."""
        try:
            if request.path.startswith(admin.ADMIN_PREFIX):
                return self._handle_admin(request)
            return self._handle_api(request)
        except ApiError as error:
            return problem_response(error, request.path)
        except Exception as error:  # a bug in the emulator: answer as Camunda does with an unexpected exception
            self.log(f'emulator: {request.method} {request.path} failed:\n{traceback.format_exc()}')
            return problem_response(ApiError(500, str(error), title=type(error).__name__), request.path)

    def _handle_admin(self, request):
        handler, params = self.admin_router.resolve(request.method, request.path)
        return handler(Call(request, params))

    def _handle_api(self, request):
        self.counter.add(request.method, request.path)
        if request.method == 'TRACE':
            # Refused by the embedded Tomcat before any filter (its allowTrace is off by default), on every path.
            raise ApiError(405, 'TRACE method is not allowed', headers=[('Allow', SERVLET_METHODS)])
        faults = self.faults
        if faults.latency_ms:
            time.sleep(faults.latency_ms / 1000.0)
        if faults.html_response:
            return html_page(faults.html_response)
        forced = faults.take_forced_status(request.path)
        if forced:
            raise forced_error(forced)
        principal = None
        if request.path not in PUBLIC_PATHS:
            principal = self.authenticator.authenticate(request)
            self._check_not_forbidden(principal, faults, request)
        handler, params = self.router.resolve(request.method, request.path)
        return handler(Call(request, params, principal))

    @staticmethod
    def _check_not_forbidden(principal, faults, request):
        if principal is not None and principal.id in faults.forbidden:
            permission, resource = required_permission(request.method, request.path)
            # Camunda's wording of an authorization refusal (the engine's FORBIDDEN rejection reason)
            raise ApiError(
                403, f"Insufficient permissions to perform operation '{permission}' on resource '{resource}'"
            )

    # -- cluster endpoints ------------------------------------------------------------------------

    def topology(self):
        return build_topology(self.cluster, self.faults)

    def get_topology(self, call):
        upgrade.on_topology_read(self)  # a rolling upgrade moves one step per read (emulator/upgrade.py)
        # Built once per generation of cluster and faults: GET /v2/topology is the benchmark path.
        generation, cached = getattr(self, '_topology_cache', (None, None))
        if generation != self._generation:
            generation = self._generation
            cached = json_response(200, self.topology())
            self._topology_cache = (generation, cached)
        return cached

    def get_status(self, call):
        up = not self.faults.status_down and cluster_is_up(self.topology())
        return Response(204 if up else 503)

    def get_license(self, call):
        return json_response(200, dict(self.license))

    def get_me(self, call):
        if call.principal is None:
            raise ApiError(
                401,
                'The request is not authenticated: no user is logged in.',
                headers=[('WWW-Authenticate', 'Basic realm="Camunda"')],
            )
        return json_response(200, self.identity.me(call.principal))


# The resource type a path belongs to, for the forbidden fault's message (the emulator's choice of wording
# target: Camunda names the permission and resource type that the caller lacks).
_RESOURCE_OF_PATH = {
    'users': 'USER',
    'roles': 'ROLE',
    'groups': 'GROUP',
    'tenants': 'TENANT',
    'mapping-rules': 'MAPPING_RULE',
    'authorizations': 'AUTHORIZATION',
}
_PERMISSION_OF_METHOD = {'GET': 'READ', 'POST': 'CREATE', 'PUT': 'UPDATE', 'PATCH': 'UPDATE', 'DELETE': 'DELETE'}


def required_permission(method, path):
    """(permission, resource type) a request needs: READ for reads and searches, SYSTEM outside identity."""
    parts = path.strip('/').split('/')
    resource = _RESOURCE_OF_PATH.get(parts[1] if len(parts) > 1 else '', 'SYSTEM')
    permission = 'READ' if path.endswith('/search') else _PERMISSION_OF_METHOD.get(method, 'READ')
    return permission, resource


def problem_response(error, instance):
    body = json.dumps(error.problem(instance), separators=(',', ':')).encode()
    return Response(error.status, body, PROBLEM_CONTENT_TYPE, list(error.headers))


def forced_error(forced):
    status = forced['status']
    headers = []
    if forced.get('retry_after') is not None:
        headers.append(('Retry-After', str(forced['retry_after'])))
    detail = {
        429: 'Too many requests: the rate limit is exceeded (emulated fault).',
        503: 'Expected to handle the REST request, but the broker is busy (backpressure; emulated fault).',
    }.get(status, f'{status} {_reason(status)} (emulated fault).')
    return ApiError(status, detail, headers=headers)


def html_page(status):
    reason = _reason(status)
    body = (
        f'<!DOCTYPE html>\n<html><head><title>{status} {reason}</title></head>\n'
        f'<body><h1>{status} {reason}</h1><p>Answered by the proxy in front of the cluster.</p></body></html>\n'
    )
    return Response(status, body.encode(), 'text/html; charset=utf-8')


def _reason(status):
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return 'Error'
