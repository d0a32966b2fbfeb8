# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Probes of a cluster that the topology does not cover: is it up, is it protected, are the credentials good.

For internal collection use only: no stable interface.

Each probe reports what it saw instead of failing, so that one run answers every question (the
verify role judges the answers). Only wrong options fail, before any request is sent.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient
from ansible_collections.community.camunda.plugins.module_utils._api.principal import read_principal
from ansible_collections.community.camunda.plugins.module_utils._core.errors import (
    ApiError,
    CamundaError,
    TransportError,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec

CLUSTER_INFO_SPEC = module_spec({})


def _probe_status(client):
    """GET /v2/status without credentials: 204 up, 503 down (no partition has a healthy leader)."""
    response = client.request('GET', 'status', expected=(204, 503), authenticate=False)
    if response.status_code == 204:
        return 'up', 'GET /v2/status answered 204: at least one partition has a healthy leader'
    return 'down', 'GET /v2/status answered 503: no partition has a healthy leader'


def _probe_unauthenticated(client):
    """GET /v2/topology without credentials: 200 means the API is open (unprotected API)."""
    try:
        response = client.request('GET', 'topology', expected=(200, 401, 403), authenticate=False)
        if response.status_code == 200:
            client.json_of('GET', 'topology', response)  # a login page answering 200 is not an open API
    except CamundaError as exc:
        return 'unknown', None, exc.msg
    challenge = response.headers.get('WWW-Authenticate')
    if response.status_code == 200:
        return 'allowed', None, 'GET /v2/topology without credentials answered 200'
    return 'refused', challenge, f'GET /v2/topology without credentials answered {response.status_code}'


def _probe_credentials(client):
    """GET /v2/authentication/me with the task's credentials: who the API takes the caller for."""
    if client.auth_method_name == 'none':
        return 'none', None, 'no credentials were given (auth_method none)'
    try:
        principal = read_principal(client) or {}
    except ApiError as exc:
        if exc.status == 401:
            return 'refused', None, exc.msg
        if exc.status == 403:
            return 'forbidden', None, exc.msg
        return 'error', None, exc.msg
    except CamundaError as exc:
        # The identity provider refused or could not be reached: the API never saw the credentials.
        return ('refused' if getattr(exc, 'status', None) in (400, 401, 403) else 'error'), None, exc.msg
    return 'accepted', principal, f"the API took the credentials for {principal.get('username')!r}"


def _probe_license(client, credentials_accepted):
    """GET /v2/license: Camunda serves it without credentials, as it serves /v2/status.

    Returns (license or None, what was seen, error or None). A server that refuses the anonymous read (a proxy
    that protects every path) is asked again with the task's credentials when they were accepted.
    """
    try:
        response = client.request('GET', 'license', expected=(200, 401, 403), authenticate=False)
        if response.status_code == 200:
            return client.json_of('GET', 'license', response), 'GET /v2/license without credentials answered 200', None
        if not credentials_accepted:
            return (
                None,
                (
                    f'GET /v2/license without credentials answered {response.status_code}, and there are no '
                    'accepted credentials to ask with'
                ),
                None,
            )
        response = client.request('GET', 'license', expected=(200,))
        return (
            client.json_of('GET', 'license', response),
            'GET /v2/license answered only with credentials (a proxy protects it)',
            None,
        )
    except CamundaError as exc:
        return None, exc.msg, exc.msg


def run_cluster_info(options, context):
    """The camunda_cluster_info module: status, auth posture, credentials and license, each as seen."""
    result = dict(
        changed=False,
        reachable=False,
        status='unknown',
        unauthenticated_access='unknown',
        challenge=None,
        credentials='unknown',
        principal=None,
        license=None,
        errors=[],
        details={},
    )
    with CamundaClient(options, context) as client:
        result['auth_method'] = client.auth_method_name
        result['api_url'] = client.base_url
        try:
            result['status'], result['details']['status'] = _probe_status(client)
        except TransportError as exc:
            result['errors'].append(exc.msg)
            result['details']['status'] = exc.msg
            return result
        except ApiError as exc:
            # An answer, but not Camunda's: a proxy, a login page, or a Camunda older than 8.8.
            result['reachable'] = True
            result['errors'].append(exc.msg)
            result['details']['status'] = exc.msg
        else:
            result['reachable'] = True
        access, challenge, said = _probe_unauthenticated(client)
        result.update(unauthenticated_access=access, challenge=challenge)
        result['details']['unauthenticated_access'] = said
        credentials, principal, said = _probe_credentials(client)
        result.update(credentials=credentials, principal=principal)
        result['details']['credentials'] = said
        if result['reachable']:
            result['license'], result['details']['license'], error = _probe_license(client, credentials == 'accepted')
            if error:
                result['errors'].append(error)
    return result
