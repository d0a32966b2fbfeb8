# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
from urllib.parse import unquote

import pytest

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._cluster.cluster_variable import (
    ClusterVariableRunner,
    Request,
    Scope,
    canonical,
    is_size_refusal,
    parse_api_value,
)
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def request(**options):
    return Request(
        OptionAdapter.from_dict(dict(dict(state='present', exclusive=False, consistency_timeout=10), **options))
    )


@pytest.mark.parametrize(
    'one, other',
    [
        ({'a': 1, 'b': [1, 2]}, {'b': [1, 2], 'a': 1.0}),
        (5, 5.0),
        ('x', 'x'),
        (None, None),
        ([], []),
    ],
)
def test_equal_json_values_compare_equal(one, other):
    assert canonical(one) == canonical(other)


@pytest.mark.parametrize(
    'one, other',
    [
        (True, 1),
        (False, 0),
        ('1', 1),
        ([1, 2], [2, 1]),
        ({'a': None}, {}),
        (1.5, 1),
        ('', None),
    ],
)
def test_different_json_values_compare_different(one, other):
    assert canonical(one) != canonical(other)


def test_api_values_are_parsed_json_and_text_that_is_not_json_stays_text():
    assert parse_api_value('{"a": [1, 2.0]}') == {'a': [1, 2]}
    assert parse_api_value('"text"') == 'text'
    assert parse_api_value('not json') == 'not json'


@pytest.mark.parametrize(
    'options, message',
    [
        (dict(name='A'), "value is required to set cluster variable 'A'"),
        (dict(name=' '), 'name must not be empty.'),
        (dict(name='A B', value=1), "name 'A B' contains whitespace"),
        (dict(variables={'A B': 1}), "variables key 'A B' contains whitespace"),
        (dict(name='A', value=1, exclusive=True), 'exclusive needs variables and state=present'),
        (dict(variables={}, exclusive=True, state='absent'), 'exclusive needs variables and state=present'),
        (dict(name='A', value=1, tenant_id=''), 'tenant_id must not be empty'),
        (dict(name='A', value={1, 2}), "The value of cluster variable 'A' is not a JSON value (Object of type set"),
        (
            dict(name='A', value=float('nan')),
            "The value of cluster variable 'A' is not a JSON value (Out of range float",
        ),
    ],
)
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
        {'scope': 'GLOBAL'},
        {'scope': 'TENANT', 'tenantId': 'finance'},
    )
    items = [
        dict(scope='GLOBAL', tenantId=None),
        dict(scope='TENANT', tenantId='finance'),
        dict(scope='TENANT', tenantId='other'),
    ]
    assert [global_scope.holds(item) for item in items] == [True, False, False]
    assert [tenant.holds(item) for item in items] == [False, True, False]


@pytest.mark.parametrize(
    'status, detail, refused',
    [
        (413, None, True),
        (400, "Command 'CREATE' rejected with code 'EXCEEDED_BATCH_RECORD_SIZE': too big", True),
        (400, 'Request size exceeds the maxMessageSize', True),
        (400, "Invalid cluster variable name: 'A B'", False),
        (500, 'value too large', False),
    ],
)
def test_size_refusals_are_recognised(status, detail, refused):
    assert is_size_refusal(ApiError('x', status=status, title='INVALID_ARGUMENT', detail=detail)) is refused


# -- the runner against a scripted API ---------------------------------------------------------------


class ScriptedApi(object):
    """A CamundaClient stand-in: cluster variables in memory, with the faults a real cluster can show."""

    def __init__(self, variables=None, ignore_search_filter=False, stale_reads=()):
        self.variables = dict(variables or {})  # (tenant or None, name) -> JSON text
        self.ignore_search_filter = ignore_search_filter
        self.stale_reads = set(stale_reads)  # (tenant, name): GET and search do not see it yet
        self.writes = []

    # The client's own paging and 404 handling, over the scripted requests below.
    search_all = CamundaClient.search_all
    get_or_none = CamundaClient.get_or_none

    def url_for(self, path):
        return 'http://camunda/v2/' + path

    def get_json(self, path):
        key = self._key(path)
        if key not in self.variables or key in self.stale_reads:
            raise ApiError('not found', status=404)
        return self._item(key)

    def call_json(self, method, path, body=None, expected=(200,), idempotent=None):
        if path.startswith('cluster-variables/search'):
            wanted = body.get('filter') or {}
            items = [self._item(key) for key in sorted(self.variables, key=str) if key not in self.stale_reads]
            if not self.ignore_search_filter:
                items = [
                    item
                    for item in items
                    if item['scope'] == wanted.get('scope') and item['tenantId'] == wanted.get('tenantId')
                ]
            return {'items': items, 'page': {'endCursor': None}}
        self.writes.append((method, path))
        if method == 'POST':
            key = (self._tenant(path), body['name'])
            if key in self.variables:
                raise ApiError('exists', status=409)
            self.variables[key] = json.dumps(body['value'])
            return self._item(key)
        key = self._key(path)
        if key not in self.variables:
            raise ApiError('not found', status=404)
        if method == 'DELETE':
            del self.variables[key]
            return None
        self.variables[key] = json.dumps(body['value'])
        return self._item(key)

    @staticmethod
    def _tenant(path):
        parts = path.split('/')
        return None if parts[1] == 'global' else unquote(parts[2])

    def _key(self, path):
        return self._tenant(path), unquote(path.rsplit('/', 1)[1])

    def _item(self, key):
        tenant, name = key
        return {
            'name': name,
            'value': self.variables[key],
            'scope': 'GLOBAL' if tenant is None else 'TENANT',
            'tenantId': tenant,
            'isTruncated': False,
        }


