# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._api.version_gate import (
    UnsupportedVersionError,
    parse_version,
    require_version,
    version_gate,
)


class FakeClient(object):
    """Answers GET topology with a given document or error, and counts the reads."""

    def __init__(self, answer):
        self.answer = answer
        self.reads = 0

    def get_json(self, path):
        assert path == 'topology'
        self.reads += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def url_for(self, path):
        return 'http://camunda:8080/v2/' + path


@pytest.mark.parametrize(
    'text, parsed',
    [
        ('8.9.0', (8, 9, 0)),
        ('8.10.0-alpha2', (8, 10, 0)),
        ('8.9', (8, 9, 0)),
        ('v8.8.3', (8, 8, 3)),
        ('8.9.0-SNAPSHOT', (8, 9, 0)),
        ('', None),
        (None, None),
        ('dev', None),
    ],
)
def test_parse_version(text, parsed):
    assert parse_version(text) == parsed


@pytest.mark.parametrize(
    'running, supported',
    [('8.8.0', False), ('8.8.99', False), ('8.9.0-alpha1', True), ('8.9.0', True), ('8.10.0', True), ('9.0.0', True)],
)
def test_supports_compares_numerically(running, supported):
    assert version_gate(FakeClient({'gatewayVersion': running})).supports('8.9') is supported


def test_an_older_cluster_fails_with_the_version_needed_and_found():
    client = FakeClient({'gatewayVersion': '8.8.2'})
    with pytest.raises(UnsupportedVersionError) as raised:
        require_version(client, '8.9', 'camunda_cluster_variable (cluster variables)')
    assert raised.value.msg == (
        'camunda_cluster_variable (cluster variables) needs Camunda 8.9 or later; this cluster '
        'runs 8.8.2 (the gateway version in GET http://camunda:8080/v2/topology).'
    )
    assert raised.value.details == {'cluster_version': '8.8.2', 'required_version': '8.9'}


def test_the_version_is_read_once_per_client_whoever_asks():
    client = FakeClient({'gatewayVersion': '8.9.1'})
    require_version(client, '8.9', 'a')
    require_version(client, '8.8', 'b')
    assert version_gate(client).supports('8.10') is False
    assert client.reads == 1
    assert FakeClient({'gatewayVersion': '8.9.1'}).reads == 0  # another client (task) reads its own


@pytest.mark.parametrize(
    'answer', [ApiError('forbidden', status=403), {'brokers': []}, ['not', 'a', 'dict'], {'gatewayVersion': 'unknown'}]
)
def test_an_unknown_version_lets_the_endpoint_answer(answer):
    client = FakeClient(answer)
    require_version(client, '8.9', 'x')  # no error
    assert version_gate(client).supports('8.9') is None


def test_refused_credentials_fail_at_once():
    with pytest.raises(ApiError):
        require_version(FakeClient(ApiError('refused', status=401)), '8.9', 'x')
