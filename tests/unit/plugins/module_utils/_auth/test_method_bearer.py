# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""auth_method bearer: a token the user already has."""

from __future__ import annotations

import base64
import json

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.method_bearer import BearerAuth
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def bearer(**options):
    return BearerAuth(OptionAdapter.from_dict(options), None, RunContext())


def jwt_with(claims):
    def part(data):
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b'=').decode()

    return f"{part({'alg': 'RS256'})}.{part(claims)}.signature"


def test_sends_the_token_as_given():
    assert bearer(token='abc').headers() == {'Authorization': 'Bearer abc'}


def test_the_token_of_a_jwt_carries_its_expiry_issue_time_and_scope():
    token, cached = bearer(token=jwt_with({'exp': 2000, 'iat': 1000, 'scope': 'read'})).access_token()
    assert cached is False
    assert (token.expires_at, token.obtained_at, token.scope, token.token_type) == (2000.0, 1000.0, 'read', 'Bearer')


def test_an_opaque_token_gets_the_default_lifetime():
    token = bearer(token='opaque').access_token()[0]
    assert token.access_token == 'opaque' and token.lifetime == 300


def test_without_a_token_says_what_to_set():
    with pytest.raises(ConfigurationError, match=r'^auth_method bearer needs token \(or CAMUNDA_OAUTH_TOKEN\)\.$'):
        bearer().access_token()


def test_a_refused_token_is_not_renewed():
    method = bearer(token='abc')
    assert method.renew_after_refusal() is False
    assert 'Camunda refused the given token' in method.refusal_hint()
