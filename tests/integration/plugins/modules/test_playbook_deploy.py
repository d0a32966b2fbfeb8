# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The community.camunda.deploy playbook: a folder to a cluster from its camunda_* variables; a re-run changes nothing."""

from __future__ import annotations

from pathlib import Path

from deployment_files import bpmn, dmn, write

DEPLOY = Path(__file__).resolve().parents[4] / 'playbooks' / 'deploy.yml'


def test_deploy_playbook(connections, emulator, playbook, tmp_path):
    emulator.admin.set_auth('basic')
    folder = write(
        tmp_path / 'processes', {'order.bpmn': bpmn('order-process'), 'rules/pricing.dmn': dmn('pricing', 'discount')}
    )
    variables = connections.basic() | {'deploy_src': str(folder), 'deploy_tenant_id': 'team-a'}
    first = playbook(DEPLOY, extra_vars=variables).assert_ok()
    result = first.task('Deploy what differs from the cluster')
    assert result['changed'] is True and result['tenant_id'] == 'team-a'
    assert first.task('Show what got a new version')['msg'] == ['order-process', 'pricing', 'discount']
    assert emulator.app.deployments.latest_process('order-process', 'team-a').version == 1

    again = playbook(DEPLOY, extra_vars=variables, check=True).assert_ok()
    assert again.task('Deploy what differs from the cluster')['changed'] is False
    assert again.task('Show what got a new version')['msg'] == 'nothing changed'

    missing = playbook(DEPLOY, extra_vars=connections.basic())
    assert missing.rc != 0 and 'Set deploy_src' in missing.task('Check the variables')['msg']
