# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fixture interface: what tests get, that it starts, stops cleanly and wires the parts."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

import services as services_module
from idp import IdpHandle
from idp.oidc_provider import IdpStartError, start_oidc_provider

SERVICES_SCRIPT = Path(services_module.__file__)
TIMEOUT = 10


def process_is_gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    # a zombie still answers kill(0); it is gone for our purposes
    status = Path(f"/proc/{pid}/status")
    return status.exists() and "State:\tZ" in status.read_text(encoding="utf-8")


def wait_for(predicate, timeout: float, interval: float = 0.05):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()


def secret_token(idp) -> requests.Response:
    client = idp.clients.secret
    return requests.post(
        idp.token_url,
        data={"grant_type": "client_credentials", "client_id": client.id, "client_secret": client.secret},
        verify=idp.ca_path,
        timeout=TIMEOUT,
    )


# -- the interface ------------------------------------------------------------------------------


def test_idp_handle_has_every_field_a_keycloak_tier_must_provide(services):
    idp = services.idp
    assert isinstance(idp, IdpHandle)
    assert idp.kind == "oidc-provider"
    assert idp.token_url == f"{idp.issuer}/protocol/openid-connect/token"
    assert idp.jwks_url == f"{idp.issuer}/protocol/openid-connect/certs"
    assert idp.saas_token_url.startswith("https://localhost:")
    assert idp.saas_token_url.endswith("/oauth/token")
    assert (idp.audience, idp.saas_audience) == ("orchestration-api", "zeebe.camunda.io")
    assert idp.ca_path == services.certs.ca
    assert idp.clients.secret.secret
    assert (idp.clients.tls.cert, idp.clients.tls.key) == (services.certs.client_cert, services.certs.client_key)
    assert idp.clients.self_signed.cert == services.certs.self_signed_cert
    assert (idp.clients.assertion.cert, idp.clients.assertion.key) == (
        services.certs.client_cert,
        services.certs.client_key,
    )
    methods = [client.auth_method for client in idp.clients.all()]
    assert methods == ["client_secret_basic", "tls_client_auth", "self_signed_tls_client_auth", "private_key_jwt"]


def test_certs_fields_are_the_documented_ones(certs):
    documented = {
        "ca",
        "ca_key",
        "server_cert",
        "server_key",
        "client_cert",
        "client_key",
        "client_key_encrypted",
        "client_key_passphrase",
        "client_p12",
        "client_p12_password",
        "expired_cert",
        "expired_key",
        "other_ca",
        "other_ca_cert",
        "other_ca_key",
        "self_signed_cert",
        "self_signed_key",
    }
    fields = {field.name for field in dataclasses.fields(certs)}
    assert documented <= fields
    for name in documented - {"client_key_passphrase", "client_p12_password"}:
        assert Path(getattr(certs, name)).is_file(), name


def test_clean_services_resets_the_idp(services):
    services.idp.set_token_ttl(9)
    services.idp.set_faults(status=503, count=3)
    assert secret_token(services.idp).status_code == 503
    services.reset()
    assert services.idp.token_requests() == 0
    response = secret_token(services.idp)
    assert response.status_code == 200
    assert response.json()["expires_in"] == services.idp.default_token_ttl


# -- start and stop -----------------------------------------------------------------------------


def test_stop_ends_the_idp_process_and_is_idempotent(tmp_path):
    running = services_module.start_services(tmp_path)
    pid = running.idp.process.pid
    assert secret_token(running.idp).status_code == 200
    running.stop()
    assert wait_for(lambda: process_is_gone(pid), 5)
    running.stop()
    with pytest.raises(RuntimeError):
        running.emulator  # pylint: disable=pointless-statement


def test_a_broken_idp_start_reports_the_reason(tmp_path, certs):
    broken = dataclasses.replace(certs, server_cert=str(tmp_path / "missing.crt"))
    with pytest.raises(IdpStartError, match="missing.crt"):
        start_oidc_provider(broken, tmp_path / "idp")


