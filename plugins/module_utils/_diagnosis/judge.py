# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The judgement of camunda_auth_info: findings of the catalogue from the facts it gathered.

For internal collection use only: no stable interface.

``judge(facts)`` reads the facts (plain dicts) and returns the findings, most severe first.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ansible_collections.community.camunda.plugins.module_utils._diagnosis.catalogue import finding, sort_findings
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.claims import (
    LOOPBACK_HOSTS,
    SAAS_AUDIENCE,
    audiences_of,
    host_of,
    issuer_trap,
    missing_permission,
)

DEFAULT_MAX_CLOCK_SKEW = 30.0


def _listing(values):
    return ', '.join(str(value) for value in values) if values else 'none'


# -- the judgement -----------------------------------------------------------------------------------


def judge(facts):
    """Findings from the facts gathered by auth_info (plain data), most severe first."""
    findings = []
    for check in (
        _transport_findings,
        _idp_findings,
        _token_findings,
        _clock_findings,
        _cluster_findings,
        _mapping_rule_findings,
    ):
        findings.extend(check(facts))
    return sort_findings(findings)


def _transport_findings(facts):
    settings = facts['settings']
    method = facts['auth_method']
    if not settings.get('validate_certs', True):
        what = 'the cluster and the identity provider' if method == 'oidc' else 'the cluster'
        yield finding('tls_verification_disabled', what=what)
    if method != 'none':
        for url in (settings.get('url'), settings.get('token_url') if method == 'oidc' else None):
            if url and urlsplit(url).scheme == 'http' and host_of(url) not in LOOPBACK_HOSTS:
                yield finding('credentials_over_plain_http', url=url)
    if method == 'basic' and facts.get('production'):
        yield finding('basic_in_production')
    if method == 'none':
        yield finding('no_credentials')


def _idp_findings(facts):
    token = facts.get('token') or {}
    if token.get('error'):
        error = token['error']
        if error.get('kind') == 'refused':
            yield finding('idp_refused', said=error['said'])
        else:
            yield finding('idp_unreachable', said=error['said'])
        return
    idp = facts.get('idp')
    if not idp:
        return
    if idp.get('error'):
        yield finding('discovery_failed', said=idp['error'], issuer=idp.get('issuer') or 'ISSUER')
        return
    if idp.get('discovered_issuer') and idp['discovered_issuer'] != idp.get('issuer'):
        yield finding(
            'discovery_issuer_differs',
            url=idp['discovery_url'],
            discovered=idp['discovered_issuer'],
            issuer=idp.get('issuer'),
        )
    if idp.get('token_url_matches') is False:
        yield finding(
            'token_url_not_discovered',
            token_url=facts['settings'].get('token_url'),
            discovered=idp.get('token_endpoint'),
        )
    if idp.get('kid_in_jwks') is False:
        yield finding(
            'kid_unknown',
            kid=token.get('header', {}).get('kid'),
            jwks_uri=idp.get('jwks_uri'),
            kids=_listing(idp.get('jwks_kids')),
        )


def _token_findings(facts):
    token = facts.get('token') or {}
    if not token.get('present'):
        return
    if not token.get('jwt'):
        yield finding('token_not_jwt')
        return
    claims = token.get('claims') or {}
    token_issuer = claims.get('iss')
    idp = facts.get('idp') or {}
    compared = []
    if facts.get('expected_issuer'):
        compared.append(('the cluster\'s issuer (expected_issuer)', facts['expected_issuer']))
    if idp.get('discovered_issuer'):
        compared.append(('the issuer announced by the discovery document', idp['discovered_issuer']))
    for label, other in compared:
        if token_issuer and other and token_issuer != other:
            kind_id, values = issuer_trap(token_issuer, other)
            yield finding(kind_id, token_issuer=token_issuer, other_label=label, other_issuer=other, **values)
            break  # one issuer finding says it; the second comparison would repeat it
    audiences = audiences_of(claims)
    accepted = list(facts.get('expected_audiences') or [])
    if accepted and not set(audiences) & set(accepted):
        yield finding(
            'audience_not_accepted',
            audience=_listing(audiences),
            accepted=_listing(accepted),
            first_audience=audiences[0] if audiences else 'AUDIENCE',
        )
    if facts.get('saas') and SAAS_AUDIENCE not in audiences:
        yield finding('saas_audience', audience=_listing(audiences))
    for clock, now in (('controller', facts['clocks'].get('controller')), ('cluster', facts['clocks'].get('cluster'))):
        if now is None:
            continue
        problem = _time_problem(claims, now, facts.get('max_clock_skew', DEFAULT_MAX_CLOCK_SKEW))
        if problem:
            yield finding(problem[0], clock=clock, **problem[1])
            break  # the same token problem seen by a second clock adds nothing


