# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The findings catalogue and its judgement (pure), and the guide generated from it."""

from __future__ import annotations

import copy
import string

import pytest

import auth_findings_guide

from ansible_collections.community.camunda.plugins.module_utils._diagnosis.catalogue import (
    CATALOGUE,
    CATALOGUE_BY_ID,
    SEVERITIES,
    STAGES,
    highest_severity,
)
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.claims import (
    issuer_trap,
    missing_permission,
    rule_matches,
)
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.judge import clock_culprit, judge

NOW = 1_800_000_000
ISSUER = 'https://kc.example.com/auth/realms/camunda-platform'
CLIENT = 'ansible'


def healthy_facts():
    """An OIDC setup where everything agrees: the baseline each test breaks in one place."""
    return dict(
        auth_method='oidc',
        settings=dict(
            url='https://camunda.example.com', token_url=ISSUER + '/protocol/openid-connect/token', validate_certs=True
        ),
        production=True,
        saas=False,
        expected_issuer=ISSUER,
        expected_audiences=['orchestration-api'],
        max_clock_skew=30.0,
        clocks=dict(controller=NOW, cluster=NOW + 1, idp_offset_s=0, cluster_offset_s=1, idp_cluster_offset_s=1),
        token=dict(
            present=True,
            cached=False,
            jwt=True,
            header=dict(alg='RS256', kid='k1'),
            claims=dict(iss=ISSUER, aud='orchestration-api', sub=CLIENT, client_id=CLIENT, iat=NOW - 10, exp=NOW + 290),
            error=None,
        ),
        idp=dict(
            issuer=ISSUER,
            discovery_url=ISSUER + '/.well-known/openid-configuration',
            discovered_issuer=ISSUER,
            token_endpoint=ISSUER + '/protocol/openid-connect/token',
            jwks_uri=ISSUER + '/certs',
            token_url_matches=True,
            kid_in_jwks=True,
            jwks_kids=['k1'],
            error=None,
        ),
        cluster=dict(
            status=200,
            credentials='accepted',
            request='GET /v2/authentication/me',
            detail=None,
            principal=dict(username=CLIENT, roles=['admin'], groups=[], tenants=[{'tenantId': '<default>'}]),
        ),
        mapping_rules=dict(
            readable=True,
            count=2,
            error=None,
            matched=[dict(mappingRuleId='ansible', claimName='client_id', claimValue=CLIENT, roles=['admin'])],
        ),
        principal_name=CLIENT,
    )


def judged(facts):
    return {item['id']: item for item in judge(facts)}


def broken(**changes):
    """healthy_facts() with nested changes: broken(token={'claims': {'aud': 'x'}})."""
    facts = healthy_facts()
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(facts.get(key), dict):
            for inner, inner_value in value.items():
                if isinstance(inner_value, dict) and isinstance(facts[key].get(inner), dict):
                    facts[key][inner].update(inner_value)
                else:
                    facts[key][inner] = inner_value
        else:
            facts[key] = value
    return facts


# -- the catalogue ---------------------------------------------------------------------------------


def test_catalogue_is_well_formed():
    ids = [kind.id for kind in CATALOGUE]
    assert len(ids) == len(set(ids))
    assert all(kind.severity in SEVERITIES for kind in CATALOGUE)
    staged = [kind_id for _title, kind_ids in STAGES for kind_id in kind_ids]
    assert sorted(staged) == sorted(ids), 'every finding is in exactly one stage of the guide'
    for kind in CATALOGUE:
        for template in (kind.message, kind.fix, kind.why):
            list(string.Formatter().parse(template))  # a template that does not parse fails here
        assert kind.message.rstrip().endswith(('.', ':', '}')) and kind.fix.rstrip().endswith('.')


def test_the_guide_is_generated_from_the_catalogue():
    text = auth_findings_guide.GUIDE.read_text(encoding='utf-8')
    assert auth_findings_guide.guide_with(auth_findings_guide.render(), text) == text, (
        'docs/docsite/rst/guide_auth_diagnosis.rst differs from the catalogue: '
        'run python tests/support/auth_findings_guide.py --write'
    )
    for kind in CATALOGUE:
        assert auth_findings_guide.placeholders_in_capitals(kind.message) in text
        assert kind.fix.split('{')[0] in text


def test_placeholders_in_capitals():
    assert (
        auth_findings_guide.placeholders_in_capitals("iss {token_issuer} is not {other_label}.")
        == 'iss TOKEN_ISSUER is not OTHER_LABEL.'
    )


# -- a healthy setup -------------------------------------------------------------------------------


