# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bad input and refusals: each fails the task with a message that says what is wrong, never a stack trace."""

from __future__ import annotations

import re
import socket
from pathlib import Path

import pytest

ONE_TASK = Path(__file__).parent / 'playbooks' / 'topology_args.yml'
CASES = Path(__file__).parent / 'playbooks' / 'topology_cases.yml'


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def failure(playbook, args, in_controller=True):
    run = playbook(
        ONE_TASK, extra_vars={'topology_args': args | {'retries': 0}, 'camunda_run_in_controller': in_controller}
    )
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
    message = failure(
        playbook, {'url': emulator.url, 'auth_method': 'oidc', 'client_id': 'x', 'client_secret': 'some-secret'}
    )
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
    assert message == (
        f'Could not reach the Camunda API at {url}/v2 (GET {url}/v2/topology): connection refused: '
        'check that the server is running and that the URL and port are right.'
    )


def test_wrong_password(emulator, playbook, in_controller):
    emulator.admin.set_auth('basic')
    message = failure(
        playbook, {'url': emulator.url, 'username': 'demo', 'password': 'Not-The-Password-42'}, in_controller
    )
    assert 'the credentials were refused (401 Unauthorized, auth_method basic)' in message
    assert "Camunda refused the username and password of user 'demo'" in message
    assert 'Not-The-Password-42' not in message


def test_wrong_client_secret(emulator, idp, playbook, in_controller):
    emulator.admin.set_auth('oidc')
    message = failure(
        playbook,
        {
            'url': emulator.url,
            'token_url': idp.token_url,
            'client_id': idp.clients.secret.id,
            'client_secret': 'Not-The-Secret-42',
            'token_ca_path': idp.ca_path,
        },
        in_controller,
    )
    assert message.startswith(
        f'the identity provider at {idp.token_url} refused the token request (401 invalid_client: '
    )
    assert message.endswith('check client_id and the client secret or certificate.')
    assert 'Not-The-Secret-42' not in message


def test_forbidden(emulator, playbook, in_controller):
    emulator.admin.set_auth('basic')
    emulator.admin.set_faults(forbidden=['demo'])
    message = failure(
        playbook, {'url': emulator.url, 'username': 'demo', 'password': emulator.basic_users['demo']}, in_controller
    )
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
    run = playbook(
        ONE_TASK,
        extra_vars={'topology_args': {'url': emulator.tls_url, 'validate_certs': False}},
        env={'REQUESTS_CA_BUNDLE': '/etc/ssl/certs/ca-certificates.crt'},
    )
    assert run.task('Topology')['healthy'] is True


def case_messages(playbook, cases, in_controller, env=None):
    """Run every case in one ansible-playbook run; return {case name: message} of the failed ones."""
    run = playbook(
        CASES,
        env=env,
        extra_vars={
            'cases': [
                {'name': name, 'args': args | {'retries': args.get('retries', 0)}} for name, args in cases.items()
            ],
            'camunda_run_in_controller': in_controller,
        },
    )
    # ANSIBLE_DISPLAY_TRACEBACK=error shows a stack for every failed task: Ansible's own, and in a module where
    # it called fail_json. No frame may come from deeper in the collection (an exception it did not catch).
    our_frames = set(re.findall(r'community/camunda/plugins/[\w/]+\.py', run.output))
    assert our_frames <= {
        'community/camunda/plugins/module_utils/_core/module.py',
        'community/camunda/plugins/modules/camunda_topology.py',
    }, run.output
    results = run.task('Cases')['results']
    assert [result['item']['name'] for result in results] == list(cases)
    assert all(result.get('failed') for result in results), [
        result['item']['name'] for result in results if not result.get('failed')
    ]
    return {result['item']['name']: result['msg'] for result in results}


def test_files_urls_and_waits_are_named_before_or_instead_of_raw_errors(
    emulator, idp, certs, playbook, tmp_path, in_controller
):
    missing = str(tmp_path / 'missing-ca.pem')
    der = tmp_path / 'ca.der'
    der.write_bytes(b'0\x82\x03\x10' + bytes(60))
    oidc = {
        'url': emulator.url,
        'auth_method': 'oidc',
        'token_url': idp.token_url,
        'client_id': idp.clients.secret.id,
        'client_secret': idp.clients.secret.secret,
    }
    spaced = emulator.url.replace('127.0.0.1', '127.0.0.1 ')
    # The one case that reaches the API meets the Retry-After; the others fail before sending anything.
    emulator.admin.set_faults(next_status={'status': 429, 'count': 1, 'retry_after': 120, 'path': '/v2/topology'})
    messages = case_messages(
        playbook,
        {
            'missing ca_path': {'url': emulator.tls_url, 'ca_path': missing},
            'ca_path not PEM': {'url': emulator.tls_url, 'ca_path': str(der)},
            'missing token_ca_path': oidc | {'token_ca_path': missing},
            'token_ca_path not PEM': oidc | {'token_ca_path': str(der)},
            'url with a space': {'url': spaced},
            'token_url with a space': oidc | {'token_url': idp.token_url + ' ', 'token_ca_path': idp.ca_path},
            'Retry-After above the cap': {'url': emulator.url, 'retries': 3},
        },
        in_controller,
        env={'ANSIBLE_DISPLAY_TRACEBACK': 'error'},
    )
    assert messages['missing ca_path'] == f'ca_path file {missing} does not exist: check the path.'
    assert messages['ca_path not PEM'].startswith(
        f'ca_path file {der} holds no PEM certificate: give the CA bundle in PEM'
    )
    assert messages['missing token_ca_path'] == f'token_ca_path file {missing} does not exist: check the path.'
    assert messages['token_ca_path not PEM'].startswith(f'token_ca_path file {der} holds no PEM certificate')
    assert messages['url with a space'].startswith(f'url {spaced!r} contains a space at position 17')
    assert messages['token_url with a space'].startswith(f"token_url '{idp.token_url} ' contains a space")
    assert 'answered 429 Too Many Requests' in messages['Retry-After above the cap']
    assert (
        'the server asked to wait 120 s (Retry-After), more than the 60 s that retry_max_wait lets a task wait '
        'in total: raise retry_max_wait'
    ) in messages['Retry-After above the cap']
    assert emulator.admin.request_count('/v2/topology') == 1
