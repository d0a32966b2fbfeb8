# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input and refusals: each fails the task with a message that says what is wrong, never a stack trace."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

ONE_TASK = Path(__file__).parent / 'playbooks' / 'topology_args.yml'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def failure(playbook, args, in_controller=True):
    run = playbook(ONE_TASK, extra_vars={'topology_args': args | {'retries': 0},
                                         'camunda_run_in_controller': in_controller})
    result = run.task('Topology')
    assert result['_status'] == 'failed', result
    assert 'Traceback' not in run.output
    return result['msg']


@pytest.fixture(params=[True, False], ids=['controller', 'module'])
def in_controller(request):
    return request.param


def test_unknown_auth_method(emulator, playbook, in_controller):
    message = failure(playbook, {'url': emulator.url, 'auth_method': 'kerberos'}, in_controller)
    assert message == 'value of auth_method must be one of: auto, basic, bearer, none, oidc, got: kerberos'


def test_oidc_without_token_url(emulator, playbook):
    message = failure(playbook, {'url': emulator.url, 'auth_method': 'oidc', 'client_id': 'x', 'client_secret': 'some-secret'})
    assert message.startswith('OIDC needs token_url, the token endpoint of the identity provider')


def test_oidc_without_client_id(emulator, idp, playbook):
    message = failure(playbook, {'url': emulator.url, 'auth_method': 'oidc', 'token_url': idp.token_url})
    assert message == 'OIDC needs client_id (or CAMUNDA_CLIENT_ID).'


def test_basic_without_password(emulator, playbook):
    message = failure(playbook, {'url': emulator.url, 'auth_method': 'basic', 'username': 'demo'})
    assert message == 'auth_method basic needs password (or CAMUNDA_BASIC_AUTH_PASSWORD).'


def test_malformed_url(playbook):
    message = failure(playbook, {'url': 'camunda.example.com:8080'})
    assert message.startswith("url 'camunda.example.com:8080' is not an http(s) URL")


def test_connection_refused(playbook, in_controller):
    url = f'http://127.0.0.1:{free_port()}'
    message = failure(playbook, {'url': url}, in_controller)
    assert message == (f'Could not reach the Camunda API at {url}/v2 (GET {url}/v2/topology): connection refused: '
                       'check that the server is running and that the URL and port are right.')


def test_wrong_password(emulator, playbook, in_controller):
    emulator.admin.set_auth('basic')
    message = failure(playbook, {'url': emulator.url, 'username': 'demo', 'password': 'Not-The-Password-42'}, in_controller)
    assert 'the credentials were refused (401 Unauthorized, auth_method basic)' in message
    assert "Camunda refused the username and password of user 'demo'" in message
    assert 'Not-The-Password-42' not in message


def test_wrong_client_secret(emulator, idp, playbook, in_controller):
    emulator.admin.set_auth('oidc')
    message = failure(playbook, {'url': emulator.url, 'token_url': idp.token_url, 'client_id': idp.clients.secret.id,
                                 'client_secret': 'Not-The-Secret-42', 'token_ca_path': idp.ca_path}, in_controller)
    assert message.startswith(f'the identity provider at {idp.token_url} refused the token request (401 invalid_client: ')
    assert message.endswith('check client_id and the client secret or certificate.')
    assert 'Not-The-Secret-42' not in message


def test_forbidden(emulator, playbook, in_controller):
    emulator.admin.set_auth('basic')
    emulator.admin.set_faults(forbidden=['demo'])
    message = failure(playbook, {'url': emulator.url, 'username': 'demo', 'password': emulator.basic_users['demo']},
                      in_controller)
    assert ': the principal lacks permission (403 Forbidden)' in message
    assert 'Grant it an authorization for this resource, or a role that has one.' in message


@pytest.mark.parametrize('status', [200, 502])
def test_html_from_a_proxy(emulator, playbook, status):
    emulator.admin.set_faults(html_response=status)
    message = failure(playbook, {'url': emulator.url})
    assert 'with an HTML page' in message
    assert 'a proxy, load balancer or login page answered instead of the Camunda REST API; check url.' in message


def test_untrusted_tls_certificate(emulator, playbook):
    message = failure(playbook, {'url': emulator.tls_url})
    assert message.startswith('Could not verify the TLS certificate of the Camunda API')
    assert 'set ca_path to the CA bundle that signed it' in message


def test_trusted_with_ca_path(emulator, certs, playbook):
    run = playbook(ONE_TASK, extra_vars={'topology_args': {'url': emulator.tls_url, 'ca_path': certs.ca}})
    assert run.task('Topology')['healthy'] is True


def test_validate_certs_false_works_despite_the_ca_bundle_variables(emulator, playbook):
    # REQUESTS_CA_BUNDLE is set on many machines; validate_certs: false must still win.
    run = playbook(ONE_TASK, extra_vars={'topology_args': {'url': emulator.tls_url, 'validate_certs': False}},
                   env={'REQUESTS_CA_BUNDLE': '/etc/ssl/certs/ca-certificates.crt'})
    assert run.task('Topology')['healthy'] is True
