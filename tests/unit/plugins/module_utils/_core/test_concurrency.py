# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Bounded concurrent requests: the window shrinks on backpressure, and nothing starts after a failure."""

from __future__ import annotations

import threading

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._core.concurrency import Window, run_bounded


def test_the_window_halves_on_backpressure_and_grows_back_one_by_one():
    window = Window(8)
    window.pushed_back()
    window.pushed_back()
    assert window.size == 2
    for _answer in range(2):
        window.answered()
    assert window.size == 3
    for _answer in range(100):
        window.answered()
    assert window.size == 8
    for _push in range(10):
        window.pushed_back()
    assert window.size == 1


class Tracker(object):
    """Tasks that record how many run at once; a task may fail or push back."""

    def __init__(self, together=1):
        self.lock = threading.Lock()
        self.running = 0
        self.most = 0
        self.pressure = 0
        self.started = []
        # Tasks with wait=True wait for each other: proof that `together` of them ran at once.
        self.barrier = threading.Barrier(together)

    def task(self, name, fail=False, push_back=False, wait=False):
        def run():
            with self.lock:
                self.started.append(name)
                self.running += 1
                self.most = max(self.most, self.running)
            if wait:
                self.barrier.wait(10)
            with self.lock:
                self.running -= 1
                if push_back:
                    self.pressure += 1
            if fail:
                raise ApiError(f'{name} failed', status=500)
            return name

        return run


def test_at_most_parallel_tasks_run_at_once_and_outcomes_keep_their_order():
    tracker = Tracker(together=3)
    tasks = [tracker.task(index, wait=index < 3) for index in range(12)]
    outcomes = run_bounded(tasks, 3)
    assert [outcome.value for outcome in outcomes] == list(range(12))
    assert tracker.most == 3


def test_backpressure_narrows_the_window_to_one():
    tracker = Tracker()
    tasks = [tracker.task(index, push_back=True) for index in range(6)]
    window = Window(4)
    outcomes = run_bounded(tasks, 4, lambda: tracker.pressure, window)
    assert all(outcome.done for outcome in outcomes)
    assert window.size == 1


@pytest.mark.parametrize('parallel', [1, 4])
def test_after_a_failure_no_task_starts(parallel):
    tracker = Tracker()
    tasks = [tracker.task(0, fail=True)] + [tracker.task(index) for index in range(1, 40)]
    window = Window(parallel)
    window.size = 1  # one at a time, so the failure is seen before the next task would start
    outcomes = run_bounded(tasks, parallel, window=window)
    assert outcomes[0].error.msg == '0 failed' and not outcomes[0].done
    assert not any(outcome.started for outcome in outcomes[1:])
    assert tracker.started == [0]


def test_tasks_in_flight_when_one_fails_finish_and_say_so():
    tracker = Tracker(together=3)
    tasks = [tracker.task(0, fail=True, wait=True)] + [tracker.task(index, wait=True) for index in (1, 2)]
    outcomes = run_bounded(tasks, 3)
    assert outcomes[0].error is not None
    assert [outcome.done for outcome in outcomes[1:]] == [True, True]


def test_bugs_are_not_swallowed():
    def broken():
        raise KeyError('bug')

    with pytest.raises(KeyError):
        run_bounded([broken, broken], 2)
