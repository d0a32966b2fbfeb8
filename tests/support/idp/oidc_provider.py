# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Start and drive npm's oidc-provider through our ``idp.mjs``.

The node process runs in its own process group, reads its settings from a JSON file that we
write, and prints one JSON line on stdout when it listens. It also exits when its stdin closes,
so that it dies with the Python process that started it, even one that was killed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from pathlib import Path

import requests

from idp import Client, Clients, IdpHandle

# The process helpers both IdP implementations use (tail of a log, stopping a process group).
from idp.keycloak_dist import tail, terminate_group

# oidc-provider stops within a second; Keycloak's JVM gets longer (keycloak_dist's default).
IDP_STOP_GRACE = 5.0

IDP_DIR = Path(__file__).resolve().parent
IDP_SCRIPT = IDP_DIR / "idp.mjs"
REALM_PATH = "/auth/realms/camunda-platform"
SAAS_TOKEN_PATH = "/oauth/token"
AUDIENCE = "orchestration-api"
RESOURCE = "urn:camunda:orchestration-api"
SAAS_AUDIENCE = "zeebe.camunda.io"
DEFAULT_TOKEN_TTL = 300  # Keycloak's default access token lifespan
# Test-only credential, exposed through the handle (never hard-coded in tests).
# The secret shares no text with the client id, so tests that search output for it cannot be fooled.
SECRET_CLIENT = Client("camunda-secret-client", "client_secret_basic", secret="s3cr3t-0f-the-test-idp")
ADMIN_TIMEOUT = 5


class IdpStartError(RuntimeError):
    """The IdP did not start; the message carries the end of its log."""


def _clients(certs) -> Clients:
    return Clients(
        secret=SECRET_CLIENT,
        tls=Client("camunda-tls-client", "tls_client_auth", cert=certs.client_cert, key=certs.client_key),
        self_signed=Client(
            "camunda-self-signed-client",
            "self_signed_tls_client_auth",
            cert=certs.self_signed_cert,
            key=certs.self_signed_key,
        ),
        assertion=Client("camunda-assertion-client", "private_key_jwt", cert=certs.client_cert, key=certs.client_key),
    )


def _client_config(clients: Clients, certs) -> list[dict]:
    return [
        {
            "client_id": clients.secret.id,
            "auth_method": clients.secret.auth_method,
            "client_secret": clients.secret.secret,
        },
        {"client_id": clients.tls.id, "auth_method": clients.tls.auth_method, "subject_dn": certs.client_subject_dn},
        {
            "client_id": clients.self_signed.id,
            "auth_method": clients.self_signed.auth_method,
            "certificate": certs.self_signed_cert,
        },
        {
            "client_id": clients.assertion.id,
            "auth_method": clients.assertion.auth_method,
            "certificate": clients.assertion.cert,
        },
    ]


def _config(certs, clients: Clients, token_ttl: int, https_port: int, http_port: int | None):
    return {
        "bind": "127.0.0.1",
        "public_host": "localhost",
        "https_port": https_port,
        "http_port": http_port,
        "server_cert": certs.server_cert,
        "server_key": certs.server_key,
        "client_ca": certs.ca,
        "realm_path": REALM_PATH,
        "saas_token_path": SAAS_TOKEN_PATH,
        "audience": AUDIENCE,
        "resource": RESOURCE,
        "saas_audiences": [SAAS_AUDIENCE],
        "scopes": ["openid", "profile", "email", "camunda"],
        "token_ttl": token_ttl,
        "exit_on_stdin_close": True,
        "clients": _client_config(clients, certs),
    }


def _node() -> str:
    node = shutil.which("node")
    if not node:
        raise IdpStartError("node is not on PATH: the test IdP needs Node.js 20 or later")
    if not (IDP_DIR / "node_modules" / "oidc-provider").is_dir():
        raise IdpStartError(
            f"oidc-provider is not installed in {IDP_DIR}: run `make setup` (or `npm ci --prefix {IDP_DIR}`)"
        )
    return node


