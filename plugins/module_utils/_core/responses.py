# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Reading HTTP answers for messages: JSON when it is JSON, a short readable excerpt otherwise.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # requests may be missing where a module runs; the module shell reports that
    import requests

_TAG = re.compile(r'<[^>]+>')
_SPACE = re.compile(r'\s+')
_SCRIPT_OR_STYLE = re.compile(r'<(script|style)\b.*?</\1\s*>', re.IGNORECASE | re.DOTALL)
EXCERPT_LENGTH = 160


def json_or_none(response: requests.Response) -> Any:
    """The decoded JSON body, or None when the body is not JSON (whatever the content type says)."""
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return None


def status_phrase(response: requests.Response) -> str:
    try:
        return f'{response.status_code} {HTTPStatus(response.status_code).phrase}'
    except ValueError:
        return str(response.status_code)


def content_type(response: requests.Response) -> str:
    return response.headers.get('Content-Type', 'no content type').split(';', 1)[0].strip()


def is_html(response: requests.Response) -> bool:
    return 'html' in content_type(response) or response.text.lstrip()[:15].lower().startswith(('<!doctype', '<html'))


def excerpt(response: requests.Response) -> str:
    """The first words of a body, with HTML tags removed."""
    text = response.text or ''
    if is_html(response):
        text = _TAG.sub(' ', _SCRIPT_OR_STYLE.sub(' ', text))
    text = _SPACE.sub(' ', text).strip()
    return text[:EXCERPT_LENGTH] + ('...' if len(text) > EXCERPT_LENGTH else '')


def describe_body(response: requests.Response) -> str:
    """'text/html: 502 Bad Gateway nginx' or 'empty body', for messages."""
    if not response.content:
        return 'empty body'
    words = excerpt(response)
    return f'{content_type(response)}: {words}' if words else content_type(response)