def test_the_idp_dies_with_the_process_that_started_it(tmp_path):
    # The starter is killed with SIGKILL: no atexit, no finalizer; stdin closing must suffice.
    starter = subprocess.Popen(  # pylint: disable=consider-using-with
        [
            sys.executable,
            "-c",
            (
                "import sys, services; s = services.start_services(sys.argv[1]);"
                "print(s.idp.process.pid, flush=True); sys.stdin.read()"
            ),
            str(tmp_path),
        ],
        env=dict(os.environ, PYTHONPATH=str(SERVICES_SCRIPT.parent)),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        node_pid = int(starter.stdout.readline())
        assert not process_is_gone(node_pid)
    finally:
        starter.kill()
        starter.wait(TIMEOUT)
    assert wait_for(lambda: process_is_gone(node_pid), 5)


# -- the emulator trusts the IdP ----------------------------------------------------------------


def bearer_topology(emulator, token: str | None) -> requests.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return requests.get(f"{emulator.url}/v2/topology", headers=headers, timeout=TIMEOUT)


def access_token(idp, url: str, **extra) -> str:
    client = idp.clients.secret
    response = requests.post(
        url,
        data={"grant_type": "client_credentials", "client_id": client.id, "client_secret": client.secret, **extra},
        verify=idp.ca_path,
        timeout=TIMEOUT,
    )
    response.raise_for_status()
    return response.json()["access_token"]


def test_emulator_in_oidc_mode_accepts_tokens_from_the_idp(clean_services):
    emulator, idp = clean_services.emulator, clean_services.idp
    emulator.admin.set_auth("oidc")
    assert emulator.audience == idp.audience
    assert bearer_topology(emulator, None).status_code == 401
    assert bearer_topology(emulator, access_token(idp, idp.token_url)).status_code == 200
    saas = access_token(idp, idp.saas_token_url, audience=idp.saas_audience)
    assert bearer_topology(emulator, saas).status_code == 200


def test_emulator_accepts_mtls_client_tokens(clean_services):
    emulator, idp = clean_services.emulator, clean_services.idp
    emulator.admin.set_auth("oidc")
    tls = idp.clients.tls
    response = requests.post(
        idp.token_url,
        data={"grant_type": "client_credentials", "client_id": tls.id},
        cert=(tls.cert, tls.key),
        verify=idp.ca_path,
        timeout=TIMEOUT,
    )
    token = response.json()["access_token"]
    me = requests.get(
        f"{emulator.url}/v2/authentication/me", headers={"Authorization": f"Bearer {token}"}, timeout=TIMEOUT
    )
    assert me.status_code == 200, me.text
    assert tls.id in me.text


def test_emulator_serves_https_with_the_generated_server_certificate(clean_services):
    emulator = clean_services.emulator
    response = requests.get(f"{emulator.tls_url}/v2/topology", verify=clean_services.certs.ca, timeout=TIMEOUT)
    assert response.status_code == 200
    assert emulator.tls_url.startswith("https://")


def test_describe_is_plain_json_with_what_a_person_needs(clean_services):
    info = json.loads(json.dumps(clean_services.describe()))
    assert set(info) == {"emulator", "idp", "certs", "env"}
    assert info["emulator"]["url"] == clean_services.emulator.url
    assert info["emulator"]["basic_users"]["demo"] == "demo"
    assert info["idp"]["clients"]["secret"]["secret"] == clean_services.idp.clients.secret.secret
    assert info["env"]["CAMUNDA_OAUTH_URL"] == clean_services.idp.token_url


# -- services.py up -----------------------------------------------------------------------------


def test_services_up_runs_in_the_foreground_until_sigterm(tmp_path):
    json_path = tmp_path / "services.json"
    process = subprocess.Popen(  # pylint: disable=consider-using-with
        [
            sys.executable,
            str(SERVICES_SCRIPT),
            "up",
            "--workdir",
            str(tmp_path / "work"),
            "--json",
            str(json_path),
            "--token-ttl",
            "42",
            "--auth",
            "oidc",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert wait_for(json_path.exists, 30), "services.json never appeared"
        info = json.loads(json_path.read_text())
        token = requests.post(
            info["idp"]["token_url"],
            data={
                "grant_type": "client_credentials",
                "client_id": info["idp"]["clients"]["secret"]["id"],
                "client_secret": info["idp"]["clients"]["secret"]["secret"],
            },
            verify=info["idp"]["ca_path"],
            timeout=TIMEOUT,
        ).json()
        assert token["expires_in"] == 42
        topology = f"{info['emulator']['url']}/v2/topology"
        assert requests.get(topology, timeout=TIMEOUT).status_code == 401
        bearer = {"Authorization": f"Bearer {token['access_token']}"}
        assert requests.get(topology, headers=bearer, timeout=TIMEOUT).status_code == 200
        node_pid = info["idp"]["pid"]
    finally:
        process.send_signal(signal.SIGTERM)
        output = process.communicate(timeout=TIMEOUT)[0]
    assert process.returncode == 0, output
    assert "token URL" in output and "stopped" in output
    assert not json_path.exists()
    assert wait_for(lambda: process_is_gone(node_pid), 5)


def test_an_unknown_idp_kind_is_refused_before_anything_starts(tmp_path):
    with pytest.raises(ValueError, match="unknown IdP 'nothing'"):
        services_module.start_services(tmp_path, idp_kind="nothing")
    assert not any(tmp_path.iterdir())
