# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_mapping_rule through ansible-playbook against the emulator, with Basic and with OIDC auth."""

from __future__ import annotations

import requests

from identity_support import step

RULE = dict(mappingRuleId='worker', claimName='client_id', claimValue='worker-app', name='Worker')


def test_create_again_update_and_delete(connected):
    run = connected.run(
        step('mapping_rule', mapping_rule_id='worker', claim_name='client_id', claim_value='worker-app', name='Worker'),
        step('mapping_rule', mapping_rule_id='worker', claim_name='client_id', claim_value='worker-app', name='Worker'),
        step('mapping_rule', mapping_rule_id='worker', claim_value='worker-app-2'),
        step('mapping_rule', mapping_rule_id='worker', claim_value='worker-app-2'),
    )
    assert run.changed() == [True, False, True, False]
    assert run[0]['mapping_rule'] == run[1]['mapping_rule'] == RULE
    assert run[2]['mapping_rule'] == dict(RULE, claimValue='worker-app-2')
    assert connected.entity('mapping-rules', 'worker') == dict(RULE, claimValue='worker-app-2')

    run = connected.run(
        step('mapping_rule', mapping_rule_id='worker', state='absent'),
        step('mapping_rule', mapping_rule_id='worker', state='absent'),
    )
    assert run.changed() == [True, False]
    assert connected.entity('mapping-rules', 'worker') is None


def test_a_claim_another_rule_has_fails_before_writing(connected):
    connected.run(
        step('mapping_rule', mapping_rule_id='first', claim_name='client_id', claim_value='app'),
        step('mapping_rule', mapping_rule_id='second', claim_name='client_id', claim_value='other'),
    )
    writes = connected.writes()
    run = connected.run(
        step('mapping_rule', mapping_rule_id='third', claim_name='client_id', claim_value='app', ignore_errors=True),
        step('mapping_rule', mapping_rule_id='second', claim_value='app', ignore_errors=True),
        ok=False,
    )
    assert [result['_status'] for result in run] == ['failed', 'failed']
    assert run[0]['msg'] == (
        "Cannot create mapping rule 'third': mapping rule 'first' already maps claim client_id = app, "
        'and Camunda allows one mapping rule per claim. Use that rule, or change or remove it first.'
    )
    assert run[1]['msg'].startswith("Cannot update mapping rule 'second': mapping rule 'first' already maps")
    assert connected.writes() == writes


def test_creating_needs_the_claim(connected):
    run = connected.run(step('mapping_rule', mapping_rule_id='worker', ignore_errors=True), ok=False)
    assert run[0]['msg'] == "Mapping rule 'worker' does not exist; to create it, set claim_name and claim_value."


def test_check_mode_predicts_and_changes_nothing(connected):
    connected.run(step('mapping_rule', mapping_rule_id='worker', claim_name='client_id', claim_value='app'))
    before, writes = connected.state(), connected.writes()
    run = connected.run(
        step('mapping_rule', mapping_rule_id='worker', name='Renamed'),
        step('mapping_rule', mapping_rule_id='new', claim_name='groups', claim_value='ops'),
        step('mapping_rule', mapping_rule_id='worker', state='absent'),
        check=True,
    )
    assert run.changed() == [True, True, True]
    assert run[0]['mapping_rule'] == dict(
        mappingRuleId='worker', claimName='client_id', claimValue='app', name='Renamed'
    )
    assert run[1]['mapping_rule'] == dict(mappingRuleId='new', claimName='groups', claimValue='ops', name='new')
    assert connected.state() == before and connected.writes() == writes


def test_diff(connected):
    run = connected.run(
        step('mapping_rule', mapping_rule_id='worker', claim_name='client_id', claim_value='app'),
        step('mapping_rule', mapping_rule_id='worker', claim_name='azp'),
        diff=True,
    )
    assert run[0]['diff'] == {
        'before': {},
        'after': dict(mappingRuleId='worker', claimName='client_id', claimValue='app', name='worker'),
    }
    assert run[1]['diff']['before']['claimName'] == 'client_id' and run[1]['diff']['after']['claimName'] == 'azp'


def test_read_lag_does_not_break_idempotence(connected):
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    rule = dict(mapping_rule_id='worker', claim_name='client_id', claim_value='app')
    run = connected.run(
        step('mapping_rule', consistency_timeout=0, **rule), step('mapping_rule', **rule), step('mapping_rule', **rule)
    )
    assert run.changed() == [True, False, False]
    assert run[2]['mapping_rule'] == dict(
        mappingRuleId='worker', claimName='client_id', claimValue='app', name='worker'
    )


def test_the_rule_works_for_a_token_with_the_claim(identity, idp):
    """The full OIDC set-up of the docs: the client's tokens get the role through the rule."""
    identity.connect('oidc')
    client_id = identity.connection['camunda_client_id']
    identity.run(
        step('mapping_rule', mapping_rule_id='admin-client', claim_name='client_id', claim_value=client_id),
        step('role', role_id='billing', mapping_rules=['admin-client']),
        step(
            'authorization',
            owner_type='ROLE',
            owner_id='billing',
            resource_type='COMPONENT',
            resource_id='operate',
            permission_types=['ACCESS'],
        ),
    )
    token = requests.post(
        idp.token_url,
        data=dict(grant_type='client_credentials', client_id=client_id, client_secret=idp.clients.secret.secret),
        verify=idp.ca_path,
        timeout=10,
    ).json()['access_token']
    me = requests.get(
        identity.emulator.url + '/v2/authentication/me', headers={'Authorization': f'Bearer {token}'}, timeout=10
    ).json()
    assert 'billing' in me['roles'] and me['authorizedComponents'] == ['operate']
