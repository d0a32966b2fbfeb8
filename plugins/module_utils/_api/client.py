# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Camunda Orchestration Cluster REST API client that every module and lookup uses.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote, urlsplit

from ansible_collections.community.camunda.plugins.module_utils._auth.methods import create_auth_method
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    ApiError,
    CamundaError,
    ConfigurationError,
    redact,
)
from ansible_collections.community.camunda.plugins.module_utils._core.multipart import EncodedBody
from ansible_collections.community.camunda.plugins.module_utils._core.responses import (
    describe_body,
    is_html,
    json_or_none,
    status_phrase,
)
from ansible_collections.community.camunda.plugins.module_utils._core.tls import check_ca_bundle, verify_value
from ansible_collections.community.camunda.plugins.module_utils._core.transport import (
    USER_AGENT,
    Reply,
    Transport,
    check_http_url,
)

if TYPE_CHECKING:  # requests may be missing where a module runs; the module shell reports that
    import requests

    from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter

API_PREFIX = '/v2'
# The tenant of every resource on a cluster without multi-tenancy, and the one a request without tenantId means.
DEFAULT_TENANT_ID = '<default>'
# Page size of search_all; the cursor of each answer asks for the next page (8.9 allows up to 10,000).
SEARCH_PAGE_LIMIT = 1000


def api_base_url(url: str | None) -> str:
    """``url`` with ``/v2`` appended unless it already ends with it; a SaaS cluster URL works as given."""
    check_http_url(url, 'url')
    parts = urlsplit(url or '')
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ConfigurationError(
            f'url {url!r} is not an http(s) URL: give the address of the Orchestration Cluster REST API, '
            'for example http://localhost:8080 or https://REGION.zeebe.camunda.io/CLUSTER_ID.'
        )
    try:
        parts.port
    except ValueError:
        raise ConfigurationError(f'url {url!r} has an invalid port.')
    base = (url or '').rstrip('/')  # url is set: an empty one was refused above
    return base if base.endswith(API_PREFIX) else base + API_PREFIX


def path_segment(value: object) -> str:
    """Quote one identifier for use inside a path."""
    return quote(str(value), safe='')


