# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test IdP issues and refuses tokens the way the collection will meet them.

Every request passes ``verify`` (and ``cert``) explicitly: REQUESTS_CA_BUNDLE, set on these
machines, would override a session-level setting.
"""

from __future__ import annotations

import time
import uuid

import jwt
import pytest
import requests

TIMEOUT = 10
KEYCLOAK_TESTS = "tests/integration/keycloak"


def oidc_provider_only(reason):
    """For behaviour of our oidc-provider set-up that Keycloak does not share (pytest --idp keycloak skips it)."""
    return pytest.mark.only_idp("oidc-provider", reason=reason)


# -- helpers ------------------------------------------------------------------------------------


def post_form(idp, url, data, auth=None, cert=None) -> requests.Response:
    return requests.post(url, data=data, auth=auth, cert=cert, verify=idp.ca_path, timeout=TIMEOUT)


def client_credentials(client_id: str, **extra) -> dict:
    return {"grant_type": "client_credentials", "client_id": client_id, **extra}


def secret_post(idp, secret=None, url=None, **extra) -> requests.Response:
    client = idp.clients.secret
    data = client_credentials(client.id, client_secret=secret or client.secret, **extra)
    return post_form(idp, url or idp.token_url, data)


def secret_basic(idp, secret=None) -> requests.Response:
    client = idp.clients.secret
    data = {"grant_type": "client_credentials"}
    return post_form(idp, idp.token_url, data, auth=(client.id, secret or client.secret))


def certificate_auth(idp, client, cert=None) -> requests.Response:
    """A token request that authenticates with a client certificate (``cert`` = (crt, key))."""
    return post_form(idp, idp.token_url, client_credentials(client.id), cert=cert)


def jwks(idp) -> dict:
    response = requests.get(idp.jwks_url, verify=idp.ca_path, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def verified_claims(idp, access_token: str, audience: str) -> dict:
    """The token's claims, after checking signature (against the IdP's JWKS), iss, aud, exp."""
    kid = jwt.get_unverified_header(access_token)["kid"]
    key = next(jwk for jwk in jwks(idp)["keys"] if jwk["kid"] == kid)
    return jwt.decode(
        access_token,
        jwt.PyJWK(key).key,
        algorithms=["RS256"],
        audience=audience,
        issuer=idp.issuer,
    )


def assert_token(idp, response, client_id, audience=None) -> dict:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    claims = verified_claims(idp, body["access_token"], audience or idp.audience)
    assert claims["client_id"] == client_id
    return body | {"claims": claims}


def assert_invalid_client(response):
    assert response.status_code == 401, response.text
    body = response.json()
    assert body["error"] == "invalid_client"
    assert body["error_description"]


def last_refusal(idp) -> dict:
    return idp.refusals()[-1]


# -- discovery ----------------------------------------------------------------------------------


def test_discovery_advertises_keycloak_like_endpoints(idp):
    assert idp.issuer.endswith("/auth/realms/camunda-platform")
    response = requests.get(f"{idp.issuer}/.well-known/openid-configuration", verify=idp.ca_path, timeout=TIMEOUT)
    metadata = response.json()
    assert metadata["issuer"] == idp.issuer
    assert metadata["token_endpoint"] == idp.token_url
    assert metadata["token_endpoint"].endswith("/protocol/openid-connect/token")
    assert metadata["jwks_uri"] == idp.jwks_url
    assert metadata["jwks_uri"].endswith("/protocol/openid-connect/certs")
    methods = {"client_secret_post", "client_secret_basic", "tls_client_auth"}
    if idp.clients.self_signed:
        methods.add("self_signed_tls_client_auth")
    assert methods <= set(metadata["token_endpoint_auth_methods_supported"])
    assert "client_credentials" in metadata["grant_types_supported"]


def test_jwks_publishes_an_rs256_signing_key(idp):
    keys = jwks(idp)["keys"]
    signing = [key for key in keys if key.get("use") == "sig"]
    assert [(key["kty"], key["alg"]) for key in signing] == [("RSA", "RS256")]
    assert not any("d" in key for key in keys)  # public keys only


# -- client secret ------------------------------------------------------------------------------


@oidc_provider_only("token shape: `aud` one string and `sub` the client id (Keycloak: a list and a user id)")
def test_secret_in_the_body_gives_a_jwt_for_the_emulator(idp):
    token = assert_token(idp, secret_post(idp), idp.clients.secret.id)
    assert token["claims"]["aud"] == "orchestration-api"
    assert token["claims"]["sub"] == idp.clients.secret.id
    assert token["expires_in"] == idp.default_token_ttl
    assert token["claims"]["exp"] - token["claims"]["iat"] == idp.default_token_ttl


def test_secret_by_http_basic_gives_a_jwt(idp):
    assert_token(idp, secret_basic(idp), idp.clients.secret.id)


@oidc_provider_only(f"idp.refusals(); Keycloak answers 401 unauthorized_client, see {KEYCLOAK_TESTS}")
@pytest.mark.parametrize("send", [secret_post, secret_basic], ids=["post", "basic"])
def test_wrong_secret_is_invalid_client(idp, send):
    assert_invalid_client(send(idp, secret="not-the-secret"))
    assert last_refusal(idp)["detail"] == "invalid secret provided"


def test_unknown_client_is_invalid_client(idp):
    response = post_form(idp, idp.token_url, client_credentials("nobody", client_secret="x"))
    assert_invalid_client(response)


@oidc_provider_only("a plain-HTTP twin of the token URL (idp.http_token_url)")
def test_plain_http_token_url_issues_the_same_tokens(idp):
    token = assert_token(idp, secret_post(idp, url=idp.http_token_url), idp.clients.secret.id)
    assert token["claims"]["iss"] == idp.issuer


@oidc_provider_only("resource indicators (idp.resource is None on Keycloak)")
def test_resource_indicator_is_accepted_and_unknown_ones_refused(idp):
    assert_token(idp, secret_post(idp, resource=idp.resource), idp.clients.secret.id)
    response = secret_post(idp, resource="urn:camunda:somewhere-else")
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_target"


@oidc_provider_only("the scope list of idp.mjs")
def test_known_scopes_are_granted_and_unknown_ones_dropped(idp):
    assert secret_post(idp, scope="openid camunda").json()["scope"] == "openid camunda"
    token = assert_token(idp, secret_post(idp, scope="no-such-scope"), idp.clients.secret.id)
    assert "scope" not in token


def test_audience_parameter_is_ignored_like_keycloak_does(idp):
    token = assert_token(idp, secret_post(idp, audience="zeebe.camunda.io"), idp.clients.secret.id)
    audiences = token["claims"]["aud"]
    audiences = [audiences] if isinstance(audiences, str) else audiences
    assert idp.audience in audiences and "zeebe.camunda.io" not in audiences


# -- client certificates ------------------------------------------------------------------------


def test_tls_client_auth_with_the_ca_signed_certificate(idp):
    client = idp.clients.tls
    assert_token(idp, certificate_auth(idp, client, (client.cert, client.key)), client.id)


@oidc_provider_only(f"idp.refusals(); see {KEYCLOAK_TESTS} for Keycloak's answer")
def test_tls_client_auth_without_a_certificate_is_refused(idp):
    assert_invalid_client(certificate_auth(idp, idp.clients.tls))
    assert last_refusal(idp)["detail"] == "client certificate was not provided"


@oidc_provider_only(f"Keycloak refuses these in the TLS handshake, see {KEYCLOAK_TESTS}")
@pytest.mark.parametrize(
    "cert_name, key_name",
    [
        ("other_ca_cert", "other_ca_key"),
        ("expired_cert", "expired_key"),
        ("self_signed_cert", "self_signed_key"),
    ],
    ids=["other-ca", "expired", "self-signed"],
)
def test_tls_client_auth_refuses_certificates_our_ca_does_not_vouch_for(idp, certs, cert_name, key_name):
    cert = (getattr(certs, cert_name), getattr(certs, key_name))
    assert_invalid_client(certificate_auth(idp, idp.clients.tls, cert))
    assert last_refusal(idp)["detail"] == "client certificate was not verified"


@oidc_provider_only("self_signed_tls_client_auth")
def test_self_signed_tls_client_auth_with_the_registered_certificate(idp):
    client = idp.clients.self_signed
    assert_token(idp, certificate_auth(idp, client, (client.cert, client.key)), client.id)


@oidc_provider_only("self_signed_tls_client_auth")
def test_self_signed_tls_client_auth_refuses_another_certificate(idp, certs):
    response = certificate_auth(idp, idp.clients.self_signed, (certs.client_cert, certs.client_key))
    assert_invalid_client(response)
    assert last_refusal(idp)["detail"] == "unregistered client certificate provided"


@oidc_provider_only(f"invalid_client; Keycloak answers unauthorized_client, see {KEYCLOAK_TESTS}")
def test_secret_client_cannot_authenticate_with_a_certificate_alone(idp, certs):
    response = certificate_auth(idp, idp.clients.secret, (certs.client_cert, certs.client_key))
    assert_invalid_client(response)


# -- private_key_jwt (RFC 7523), built here with PyJWT, independently of the collection ----------


def signed_assertion(idp, client, key_path, **changes) -> str:
    with open(key_path, "rb") as handle:
        key = handle.read()
    now = int(time.time())
    claims = {
        "iss": client.id,
        "sub": client.id,
        "aud": idp.token_url,
        "jti": uuid.uuid4().hex,
        "iat": now,
        "exp": now + 60,
    }
    claims.update(changes)
    return jwt.encode(claims, key, algorithm="RS256")


def assertion_auth(idp, client, assertion) -> requests.Response:
    return post_form(
        idp,
        idp.token_url,
        client_credentials(
            client.id,
            client_assertion_type="urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            client_assertion=assertion,
        ),
    )


def test_private_key_jwt_with_the_registered_key_gives_a_token(idp):
    client = idp.clients.assertion
    response = assertion_auth(idp, client, signed_assertion(idp, client, client.key))
    assert response.status_code == 200, response.text
    claims = verified_claims(idp, response.json()["access_token"], idp.audience)
    assert claims["exp"] > time.time()


def test_private_key_jwt_signed_with_another_key_is_refused(idp, certs):
    client = idp.clients.assertion
    response = assertion_auth(idp, client, signed_assertion(idp, client, certs.other_ca_key))
    assert response.status_code in (400, 401) and response.json()["error"] in ("invalid_client", "unauthorized_client")


def test_private_key_jwt_assertion_is_single_use(idp):
    client = idp.clients.assertion
    assertion = signed_assertion(idp, client, client.key)
    assert assertion_auth(idp, client, assertion).status_code == 200
    replay = assertion_auth(idp, client, assertion)
    assert replay.status_code in (400, 401) and replay.json()["error"] in ("invalid_client", "unauthorized_client")


# -- Auth0-like SaaS endpoint -------------------------------------------------------------------


@oidc_provider_only("the Auth0-like SaaS endpoint (idp.saas_token_url)")
def test_saas_endpoint_issues_a_token_for_the_requested_audience(idp):
    response = secret_post(idp, url=idp.saas_token_url, audience=idp.saas_audience)
    token = assert_token(idp, response, idp.clients.secret.id, audience=idp.saas_audience)
    assert token["claims"]["aud"] == "zeebe.camunda.io"


@oidc_provider_only("the Auth0-like SaaS endpoint (idp.saas_token_url)")
def test_saas_endpoint_requires_an_audience(idp):
    response = secret_post(idp, url=idp.saas_token_url)
    assert response.status_code == 400
    body = response.json()
    assert body["error"] == "invalid_request"
    assert "audience" in body["error_description"]


@oidc_provider_only("the Auth0-like SaaS endpoint (idp.saas_token_url)")
def test_saas_endpoint_refuses_an_unknown_audience(idp):
    response = secret_post(idp, url=idp.saas_token_url, audience="orchestration-api")
    assert response.status_code == 403
    assert response.json() == {"error": "access_denied", "error_description": "Service not found: orchestration-api"}


@oidc_provider_only("the Auth0-like SaaS endpoint (idp.saas_token_url)")
def test_saas_endpoint_checks_the_secret_too(idp):
    response = secret_post(idp, secret="wrong", url=idp.saas_token_url, audience=idp.saas_audience)
    assert_invalid_client(response)


# -- counting, TTL, faults ----------------------------------------------------------------------


def test_token_requests_are_counted_per_client_and_outcome(idp):
    secret_id, tls = idp.clients.secret.id, idp.clients.tls
    secret_post(idp)
    secret_basic(idp)
    secret_post(idp, secret="wrong")
    certificate_auth(idp, tls, (tls.cert, tls.key))
    secret_post(idp, url=idp.saas_token_url, audience=idp.saas_audience)

    assert idp.token_requests(secret_id) == 4
    assert idp.token_requests(secret_id, outcome="ok") == 3
    assert idp.token_requests(secret_id, outcome="failed") == 1
    assert idp.token_requests(tls.id) == 1
    assert idp.token_requests() == 5
    assert idp.token_requests("nobody") == 0


def test_reset_counts_starts_from_zero(idp):
    secret_post(idp)
    assert idp.token_requests() == 1
    idp.reset_counts()
    assert idp.token_requests() == 0


def test_each_test_starts_with_zero_counts(idp):
    assert idp.token_requests() == 0


def assert_lifetime(idp, seconds, ttl):
    """oidc-provider gives the configured lifetime exactly. Keycloak reads its clock
    more than once per token (iat, exp, expires_in), so a second ticking over in
    between moves a figure by one."""
    allowed = {ttl - 1, ttl, ttl + 1} if idp.kind == "keycloak" else {ttl}
    assert seconds in allowed, (seconds, ttl)


def assert_remaining_lifetime(idp, expires_in, ttl):
    assert_lifetime(idp, expires_in, ttl)
    assert expires_in <= ttl


def test_shorter_ttl_shows_in_expires_in_and_exp(idp):
    idp.set_token_ttl(7)
    token = assert_token(idp, secret_post(idp), idp.clients.secret.id)
    assert_lifetime(idp, token["claims"]["exp"] - token["claims"]["iat"], 7)
    assert_remaining_lifetime(idp, token["expires_in"], 7)
    if idp.saas_token_url:
        saas = secret_post(idp, url=idp.saas_token_url, audience=idp.saas_audience).json()
        assert_remaining_lifetime(idp, saas["expires_in"], 7)


def test_reset_restores_the_default_ttl(idp):
    idp.set_token_ttl(7)
    idp.reset()
    assert_remaining_lifetime(idp, secret_post(idp).json()["expires_in"], idp.default_token_ttl)


def test_ttl_must_be_a_positive_integer(idp):
    with pytest.raises((requests.HTTPError, ValueError)):
        idp.set_token_ttl(0)


@oidc_provider_only("fault injection (idp.set_faults)")
def test_faults_answer_the_next_requests_then_stop(idp):
    idp.set_faults(status=503, count=2, retry_after=3)
    for attempt in (1, 2):
        response = secret_post(idp)
        assert response.status_code == 503, f"attempt {attempt}"
        assert response.headers["Retry-After"] == "3"
        assert response.json()["error"] == "temporarily_unavailable"
    assert secret_post(idp).status_code == 200
    assert idp.token_requests(idp.clients.secret.id, outcome="failed") == 2
    assert idp.token_requests(idp.clients.secret.id, outcome="ok") == 1


@oidc_provider_only("fault injection (idp.set_faults)")
def test_faults_hit_basic_auth_and_the_saas_endpoint_too(idp):
    idp.set_faults(status=429, count=2, retry_after=None)
    basic = secret_basic(idp)
    saas = secret_post(idp, url=idp.saas_token_url, audience=idp.saas_audience)
    assert [basic.status_code, saas.status_code] == [429, 429]
    assert "Retry-After" not in basic.headers
    assert idp.token_requests(idp.clients.secret.id, outcome="failed") == 2


@oidc_provider_only("fault injection (idp.set_faults)")
def test_clear_faults(idp):
    idp.set_faults(status=502, count=5)
    idp.clear_faults()
    assert secret_post(idp).status_code == 200


@oidc_provider_only("the admin API of idp.mjs")
def test_admin_api_is_outside_the_oidc_paths(idp):
    origin = idp.token_url.split("/auth/", 1)[0]
    response = requests.get(f"{origin}/__idp__/counts", verify=idp.ca_path, timeout=TIMEOUT)
    assert response.status_code == 200
    missing = requests.get(f"{origin}/nothing-here", verify=idp.ca_path, timeout=TIMEOUT)
    assert missing.status_code == 404


@oidc_provider_only("oidc-provider's invalid_request (Keycloak: 400 unauthorized_client)")
def test_malformed_basic_credentials_are_refused_and_counted(idp):
    # '%zz' is no valid percent-encoding: oidc-provider answers invalid_request, we still count it
    response = requests.post(
        idp.token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": "Basic JXp6OnNlY3JldA=="},
        verify=idp.ca_path,
        timeout=TIMEOUT,
    )
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"
    assert idp.token_requests(outcome="failed") == 1
