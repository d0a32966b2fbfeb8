# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What messages say about an answer: status phrases, content types, HTML excerpts."""

from __future__ import annotations

import requests

from ansible_collections.community.camunda.plugins.module_utils._core.responses import (
    EXCERPT_LENGTH,
    describe_body,
    is_html,
    json_or_none,
    status_phrase,
)


def response(status=200, body=b'', content_type=None):
    answer = requests.Response()
    answer.status_code = status
    answer._content = body
    if content_type:
        answer.headers['Content-Type'] = content_type
    return answer


def test_json_or_none_ignores_the_content_type():
    assert json_or_none(response(body=b'{"a": 1}', content_type='text/plain')) == {'a': 1}
    assert json_or_none(response(body=b'<html>', content_type='application/json')) is None
    assert json_or_none(response()) is None


def test_status_phrase_of_known_and_unknown_codes():
    assert status_phrase(response(503)) == '503 Service Unavailable'
    assert status_phrase(response(599)) == '599'


def test_html_is_recognised_by_type_or_by_its_start_and_excerpted_without_tags_or_scripts():
    page = b'<!DOCTYPE html><html><script>var x = 1;</script><h1>Sign in</h1>  <p>please</p></html>'
    assert is_html(response(body=page))
    assert describe_body(response(body=page, content_type='text/html; charset=utf-8')) == 'text/html: Sign in please'


def test_long_bodies_are_cut_and_empty_ones_said_so():
    long_text = ('word ' * 100).encode()
    described = describe_body(response(body=long_text, content_type='text/plain'))
    assert described.endswith('...') and len(described) == len('text/plain: ') + EXCERPT_LENGTH + 3
    assert describe_body(response()) == 'empty body'