def test_healthy_setup_has_nothing_above_info():
    found = judge(healthy_facts())
    assert highest_severity(found) == 'info'
    assert [item['id'] for item in found] == ['accepted', 'mapping_rules_matched']
    assert found[0]['message'] == (
        "The cluster accepts the credentials as ansible (roles: admin; groups: none; tenants: <default>)."
    )
    assert 'ansible (client_id = ansible; roles: admin)' in found[1]['message']


def test_findings_are_sorted_most_severe_first():
    found = judge(broken(settings={'validate_certs': False}, token={'claims': {'aud': 'other'}}))
    assert [item['severity'] for item in found] == sorted((item['severity'] for item in found), key=SEVERITIES.index)
    assert found[0]['id'] == 'audience_not_accepted'


# -- each trap -------------------------------------------------------------------------------------


def test_audience_not_among_those_given():
    item = judged(broken(token={'claims': {'aud': ['camunda-identity', 'web-modeler-api']}}))['audience_not_accepted']
    assert item['message'] == (
        "The token's audience camunda-identity, web-modeler-api is not one the cluster accepts (orchestration-api)."
    )
    assert 'add camunda-identity to camunda.security.authentication.oidc.audiences' in item['fix']


def test_saas_needs_zeebe_camunda_io():
    found = judged(broken(saas=True, expected_audiences=None))
    assert 'audience: zeebe.camunda.io' in found['saas_audience']['fix']
    assert 'saas_audience' not in judged(broken(saas=True, token={'claims': {'aud': ['zeebe.camunda.io']}}))


@pytest.mark.parametrize(
    'token_issuer,other,expected',
    [
        ('https://sts.windows.net/T/', 'https://login.microsoftonline.com/T/v2.0', 'issuer_entra_v1_v2'),
        ('https://login.microsoftonline.com/T/v2.0', 'https://sts.windows.net/T/', 'issuer_entra_v1_v2'),
        (
            'https://kc.example.com/auth/realms/camunda-platform',
            'https://kc.example.com/realms/camunda-platform',
            'issuer_keycloak_auth_path',
        ),
        (
            'https://kc.example.com/realms/camunda-platform',
            'https://kc.example.com/auth/realms/camunda-platform',
            'issuer_keycloak_auth_path',
        ),
        (
            'http://keycloak:18080/auth/realms/camunda-platform',
            'https://kc.example.com/auth/realms/camunda-platform',
            'issuer_host_differs',
        ),
        ('https://tenant.auth0.com/', 'https://tenant.auth0.com', 'issuer_trailing_slash'),
        ('https://kc.example.com/realms/other', 'https://kc.example.com/realms/camunda-platform', 'issuer_mismatch'),
        ('https://login.microsoftonline.com/T/v2.0', 'https://login.microsoftonline.com/U/v2.0', 'issuer_mismatch'),
    ],
)
def test_issuer_traps_are_named(token_issuer, other, expected):
    assert issuer_trap(token_issuer, other)[0] == expected


def test_entra_v1_token_against_a_v2_cluster():
    facts = broken(
        expected_issuer='https://login.microsoftonline.com/T/v2.0',
        token={'claims': {'iss': 'https://sts.windows.net/T/'}},
        idp=None,
    )
    item = judged(facts)['issuer_entra_v1_v2']
    assert item['message'] == (
        "The token's issuer https://sts.windows.net/T/ is an Entra ID v1 issuer, but the cluster's "
        "issuer (expected_issuer) is the v2 issuer https://login.microsoftonline.com/T/v2.0."
    )
    assert '"requestedAccessTokenVersion": 2' in item['fix']


def test_one_issuer_finding_even_when_both_comparisons_differ():
    found = judge(broken(token={'claims': {'iss': 'https://kc.example.com/realms/camunda-platform'}}))
    assert [item['id'] for item in found].count('issuer_keycloak_auth_path') == 1


def test_discovery_findings():
    found = judged(
        broken(
            idp={
                'token_url_matches': False,
                'kid_in_jwks': False,
                'jwks_kids': ['k2', 'k3'],
                'discovered_issuer': ISSUER + '/',
            }
        )
    )
    assert found['kid_unknown']['message'].endswith('does not list (it lists k2, k3).')
    assert found['token_url_not_discovered']['severity'] == 'info'
    assert found['discovery_issuer_differs']['fix'].endswith('to exactly ' + ISSUER + '/.')
    failed = judged(broken(idp={'error': 'GET X answered 404 Not Found'}))
    assert (
        failed['discovery_failed']['message']
        == 'The discovery document of the issuer could not be read: GET X answered 404 Not Found.'
    )
    assert 'kid_unknown' not in failed


