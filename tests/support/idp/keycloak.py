# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keycloak behind the IdP handle: the Keycloak tier (``pytest --idp keycloak``, ``make test-keycloak``).

``start_keycloak(certs, workdir)`` prepares the cached distribution (``keycloak_dist``), writes our
``camunda-platform`` realm (``keycloak-realm.json``) for import, and starts ``kc.sh start-dev`` in its own
process group: HTTPS only, on free ports of 127.0.0.1, under ``/auth``, with our server certificate,
``--https-client-auth=request`` and a PKCS#12 trust store that holds only our test CA, health on the
management port. The handle drives Keycloak through its admin REST API with a bootstrap admin client
made for this run: the realm's ``accessTokenLifespan`` (``set_token_ttl``) and its login events
(``token_requests``). Keycloak has no fault injection: ``set_faults`` raises NotImplementedError.

As a command, ``python tests/support/idp/keycloak.py measure`` starts it once with fresh certificates,
gets a token with each client, and prints the start time and memory.
"""

from __future__ import annotations

import argparse
import atexit
import functools
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from cryptography import x509
from cryptography.hazmat.primitives.serialization import BestAvailableEncryption, pkcs12

if __name__ == "__main__":  # run as a script: tests/support on the path, as conftest.py does
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# pylint: disable=wrong-import-position
from idp import Client, Clients, IdpHandle  # noqa: E402
from idp import keycloak_dist  # noqa: E402
# pylint: enable=wrong-import-position

REALM_FILE = Path(__file__).resolve().parent / "keycloak-realm.json"
REALM = "camunda-platform"
RELATIVE_PATH = "/auth"
AUDIENCE = "orchestration-api"
SAAS_AUDIENCE = "zeebe.camunda.io"
DEFAULT_TOKEN_TTL = 300  # Keycloak's default access token lifespan
READY_TIMEOUT = 240.0
ADMIN_TIMEOUT = 10
# Password of the trust store file that this run writes (it holds only the public test CA).
TRUST_STORE_PASSWORD = "truststore-password"
# Login events of the token endpoint: a token issued, a token request refused.
EVENT_OUTCOMES = {"ok": "CLIENT_LOGIN", "failed": "CLIENT_LOGIN_ERROR"}
MAX_EVENTS = 100000


class KeycloakStartError(RuntimeError):
    """Keycloak did not start; the message carries the end of its log."""


def _realm(certs, token_ttl: int) -> dict:
    """Our realm JSON with what depends on this run: the client certificate's DN, the CA's DN, the TTL."""
    realm = json.loads(REALM_FILE.read_text(encoding="utf-8"))
    realm["accessTokenLifespan"] = token_ttl
    with open(certs.ca, "rb") as handle:
        ca_subject = x509.load_pem_x509_certificate(handle.read()).subject.rfc4514_string()
    for client in realm["clients"]:
        if client["clientAuthenticatorType"] == "client-x509":
            client["attributes"]["x509.subjectdn"] = certs.client_subject_dn
            client["attributes"]["x509.casubjectdn"] = ca_subject
        if client["clientAuthenticatorType"] == "client-jwt":
            client["attributes"]["jwt.credential.certificate"] = _pem_body(certs.client_cert)
    return realm


def _pem_body(path: str) -> str:
    """A PEM certificate as Keycloak's realm JSON holds it: the base64 lines without the armour."""
    with open(path, encoding="ascii") as handle:
        return "".join(line.strip() for line in handle if line.strip() and not line.startswith("-----"))


def _clients(realm: dict, certs) -> Clients:
    by_method = {client["clientAuthenticatorType"]: client for client in realm["clients"]}
    secret, tls, assertion = by_method["client-secret"], by_method["client-x509"], by_method["client-jwt"]
    return Clients(
        # Keycloak's client-secret authenticator takes the secret in the body or by HTTP Basic
        secret=Client(secret["clientId"], "client_secret_basic", secret=secret["secret"]),
        tls=Client(tls["clientId"], "tls_client_auth", cert=certs.client_cert, key=certs.client_key),
        self_signed=None,  # Keycloak has no self_signed_tls_client_auth
        assertion=Client(assertion["clientId"], "private_key_jwt", cert=certs.client_cert, key=certs.client_key),
    )


