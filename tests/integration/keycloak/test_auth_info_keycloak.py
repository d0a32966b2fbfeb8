# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_auth_info against real Keycloak: the traps Keycloak's tokens meet at a misconfigured cluster.

Runs with ``pytest --idp keycloak`` (``make test-keycloak``); skipped with that reason otherwise. Keycloak
has no switch to issue wrong tokens, so here the traps are on the cluster's side (the emulator's settings),
which is where operators make them: an audience list without the token's audience, an issuer written
without Keycloak's /auth prefix, a cluster clock ahead, a client matching no mapping rule, a missing
authorization. The wrong audience, issuer and key id *in the token* and the IdP's skewed clock are tested
against oidc-provider (tests/integration/plugins/modules/test_camunda_auth_info.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from auth_traps import JWT_PATTERN, PLAYBOOK_ENV, findings_by_id, prepare_cluster, scenario_vars

pytestmark = pytest.mark.only_idp('keycloak', reason='the Keycloak tier: make test-keycloak (pytest --idp keycloak)')

AUTH_INFO = Path(__file__).parent.parent / 'plugins' / 'modules' / 'playbooks' / 'auth_info.yml'


def test_keycloak_traps_give_their_findings(clean_services, playbook):
    idp = clean_services.idp
    tls = idp.clients.tls
    issuer_without_auth = idp.issuer.replace('/auth/realms/', '/realms/')
    scenarios = [
        dict(name='healthy', expected_issuer=idp.issuer, expected_audiences=[idp.audience]),
        dict(
            name='cluster audiences without the token\'s',
            cluster_auth={'oidc_audiences': ['camunda-other-api']},
            expected_audiences=['camunda-other-api'],
        ),
        dict(
            name='cluster issuer without /auth',
            cluster_auth={'oidc_issuer': issuer_without_auth},
            expected_issuer=issuer_without_auth,
        ),
        dict(name='cluster clock ahead', cluster_auth={'clock_offset_s': 400}),
        dict(
            name='no mapping rule',
            client_id=tls.id,
            client_auth_method=tls.auth_method,
            client_cert=tls.cert,
            client_key=tls.key,
        ),
        dict(name='forbidden', faults={'forbidden': [idp.clients.secret.id]}),
    ]
    prepare_cluster(clean_services)
    run = playbook(
        AUTH_INFO, extra_vars=scenario_vars(clean_services, scenarios), verbosity=4, env=PLAYBOOK_ENV
    ).assert_ok()
    results = {scenario['name']: line['result'] for scenario, line in zip(scenarios, run.tasks('Diagnose'))}
    assert len(results) == len(scenarios)

    healthy = results['healthy']
    assert healthy['highest_severity'] == 'info', healthy['findings']
    assert healthy['idp']['discovered_issuer'] == idp.issuer and healthy['idp']['kid_in_jwks'] is True
    # (the client id is not compared: Ansible masks the realm's secret, 'camunda-secret', inside 'camunda-secret-client')
    assert healthy['idp']['token_url_matches'] is True and healthy['token']['claims']['azp'].endswith('-client')
    assert [rule['roles'] for rule in healthy['mapping_rules']['matched']] == [['admin']]

    audience = findings_by_id(results["cluster audiences without the token's"])
    assert audience['audience_not_accepted']['message'].startswith(f"The token's audience {idp.audience}")
    assert 'token_refused' in audience

    issuer = findings_by_id(results['cluster issuer without /auth'])
    assert 'differ only by the /auth prefix' in issuer['issuer_keycloak_auth_path']['message']
    assert 'token_refused' in issuer

    clock = findings_by_id(results['cluster clock ahead'])
    assert 'by the cluster clock' in clock['token_expired']['message']
    assert clock['clock_skew']['fix'] == 'Synchronise the clock of the cluster (NTP, chrony).'

    assert findings_by_id(results['no mapping rule'])['no_mapping_rule_matched']['severity'] == 'warning'
    assert 'missing permission READ on resource SYSTEM' in findings_by_id(results['forbidden'])['forbidden']['message']

    # Keycloak's test secret shares text with its client id, so only tokens are searched for here;
    # the oidc-provider tier searches for the secrets too.
    assert not re.search(JWT_PATTERN, run.output)
