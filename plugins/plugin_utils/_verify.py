# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The verify role's checks, judged from what its probes registered.

For internal collection use only: no stable interface.

The role's probes (``roles/verify/tasks/probe_*.yml`` and the two core probes of ``main.yml``) only read
the cluster and register their answers as ``_verify_probe_<name>``. The verify_judge action
plugin hands every answer to judge() here, which runs each check function and words the summary and the
failure message, so that the role's YAML only wires and reports.

A check function takes a Facts and returns a check (see check()), or None when it does not apply (its
probe was not asked for): a check that does not apply is left out, so the count of checks stays honest.
The five core checks are CORE_CHECKS below, in this order. An extension probe ``probe_<name>.yml``
brings its check in ``plugins/plugin_utils/_verify_check_<name>.py``, which defines ``judge(facts)``;
extension checks follow the core checks, ordered by probe name.
"""

from __future__ import annotations

import importlib
import re

from ansible_collections.community.camunda.plugins.module_utils._cluster.topology import VERSION_KINDS, topology_grid

RESULTS = ('pass', 'fail', 'skip')
# The probes main.yml runs itself; every other registered probe brings its own check module.
CORE_PROBES = ('topology', 'cluster_info')
EXTENSION_MODULE = 'ansible_collections.community.camunda.plugins.plugin_utils._verify_check_{}'
PROBE_NAME = re.compile(r'^[a-z][a-z0-9_]*$')


class VerifyError(Exception):
    """Wrong wiring of the role (a probe without its check, a check that answers nonsense)."""


def check(name, result, reason, problems=None, details=None):
    """One judged check as the role reports it in verify_result.checks.

    result is pass, fail or skip; reason one readable line; problems the lines that the failure message
    lists one by one (empty: the reason is the line); details any data worth showing in a report.
    """
    if result not in RESULTS:
        raise VerifyError(f'check {name!r} answered {result!r}; a check answers one of {", ".join(RESULTS)}')
    return dict(name=name, result=result, reason=reason, problems=list(problems or []), details=details)


class Facts:
    """What the checks judge: every probe's registered answer and the expectations."""

    def __init__(self, probes, expected, deployment):
        self.probes = probes
        self.expected = expected
        self.deployment = deployment

    def probe(self, name):
        """The registered answer of probe ``name``; {} when it did not run (skipped or absent)."""
        answer = self.probes.get(name) or {}
        return {} if answer.get('skipped') else answer

    def ran(self, name):
        return bool(self.probe(name))

    @property
    def info(self):
        return self.probe('cluster_info')

    @property
    def topology_answer(self):
        return self.probe('topology')

    @property
    def topology(self):
        return self.topology_answer.get('topology')

    @property
    def expected_auth(self):
        return self.expected.get('auth_method') or ''

    @property
    def used_auth_kind(self):
        """The kind of credentials used: a bearer token is an OIDC credential too."""
        method = self.info.get('auth_method')
        return 'oidc' if method in ('oidc', 'bearer') else method

    @property
    def challenge(self):
        challenge = self.info.get('challenge')
        return f' (WWW-Authenticate: {challenge})' if challenge else ''

    def topology_problems(self, version):
        """The topology probe's problems as data: the version kinds (version=True) or the others."""
        answer = self.topology_answer
        details = answer.get('problem_details')
        if details is None:
            # A failed task before any answer (bad options): its message is the one problem.
            details = [dict(kind='unreadable', message=line) for line in answer.get('problems') or []]
        return [detail for detail in details if (detail.get('kind') in VERSION_KINDS) == version]


def _detail(facts, name):
    return (facts.info.get('details') or {}).get(name)


def check_api(facts):
    info = facts.info
    if not info.get('reachable'):
        return check('api', 'fail', f"the API could not be reached: {_detail(facts, 'status')}")
    return check('api', 'pass' if info.get('status') == 'up' else 'fail', _detail(facts, 'status'))


def check_auth_posture(facts):
    info, expected, challenge = facts.info, facts.expected_auth, facts.challenge
    allowed = info.get('unauthenticated_access') == 'allowed'

    def judged(result, reason):
        return check('auth posture', result, reason)

    if facts.deployment == 'saas' and expected != 'oidc':
        return judged('fail', f"SaaS clusters always require OIDC but {expected or 'no auth method'} was expected")
    if not info.get('reachable'):
        return judged('skip', 'the API could not be reached')
    if info.get('unauthenticated_access') == 'unknown':
        return judged(
            'fail', f"could not tell whether the API requires credentials: {_detail(facts, 'unauthenticated_access')}"
        )
    if not expected:
        seen = 'answered without credentials' if allowed else 'refused a request without credentials' + challenge
        return judged('pass', f'no auth method expected; the API {seen}')
    if expected == 'none':
        if allowed:
            return judged('pass', 'the API answered without credentials, as none was expected')
        return judged('fail', f'the API refused a request without credentials{challenge} but none was expected')
    if allowed:
        return judged('fail', f'the API answered without credentials but {expected} was expected')
    if info.get('credentials') == 'accepted' and facts.used_auth_kind != expected:
        return judged('fail', f'the API accepted {facts.used_auth_kind} credentials but {expected} was expected')
    return judged('pass', f'the API refused a request without credentials{challenge}, as {expected} was expected')


# What to set for each expected auth method when no credentials were given.
CREDENTIAL_VARIABLES = {
    'basic': 'camunda_username and camunda_password',
    'oidc': 'camunda_token_url, camunda_client_id and camunda_client_secret',
}


