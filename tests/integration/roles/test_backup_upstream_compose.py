# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The backup role on the defaults of Camunda's own lightweight Docker Compose files (8.9, 8.10): their orchestration
configuration is read from the real files, the emulator takes that shape, and playbooks/backup.yml backs it up."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
import yaml

from playbook import REPO_ROOT

BACKUP = REPO_ROOT / 'playbooks' / 'backup.yml'
JUDGE = 'community.camunda.backup : Judge the run'
UPSTREAM = Path(os.environ.get('CAMUNDA_UPSTREAM_DIR', REPO_ROOT / '..' / 'shared' / 'upstream'))


def lightweight_defaults(folder):
    """(Camunda version, secondary storage type, published management port) of a Compose folder's default files."""
    compose = yaml.safe_load((folder / 'docker-compose.yaml').read_text())
    config_file = compose['configs']['orchestration-config']['file']
    # ./configuration/${ORCHESTRATION_CONFIG_FILE:-application-h2.yaml}: the default after ':-'
    default = re.sub(r'\$\{[A-Z_]+:-([^}]+)\}', r'\1', config_file)
    config = yaml.safe_load((folder / default).read_text())
    storage = config['camunda']['data']['secondary-storage']['type']
    service = next(
        s
        for s in compose['services'].values()
        if any(c.get('source') == 'orchestration-config' for c in s.get('configs', []))
    )
    published = [str(port) for port in service.get('ports', [])]
    env = dict(
        line.split('=', 1)
        for line in (folder / '.env').read_text().splitlines()
        if '=' in line and not line.startswith('#')
    )
    return env['CAMUNDA_VERSION'], storage, published


@pytest.mark.parametrize('version', ['8.9', '8.10'])
def test_the_lightweight_compose_defaults_back_up_with_the_role(version, emulator, playbook):
    folder = UPSTREAM / 'compose' / f'camunda-{version}'
    if not (folder / 'docker-compose.yaml').is_file():
        pytest.skip(
            f'{folder} is absent: set CAMUNDA_UPSTREAM_DIR to a folder with compose/camunda-{version} '
            '(camunda/camunda-distributions docker-compose/versions/camunda-<v>; see ../shared/upstream/README.md)'
        )
    camunda_version, storage, published = lightweight_defaults(folder)
    assert storage == 'rdbms' and '9600:9600' in published  # H2 by default, the management port published
    release = re.match(r'\d+\.\d+(\.\d+)?', camunda_version).group(0)
    release = release if release.count('.') == 2 else release + '.0'
    emulator.admin.set_cluster(
        version=release, api_version='8.10' if version == '8.10' else '8.8', secondary_storage=storage
    )
    variables = dict(
        camunda_url=emulator.url,
        backup_management_url=emulator.management_url,
        backup_wait_interval=0,
        backup_secondary_storage=storage,
        backup_keep=1,
    )
    result = playbook(BACKUP, extra_vars=variables).assert_ok().task(JUDGE)['ansible_facts']['backup_result']
    assert result['parts'] == {'runtime': 'COMPLETED'} and result['exporting_resumed'] is True
    assert [step['step'] for step in result['steps']] == ['pause', 'runtime', 'resume']
