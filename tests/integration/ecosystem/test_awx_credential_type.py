# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The AWX/AAP credential type (extensions/awx/camunda_credential_type.yml): its injectors set the
CAMUNDA_* names the plugins read, and a playbook with no connection variables authenticates with
Basic and with OIDC from nothing but the injected environment."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from awx_injectors import CredentialInputError, render_injected_environment
from playbook import REPO_ROOT

from ansible_collections.community.camunda.plugins.module_utils._core.options import OPTION_ENVIRONMENT

CREDENTIAL_TYPE = yaml.safe_load((REPO_ROOT / 'extensions' / 'awx' / 'camunda_credential_type.yml').read_text())
PLAYBOOK = Path(__file__).parent / 'playbooks' / 'credential_env.yml'
SECRET_FIELDS = {'password', 'client_secret', 'client_key', 'client_key_passphrase'}


def field_ids():
    return [field['id'] for field in CREDENTIAL_TYPE['inputs']['fields']]


def test_injectors_set_only_names_the_plugins_read():
    read = {name for names in OPTION_ENVIRONMENT.values() for name in names}
    injected = set(CREDENTIAL_TYPE['injectors']['env'])
    assert injected <= read, f'injected but read by no plugin: {sorted(injected - read)}'
    assert CREDENTIAL_TYPE['injectors'].get('extra_vars') is None, 'secrets must not become playbook variables'


def test_fields_are_unique_used_and_secrets_hidden():
    ids = field_ids()
    assert len(ids) == len(set(ids))
    templates = ' '.join(
        list(CREDENTIAL_TYPE['injectors']['env'].values()) + list(CREDENTIAL_TYPE['injectors']['file'].values())
    )
    assert all(field in templates for field in ids), 'every field reaches some injector'
    for field in CREDENTIAL_TYPE['inputs']['fields']:
        assert field.get('secret', False) == (field['id'] in SECRET_FIELDS), field['id']
        assert field['label'] and field['type'] == 'string'


def test_rendering_leaves_empty_fields_empty(tmp_path):
    env = render_injected_environment(CREDENTIAL_TYPE, {'url': 'http://camunda:8080'}, tmp_path)
    assert env['CAMUNDA_REST_ADDRESS'] == 'http://camunda:8080'
    assert env['CAMUNDA_AUTH_STRATEGY'] == 'auto'
    assert env['CAMUNDA_CLIENT_SECRET'] == '' and env['CAMUNDA_CA_CERTIFICATE_PATH'] == ''
    with pytest.raises(CredentialInputError):
        render_injected_environment(CREDENTIAL_TYPE, {'username': 'demo'}, tmp_path)
    with pytest.raises(CredentialInputError):
        render_injected_environment(CREDENTIAL_TYPE, {'url': 'http://x', 'auth_method': 'kerberos'}, tmp_path)


def test_pem_fields_become_private_files(tmp_path, certs):
    pem = Path(certs.ca).read_text()
    env = render_injected_environment(CREDENTIAL_TYPE, {'url': 'https://camunda', 'ca_certificate': pem}, tmp_path)
    path = Path(env['CAMUNDA_CA_CERTIFICATE_PATH'])
    assert path.parent == tmp_path and path.read_text() == pem
    assert path.stat().st_mode & 0o777 == 0o600


def run_with_credential(playbook, tmp_path, inputs):
    private = tmp_path / 'job-private'
    private.mkdir()
    env = render_injected_environment(CREDENTIAL_TYPE, inputs, private)
    return playbook(PLAYBOOK, env=env, verbosity=3)


def test_basic_from_the_credential(emulator, playbook, tmp_path):
    emulator.admin.set_auth('basic')
    run = run_with_credential(
        playbook,
        tmp_path,
        {'url': emulator.url, 'auth_method': 'basic', 'username': 'demo', 'password': emulator.basic_users['demo']},
    )
    run.assert_ok()
    assert run.task('Topology in the controller')['healthy'] is True
    assert run.task('Topology as a module process')['healthy'] is True
    assert emulator.admin.request_count('/v2/topology') == 3


def test_oidc_from_the_credential(emulator, idp, playbook, tmp_path):
    emulator.admin.set_auth('oidc')
    client = idp.clients.secret
    run = run_with_credential(
        playbook,
        tmp_path,
        {
            'url': emulator.url,
            'token_url': idp.token_url,
            'client_id': client.id,
            'client_secret': client.secret,
            'ca_certificate': Path(idp.ca_path).read_text(),
        },
    )
    run.assert_ok()
    assert emulator.admin.request_count('/v2/topology') == 3
    # One token for the controller task, the module process and the lookup: the shared token cache.
    assert idp.token_requests(client.id, outcome='ok') == 1
    assert client.secret not in run.output


def test_a_refused_secret_is_reported_and_not_shown(emulator, idp, playbook, tmp_path):
    emulator.admin.set_auth('oidc')
    wrong = 'not-the-secret-1234'
    run = run_with_credential(
        playbook,
        tmp_path,
        {
            'url': emulator.url,
            'token_url': idp.token_url,
            'client_id': idp.clients.secret.id,
            'client_secret': wrong,
            'ca_certificate': Path(idp.ca_path).read_text(),
        },
    )
    assert run.rc != 0
    message = run.task('Topology in the controller')['msg']
    assert 'refused the token request (401 invalid_client' in message
    assert 'check client_id and the client secret or certificate' in message
    assert wrong not in run.output
