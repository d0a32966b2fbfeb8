# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The test services behind one interface: certificates, the IdP and the Camunda API emulator.

``start_services(workdir)`` returns a ``Services`` (see tests/support/README.md). As a command,
``python tests/support/services.py up`` starts everything in the foreground, prints the URLs
and credentials, writes them to .build/services/port-<PORT>.json, and stops on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import atexit
import json
import os
import shutil
import signal
import socket
import sys
import threading
import time
from pathlib import Path
from typing import Callable

SUPPORT_DIR = Path(__file__).resolve().parent
REPO_ROOT = SUPPORT_DIR.parent.parent
if str(SUPPORT_DIR) not in sys.path:  # run as a script
    sys.path.insert(0, str(SUPPORT_DIR))

# pylint: disable=wrong-import-position
from certs import Certs, generate_certs  # noqa: E402
from idp import IdpHandle  # noqa: E402
from idp.keycloak import start_keycloak  # noqa: E402
from idp.oidc_provider import DEFAULT_TOKEN_TTL, start_oidc_provider  # noqa: E402
# pylint: enable=wrong-import-position


def _start_emulator(certs: Certs, idp: IdpHandle, port: int = 0, users: dict | None = None):
    """The emulator, trusting the IdP: OIDC mode validates tokens from either token URL; ``users``: its Basic users
    (None: the emulator's default, demo/demo)."""
    # Imported here: tests of the IdP and certificates alone do not need the emulator.
    from emulator import EmulatorServer  # pylint: disable=import-outside-toplevel

    audiences = [idp.audience] + ([idp.saas_audience] if idp.saas_token_url else [])
    server = EmulatorServer(
        auth="none",
        port=port,
        tls_cert=certs.server_cert,
        tls_key=certs.server_key,
        oidc_issuer=idp.issuer,
        oidc_audiences=audiences,
        oidc_ca_path=certs.ca,
        tls_ca_path=certs.ca,
        users=users,
    )
    server.start()
    return server


class Services:
    """What tests get from the ``services`` fixture.

    The emulator starts on first use of ``.emulator`` (it is in-process and quick), so tests
    that only need the IdP or the certificates do not depend on it.
    """

    def __init__(
        self, workdir: Path, certs: Certs, idp: IdpHandle, emulator_port: int = 0, emulator_users: dict | None = None
    ):
        self.workdir = workdir
        self.emulator_port = emulator_port  # 0: a free port
        self.emulator_users = emulator_users
        self.certs = certs
        self.idp = idp
        self._emulator = None
        self._lock = threading.Lock()
        self._stopped = False

    @property
    def emulator(self):
        with self._lock:
            if self._stopped:
                raise RuntimeError("the test services were stopped")
            if self._emulator is None:
                self._emulator = _start_emulator(self.certs, self.idp, self.emulator_port, self.emulator_users)
            return self._emulator

    def reset(self) -> None:
        """Fresh state between tests: emulator defaults, no IdP counts, faults or short TTL."""
        if self._emulator is not None:
            self._emulator.admin.reset()
        self.idp.reset()

    def stop(self) -> None:
        """Stop everything; each part is stopped even if another fails. Safe to call twice."""
        with self._lock:
            if self._stopped:
                return
            self._stopped = True
        atexit.unregister(self.stop)
        errors = []
        for part in (self._emulator, self.idp):
            if part is None:
                continue
            try:
                part.stop()
            except Exception as error:  # pylint: disable=broad-exception-caught
                errors.append(f"{type(part).__name__}: {error}")
        if errors:
            raise RuntimeError("stopping the test services failed: " + "; ".join(errors))

    def __enter__(self) -> "Services":
        return self

    def __exit__(self, *exc_info) -> None:
        self.stop()

    def describe(self) -> dict:
        """Everything a person or a playbook needs to reach the services, as plain data."""
        emulator = self.emulator
        return {
            "emulator": {
                "url": emulator.url,
                "tls_url": emulator.tls_url,
                "audience": emulator.audience,
                "basic_users": emulator.basic_users,
                # What camunda_backup and camunda_backup_info need besides the REST API.
                "management_url": emulator.management_url,
                "optimize_url": emulator.optimize_url,
                "snapshot_url": emulator.snapshot_url,
            },
            "idp": self.idp.describe(),
            "certs": self.certs.as_dict(),
            "env": sdk_environment(emulator.url, self.idp, self.certs),
        }


