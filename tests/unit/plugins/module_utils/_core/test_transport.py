# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import socket

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError, TransportError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.transport import (
    Transport,
    backoff_seconds,
    check_http_url,
    retry_after_seconds,
)


def transport(sleeps, retries=3, max_total_wait=60.0):
    return Transport(timeout=5, retries=retries, max_total_wait=max_total_wait, sleep=sleeps)


def send(t, server, method='GET'):
    return t.send(method, server.url + '/v2/topology', 'the test server', verify=True)


def test_503_twice_with_retry_after_then_success(server, sleeps):
    server.answer((503, {'Retry-After': '1'}, {}), (503, {'Retry-After': '1'}, {}), (200, {}, {'ok': True}))
    reply = send(transport(sleeps), server)
    assert reply.response.status_code == 200
    assert reply.attempts == 3
    assert sleeps.waits == [1.0, 1.0]
    assert len(server.requests) == 3


def test_429_beyond_retries_returns_the_last_answer_with_a_summary(server, sleeps):
    server.answer((429, {'Retry-After': '2'}, {}))
    reply = send(transport(sleeps, retries=2), server)
    assert reply.response.status_code == 429
    assert reply.attempts == 3
    assert sleeps.waits == [2.0, 2.0]
    assert reply.retry_summary().startswith(' after 3 attempts over ')
    assert reply.retry_summary().endswith(' s (4.0 s of it waiting; the server asked for Retry-After 2 s)')
    assert reply.give_up_advice() == 'try again later or raise retries'


class Clock:
    """A monotonic clock that each answer moves by ``step`` seconds, and each wait by the wait."""

    def __init__(self, step):
        self.now, self.step = 100.0, step

    def __call__(self):
        self.now += self.step
        return self.now


def test_the_summary_reports_the_elapsed_time_not_only_the_waits(server):
    clock = Clock(step=2.0)
    server.answer((503, {'Retry-After': '1'}, {}))
    t = Transport(timeout=5, retries=1, sleep=lambda seconds: None, clock=clock)
    reply = send(t, server)
    # four clock readings of 2 s each: start, before and after the wait, the answer
    assert reply.elapsed == 6.0 and reply.waited == 2.0
    assert (
        reply.retry_summary()
        == ' after 2 attempts over 6.0 s (2.0 s of it waiting; the server asked for Retry-After 1 s)'
    )


def test_retry_after_longer_than_the_total_wait_cap_stops_at_once(server, sleeps):
    server.answer((429, {'Retry-After': '120'}, {}))
    reply = send(transport(sleeps, max_total_wait=60), server)
    assert reply.response.status_code == 429
    assert reply.attempts == 1
    assert sleeps.waits == []
    assert reply.retry_after == 120
    assert reply.retry_after_over_cap
    assert reply.give_up_advice() == (
        'the server asked to wait 120 s (Retry-After), more than the 60 s that retry_max_wait '
        'lets a task wait in total: raise retry_max_wait to wait that long, or try again later'
    )


def test_retry_max_wait_comes_from_the_options(server, sleeps):
    server.answer((429, {'Retry-After': '120'}, {}), (200, {}, {}))
    t = Transport.from_options(OptionAdapter.from_dict({'retry_max_wait': 150, 'retries': 1}))
    t._sleep = sleeps
    assert send(t, server).response.status_code == 200
    assert sleeps.waits == [120.0]


def test_retries_used_up_is_not_blamed_on_the_cap(server, sleeps):
    server.answer((429, {'Retry-After': '1'}, {}))
    reply = send(transport(sleeps, retries=1, max_total_wait=1.5), server)
    assert reply.attempts == 2 and not reply.retry_after_over_cap


def test_a_file_error_inside_requests_becomes_a_transport_error(server, sleeps, monkeypatch):
    t = transport(sleeps)

    def refuse(*args, **kwargs):
        raise OSError('Could not find a suitable TLS CA certificate bundle, invalid path: /gone.pem')

    monkeypatch.setattr(t.session, 'request', refuse)
    with pytest.raises(
        TransportError, match='Could not send the request to the test server: Could not find .*Check ca_path'
    ):
        send(t, server)


