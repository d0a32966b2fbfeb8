# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_cluster_info through ansible-playbook, on the in-controller path and the module path."""

from __future__ import annotations

from pathlib import Path

import pytest

CLUSTER_INFO = Path(__file__).parent / 'playbooks' / 'cluster_info.yml'
PATHS = [pytest.param({}, id='controller'), pytest.param({'camunda_run_in_controller': False}, id='module')]


@pytest.mark.parametrize('path', PATHS)
@pytest.mark.parametrize('mode', ['none', 'basic', 'oidc', 'saas'])
def test_each_auth_method(connections, emulator, playbook, mode, path):
    emulator.admin.set_auth('oidc' if mode == 'saas' else mode)
    result = playbook(CLUSTER_INFO, extra_vars=getattr(connections, mode)() | path).assert_ok().task('Cluster info')
    assert result['changed'] is False and result['reachable'] is True and result['status'] == 'up'
    assert result['unauthenticated_access'] == ('allowed' if mode == 'none' else 'refused')
    assert result['credentials'] == ('none' if mode == 'none' else 'accepted')
    if mode in ('oidc', 'saas'):
        assert result['principal']['username'] == connections.services.idp.clients.secret.id
        assert result['challenge'].startswith('Bearer')
    assert result['errors'] == []


@pytest.mark.parametrize('path', PATHS)
def test_refused_password_is_reported_not_failed_and_not_shown(connections, emulator, playbook, path):
    emulator.admin.set_auth('basic')
    run = playbook(CLUSTER_INFO, extra_vars=connections.basic(password='not-the-password') | path).assert_ok()
    result = run.task('Cluster info')
    assert result['credentials'] == 'refused'
    assert result['license']['licenseType'] == 'unknown'  # served without credentials, as Camunda serves it
    assert 'not-the-password' not in run.output and 'not-the-password' not in str(result)


def test_status_down_and_check_mode(connections, emulator, playbook):
    emulator.admin.set_faults(status_down=True)
    result = playbook(CLUSTER_INFO, extra_vars=connections.none(), check=True).assert_ok().task('Cluster info')
    assert result['status'] == 'down' and result['changed'] is False
