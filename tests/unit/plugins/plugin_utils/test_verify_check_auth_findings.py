# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's auth findings check over hand-made camunda_auth_info answers (every branch)."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.plugin_utils._verify_check_auth_findings import NAME, judge


class Facts:
    """The one method of the verify role's Facts that the check uses."""

    def __init__(self, answer):
        self.answer = answer

    def probe(self, name):
        assert name == 'auth_findings'
        return {} if (self.answer or {}).get('skipped') else (self.answer or {})


AUDIENCE = dict(
    id='audience_not_accepted',
    severity='error',
    message="The token's audience a is not one the cluster accepts (b).",
    fix='Request a token for one of b.',
)
SKEW = dict(
    id='clock_skew',
    severity='warning',
    message='Clocks differ by more than 30 s: the cluster is 90 s ahead of the controller.',
    fix='Synchronise the clock of the cluster (NTP, chrony).',
)
ACCEPTED = dict(
    id='accepted', severity='info', message='The cluster accepts the credentials as x.', fix='Nothing to fix.'
)


def test_not_probed_or_skipped_is_left_out():
    assert judge(Facts(None)) is None
    assert judge(Facts({'skipped': True, 'changed': False})) is None


def test_findings_with_their_fixes_fail_the_check():
    judged = judge(Facts({'findings': [AUDIENCE, SKEW, ACCEPTED], 'principal': 'x', 'highest_severity': 'error'}))
    assert judged['name'] == NAME and judged['result'] == 'fail'
    assert judged['problems'] == [
        f"{AUDIENCE['message']} Fix: {AUDIENCE['fix']}",
        f"{SKEW['message']} Fix: {SKEW['fix']}",
    ]
    assert judged['reason'] == f"{AUDIENCE['message']}; {SKEW['message']}"
    assert judged['details']['findings'] == [AUDIENCE, SKEW, ACCEPTED] and judged['details']['principal'] == 'x'


def test_nothing_explaining_is_a_skip_with_the_details():
    judged = judge(Facts({'findings': [ACCEPTED], 'highest_severity': 'info'}))
    assert judged['result'] == 'skip' and judged['problems'] == []
    assert judged['details']['findings'] == [ACCEPTED]


def test_a_failed_diagnosis_says_why():
    judged = judge(Facts({'failed': True, 'msg': 'OIDC needs client_id (or CAMUNDA_CLIENT_ID).'}))
    assert judged['result'] == 'fail' and judged['reason'].endswith('OIDC needs client_id (or CAMUNDA_CLIENT_ID).')


def test_the_answer_has_the_shape_of_the_roles_check():
    judged = judge(Facts({'findings': [SKEW]}))
    assert set(judged) == {'name', 'result', 'reason', 'problems', 'details'}
