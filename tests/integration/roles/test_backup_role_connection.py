# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every camunda_* connection variable reaches the backup role's modules through ansible-playbook.

The role once kept its own list of the option names and lost camunda_retry_max_wait; it now takes the connection
from the community.camunda.connection_options lookup. Every shared option is set here, client_cert and
client_keystore together among them, so each module refuses the pair before it sends anything: the invocation
it reports shows what reached it, and no request leaves the controller.
"""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.options import (
    AUTH_ARGSPEC,
    CONNECTION_ARGSPEC,
    SECRET_OPTIONS,
)
from playbook import REPO_ROOT

BACKUP = REPO_ROOT / 'playbooks' / 'backup.yml'
HIDDEN = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
TAKE_TASKS = (
    'community.camunda.backup : Run the backup sequence',
    'community.camunda.backup : Resume exporting and prove it resumed on every partition',
)
PREFLIGHT_TASKS = (
    'community.camunda.backup : List the backups (to find the newest completed one when backup_restore_id is not set)',
)


def every_option(tmp_path):
    """A value other than the default for every shared option."""
    values = dict(
        url='http://127.0.0.1:9/camunda',
        validate_certs=False,
        ca_path=str(tmp_path / 'ca.pem'),
        timeout=12.5,
        proxy='http://proxy.invalid:3128',
        retries=5,
        retry_max_wait=7.5,
        auth_method='oidc',
        username='operator',
        password='pw-5e1f0a',
        token='token-8c2d4b',
        token_url='https://idp.invalid/token',
        client_id='backup-client',
        client_secret='secret-77a1c3',
        audience='orchestration-api',
        scope='camunda',
        resource='urn:camunda:api',
        client_auth_method='client_secret_basic',
        client_cert=str(tmp_path / 'client.pem'),
        client_key=str(tmp_path / 'client.key'),
        client_key_passphrase='passphrase-2b9e6d',
        client_keystore=str(tmp_path / 'client.p12'),
        client_keystore_password='keystore-41f07c',
        token_ca_path=str(tmp_path / 'idp-ca.pem'),
        token_cache=False,
        token_cache_dir=str(tmp_path / 'tokens'),
    )
    # A new shared option must be added above: this test is how the role is known to pass it on.
    assert set(values) == set(CONNECTION_ARGSPEC) | set(AUTH_ARGSPEC)
    return values


@pytest.mark.parametrize('preflight, tasks', [(False, TAKE_TASKS), (True, PREFLIGHT_TASKS)], ids=['take', 'preflight'])
def test_every_connection_variable_reaches_the_backup_modules_and_no_secret_is_shown(
    playbook, tmp_path, preflight, tasks
):
    options = every_option(tmp_path)
    variables = {f'camunda_{name}': value for name, value in options.items()}
    variables.update(backup_management_url='http://127.0.0.1:9', backup_restore_preflight=preflight)

    run = playbook(BACKUP, extra_vars=variables, verbosity=4)

    assert run.rc != 0
    for task in tasks:
        result = run.task(task)
        assert 'parameters are mutually exclusive: client_cert|client_keystore' in result['msg']
        received = result['invocation']['module_args']
        for name, value in options.items():
            assert received[name] == (HIDDEN if name in SECRET_OPTIONS else value), name
    for name in SECRET_OPTIONS:
        assert options[name] not in run.output, name
