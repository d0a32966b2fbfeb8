# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Behaviour that differs between ansible-core versions, checked on whichever version runs the tests
(make test-matrix runs this file on each): both execution paths must follow the version's rules."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from playbook import MODULE_PYTHON

TOPOLOGY_ARGS = Path(__file__).parents[1] / 'plugins' / 'modules' / 'playbooks' / 'topology_args.yml'


def core_version():
    probe = 'import ansible.release; print(ansible.release.__version__)'
    text = subprocess.run([str(MODULE_PYTHON), '-c', probe], capture_output=True, text=True, check=True).stdout
    return tuple(int(part) for part in text.strip().split('.')[:2])


@pytest.mark.parametrize('in_controller', [True, False], ids=['controller', 'module'])
def test_invocation_only_where_the_version_adds_it(connections, playbook, in_controller):
    # ansible-core 2.21 adds `invocation` to a module's result only with INJECT_INVOCATION (default off).
    args = {'topology_args': {'url': connections.none()['camunda_url']}, 'camunda_run_in_controller': in_controller}
    result = (
        playbook(TOPOLOGY_ARGS, extra_vars=args, env={'ANSIBLE_INJECT_INVOCATION': '0'}).assert_ok().task('Topology')
    )
    assert result['healthy'] is True
    assert ('invocation' in result) == (core_version() < (2, 21))


@pytest.mark.parametrize('in_controller', [True, False], ids=['controller', 'module'])
def test_expected_faults_carry_no_traceback_at_any_verbosity(playbook, in_controller):
    # Before 2.19, fail_json inside an except block added the traceback at -vvv.
    args = {'topology_args': {'url': 'http://127.0.0.1:9', 'retries': 0}, 'camunda_run_in_controller': in_controller}
    run = playbook(TOPOLOGY_ARGS, extra_vars=args, verbosity=3)
    result = run.task('Topology')
    assert result['_status'] == 'failed' and result['msg'].startswith('Could not reach the Camunda API')
    # From 2.19 ansible-core itself marks every failed result '(traceback unavailable)' at -vvv: no stack trace.
    assert result.get('exception', '(traceback unavailable)') == '(traceback unavailable)', result['exception']
    assert 'Traceback' not in run.output