def test_expired_and_not_yet_valid_by_each_clock():
    expired = judged(broken(token={'claims': {'exp': NOW - 5}}))['token_expired']
    assert expired['message'] == f'The token expired 5 s ago by the controller clock (exp {NOW - 5}).'
    # the cluster's clock runs 400 s ahead: the token is expired there only
    cluster_expired = judged(broken(clocks={'cluster': NOW + 400, 'cluster_offset_s': 400}))['token_expired']
    assert 'by the cluster clock' in cluster_expired['message']
    future = judged(broken(token={'claims': {'iat': NOW + 120}}))['token_not_yet_valid']
    assert future['message'] == 'The token is not valid yet by the controller clock: iat is 120 s in the future.'
    assert 'token_not_yet_valid' not in judged(broken(token={'claims': {'iat': NOW + 29}}))
    assert 'nbf is 60 s' in judged(broken(token={'claims': {'nbf': NOW + 60}}))['token_not_yet_valid']['message']


def test_clock_skew_names_the_clock_that_is_off():
    idp_ahead = judged(broken(clocks={'idp_offset_s': 120, 'cluster_offset_s': 0, 'idp_cluster_offset_s': -120}))
    assert idp_ahead['clock_skew']['message'] == (
        'Clocks differ by more than 30 s (from their Date headers): the identity provider is 120 s ahead of the '
        'controller; the cluster is 120 s behind the identity provider.'
    )
    assert idp_ahead['clock_skew']['fix'] == 'Synchronise the clock of the identity provider (NTP, chrony).'
    assert 'clock_skew' not in judged(
        broken(clocks={'idp_offset_s': 30, 'cluster_offset_s': -30, 'idp_cluster_offset_s': 0})
    )


@pytest.mark.parametrize(
    'offsets,culprit',
    [
        ((120, 0, -120), 'identity provider'),
        ((0, 90, 90), 'cluster'),
        ((-60, -60, 0), 'controller'),
        ((None, 90, None), 'cluster'),
        ((60, 200, 140), 'controller, the identity provider and the cluster'),
    ],
)
def test_clock_culprit(offsets, culprit):
    pairs = dict(
        zip([('controller', 'identity provider'), ('controller', 'cluster'), ('identity provider', 'cluster')], offsets)
    )
    skewed = {pair: offset for pair, offset in pairs.items() if offset is not None and abs(offset) > 30}
    assert clock_culprit(pairs, skewed) == culprit


def test_refusals_by_method():
    token = judged(
        broken(
            cluster={
                'credentials': 'refused',
                'status': 401,
                'principal': None,
                'detail': 'The bearer token is not valid: the token has expired.',
            },
            mapping_rules=None,
        )
    )
    assert token['token_refused']['message'] == (
        'The cluster refused the token (401): The bearer token is not valid: the token has expired.'
    )
    basic = judged(
        broken(
            auth_method='basic',
            token=None,
            idp=None,
            mapping_rules=None,
            cluster={'credentials': 'refused', 'status': 401, 'detail': None, 'principal': None},
        )
    )
    assert basic['basic_refused']['message'] == 'The cluster refused the username and password (401).'
    assert basic['basic_in_production']['severity'] == 'warning'


def test_forbidden_names_the_missing_permission():
    facts = broken(
        cluster={
            'credentials': 'forbidden',
            'status': 403,
            'principal': None,
            'detail': "Insufficient permissions to perform operation 'READ' on resource 'MAPPING_RULE'",
        },
        mapping_rules=dict(readable=False, count=None, matched=[], error='403 FORBIDDEN'),
    )
    found = judged(facts)
    assert found['forbidden']['message'] == (
        "The cluster knows the principal ansible but refused GET /v2/authentication/me "
        "(403): missing permission READ on resource MAPPING_RULE."
    )
    assert 'resourceType MAPPING_RULE and permissionTypes [READ]' in found['forbidden']['fix']
    assert found['mapping_rules_unreadable']['severity'] == 'info'
    facts['cluster']['detail'] = 'Access denied'
    assert judged(facts)['forbidden_unspecified']['message'].endswith('(403): Access denied.')


def test_missing_permission_reads_camunda_texts():
    assert missing_permission(
        "Insufficient permissions to perform operation 'UPDATE_PROCESS_INSTANCE' on resource "
        "'PROCESS_DEFINITION', required resource identifiers are one of '[*, p]'"
    ) == ('UPDATE_PROCESS_INSTANCE', 'PROCESS_DEFINITION')
    assert missing_permission('Forbidden') is None and missing_permission(None) is None


def test_no_mapping_rule_matched():
    facts = broken(
        mapping_rules={'matched': [], 'count': 4},
        cluster={'principal': {'username': CLIENT, 'roles': [], 'groups': [], 'tenants': []}},
    )
    item = judged(facts)['no_mapping_rule_matched']
    assert item['message'].startswith("No mapping rule matches the token's claims (4 rules checked)")
    assert 'claimName client_id, claimValue ansible' in item['fix']
    # a principal with a role of its own needs no mapping rule
    assert 'no_mapping_rule_matched' not in judged(broken(mapping_rules={'matched': [], 'count': 4}))


