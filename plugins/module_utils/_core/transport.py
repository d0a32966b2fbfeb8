# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP for the Camunda API and the identity provider: TLS, proxy, timeouts and bounded retries.

For internal collection use only: no stable interface.

``verify`` is passed on every request, never set on the session: requests lets the
REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE variables override a session-level value, which would make
``validate_certs: false`` and ``ca_path`` silently stop working where those variables are set.
"""

from __future__ import annotations

import email.utils
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError, TransportError
from ansible_collections.community.camunda.plugins.module_utils._core.tls import explain_tls_failure

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
    from ansible_collections.community.camunda.plugins.module_utils._core.tls import ClientCertificate

try:
    import requests
    from requests.adapters import HTTPAdapter

    HAS_REQUESTS = True
except ImportError:  # pragma: no cover - reported by the module shell with missing_required_lib
    HAS_REQUESTS = False
    HTTPAdapter = object  # type: ignore[misc,assignment]  # only the base of a class no one then uses

# How the collection names itself to every server it calls.
USER_AGENT = 'community.camunda'
RETRY_STATUSES = frozenset((429, 502, 503, 504))
IDEMPOTENT_METHODS = frozenset(('GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'))
BACKOFF_BASE_SECONDS = 0.5
BACKOFF_MAX_SECONDS = 10.0
MAX_TOTAL_WAIT_SECONDS = 60.0


class Reply(object):
    """A response and how much retrying it took."""

    def __init__(
        self,
        response: requests.Response,
        attempts: int,
        waited: float,
        retry_after: float | None = None,
        elapsed: float | None = None,
        max_total_wait: float | None = None,
        retry_after_over_cap: bool = False,
    ) -> None:
        self.response = response
        self.attempts = attempts
        self.waited = waited
        self.retry_after = retry_after
        # Wall time from the first attempt to this answer: the backoff alone hides slow answers.
        self.elapsed = waited if elapsed is None else elapsed
        self.max_total_wait = max_total_wait
        # Retries were left, but the server asked to wait longer than the task may wait in total.
        self.retry_after_over_cap = retry_after_over_cap

    def retry_summary(self) -> str:
        if self.attempts <= 1:
            return ''
        summary = f' after {self.attempts} attempts over {self.elapsed:.1f} s ({self.waited:.1f} s of it waiting'
        if self.retry_after is not None:
            summary += f'; the server asked for Retry-After {self.retry_after:g} s'
        return summary + ')'

    def give_up_advice(self) -> str:
        """What to do about a retryable status that persisted: more retries, or a longer total wait."""
        if self.retry_after_over_cap:
            return (
                f'the server asked to wait {self.retry_after:g} s (Retry-After), more than the '
                f'{self.max_total_wait:g} s that retry_max_wait lets a task wait in total: raise retry_max_wait '
                'to wait that long, or try again later'
            )
        return 'try again later or raise retries'


class _KeyPasswordAdapter(HTTPAdapter):
    """Lets urllib3 decrypt an encrypted client key with a password instead of prompting."""

    def __init__(self, key_password: str, **kwargs: Any) -> None:
        self._key_password = key_password
        super().__init__(**kwargs)

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs['key_password'] = self._key_password
        super().init_poolmanager(*args, **kwargs)

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        proxy_kwargs['key_password'] = self._key_password
        return super().proxy_manager_for(proxy, **proxy_kwargs)


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date); None if absent or unreadable."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - (now if now is not None else time.time()))


def check_http_url(url: str | None, option: str) -> None:
    """Refuse a URL with whitespace or control characters, naming them: requests would misread it."""
    for position, character in enumerate(url or ''):
        if character.isspace() or ord(character) < 32:
            what = 'a space' if character == ' ' else f'the character {character!r}'
            raise ConfigurationError(
                f'{option} {url!r} contains {what} at position {position + 1}: remove it (a space inside a path '
                'is written %20).'
            )


def backoff_seconds(retry_number: int, rand: Callable[[], float] = random.random) -> float:
    """Exponential backoff with half-to-full jitter, so parallel forks do not retry in step."""
    ceiling = min(BACKOFF_MAX_SECONDS, BACKOFF_BASE_SECONDS * (2**retry_number))
    return ceiling / 2 + rand() * ceiling / 2


class Transport(object):
    """Sends requests with the connection options of one task."""

    def __init__(
        self,
        timeout: float = 30.0,
        proxy: str | None = None,
        retries: int = 3,
        max_total_wait: float = MAX_TOTAL_WAIT_SECONDS,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.timeout = timeout
        self.proxies = {'http': proxy, 'https': proxy} if proxy else None
        self.retries = max(0, retries)
        self.max_total_wait = max(0.0, max_total_wait)
        self._sleep = sleep
        self._clock = clock
        self.session = requests.Session()
        self._mounted_key_passwords: set[tuple[str, str]] = set()

    @classmethod
    def from_options(cls, options: OptionAdapter) -> Transport:
        return cls(
            timeout=options.get('timeout', 30.0),
            proxy=options.get('proxy'),
            retries=options.get('retries', 3),
            max_total_wait=options.get('retry_max_wait', MAX_TOTAL_WAIT_SECONDS),
        )

    def close(self) -> None:
        self.session.close()

    def send(
        self,
        method: str,
        url: str,
        server_name: str,
        verify: bool | str,
        ca_option: str = 'ca_path',
        client_certificate: ClientCertificate | None = None,
        idempotent: bool | None = None,
        data_for_retry: Callable[[], Any] | None = None,
        retry_statuses: frozenset[int] = RETRY_STATUSES,
        **kwargs: Any,
    ) -> Reply:
        """Send one request, retrying what is safe to retry; return a Reply or raise TransportError.

        ``server_name`` names the server in messages ("the Camunda API at ...", "the identity provider ...").
        ``data_for_retry``, when given, makes the body of each retry (a body that may be sent only once).
        ``retry_statuses``: the answers worth another attempt; 502 and 504 only when ``idempotent``.
        """
        if idempotent is None:
            idempotent = method.upper() in IDEMPOTENT_METHODS
        if client_certificate is not None:
            kwargs['cert'] = client_certificate.requests_cert()
            self._mount_key_password(url, client_certificate.key_password)
        attempts, waited = 0, 0.0
        retry_after: float | None = None
        started = self._clock()

        def reply(response: requests.Response) -> Reply:
            over_cap = (
                response.status_code in retry_statuses
                and retry_after is not None
                and attempts <= self.retries
                and waited + retry_after > self.max_total_wait
            )
            return Reply(
                response, attempts, waited, retry_after, self._clock() - started, self.max_total_wait, over_cap
            )

        while True:
            attempts += 1
            if attempts > 1 and data_for_retry is not None:
                kwargs['data'] = data_for_retry()
            try:
                response = self.session.request(
                    method,
                    url,
                    verify=verify,
                    timeout=self.timeout,
                    proxies=self.proxies,
                    allow_redirects=False,
                    **kwargs,
                )
            except requests.exceptions.SSLError as exc:
                raise TransportError(
                    explain_tls_failure(str(exc), server_name, ca_option, verify, client_certificate), url=url
                )
            except (requests.exceptions.ConnectionError, requests.exceptions.Timeout) as exc:
                delay = self._next_delay(attempts, waited, None, _safe_to_resend(exc, idempotent))
                if delay is None:
                    raise TransportError(
                        _describe_connection_failure(exc, method, url, server_name, attempts, self._clock() - started),
                        url=url,
                    )
                waited += self._wait(delay)
                continue
            except OSError as exc:
                # requests checks a CA bundle or client certificate path only when it sends; the core checks
                # them first, so this is a file that changed in between.
                raise TransportError(
                    f'Could not send the request to {server_name}: {exc}. Check {ca_option} '
                    'and the client certificate files.',
                    url=url,
                )
            status = response.status_code
            if status not in retry_statuses or (status in (500, 502, 504) and not idempotent):
                return reply(response)
            retry_after = retry_after_seconds(response.headers.get('Retry-After'))
            delay = self._next_delay(attempts, waited, retry_after, True)
            if delay is None:
                return reply(response)
            response.close()
            waited += self._wait(delay)

    def _next_delay(self, attempts: int, waited: float, retry_after: float | None, retryable: bool) -> float | None:
        """Seconds to wait before the next attempt, or None to stop trying."""
        if not retryable or attempts > self.retries:
            return None
        delay = retry_after if retry_after is not None else backoff_seconds(attempts - 1)
        if waited + delay > self.max_total_wait:
            return None
        return delay

    def _wait(self, seconds: float) -> float:
        start = self._clock()
        self._sleep(seconds)
        return max(seconds, self._clock() - start)

    def _mount_key_password(self, url: str, key_password: str | None) -> None:
        # Mounted per scheme://host:port/, once: every path of that server uses the same connection pool.
        prefix = '/'.join(url.split('/', 3)[:3]) + '/'
        if not key_password or (prefix, key_password) in self._mounted_key_passwords:
            return
        self.session.mount(prefix, _KeyPasswordAdapter(key_password))
        self._mounted_key_passwords.add((prefix, key_password))


def _safe_to_resend(exc: Exception, idempotent: bool) -> bool:
    # A request that never reached the server can always be sent again.
    if isinstance(exc, (requests.exceptions.ConnectTimeout, requests.exceptions.ProxyError)):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and 'refused' in str(exc).lower():
        return True
    return idempotent


def _describe_connection_failure(
    exc: Exception, method: str, url: str, server_name: str, attempts: int, elapsed: float
) -> str:
    text = str(exc)
    lowered = text.lower()
    if isinstance(exc, requests.exceptions.ProxyError):
        reason = 'the proxy refused or failed the connection: check proxy and the HTTPS_PROXY/NO_PROXY variables'
    elif isinstance(exc, requests.exceptions.Timeout):
        reason = 'no answer before the timeout: check that the server is up, or raise timeout'
    elif 'refused' in lowered:
        reason = 'connection refused: check that the server is running and that the URL and port are right'
    elif (
        'name or service not known' in lowered
        or 'nodename nor servname' in lowered
        or 'failed to resolve' in lowered
        or 'temporary failure in name resolution' in lowered
    ):
        reason = 'the host name does not resolve: check the URL'
    else:
        reason = text
    tries = f' ({attempts} attempts over {elapsed:.1f} s)' if attempts > 1 else ''
    return f'Could not reach {server_name} ({method} {url}){tries}: {reason}.'
