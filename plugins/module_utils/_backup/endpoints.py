# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The HTTP APIs of a backup beside the REST API: the management port, Optimize's and the snapshot API.

Each has its own URL, TLS and credentials; the headers come from the collection's auth methods (Basic, Bearer), so
there is one way of building them. Elasticsearch's API keys are the one scheme of their own.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible_collections.community.camunda.plugins.module_utils._auth.method_basic import BasicAuth
from ansible_collections.community.camunda.plugins.module_utils._auth.method_bearer import BearerAuth
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.responses import describe_body, json_or_none
from ansible_collections.community.camunda.plugins.module_utils._core.tls import verify_value
from ansible_collections.community.camunda.plugins.module_utils._core.transport import USER_AGENT, check_http_url

_EXAMPLES = {
    'management_url': 'http://localhost:9600 (C8 Run, Compose) or http://camunda-zeebe-gateway:9600 (Helm)',
    'optimize_url': 'http://localhost:8092 (Compose) or http://camunda-optimize:8092 (Helm)',
    'snapshot_url': 'http://localhost:9200 or https://elasticsearch:9200',
    'partitions_urls': 'http://camunda-zeebe-0.camunda-zeebe:9600',
}


def checked_url(url, option):
    """``url`` when it is an http(s) URL with a host, else a ConfigurationError naming the option and an example."""
    check_http_url(url, option)
    parts = urlsplit(url)
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        raise ConfigurationError(
            f'{option} {url!r} is not an http(s) URL with a host: write the scheme too, e.g. {_EXAMPLES[option]}.'
        )
    return url.rstrip('/')


class Endpoint(object):
    """Requests to one non-/v2 HTTP API with its own TLS and auth headers."""

    def __init__(self, name, url, transport, verify, headers, ca_option):
        self.name = name
        self.url = url
        self.transport = transport
        self.verify = verify
        self.headers = headers
        self.ca_option = ca_option

    def send(self, method, path, body=None):
        """(status, JSON body, a text for a plain body, or None); a connection failure raises TransportError."""
        kwargs = {'json': body} if body is not None else {}
        reply = self.transport.send(
            method,
            self.url + path,
            f'{self.name} at {self.url}',
            self.verify,
            ca_option=self.ca_option,
            headers=dict(self.headers),
            **kwargs,
        )
        response = reply.response
        data = json_or_none(response)
        if response.status_code == 401:
            raise ApiError(
                f'{method} {self.url}{path}: {self.name} refused the credentials (401): check its '
                'username/password or token options.',
                status=401,
            )
        if data is None and response.content and response.status_code != 204:
            data = {'message': describe_body(response)}
        return response.status_code, data


def auth_headers(options, prefix):
    """The Authorization header of one endpoint: Basic or Bearer through the auth methods, or an Elasticsearch key."""
    username, password = options.get(f'{prefix}_username'), options.get(f'{prefix}_password')
    token = options.get('management_token') if prefix == 'management' else None
    api_key = options.get('snapshot_api_key') if prefix == 'snapshot' else None
    if token:
        return BearerAuth({'token': token}, None, None).headers()
    if api_key:
        return {'Authorization': f'ApiKey {api_key}'}
    if username and password:
        return BasicAuth({'username': username, 'password': password}, None, None).headers()
    return {}


def endpoint_for(options, name, option, prefix, transport, url=None):
    """The Endpoint of option ``option`` (or of ``url``, one of a list option), with the ``prefix``_* TLS and auth."""
    url = checked_url(url or options.get(option), option)
    verify = verify_value(options, f'{prefix}_ca_path', validate_option=f'{prefix}_validate_certs')
    headers = {'Accept': 'application/json', 'User-Agent': USER_AGENT}
    headers.update(auth_headers(options, prefix))
    return Endpoint(name, url, transport, verify, headers, f'{prefix}_ca_path')
