# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camunda_cluster_info core against an in-process emulator and a scripted server."""

from __future__ import annotations

import socket

import pytest

from emulator import EmulatorServer

from ansible_collections.community.camunda.plugins.module_utils._cluster.cluster_info import run_cluster_info
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


@pytest.fixture(scope='module')
def camunda():
    with EmulatorServer(auth='none').start() as server:
        yield server


@pytest.fixture
def emulator(camunda):
    camunda.admin.reset()
    return camunda


def info(url, **options):
    values = dict(url=url, retries=0, token_cache=False, auth_method='auto')
    values.update(options)
    return run_cluster_info(OptionAdapter.from_dict(values), RunContext())


def test_open_api_without_credentials(emulator):
    result = info(emulator.url)
    assert result['changed'] is False and result['reachable'] is True
    assert (result['status'], result['unauthenticated_access'], result['credentials']) == ('up', 'allowed', 'none')
    assert result['auth_method'] == 'none' and result['principal'] is None
    assert result['license']['licenseType'] == 'unknown'
    assert result['errors'] == []
    assert result['api_url'] == emulator.url + '/v2'


def test_basic_credentials_accepted_and_principal_named(emulator):
    emulator.admin.set_auth('basic')
    result = info(emulator.url, username='demo', password='demo')
    assert result['unauthenticated_access'] == 'refused'
    assert result['challenge'] == 'Basic realm="Camunda"'
    assert result['credentials'] == 'accepted'
    assert result['principal']['username'] == 'demo' and 'admin' in result['principal']['roles']
    assert result['license'] is not None


def test_wrong_password_is_refused_and_not_shown(emulator):
    emulator.admin.set_auth('basic')
    result = info(emulator.url, username='demo', password='not-the-password')
    assert result['credentials'] == 'refused'
    assert result['details']['credentials'].startswith('GET ')
    assert 'not-the-password' not in str(result)
    # Camunda serves the license to anyone: refused credentials do not hide it.
    assert result['license']['licenseType'] == 'unknown'
    assert result['details']['license'] == 'GET /v2/license without credentials answered 200'
    assert emulator.admin.request_count('/v2/license') == 1


def test_a_license_behind_a_protecting_proxy_is_read_with_accepted_credentials(emulator):
    emulator.admin.set_auth('basic')
    emulator.admin.set_faults(next_status={'status': 401, 'count': 1, 'path': '/v2/license'})
    result = info(emulator.url, username='demo', password='demo')
    assert result['license']['licenseType'] == 'unknown' and result['errors'] == []
    assert result['details']['license'] == 'GET /v2/license answered only with credentials (a proxy protects it)'
    emulator.admin.set_faults(next_status={'status': 401, 'count': 1, 'path': '/v2/license'})
    refused = info(emulator.url, username='demo', password='wrong')
    assert refused['license'] is None and refused['errors'] == []
    assert refused['details']['license'].startswith('GET /v2/license without credentials answered 401')


def test_forbidden_principal(emulator):
    emulator.admin.set_auth('basic')
    emulator.admin.set_faults(forbidden=['demo'])
    assert info(emulator.url, username='demo', password='demo')['credentials'] == 'forbidden'


def test_status_down_is_an_answer(emulator):
    emulator.admin.set_faults(status_down=True)
    result = info(emulator.url)
    assert result['reachable'] is True and result['status'] == 'down'
    assert '503' in result['details']['status']


def test_unreachable_api_is_reported_not_raised():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        port = sock.getsockname()[1]
    result = info(f'http://127.0.0.1:{port}')
    assert result['reachable'] is False and result['status'] == 'unknown'
    assert result['credentials'] == 'unknown' and result['unauthenticated_access'] == 'unknown'
    assert result['errors'] and 'refused' in result['errors'][0].lower()


def test_html_from_a_proxy_is_reported(server):
    server.answer((200, {'Content-Type': 'text/html'}, b'<html><body>login</body></html>'))
    result = info(server.url)
    assert result['reachable'] is True and result['status'] == 'unknown'
    assert 'HTML' in result['errors'][0]
    assert result['unauthenticated_access'] == 'unknown'


def test_wrong_options_fail_before_any_request():
    with pytest.raises(ConfigurationError, match='username'):
        info('http://127.0.0.1:9', auth_method='basic')