def _write_trust_store(certs, path: Path) -> None:
    """A PKCS#12 trust store with our test CA alone, for --https-trust-store-file."""
    with open(certs.ca, "rb") as handle:
        ca = x509.load_pem_x509_certificate(handle.read())
    data = pkcs12.serialize_java_truststore(
        [pkcs12.PKCS12Certificate(ca, b"community.camunda test ca")],
        BestAvailableEncryption(TRUST_STORE_PASSWORD.encode()),
    )
    path.write_bytes(data)


def _options(certs, home: Path, ports: dict) -> list[str]:
    return [
        "start-dev",
        *keycloak_dist.BUILD_OPTIONS,
        "--import-realm",
        # development mode listens on plain HTTP whatever --http-enabled says: give it a free port too
        "--http-host=127.0.0.1",
        f"--http-port={ports['http']}",
        f"--https-port={ports['https']}",
        f"--https-certificate-file={certs.server_cert}",
        f"--https-certificate-key-file={certs.server_key}",
        "--https-client-auth=request",
        f"--https-trust-store-file={home / 'truststore.p12'}",
        f"--https-trust-store-password={TRUST_STORE_PASSWORD}",
        "--http-management-host=127.0.0.1",
        f"--http-management-port={ports['management']}",
        "--log-console-color=false",
    ]


def start_keycloak(
    certs,
    workdir: str | os.PathLike,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    version: str = keycloak_dist.DEFAULT_VERSION,
    ready_timeout: float = READY_TIMEOUT,
) -> "KeycloakIdp":
    """Keycloak in development mode with our realm, ready to issue tokens; stopped at exit at the latest."""
    try:
        distribution = keycloak_dist.prepare(version)
    except keycloak_dist.KeycloakUnavailable as reason:
        raise KeycloakStartError(f"Keycloak is not available here: {reason}") from reason
    folder = Path(workdir)
    home = keycloak_dist.make_home(distribution, folder / "home")
    realm = _realm(certs, token_ttl)
    (home / "data" / "import" / f"{REALM}-realm.json").write_text(json.dumps(realm, indent=2), encoding="utf-8")
    _write_trust_store(certs, home / "truststore.p12")
    ports = {name: keycloak_dist.free_port() for name in ("http", "https", "management")}
    admin = (f"test-admin-{secrets.token_hex(4)}", secrets.token_urlsafe(24))
    log = folder / "keycloak.log"
    environ = keycloak_dist.keycloak_environment(
        distribution.java, {"KC_BOOTSTRAP_ADMIN_CLIENT_ID": admin[0], "KC_BOOTSTRAP_ADMIN_CLIENT_SECRET": admin[1]}
    )
    command = keycloak_dist.parent_death_prefix() + [
        "/bin/sh",
        str(home / "bin" / "kc.sh"),
        *_options(certs, home, ports),
    ]
    started = time.monotonic()
    with open(log, "wb") as out:
        # pylint: disable-next=consider-using-with
        process = subprocess.Popen(
            command,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=environ,
            start_new_session=True,
        )
    stop_at_exit = functools.partial(keycloak_dist.terminate_group, process)
    atexit.register(stop_at_exit)
    try:
        _await_ready(
            process,
            f"https://localhost:{ports['management']}{RELATIVE_PATH}/health/ready",
            certs.ca,
            log,
            ready_timeout,
        )
    except BaseException:
        keycloak_dist.terminate_group(process)
        atexit.unregister(stop_at_exit)
        raise
    idp = KeycloakIdp(process, distribution, certs, ports["https"], admin, _clients(realm, certs), token_ttl, log)
    idp.stop_at_exit = stop_at_exit
    idp.start_seconds = round(time.monotonic() - started, 1)
    return idp


