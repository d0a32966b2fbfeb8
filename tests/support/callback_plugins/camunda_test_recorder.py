# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only callback: writes every task result as one JSON line, so tests can assert on them."""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = '''
name: camunda_test_recorder
type: aggregate
short_description: record task results for the community.camunda tests
description: Appends one JSON line per task result to the file named by CAMUNDA_TEST_RECORD.
'''


def _parts(result):
    # ansible-core 2.19 hands callbacks a CallbackTaskResult; older versions a TaskResult.
    data = getattr(result, 'result', None)
    if not isinstance(data, dict):
        data = result._result
    task = getattr(result, 'task', None) or result._task
    host = getattr(result, 'host', None) or result._host
    return task, host, data


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = 'aggregate'
    CALLBACK_NAME = 'camunda_test_recorder'
    CALLBACK_NEEDS_ENABLED = True

    def _record(self, status, result):
        path = os.environ.get('CAMUNDA_TEST_RECORD')
        if not path:
            return
        task, host, data = _parts(result)
        line = dict(status=status, task=task.get_name(), action=task.action, host=host.get_name(), result=data)
        with open(path, 'a') as handle:
            handle.write(json.dumps(line, default=str) + '\n')

    def v2_runner_on_ok(self, result):
        self._record('ok', result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._record('failed', result)

    def v2_runner_on_skipped(self, result):
        self._record('skipped', result)

    def v2_runner_on_unreachable(self, result):
        self._record('unreachable', result)
