# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The findings catalogue of camunda_auth_info: each auth trap as data.

For internal collection use only: no stable interface.

Each trap is one ``FindingKind`` in ``CATALOGUE``: an id, a severity, a message template and a fix
template (``str.format`` fields, filled from what was observed); ``judge.judge`` decides which apply.
The troubleshooting guide (docs/docsite/rst/guide_auth_diagnosis.rst) is generated from this catalogue,
and a unit test fails when the two drift apart.
"""

from __future__ import annotations

from collections import namedtuple

SEVERITIES = ('error', 'warning', 'info')

FindingKind = namedtuple('FindingKind', 'id severity message fix why')

CATALOGUE = (
    # -- before the cluster: options and transport ---------------------------------------------------
    FindingKind(
        'tls_verification_disabled',
        'warning',
        'TLS certificate checks are disabled (validate_certs: false): {what} could be anyone.',
        'Remove validate_certs: false and set ca_path (and token_ca_path for the identity provider) to the CA '
        'bundle that signed the servers\' certificates.',
        'Without certificate checks a man in the middle receives the credentials and the token.',
    ),
    FindingKind(
        'credentials_over_plain_http',
        'warning',
        'Credentials travel over plain HTTP to {url}.',
        'Use https:// for url and token_url outside a development machine; loopback (localhost, 127.0.0.1, ::1) is exempt and never reported.',
        'Basic passwords, client secrets and bearer tokens are readable by anyone on the path.',
    ),
    FindingKind(
        'basic_in_production',
        'warning',
        'auth_method basic is used against a cluster marked as production.',
        'Camunda advises OIDC for production: configure the cluster with '
        'camunda.security.authentication.method: oidc and use auth_method oidc with a client of your identity provider.',
        'Basic authentication sends a password with every request and has no token expiry, rotation or central revocation.',
    ),
    FindingKind(
        'no_credentials',
        'info',
        'auth_method none: no credentials were sent, so there is no token or principal to diagnose.',
        'Set auth_method (basic or oidc) and its credentials if the cluster is protected.',
        'An open API (unprotected-api) accepts calls without credentials.',
    ),
    # -- the identity provider -----------------------------------------------------------------------
    FindingKind(
        'idp_refused',
        'error',
        'No token was issued: {said}',
        'Check client_id and its secret or certificate (invalid_client, unauthorized_client: Keycloak also needs service '
        'accounts enabled), and audience, scope and resource (access_denied, invalid_request, invalid_scope, '
        'invalid_target); the message quotes the identity provider\'s own error.',
        'The token endpoint answered with an OAuth error; the cluster never saw a token.',
    ),
    FindingKind(
        'idp_unreachable',
        'error',
        'No token could be obtained: {said}',
        'Check token_url, the network path to the identity provider and token_ca_path.',
        'The token endpoint did not answer.',
    ),
    FindingKind(
        'token_not_jwt',
        'error',
        'The access token is not a JWT (an opaque token): its claims cannot be read, and Camunda cannot validate it.',
        'Ask the identity provider for a JWT access token: send audience (Auth0 and Camunda SaaS issue opaque tokens '
        'without one) or scope (Entra ID: scope API_CLIENT_ID/.default).',
        'Camunda validates access tokens as JWTs signed by a key in the issuer\'s JWKS.',
    ),
    FindingKind(
        'discovery_failed',
        'warning',
        'The discovery document of the issuer could not be read: {said}.',
        'Check that {issuer}/.well-known/openid-configuration answers; the cluster reads the same document when '
        'camunda.security.authentication.oidc.issuer-uri is set.',
        'Without it the issuer, token endpoint and signing keys cannot be compared.',
    ),
    FindingKind(
        'token_url_not_discovered',
        'info',
        'token_url {token_url} is not the token endpoint the issuer announces ({discovered}).',
        'Usually harmless (an alias or a proxy); if the cluster refuses the token, use the announced token endpoint.',
        'A different token endpoint can belong to another realm, tenant or IdP version, whose tokens the cluster does not trust.',
    ),
    FindingKind(
        'discovery_issuer_differs',
        'error',
        'The discovery document at {url} names issuer {discovered}, not {issuer}.',
        'Set camunda.security.authentication.oidc.issuer-uri (Helm: orchestration.security.authentication.oidc.issuer) '
        'to exactly {discovered}.',
        'OpenID Connect requires the issuer in the document to equal the URL it was read from; Spring refuses the configuration otherwise.',
    ),
    # -- the token -----------------------------------------------------------------------------------
    FindingKind(
        'issuer_entra_v1_v2',
        'error',
        "The token's issuer {token_issuer} is an Entra ID {token_version} issuer, but {other_label} is the {other_version} "
        'issuer {other_issuer}.',
        'Entra ID issues v1 tokens (iss https://sts.windows.net/TENANT/) unless the API\'s app registration says '
        'otherwise: set "requestedAccessTokenVersion": 2 (manifest: accessTokenAcceptedVersion) in the registration of '
        'the API whose scope you request, or configure the cluster with the issuer the tokens carry.',
        'Entra ID has two issuers per tenant, and the token version follows the API\'s registration, not the endpoint that issued it.',
    ),
    FindingKind(
        'issuer_keycloak_auth_path',
        'error',
        "The token's issuer {token_issuer} and {other_label} {other_issuer} differ only by the /auth prefix.",
        'Keycloak 17 and later serve realms without /auth unless started with --http-relative-path=/auth '
        '(KC_HTTP_RELATIVE_PATH); use the same form in token_url and in the cluster\'s issuer '
        '(camunda.security.authentication.oidc.issuer-uri).',
        'The issuer is compared as a string: https://HOST/auth/realms/R and https://HOST/realms/R are different issuers.',
    ),
    FindingKind(
        'issuer_host_differs',
        'error',
        "The token's issuer {token_issuer} and {other_label} {other_issuer} differ by host or port.",
        'Keycloak writes the host of the request into iss unless its hostname is fixed: set KC_HOSTNAME (hostname) '
        'so that the cluster (issuerBackendUrl) and the clients (token_url) see one issuer, or request the token '
        'through the URL the cluster is configured with.',
        'A token fetched through an internal address (http://keycloak:18080) names that address as its issuer.',
    ),
    FindingKind(
        'issuer_trailing_slash',
        'error',
        "The token's issuer {token_issuer} and {other_label} {other_issuer} differ only by a trailing slash.",
        'Write the issuer exactly as the identity provider announces it in its discovery document, with or without '
        'the final / (Auth0 and Camunda SaaS issuers end with /; Keycloak\'s do not).',
        'The issuer is compared as a string, so a final / makes another issuer.',
    ),
    FindingKind(
        'issuer_mismatch',
        'error',
        "The token's issuer {token_issuer} is not {other_label} {other_issuer}.",
        'Get the token from the identity provider the cluster trusts, or set the cluster\'s issuer '
        '(camunda.security.authentication.oidc.issuer-uri) to {token_issuer}.',
        'The cluster accepts only tokens whose iss equals its configured issuer, character for character.',
    ),
    FindingKind(
        'audience_not_accepted',
        'error',
        "The token's audience {audience} is not one the cluster accepts ({accepted}).",
        'Request a token for one of {accepted} (option audience, or the identity provider\'s audience mapper: Keycloak '
        '"Audience" mapper, Entra ID scope API_CLIENT_ID/.default), or add {first_audience} to '
        'camunda.security.authentication.oidc.audiences (Helm: orchestration.security.authentication.oidc.audience).',
        'With audiences configured the cluster refuses a token whose aud names none of them ("invalid audience").',
    ),
    FindingKind(
        'saas_audience',
        'error',
        "The token's audience {audience} does not contain zeebe.camunda.io, which Camunda SaaS requires.",
        'Set audience: zeebe.camunda.io (CAMUNDA_TOKEN_AUDIENCE) and token_url https://login.cloud.camunda.io/oauth/token.',
        'SaaS clusters accept only tokens issued for zeebe.camunda.io.',
    ),
    FindingKind(
        'kid_unknown',
        'error',
        "The token was signed with key {kid}, which the issuer's JWKS ({jwks_uri}) does not list (it lists {kids}).",
        'Get a new token (a cached one may predate a key rotation: force_refresh, or clear the token cache); if a '
        'fresh token still names an unknown key, token_url and the cluster\'s issuer belong to different realms or servers.',
        'The cluster verifies the signature with the key named by kid, taken from the issuer\'s JWKS.',
    ),
    FindingKind(
        'token_expired',
        'error',
        'The token expired {ago} s ago by the {clock} clock (exp {exp}).',
        'Get a new token (force_refresh); if new tokens are already expired, correct the clock (NTP) of the {clock}.',
        'An expired token is refused (Spring allows 60 s of clock skew).',
    ),
    FindingKind(
        'token_not_yet_valid',
        'error',
        'The token is not valid yet by the {clock} clock: {claim} is {ahead} s in the future.',
        'Synchronise the clocks of the identity provider and the {clock} (NTP).',
        'A token issued by a clock that runs ahead is refused until the other clocks catch up.',
    ),
    FindingKind(
        'clock_skew',
        'warning',
        'Clocks differ by more than {limit} s (from their Date headers): {differences}.',
        'Synchronise the clock of the {culprit} (NTP, chrony).',
        'Token checks compare iat, nbf and exp with the local clock; a skew beyond the validator\'s allowance '
        '(Spring: 60 s) refuses tokens that are still good, or accepts expired ones.',
    ),
    # -- the cluster ---------------------------------------------------------------------------------
    FindingKind(
        'cluster_unreachable',
        'error',
        'The cluster could not be asked who we are: {said}',
        'Check url, ca_path and that the cluster is up (community.camunda.camunda_cluster_info).',
        'GET /v2/authentication/me got no usable answer.',
    ),
    FindingKind(
        'token_refused',
        'error',
        'The cluster refused the token (401){detail}.',
        'See the other findings; if none explains it, check that the cluster\'s issuer (issuer-uri) is the token\'s iss, '
        'that its audiences include the token\'s aud (give expected_issuer and expected_audiences to compare them here), '
        'and that its clock is right.',
        'The cluster did not accept the token; the other findings say why when they can.',
    ),
    FindingKind(
        'basic_refused',
        'error',
        'The cluster refused the username and password (401){detail}.',
        'Check username and password, and that the cluster uses Basic authentication '
        '(camunda.security.authentication.method: basic); an OIDC cluster needs auth_method oidc.',
        'Camunda knows no such user, the password is wrong, or the cluster expects tokens.',
    ),
    FindingKind(
        'forbidden',
        'error',
        'The cluster knows the principal {principal} but refused {request} (403): missing permission {permission} on resource {resource}.',
        'Grant {principal} (or one of its roles, groups or mapping rules) an authorization with resourceType {resource} '
        'and permissionTypes [{permission}] (community.camunda.camunda_authorization), or make it a member of a role that has one.',
        'Authentication worked; the principal lacks an authorization.',
    ),
    FindingKind(
        'forbidden_unspecified',
        'error',
        'The cluster knows the principal {principal} but refused {request} (403){detail}.',
        'Grant {principal} an authorization for that resource, or make it a member of a role that has one '
        '(community.camunda.camunda_authorization, community.camunda.camunda_role).',
        'Authentication worked; the principal lacks an authorization.',
    ),
    FindingKind(
        'accepted',
        'info',
        'The cluster accepts the credentials as {principal} (roles: {roles}; groups: {groups}; tenants: {tenants}).',
        'Nothing to fix.',
        'GET /v2/authentication/me answered 200.',
    ),
    # -- mapping rules -------------------------------------------------------------------------------
    FindingKind(
        'no_mapping_rule_matched',
        'warning',
        "No mapping rule matches the token's claims ({rules} rules checked), and the principal {principal} has no role "
        'or group of its own.',
        'Create a mapping rule for a claim of this token (for example claimName {claim_name}, claimValue {claim_value}: '
        'community.camunda.camunda_mapping_rule) and assign it to a role, or make the client a member of a role.',
        'Without a mapping rule or a direct membership the principal has no roles, and every call needing a permission is 403.',
    ),
    FindingKind(
        'mapping_rules_matched',
        'info',
        'Mapping rules matched by the token: {matched}.',
        'Nothing to fix.',
        'The principal inherits the roles, groups, tenants and authorizations of these rules.',
    ),
    FindingKind(
        'mapping_rules_unreadable',
        'info',
        'The mapping rules could not be read with these credentials ({said}).',
        'Run camunda_auth_info with credentials that may read mapping rules (permission READ on MAPPING_RULE) to see which rules match.',
        'Reading mapping rules needs its own authorization.',
    ),
)

CATALOGUE_BY_ID = {kind.id: kind for kind in CATALOGUE}

# Where each finding arises, in the order a request travels (the sections of the guide).
STAGES = (
    (
        'Settings and transport',
        ('tls_verification_disabled', 'credentials_over_plain_http', 'basic_in_production', 'no_credentials'),
    ),
    (
        'The identity provider',
        (
            'idp_refused',
            'idp_unreachable',
            'discovery_failed',
            'token_url_not_discovered',
            'discovery_issuer_differs',
            'kid_unknown',
        ),
    ),
    (
        'The token',
        (
            'token_not_jwt',
            'issuer_entra_v1_v2',
            'issuer_keycloak_auth_path',
            'issuer_host_differs',
            'issuer_trailing_slash',
            'issuer_mismatch',
            'audience_not_accepted',
            'saas_audience',
            'token_expired',
            'token_not_yet_valid',
            'clock_skew',
        ),
    ),
    (
        'The cluster',
        ('cluster_unreachable', 'token_refused', 'basic_refused', 'forbidden', 'forbidden_unspecified', 'accepted'),
    ),
    ('Mapping rules', ('no_mapping_rule_matched', 'mapping_rules_matched', 'mapping_rules_unreadable')),
)


def finding(kind_id, **values):
    """One finding of the catalogue, its templates filled: {id, severity, message, fix}."""
    kind = CATALOGUE_BY_ID[kind_id]
    return dict(
        id=kind.id, severity=kind.severity, message=kind.message.format(**values), fix=kind.fix.format(**values)
    )


def highest_severity(findings):
    """'error', 'warning', 'info', or None for no findings."""
    for severity in SEVERITIES:
        if any(item['severity'] == severity for item in findings):
            return severity
    return None


def sort_findings(findings):
    return sorted(findings, key=lambda item: SEVERITIES.index(item['severity']))
