# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import base64

import pytest

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient, api_base_url
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


@pytest.mark.parametrize(
    'url,base',
    [
        ('http://localhost:8080', 'http://localhost:8080/v2'),
        ('http://localhost:8080/', 'http://localhost:8080/v2'),
        ('http://localhost:8080/v2', 'http://localhost:8080/v2'),
        ('https://bru-2.zeebe.camunda.io/abc-123', 'https://bru-2.zeebe.camunda.io/abc-123/v2'),
        ('https://host/orchestration/v2/', 'https://host/orchestration/v2'),
    ],
)
def test_v2_is_appended_unless_present(url, base):
    assert api_base_url(url) == base


@pytest.mark.parametrize('url', ['localhost:8080', 'ftp://host', 'http://', None, 'http://host:99999999'])
def test_malformed_url_is_reported(url):
    with pytest.raises(ConfigurationError, match='url'):
        api_base_url(url)


@pytest.mark.parametrize(
    'url', ['http://localhost :8080', 'http://localhost:8080/my cluster', ' http://localhost:8080']
)
def test_url_with_a_space_says_so_not_invalid_port(url):
    with pytest.raises(ConfigurationError) as failure:
        api_base_url(url)
    assert f'url {url!r} contains a space at position' in str(failure.value)
    assert 'port' not in str(failure.value)


def test_missing_ca_path_is_named_before_any_request(server, tmp_path):
    missing = str(tmp_path / 'ca.pem')
    with pytest.raises(ConfigurationError, match=f'ca_path file {missing} does not exist: check the path'):
        client(server, ca_path=missing)
    assert server.requests == []


def test_ca_path_is_not_checked_when_certificates_are_not_validated(server, tmp_path):
    server.answer((200, {}, {}))
    assert client(server, ca_path=str(tmp_path / 'ca.pem'), validate_certs=False).get_json('topology') == {}


def test_retry_after_beyond_the_cap_names_the_option_that_raises_it(server):
    server.answer((429, {'Retry-After': '120'}, {'title': 'RESOURCE_EXHAUSTED'}))
    with pytest.raises(ApiError) as failure:
        client(server, retries=3).get_json('topology')
    message = str(failure.value)
    assert 'answered 429 Too Many Requests' in message
    assert (
        'the server asked to wait 120 s (Retry-After), more than the 60 s that retry_max_wait lets a task wait'
        in message
    )
    assert 'raise retries' not in message
    assert len(server.requests) == 1


def client(server, **options):
    values = dict(url=server.url, retries=0, token_cache=False)
    values.update(options)
    return CamundaClient(OptionAdapter.from_dict(values), RunContext())


def test_basic_credentials_are_sent(server):
    server.answer((200, {}, {'clusterSize': 1}))
    assert client(server, username='demo', password='demo').get_json('topology') == {'clusterSize': 1}
    header = server.requests[0]['headers']['Authorization']
    assert base64.b64decode(header.split()[1]) == b'demo:demo'
    assert server.requests[0]['path'] == '/v2/topology'


def test_refused_password_is_explained_and_not_shown(server):
    server.answer(
        (
            401,
            {'Content-Type': 'application/problem+json'},
            {
                'type': 'about:blank',
                'title': 'UNAUTHORIZED',
                'status': 401,
                'detail': 'bad demo:wrong-password',
                'instance': '/v2/topology',
            },
        )
    )
    with pytest.raises(ApiError) as failure:
        client(server, username='demo', password='wrong-password').get_json('topology')
    message = str(failure.value)
    assert 'the credentials were refused (401 Unauthorized, auth_method basic)' in message
    assert "Camunda refused the username and password of user 'demo'" in message
    assert 'wrong-password' not in message and 'wrong-password' not in str(failure.value.details)
    assert len(server.requests) == 1


def test_forbidden_says_the_principal_lacks_permission(server):
    server.answer(
        (
            403,
            {},
            {'title': 'FORBIDDEN', 'status': 403, 'detail': "Insufficient permissions to perform operation 'READ'"},
        )
    )
    with pytest.raises(
        ApiError, match=r'the principal lacks permission \(403 Forbidden\) \(server said FORBIDDEN: Insufficient'
    ):
        client(server).get_json('topology')


def test_html_from_a_proxy_is_recognised(server):
    server.answer(
        (
            200,
            {'Content-Type': 'text/html'},
            b'<!DOCTYPE html><html><title>Login</title><body>Please sign in</body></html>',
        )
    )
    with pytest.raises(ApiError, match='with an HTML page .*a proxy, load balancer or login page answered instead'):
        client(server).get_json('topology')


def test_html_error_page_from_a_proxy(server):
    server.answer((502, {'Content-Type': 'text/html'}, b'<html><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>'))
    with pytest.raises(ApiError, match=r'502 Bad Gateway with an HTML page \(text/html: 502 Bad Gateway nginx\)'):
        client(server).get_json('topology')


def test_redirect_to_a_login_page_is_not_followed(server):
    server.answer((302, {'Location': '/login'}, None))
    with pytest.raises(ApiError, match='answered 302 Found to /login: url probably points at a web application'):
        client(server).get_json('topology')


def test_unknown_auth_method_is_reported():
    with pytest.raises(
        ConfigurationError, match="Unknown auth_method 'kerberos': use one of auto, basic, bearer, none, oidc"
    ):
        CamundaClient(OptionAdapter.from_dict(dict(url='http://x', auth_method='kerberos')), RunContext())


def test_basic_without_password_is_reported():
    with pytest.raises(
        ConfigurationError, match=r'auth_method basic needs password \(or CAMUNDA_BASIC_AUTH_PASSWORD\)'
    ):
        CamundaClient(OptionAdapter.from_dict(dict(url='http://x', auth_method='basic', username='demo')), RunContext())
