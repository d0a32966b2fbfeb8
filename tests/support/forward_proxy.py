# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A small forward HTTP proxy for tests: absolute-URI requests and CONNECT tunnels, with a request log.

It shows that the collection's ``proxy`` option and the standard proxy variables really route
requests through a proxy, for plain HTTP and for HTTPS (CONNECT).
"""

from __future__ import annotations

import select
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import requests

HOP_BY_HOP = {
    'connection',
    'keep-alive',
    'proxy-connection',
    'proxy-authorization',
    'te',
    'trailers',
    'transfer-encoding',
    'upgrade',
    'content-length',
}


class ForwardProxy:
    """Start with .start(); .url is 'http://127.0.0.1:PORT'; .seen lists 'METHOD target' per request."""

    def __init__(self):
        self.seen = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def do_CONNECT(self):  # pylint: disable=invalid-name
                proxy.seen.append(f'CONNECT {self.path}')
                host, port = self.path.rsplit(':', 1)
                with socket.create_connection((host, int(port)), timeout=10) as upstream:
                    self.send_response(200, 'Connection established')
                    self.end_headers()
                    _pipe(self.connection, upstream)
                self.close_connection = True

            def _forward(self):
                proxy.seen.append(f'{self.command} {self.path}')
                if not urlsplit(self.path).scheme:
                    self.send_error(400, 'absolute URI expected')
                    return
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else None
                headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
                answer = requests.request(
                    self.command,
                    self.path,
                    headers=headers,
                    data=body,
                    timeout=10,
                    allow_redirects=False,
                    proxies={'http': None, 'https': None},
                    verify=False,
                )
                self.send_response(answer.status_code)
                for name, value in answer.headers.items():
                    if name.lower() not in HOP_BY_HOP:
                        self.send_header(name, value)
                self.send_header('Content-Length', str(len(answer.content)))
                self.end_headers()
                self.wfile.write(answer.content)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}'
        self._thread = threading.Thread(target=self.httpd.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _pipe(client, upstream):
    sockets = [client, upstream]
    while True:
        readable = select.select(sockets, [], [], 10)[0]
        if not readable:
            return
        for source in readable:
            data = source.recv(65536)
            if not data:
                return
            (upstream if source is client else client).sendall(data)
