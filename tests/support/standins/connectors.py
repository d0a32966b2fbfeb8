# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the Connectors runtime: logs in to the orchestration API exactly as configured, reports on health.

    python connectors.py CONFIG.json      prints its URL on stdout, serves until SIGTERM

CONFIG.json (written 0600 by the deployment stand-ins): {"rest_address": URL, "auth": {"method": "none" | "basic" |
"oidc", "username", "password", "client_id", "client_secret", "token_url", "issuer_url", "audience", "scope"},
"ca": CA file for the IdP, "port": 0}.

`GET /actuator/health` answers like the runtime's Spring Boot actuator (show-details always): 200
`{"status": "UP", "components": {...}}` or 503 with `"status": "DOWN"`. The components are the runtime's own
health indicators (camunda/connectors, ConnectorsObservabilityAutoConfiguration): `zeebeClient` asks the cluster
for its topology with the configured login (UP with `numBrokers` and `anyPartitionHealthy`; DOWN with `error`
naming why, as Spring's `Health.down(exception)` does), `processDefinitionImport` (UP, `operateEnabled: true`)
and `startupCheck` (UP). `/actuator/health/readiness` is the chart's readiness group (zeebeClient +
processDefinitionImport); `/actuator/health/liveness` is UP while the process runs. Each request checks afresh.
A token from the IdP is reused until it expires, as the Java client caches it.
"""

from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import requests


class LoginError(Exception):
    pass


class Runtime:
    def __init__(self, config):
        self.config = config
        self.auth = config.get('auth') or {'method': 'none'}
        self.verify = config.get('ca') or True
        self._token = None  # (token, expires_at)

    def _token_url(self):
        if self.auth.get('token_url'):
            return self.auth['token_url']
        issuer = self.auth.get('issuer_url')
        if not issuer:
            raise LoginError('OIDC login needs camunda.client.auth.token-url or issuer-url; neither is set')
        try:
            answer = requests.get(
                issuer.rstrip('/') + '/.well-known/openid-configuration', timeout=10, verify=self.verify
            )
            answer.raise_for_status()
            return answer.json()['token_endpoint']
        except (requests.RequestException, ValueError, KeyError) as error:
            raise LoginError(f'the discovery document of issuer {issuer} could not be read: {error}') from None

    def _bearer(self):
        if self._token and self._token[1] > time.monotonic():
            return self._token[0]
        if not self.auth.get('client_id') or not self.auth.get('client_secret'):
            raise LoginError('OIDC login needs camunda.client.auth.client-id and client-secret')
        url = self._token_url()
        form = {
            'grant_type': 'client_credentials',
            'client_id': self.auth['client_id'],
            'client_secret': self.auth['client_secret'],
        }
        for name in ('audience', 'scope'):
            if self.auth.get(name):
                form[name] = self.auth[name]
        try:
            answer = requests.post(url, data=form, timeout=10, verify=self.verify)
        except requests.RequestException as error:
            raise LoginError(f'the token endpoint {url} could not be reached: {error}') from None
        if answer.status_code != 200:
            try:
                body = answer.json()
                reason = f"{body.get('error')}: {body.get('error_description')}"
            except ValueError:
                reason = answer.text[:200]
            raise LoginError(
                f'the token request for client {self.auth["client_id"]} to {url} was refused with HTTP '
                f'{answer.status_code} ({reason})'
            )
        body = answer.json()
        self._token = (body['access_token'], time.monotonic() + max(0, int(body.get('expires_in', 60)) - 30))
        return self._token[0]

    def headers(self):
        method = self.auth.get('method', 'none')
        if method == 'basic':
            return {}, (self.auth.get('username') or '', self.auth.get('password') or '')
        if method == 'oidc':
            return {'Authorization': f'Bearer {self._bearer()}'}, None
        return {}, None

    def zeebe_client(self):
        """ZeebeHealthIndicator: a topology request; UP when there is a broker and a healthy partition."""
        url = str(self.config['rest_address']).rstrip('/') + '/v2/topology'
        try:
            headers, basic = self.headers()
            answer = requests.get(url, headers=headers, auth=basic, timeout=10, verify=self.verify)
        except LoginError as error:
            return {'status': 'DOWN', 'details': {'error': f'io.camunda.client.api.command.ClientException: {error}'}}
        except requests.RequestException as error:
            return {
                'status': 'DOWN',
                'details': {'error': f'io.camunda.client.api.command.ClientException: {url}: {error}'},
            }
        if answer.status_code != 200:
            if answer.status_code == 401:
                self._token = None
            try:
                detail = answer.json().get('detail') or answer.json().get('title')
            except ValueError:
                detail = answer.text[:200]
            login = {'basic': f"user {self.auth.get('username')}", 'oidc': f"client {self.auth.get('client_id')}"}.get(
                self.auth.get('method'), 'no credentials'
            )
            return {
                'status': 'DOWN',
                'details': {
                    'error': f'io.camunda.client.api.command.ProblemException: Failed with code '
                    f'{answer.status_code} for {url} as {login}: {detail}'
                },
            }
        brokers = answer.json().get('brokers') or []
        healthy = any(
            partition.get('health') == 'healthy' for broker in brokers for partition in broker.get('partitions') or []
        )
        details = {'numBrokers': len(brokers), 'anyPartitionHealthy': healthy}
        return {'status': 'UP' if brokers and healthy else 'DOWN', 'details': details}

    def health(self, group=None):
        components = {
            'zeebeClient': self.zeebe_client(),
            'processDefinitionImport': {'status': 'UP', 'details': {'operateEnabled': True}},
            'startupCheck': {'status': 'UP'},
        }
        if group == 'readiness':
            components = {name: components[name] for name in ('processDefinitionImport', 'zeebeClient')}
        elif group == 'liveness':
            return {'status': 'UP'}
        status = 'UP' if all(component['status'] == 'UP' for component in components.values()) else 'DOWN'
        return {'status': status, 'components': components}


def serve(config):
    runtime = Runtime(config)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            path = self.path.split('?', 1)[0].rstrip('/')
            groups = {
                '/actuator/health': None,
                '/actuator/health/readiness': 'readiness',
                '/actuator/health/liveness': 'liveness',
            }
            if path not in groups:
                self._send(404, {'status': 404, 'error': 'Not Found', 'path': path})
                return
            body = runtime.health(groups[path])
            self._send(200 if body['status'] == 'UP' else 503, body)

        def _send(self, status, body):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header('Content-Type', 'application/vnd.spring-boot.actuator.v3+json')
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(('127.0.0.1', int(config.get('port') or 0)), Handler)
    print(f'http://127.0.0.1:{server.server_address[1]}', flush=True)
    server.serve_forever()


if __name__ == '__main__':
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    serve(json.loads(Path(sys.argv[1]).read_text(encoding='utf-8')))
