# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fakes of the identity unit tests: task options, a client answering from a handler, a clock."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def options(**values):
    """Task options as the module would have them (defaults filled in)."""
    values.setdefault('state', 'present')
    values.setdefault('members_state', 'present')
    values.setdefault('update_password', 'on_create')
    return OptionAdapter.from_dict(values)


class FakeClient(CamundaClient):
    """The real client's request helpers (search_all, get_or_none) over a handler; records (method, path, body).

    ``handler(method, path, body)`` returns the JSON answer or raises ApiError, as the client would.
    """

    def __init__(self, handler):  # pylint: disable=super-init-not-called
        self.handler = handler
        self.requests = []
        self.retried_responses = 0

    def url_for(self, path):
        return 'http://camunda/v2/' + path

    def get_json(self, path, expected=(200,)):
        return self.call_json('GET', path)

    def call_json(self, method, path, body=None, expected=(200, 201), idempotent=None):
        self.requests.append((method, path, body))
        return self.handler(method, path, body)

    def count(self, method, path=None):
        return sum(1 for m, p, _body in self.requests if m == method and (path is None or p == path))


class Clock(object):
    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def api_error(status, title='ERR'):
    return ApiError(f'failed with {status}', status=status, title=title, detail='detail')


def search_result(items):
    return {'items': items, 'page': {'totalItems': len(items), 'endCursor': None}}