@pytest.mark.parametrize(
    'rule,claims,matches',
    [
        ({'claimName': 'client_id', 'claimValue': 'a'}, {'client_id': 'a'}, True),
        ({'claimName': 'client_id', 'claimValue': 'a'}, {'client_id': 'b'}, False),
        ({'claimName': 'groups', 'claimValue': 'ops'}, {'groups': ['dev', 'ops']}, True),
        (
            {'claimName': '$.realm_access.roles', 'claimValue': 'camunda'},
            {'realm_access': {'roles': ['camunda']}},
            True,
        ),
        ({'claimName': '$.realm_access.roles', 'claimValue': 'camunda'}, {'realm_access': 'x'}, False),
        ({'claimName': 'email_verified', 'claimValue': 'true'}, {'email_verified': True}, True),
        ({'claimName': 'missing', 'claimValue': 'None'}, {}, False),
    ],
)
def test_mapping_rule_semantics(rule, claims, matches):
    assert rule_matches(rule, claims) is matches


def test_transport_findings():
    found = judged(broken(settings={'validate_certs': False, 'url': 'http://camunda.internal:8080'}))
    assert found['tls_verification_disabled']['message'].endswith(
        ': the cluster and the identity provider could be anyone.'
    )
    assert (
        found['credentials_over_plain_http']['message']
        == 'Credentials travel over plain HTTP to http://camunda.internal:8080.'
    )
    assert 'credentials_over_plain_http' not in judged(broken(settings={'url': 'http://127.0.0.1:8080'}))
    assert set(judged(broken(auth_method='none', token=None, idp=None, cluster=None, mapping_rules=None))) == {
        'no_credentials'
    }


def test_token_trouble_before_the_cluster():
    refused = judged(
        broken(
            token={
                'present': False,
                'error': {
                    'kind': 'refused',
                    'said': 'the identity provider at X refused the token request (401 invalid_client).',
                },
            },
            idp=None,
            cluster=None,
            mapping_rules=None,
        )
    )
    assert (
        refused['idp_refused']['message']
        == 'No token was issued: the identity provider at X refused the token request (401 invalid_client).'
    )
    opaque = judged(broken(token={'jwt': False, 'claims': None, 'header': None}, idp=None))
    assert 'send audience' in opaque['token_not_jwt']['fix']


def test_every_catalogue_entry_can_be_produced():
    """Each id comes out of judge() for some facts (the tests above); none is dead text."""
    produced = set()
    scenarios = [
        healthy_facts(),
        broken(
            settings={'validate_certs': False, 'url': 'http://c.internal'},
            auth_method='basic',
            token=None,
            idp=None,
            mapping_rules=None,
            cluster={'credentials': 'refused', 'detail': None, 'principal': None},
        ),
        broken(auth_method='none', token=None, idp=None, cluster=None, mapping_rules=None),
        broken(token={'present': False, 'error': {'kind': 'refused', 'said': 'x'}}),
        broken(token={'present': False, 'error': {'kind': 'unreachable', 'said': 'x'}}),
        broken(token={'jwt': False}),
        broken(idp={'error': 'x'}),
        broken(idp={'token_url_matches': False, 'kid_in_jwks': False, 'discovered_issuer': ISSUER + '/'}),
        broken(
            expected_issuer='https://login.microsoftonline.com/T/v2.0',
            idp=None,
            token={'claims': {'iss': 'https://sts.windows.net/T/'}},
        ),
        broken(token={'claims': {'iss': 'https://kc.example.com/realms/camunda-platform'}}),
        broken(token={'claims': {'iss': 'https://other.example.com/auth/realms/camunda-platform'}}),
        broken(token={'claims': {'iss': ISSUER + '/x'}}),
        broken(token={'claims': {'aud': 'x', 'exp': NOW - 1}}, saas=True),
        broken(token={'claims': {'iat': NOW + 100}}, clocks={'idp_offset_s': 100}),
        broken(cluster={'credentials': 'error', 'said': 'x'}),
        broken(cluster={'credentials': 'refused', 'detail': 'x'}),
        broken(
            cluster={'credentials': 'forbidden', 'detail': "operation 'READ' on resource 'USER'", 'principal': None},
            mapping_rules={'matched': []},
        ),
        broken(cluster={'credentials': 'forbidden', 'detail': 'no', 'principal': None}, mapping_rules={'error': 'x'}),
    ]
    trailing = broken(token={'claims': {'iss': ISSUER + '/'}})
    scenarios.append(trailing)
    for facts in scenarios:
        produced.update(item['id'] for item in judge(copy.deepcopy(facts)))
    assert produced == set(CATALOGUE_BY_ID)
