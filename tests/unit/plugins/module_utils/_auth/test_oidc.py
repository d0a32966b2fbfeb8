# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import base64
import re
import json
import time
from urllib.parse import parse_qs

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError, IdpError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import (
    Token,
    TokenRequest,
    jwt_claims,
    short_lifetime_warning,
    token_from_response,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport


def request(**options):
    values = dict(token_url='https://idp.example/token', client_id='orchestration', client_secret='s3cret')
    values.update(options)
    return TokenRequest(OptionAdapter.from_dict(values), None)


def fake_jwt(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


def test_audience_scope_and_resource_are_sent_only_when_set():
    form = request(audience='zeebe.camunda.io', scope='api://x/.default').form_and_headers()[0]
    assert form['audience'] == 'zeebe.camunda.io' and form['scope'] == 'api://x/.default'
    assert 'resource' not in form


@pytest.mark.parametrize(
    'options,message',
    [
        (dict(token_url=None), 'OIDC needs token_url'),
        (dict(token_url='idp.example/token'), "token_url 'idp.example/token' is not an http(s) URL"),
        (dict(client_id=None), 'OIDC needs client_id'),
        (dict(client_secret=None), 'client_auth_method client_secret_post needs client_secret'),
        (dict(client_auth_method='tls_client_auth'), 'client_auth_method tls_client_auth needs a client certificate'),
    ],
)
def test_incomplete_settings_are_reported_before_sending(options, message):
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        request(**options).validate()


def test_expiry_from_expires_in_then_jwt_exp_then_default():
    now = 1000.0
    assert token_from_response({'access_token': 'x', 'expires_in': 60}, now).expires_at == 1060.0
    assert token_from_response({'access_token': fake_jwt({'exp': 1500}), 'expires_in': None}, now).expires_at == 1500.0
    assert token_from_response({'access_token': 'opaque'}, now).expires_at == 1300.0


def test_jwt_claims_of_something_else_is_none():
    assert jwt_claims('not-a-jwt') is None
    assert jwt_claims('a.!!!.c') is None
    assert jwt_claims(fake_jwt({'exp': 5}))['exp'] == 5


def send(req, server):
    req.token_url = server.url + '/token'
    return req.send(Transport(timeout=5, retries=1, sleep=lambda s: None))


def test_token_from_a_real_http_answer(server):
    server.answer((200, {}, {'access_token': 'abc', 'expires_in': 300, 'token_type': 'Bearer'}))
    token = send(request(), server)
    assert token.access_token == 'abc' and abs(token.expires_at - time.time() - 300) < 5
    sent = parse_qs(server.requests[0]['body'].decode())
    assert sent['client_secret'] == ['s3cret']
    assert server.requests[0]['headers']['Content-Type'] == 'application/x-www-form-urlencoded'


def test_refusal_carries_the_idp_error_description(server):
    server.answer(
        (401, {}, {'error': 'invalid_client', 'error_description': 'Invalid client or Invalid client credentials'})
    )
    with pytest.raises(IdpError) as failure:
        send(request(), server)
    assert failure.value.error == 'invalid_client'
    assert str(failure.value) == (
        f'the identity provider at {server.url}/token refused the token request (401 invalid_client: '
        'Invalid client or Invalid client credentials): check client_id and the client secret or certificate.'
    )
    assert len(server.requests) == 1  # never retried


def test_idp_overload_is_retried_then_blamed_on_the_idp(server):
    server.answer((503, {'Retry-After': '0'}, b'busy'))
    with pytest.raises(IdpError) as failure:
        send(request(), server)
    message = str(failure.value)
    assert re.search(
        r'failed with 503 Service Unavailable after 2 attempts over \d+\.\d s \(0\.0 s of it waiting', message
    )
    assert 'a fault of the identity provider, not of the OIDC settings' in message
    assert 'check the OIDC settings' not in message


def test_idp_500_is_retried_like_the_api_5xx(server):
    server.answer(
        (500, {}, {'error': 'server_error', 'error_description': 'oops'}),
        (200, {}, {'access_token': 'abc', 'expires_in': 300}),
    )
    assert send(request(), server).access_token == 'abc'
    assert len(server.requests) == 2


def test_idp_500_that_persists_names_the_idp_error_and_is_its_fault(server):
    server.answer((500, {}, {'error': 'server_error', 'error_description': 'database down'}))
    with pytest.raises(IdpError) as failure:
        send(request(), server)
    assert len(server.requests) == 2
    assert '500 Internal Server Error after 2 attempts' in str(failure.value)
    assert '(server_error: database down): a fault of the identity provider, not of the OIDC settings' in str(
        failure.value
    )


def test_retry_after_beyond_the_cap_names_the_wait_and_the_option(server):
    server.answer((503, {'Retry-After': '120'}, b'busy'))
    with pytest.raises(IdpError) as failure:
        send_capped(server)
    assert 'the server asked to wait 120 s (Retry-After), more than the 60 s that retry_max_wait' in str(failure.value)
    assert len(server.requests) == 1


def send_capped(server):
    req = request()
    req.token_url = server.url + '/token'
    return req.send(Transport(timeout=5, retries=3, max_total_wait=60, sleep=lambda s: None))


def test_token_url_with_a_space_is_named():
    with pytest.raises(
        ConfigurationError, match=r"token_url 'https://idp.example/realms/my realm/token' contains a space"
    ):
        request(token_url='https://idp.example/realms/my realm/token').validate()


def test_missing_token_ca_path_is_named_before_sending(tmp_path):
    missing = str(tmp_path / 'missing.pem')
    with pytest.raises(ConfigurationError, match=f'token_ca_path file {missing} does not exist'):
        request(token_ca_path=missing).validate()


def test_token_ca_path_that_is_not_pem_is_named(tmp_path):
    der = tmp_path / 'ca.der'
    der.write_bytes(b'\x30\x82\x01\x0a' + b'\x00' * 40)
    with pytest.raises(ConfigurationError, match=f'token_ca_path file {der} holds no PEM certificate'):
        request(token_ca_path=str(der)).validate()


def test_ca_path_serves_the_idp_and_is_named_as_ca_path(tmp_path):
    missing = str(tmp_path / 'missing.pem')
    with pytest.raises(ConfigurationError, match=f'ca_path file {missing} does not exist'):
        request(ca_path=missing).validate()


def test_cache_key_material_changes_with_every_trust_decision(tmp_path, monkeypatch):
    monkeypatch.delenv('REQUESTS_CA_BUNDLE', raising=False)
    monkeypatch.delenv('CURL_CA_BUNDLE', raising=False)
    first, second = tmp_path / 'first.pem', tmp_path / 'second.pem'
    first.write_text('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')
    second.write_text('-----BEGIN CERTIFICATE-----\nBBBB\n-----END CERTIFICATE-----\n')
    keys = [
        json.dumps(request(**options).cache_key_material())
        for options in (
            {},
            {'validate_certs': False},
            {'token_ca_path': str(first)},
            {'token_ca_path': str(second)},
            {'ca_path': str(first)},
        )
    ]
    # ca_path for the IdP is the same decision as token_ca_path with the same file
    assert keys[2] == keys[4]
    assert len(set(keys)) == 4
    # the same path with other content is another decision
    first.write_text(second.read_text())
    assert json.dumps(request(token_ca_path=str(first)).cache_key_material()) != keys[2]


def test_a_token_that_lives_no_longer_than_the_margin_is_warned_about():
    assert short_lifetime_warning(Token('t', expires_at=1300.0, obtained_at=1000.0), 'c', 'https://idp/t') is None
    warning = short_lifetime_warning(Token('t', expires_at=1020.0, obtained_at=1000.0), 'c', 'https://idp/t')
    assert "issues client 'c' tokens that live 20 s, no longer than the refresh margin of 30 s" in warning


def test_html_login_page_instead_of_a_token_endpoint(server):
    server.answer((200, {'Content-Type': 'text/html'}, b'<html><body><h1>Sign in</h1></body></html>'))
    with pytest.raises(
        IdpError, match=r'answered 200 without an access_token \(text/html: Sign in\): check that token_url'
    ):
        send(request(), server)
