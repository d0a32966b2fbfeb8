# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The verify role's auth findings check: why the credentials failed, with the fix, from camunda_auth_info.

For internal collection use only: no stable interface.

Its probe is roles/verify/tasks/probe_auth_findings.yml, which runs camunda_auth_info only when the
credentials check fails (refused, forbidden, or no usable answer). Its answer is built by the verify role's
``check()``, as every check's is.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.plugin_utils._verify import check

NAME = 'auth findings'
# Findings that explain a failure; info findings (what was seen) go to the details only.
EXPLAINING = ('error', 'warning')


def _line(item):
    return f"{item['message']} Fix: {item['fix']}"


def judge(facts):
    answer = facts.probe('auth_findings')
    if not answer:
        return None  # the credentials were accepted (or not probed): nothing to diagnose
    if answer.get('failed'):
        return check(NAME, 'fail', f"the credentials could not be diagnosed: {answer.get('msg')}")
    findings = [item for item in answer.get('findings') or () if isinstance(item, dict)]
    details = dict(
        findings=findings,
        principal=answer.get('principal'),
        clocks=answer.get('clocks'),
        highest_severity=answer.get('highest_severity'),
    )
    explaining = [item for item in findings if item.get('severity') in EXPLAINING]
    if not explaining:
        return check(NAME, 'skip', 'no finding explains the failure (see the credentials check)', details=details)
    lines = [_line(item) for item in explaining]
    return check(NAME, 'fail', '; '.join(item['message'] for item in explaining), lines, details=details)
