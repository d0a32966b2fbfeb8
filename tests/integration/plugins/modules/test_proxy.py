# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The proxy option and the standard proxy variables route both the API and the IdP requests."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from forward_proxy import ForwardProxy

ONE_TASK = Path(__file__).parent / 'playbooks' / 'topology_args.yml'


@pytest.fixture
def proxy():
    running = ForwardProxy().start()
    yield running
    running.stop()


def topology(playbook, args, env=None):
    return playbook(ONE_TASK, extra_vars={'topology_args': args | {'retries': 0}}, env=env).task('Topology')


def test_proxy_option_carries_api_and_token_requests(emulator, idp, proxy, playbook):
    emulator.admin.set_auth('oidc')
    result = topology(
        playbook,
        {
            'url': emulator.url,
            'proxy': proxy.url,
            'token_url': idp.token_url,
            'client_id': idp.clients.secret.id,
            'client_secret': idp.clients.secret.secret,
            'token_ca_path': idp.ca_path,
        },
    )
    assert result['healthy'] is True
    host = idp.token_url.split('/')[2]
    assert f'CONNECT {host}' in proxy.seen  # the IdP over HTTPS, tunnelled
    assert f'GET {emulator.url}/v2/topology' in proxy.seen


def test_standard_proxy_variables_are_honoured(emulator, proxy, playbook):
    result = topology(playbook, {'url': emulator.url}, env={'HTTP_PROXY': proxy.url, 'NO_PROXY': ''})
    assert result['healthy'] is True
    assert proxy.seen == [f'GET {emulator.url}/v2/topology']


def test_no_proxy_bypasses_the_proxy(emulator, proxy, playbook):
    result = topology(playbook, {'url': emulator.url}, env={'HTTP_PROXY': proxy.url, 'NO_PROXY': '127.0.0.1'})
    assert result['healthy'] is True
    assert proxy.seen == []


def test_unreachable_proxy_is_named(emulator, playbook):
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        dead = f'http://127.0.0.1:{sock.getsockname()[1]}'
    result = topology(playbook, {'url': emulator.url, 'proxy': dead})
    assert result['_status'] == 'failed'
    assert (
        'the proxy refused or failed the connection: check proxy and the HTTPS_PROXY/NO_PROXY variables'
        in result['msg']
    )