def sdk_environment(emulator_url: str, idp: IdpHandle, certs: Certs) -> dict:
    """The variables Camunda's SDKs read, set for OIDC with the secret client."""
    return {
        "CAMUNDA_REST_ADDRESS": emulator_url,
        "CAMUNDA_AUTH_STRATEGY": "OAUTH",
        "CAMUNDA_OAUTH_URL": idp.token_url,
        "CAMUNDA_CLIENT_ID": idp.clients.secret.id,
        "CAMUNDA_CLIENT_SECRET": idp.clients.secret.secret,
        "CAMUNDA_TOKEN_AUDIENCE": idp.audience,
        # what the Python and TypeScript SDKs trust for HTTPS: here, the IdP's server certificate
        "CAMUNDA_MTLS_CA_PATH": certs.ca,
    }


# How each kind of IdP starts: (certs, workdir, token_ttl=seconds) -> IdpHandle. Another tier
# (Keycloak) adds its starter here; tests choose with `pytest --idp KIND`.
IdpStarter = Callable[..., IdpHandle]
IDP_STARTERS: dict[str, IdpStarter] = {"oidc-provider": start_oidc_provider, "keycloak": start_keycloak}
DEFAULT_IDP = "oidc-provider"


def start_services(
    workdir: str | os.PathLike,
    token_ttl: int = DEFAULT_TOKEN_TTL,
    idp_kind: str = DEFAULT_IDP,
    emulator_port: int = 0,
    emulator_users: dict | None = None,
) -> Services:
    """Generate certificates and start the IdP into ``workdir``; stopped at exit at the latest."""
    if idp_kind not in IDP_STARTERS:
        raise ValueError(f"unknown IdP {idp_kind!r}; known: {sorted(IDP_STARTERS)}")
    folder = Path(workdir)
    certs = generate_certs(folder / "certs")
    idp = IDP_STARTERS[idp_kind](certs, folder / "idp", token_ttl=token_ttl)
    services = Services(folder, certs, idp, emulator_port, emulator_users)
    atexit.register(services.stop)
    return services


# ---------------------------------------------------------------------------------------------
# `services.py up`: the services in the foreground, for make services / make demo

# Each instance (one per port) keeps its certificates, IdP state and details file apart, so a second
# `make services PORT=8081` neither wipes nor removes the first one's.
SERVICES_DIR = REPO_ROOT / ".build" / "services"


def instance_paths(port: int) -> tuple[Path, Path]:
    """(workdir, details JSON) of the instance on ``port``; port 0 (a free one) gets a folder per process."""
    name = f"port-{port}" if port else f"free-port-{os.getpid()}"
    return SERVICES_DIR / name, SERVICES_DIR / f"{name}.json"


def _write_json_atomically(path: Path, data: dict) -> None:
    # A reader polling for the file never sees half of it.
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2) + "\n")
    temporary.chmod(0o600)  # it holds the test credentials
    temporary.replace(path)


def _summary(info: dict) -> str:
    emulator, idp, cluster = info["emulator"], info["idp"], info["cluster_shape"]
    users = ", ".join(f"{name}/{password}" for name, password in emulator["basic_users"].items())
    lines = [
        f"Camunda API emulator  {emulator['url']}/v2   (https: {emulator['tls_url']})",
        f"  Camunda             {cluster['version']} (API shape {cluster['api_version']}), secondary storage "
        f"{cluster['secondary_storage']}, {cluster['brokers']} broker(s)",
        f"  auth                {info['auth']}",
        f"  basic users         {users or '-'}",
        f"  OIDC audience       {emulator['audience']}",
        f"  management port     {emulator['management_url']}   (exporting, broker backups, partitions)",
        f"  Optimize            {emulator['optimize_url']}",
        f"  snapshot API        {emulator['snapshot_url'] if 'snapshot_url' in info['backup'] else '- (rdbms: no Elasticsearch)'}",
        f"IdP ({idp['kind']})  issuer {idp['issuer']}",
        f"  token URL           {idp['token_url']}",
        f"  SaaS token URL      {idp['saas_token_url']}  (audience {idp['saas_audience']})",
        f"  CA                  {idp['ca_path']}",
    ]
    for name, client in idp["clients"].items():
        credential = client["secret"] or f"cert {client['cert']} key {client['key']}"
        lines.append(f"  client {name:<12} {client['id']}  ({client['auth_method']})  {credential}")
    lines.append("SDK environment (OIDC):")
    lines += [f"  export {name}={value}" for name, value in info["env"].items()]
    if "usage" in info:
        lines.append(f"Use it ({info['cluster']}-like cluster, auth {info['auth']}): paste into a shell in this folder")
        lines += [f"  {line}" for line in info["usage"]]
    return "\n".join(lines)


