# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP(S) transport: threaded HTTP/1.1 listeners with keep-alive, in front of one EmulatorApp."""

from __future__ import annotations

import email.utils
import socket
import ssl
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .admin import EmulatorAdmin
from .app import DEFAULT_LICENSE, DEFAULT_USERS, EmulatorApp, StartupConfig
from .auth import AuthSettings
from .cluster import ClusterShape
from .management import start_backup_listeners
from .messages import Request

_IDLE_TIMEOUT_S = 120  # an idle keep-alive connection is closed after this
_MAX_BODY = 8 * 1024 * 1024


class _Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'  # keep-alive
    server_version = 'camunda-emulator'
    sys_version = ''
    disable_nagle_algorithm = True
    timeout = _IDLE_TIMEOUT_S

    def _serve(self):
        request = Request(self.command, *_split_target(self.path), self.headers, self._read_body())
        response = self.server.app.handle(request)
        self._write(response, with_body=self.command != 'HEAD')

    # TRACE too: Camunda's embedded Tomcat refuses it (allowTrace is off) with 405, where the standard library
    # would answer its own 501 page.
    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = do_OPTIONS = do_TRACE = _serve

    def _read_body(self):
        if 'chunked' in (self.headers.get('Transfer-Encoding') or '').lower():
            return self._read_chunked()
        length = int(self.headers.get('Content-Length') or 0)
        if length > _MAX_BODY:
            self.close_connection = True
            return b''
        return self.rfile.read(length) if length > 0 else b''

    def _read_chunked(self):
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b';', 1)[0].strip() or b'0', 16)
            if size == 0:
                while self.rfile.readline().strip():  # trailer lines, up to the empty line
                    pass
                return b''.join(chunks)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()  # the CRLF after each chunk

    def _write(self, response, with_body):
        """Status line, headers and body in one send: small separate writes would meet Nagle and delayed ACKs."""
        lines = [
            f'HTTP/1.1 {response.status} {self.responses.get(response.status, ("",))[0]}',
            f'Server: {self.server_version}',
            f'Date: {email.utils.formatdate(self.server.app.auth_settings.now(), usegmt=True)}',
            f'Content-Length: {len(response.body)}',
        ]
        if response.content_type:
            lines.append(f'Content-Type: {response.content_type}')
        lines.extend(f'{name}: {value}' for name, value in response.headers)
        if self.close_connection:
            lines.append('Connection: close')
        head = ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
        self.wfile.write(head + response.body if with_body else head)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.verbose:
            super().log_message(format, *args)


def _split_target(target):
    path, _mark, query = target.partition('?')
    return path, query


