# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/_verify.py: the verify role's checks judged from hand-made probe answers (every branch of every core check).

Named test_verify_core_checks, not test_verify, so as not to clash with tests/integration/roles/test_verify.py.
"""

from __future__ import annotations

import copy
import sys
import types

import pytest

from ansible_collections.community.camunda.plugins.module_utils._cluster.topology import topology_problem_details
from ansible_collections.community.camunda.plugins.plugin_utils import _verify
from ansible_collections.community.camunda.plugins.plugin_utils._verify import VerifyError, check, judge

TOPOLOGY = dict(
    brokers=[dict(nodeId=0, version='8.8.0', partitions=[dict(partitionId=1, role='leader', health='healthy')])],
    clusterSize=1,
    partitionsCount=1,
    replicationFactor=1,
    gatewayVersion='8.8.0',
)
URL = 'http://camunda:8080/v2'


def info(**changes):
    """A healthy cluster_info answer: reachable, up, refusing anonymous requests, Basic credentials accepted."""
    answer = dict(
        reachable=True,
        status='up',
        unauthenticated_access='refused',
        challenge='Basic realm="Camunda"',
        credentials='accepted',
        auth_method='basic',
        api_url=URL,
        principal=dict(username='ops', roles=[]),
        license=None,
        details=dict(
            status='GET /v2/status answered 204',
            unauthenticated_access='answered 401',
            credentials='the API took the credentials',
        ),
    )
    answer.update(changes)
    return answer


def topology_answer(topology=None, expected=None):
    topology = copy.deepcopy(TOPOLOGY) if topology is None else topology
    details = topology_problem_details(topology, expected)
    return dict(
        topology=topology, problems=[d['message'] for d in details], problem_details=details, healthy=not details
    )


def judged(cluster_info=None, topology=None, expected=None, deployment='other', **extension_probes):
    expected = dict(dict(auth_method='', version=''), **(expected or {}))
    probes = dict(cluster_info=cluster_info or info(), topology=topology or topology_answer(), **extension_probes)
    verify_result, summary, failure = judge(probes, expected, deployment)
    return {c['name']: (c['result'], c['reason']) for c in verify_result['checks']}, verify_result, summary, failure


@pytest.mark.parametrize(
    'cluster_info,result,reason',
    [
        (info(), 'pass', 'GET /v2/status answered 204'),
        (
            info(status='down', details=dict(status='GET /v2/status answered 503: no partition has a healthy leader')),
            'fail',
            'GET /v2/status answered 503: no partition has a healthy leader',
        ),
        (
            info(reachable=False, details=dict(status='connection refused')),
            'fail',
            'the API could not be reached: connection refused',
        ),
    ],
)
def test_api(cluster_info, result, reason):
    assert judged(cluster_info)[0]['api'] == (result, reason)


CHALLENGE = ' (WWW-Authenticate: Basic realm="Camunda")'


@pytest.mark.parametrize(
    'deployment,expected_auth,changes,result,reason',
    [
        ('saas', 'basic', {}, 'fail', 'SaaS clusters always require OIDC but basic was expected'),
        ('saas', '', {}, 'fail', 'SaaS clusters always require OIDC but no auth method was expected'),
        ('other', 'basic', dict(reachable=False), 'skip', 'the API could not be reached'),
        (
            'other',
            'basic',
            dict(unauthenticated_access='unknown'),
            'fail',
            'could not tell whether the API requires credentials: answered 401',
        ),
        (
            'other',
            '',
            dict(unauthenticated_access='allowed'),
            'pass',
            'no auth method expected; the API answered without credentials',
        ),
        ('other', '', {}, 'pass', 'no auth method expected; the API refused a request without credentials' + CHALLENGE),
        (
            'other',
            '',
            dict(challenge=None),
            'pass',
            'no auth method expected; the API refused a request without credentials',
        ),
        (
            'other',
            'none',
            dict(unauthenticated_access='allowed'),
            'pass',
            'the API answered without credentials, as none was expected',
        ),
        (
            'other',
            'none',
            {},
            'fail',
            f'the API refused a request without credentials{CHALLENGE} but none was expected',
        ),
        (
            'other',
            'oidc',
            dict(unauthenticated_access='allowed'),
            'fail',
            'the API answered without credentials but oidc was expected',
        ),
        ('other', 'oidc', {}, 'fail', 'the API accepted basic credentials but oidc was expected'),
        (
            'other',
            'oidc',
            dict(auth_method='bearer'),
            'pass',
            f'the API refused a request without credentials{CHALLENGE}, as oidc was expected',
        ),
        (
            'other',
            'basic',
            dict(credentials='refused'),
            'pass',
            f'the API refused a request without credentials{CHALLENGE}, as basic was expected',
        ),
    ],
)
def test_auth_posture(deployment, expected_auth, changes, result, reason):
    assert judged(info(**changes), expected=dict(auth_method=expected_auth), deployment=deployment)[0][
        'auth posture'
    ] == (result, reason)


@pytest.mark.parametrize(
    'deployment,expected_auth,changes,result,reason',
    [
        ('other', 'basic', dict(reachable=False), 'skip', 'the API could not be reached'),
        (
            'saas',
            'oidc',
            {},
            'fail',
            'SaaS needs OIDC client credentials (camunda_token_url, camunda_client_id, camunda_client_secret, '
            'camunda_audience) but the credentials given are basic',
        ),
        (
            'other',
            'basic',
            dict(credentials='none', auth_method='none'),
            'fail',
            'no credentials were given (auth_method none) but basic is expected: set camunda_username and camunda_password',
        ),
        (
            'other',
            'oidc',
            dict(credentials='none', auth_method='none'),
            'fail',
            'no credentials were given (auth_method none) but oidc is expected: set camunda_token_url, camunda_client_id and camunda_client_secret',
        ),
        (
            'other',
            'none',
            dict(credentials='none', auth_method='none'),
            'skip',
            'no credentials were given (auth_method none)',
        ),
        ('other', 'basic', {}, 'pass', 'basic credentials accepted as ops'),
        (
            'other',
            'basic',
            dict(principal=dict(username='ops', roles=['admin', 'readonly-admin'])),
            'pass',
            'basic credentials accepted as ops (roles: admin, readonly-admin)',
        ),
        (
            'other',
            'basic',
            dict(credentials='refused', details=dict(credentials='the credentials were refused (401 Unauthorized)')),
            'fail',
            'the credentials were refused (401 Unauthorized)',
        ),
    ],
)
def test_credentials(deployment, expected_auth, changes, result, reason):
    assert judged(info(**changes), expected=dict(auth_method=expected_auth), deployment=deployment)[0][
        'credentials'
    ] == (result, reason)


def test_topology_and_version_problems_are_split_by_kind_not_by_wording():
    topology = copy.deepcopy(TOPOLOGY)
    topology['brokers'][0]['version'] = '8.7.2'
    topology['brokers'][0]['partitions'][0]['health'] = 'dead'
    answer = topology_answer(topology, dict(version='8.9'))
    # Reworded lines stay with their check: only the kind decides.
    for detail in answer['problem_details']:
        detail['message'] = detail['message'].upper()
    verify_result, failure = judged(topology=answer)[1::2]
    by_name = {c['name']: c for c in verify_result['checks']}
    assert by_name['topology']['problems'] == ['PARTITION 1: REPLICA ON BROKER 0 IS DEAD']
    assert [d['kind'] for d in by_name['topology']['details']] == ['replica_unhealthy']
    assert by_name['version']['problems'] == [
        'VERSION MISMATCH: BROKER 0 RUNS 8.7.2, THE GATEWAY 8.8.0',
        'GATEWAY VERSION IS 8.8.0, EXPECTED 8.9',
    ]
    assert failure == (
        f'Verification of {URL} failed, 2 of 5 checks: topology: PARTITION 1: REPLICA ON BROKER 0 IS DEAD; '
        'version: VERSION MISMATCH: BROKER 0 RUNS 8.7.2, THE GATEWAY 8.8.0; version: GATEWAY VERSION IS 8.8.0, EXPECTED 8.9'
    )


def test_topology_and_version_pass():
    checks = judged()[0]
    assert checks['topology'] == (
        'pass',
        '1 broker(s), 1 partition(s), replication factor 1: every partition has a healthy leader',
    )
    assert checks['version'] == ('pass', "every broker runs the gateway's version 8.8.0 (no version expected)")
    assert judged(expected=dict(version='8.8'))[0]['version'] == ('pass', 'gateway 8.8.0 matches 8.8')


def test_unreadable_topology():
    checks = judged(topology=dict(failed=True, msg='GET /v2/topology answered 401'))[0]
    assert checks['topology'] == ('fail', 'the topology could not be read: GET /v2/topology answered 401')
    assert checks['version'] == ('skip', 'the topology could not be read')
    # A wait that timed out while the API did not answer: the last error is the problem.
    waited = dict(
        failed=True,
        topology=None,
        problems=['connection refused'],
        problem_details=[dict(kind='unreadable', message='connection refused', broker=None, partition=None)],
    )
    assert judged(topology=waited)[0]['topology'] == ('fail', 'connection refused')
    assert judged(topology=dict(failed=True))[0]['topology'] == ('fail', 'the topology could not be read: no answer')


def test_summary_and_verdict():
    verify_result, summary, failure = judged()[1:]
    assert verify_result['passed'] is True and failure == ''
    assert summary[0] == f'Camunda at {URL}: all checks passed'
    assert summary[1] == 'PASS  api: GET /v2/status answered 204'
    assert [c['name'] for c in verify_result['checks']] == ['api', 'auth posture', 'credentials', 'topology', 'version']
    assert tuple(c['name'] for c in verify_result['checks']) == _verify.CORE_CHECK_NAMES
    assert verify_result['topology'] == TOPOLOGY and verify_result['principal'] == dict(username='ops', roles=[])
    verify_result, summary, failure = judged(info(status='down', details=dict(status='down')))[1:]
    assert verify_result['passed'] is False
    assert summary[0] == f'Camunda at {URL}: 1 of 5 checks failed'
    assert failure == f'Verification of {URL} failed, 1 of 5 checks: api: down'


@pytest.fixture
def extension(monkeypatch):
    """Install a check module _verify_check_<name> whose judge() is the given function."""

    def install(name, function):
        module = types.ModuleType(_verify.EXTENSION_MODULE.format(name))
        module.judge = function
        monkeypatch.setitem(sys.modules, module.__name__, module)

    return install


def test_extension_checks_follow_the_core_ones_by_probe_name(extension):
    extension('zeta', lambda facts: check('zeta', 'pass', f"saw {facts.probe('zeta')['value']}"))
    extension('alpha', lambda facts: check('alpha', 'fail', 'broken', ['one', 'two'], details=dict(n=2)))
    verify_result, summary, failure = judged(zeta=dict(value=7), alpha=dict(value=1))[1:]
    assert [c['name'] for c in verify_result['checks']][5:] == ['alpha', 'zeta']
    assert verify_result['checks'][5] == dict(
        name='alpha', result='fail', reason='broken', problems=['one', 'two'], details=dict(n=2)
    )
    assert summary[-1] == 'PASS  zeta: saw 7'
    assert failure.endswith('1 of 7 checks: alpha: one; alpha: two')


def test_a_check_that_does_not_apply_is_left_out(extension):
    extension('optional', lambda facts: check('optional', 'pass', 'ran') if facts.ran('optional') else None)
    verify_result = judged(optional=dict(skipped=True, changed=False))[1]
    assert len(verify_result['checks']) == 5


def test_wiring_faults_are_named(extension):
    with pytest.raises(
        VerifyError, match=r"probe 'missing' has no check: add plugins/plugin_utils/_verify_check_missing.py"
    ):
        judged(missing={})
    with pytest.raises(VerifyError, match=r"probe name 'Bad-Name'"):
        judged(**{'Bad-Name': {}})
    extension('sloppy', lambda facts: check('sloppy', 'ok', 'fine'))
    with pytest.raises(VerifyError, match=r"check 'sloppy' answered 'ok'; a check answers one of pass, fail, skip"):
        judged(sloppy={})


def test_a_replica_moving_is_named_in_a_passing_topology_check():
    answer = topology_answer()
    answer['transitions'] = [
        dict(
            kind='partition_transition',
            message='partition 1: replica on broker 3 is joining (follower, healthy)',
            broker=3,
            partition=1,
            state='joining',
        )
    ]
    checks, verify_result = judged(topology=answer)[:2]
    assert checks['topology'] == (
        'pass',
        '1 broker(s), 1 partition(s), replication factor 1: every partition has a healthy leader; '
        '1 replica(s) moving: partition 1: replica on broker 3 is joining (follower, healthy)',
    )
    assert verify_result['checks'][3]['details'] == answer['transitions']
    assert verify_result['grid']['columns'] == [dict(broker=0, missing=False)]
