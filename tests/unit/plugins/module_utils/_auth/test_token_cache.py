# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import json
import multiprocessing
import os
import stat
import time

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import Token
from ansible_collections.community.camunda.plugins.module_utils._auth.token_cache import (
    TokenCache,
    cache_key,
    default_cache_directory,
)

KEY_MATERIAL = ['https://idp/token', 'client', 'aud', None, None, 'client_secret_post', 'secret', None]


class Fetcher:
    def __init__(self, lifetime=300.0):
        self.calls = 0
        self.lifetime = lifetime

    def __call__(self):
        self.calls += 1
        now = time.time()
        return Token(f'token-{self.calls}', 'Bearer', now + self.lifetime, now)


def new_cache(tmp_path, warnings=None):
    return TokenCache(str(tmp_path / 'tokens'), (warnings if warnings is not None else []).append)


def test_second_call_is_served_from_the_cache(tmp_path):
    cache, fetch = new_cache(tmp_path), Fetcher()
    first, cached_first = cache.get_or_fetch(KEY_MATERIAL, fetch)
    second, cached_second = cache.get_or_fetch(KEY_MATERIAL, fetch)
    assert (cached_first, cached_second) == (False, True)
    assert first.access_token == second.access_token == 'token-1'
    assert fetch.calls == 1


def test_files_are_private_and_named_by_a_hash(tmp_path):
    cache = new_cache(tmp_path)
    cache.get_or_fetch(KEY_MATERIAL, Fetcher())
    folder = tmp_path / 'tokens'
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    path = folder / (cache_key(KEY_MATERIAL) + '.json')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert 'secret' not in path.name and 'client' not in path.name
    assert json.loads(path.read_text())['access_token'] == 'token-1'


def test_each_credential_context_has_its_own_entry(tmp_path):
    cache, fetch = new_cache(tmp_path), Fetcher()
    cache.get_or_fetch(KEY_MATERIAL, fetch)
    other_secret = KEY_MATERIAL[:6] + ['wrong-secret', None]
    token, cached = cache.get_or_fetch(other_secret, fetch)
    assert not cached and token.access_token == 'token-2'


def test_force_refresh_replaces_the_cached_token(tmp_path):
    cache, fetch = new_cache(tmp_path), Fetcher()
    cache.get_or_fetch(KEY_MATERIAL, fetch)
    token, cached = cache.get_or_fetch(KEY_MATERIAL, fetch, force_refresh=True)
    assert (token.access_token, cached) == ('token-2', False)
    assert cache.get_or_fetch(KEY_MATERIAL, fetch)[0].access_token == 'token-2'


def test_token_within_the_refresh_margin_is_renewed(tmp_path):
    # 300 s lifetime: the margin is max(30 s, 30 s); a token with 20 s left is renewed.
    cache, fetch = new_cache(tmp_path), Fetcher()
    now = time.time()
    cache._write(cache._path(KEY_MATERIAL), Token('old', 'Bearer', now + 20, now - 280))
    token, cached = cache.get_or_fetch(KEY_MATERIAL, fetch)
    assert (token.access_token, cached) == ('token-1', False)


def test_refresh_margin_is_ten_percent_of_long_lifetimes():
    now = time.time()
    assert Token('t', 'Bearer', now + 3600, now).refresh_margin() == 360
    assert Token('t', 'Bearer', now + 60, now).refresh_margin() == 30
    assert not Token('t', 'Bearer', now + 300, now - 3300).is_fresh(now)


def test_corrupted_file_is_ignored_and_replaced(tmp_path):
    cache, fetch = new_cache(tmp_path), Fetcher()
    cache.get_or_fetch(KEY_MATERIAL, fetch)
    path = tmp_path / 'tokens' / (cache_key(KEY_MATERIAL) + '.json')
    path.write_text('{"access_token": "half a fi')
    token, cached = cache.get_or_fetch(KEY_MATERIAL, fetch)
    assert (token.access_token, cached) == ('token-2', False)
    assert json.loads(path.read_text())['access_token'] == 'token-2'


def test_invalidate_drops_only_the_refused_token(tmp_path):
    cache, fetch = new_cache(tmp_path), Fetcher()
    refused = cache.get_or_fetch(KEY_MATERIAL, fetch)[0]
    cache.invalidate(KEY_MATERIAL, Token('some-other-token'))
    assert cache.get_or_fetch(KEY_MATERIAL, fetch)[1] is True
    cache.invalidate(KEY_MATERIAL, refused)
    assert cache.get_or_fetch(KEY_MATERIAL, fetch)[0].access_token == 'token-2'


