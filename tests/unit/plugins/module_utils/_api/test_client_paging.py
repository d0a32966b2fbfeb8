# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""CamundaClient.search_all and get_or_none: paging by cursor, and 404 as None."""

from __future__ import annotations

import pytest
from identity_fakes import FakeClient, api_error

from ansible_collections.community.camunda.plugins.module_utils._api.client import SEARCH_PAGE_LIMIT
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError


def test_search_follows_cursors_until_a_short_page():
    pages = [
        {'items': [{'username': 'a'}, {'username': 'b'}], 'page': {'endCursor': 'c1'}},
        {'items': [{'username': 'c'}, {'username': 'd'}], 'page': {'endCursor': 'c2'}},
        {'items': [{'username': 'e'}], 'page': {'endCursor': 'c3'}},
    ]
    client = FakeClient(lambda method, path, body: pages.pop(0))
    items = client.search_all('roles/r/users/search', {'x': 'y'}, page_limit=2)
    assert [item['username'] for item in items] == ['a', 'b', 'c', 'd', 'e']
    assert [body['page'] for _m, _p, body in client.requests] == [
        {'limit': 2},
        {'limit': 2, 'after': 'c1'},
        {'limit': 2, 'after': 'c2'},
    ]
    assert all(body['filter'] == {'x': 'y'} for _m, _p, body in client.requests)


def test_search_refuses_an_answer_that_is_not_a_search_result():
    client = FakeClient(lambda method, path, body: ['not', 'a', 'result'])
    with pytest.raises(ApiError, match='did not answer a search result'):
        client.search_all('roles/search')


def test_search_sends_the_default_page_size_and_stops_at_a_short_page():
    client = FakeClient(lambda method, path, body: {'items': [{'username': 'a'}], 'page': {'endCursor': 'c1'}})
    assert client.search_all('users/search') == [{'username': 'a'}]
    assert client.requests == [('POST', 'users/search', {'page': {'limit': SEARCH_PAGE_LIMIT}})]


def test_search_stops_when_the_cursor_does_not_move():
    page = {'items': [{'username': 'a'}, {'username': 'b'}], 'page': {'endCursor': 'same'}}
    client = FakeClient(lambda method, path, body: page)
    assert len(client.search_all('users/search', page_limit=2)) == 4
    assert len(client.requests) == 2


def test_get_or_none_is_none_on_404_only():
    def handler(method, path, body):
        raise api_error(404 if path == 'users/ghost' else 500)

    client = FakeClient(handler)
    assert client.get_or_none('users/ghost') is None
    with pytest.raises(ApiError):
        client.get_or_none('users/broken')
