# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role's auth findings check: refused credentials are reported with the findings and their fixes."""

from __future__ import annotations

import re

import pytest

from auth_traps import JWT_PATTERN
from playbook import REPO_ROOT

VERIFY = REPO_ROOT / 'playbooks' / 'verify.yml'
JUDGE = 'community.camunda.verify : Judge every check against the expectations'
PROBE = 'community.camunda.verify : Diagnose why the credentials failed'

pytestmark = [
    pytest.mark.skipif(
        not (REPO_ROOT / 'plugins' / 'plugin_utils' / '_verify.py').exists(),
        reason="needs the verify role's extension point (camunda_verify_judge, branch verify)",
    ),
    pytest.mark.only_idp('oidc-provider', reason="the wrong audience comes from idp.mjs's token shape switch"),
]


def checks_of(run):
    return {check['name']: check for check in run.task(JUDGE)['ansible_facts']['verify_result']['checks']}


def test_refused_token_is_explained_and_healthy_credentials_are_not_diagnosed(connections, emulator, idp, playbook):
    emulator.admin.set_auth('oidc')
    expectations = {
        'verify_deployment': 'helm',
        'verify_expected_auth_method': 'oidc',
        'verify_expected_audiences': [idp.audience],
        'verify_fail_on_error': False,
        'camunda_token_cache': False,
    }  # the second run must get a token of the new shape
    healthy = playbook(VERIFY, extra_vars=connections.oidc() | expectations).assert_ok()
    assert 'auth findings' not in checks_of(healthy) and healthy.task(PROBE)['_status'] == 'skipped'

    idp.set_token_shape(audience='camunda-other-api')
    run = playbook(VERIFY, extra_vars=connections.oidc() | expectations | {'verify_fail_on_error': True}, verbosity=3)
    assert run.rc != 0
    checks = checks_of(run)
    assert checks['credentials']['result'] == 'fail'
    findings = checks['auth findings']
    assert findings['result'] == 'fail'
    assert any(
        line.startswith(
            "The token's audience camunda-other-api is not one the cluster accepts (orchestration-api). Fix: "
        )
        for line in findings['problems']
    )
    assert (
        'auth findings: The token' in run.output and 'Fix: Request a token for one of orchestration-api' in run.output
    )
    assert idp.clients.secret.secret not in run.output and not re.search(JWT_PATTERN, run.output)