def check_credentials(facts):
    info, expected = facts.info, facts.expected_auth

    def judged(result, reason):
        return check('credentials', result, reason)

    if not info.get('reachable'):
        return judged('skip', 'the API could not be reached')
    if facts.deployment == 'saas' and facts.used_auth_kind != 'oidc':
        return judged(
            'fail',
            'SaaS needs OIDC client credentials (camunda_token_url, camunda_client_id, camunda_client_secret, '
            f"camunda_audience) but the credentials given are {info.get('auth_method')}",
        )
    if info.get('credentials') == 'none':
        if expected in CREDENTIAL_VARIABLES:
            return judged(
                'fail',
                f'no credentials were given (auth_method none) but {expected} is expected: '
                f'set {CREDENTIAL_VARIABLES[expected]}',
            )
        return judged('skip', 'no credentials were given (auth_method none)')
    if info.get('credentials') == 'accepted':
        principal = info.get('principal') or {}
        roles = principal.get('roles')
        listed = f" (roles: {', '.join(map(str, roles))})" if roles else ''
        return judged('pass', f"{info.get('auth_method')} credentials accepted as {principal.get('username')}{listed}")
    return judged('fail', _detail(facts, 'credentials'))


def check_topology(facts):
    problems = facts.topology_problems(version=False)
    # Replicas being added or removed (8.10): reported, never a fault.
    transitions = facts.topology_answer.get('transitions') or []
    if problems:
        lines = [problem['message'] for problem in problems]
        return check('topology', 'fail', '; '.join(lines), lines, details=problems + transitions)
    topology = facts.topology
    if topology is None:
        reason = facts.topology_answer.get('msg') or 'no answer'
        return check('topology', 'fail', f'the topology could not be read: {reason}')
    moving = (
        f"; {len(transitions)} replica(s) moving: {'; '.join(t['message'] for t in transitions)}" if transitions else ''
    )
    return check(
        'topology',
        'pass',
        f"{len(topology.get('brokers') or [])} broker(s), {topology.get('partitionsCount')} partition(s), "
        f"replication factor {topology.get('replicationFactor')}: every partition has a healthy leader{moving}",
        details=transitions or None,
    )


def check_version(facts):
    topology = facts.topology
    if topology is None:
        return check('version', 'skip', 'the topology could not be read')
    problems = facts.topology_problems(version=True)
    if problems:
        lines = [problem['message'] for problem in problems]
        return check('version', 'fail', '; '.join(lines), lines, details=problems)
    gateway = topology.get('gatewayVersion')
    if facts.expected.get('version'):
        return check('version', 'pass', f"gateway {gateway} matches {facts.expected['version']}")
    return check('version', 'pass', f"every broker runs the gateway's version {gateway} (no version expected)")


CORE_CHECKS = (check_api, check_auth_posture, check_credentials, check_topology, check_version)
# Their names, in the same order: the columns every fleet report has.
CORE_CHECK_NAMES = ('api', 'auth posture', 'credentials', 'topology', 'version')


def extension_checks(probes):
    """The judge() of each extension probe's check module, ordered by probe name."""
    found = []
    for name in sorted(set(probes) - set(CORE_PROBES)):
        if not PROBE_NAME.match(name):
            raise VerifyError(f'probe name {name!r}: use lower-case letters, digits and _ (probe_<name>.yml)')
        module_name = EXTENSION_MODULE.format(name)
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if getattr(exc, 'name', None) != module_name:
                raise
            raise VerifyError(
                f'probe {name!r} has no check: add plugins/plugin_utils/_verify_check_{name}.py '
                f'with judge(facts) (see roles/verify/README.md)'
            ) from None
        found.append(module.judge)
    return found


def judge(probes, expected, deployment):
    """Run every check; return verify_result's fields plus the summary lines and the failure message."""
    facts = Facts(probes, expected, deployment)
    checks = []
    for check_function in CORE_CHECKS + tuple(extension_checks(probes)):
        judged = check_function(facts)
        if judged is not None:
            checks.append(check(**judged))  # validates what an extension answered
    info = facts.info
    failed = [judged for judged in checks if judged['result'] == 'fail']
    verify_result = dict(
        passed=not failed,
        checks=checks,
        url=info.get('api_url'),
        deployment=deployment,
        expected=expected,
        auth_method=info.get('auth_method'),
        principal=info.get('principal'),
        license=info.get('license'),
        topology=facts.topology,
        grid=topology_grid(facts.topology) if facts.topology else None,
    )
    return verify_result, summary_lines(verify_result), failure_message(verify_result)


def summary_lines(verify_result):
    checks = verify_result['checks']
    failed = [judged for judged in checks if judged['result'] == 'fail']
    verdict = 'all checks passed' if not failed else f'{len(failed)} of {len(checks)} checks failed'
    return [f"Camunda at {verify_result['url']}: {verdict}"] + [
        f"{judged['result'].upper()}  {judged['name']}: {judged['reason']}" for judged in checks
    ]


def failure_message(verify_result):
    """Every failed check, each problem on its own; empty when every check passed."""
    checks = verify_result['checks']
    failed = [judged for judged in checks if judged['result'] == 'fail']
    if not failed:
        return ''
    lines = [f"{judged['name']}: {line}" for judged in failed for line in (judged['problems'] or [judged['reason']])]
    return f"Verification of {verify_result['url']} failed, {len(failed)} of {len(checks)} checks: " + '; '.join(lines)
