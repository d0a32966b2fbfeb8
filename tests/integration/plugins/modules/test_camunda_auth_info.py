# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_auth_info through ansible-playbook: every auth trap made by the real IdP and the emulator.

One playbook run diagnoses many scenarios: before each, the playbook puts the IdP (its token shape
switch) and the emulator (auth settings, faults) into the scenario's state through their admin APIs.
The trap tests run against oidc-provider (the token shape switch is its own); the Keycloak tier has its
own tests of the traps Keycloak can produce (tests/integration/keycloak/test_auth_info_keycloak.py).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playbook import run_playbook

from auth_traps import JWT_PATTERN, PLAYBOOK_ENV, findings_by_id, prepare_cluster, scenario_vars

AUTH_INFO = Path(__file__).parent / 'playbooks' / 'auth_info.yml'
WRONG_PASSWORD = 'Wr0ng-pa55-f0r-auth-info'

pytestmark = pytest.mark.only_idp(
    'oidc-provider', reason='the token shape switch (audience, issuer, kid, clock) is idp.mjs\'s'
)


def trap_scenarios(services):
    idp = services.idp
    issuer_without_auth = idp.issuer.replace('/auth/realms/', '/realms/')
    tls = idp.clients.tls
    return [
        dict(name='healthy'),
        dict(name='healthy saas', token_url=idp.saas_token_url, audience=idp.saas_audience, saas=True),
        dict(name='wrong audience', idp_shape={'audience': 'camunda-other-api'}, expected_audiences=[idp.audience]),
        dict(name='saas audience', saas=True),
        dict(name='another issuer', idp_shape={'issuer': issuer_without_auth}),
        dict(name='cluster issuer without /auth', expected_issuer=issuer_without_auth),
        dict(name='unknown kid', idp_shape={'kid': 'rotated-away-key'}),
        dict(name='idp clock ahead', idp_shape={'clock_offset_s': 120}),
        dict(name='cluster clock ahead', cluster_auth={'clock_offset_s': 400}),
        dict(
            name='no mapping rule',
            client_id=tls.id,
            client_auth_method=tls.auth_method,
            client_cert=tls.cert,
            client_key=tls.key,
        ),
        dict(name='forbidden', faults={'forbidden': [idp.clients.secret.id]}),
        dict(name='wrong secret', client_secret='Not-The-Secret-Of-The-Client'),
        dict(name='tls checks off', validate_certs=False),
        dict(
            name='basic in production',
            auth_method='basic',
            username='demo',
            password=services.emulator.basic_users['demo'],
            production=True,
            cluster_auth={'mode': 'basic'},
        ),
        dict(
            name='wrong basic password',
            auth_method='basic',
            username='demo',
            password=WRONG_PASSWORD,
            cluster_auth={'mode': 'basic'},
        ),
    ]


@pytest.fixture(scope='module')
def diagnosed(services, tmp_path_factory):
    """The result of each trap scenario, by name, from one playbook run at -vvvv (and its output); run once."""
    services.reset()
    prepare_cluster(services)
    scenarios = trap_scenarios(services)
    run = run_playbook(
        AUTH_INFO,
        tmp_path_factory.mktemp('auth-info'),
        extra_vars=scenario_vars(services, scenarios),
        verbosity=4,
        env=PLAYBOOK_ENV,
    ).assert_ok()
    results = run.tasks('Diagnose')
    assert len(results) == len(scenarios), run.output
    yield {scenario['name']: line['result'] for scenario, line in zip(scenarios, results)}, run
    services.reset()


