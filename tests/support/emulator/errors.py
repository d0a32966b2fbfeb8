# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors of the emulated API, rendered as RFC 9457 problem details the way Camunda renders them."""

from __future__ import annotations

PROBLEM_CONTENT_TYPE = 'application/problem+json'

# Camunda puts the name of its internal error status in `title`, not the HTTP reason phrase.
TITLE_BY_STATUS = {
    400: 'INVALID_ARGUMENT',
    401: 'UNAUTHORIZED',
    403: 'FORBIDDEN',
    404: 'NOT_FOUND',
    405: 'METHOD_NOT_ALLOWED',
    409: 'ALREADY_EXISTS',
    415: 'UNSUPPORTED_MEDIA_TYPE',
    429: 'TOO_MANY_REQUESTS',
    500: 'INTERNAL',
    502: 'ABORTED',
    503: 'RESOURCE_EXHAUSTED',
    504: 'DEADLINE_EXCEEDED',
}


class ApiError(Exception):
    """An error answer of the API; the dispatcher turns it into a problem+json response."""

    def __init__(self, status, detail, title=None, headers=None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.title = title or TITLE_BY_STATUS.get(status, 'UNKNOWN')
        self.headers = list(headers or ())

    def problem(self, instance):
        return {
            'type': 'about:blank',
            'title': self.title,
            'status': self.status,
            'detail': self.detail,
            'instance': instance,
        }


def rejected(intent, code, reason):
    """The `detail` text of an engine rejection, prefixed as the real gateway does."""
    return f"Command '{intent}' rejected with code '{code}': {reason}"


def bad_request(detail):
    return ApiError(400, detail)


def not_found(detail):
    return ApiError(404, detail)


def already_exists(intent, reason):
    return ApiError(409, rejected(intent, 'ALREADY_EXISTS', reason))


def engine_not_found(intent, reason):
    return ApiError(404, rejected(intent, 'NOT_FOUND', reason))


def engine_invalid(intent, reason):
    return ApiError(400, rejected(intent, 'INVALID_ARGUMENT', reason))