# `up`'s Basic users: Camunda's default demo/demo, and the user the printed commands log in as. Its password differs
# from its name because Ansible masks every value equal to a secret (no_log): logged in as demo/demo, every "demo"
# in the output, the username included, reads ********.
UP_USERS = {"demo": "demo", "operator": "operator-password"}
LOGIN_USER = "operator"

# `up --cluster`: the shape of the emulated cluster, and the verify_deployment it looks like.
CLUSTER_SHAPES = {
    "c8run": {"brokers": 1, "partitions": 1, "replication_factor": 1},
    "helm": {"brokers": 3, "partitions": 3, "replication_factor": 3},
}
# `up --version`: the release the cluster reports and the shape of its API (8.9 serves 8.8's topology shape;
# 8.10 adds brokerId and the partition state; tests/support/emulator/cluster.py).
VERSIONS = {"8.8": ("8.8.0", "8.8"), "8.9": ("8.9.0", "8.8"), "8.10": ("8.10.0", "8.10")}
DEFAULT_VERSION = "8.8"
STORAGES = ("elasticsearch", "rdbms")


def default_storage(version: str, cluster: str) -> str:
    """What a user of that version and kind of deployment gets without choosing (docs/upstream.md, make services).

    8.8 keeps history in Elasticsearch/OpenSearch only. From 8.9 the lightweight Compose file and C8 Run run on H2
    (rdbms); the 8.9 chart has no default (it refuses to render until the type is set), so Helm keeps Elasticsearch,
    what an 8.8 release upgraded to 8.9 has.
    """
    return "rdbms" if version != "8.8" and cluster == "c8run" else "elasticsearch"


def backup_settings(info: dict) -> dict:
    """The camunda_backup options that reach these services (no snapshot API on rdbms: nothing to snapshot)."""
    emulator = info["emulator"]
    settings = {"management_url": emulator["management_url"], "optimize_url": emulator["optimize_url"]}
    if info["cluster_shape"]["secondary_storage"] == "elasticsearch":
        settings["snapshot_url"] = emulator["snapshot_url"]
    return settings


def usage_commands(info: dict) -> list:
    """Shell lines that use the running services, to paste in this folder: the environment, then the commands.

    The credentials go into the CAMUNDA_* variables that the collection (and Camunda's SDKs) read, so the
    commands carry none. The backup URLs have no environment fallback in the collection: they are shell
    variables, passed as options.
    """
    emulator, idp, auth = info["emulator"], info["idp"], info["auth"]
    lines = [
        'export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_COLLECTIONS_PATH="$PWD/.build/collections"',
        f"export CAMUNDA_REST_ADDRESS={emulator['url']}",
    ]
    if auth == "basic":
        username, password = LOGIN_USER, emulator["basic_users"][LOGIN_USER]
        lines.append(
            f"export CAMUNDA_AUTH_STRATEGY=BASIC CAMUNDA_BASIC_AUTH_USERNAME={username} "
            f"CAMUNDA_BASIC_AUTH_PASSWORD={password}"
        )
    elif auth == "oidc":
        client = idp["clients"]["secret"]
        lines.append(
            f"export CAMUNDA_AUTH_STRATEGY=OAUTH CAMUNDA_OAUTH_URL={idp['token_url']} "
            f"CAMUNDA_CLIENT_ID={client['id']} CAMUNDA_CLIENT_SECRET={client['secret']} "
            f"CAMUNDA_CA_CERTIFICATE_PATH={idp['ca_path']}"
        )
    else:
        lines.append("export CAMUNDA_AUTH_STRATEGY=NONE")
    backup = info["backup"]
    # Shell variables named as the options they fill (no export: no process reads them).
    lines.append(" ".join(f"{name}={url}" for name, url in backup.items()))
    backup_options = " ".join(f"{name}=${name}" for name in backup)
    lines += [
        "ansible localhost -m community.camunda.camunda_topology -a fail_on_unhealthy=true",
        f"ansible-playbook community.camunda.verify -i localhost, -e verify_deployment={info['cluster']} "
        f"-e verify_expected_auth_method={auth}",
        f'ansible localhost -m community.camunda.camunda_backup_info -a "{backup_options}"',
    ]
    return lines


