# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""No secret appears in any output, even at -vvvv, on either execution path, whether tasks succeed or fail."""

from __future__ import annotations

from pathlib import Path

import pytest
import requests

SECRETS_PLAYBOOK = Path(__file__).parent / 'playbooks' / 'secrets.yml'
BASIC_PASSWORD = 'B4sic-Pa55word-That-Must-Not-Leak'
WRONG_PASSWORD = 'Wr0ng-Pa55word-That-Must-Not-Leak'
WRONG_SECRET = 'Wr0ng-Secret-That-Must-Not-Leak'
WRONG_KEYSTORE_PASSWORD = 'Wr0ng-Keystore-Pa55-Must-Not-Leak'


@pytest.mark.parametrize('auth', ['basic', 'oidc'])
@pytest.mark.parametrize('in_controller', [True, False], ids=['controller', 'module'])
def test_no_secret_in_the_output_at_vvvv(services, emulator, idp, certs, playbook, tmp_path, auth, in_controller):
    requests.post(
        f'{emulator.url}/v2/users', json={'username': 'leaky', 'password': BASIC_PASSWORD}, timeout=10
    ).raise_for_status()
    emulator.admin.set_auth(auth)
    run = playbook(
        SECRETS_PLAYBOOK,
        verbosity=4,
        extra_vars={
            'camunda_url': emulator.url,
            'idp_token_url': idp.token_url,
            'ca_path': certs.ca,
            'output_dir': str(tmp_path),
            'basic_user': 'leaky',
            'basic_password': BASIC_PASSWORD,
            'wrong_password': WRONG_PASSWORD,
            'secret_client_id': idp.clients.secret.id,
            'client_secret': idp.clients.secret.secret,
            'wrong_secret': WRONG_SECRET,
            'tls_client_id': idp.clients.tls.id,
            'client_cert': certs.client_cert,
            'client_key_encrypted': certs.client_key_encrypted,
            'key_passphrase': certs.client_key_passphrase,
            'client_p12': certs.client_p12,
            'wrong_keystore_password': WRONG_KEYSTORE_PASSWORD,
            'camunda_run_in_controller': in_controller,
        },
    )
    run.assert_ok()
    tokens = [(tmp_path / name).read_text() for name in ('secret_token', 'certificate_token')]
    secrets = [
        BASIC_PASSWORD,
        WRONG_PASSWORD,
        idp.clients.secret.secret,
        WRONG_SECRET,
        certs.client_key_passphrase,
        WRONG_KEYSTORE_PASSWORD,
    ] + tokens
    assert all(len(secret) > 10 for secret in secrets)
    leaked = [secret[:12] + '...' for secret in secrets if secret in run.output]
    assert leaked == [], 'secrets in the output'
    # The run really exercised both outcomes: successes and refusals.
    statuses = {line['task']: line['status'] for line in run.results}
    assert statuses['Token by client secret'] == 'ok'
    assert statuses['Token by X.509 certificate with an encrypted key'] == 'ok'
    assert statuses['OIDC with a wrong secret'] == 'failed'
    assert statuses['Basic with a wrong password'] == 'failed'
    assert statuses['Basic with the right password'] == ('ok' if auth == 'basic' else 'failed')
    assert statuses['Bearer with that token'] == ('ok' if auth == 'oidc' else 'failed')
    assert statuses['The documented safe pattern, with the token in a header'] == ('ok' if auth == 'oidc' else 'failed')
    assert statuses['What is safe to show'] == 'ok'