@pytest.mark.parametrize('mode', [0o750, 0o705, 0o777])
def test_folder_readable_by_others_is_refused(tmp_path, mode):
    folder = tmp_path / 'tokens'
    folder.mkdir()
    folder.chmod(mode)
    with pytest.raises(ConfigurationError, match=r'readable by group or others \(mode 0[0-7]{3}\).*chmod 700'):
        new_cache(tmp_path).get_or_fetch(KEY_MATERIAL, Fetcher())


def test_file_readable_by_others_is_refused(tmp_path):
    cache = new_cache(tmp_path)
    cache.get_or_fetch(KEY_MATERIAL, Fetcher())
    (tmp_path / 'tokens' / (cache_key(KEY_MATERIAL) + '.json')).chmod(0o644)
    with pytest.raises(ConfigurationError, match=r'file .* is readable by group or others \(mode 0644\)'):
        new_cache(tmp_path).get_or_fetch(KEY_MATERIAL, Fetcher())


@pytest.mark.skipif(os.getuid() == 0, reason='root can write anywhere')
def test_unwritable_folder_degrades_to_no_cache_with_a_warning(tmp_path):
    parent = tmp_path / 'locked'
    parent.mkdir()
    parent.chmod(0o500)
    warnings = []
    cache = TokenCache(str(parent / 'tokens'), warnings.append)
    token, cached = cache.get_or_fetch(KEY_MATERIAL, Fetcher())
    parent.chmod(0o700)
    assert token.access_token == 'token-1' and cached is False
    assert warnings and warnings[0].startswith('Token cache disabled: cannot create')


def test_uncreatable_folder_degrades_to_no_cache_with_a_warning(tmp_path):
    # A regular file where a folder should be: fails for root too.
    blocker = tmp_path / 'file'
    blocker.write_text('')
    warnings = []
    cache = TokenCache(str(blocker / 'tokens'), warnings.append)
    token, cached = cache.get_or_fetch(KEY_MATERIAL, Fetcher())
    assert token.access_token == 'token-1' and cached is False
    assert len(warnings) == 1 and 'Token cache disabled' in warnings[0]


def _race(folder, counter_path, barrier, results):
    def fetch():
        with open(counter_path, 'a') as handle:
            handle.write('x')
        time.sleep(0.3)  # a slow IdP: everyone else is waiting on the lock meanwhile
        now = time.time()
        return Token(f'token-{os.getpid()}', 'Bearer', now + 300, now)

    cache = TokenCache(folder, lambda message: None)
    barrier.wait()
    token, cached = cache.get_or_fetch(KEY_MATERIAL, fetch)
    results.put((token.access_token, cached))


def test_parallel_processes_that_miss_the_cache_fetch_once(tmp_path):
    processes = 20
    context = multiprocessing.get_context('fork')
    barrier, results = context.Barrier(processes), context.Queue()
    counter = tmp_path / 'fetches'
    workers = [
        context.Process(target=_race, args=(str(tmp_path / 'tokens'), str(counter), barrier, results))
        for number in range(processes)
    ]
    for worker in workers:
        worker.start()
    outcomes = [results.get(timeout=30) for worker in workers]
    for worker in workers:
        worker.join(timeout=10)
    assert counter.read_text() == 'x'
    assert len({token for token, cached in outcomes}) == 1
    assert sorted(cached for token, cached in outcomes) == [False] + [True] * (processes - 1)


def test_every_folder_the_cache_creates_is_private(tmp_path, monkeypatch):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'xdg'))
    previous_umask = os.umask(0o022)
    cache = TokenCache(default_cache_directory(), [].append)
    try:
        cache.get_or_fetch(KEY_MATERIAL, Fetcher())
    finally:
        os.umask(previous_umask)
    for folder in (
        tmp_path / 'xdg',
        tmp_path / 'xdg' / 'community.camunda',
        tmp_path / 'xdg' / 'community.camunda' / 'tokens',
    ):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder


def test_an_existing_parent_keeps_its_mode(tmp_path):
    os.chmod(tmp_path, 0o755)
    new_cache(tmp_path).get_or_fetch(KEY_MATERIAL, Fetcher())
    assert stat.S_IMODE(tmp_path.stat().st_mode) == 0o755
    assert stat.S_IMODE((tmp_path / 'tokens').stat().st_mode) == 0o700


def test_a_fetch_sees_the_record_it_replaces(tmp_path):
    cache, fetch, seen = new_cache(tmp_path), Fetcher(lifetime=20.0), []
    cache.get_or_fetch(KEY_MATERIAL, fetch, previous_seen=lambda new, old: seen.append((new.access_token, old)))
    cache.get_or_fetch(
        KEY_MATERIAL, fetch, previous_seen=lambda new, old: seen.append((new.access_token, old.access_token))
    )
    # a 20 s token is never fresh (margin 30 s): the second call fetches again and sees the first token
    assert seen == [('token-1', None), ('token-2', 'token-1')]
