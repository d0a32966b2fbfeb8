# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's transport: HTTP/1.1 keep-alive, HTTPS, start and stop, the command line."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import ssl
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from certs import generate_certs
from emulator import EmulatorAdmin, EmulatorServer
from emulator.testing import Api

SUPPORT_DIR = Path(__file__).resolve().parent.parent / 'support'


@pytest.fixture(scope='module')
def emulator_server():
    with EmulatorServer(auth='none') as running:
        yield running


@pytest.fixture(scope='module')
def tls_files(tmp_path_factory):
    return generate_certs(tmp_path_factory.mktemp('emulator-certs'))


def connect(url):
    address = urlsplit(url)
    return http.client.HTTPConnection(address.hostname, address.port, timeout=5)


def test_keep_alive_serves_many_requests_on_one_connection(server):
    connection = connect(server.url)
    connection.request('GET', '/v2/topology')
    first = connection.getresponse()
    first.read()
    sock = connection.sock
    for path in ('/v2/license', '/v2/status', '/v2/nothing', '/v2/topology'):
        connection.request('GET', path)
        response = connection.getresponse()
        response.read()
        assert response.getheader('Connection') is None
    assert connection.sock is sock  # never reconnected
    connection.close()


def test_post_bodies_on_a_kept_alive_connection(server):
    connection = connect(server.url)
    for name in ('u1', 'u2', 'u3'):
        body = json.dumps({'username': name, 'password': 'pw'})
        connection.request('POST', '/v2/users', body=body, headers={'Content-Type': 'application/json'})
        response = connection.getresponse()
        assert response.status == 201 and json.loads(response.read())['username'] == name
    connection.close()


def test_chunked_request_body(server):
    connection = connect(server.url)
    connection.request(
        'POST',
        '/v2/users',
        body=iter([b'{"username": "chunky", ', b'"password": "pw"}']),
        headers={'Content-Type': 'application/json'},
        encode_chunked=True,
    )
    assert connection.getresponse().status == 201
    connection.close()


def test_head_has_headers_but_no_body(server):
    connection = connect(server.url)
    connection.request('HEAD', '/v2/topology')
    response = connection.getresponse()
    assert response.status == 200 and int(response.getheader('Content-Length')) > 0
    assert response.read() == b''
    connection.close()


def test_http_1_0_clients_get_the_connection_closed(server):
    address = urlsplit(server.url)
    with socket.create_connection((address.hostname, address.port), timeout=5) as sock:
        sock.sendall(b'GET /v2/status HTTP/1.0\r\n\r\n')
        answer = b''
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith(b'HTTP/1.1 204') and b'Connection: close' in answer


def test_paths_outside_the_api_are_problem_404(server):
    response = requests.get(server.url + '/', timeout=5)
    assert response.status_code == 404 and response.json()['instance'] == '/'


def test_concurrent_clients(server):
    failures = []

    def client():
        api = Api(server.url)
        for _attempt in range(20):
            response = api.get('topology')
            if response.status_code != 200:
                failures.append(response.status_code)
        api.close()

    threads = [threading.Thread(target=client) for _client in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert server.admin.request_count('/v2/topology') == 400


def test_https_and_http_listeners_share_state(tls_files):
    with EmulatorServer(auth='basic', tls_cert=tls_files.server_cert, tls_key=tls_files.server_key) as running:
        assert running.url.startswith('http://') and running.tls_url.startswith('https://')
        plain = Api(running.url, auth=('demo', 'demo'))
        secure = Api(running.tls_url, auth=('demo', 'demo'), verify=tls_files.ca)
        assert plain.post('users', {'username': 'both', 'password': 'pw'}).status_code == 201
        assert secure.get('users/both').status_code == 200
        with pytest.raises(requests.exceptions.SSLError):
            Api(running.tls_url, auth=('demo', 'demo')).get('topology')  # the system store does not know our CA
        assert secure.get('topology').status_code == 200  # a failed handshake did not hurt the server


def test_https_only(tls_files):
    with EmulatorServer(
        tls_cert=tls_files.server_cert, tls_key=tls_files.server_key, plain_http=False, tls_ca_path=tls_files.ca
    ) as running:
        assert running.url == running.tls_url and running.url.startswith('https://')
        running.admin.set_faults(status_down=True)
        assert Api(running.url, verify=tls_files.ca).get('status').status_code == 503
        context = ssl.create_default_context(cafile=tls_files.ca)
        address = urlsplit(running.url)
        connection = http.client.HTTPSConnection(address.hostname, address.port, context=context, timeout=5)
        for _attempt in range(3):
            connection.request('GET', '/v2/topology')
            assert connection.getresponse().read()
        connection.close()


def test_stop_closes_open_connections_and_the_port():
    running = EmulatorServer().start()
    connection = connect(running.url)
    connection.request('GET', '/v2/topology')
    connection.getresponse().read()
    running.stop()
    with pytest.raises((ConnectionError, http.client.HTTPException, OSError)):
        connection.request('GET', '/v2/topology')
        connection.getresponse()
    with pytest.raises(requests.ConnectionError):
        requests.get(running.url + '/v2/status', timeout=2)


def test_admin_refuses_bad_requests(server):
    response = requests.post(server.url + '/__emulator__/faults', data=b'[1, 2]', timeout=5)
    assert response.status_code == 400 and 'JSON object' in response.json()['error']
    assert requests.get(server.url + '/__emulator__/nothing', timeout=5).status_code == 404


def test_admin_client_talks_to_any_url(server):
    admin = EmulatorAdmin(server.url + '/')
    admin.set_faults(latency_ms=1)
    assert server.admin.state()['faults']['latency_ms'] == 1
    admin.close()


def test_command_line_runs_until_sigterm():
    process = subprocess.Popen(
        [
            sys.executable,
            '-m',
            'emulator',
            '--auth',
            'basic',
            '--user',
            'ops:pw',
            '--brokers',
            '2',
            '--partitions',
            '4',
            '--replication-factor',
            '2',
            '--version',
            '8.9.0',
        ],
        cwd=SUPPORT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = process.stdout.readline().strip()
        assert url.startswith('http://127.0.0.1:')
        topology = Api(url, auth=('ops', 'pw')).get('topology').json()
        assert (topology['clusterSize'], topology['partitionsCount'], topology['gatewayVersion']) == (2, 4, '8.9.0')
        assert Api(url).get('topology').status_code == 401
        EmulatorAdmin(url).set_auth('none')  # a separate process is driven the same way
        assert Api(url).get('topology').status_code == 200
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
