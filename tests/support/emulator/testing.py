# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Helpers for the emulator's own tests: a minimal local OIDC issuer and a small `/v2` client.

The local issuer serves a discovery document and a JWKS over plain HTTP and signs tokens with PyJWT, so the
emulator's token validation can be tested in milliseconds. The real IdP (tests/support/idp) is used where a
real token endpoint matters (the SDK contract test).
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa


class _IssuerHandler(BaseHTTPRequestHandler):
    def do_GET(self):  # pylint: disable=invalid-name
        issuer = self.server.issuer
        documents = {
            f'{issuer.path}/.well-known/openid-configuration': lambda: {
                'issuer': issuer.url,
                'jwks_uri': f'{issuer.url}/certs',
                'token_endpoint': f'{issuer.url}/token',
            },
            f'{issuer.path}/certs': issuer.jwks,
        }
        issuer.requests.append(self.path)
        build = documents.get(self.path)
        body = json.dumps(build()).encode() if build else b'{}'
        self.send_response(200 if build else 404)
        self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        pass


class LocalIssuer:
    """`with LocalIssuer() as issuer: issuer.token(client_id='x')` — tokens the emulator can validate."""

    path = '/realms/camunda-platform'

    def __init__(self, audience='orchestration-api'):
        self.audience = audience
        self.requests = []
        self._keys = []  # (kid, private key); the last one signs
        self.rotate_key()
        self._server = None
        self.url = None

    def start(self):
        self._server = ThreadingHTTPServer(('127.0.0.1', 0), _IssuerHandler)
        self._server.issuer = self
        threading.Thread(target=self._server.serve_forever, kwargs={'poll_interval': 0.05}, daemon=True).start()
        self.url = f'http://127.0.0.1:{self._server.server_address[1]}{self.path}'
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc_info):
        self.stop()

    def rotate_key(self):
        """A new signing key; the JWKS publishes old and new keys."""
        self._keys.append((uuid.uuid4().hex[:12], rsa.generate_private_key(public_exponent=65537, key_size=2048)))

    def jwks(self):
        keys = []
        for kid, key in self._keys:
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            keys.append(dict(jwk, kid=kid, use='sig', alg='RS256'))
        return {'keys': keys}

    def token(self, client_id='camunda-client', ttl=300, key=None, headers=None, **claims):
        """A signed access token; claims given as keywords override the defaults (None removes one)."""
        now = int(time.time())
        payload = {
            'iss': self.url,
            'sub': client_id,
            'client_id': client_id,
            'aud': self.audience,
            'iat': now,
            'exp': now + ttl,
            'jti': uuid.uuid4().hex,
        }
        payload.update(claims)
        payload = {name: value for name, value in payload.items() if value is not None}
        kid, signing_key = self._keys[-1]
        return jwt.encode(payload, key or signing_key, algorithm='RS256', headers=dict({'kid': kid}, **(headers or {})))


class Api:
    """requests against `<base>/v2/<path>`, with fixed credentials; never reads proxies or CA bundles from
    the environment."""

    def __init__(self, base_url, auth=None, token=None, verify=True):
        self.base = base_url.rstrip('/') + '/v2/'
        self.session = requests.Session()
        self.session.trust_env = False
        self.auth = auth
        self.headers = {'Authorization': f'Bearer {token}'} if token else {}
        self.verify = verify

    def request(self, method, path, **kwargs):
        kwargs.setdefault('timeout', 10)
        kwargs.setdefault('auth', self.auth)
        kwargs['headers'] = dict(self.headers, **kwargs.get('headers', {}))
        return self.session.request(method, self.base + path.lstrip('/'), verify=self.verify, **kwargs)

    def get(self, path, **kwargs):
        return self.request('GET', path, **kwargs)

    def post(self, path, json=None, **kwargs):  # pylint: disable=redefined-outer-name
        return self.request('POST', path, json=json, **kwargs)

    def put(self, path, json=None, **kwargs):  # pylint: disable=redefined-outer-name
        return self.request('PUT', path, json=json, **kwargs)

    def delete(self, path, **kwargs):
        return self.request('DELETE', path, **kwargs)

    def close(self):
        self.session.close()