def test_each_trap_gives_its_finding_and_fix(diagnosed, services):
    results, _run = diagnosed
    idp = services.idp

    healthy = results['healthy']
    assert healthy['highest_severity'] == 'info', healthy['findings']
    assert healthy['cluster']['credentials'] == 'accepted' and healthy['principal'] == idp.clients.secret.id
    assert healthy['idp']['discovered_issuer'] == idp.issuer and healthy['idp']['kid_in_jwks'] is True
    assert healthy['idp']['token_url_matches'] is True
    assert healthy['token']['claims']['aud'] == idp.audience and healthy['token']['header']['alg'] == 'RS256'
    assert 0 < healthy['token']['lifetime_left_s'] <= idp.default_token_ttl
    assert abs(healthy['clocks']['idp_offset_s']) <= 2 and abs(healthy['clocks']['cluster_offset_s']) <= 2
    matched = healthy['mapping_rules']['matched']
    assert [rule['mappingRuleId'] for rule in matched] == ['auth-info-secret-client'] and matched[0]['roles'] == [
        'admin'
    ]
    assert healthy['settings']['client_secret'] == {'value': '********', 'source': 'option'}
    assert set(findings_by_id(healthy)) == {'accepted', 'mapping_rules_matched'}

    saas = results['healthy saas']
    assert saas['highest_severity'] == 'info', saas['findings']
    assert 'token_url_not_discovered' in findings_by_id(saas)  # /oauth/token is not the realm's announced endpoint

    wrong_audience = findings_by_id(results['wrong audience'])
    assert (
        "audience camunda-other-api is not one the cluster accepts (orchestration-api)"
        in wrong_audience['audience_not_accepted']['message']
    )
    assert (
        'token_refused' in wrong_audience
        and 'the audience (aud) is not one of' in wrong_audience['token_refused']['message']
    )

    saas_audience = findings_by_id(results['saas audience'])['saas_audience']
    assert saas_audience['severity'] == 'error' and 'audience: zeebe.camunda.io' in saas_audience['fix']

    another_issuer = findings_by_id(results['another issuer'])
    assert another_issuer['issuer_keycloak_auth_path']['severity'] == 'error'
    assert 'differ only by the /auth prefix' in another_issuer['issuer_keycloak_auth_path']['message']
    assert '--http-relative-path=/auth' in another_issuer['issuer_keycloak_auth_path']['fix']
    assert 'token_refused' in another_issuer

    cluster_issuer = findings_by_id(results['cluster issuer without /auth'])
    assert "the cluster's issuer (expected_issuer)" in cluster_issuer['issuer_keycloak_auth_path']['message']
    assert cluster_issuer['discovery_failed']['severity'] == 'warning'

    unknown_kid = findings_by_id(results['unknown kid'])['kid_unknown']
    assert 'rotated-away-key' in unknown_kid['message'] and results['unknown kid']['idp']['kid_in_jwks'] is False

    idp_ahead = results['idp clock ahead']
    assert 115 <= idp_ahead['clocks']['idp_offset_s'] <= 125
    idp_ahead_findings = findings_by_id(idp_ahead)
    assert 'the identity provider is 120 s ahead of the controller' in idp_ahead_findings['clock_skew']['message']
    assert idp_ahead_findings['clock_skew']['fix'] == 'Synchronise the clock of the identity provider (NTP, chrony).'
    assert idp_ahead_findings['token_not_yet_valid']['message'].startswith(
        'The token is not valid yet by the controller clock: iat is'
    )

    cluster_ahead = results['cluster clock ahead']
    assert 395 <= cluster_ahead['clocks']['cluster_offset_s'] <= 405
    cluster_ahead_findings = findings_by_id(cluster_ahead)
    assert cluster_ahead_findings['token_expired']['message'].endswith(
        f"by the cluster clock (exp {cluster_ahead['token']['claims']['exp']})."
    )
    assert cluster_ahead_findings['clock_skew']['fix'] == 'Synchronise the clock of the cluster (NTP, chrony).'

    no_rule = results['no mapping rule']
    no_rule_findings = findings_by_id(no_rule)
    assert no_rule['mapping_rules']['readable'] is True and no_rule['mapping_rules']['matched'] == []
    assert f"claimValue {idp.clients.tls.id}" in no_rule_findings['no_mapping_rule_matched']['fix']
    assert no_rule_findings['no_mapping_rule_matched']['severity'] == 'warning'

    forbidden = findings_by_id(results['forbidden'])['forbidden']
    assert "missing permission READ on resource SYSTEM" in forbidden['message']
    assert 'permissionTypes [READ]' in forbidden['fix'] and idp.clients.secret.id in forbidden['fix']

    wrong_secret = results['wrong secret']
    assert 'refused the token request (401 invalid_client' in findings_by_id(wrong_secret)['idp_refused']['message']
    assert wrong_secret['token']['present'] is False and wrong_secret['cluster'] is None

    assert findings_by_id(results['tls checks off'])['tls_verification_disabled']['severity'] == 'warning'

    production = results['basic in production']
    assert findings_by_id(production)['basic_in_production']['severity'] == 'warning'
    assert production['token'] is None and production['cluster']['credentials'] == 'accepted'

    refused = findings_by_id(results['wrong basic password'])['basic_refused']
    assert 'Invalid username or password' in refused['message'] and 'Check username and password' in refused['fix']


def test_no_secret_or_token_at_any_verbosity(diagnosed, services):
    results, run = diagnosed
    for secret in (services.idp.clients.secret.secret, WRONG_PASSWORD, 'Not-The-Secret-Of-The-Client'):
        assert secret not in run.output
        assert secret not in str(results)
    assert not re.search(JWT_PATTERN, run.output), 'a token appeared in the output'
    assert not re.search(JWT_PATTERN, str(results))


def test_module_path(clean_services, playbook):
    """The module path (a module process) gives the same diagnosis as the controller path."""
    prepare_cluster(clean_services)
    scenarios = [dict(name='healthy'), dict(name='unknown kid', idp_shape={'kid': 'rotated-away-key'})]
    extra = scenario_vars(clean_services, scenarios) | {'camunda_run_in_controller': False}
    run = playbook(AUTH_INFO, extra_vars=extra, env=PLAYBOOK_ENV).assert_ok()
    healthy, unknown_kid = (line['result'] for line in run.tasks('Diagnose'))
    assert healthy['highest_severity'] == 'info' and 'kid_unknown' in findings_by_id(unknown_kid)
    assert (
        'invocation' in healthy
        and healthy['invocation']['module_args']['client_secret'] != clean_services.idp.clients.secret.secret
    )
