# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real Kubernetes API server (etcd + kube-apiserver, no kubelet) on loopback, for helm's apply path.

`start_kube_api(workdir)` starts etcd and kube-apiserver on free 127.0.0.1 ports with their data in `workdir`, waits
until `/readyz` answers 200 and returns a KubeApi: `.kubeconfig` (a path; the object is path-like too), `.url`,
`.token` (a static token of a `system:masters` user), `.stop()`; str() and os.fspath() give the kubeconfig path.
Pods never run: only the API and its storage do.
Flags follow ../shared/upstream/README.md ("A real Kubernetes API server").
"""

from __future__ import annotations

import secrets
import signal
import socket
import ssl
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

import tools

READY_TIMEOUT = 120  # seconds; kube-apiserver is ready after about 15 s on two busy cores


def free_port():
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


@dataclass
class KubeApi:
    kubeconfig: Path
    url: str
    token: str = field(repr=False)  # never in a test report
    processes: list = field(default_factory=list, repr=False)

    def __fspath__(self):
        return str(self.kubeconfig)

    def __str__(self):
        return str(self.kubeconfig)

    def stop(self):
        for process in reversed(self.processes):
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.processes.clear()


def _wait_until(check, what, processes, logs, timeout=READY_TIMEOUT):
    """Poll `check` until it is true; stop early, with the log, when a process exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for process, log in zip(processes, logs):
            if process.poll() is not None:
                raise RuntimeError(
                    f'{what}: {process.args[0]} exited with {process.returncode}:\n'
                    + Path(log).read_text(errors='replace')[-3000:]
                )
        if check():
            return
        time.sleep(0.2)  # polling interval of a readiness probe, not a wait for an assumed duration
    raise RuntimeError(f'{what}: not ready after {timeout} s:\n' + Path(logs[-1]).read_text(errors='replace')[-3000:])


def _answers(url, token=None, context=None):
    request = urllib.request.Request(url, headers={'Authorization': f'Bearer {token}'} if token else {})
    try:
        with urllib.request.urlopen(request, timeout=5, context=context) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


def start_kube_api(workdir):
    etcd, apiserver = tools.go_tool('etcd'), tools.go_tool('kube-apiserver')
    if not (etcd and apiserver):
        raise RuntimeError(tools.skip_reason('etcd') or tools.skip_reason('kube-apiserver'))
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    client_port, peer_port, api_port = free_port(), free_port(), free_port()
    etcd_url, peer_url = f'http://127.0.0.1:{client_port}', f'http://127.0.0.1:{peer_port}'
    api = KubeApi(kubeconfig=workdir / 'kubeconfig', url=f'https://127.0.0.1:{api_port}', token=secrets.token_hex(16))
    logs = [workdir / 'etcd.log', workdir / 'kube-apiserver.log']
    try:
        with open(logs[0], 'wb') as log:
            api.processes.append(
                subprocess.Popen(
                    [
                        str(etcd),
                        '--name=default',
                        f'--data-dir={workdir / "etcd"}',
                        f'--listen-client-urls={etcd_url}',
                        f'--advertise-client-urls={etcd_url}',
                        f'--listen-peer-urls={peer_url}',
                        f'--initial-advertise-peer-urls={peer_url}',
                        f'--initial-cluster=default={peer_url}',
                        '--listen-metrics-urls=',
                        '--log-level=warn',
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            )
        _wait_until(lambda: _answers(f'{etcd_url}/health'), 'etcd', api.processes, logs[:1])

        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        (workdir / 'sa.key').write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        (workdir / 'sa.pub').write_bytes(
            key.public_key().public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        )
        tokens = workdir / 'tokens.csv'
        tokens.write_text(f'{api.token},admin,admin,system:masters\n')
        tokens.chmod(0o600)
        with open(logs[1], 'wb') as log:
            api.processes.append(
                subprocess.Popen(
                    [
                        str(apiserver),
                        f'--etcd-servers={etcd_url}',
                        '--bind-address=127.0.0.1',
                        '--advertise-address=127.0.0.1',
                        f'--secure-port={api_port}',
                        f'--cert-dir={workdir / "certs"}',
                        f'--token-auth-file={tokens}',
                        '--authorization-mode=RBAC',
                        '--allow-privileged=true',
                        '--service-cluster-ip-range=10.96.0.0/16',
                        f'--service-account-key-file={workdir / "sa.pub"}',
                        f'--service-account-signing-key-file={workdir / "sa.key"}',
                        '--service-account-issuer=https://kubernetes.default.svc',
                        '--enable-priority-and-fairness=false',
                    ],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    stdin=subprocess.DEVNULL,
                )
            )
        insecure = ssl.create_default_context()
        insecure.check_hostname, insecure.verify_mode = False, ssl.CERT_NONE  # only until its certificate exists
        _wait_until(lambda: _answers(f'{api.url}/readyz', api.token, insecure), 'kube-apiserver', api.processes, logs)
        # The serving certificate kube-apiserver made for itself is self-signed: trust exactly it.
        certificate = workdir / 'certs' / 'apiserver.crt'
        api.kubeconfig.write_text(
            'apiVersion: v1\nkind: Config\ncurrent-context: test\n'
            f'clusters:\n- name: test\n  cluster:\n    server: {api.url}\n    certificate-authority: {certificate}\n'
            'users:\n- name: admin\n  user:\n    token: ' + api.token + '\n'
            'contexts:\n- name: test\n  context:\n    cluster: test\n    user: admin\n    namespace: default\n'
        )
        api.kubeconfig.chmod(0o600)
    except BaseException:
        api.stop()
        raise
    return api


if __name__ == '__main__':
    import sys
    import tempfile

    folder = tempfile.mkdtemp(prefix='kube-api-')
    running = start_kube_api(folder)
    print(f'KUBECONFIG={running.kubeconfig}  (Ctrl-C stops)', flush=True)
    try:
        signal.pause()
    except KeyboardInterrupt:
        pass
    finally:
        running.stop()
    sys.exit(0)
