# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The identity role, through the documented example (docs/examples/identity), against the emulator."""

from __future__ import annotations

import requests

from playbook import REPO_ROOT

EXAMPLE = REPO_ROOT / 'docs' / 'examples' / 'identity'
TASK = 'community.camunda.camunda_identity : Bring the identity state of Camunda to the one in the camunda_identity_* variables'
# What the example's vault would hold.
VAULT = dict(
    vault_camunda_password='demo', vault_alice_password='Al1ce-Vault-Pa55word', vault_bob_password='B0b-Vault-Pa55word'
)


def test_the_example_inventory_drives_the_role(emulator, playbook):
    emulator.admin.set_auth('basic')
    # A user made behind the playbook's back: the example's exclusive removes it.
    stray = dict(username='stray', password='Str4y-Pa55word')
    requests.post(emulator.url + '/v2/users', json=stray, auth=('demo', 'demo'), timeout=10).raise_for_status()

    def run(check=False):
        return playbook(
            EXAMPLE / 'site.yml',
            check=check,
            diff=check,
            args=['-i', str(EXAMPLE / 'inventory.yml')],
            extra_vars=dict(VAULT, camunda_url=emulator.url),
        ).assert_ok()

    applied = run().task(TASK, host='camunda-staging')
    assert applied['changed'] is True
    assert applied['summary'] == dict(create=6, update=0, remove=1, assign=4, unassign=0, protected=2)
    review = run(check=True)
    assert review.task(TASK, host='camunda-staging')['changed'] is False
    assert not any(secret in review.output for secret in VAULT.values() if secret != 'demo')
    users = {record['username'] for record in emulator.admin.state()['identity']['entities']['users']}
    assert users == {'demo', 'alice', 'bob'}
