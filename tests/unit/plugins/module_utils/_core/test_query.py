# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""JMESPath queries: compiled once, bad syntax named."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.query import apply_query, compile_query


def test_no_query_is_none_and_a_query_filters():
    assert compile_query(None) is None and compile_query('') is None
    assert apply_query(compile_query('brokers[].nodeId'), {'brokers': [{'nodeId': 0}, {'nodeId': 1}]}) == [0, 1]


def test_bad_syntax_is_named():
    with pytest.raises(ConfigurationError, match=r"^query 'brokers\[' is not a valid JMESPath expression"):
        compile_query('brokers[')
