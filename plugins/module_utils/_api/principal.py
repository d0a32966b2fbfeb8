# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one reader of ``GET /v2/authentication/me``: who the cluster takes the caller's credentials for.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient

if TYPE_CHECKING:  # requests may be missing where a module runs; the module shell reports that
    import requests

PRINCIPAL_PATH = 'authentication/me'
PRINCIPAL_REQUEST = 'GET /v2/authentication/me'
# The /me fields worth returning (the rest are UI links).
PRINCIPAL_FIELDS = ('username', 'displayName', 'email', 'roles', 'groups', 'tenants', 'authorizedComponents')


def request_principal(client: CamundaClient, expected: tuple[int, ...] = (200,)) -> requests.Response:
    """The response of ``GET /v2/authentication/me``; ApiError when its status is not expected."""
    return client.request('GET', PRINCIPAL_PATH, expected=expected)


def principal_fields(me: object) -> dict | None:
    """The fields of /me worth returning; None when the answer is not a JSON object."""
    return {name: me.get(name) for name in PRINCIPAL_FIELDS} if isinstance(me, dict) else None


def principal_in(client: CamundaClient, response: requests.Response) -> dict | None:
    """The principal in a 200 answer of /me (see principal_fields); ApiError when the answer is not JSON."""
    return principal_fields(client.json_of('GET', PRINCIPAL_PATH, response))


def read_principal(client: CamundaClient) -> dict | None:
    """The principal the cluster takes the credentials for; ApiError on 401, 403 or any other refusal."""
    return principal_fields(client.get_json(PRINCIPAL_PATH))