def _time_problem(claims, now, leeway):
    exp = claims.get('exp')
    if isinstance(exp, (int, float)) and exp <= now:
        return 'token_expired', dict(ago=int(now - exp), exp=int(exp))
    for claim in ('nbf', 'iat'):
        value = claims.get(claim)
        if isinstance(value, (int, float)) and value > now + leeway:
            return 'token_not_yet_valid', dict(claim=claim, ahead=int(value - now))
    return None


CLOCKS = ('controller', 'identity provider', 'cluster')


def _clock_findings(facts):
    clocks = facts['clocks']
    limit = facts.get('max_clock_skew', DEFAULT_MAX_CLOCK_SKEW)
    # how far the second clock is ahead of the first
    pairs = {
        ('controller', 'identity provider'): clocks.get('idp_offset_s'),
        ('controller', 'cluster'): clocks.get('cluster_offset_s'),
        ('identity provider', 'cluster'): clocks.get('idp_cluster_offset_s'),
    }
    skewed = {pair: offset for pair, offset in pairs.items() if offset is not None and abs(offset) > limit}
    if not skewed:
        return
    differences = '; '.join(
        f'the {second} is {abs(offset)} s {"ahead of" if offset > 0 else "behind"} the {first}'
        for (first, second), offset in skewed.items()
    )
    yield finding('clock_skew', limit=int(limit), differences=differences, culprit=clock_culprit(pairs, skewed))


def clock_culprit(pairs, skewed):
    """The clock that is off: the one in every skewed pair while the pair without it agrees."""
    for clock in CLOCKS:
        with_it = [pair for pair in pairs if clock in pair]
        without_it = [pair for pair in pairs if clock not in pair]
        if all(pair in skewed for pair in with_it if pairs[pair] is not None) and not any(
            pair in skewed for pair in without_it
        ):
            measured = [pair for pair in with_it if pairs[pair] is not None]
            if len(measured) == 2 or (len(measured) == 1 and clock != 'controller'):
                return clock
    return 'controller, the identity provider and the cluster'


def _cluster_findings(facts):
    cluster = facts.get('cluster')
    if not cluster:
        return
    outcome = cluster.get('credentials')
    principal = facts.get('principal_name') or 'PRINCIPAL'
    if outcome == 'error':
        yield finding('cluster_unreachable', said=cluster.get('said'))
    elif outcome == 'refused':
        detail = f": {cluster['detail'].rstrip('.')}" if cluster.get('detail') else ''
        yield finding('basic_refused' if facts['auth_method'] == 'basic' else 'token_refused', detail=detail)
    elif outcome == 'forbidden':
        request = cluster.get('request') or 'GET /v2/authentication/me'
        missing = missing_permission(cluster.get('detail'))
        if missing:
            yield finding('forbidden', principal=principal, request=request, permission=missing[0], resource=missing[1])
        else:
            detail = f": {cluster['detail'].rstrip('.')}" if cluster.get('detail') else ''
            yield finding('forbidden_unspecified', principal=principal, request=request, detail=detail)
    elif outcome == 'accepted':
        me = cluster.get('principal') or {}
        tenants = [tenant.get('tenantId') if isinstance(tenant, dict) else tenant for tenant in me.get('tenants') or ()]
        yield finding(
            'accepted',
            principal=me.get('username') or principal,
            roles=_listing(me.get('roles')),
            groups=_listing(me.get('groups')),
            tenants=_listing(tenants),
        )


def _mapping_rule_findings(facts):
    rules = facts.get('mapping_rules')
    if not rules:
        return
    if rules.get('error'):
        yield finding('mapping_rules_unreadable', said=rules['error'])
        return
    matched = rules.get('matched') or []
    if matched:
        yield finding(
            'mapping_rules_matched',
            matched='; '.join(
                f"{rule['mappingRuleId']} ({rule['claimName']} = {rule['claimValue']}; roles: {_listing(rule.get('roles'))})"
                for rule in matched
            ),
        )
        return
    cluster = facts.get('cluster') or {}
    me = cluster.get('principal') or {}
    has_nothing = cluster.get('credentials') == 'forbidden' or not (me.get('roles') or me.get('groups'))
    if rules.get('count') and has_nothing:
        claims = (facts.get('token') or {}).get('claims') or {}
        claim_name = 'client_id' if claims.get('client_id') else 'sub'
        yield finding(
            'no_mapping_rule_matched',
            rules=rules['count'],
            principal=facts.get('principal_name') or 'PRINCIPAL',
            claim_name=claim_name,
            claim_value=claims.get(claim_name, 'VALUE'),
        )
