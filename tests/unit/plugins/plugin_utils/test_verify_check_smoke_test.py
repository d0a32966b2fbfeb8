# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smoke test check of the verify role, over hand-made answers of camunda_smoke_test (every branch)."""

from __future__ import annotations

import pytest

_verify = pytest.importorskip(
    'ansible_collections.community.camunda.plugins.plugin_utils._verify',
    reason='needs the verify role extension point (plugin_utils/_verify.py, branch verify) merged',
)

from ansible_collections.community.camunda.plugins.plugin_utils._verify_check_smoke_test import judge  # noqa: E402

STAGES = [
    dict(name=name, seconds=seconds, detail='...')
    for name, seconds in (
        ('deploy', 0.012),
        ('create instance', 0.004),
        ('activate job', 0.003),
        ('complete job', 0.002),
        ('publish message', 0.002),
        ('complete instance', 0.251),
    )
]


def judged(answer):
    return judge(_verify.Facts({'smoke_test': answer} if answer is not None else {}, {}, 'other'))


def test_left_out_when_not_asked_for():
    assert judged(None) is None
    assert judged({'changed': False, 'skipped': True, 'skip_reason': 'Conditional result was False'}) is None


def test_check_mode_is_a_skipped_check_that_says_why():
    check = judged(
        {'changed': False, 'skipped': True, 'passed': False, 'msg': 'The smoke test ...: not run in check mode.'}
    )
    assert check['result'] == 'skip' and 'not run in check mode' in check['reason']


def test_pass_with_latencies_in_milliseconds():
    check = judged({'passed': True, 'stages': STAGES, 'latency_seconds': 0.262, 'run_id': 'r', 'failed': False})
    assert check['result'] == 'pass'
    assert check['reason'].startswith('a probe instance ran end to end in 262 ms (deploy 12 ms, create instance 4 ms')
    assert check['details']['latencies_ms']['complete instance'] == 251.0 and check['details']['latency_ms'] == 262.0


def test_fail_names_the_stage_what_the_api_said_and_the_cancellation():
    check = judged(
        {
            'passed': False,
            'failed': False,
            'stages': STAGES[:2],
            'failed_stage': 'activate job',
            'api_said': 'no job of type ... within 60 s',
            'cancelled': 'instance 7 cancelled',
        }
    )
    assert check['result'] == 'fail'
    assert (
        check['reason'] == "stage 'activate job' did not happen: no job of type ... within 60 s (instance 7 cancelled)"
    )
    assert check['details']['failed_stage'] == 'activate job' and list(check['details']['latencies_ms']) == [
        'deploy',
        'create instance',
    ]


def test_bad_options_fail_the_check():
    check = judged({'failed': False, 'msg': 'wait_timeout must be more than 0 seconds, got 0.'})
    assert check['result'] == 'fail' and 'could not start: wait_timeout must be more than 0' in check['reason']
