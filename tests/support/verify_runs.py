# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading a run of playbooks/verify.yml: the checks the verify role judged (tests/integration/roles)."""

from __future__ import annotations

from playbook import REPO_ROOT

VERIFY = REPO_ROOT / 'playbooks' / 'verify.yml'
# Task names as the recorder sees them: role tasks carry the role's name.
JUDGE = 'community.camunda.verify : Judge every check against the expectations'
FAIL = 'community.camunda.verify : Fail with every failed check'


def checks_of(run):
    return {check['name']: check for check in run.task(JUDGE)['ansible_facts']['verify_result']['checks']}


def failed_checks(run):
    return sorted(name for name, check in checks_of(run).items() if check['result'] == 'fail')