def _await_ready(process: subprocess.Popen, health_url: str, ca_path: str, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise KeycloakStartError(f"Keycloak exited with status {process.returncode}:\n{keycloak_dist.tail(log)}")
        try:
            if requests.get(health_url, verify=ca_path, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.25)
    raise KeycloakStartError(f"Keycloak was not ready within {timeout:.0f} s:\n{keycloak_dist.tail(log)}")


class KeycloakIdp(IdpHandle):
    kind = "keycloak"

    def __init__(
        self,
        process,
        distribution,
        certs,
        https_port: int,
        admin: tuple[str, str],
        clients: Clients,
        token_ttl: int,
        log: Path,
    ):
        self.process = process
        self.version = distribution.version
        self.java = distribution.java
        self.log_path = str(log)
        self.https_port = https_port
        self.origin = f"https://localhost:{https_port}{RELATIVE_PATH}"
        self.issuer = f"{self.origin}/realms/{REALM}"
        self.token_url = f"{self.issuer}/protocol/openid-connect/token"
        self.jwks_url = f"{self.issuer}/protocol/openid-connect/certs"
        self.saas_token_url = None  # Keycloak has no Auth0-like endpoint
        self.saas_audience = SAAS_AUDIENCE
        self.audience = AUDIENCE
        self.resource = None  # Keycloak ignores `resource` (resource indicators are not enabled)
        self.ca_path = certs.ca
        self.clients = clients
        self.default_token_ttl = token_ttl
        self.start_seconds = None
        self.stop_at_exit = None
        self._ttl = token_ttl
        self._admin_client = admin
        self._admin_token = None
        self._admin_token_expiry = 0.0
        self._session = requests.Session()
        self._session.headers['Connection'] = 'close'  # as the oidc-provider handle: no idle keep-alive to race

    # -- admin REST API (Keycloak's own, with the bootstrap admin client of this run) ---------------

    def _admin_bearer(self, renew: bool = False) -> str:
        if renew or self._admin_token is None or time.monotonic() > self._admin_token_expiry:
            response = self._session.post(
                f"{self.origin}/realms/master/protocol/openid-connect/token",
                data={"grant_type": "client_credentials"},
                auth=self._admin_client,
                verify=self.ca_path,
                timeout=ADMIN_TIMEOUT,
            )
            response.raise_for_status()
            body = response.json()
            self._admin_token = body["access_token"]
            self._admin_token_expiry = time.monotonic() + body.get("expires_in", 60) - 10
        return self._admin_token

    def admin(self, method: str, path: str, **kwargs) -> requests.Response:
        """A request to ``/admin/realms/camunda-platform{path}``; raises for an error status."""
        url = f"{self.origin}/admin/realms/{REALM}{path}"
        for renew in (False, True):
            headers = {"Authorization": f"Bearer {self._admin_bearer(renew)}"}
            response = self._session.request(
                method, url, headers=headers, verify=self.ca_path, timeout=ADMIN_TIMEOUT, **kwargs
            )
            if response.status_code != 401:
                break
        response.raise_for_status()
        return response

    def events(self, client_id: str | None = None, types: tuple[str, ...] = tuple(EVENT_OUTCOMES.values())) -> list:
        """The realm's login events of these types, newest first (``clientId``, ``error``, ``details``...)."""
        params = {"type": list(types), "max": MAX_EVENTS}
        if client_id is not None:
            params["client"] = client_id
        return self.admin("GET", "/events", params=params).json()

    def token_requests(self, client_id: str | None = None, outcome: str | None = None) -> int:
        # Keycloak records a CLIENT_LOGIN or CLIENT_LOGIN_ERROR event for every client credentials request
        # that reaches the token endpoint, in the request's own transaction: it is there when the answer is.
        # A client certificate that fails the TLS handshake never reaches it, so it is not counted.
        types = (EVENT_OUTCOMES[outcome],) if outcome else tuple(EVENT_OUTCOMES.values())
        return len(self.events(client_id, types))

    def reset_counts(self) -> None:
        self.admin("DELETE", "/events")

    def set_token_ttl(self, seconds: int) -> None:
        if not isinstance(seconds, int) or seconds < 1:
            raise ValueError(f"the token lifetime must be a positive number of seconds, not {seconds!r}")
        self.admin("PUT", "", json={"accessTokenLifespan": seconds})
        self._ttl = seconds

    def set_faults(self, status: int = 503, count: int = 2, retry_after: int | None = 1) -> None:
        if count:
            raise NotImplementedError(
                "Keycloak has no fault injection for its token endpoint; tests that need IdP faults run with "
                "--idp oidc-provider (mark them @pytest.mark.only_idp('oidc-provider', reason=...))"
            )

    def reset(self) -> None:
        self.reset_counts()
        if self._ttl != self.default_token_ttl:
            self.set_token_ttl(self.default_token_ttl)

    def rss_kib(self) -> int | None:
        """Resident memory of Keycloak's JVM (Linux), for reports."""
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                pid = int(status.parent.name)
                if (
                    os.getpgid(pid) != self.process.pid
                    or Path(f"/proc/{pid}/comm").read_text(encoding="utf-8").strip() != "java"
                ):
                    continue
                text = status.read_text(encoding="utf-8")
            except (OSError, ValueError):
                continue
            line = next((ln for ln in text.splitlines() if ln.startswith("VmRSS:")), "")
            return int(line.split()[1]) if line else None
        return None

    def reaugmented(self) -> bool:
        """Whether this start rebuilt Keycloak (its options differ from the cached build: a bug here)."""
        with open(self.log_path, encoding="utf-8", errors="replace") as log:
            return any(keycloak_dist.REAUGMENTATION_MARK in line for line in log)

    def stop(self) -> None:
        keycloak_dist.terminate_group(self.process)
        if self.stop_at_exit:
            atexit.unregister(self.stop_at_exit)
        self._session.close()

    def describe(self) -> dict:
        return {
            **super().describe(),
            "version": self.version,
            "java": self.java.version,
            "admin_url": f"{self.origin}/admin/realms/{REALM}",
            "pid": self.process.pid,
            "log": self.log_path,
        }


def measure(workdir: Path, version: str) -> int:
    """Start Keycloak once, get a token with each client, print the figures, stop."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from certs import generate_certs  # pylint: disable=import-outside-toplevel

    began = time.monotonic()
    distribution = keycloak_dist.prepare(version)
    prepared = time.monotonic() - began
    certs = generate_certs(workdir / "certs")
    idp = start_keycloak(certs, workdir / "idp", version=version)
    try:
        rss_ready = idp.rss_kib()
        secret, tls = idp.clients.secret, idp.clients.tls
        timings = []
        while len(timings) < 5:
            sent = time.monotonic()
            requests.post(
                idp.token_url,
                data={"grant_type": "client_credentials", "client_id": secret.id, "client_secret": secret.secret},
                verify=idp.ca_path,
                timeout=10,
            ).raise_for_status()
            requests.post(
                idp.token_url,
                data={"grant_type": "client_credentials", "client_id": tls.id},
                cert=(tls.cert, tls.key),
                verify=idp.ca_path,
                timeout=10,
            ).raise_for_status()
            timings.append((time.monotonic() - sent) / 2)
        print(f"Keycloak {idp.version} on Java {distribution.java.version} ({distribution.java.source})")
        print(
            f"  cache: {'prepared in %.1f s' % prepared if distribution.prepared_seconds else 'ready'}"
            f" ({distribution.home})"
        )
        print(
            f"  start to ready: {idp.start_seconds} s; RSS at ready {rss_ready // 1024} MiB, "
            f"after 10 token requests {idp.rss_kib() // 1024} MiB"
        )
        print(f"  token request with a new TLS connection: {min(timings) * 1000:.0f}-{max(timings) * 1000:.0f} ms")
        print(f"  token requests counted: {idp.token_requests()}")
    finally:
        stopping = time.monotonic()
        idp.stop()
        print(f"  stopped in {time.monotonic() - stopping:.1f} s")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    figures = commands.add_parser("measure", help="start Keycloak once and print start time and memory")
    figures.add_argument("--version", default=keycloak_dist.DEFAULT_VERSION)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="keycloak-measure-") as folder:
        return measure(Path(folder), args.version)


if __name__ == "__main__":
    sys.exit(main())
