# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading deployed definitions: the searches each kind allows, the latest versions, paging, the XML."""

from __future__ import annotations

from identity_fakes import FakeClient

from ansible_collections.community.camunda.plugins.module_utils._api import client as _client
from ansible_collections.community.camunda.plugins.module_utils._processes.definitions import (
    DECISION,
    DECISION_REQUIREMENTS,
    PROCESS,
    ids_filter,
    latest_of,
    read_xml,
    search_all,
    search_ids,
)


def answering(pages):
    """A handler that answers each search with the next page of ``pages``."""
    remaining = list(pages)

    def handler(method, path, body):
        items = remaining.pop(0)
        return {'items': items, 'page': {'endCursor': f'c{len(remaining)}' if remaining else None}}

    return handler


def test_filters_without_values_are_left_out_and_latest_is_asked_where_the_search_takes_it():
    client = FakeClient(answering([[]]))
    search_all(client, PROCESS, {'processDefinitionId': 'a', 'tenantId': None}, latest_only=True)
    assert client.requests == [
        (
            'POST',
            'process-definitions/search',
            {
                'page': {'limit': _client.SEARCH_PAGE_LIMIT},
                'filter': {'processDefinitionId': 'a', 'isLatestVersion': True},
            },
        )
    ]


def test_every_page_is_read_by_its_cursor(monkeypatch):
    monkeypatch.setattr(_client, 'SEARCH_PAGE_LIMIT', 2)
    pages = [
        [{'processDefinitionId': 'a', 'version': 1}, {'processDefinitionId': 'a', 'version': 2}],
        [{'processDefinitionId': 'b', 'version': 1}],
    ]
    client = FakeClient(answering(pages))
    assert [item['processDefinitionId'] for item in search_all(client, PROCESS, {})] == ['a', 'a', 'b']
    assert [body['page'] for _method, _path, body in client.requests] == [{'limit': 2}, {'limit': 2, 'after': 'c1'}]


def test_decision_requirements_have_no_latest_filter_so_the_latest_is_picked_here():
    items = [
        {'decisionRequirementsId': 'r', 'tenantId': 't', 'version': 1},
        {'decisionRequirementsId': 'r', 'tenantId': 't', 'version': 3},
        {'decisionRequirementsId': 'r', 'tenantId': 'u', 'version': 2},
    ]
    client = FakeClient(answering([items]))
    found = search_all(client, DECISION_REQUIREMENTS, {}, latest_only=True)
    assert 'isLatestVersion' not in client.requests[0][2].get('filter', {})
    assert found == [items[1], items[2]]
    assert latest_of(items, DECISION_REQUIREMENTS) == found


def test_processes_are_searched_with_in_and_decisions_one_id_at_a_time():
    client = FakeClient(answering([[]]))
    search_ids(client, PROCESS, ['b', 'a', 'b'], tenant_id='t')
    assert client.requests[0][2]['filter'] == {'processDefinitionId': {'$in': ['a', 'b']}, 'tenantId': 't'}
    client = FakeClient(answering([[{'decisionDefinitionId': 'x'}], [{'decisionDefinitionId': 'y'}]]))
    assert search_ids(client, DECISION, ['y', 'x']) == [{'decisionDefinitionId': 'x'}, {'decisionDefinitionId': 'y'}]
    assert [body['filter'] for _method, _path, body in client.requests] == [
        {'decisionDefinitionId': 'x'},
        {'decisionDefinitionId': 'y'},
    ]


def test_no_ids_searches_every_definition():
    client = FakeClient(answering([[]]))
    search_ids(client, DECISION, [])
    assert len(client.requests) == 1 and 'filter' not in client.requests[0][2]


def test_one_id_is_itself_several_are_in():
    assert ids_filter(['a', 'a']) == 'a'
    assert ids_filter(['b', 'a']) == {'$in': ['a', 'b']}


def test_xml_is_read_as_text_xml_from_the_kind_path():
    seen = []

    class Response:
        status_code = 200
        content = b'<definitions/>'

    class XmlClient(FakeClient):
        def request(
            self,
            method,
            path,
            body=None,
            expected=(200, 201, 204),
            authenticate=True,
            idempotent=None,
            accept='application/json',
        ):
            seen.append((method, path, expected, accept))
            return Response()

    assert read_xml(XmlClient(None), PROCESS, '2251/7') == b'<definitions/>'
    assert seen == [('GET', 'process-definitions/2251%2F7/xml', (200, 204), 'text/xml')]