class _Listener(ThreadingHTTPServer):
    """One listening socket; TLS handshakes run in the connection's thread, never in the accept loop."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, app, ssl_context=None, verbose=False):
        super().__init__(address, _Handler)
        self.app = app
        self.ssl_context = ssl_context
        self.verbose = verbose
        self._connections = set()
        self._connections_lock = threading.Lock()

    def process_request(self, request, client_address):
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def finish_request(self, request, client_address):
        if self.ssl_context is not None:
            request.settimeout(_IDLE_TIMEOUT_S)
            try:
                request = self.ssl_context.wrap_socket(request, server_side=True)
            except (ssl.SSLError, OSError):
                return  # a failed handshake (e.g. a client that does not trust our CA) is the client's problem
        super().finish_request(request, client_address)

    def shutdown_request(self, request):
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], (ConnectionError, ssl.SSLError, TimeoutError)):
            super().handle_error(request, client_address)

    def close_connections(self):
        """Ends every open keep-alive connection, so that a stopped emulator really stops answering."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class EmulatorServer:
    """The emulator on loopback: `EmulatorServer(auth='basic').start()`, then `.url`, `.admin`, `.stop()`.

    Plain HTTP is served on `url`; with `tls_cert`/`tls_key` HTTPS is served as well, on `tls_url` (set
    `plain_http=False` to serve HTTPS only; `url` is then the HTTPS URL). Both share one state.
    """

    def __init__(
        self,
        auth='none',
        *,
        host='127.0.0.1',
        port=0,
        tls_cert=None,
        tls_key=None,
        tls_port=0,
        plain_http=True,
        oidc_issuer=None,
        oidc_audiences=('orchestration-api',),
        oidc_ca_path=None,
        oidc_jwks_url=None,
        client_id_claim='client_id',
        username_claim='sub',
        prefer_username_claim=False,
        oidc_leeway_s=0.0,
        users=None,
        cluster=None,
        license=None,
        tls_ca_path=None,
        verbose=False,
    ):
        auth_settings = AuthSettings().changed(
            mode=auth,
            oidc_issuer=oidc_issuer,
            oidc_audiences=oidc_audiences,
            oidc_ca_path=oidc_ca_path,
            oidc_jwks_url=oidc_jwks_url,
            client_id_claim=client_id_claim,
            username_claim=username_claim,
            prefer_username_claim=prefer_username_claim,
            oidc_leeway_s=oidc_leeway_s,
        )
        startup = StartupConfig(
            auth=auth_settings,
            users=dict(DEFAULT_USERS if users is None else users),
            cluster=ClusterShape().changed(**(cluster or {})),
            license=dict(DEFAULT_LICENSE, **(license or {})),
        )
        if not plain_http and not tls_cert:
            raise ValueError('plain_http=False needs tls_cert and tls_key')
        self.app = EmulatorApp(startup)
        self.host = host
        self._plan = {'http': port if plain_http else None, 'https': tls_port if tls_cert else None}
        self._tls_files = (tls_cert, tls_key)
        self.tls_ca_path = tls_ca_path  # the CA of tls_cert: what the admin client trusts on an HTTPS-only server
        self.verbose = verbose
        self._listeners = []
        self._admin = None
        self.url = None
        self.tls_url = None
        # The backup listeners (management, Optimize, snapshot API): emulator/management.py sets these on start.
        self.management_url = self.optimize_url = self.snapshot_url = self.backup_admin = None

    @property
    def basic_users(self):
        """The users seeded at start (and after reset), username -> password."""
        return dict(self.app.startup.users)

    @property
    def audience(self):
        """The first audience the emulator accepts in OIDC mode (the one an IdP should put in `aud`)."""
        audiences = self.app.auth_settings.oidc_audiences
        return audiences[0] if audiences else None

    @property
    def admin(self):
        if self._admin is None:
            if self.url is None:
                raise RuntimeError('the emulator is not started')
            self._admin = EmulatorAdmin(self.url, ca_path=self.tls_ca_path)
        return self._admin

    def start(self):
        if self._plan['http'] is not None:
            self.url = self._listen(self._plan['http'], None)
        if self._plan['https'] is not None:
            self.tls_url = self._listen(self._plan['https'], self._ssl_context())
            self.url = self.url or self.tls_url
        start_backup_listeners(self)
        return self

    def listen_app(self, app):
        """One more plain-HTTP listener on a free port, for another app object (see emulator/management.py)."""
        return self._listen(0, None, app)

    def _ssl_context(self):
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.minimum_version = ssl.TLSVersion.TLSv1_2
        context.load_cert_chain(*self._tls_files)
        return context

    def _listen(self, port, ssl_context, app=None):
        listener = _Listener((self.host, port), app or self.app, ssl_context, self.verbose)
        thread = threading.Thread(
            target=listener.serve_forever,
            kwargs={'poll_interval': 0.1},
            name=f'emulator-{listener.server_address[1]}',
            daemon=True,
        )
        thread.start()
        self._listeners.append((listener, thread))
        scheme = 'https' if ssl_context else 'http'
        host = self.host if ':' not in self.host else f'[{self.host}]'
        return f'{scheme}://{host}:{listener.server_address[1]}'

    def stop(self):
        if self.backup_admin is not None:
            self.backup_admin.close()
            self.backup_admin = None
        if self._admin is not None:
            self._admin.close()
            self._admin = None
        for listener, thread in self._listeners:
            listener.shutdown()
            listener.close_connections()
            listener.server_close()
            thread.join(timeout=5)
        self._listeners = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()
