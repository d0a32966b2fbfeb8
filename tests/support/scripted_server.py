# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A tiny real HTTP server that answers from a script, for unit tests of the transport and client."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class ScriptedServer:
    """Answers each request with the next scripted (status, headers, body); repeats the last one."""

    def __init__(self):
        self.script = []
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def _answer(self):
                length = int(self.headers.get('Content-Length') or 0)
                body = self.rfile.read(length) if length else b''
                server.requests.append(dict(method=self.command, path=self.path, headers=dict(self.headers), body=body))
                status, headers, payload = server.script.pop(0) if len(server.script) > 1 else server.script[0]
                data = (
                    payload
                    if isinstance(payload, bytes)
                    else json.dumps(payload).encode()
                    if payload is not None
                    else b''
                )
                self.send_response(status)
                headers = dict(headers)
                if payload is not None and not isinstance(payload, bytes):
                    headers.setdefault('Content-Type', 'application/json')
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _answer

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.httpd.server_address[1]}'
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def answer(self, *steps):
        """Script the next answers: (status, headers, body) tuples; the last one repeats."""
        self.script = list(steps)
        self.requests = []

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()
