# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Bounded concurrent requests that slow down when Camunda pushes back.

For internal collection use only: no stable interface.

camunda_identity sends independent requests (the reads of many member lists, the writes of one phase
of a plan) a few at a time. ``Window`` is how many may be in flight: it starts at ``parallel``, halves
when an answer shows backpressure (the transport had to wait and retry on 429/503, honouring
Retry-After), and grows back by one after a window's worth of clean answers. After the first failure
no new request starts; those in flight finish, and the caller learns which ran and which did not.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from typing import Any

from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError

MAX_PARALLEL = 10  # requests' connection pool holds 10 connections per host


class Window(object):
    """How many requests may be in flight now: multiplicative decrease, additive increase."""

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.size = self.limit
        self._clean = 0

    def pushed_back(self) -> None:
        self.size = max(1, self.size // 2)
        self._clean = 0

    def answered(self) -> None:
        self._clean += 1
        if self._clean >= self.size and self.size < self.limit:
            self.size += 1
            self._clean = 0


class Outcome(object):
    """What became of one task: ``done`` with its value, ``failed`` with its error, or not started."""

    def __init__(self, done: bool = False, value: Any = None, error: CamundaError | None = None) -> None:
        self.done = done
        self.value = value
        self.error = error

    @property
    def started(self) -> bool:
        return self.done or self.error is not None


def run_bounded(
    tasks: Sequence[Callable[[], Any]],
    parallel: int,
    pressure: Callable[[], int] = lambda: 0,
    window: Window | None = None,
) -> list[Outcome]:
    """Run the callables ``tasks``, at most ``window.size`` at once; return one Outcome per task, in order.

    ``pressure()`` is a counter that grows when the server pushed back (``CamundaClient.retried_responses``).
    A task that raises CamundaError fails; then no further task starts. Other exceptions are bugs and propagate.
    """
    outcomes = [Outcome() for _task in tasks]
    window = window or Window(parallel)
    if window.limit <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            if not _run_one(task, outcomes[index]):
                break
        return outcomes
    pending: dict[Future, tuple[int, int]] = {}  # future -> (task index, pressure when sent)
    index, failed = 0, False
    with ThreadPoolExecutor(max_workers=window.limit) as pool:
        while pending or (index < len(tasks) and not failed):
            while not failed and index < len(tasks) and len(pending) < window.size:
                pending[pool.submit(tasks[index])] = (index, pressure())
                index += 1
            finished, _running = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                task_index, pressure_before = pending.pop(future)
                try:
                    outcomes[task_index] = Outcome(done=True, value=future.result())
                except CamundaError as exc:
                    outcomes[task_index] = Outcome(error=exc)
                    failed = True
                if pressure() > pressure_before:
                    window.pushed_back()
                else:
                    window.answered()
    return outcomes


def _run_one(task: Callable[[], Any], outcome: Outcome) -> bool:
    try:
        outcome.value = task()
        outcome.done = True
    except CamundaError as exc:
        outcome.error = exc
        return False
    return True
