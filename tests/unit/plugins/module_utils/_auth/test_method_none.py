# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""auth_method none: no credentials at all."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._auth.method_none import NoAuth
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def test_sends_nothing_and_a_refusal_says_which_methods_to_use():
    method = NoAuth(OptionAdapter.from_dict({}), None, RunContext())
    method.validate()
    assert method.headers() == {}
    assert method.renew_after_refusal() is False
    assert method.refusal_hint().startswith('the API requires credentials: set auth_method basic')
    with pytest.raises(ConfigurationError, match='There is no token to get with auth_method none'):
        method.access_token()