@pytest.mark.parametrize(
    'url,expected',
    [
        ('http://local host:8080', "url 'http://local host:8080' contains a space at position 13"),
        ('http://localhost:8080\n', "url 'http://localhost:8080\\n' contains the character '\\n' at position 22"),
    ],
)
def test_whitespace_in_a_url_is_named(url, expected):
    with pytest.raises(ConfigurationError) as failure:
        check_http_url(url, 'url')
    assert str(failure.value).startswith(expected)


def test_500_is_retried_only_when_the_caller_asks(server, sleeps):
    server.answer((500, {}, {}), (200, {}, {}))
    t = transport(sleeps)
    reply = t.send(
        'POST', server.url + '/token', 'the IdP', verify=True, idempotent=True, retry_statuses=frozenset((500, 503))
    )
    assert reply.response.status_code == 200 and reply.attempts == 2


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 500])
def test_other_statuses_are_not_retried(server, sleeps, status):
    server.answer((status, {}, {'title': 'x'}))
    reply = send(transport(sleeps), server)
    assert reply.response.status_code == status
    assert reply.attempts == 1 and sleeps.waits == []


def test_502_is_not_retried_for_a_create(server, sleeps):
    server.answer((502, {}, b'bad gateway'), (201, {}, {}))
    reply = send(transport(sleeps), server, method='POST')
    assert reply.response.status_code == 502
    assert len(server.requests) == 1


def test_503_is_retried_for_a_create_because_camunda_did_not_process_it(server, sleeps):
    server.answer((503, {}, {}), (201, {}, {}))
    reply = send(transport(sleeps), server, method='POST')
    assert reply.response.status_code == 201
    assert len(sleeps.waits) == 1


def free_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def test_connection_refused_is_retried_then_explained(sleeps):
    url = f'http://127.0.0.1:{free_port()}/v2/topology'
    with pytest.raises(TransportError) as failure:
        transport(sleeps, retries=2).send('GET', url, 'the Camunda API at http://127.0.0.1', verify=True)
    assert len(sleeps.waits) == 2
    message = str(failure.value)
    assert message.startswith(f'Could not reach the Camunda API at http://127.0.0.1 (GET {url}) (3 attempts over')
    assert message.endswith('connection refused: check that the server is running and that the URL and port are right.')


def test_unresolvable_host_is_explained(sleeps):
    with pytest.raises(TransportError, match='the host name does not resolve'):
        transport(sleeps, retries=0).send('GET', 'http://camunda.invalid/v2/topology', 'the Camunda API', verify=True)


def test_verify_is_passed_per_request_so_the_ca_bundle_variables_cannot_override_it(
    server, sleeps, monkeypatch, tmp_path
):
    # requests replaces verify=True (but not a path or False) by REQUESTS_CA_BUNDLE; we must pass it every time.
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', str(tmp_path / 'does-not-exist.pem'))
    server.answer((200, {}, {}))
    t = transport(sleeps)
    assert t.session.verify is True  # the session default is left alone
    assert send(t, server).response.status_code == 200


RETRY_AFTER_FORMS = [
    ('3', 3.0),
    ('0', 0.0),
    ('-5', 0.0),
    ('soon', None),
    (None, None),
    ('Wed, 21 Oct 2015 07:28:10 GMT', 10.0),
]


@pytest.mark.parametrize('value,seconds', RETRY_AFTER_FORMS)
def test_retry_after_forms(value, seconds):
    assert retry_after_seconds(value, now=1445412480.0) == seconds


def test_backoff_grows_with_jitter_and_is_capped():
    assert backoff_seconds(0, rand=lambda: 0.0) == 0.25
    assert backoff_seconds(0, rand=lambda: 1.0) == 0.5
    assert backoff_seconds(3, rand=lambda: 1.0) == 4.0
    assert backoff_seconds(10, rand=lambda: 1.0) == 10.0
