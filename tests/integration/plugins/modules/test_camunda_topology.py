# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_topology through ansible-playbook against the emulator, with each auth method."""

from __future__ import annotations

from pathlib import Path

import pytest

TOPOLOGY = Path(__file__).parent / 'playbooks' / 'topology.yml'


@pytest.mark.parametrize(
    'mode',
    [
        'none',
        'basic',
        'oidc',
        pytest.param(
            'saas',
            marks=pytest.mark.only_idp(
                'oidc-provider', reason='the Auth0-like SaaS token endpoint (idp.saas_token_url)'
            ),
        ),
    ],
)
def test_topology_with_each_auth_method(connections, emulator, playbook, mode):
    emulator.admin.set_auth('oidc' if mode == 'saas' else mode)
    run = playbook(TOPOLOGY, extra_vars=getattr(connections, mode)() | {'topology_query': 'clusterSize'}).assert_ok()
    result = run.task('Topology')
    assert result['changed'] is False
    assert result['healthy'] is True and result['problems'] == []
    assert result['query_result'] == 3
    assert len(result['topology']['brokers']) == 3


def test_problems_are_reported_without_failing(connections, emulator, playbook):
    emulator.admin.set_faults(dead=[[2, 1]], no_leader=[3])
    result = playbook(TOPOLOGY, extra_vars=connections.none()).assert_ok().task('Topology')
    assert result['healthy'] is False
    assert 'partition 2: replica on broker 1 is dead' in result['problems']
    assert 'partition 3 has no leader' in result['problems']
    assert [(d['kind'], d['broker'], d['partition']) for d in result['problem_details']] == [
        ('replica_unhealthy', 1, 2),
        ('no_leader', None, 3),
    ]
    assert [d['message'] for d in result['problem_details']] == result['problems']


def test_fail_on_unhealthy_lists_every_problem(connections, emulator, playbook):
    emulator.admin.set_faults(unhealthy=[[1, 0]], missing_brokers=[2])
    run = playbook(TOPOLOGY, extra_vars=connections.none() | {'fail_on_unhealthy': True})
    result = run.task('Topology')
    assert run.rc != 0 and result['_status'] == 'failed'
    assert result['msg'].startswith('The cluster is not healthy: ')
    assert 'partition 1: replica on broker 0 is unhealthy' in result['problems']
    assert any(problem.startswith('broker 2 missing') for problem in result['problems'])
    assert 'Traceback' not in run.output


def test_wait_times_out_with_the_last_problems(connections, emulator, playbook):
    emulator.admin.set_faults(dead=[[1, 0]])
    run = playbook(
        TOPOLOGY,
        extra_vars=connections.none()
        | {'topology_wait': True, 'topology_wait_timeout': 1.5, 'topology_wait_interval': 0.3},
    )
    result = run.task('Topology')
    assert result['_status'] == 'failed'
    assert result['msg'] == 'The cluster is not healthy within 1.5 s: partition 1: replica on broker 0 is dead.'
    assert emulator.admin.request_count('/v2/topology') >= 3


def test_token_module_and_cache_in_one_play(connections, emulator, idp, playbook):
    emulator.admin.set_auth('oidc')
    run = playbook(TOPOLOGY, extra_vars=connections.oidc() | {'with_token': True}, verbosity=3).assert_ok()
    # The playbook asserts that the registered result holds the token; every output hides it.
    assert run.task('Token').get('censored', '').startswith('the output has been hidden')
    assert "the output has been hidden due to the fact that 'no_log: true' was specified" in run.output
    assert 'access_token' not in run.output
    # The topology task fetched the token; the token task took it from the cache.
    assert idp.token_requests(idp.clients.secret.id) == 1
