# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import base64
import re
import json
import time
from urllib.parse import parse_qs

import pytest

from ansible_collections.community.camunda.plugins.module_utils._errors import ConfigurationError, IdpError
from ansible_collections.community.camunda.plugins.module_utils._oidc import TokenRequest, jwt_claims, token_from_response
from ansible_collections.community.camunda.plugins.module_utils._options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._transport import Transport


def request(**options):
    values = dict(token_url='https://idp.example/token', client_id='orchestration', client_secret='s3cret')
    values.update(options)
    return TokenRequest(OptionAdapter.from_dict(values), None)


def fake_jwt(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()
    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


def test_client_secret_post_sends_the_secret_in_the_body_and_nothing_unset():
    form, headers = request().form_and_headers()
    assert form == {'grant_type': 'client_credentials', 'client_id': 'orchestration', 'client_secret': 's3cret'}
    assert 'Authorization' not in headers


def test_client_secret_basic_form_encodes_both_parts():
    form, headers = request(client_id='my client', client_secret='p@ss:w/rd', client_auth_method='client_secret_basic').form_and_headers()
    assert form == {'grant_type': 'client_credentials'}
    decoded = base64.b64decode(headers['Authorization'].split(' ', 1)[1]).decode()
    assert decoded == 'my+client:p%40ss%3Aw%2Frd'


def test_tls_client_auth_sends_no_secret():
    req = TokenRequest(OptionAdapter.from_dict(dict(token_url='https://idp/t', client_id='c', client_secret='ignored',
                                                    client_auth_method='tls_client_auth')), None)
    form, headers = req.form_and_headers()
    assert form == {'grant_type': 'client_credentials', 'client_id': 'c'}


def test_audience_scope_and_resource_are_sent_only_when_set():
    form = request(audience='zeebe.camunda.io', scope='api://x/.default').form_and_headers()[0]
    assert form['audience'] == 'zeebe.camunda.io' and form['scope'] == 'api://x/.default'
    assert 'resource' not in form


@pytest.mark.parametrize('options,message', [
    (dict(token_url=None), 'OIDC needs token_url'),
    (dict(token_url='idp.example/token'), "token_url 'idp.example/token' is not an http(s) URL"),
    (dict(client_id=None), 'OIDC needs client_id'),
    (dict(client_secret=None), 'client_auth_method client_secret_post needs client_secret'),
    (dict(client_auth_method='tls_client_auth'), 'client_auth_method tls_client_auth needs a client certificate'),
])
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
    server.answer((401, {}, {'error': 'invalid_client', 'error_description': 'Invalid client or Invalid client credentials'}))
    with pytest.raises(IdpError) as failure:
        send(request(), server)
    assert failure.value.error == 'invalid_client'
    assert str(failure.value) == (f'the identity provider at {server.url}/token refused the token request (401 invalid_client: '
                                  'Invalid client or Invalid client credentials): check client_id and the client secret or certificate.')
    assert len(server.requests) == 1  # never retried


def test_idp_overload_is_retried_then_reported(server):
    server.answer((503, {'Retry-After': '0'}, b'busy'))
    with pytest.raises(IdpError, match=r'answered 503 Service Unavailable after 2 attempts'):
        send(request(), server)


def test_html_login_page_instead_of_a_token_endpoint(server):
    server.answer((200, {'Content-Type': 'text/html'}, b'<html><body><h1>Sign in</h1></body></html>'))
    with pytest.raises(IdpError, match=r'answered 200 without an access_token \(text/html: Sign in\): check that token_url'):
        send(request(), server)
