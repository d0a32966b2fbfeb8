# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The verify role's smoke test check: a probe process run end to end (camunda_smoke_test).

For internal collection use only: no stable interface.

Its probe is roles/verify/tasks/probe_smoke_test.yml. The module's answer has `passed`, `stages` (each with its
`seconds`), `latency_seconds`, and on failure `failed_stage` and `api_said`; in check mode it sends nothing and
answers `skipped` with its reason, which this check reports as a skipped check (unlike a probe the user did not
ask for, which is left out).
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.plugin_utils._verify import check

NAME = 'smoke test'


def _milliseconds(seconds):
    return None if seconds is None else round(seconds * 1000, 1)


def _details(answer):
    return dict(
        latencies_ms={stage['name']: _milliseconds(stage.get('seconds')) for stage in answer.get('stages') or ()},
        latency_ms=_milliseconds(answer.get('latency_seconds')),
        failed_stage=answer.get('failed_stage'),
        api_said=answer.get('api_said'),
        process_definition_key=answer.get('process_definition_key'),
        process_instance_key=answer.get('process_instance_key'),
        run_id=answer.get('run_id'),
        cancelled=answer.get('cancelled'),
        deleted=answer.get('deleted'),
    )


def judge(facts):
    # The raw answer: facts.probe() hides every skipped answer, and check mode's must be reported.
    answer = facts.probes.get('smoke_test') or {}
    if not answer or 'skip_reason' in answer:
        return None  # verify_smoke_test is false: the check is left out
    if answer.get('skipped'):
        return check(NAME, 'skip', answer.get('msg') or 'not run in check mode')
    if 'passed' not in answer:  # the module refused its options before running anything
        return check(NAME, 'fail', f"the smoke test could not start: {answer.get('msg')}")
    details = _details(answer)
    if answer['passed']:
        times = ', '.join(f'{name} {ms:g} ms' for name, ms in details['latencies_ms'].items())
        return check(
            NAME, 'pass', f"a probe instance ran end to end in {details['latency_ms']:g} ms ({times})", details=details
        )
    reason = f"stage {answer.get('failed_stage')!r} did not happen: {answer.get('api_said')}"
    if answer.get('cancelled'):
        reason += f" ({answer['cancelled']})"
    return check(NAME, 'fail', reason, details=details)
