# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A token cache on disk, shared by every process of the controller.

For internal collection use only: no stable interface.

Each module task is its own process and forks run in parallel, so an in-memory cache would ask
the IdP once per task and host. Here one file per credential context holds the token:

- the file name is a SHA-256 of the context (token URL, client id, audience, scope, resource,
  client auth method, secret, certificate fingerprint, and the TLS trust towards the identity
  provider), never the values themselves;
- files are 0600 in a 0700 folder owned by the user, and every folder created for it is 0700; a folder or file that others could read is
  refused, because a token there may already have leaked;
- writes are atomic (temporary file, fsync, rename), so a reader never sees half a file;
- an exclusive lock per context makes N parallel forks that miss the cache send ONE token request:
  the first fetches, the others wait and then find the fresh token;
- a folder that cannot be created or written degrades to no cache, with a warning.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal

import errno
import fcntl
import hashlib
import json
import os
import stat
import tempfile
import time

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._auth.oidc import Token

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter

LOCK_WAIT_SECONDS = 120.0
LOCK_POLL_SECONDS = 0.05


def default_cache_directory() -> str:
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'community.camunda', 'tokens')


def cache_key(key_material: Any) -> str:
    material = json.dumps(key_material, separators=(',', ':'), sort_keys=True, default=str)
    return hashlib.sha256(material.encode('utf-8')).hexdigest()


def make_private_directories(path: str) -> None:
    """Create ``path`` and every missing folder above it with mode 0700.

    os.makedirs applies its mode to the last folder only: ~/.cache/community.camunda would be 0755.
    """
    missing = []
    while path and not os.path.isdir(path):
        missing.append(path)
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    for folder in reversed(missing):
        try:
            os.mkdir(folder, 0o700)
        except FileExistsError:
            continue  # another fork made it first
        os.chmod(folder, 0o700)  # a umask such as 0o777 would have taken more than 0o077


class TokenCache(object):
    """Tokens keyed by credential context, in one private folder."""

    def __init__(self, directory: str, warn: Callable[[str], None], lock_wait: float = LOCK_WAIT_SECONDS) -> None:
        self.directory = directory
        self._warn = warn
        self._lock_wait = lock_wait
        self._usable: bool | None = None

    @classmethod
    def from_options(cls, options: OptionAdapter, warn: Callable[[str], None]) -> TokenCache | None:
        if not options.get('token_cache', True):
            return None
        return cls(options.get('token_cache_dir') or default_cache_directory(), warn)

    def get_or_fetch(
        self,
        key_material: Any,
        fetch: Callable[[], Token],
        force_refresh: bool = False,
        previous_seen: Callable[[Token, Token | None], None] | None = None,
    ) -> tuple[Token, bool]:
        """Return (token, served_from_cache). ``fetch`` is called at most once, under the lock.

        ``previous_seen(new_token, previous_token_or_None)`` is called after a fetch with the record it
        replaces, so that something worth saying once (a too short lifetime) is said once per cache entry.
        """
        if not self._ensure_directory():
            return fetch(), False
        path = self._path(key_material)
        if not force_refresh:
            token = self._read_fresh(path)
            if token is not None:
                return token, True
        with _FileLock(path + '.lock', self._lock_wait) as locked:
            if not locked:
                self._warn(
                    f'Waited {self._lock_wait:.0f} s for the token cache lock {path}.lock; '
                    'requesting a token without the cache.'
                )
                return fetch(), False
            previous = self._read(path)
            if not force_refresh and previous is not None and previous.is_fresh():
                # Another process fetched while we waited for the lock.
                return previous, True
            token = fetch()
            if previous_seen is not None:
                previous_seen(token, previous)
            self._write(path, token)
            return token, False

    def invalidate(self, key_material: Any, token: Token) -> None:
        """Forget ``token`` (refused by the API), unless another process already replaced it."""
        if not self._ensure_directory():
            return
        path = self._path(key_material)
        with _FileLock(path + '.lock', self._lock_wait):
            current = self._read(path)
            if current is not None and current.access_token == token.access_token:
                _remove(path)

    def _path(self, key_material: Any) -> str:
        return os.path.join(self.directory, cache_key(key_material) + '.json')

    def _ensure_directory(self) -> bool:
        if self._usable is None:
            self._usable = self._prepare_directory()
        return self._usable

    def _prepare_directory(self) -> bool:
        try:
            make_private_directories(self.directory)
            info = os.stat(self.directory)
        except OSError as exc:
            self._warn(
                f'Token cache disabled: cannot create {self.directory} ({exc.strerror}). '
                'Set token_cache_dir to a writable private folder, or token_cache: false to silence this.'
            )
            return False
        _refuse_if_exposed(self.directory, info, 'folder')
        if not os.access(self.directory, os.W_OK | os.X_OK):
            self._warn(
                f'Token cache disabled: {self.directory} is not writable. '
                'Set token_cache_dir to a writable private folder, or token_cache: false to silence this.'
            )
            return False
        return True

    def _read(self, path: str) -> Token | None:
        try:
            with open(path, 'r') as handle:
                _refuse_if_exposed(path, os.fstat(handle.fileno()), 'file')
                return Token.from_dict(json.load(handle))
        except OSError as exc:
            if exc.errno != errno.ENOENT:
                self._warn(f'Ignoring unreadable token cache file {path} ({exc.strerror}).')
            return None
        except (ValueError, TypeError, KeyError):
            # Corrupted or from another version: treat as a miss; the next write replaces it.
            return None

    def _read_fresh(self, path: str) -> Token | None:
        token = self._read(path)
        return token if token is not None and token.is_fresh() else None

    def _write(self, path: str, token: Token) -> None:
        try:
            descriptor, temporary = tempfile.mkstemp(dir=self.directory, prefix='.tmp-', suffix='.json')
        except OSError as exc:
            self._warn(f'Token not cached: cannot write in {self.directory} ({exc.strerror}).')
            return
        try:
            with os.fdopen(descriptor, 'w') as handle:
                json.dump(token.to_dict(), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temporary, path)
        except OSError as exc:
            _remove(temporary)
            self._warn(f'Token not cached: cannot write {path} ({exc.strerror}).')


def _refuse_if_exposed(path: str, info: os.stat_result, kind: str) -> None:
    if info.st_uid != os.getuid():
        raise ConfigurationError(
            f'Token cache {kind} {path} belongs to another user (uid {info.st_uid}): refusing to use it. '
            'Set token_cache_dir to a folder of your own, or token_cache: false.'
        )
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077:
        fix = f'chmod 700 {path}' if kind == 'folder' else f'delete {path} and find out who changed its mode'
        raise ConfigurationError(
            f'Token cache {kind} {path} is readable by group or others (mode {mode:04o}): refusing to use it, '
            f'tokens there may have leaked. Fix: {fix}; or set token_cache_dir to a private folder, or token_cache: false.'
        )


def _remove(path: str) -> None:
    try:
        os.remove(path)
    except OSError:
        pass


class _FileLock(object):
    """An exclusive flock with a bounded wait; yields False when the wait ran out."""

    def __init__(self, path: str, wait: float) -> None:
        self.path = path
        self.wait = wait
        self._descriptor: int | None = None

    def __enter__(self) -> bool:
        try:
            descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError:
            return False
        self._descriptor = descriptor
        deadline = time.monotonic() + self.wait
        while True:
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES) or time.monotonic() >= deadline:
                    os.close(descriptor)
                    self._descriptor = None
                    return False
            time.sleep(LOCK_POLL_SECONDS)

    def __exit__(self, *exc_info: object) -> Literal[False]:
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None
        return False
