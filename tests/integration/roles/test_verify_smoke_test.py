# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's smoke check (verify_smoke_test: true) through playbooks/verify.yml against the emulator:
it passes with stage latencies, a second run changes nothing, --check writes nothing and says so, and an
unauthorized principal fails the role with the missing permission named."""

from __future__ import annotations

import pytest
import requests

from playbook import REPO_ROOT

pytestmark = pytest.mark.skipif(
    not (REPO_ROOT / 'plugins' / 'plugin_utils' / '_verify.py').exists(),
    reason='needs the verify role extension point (plugin_utils/_verify.py, branch verify) merged',
)

VERIFY = REPO_ROOT / 'playbooks' / 'verify.yml'
JUDGE = 'community.camunda.verify : Judge every check against the expectations'
SMOKE = 'community.camunda.verify : Run the probe process end to end (smoke test)'
FAIL = 'community.camunda.verify : Fail with every failed check'
STAGES = ['deploy', 'create instance', 'activate job', 'complete job', 'publish message', 'complete instance']
USER, PASSWORD = 'smoke-verifier', 'verify-smoke-pa55word'


def smoke_check(run):
    checks = {check['name']: check for check in run.task(JUDGE)['ansible_facts']['verify_result']['checks']}
    return checks['smoke test']


def writes(emulator):
    return sum(
        emulator.admin.request_count(path, 'POST')
        for path in ('/v2/deployments', '/v2/process-instances', '/v2/jobs/activation', '/v2/messages/publication')
    )


def test_smoke_check_in_the_verify_role(emulator, playbook):
    emulator.admin.set_auth('basic')
    requests.post(
        emulator.url + '/v2/users',
        auth=('demo', 'demo'),
        timeout=10,
        json={'username': USER, 'password': PASSWORD, 'name': 'Smoke', 'email': 's@example.com'},
    ).raise_for_status()
    variables = dict(
        camunda_url=emulator.url,
        camunda_auth_method='basic',
        camunda_username=USER,
        camunda_password=PASSWORD,
        verify_expected_auth_method='basic',
        verify_smoke_test=True,
    )

    first = playbook(VERIFY, extra_vars=variables).assert_ok()
    check = smoke_check(first)
    assert check['result'] == 'pass' and 'a probe instance ran end to end in' in check['reason']
    assert list(check['details']['latencies_ms']) == STAGES and check['details']['latency_ms'] >= 0
    assert first.task(SMOKE)['changed'] is True  # the probe definition was deployed

    second = playbook(VERIFY, extra_vars=variables).assert_ok()
    assert smoke_check(second)['result'] == 'pass'
    assert not [line['task'] for line in second.results if line['result'].get('changed')]

    emulator.admin.reset_counts()
    checked = playbook(VERIFY, extra_vars=variables, check=True).assert_ok()
    assert smoke_check(checked)['result'] == 'skip' and 'not run in check mode' in smoke_check(checked)['reason']
    assert writes(emulator) == 0

    emulator.admin.set_faults(denied_permissions=['PROCESS_DEFINITION:CREATE_PROCESS_INSTANCE'])
    refused = playbook(VERIFY, extra_vars=variables | {'verify_smoke_timeout': 5})
    assert refused.rc != 0
    check = smoke_check(refused)
    assert check['result'] == 'fail' and check['details']['failed_stage'] == 'create instance'
    message = refused.task(FAIL)['msg']
    assert "smoke test: stage 'create instance' did not happen" in message
    assert 'the credentials lack the permission PROCESS_DEFINITION: CREATE_PROCESS_INSTANCE' in message
    assert PASSWORD not in refused.output
