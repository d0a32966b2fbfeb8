# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A multipart/form-data body built in memory, for CamundaClient.request(body=...).

For internal collection use only: no stable interface.

Built here rather than by requests' ``files=``: the body's exact size must be known before it is sent
(the gateway refuses messages over its limit), and bytes can be sent again on a retry.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable


class EncodedBody(object):
    """A request body that is not JSON: its bytes and its Content-Type."""

    def __init__(self, data: bytes, content_type: str) -> None:
        self.data = data
        self.content_type = content_type

    def __len__(self) -> int:
        return len(self.data)


def _quoted(value: str) -> str:
    # RFC 7578: a field value in quotes; quote and backslash escaped, line breaks cannot occur in a name.
    return '"' + value.replace('\\', '\\\\').replace('"', '\\"') + '"'


def multipart_form(
    fields: Iterable[tuple[str, str]] = (),
    files: Iterable[tuple[str, str, bytes, str]] = (),
    boundary: str | None = None,
) -> EncodedBody:
    """An EncodedBody of text ``fields`` [(name, value)] and ``files`` [(name, file name, bytes, content type)]."""
    boundary = boundary or 'community-camunda-' + uuid.uuid4().hex
    chunks = []
    for name, value in fields:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name={_quoted(name)}\r\n'
            'Content-Type: text/plain; charset=utf-8\r\n\r\n'.encode('utf-8')
        )
        chunks.append(value.encode('utf-8') + b'\r\n')
    for name, filename, content, content_type in files:
        chunks.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name={_quoted(name)}; '
            f'filename={_quoted(filename)}\r\nContent-Type: {content_type}\r\n\r\n'.encode('utf-8')
        )
        chunks.append(content + b'\r\n')
    chunks.append(f'--{boundary}--\r\n'.encode('ascii'))
    return EncodedBody(b''.join(chunks), f'multipart/form-data; boundary={boundary}')
