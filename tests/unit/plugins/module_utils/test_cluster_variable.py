# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._cluster_variable import (
    Request, Scope, canonical, is_size_refusal, parse_api_value)
from ansible_collections.community.camunda.plugins.module_utils._errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._options import OptionAdapter


def request(**options):
    return Request(OptionAdapter.from_dict(dict(dict(state='present', exclusive=False, consistency_timeout=10), **options)))


@pytest.mark.parametrize('one, other', [
    ({'a': 1, 'b': [1, 2]}, {'b': [1, 2], 'a': 1.0}), (5, 5.0), ('x', 'x'), (None, None), ([], []),
])
def test_equal_json_values_compare_equal(one, other):
    assert canonical(one) == canonical(other)


@pytest.mark.parametrize('one, other', [
    (True, 1), (False, 0), ('1', 1), ([1, 2], [2, 1]), ({'a': None}, {}), (1.5, 1), ('', None),
])
def test_different_json_values_compare_different(one, other):
    assert canonical(one) != canonical(other)


def test_api_values_are_parsed_json_and_text_that_is_not_json_stays_text():
    assert parse_api_value('{"a": [1, 2.0]}') == {'a': [1, 2]}
    assert parse_api_value('"text"') == 'text'
    assert parse_api_value('not json') == 'not json'


@pytest.mark.parametrize('options, message', [
    (dict(name='A'), "value is required to set cluster variable 'A'"),
    (dict(name=' '), 'name must not be empty.'),
    (dict(name='A B', value=1), "name 'A B' contains whitespace"),
    (dict(variables={'A B': 1}), "variables key 'A B' contains whitespace"),
    (dict(name='A', value=1, exclusive=True), 'exclusive needs variables and state=present'),
    (dict(variables={}, exclusive=True, state='absent'), 'exclusive needs variables and state=present'),
    (dict(name='A', value=1, tenant_id=''), 'tenant_id must not be empty'),
    (dict(name='A', value={1, 2}), "The value of cluster variable 'A' is not a JSON value (Object of type set"),
    (dict(name='A', value=float('nan')), "The value of cluster variable 'A' is not a JSON value (Out of range float"),
])
def test_bad_input_is_named_before_any_request(options, message):
    with pytest.raises(ConfigurationError) as raised:
        request(**options)
    assert message in raised.value.msg


def test_an_absent_variable_needs_no_value_and_variables_may_hold_null():
    assert request(name='A', state='absent').desired == {'A': None}
    assert request(variables={'A': None, 'B': 1.0}).desired == {'A': None, 'B': 1}


def test_scopes_hold_only_their_own_variables():
    global_scope, tenant = Scope(None), Scope('finance')
    assert global_scope.collection == 'cluster-variables/global'
    assert tenant.variable_path('A/B') == 'cluster-variables/tenants/finance/A%2FB'
    assert Scope('<default>').collection == 'cluster-variables/tenants/%3Cdefault%3E'
    assert (global_scope.search_filter(), tenant.search_filter()) == (
        {'scope': 'GLOBAL'}, {'scope': 'TENANT', 'tenantId': 'finance'})
    items = [dict(scope='GLOBAL', tenantId=None), dict(scope='TENANT', tenantId='finance'),
             dict(scope='TENANT', tenantId='other')]
    assert [global_scope.holds(item) for item in items] == [True, False, False]
    assert [tenant.holds(item) for item in items] == [False, True, False]


@pytest.mark.parametrize('status, detail, refused', [
    (413, None, True),
    (400, "Command 'CREATE' rejected with code 'EXCEEDED_BATCH_RECORD_SIZE': too big", True),
    (400, 'Request size exceeds the maxMessageSize', True),
    (400, "Invalid cluster variable name: 'A B'", False),
    (500, 'value too large', False),
])
def test_size_refusals_are_recognised(status, detail, refused):
    assert is_size_refusal(ApiError('x', status=status, title='INVALID_ARGUMENT', detail=detail)) is refused