def _interrupt(signum, frame):  # pylint: disable=unused-argument
    raise KeyboardInterrupt


def port_in_use(port: int) -> bool:
    """True when something already listens on 127.0.0.1:port (another instance, or another program)."""
    if not port:
        return False
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def run_up(
    workdir: Path | None,
    json_path: Path | None,
    token_ttl: int,
    auth: str,
    idp_kind: str = DEFAULT_IDP,
    port: int = 0,
    cluster: str = "helm",
    version: str = DEFAULT_VERSION,
    storage: str | None = None,
) -> int:
    default_workdir, default_json = instance_paths(port)
    workdir, json_path = workdir or default_workdir, json_path or default_json
    storage = storage or default_storage(version, cluster)
    if storage == "rdbms" and version == "8.8":
        print(
            "STORAGE=rdbms needs VERSION=8.9 or later (8.8 keeps its history in Elasticsearch or OpenSearch only): "
            "use STORAGE=elasticsearch, or VERSION=8.9",
            file=sys.stderr,
        )
        return 2
    # Checked before anything is written: the instance already there keeps its certificates and state.
    if port_in_use(port):
        print(
            f"port {port} is taken (another make services? its details: {json_path}); stop it with Ctrl-C in "
            f"its terminal, or start this one with PORT=<another port>",
            file=sys.stderr,
        )
        return 2
    # SIGTERM (make, a CI step, kill) stops as cleanly as Ctrl-C, even during start-up.
    signal.signal(signal.SIGTERM, _interrupt)
    shutil.rmtree(workdir, ignore_errors=True)
    started = time.monotonic()
    name = f"the test services on port {port}" if port else "the test services"
    try:
        with start_services(
            workdir, token_ttl=token_ttl, idp_kind=idp_kind, emulator_port=port, emulator_users=UP_USERS
        ) as services:
            release, api_version = VERSIONS[version]
            services.emulator.admin.set_auth(auth)
            services.emulator.admin.set_cluster(
                **CLUSTER_SHAPES[cluster], version=release, api_version=api_version, secondary_storage=storage
            )
            shape = services.emulator.admin.state()["cluster"]
            info = services.describe() | {"auth": auth, "cluster": cluster, "pid": os.getpid(), "cluster_shape": shape}
            info["backup"] = backup_settings(info)
            info["usage"] = usage_commands(info)
            _write_json_atomically(json_path, info)
            try:
                print(_summary(info))
                print(f"ready in {time.monotonic() - started:.1f} s; details in {json_path}; Ctrl-C stops", flush=True)
                while True:
                    time.sleep(3600)
            finally:
                json_path.unlink(missing_ok=True)
    except KeyboardInterrupt:
        pass
    print(f"stopped {name} (details {json_path} removed; other instances untouched)", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    up = commands.add_parser("up", help="start everything in the foreground until Ctrl-C")
    up.add_argument("--workdir", type=Path, help="certificates and IdP state (default .build/services/port-<PORT>)")
    up.add_argument("--json", type=Path, help="where to write the details (default .build/services/port-<PORT>.json)")
    up.add_argument("--token-ttl", type=int, default=DEFAULT_TOKEN_TTL, help="seconds")
    up.add_argument(
        "--auth",
        choices=["none", "basic", "oidc"],
        default="none",
        help="what the emulator enforces (tests switch it with emulator.admin.set_auth)",
    )
    up.add_argument("--idp", choices=sorted(IDP_STARTERS), default=DEFAULT_IDP, help="the identity provider")
    up.add_argument("--port", type=int, default=0, help="the emulator's HTTP port (0: a free one; make services: 8080)")
    up.add_argument(
        "--cluster",
        choices=sorted(CLUSTER_SHAPES),
        default="helm",
        help="c8run: 1 broker, 1 partition; helm: 3 brokers, 3 partitions, replication factor 3",
    )
    up.add_argument(
        "--version",
        choices=list(VERSIONS),
        default=DEFAULT_VERSION,
        help="the Camunda release the cluster reports, with that release's API shape",
    )
    up.add_argument(
        "--storage",
        choices=STORAGES,
        help="secondary storage (8.9+ for rdbms); default: rdbms for c8run from 8.9, else elasticsearch",
    )
    args = parser.parse_args(argv)
    return run_up(
        args.workdir,
        args.json,
        args.token_ttl,
        args.auth,
        args.idp,
        args.port,
        args.cluster,
        args.version,
        args.storage,
    )


if __name__ == "__main__":
    sys.exit(main())
