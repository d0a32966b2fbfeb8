# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's connectors check (an extension probe) through ansible-playbook, against a tiny actuator stub."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from verify_runs import FAIL, VERIFY, checks_of

UP = dict(status='UP', components=dict(ping=dict(status='UP'), zeebeClient=dict(status='UP')))
DOWN = dict(
    status='DOWN',
    components=dict(
        ping=dict(status='UP'), zeebeClient=dict(status='DOWN', details=dict(error='UNAVAILABLE: io exception'))
    ),
)


class ActuatorStub:
    """GET /actuator/health answers self.health, with 503 when it is not UP, as Spring Boot does."""

    def __init__(self):
        self.health = UP
        self.paths = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server name)
                stub.paths.append(self.path)
                if self.path != '/actuator/health':
                    self.send_error(404)
                    return
                body = json.dumps(stub.health).encode()
                self.send_response(200 if stub.health['status'] == 'UP' else 503)
                self.send_header('Content-Type', 'application/vnd.spring-boot.actuator.v3+json')
                self.send_header('Content-Length', str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(('127.0.0.1', 0), Handler)
        self.url = f'http://127.0.0.1:{self.server.server_address[1]}'
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def actuator():
    with ActuatorStub() as stub:
        yield stub


def test_connectors_down_names_the_component(connections, emulator, playbook, actuator):
    actuator.health = DOWN
    # A trailing slash is tolerated: the probe reads <url>/actuator/health.
    run = playbook(VERIFY, extra_vars=connections.none() | {'verify_connectors_url': actuator.url + '/'})
    assert run.rc != 0
    checks = checks_of(run)
    assert list(checks) == ['api', 'auth posture', 'credentials', 'topology', 'version', 'connectors']
    assert checks['connectors']['result'] == 'fail'
    assert checks['connectors']['problems'] == ['component zeebeClient is DOWN (error: UNAVAILABLE: io exception)']
    assert checks['connectors']['details']['components_not_up'] == [
        dict(name='zeebeClient', status='DOWN', details=dict(error='UNAVAILABLE: io exception'))
    ]
    message = run.task(FAIL)['msg']
    assert message.startswith(f'Verification of {emulator.url}/v2 failed, 1 of 6 checks: ')
    assert message.endswith('connectors: component zeebeClient is DOWN (error: UNAVAILABLE: io exception)')
    assert actuator.paths == ['/actuator/health']


def test_connectors_up_passes_and_shows_in_the_report(connections, emulator, playbook, actuator, tmp_path):
    report = tmp_path / 'report.md'
    run = playbook(
        VERIFY,
        extra_vars=connections.none() | {'verify_connectors_url': actuator.url, 'verify_report_path': str(report)},
    ).assert_ok()
    assert checks_of(run)['connectors'] == dict(
        name='connectors',
        result='pass',
        reason=f'GET {actuator.url}/actuator/health: UP, all 2 components UP',
        problems=[],
        details=dict(url=f'{actuator.url}/actuator/health', status='UP', components_not_up=[]),
    )
    assert (
        f'| connectors | ✓ pass | GET {actuator.url}/actuator/health: UP, all 2 components UP |' in report.read_text()
    )
