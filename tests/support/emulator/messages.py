# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Transport-independent request and response objects."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

JSON_CONTENT_TYPE = 'application/json'


@dataclass
class Request:
    method: str
    path: str  # without the query string, not percent-decoded
    query: str
    headers: object  # anything with a case-insensitive .get(name)
    body: bytes = b''


@dataclass
class Response:
    status: int
    body: bytes = b''
    content_type: str | None = None
    headers: list = field(default_factory=list)


@dataclass
class Call:
    """One API call being handled: the request, its path parameters (in pattern order) and its principal."""

    request: Request
    params: tuple
    principal: object = None


def json_response(status, document, content_type=JSON_CONTENT_TYPE, headers=()):
    body = json.dumps(document, separators=(',', ':')).encode()
    return Response(status, body, content_type, list(headers))


def no_content():
    return Response(204)
