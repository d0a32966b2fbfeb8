# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fault switches: what the emulator breaks on purpose so that failure paths can be tested."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field


def _replicas(value):
    """[(partition, broker), ...] from JSON lists of pairs."""
    pairs = set()
    for item in value or ():
        if not isinstance(item, (list, tuple)) or len(item) != 2:
            raise ValueError(f'expected [partition, broker] pairs, got {item!r}')
        pairs.add((int(item[0]), int(item[1])))
    return pairs


def _ints(value):
    return {int(item) for item in value or ()}


def _next_status(value):
    if not value:
        return None
    if not isinstance(value, dict) or 'status' not in value:
        raise ValueError("next_status needs {'status': 429|503, 'count': N, 'retry_after': S}")
    status = int(value['status'])
    if not 400 <= status <= 599:
        raise ValueError(f'next_status status must be 4xx or 5xx, got {status}')
    return {
        'status': status,
        'count': int(value.get('count', 1)),
        'retry_after': value.get('retry_after', 1),
        'path': value.get('path'),
    }


def _html_response(value):
    if value in (None, False, 0):
        return None
    return int(value)


def _backpressure(value):
    """true: 429 RESOURCE_EXHAUSTED on every instance creation; a status (429 or 503) picks the status."""
    if value in (None, False, 0):
        return None
    status = 429 if value is True else int(value)
    if status not in (429, 503):
        raise ValueError(f'creation_backpressure takes true, 429 or 503, got {value!r}')
    return status


def _permissions(value):
    """{'RESOURCE_TYPE:PERMISSION_TYPE', ...}: operations needing one of these answer 403."""
    found = {str(item) for item in value or ()}
    malformed = sorted(item for item in found if item.count(':') != 1)
    if malformed:
        raise ValueError(f"denied_permissions takes 'RESOURCE_TYPE:PERMISSION_TYPE' strings, got {malformed}")
    return found


def _broker_versions(value):
    return {int(broker): str(version) for broker, version in (value or {}).items()}


# fault name -> parser of its JSON value; the names are the public interface (tests/support/README.md).
PARSERS = {
    'unhealthy': _replicas,
    'dead': _replicas,
    'inactive': _replicas,
    'joining': _replicas,
    'leaving': _replicas,
    'no_leader': _ints,
    'missing_brokers': _ints,
    'broker_versions': _broker_versions,
    'status_down': bool,
    'next_status': _next_status,
    'latency_ms': lambda value: max(0, int(value or 0)),
    'read_lag_ms': lambda value: max(0, int(value or 0)),
    'forbidden': lambda value: {str(item) for item in value or ()},
    'html_response': _html_response,
    # process faults (emulator/processes.py)
    'jobs_never_activatable': bool,
    'creation_backpressure': _backpressure,
    'instances_never_complete': bool,
    'messages_never_correlated': bool,
    'denied_permissions': _permissions,
}

TOPOLOGY_FAULTS = frozenset(
    {'unhealthy', 'dead', 'inactive', 'joining', 'leaving', 'no_leader', 'missing_brokers', 'broker_versions'}
)


@dataclass
class Faults:
    unhealthy: set = field(default_factory=set)
    dead: set = field(default_factory=set)
    inactive: set = field(default_factory=set)
    # 8.10 topology shape only (Partition.state): replicas being added or removed, [partition, broker] pairs.
    joining: set = field(default_factory=set)
    leaving: set = field(default_factory=set)
    no_leader: set = field(default_factory=set)
    missing_brokers: set = field(default_factory=set)
    broker_versions: dict = field(default_factory=dict)
    status_down: bool = False
    next_status: dict | None = None
    latency_ms: int = 0
    read_lag_ms: int = 0
    forbidden: set = field(default_factory=set)
    html_response: int | None = None
    jobs_never_activatable: bool = False
    creation_backpressure: int | None = None
    instances_never_complete: bool = False
    messages_never_correlated: bool = False
    denied_permissions: set = field(default_factory=set)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def update(self, changes):
        """Set the named faults (others keep their value); a falsy value clears a fault. Raises ValueError."""
        unknown = sorted(set(changes) - set(PARSERS))
        if unknown:
            raise ValueError(f'unknown faults {unknown}; known: {sorted(PARSERS)}')
        parsed = {name: PARSERS[name](value) for name, value in changes.items()}
        with self._lock:
            for name, value in parsed.items():
                setattr(self, name, value)

    def take_forced_status(self, path):
        """The forced error for this request, counting it down; None when no such fault is pending."""
        with self._lock:
            forced = self.next_status
            if not forced or forced['count'] <= 0 or (forced['path'] and forced['path'] != path):
                return None
            forced['count'] -= 1
            if forced['count'] <= 0:
                self.next_status = None
            return dict(forced)

    def as_json(self):
        with self._lock:
            return {
                'unhealthy': sorted(self.unhealthy),
                'dead': sorted(self.dead),
                'inactive': sorted(self.inactive),
                'joining': sorted(self.joining),
                'leaving': sorted(self.leaving),
                'no_leader': sorted(self.no_leader),
                'missing_brokers': sorted(self.missing_brokers),
                'broker_versions': {str(k): v for k, v in sorted(self.broker_versions.items())},
                'status_down': self.status_down,
                'next_status': dict(self.next_status) if self.next_status else None,
                'latency_ms': self.latency_ms,
                'read_lag_ms': self.read_lag_ms,
                'forbidden': sorted(self.forbidden),
                'html_response': self.html_response,
                'jobs_never_activatable': self.jobs_never_activatable,
                'creation_backpressure': self.creation_backpressure,
                'instances_never_complete': self.instances_never_complete,
                'messages_never_correlated': self.messages_never_correlated,
                'denied_permissions': sorted(self.denied_permissions),
            }
