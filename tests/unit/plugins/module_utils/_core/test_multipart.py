# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The multipart/form-data body: what a server's parser (the emulator's, on the stdlib email parser) reads back."""

from __future__ import annotations

from emulator.deployments import parse_multipart
from emulator.messages import Request

from ansible_collections.community.camunda.plugins.module_utils._core.multipart import multipart_form


def test_round_trip_through_a_parser():
    content = b'<?xml version="1.0"?>\r\n<a>\xc3\xa9\r\n--not-the-boundary\r\n</a>\r\n'
    body = multipart_form(
        [('tenantId', 'tenant-b')],
        [
            ('resources', 'order "v2".bpmn', content, 'application/xml'),
            ('resources', 'f.form', b'{}', 'application/json'),
        ],
    )
    assert body.content_type.startswith('multipart/form-data; boundary=community-camunda-')
    assert len(body) == len(body.data)
    parts = parse_multipart(Request('POST', '/v2/deployments', '', {'Content-Type': body.content_type}, body.data))
    assert parts == [
        ('tenantId', None, b'tenant-b'),
        ('resources', 'order "v2".bpmn', content),
        ('resources', 'f.form', b'{}'),
    ]


def test_boundaries_differ():
    assert multipart_form().content_type != multipart_form().content_type
