# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_token's core: the auth method gives the token; the result has its expiry and never claims a change."""

from __future__ import annotations

import base64
import json
import re

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._auth.access_token import iso8601, run_token


def jwt_with(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


def test_a_given_token_is_returned_with_its_expiry():
    result = run_token(
        OptionAdapter.from_dict({'token': jwt_with({'exp': 4102444800, 'iat': 4102441200})}), RunContext()
    )
    assert result['changed'] is False and result['cached'] is False
    assert result['expires_at'] == '2100-01-01T00:00:00Z'
    assert result['expires_in'] > 0


def test_oidc_token_from_the_identity_provider(server, tmp_path):
    server.answer((200, {}, {'access_token': 'abc', 'expires_in': 300, 'token_type': 'Bearer', 'scope': 's'}))
    options = OptionAdapter.from_dict(
        dict(
            token_url=server.url + '/token',
            client_id='c',
            client_secret='s3cret',
            token_cache_dir=str(tmp_path),
            retries=0,
        )
    )
    result = run_token(options, RunContext())
    assert (result['access_token'], result['scope'], result['cached']) == ('abc', 's', False)
    assert 295 <= result['expires_in'] <= 300
    assert run_token(options, RunContext())['cached'] is True


@pytest.mark.parametrize('options', [{}, {'username': 'demo', 'password': 'demo'}])
def test_methods_without_a_token_say_what_to_give(options):
    with pytest.raises(ConfigurationError, match=re.escape('There is no token to get with auth_method')):
        run_token(OptionAdapter.from_dict(options), RunContext())


def test_iso8601_is_utc():
    assert iso8601(0) == '1970-01-01T00:00:00Z'