def run(api, check_mode=False, diff=False, **options):
    context = RunContext(check_mode=check_mode, diff=diff)
    runner = ClusterVariableRunner(
        api, request(**options), context, sleep=lambda seconds: None, clock=iter(range(1000)).__next__
    )
    return runner.run()


def test_exclusive_never_reaches_another_scope_even_when_the_server_ignores_the_filter():
    api = ScriptedApi(
        {(None, 'STRAY'): '1', ('finance', 'OTHER'): '2', ('hr', 'OTHER'): '3'}, ignore_search_filter=True
    )
    result = run(api, tenant_id='finance', variables={'NEW': True}, exclusive=True)
    assert (result['created'], result['removed']) == (['NEW'], ['OTHER'])
    assert api.variables == {(None, 'STRAY'): '1', ('hr', 'OTHER'): '3', ('finance', 'NEW'): 'true'}


def test_a_variable_deleted_since_the_read_is_created_and_one_created_meanwhile_is_compared():
    api = ScriptedApi({(None, 'GONE'): '1'})
    original_call = api.call_json

    def delete_before_the_update(method, path, body=None, **kwargs):
        if method == 'PUT':
            api.variables.pop((None, 'GONE'), None)  # another run deleted it after our read
        return original_call(method, path, body, **kwargs)

    api.call_json = delete_before_the_update
    result = run(api, variables={'GONE': 2})
    assert result['changed'] is True and result['created'] == ['GONE'] and api.variables[(None, 'GONE')] == '2'

    lagging = ScriptedApi(
        {(None, 'SAME'): '{"a": 1}', (None, 'OTHER'): '1'}, stale_reads={(None, 'SAME'), (None, 'OTHER')}
    )
    lagging_result = run(lagging, variables={'SAME': {'a': 1.0}, 'OTHER': 2}, consistency_timeout=0)
    # Both creates met 409; the reads still lagged (no wait allowed), so the values were written with PUT.
    assert lagging_result['updated'] == ['OTHER', 'SAME'] and lagging.variables[(None, 'OTHER')] == '2'


def test_check_mode_predicts_and_writes_nothing_and_diff_shows_the_scope():
    api = ScriptedApi({(None, 'A'): '1', (None, 'B'): '"b"'})
    result = run(api, check_mode=True, diff=True, variables={'A': 2, 'C': [1]}, exclusive=True)
    assert (result['created'], result['updated'], result['removed']) == (['C'], ['A'], ['B'])
    assert result['diff'] == {'before': {'A': 1, 'B': 'b'}, 'after': {'A': 2, 'C': [1]}}
    assert result['variables'] == {'A': 2, 'C': [1]} and api.writes == []


def test_a_size_refusal_names_the_variable_and_its_size_but_not_the_value():
    api = ScriptedApi()

    def refuse(method, path, body=None, **kwargs):
        raise ApiError('POST refused', status=413, title='PAYLOAD_TOO_LARGE', detail='Request entity too large')

    api.call_json = lambda method, path, body=None, **kwargs: (
        {'items': [], 'page': {}} if 'search' in path else refuse(method, path, body)
    )
    with pytest.raises(ApiError) as raised:
        run(api, name='BIG', value='secret-' * 10)
    assert raised.value.msg.startswith(
        "Cannot create cluster variable 'BIG' (global): the cluster refused the value as too large (72 bytes as JSON"
    )
    assert 'secret-' not in raised.value.msg