def _await_ready(process: subprocess.Popen, stdout_log: Path, stderr_log: Path, timeout: float):
    """The JSON ready line, once idp.mjs listens; IdpStartError if it dies or stays silent."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        first_line = stdout_log.read_text(encoding="utf-8").partition("\n")
        if first_line[1]:
            return json.loads(first_line[0])
        if process.poll() is not None:
            raise IdpStartError(f"the IdP exited with status {process.returncode}:\n{tail(stderr_log, lines=20)}")
        time.sleep(0.02)
    terminate_group(process, grace=IDP_STOP_GRACE)
    raise IdpStartError(f"the IdP was not ready within {timeout} s:\n{tail(stderr_log, lines=20)}")


def start_oidc_provider(
    certs,
    workdir: str | os.PathLike,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    https_port: int = 0,
    http_port: int | None = 0,
    ready_timeout: float = 30.0,
) -> "OidcProviderIdp":
    """Start idp.mjs with the given certificates; ports 0 pick free ones, http_port None: no HTTP."""
    node = _node()
    folder = Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    clients = _clients(certs)
    config_path = folder / "idp.json"
    config = _config(certs, clients, token_ttl, https_port, http_port)
    config_path.write_text(json.dumps(config), encoding="utf-8")
    stdout_log, stderr_log = folder / "idp.stdout.log", folder / "idp.log"
    process = _spawn([node, str(IDP_SCRIPT), str(config_path)], stdout_log, stderr_log)
    ready = _await_ready(process, stdout_log, stderr_log, ready_timeout)
    return OidcProviderIdp(process, ready, certs, clients, token_ttl, stderr_log)


def _spawn(command: list[str], stdout_log: Path, stderr_log: Path) -> subprocess.Popen:
    """Its own process group (stopped as a whole); stdin is a pipe that only we hold."""
    with open(stdout_log, "wb") as out, open(stderr_log, "wb") as err:
        # pylint: disable-next=consider-using-with
        return subprocess.Popen(
            command,
            cwd=IDP_DIR,
            stdin=subprocess.PIPE,
            stdout=out,
            stderr=err,
            start_new_session=True,
        )


class OidcProviderIdp(IdpHandle):
    kind = "oidc-provider"

    def __init__(self, process, ready: dict, certs, clients: Clients, token_ttl: int, log: Path):
        self.process = process
        self.log_path = str(log)
        self.https_port = ready["https_port"]
        self.http_port = ready["http_port"]
        self.origin = f"https://localhost:{self.https_port}"
        self.issuer = ready["issuer"]
        self.token_url = f"{self.issuer}/protocol/openid-connect/token"
        self.jwks_url = f"{self.issuer}/protocol/openid-connect/certs"
        self.saas_token_url = f"{self.origin}{SAAS_TOKEN_PATH}"
        self.saas_audience = SAAS_AUDIENCE
        self.audience = AUDIENCE
        self.resource = RESOURCE
        self.ca_path = certs.ca
        self.clients = clients
        self.default_token_ttl = token_ttl
        # Plain-HTTP twins of the token URLs (same issuer, no mTLS), None when HTTP is off.
        http_origin = f"http://localhost:{self.http_port}" if self.http_port else None
        self.http_token_url = self.token_url.replace(self.origin, http_origin) if http_origin else None
        self._session = requests.Session()
        # A fresh connection per admin call: Node closes an idle keep-alive connection after 5 s, and a request sent
        # on it at that moment fails with 'Remote end closed connection without response'.
        self._session.headers['Connection'] = 'close'

    # -- admin API (oidc-provider specifics stay behind these methods) -------------------------

    def _admin(self, method: str, action: str, body: dict | None = None):
        response = self._session.request(
            method,
            f"{self.origin}/__idp__/{action}",
            json=body,
            verify=self.ca_path,
            timeout=ADMIN_TIMEOUT,
        )
        response.raise_for_status()
        return response.json()

    def token_request_counts(self) -> dict[str, dict[str, int]]:
        """{client_id: {'ok': n, 'failed': m}}; '' for requests that named no client."""
        return self._admin("GET", "counts")

    def token_requests(self, client_id: str | None = None, outcome: str | None = None) -> int:
        outcomes = (outcome,) if outcome else ("ok", "failed")
        counts = self.token_request_counts()
        selected = [counts.get(client_id, {})] if client_id is not None else counts.values()
        return sum(entry.get(name, 0) for entry in selected for name in outcomes)

    def refusals(self) -> list[dict]:
        """Recent refused token requests with the reason the answer leaves out (``detail``)."""
        return self._admin("GET", "refusals")

    def reset_counts(self) -> None:
        self._admin("POST", "counts/reset")

    def set_token_ttl(self, seconds: int) -> None:
        self._admin("POST", "ttl", {"seconds": seconds})

    def set_faults(self, status: int = 503, count: int = 2, retry_after: int | None = 1) -> None:
        self._admin("POST", "faults", {"status": status, "count": count, "retry_after": retry_after})

    def set_token_shape(
        self,
        audience: str | None = None,
        issuer: str | None = None,
        kid: str | None = None,
        clock_offset_s: int | None = None,
    ) -> None:
        """Traps for diagnosis tests, in the tokens issued from now on (still signed with the real key):
        ``aud`` = audience, ``iss`` = issuer, header ``kid`` = kid (not in the JWKS), and a clock that is
        ``clock_offset_s`` seconds ahead (negative: behind) in ``iat``, ``exp`` and every ``Date`` header.
        No arguments: the truth again (``reset()`` does that too)."""
        self._admin(
            "POST",
            "token-shape",
            {"audience": audience, "issuer": issuer, "kid": kid, "clock_offset_s": clock_offset_s},
        )

    def reset(self) -> None:
        # one round trip: idp.mjs goes back to the TTL it was started with (default_token_ttl)
        self._admin("POST", "reset")

    def state(self) -> dict:
        return self._admin("GET", "state")

    def rss_kib(self) -> int | None:
        """Resident memory of the node process (Linux), for reports."""
        try:
            status = Path(f"/proc/{self.process.pid}/status").read_text(encoding="utf-8")
        except OSError:
            return None
        line = next((ln for ln in status.splitlines() if ln.startswith("VmRSS:")), "")
        return int(line.split()[1]) if line else None

    def stop(self) -> None:
        terminate_group(self.process, grace=IDP_STOP_GRACE)
        self._session.close()

    def describe(self) -> dict:
        return {
            **super().describe(),
            "http_token_url": self.http_token_url,
            "admin_url": f"{self.origin}/__idp__/",
            "pid": self.process.pid,
            "log": self.log_path,
        }