class CamundaClient(object):
    """Requests to ``<url>/v2/...`` with the task's auth method; errors become CamundaError."""

    # Answers the transport got only after waiting and retrying (429, 503, ... with Retry-After): the server
    # pushed back. Callers that send many requests at once read it to slow down.
    retried_responses = 0

    def __init__(self, options: OptionAdapter, context: RunContext) -> None:
        self.options = options
        self.context = context
        self.base_url = api_base_url(options.get('url'))
        self.verify = verify_value(options, 'ca_path')
        if isinstance(self.verify, str):
            check_ca_bundle(self.verify, 'ca_path')
        self.transport = Transport.from_options(options)
        self.auth = create_auth_method(options, self.transport, context)
        self.auth_method_name = self.auth.NAME

    def __enter__(self) -> CamundaClient:
        return self

    def __exit__(self, *exc_info: object) -> Literal[False]:
        self.close()
        return False

    def close(self) -> None:
        self.auth.close()
        self.transport.close()

    def url_for(self, path: str) -> str:
        return self.base_url + '/' + path.lstrip('/')

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        expected: tuple[int, ...] = (200, 201, 204),
        authenticate: bool = True,
        idempotent: bool | None = None,
        accept: str = 'application/json',
    ) -> requests.Response:
        """Send a request; return the response when its status is expected, else raise ApiError."""
        url = self.url_for(path)
        reply = self._send(method, url, body, authenticate, idempotent, accept)
        if reply.retry_summary():
            self.retried_responses += 1
        if reply.response.status_code == 401 and authenticate and self.auth.renew_after_refusal():
            reply = self._send(method, url, body, authenticate, idempotent, accept)
        if reply.response.status_code not in expected:
            raise self._error(method, url, reply)
        return reply.response

    def get_json(self, path: str, expected: tuple[int, ...] = (200,)) -> Any:
        return self.json_of('GET', path, self.request('GET', path, expected=expected))

    def call_json(
        self,
        method: str,
        path: str,
        body: Any = None,
        expected: tuple[int, ...] = (200, 201),
        idempotent: bool | None = None,
    ) -> Any:
        """A request whose answer must be JSON (or empty for 204)."""
        response = self.request(method, path, body=body, expected=expected + (204,), idempotent=idempotent)
        return None if response.status_code == 204 else self.json_of(method, path, response)

    def get_or_none(self, path: str) -> Any:
        """The JSON at ``path``, or None when Camunda answers 404."""
        try:
            return self.get_json(path)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    def search_all(self, path: str, filters: dict[str, Any] | None = None, page_limit: int | None = None) -> list[Any]:
        """Every item of a ``POST .../search``, page after page (``page.after`` = the last ``endCursor``)."""
        limit = page_limit or SEARCH_PAGE_LIMIT
        items: list[Any] = []
        after = None
        while True:
            page = {'limit': limit}
            if after:
                page['after'] = after
            body = {'page': page}
            if filters:
                body['filter'] = filters
            answer = self.call_json('POST', path, body, expected=(200,), idempotent=True)
            if not isinstance(answer, dict) or not isinstance(answer.get('items', []), list):
                raise ApiError(f'POST {self.url_for(path)} did not answer a search result (no items list): check url.')
            batch = answer.get('items') or []
            items.extend(batch)
            cursor = (answer.get('page') or {}).get('endCursor')
            if len(batch) < limit or not cursor or cursor == after:
                return items
            after = cursor

    def json_of(self, method: str, path: str, response: requests.Response) -> Any:
        data = json_or_none(response)
        if data is None:
            raise ApiError(
                self._redact(self._not_json_message(method, self.url_for(path), response)),
                status=response.status_code,
                url=self.url_for(path),
            )
        return data

    def _send(
        self,
        method: str,
        url: str,
        body: Any,
        authenticate: bool,
        idempotent: bool | None,
        accept: str = 'application/json',
    ) -> Reply:
        """The transport's Reply: the response with how it was retried."""
        headers = {'Accept': accept, 'User-Agent': USER_AGENT}
        if authenticate:
            headers.update(self.auth.headers())
        kwargs = {'json': body} if body is not None else {}
        if isinstance(body, EncodedBody):  # e.g. a multipart deployment: bytes with their own Content-Type
            kwargs = {'data': body.data}
            headers['Content-Type'] = body.content_type
        try:
            return self.transport.send(
                method,
                url,
                f'the Camunda API at {self.base_url}',
                self.verify,
                idempotent=idempotent,
                headers=headers,
                **kwargs,
            )
        except CamundaError as exc:
            exc.msg = self._redact(exc.msg)
            raise

    def _redact(self, text: Any) -> Any:
        return redact(text, self.options.secrets())

    def _not_json_message(self, method: str, url: str, response: requests.Response) -> str:
        if is_html(response):
            return (
                f'{method} {url} answered {status_phrase(response)} with an HTML page ({describe_body(response)}): '
                'a proxy, load balancer or login page answered instead of the Camunda REST API; check url.'
            )
        return f'{method} {url} answered {status_phrase(response)} but not with JSON ({describe_body(response)}): check url.'

    def _error(self, method: str, url: str, reply: Reply) -> ApiError:
        response = reply.response
        status = response.status_code
        problem = json_or_none(response)
        problem = problem if isinstance(problem, dict) else {}
        title, detail = problem.get('title'), problem.get('detail')
        said = ': '.join(str(part) for part in (title, detail) if part) or None
        message = self._error_message(method, url, reply, said)
        return ApiError(self._redact(message), status=status, title=title, detail=self._redact(detail), url=url)

    def _error_message(self, method: str, url: str, reply: Reply, said: str | None) -> str:
        response = reply.response
        status = response.status_code
        where = f'{method} {url}'
        server = f' (server said {said})' if said else ''
        if said is None and is_html(response):
            return self._not_json_message(method, url, response)
        if 300 <= status < 400:
            location = response.headers.get('Location', 'somewhere else')
            return (
                f'{where} answered {status_phrase(response)} to {location}: url probably points at a web '
                'application or login page; the REST API lives under /v2.'
            )
        if status == 401:
            return f'{where}: the credentials were refused (401 Unauthorized, auth_method {self.auth_method_name}){server}. {self.auth.refusal_hint()}.'
        if status == 403:
            return (
                f'{where}: the principal lacks permission (403 Forbidden){server}. Grant it an authorization '
                'for this resource, or a role that has one.'
            )
        if status == 404:
            return f'{where}: not found (404){server}.'
        if status in (429, 502, 503, 504):
            return (
                f'{where} answered {status_phrase(response)}{reply.retry_summary()}{server}: the cluster is overloaded '
                f'or unavailable; {reply.give_up_advice()}.'
            )
        return f'{where} failed with {status_phrase(response)}{server or " (" + describe_body(response) + ")"}.'
