# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camunda_auth_info core: its helpers, and bearer tokens against an in-process emulator and issuer."""

from __future__ import annotations

import email.utils
import json
import re

import pytest

from emulator import EmulatorServer
from emulator.testing import LocalIssuer

from ansible_collections.community.camunda.plugins.module_utils._auth.jwt import read_jwt
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.auth_info import (
    AUTH_INFO_SPEC,
    OverlayOptions,
    run_auth_info,
    setting_source,
)
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.facts import (
    date_offset,
    issuer_from_token_url,
)
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter

JWT_PATTERN = r'eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+'


# -- helpers ---------------------------------------------------------------------------------------


def test_read_jwt_without_trusting_it():
    with LocalIssuer() as issuer:
        header, claims = read_jwt(issuer.token(client_id='c1', groups=['ops']))
    assert header['alg'] == 'RS256' and header['kid'] and claims['client_id'] == 'c1' and claims['groups'] == ['ops']
    assert read_jwt('opaque-token') == (None, None)
    assert read_jwt('a.b.c') == (None, None)
    assert read_jwt(None) == (None, None)


@pytest.mark.parametrize(
    'token_url,issuer',
    [
        (
            'https://kc/auth/realms/camunda-platform/protocol/openid-connect/token',
            'https://kc/auth/realms/camunda-platform',
        ),
        ('https://login.microsoftonline.com/T/oauth2/v2.0/token', 'https://login.microsoftonline.com/T/v2.0'),
        ('https://login.microsoftonline.com/T/oauth2/token', 'https://login.microsoftonline.com/T'),
        ('https://login.cloud.camunda.io/oauth/token', 'https://login.cloud.camunda.io'),
        ('https://idp.example.com/token/', 'https://idp.example.com'),
        ('https://idp.example.com/issue', None),
        (None, None),
    ],
)
def test_issuer_from_token_url(token_url, issuer):
    assert issuer_from_token_url(token_url) == issuer


def test_date_offset_allows_for_the_truncated_second():
    now = 1_800_000_000.2
    assert date_offset(email.utils.formatdate(now, usegmt=True), now - 0.1, now + 0.1) == 0
    assert date_offset(email.utils.formatdate(now + 120, usegmt=True), now, now) == 120
    assert date_offset(email.utils.formatdate(now - 400, usegmt=True), now, now) == -400
    assert date_offset(None, now, now) is None and date_offset('yesterday', now, now) is None


def test_setting_source(monkeypatch):
    spec = AUTH_INFO_SPEC['argument_spec']
    monkeypatch.delenv('CAMUNDA_CLIENT_ID', raising=False)
    monkeypatch.setenv('ZEEBE_CLIENT_ID', 'from-zeebe')
    assert setting_source('client_id', 'from-zeebe', spec) == 'environment ZEEBE_CLIENT_ID'
    assert setting_source('client_id', 'given', spec) == 'option'
    monkeypatch.setenv('CAMUNDA_CLIENT_ID', 'from-camunda')
    assert setting_source('client_id', 'from-zeebe', spec) == 'option'  # CAMUNDA_CLIENT_ID is the one a fallback reads
    monkeypatch.setenv('CAMUNDA_AUTH_STRATEGY', 'OAUTH')
    assert setting_source('auth_method', 'oidc', spec) == 'environment CAMUNDA_AUTH_STRATEGY'
    monkeypatch.delenv('CAMUNDA_AUTH_STRATEGY')
    assert setting_source('validate_certs', True, spec) == 'default'
    assert setting_source('token_url', None, spec) == 'unset'


def test_overlay_options():
    options = OptionAdapter.from_dict(dict(auth_method='oidc', client_secret='s3cr3t-value'))
    overlay = OverlayOptions(options, {'auth_method': 'bearer', 'token': 'the-token'})
    assert overlay.get('auth_method') == 'bearer' and overlay.get('token') == 'the-token'
    assert overlay.get('client_secret') == 's3cr3t-value' and overlay.get('missing', 'x') == 'x'
    assert set(overlay.secrets()) == {'s3cr3t-value', 'the-token'}


# -- bearer tokens against the emulator --------------------------------------------------------------


@pytest.fixture(scope='module')
def issuer():
    with LocalIssuer() as running:
        yield running


@pytest.fixture(scope='module')
def camunda(issuer):
    with EmulatorServer(auth='oidc', oidc_issuer=issuer.url).start() as server:
        yield server


@pytest.fixture
def emulator(camunda, issuer):
    camunda.admin.reset()
    camunda.admin.set_auth('oidc', oidc_issuer=issuer.url)
    return camunda


def diagnose(url, **options):
    values = dict(url=url, retries=0, token_cache=False, auth_method='auto', validate_certs=True)
    values.update(options)
    return run_auth_info(OptionAdapter.from_dict(values), RunContext())


def test_bearer_token_accepted_with_its_issuer_discovered(emulator, issuer):
    token = issuer.token(client_id='c1')
    result = diagnose(emulator.url, token=token, expected_audiences=['orchestration-api'])
    assert result['auth_method'] == 'bearer' and result['highest_severity'] == 'info', result['findings']
    assert result['idp']['issuer'] == issuer.url and result['idp']['kid_in_jwks'] is True
    assert result['idp']['token_url_matches'] is None  # no token_url with a bearer token
    assert result['cluster']['principal']['username'] == 'c1' and result['principal'] == 'c1'
    assert result['settings']['token'] == {'value': '********', 'source': 'option'}
    assert token not in json.dumps(result) and not re.search(JWT_PATTERN, json.dumps(result))


def test_bearer_token_from_another_key_and_expired(emulator, issuer):
    issuer.rotate_key()
    kid = json.loads(json.dumps(issuer.jwks()))['keys'][-1]['kid']
    stale = issuer.token(client_id='c1', exp=1_000_000_000, iat=999_999_000, headers={'kid': 'gone-' + kid})
    result = diagnose(emulator.url, token=stale)
    found = {item['id'] for item in result['findings']}
    assert {'kid_unknown', 'token_expired', 'token_refused'} <= found
    assert result['cluster']['credentials'] == 'refused' and result['cluster']['challenge'].startswith('Bearer')
    assert result['mapping_rules'] is None


def test_opaque_token(emulator):
    result = diagnose(emulator.url, token='opaque-0123456789')
    assert [item['id'] for item in result['findings']][:2] == ['token_not_jwt', 'token_refused']
    assert result['token']['jwt'] is False and result['idp'] is None and result['token']['lifetime_left_s'] is None
    assert 'opaque-0123456789' not in json.dumps(result)


def test_wrong_options_fail_before_any_request():
    with pytest.raises(ConfigurationError, match='OIDC needs client_id'):
        diagnose('http://127.0.0.1:9', auth_method='oidc', token_url='https://idp.example.com/token')
    with pytest.raises(ConfigurationError, match='is not an http'):
        diagnose('localhost:8080')


def test_unreachable_cluster_is_a_finding(unused_port=9):
    result = diagnose(f'http://127.0.0.1:{unused_port}', auth_method='basic', username='u', password='p4ssw0rd-x')
    assert result['cluster']['credentials'] == 'error' and result['findings'][0]['id'] == 'cluster_unreachable'
    assert 'p4ssw0rd-x' not in json.dumps(result)
