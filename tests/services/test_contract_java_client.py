# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: Camunda's official Java client (io.camunda:camunda-client-java 8.9, pinned in
tests/java-client/pom.xml) calls every endpoint the emulator serves as 8.9 through the client's own API.

The probe (tests/java-client, built by `make java-client` into .build/java-client) prints one verdict per call:
`read` (the client parsed the answer into its models), `refused` (it read a problem answer the call expects) or
`failed` (anything else: an answer it could not read, a refusal it did not expect). It runs with Basic auth and
with the client's own OAuth credentials provider against the test IdP, whose tokens the emulator validates.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from client_coverage import called_endpoints, uncovered
from deployment_files import dmn, form
from emulator import EmulatorServer
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import PROBE_BPMN

REPO_ROOT = Path(__file__).resolve().parents[2]
BUILD = REPO_ROOT / '.build' / 'java-client'
CLASSPATH_FILE = BUILD / 'classpath.txt'
CAMUNDA_VERSION = '8.9.0'  # the minor the pinned client is made for
# Endpoints the emulator serves that the Java client 8.9 has no API for (its CamundaClient interface).
NOT_IN_CLIENT = {
    ('GET', '/v2/license'): 'no license request in the Java client',
    ('GET', '/v2/authentication/me'): 'no current-user request in the Java client',
    **{
        (method, f'/v2/backups/{component}{tail}'): 'backups are 8.10 endpoints, not in the 8.9 client'
        for component in ('runtime', 'history')
        for method, tail in (('POST', ''), ('GET', ''), ('GET', '/{backupId}'), ('DELETE', '/{backupId}'))
    },
    ('POST', '/v2/exporting/pause'): 'exporting control is an 8.10 endpoint, not in the 8.9 client',
    ('POST', '/v2/exporting/resume'): 'exporting control is an 8.10 endpoint, not in the 8.9 client',
    ('GET', '/v2/exporting'): 'exporting control is an 8.10 endpoint, not in the 8.9 client',
}


@pytest.fixture(scope='module')
def probe_command():
    """The java command line of the built probe; skips, saying how to build it, where it is not built."""
    if not CLASSPATH_FILE.is_file() or not (BUILD / 'classes' / 'community').is_dir():
        pytest.skip('the Java client probe is not built: `make java-client` builds it (Maven, Java 17)')
    java = shutil.which('java')
    if java is None:
        pytest.skip('no java on the PATH: the Java client probe needs Java 17 or later')
    classpath = f"{BUILD / 'classes'}:{CLASSPATH_FILE.read_text(encoding='utf-8').strip()}"
    return [java, '-cp', classpath, 'community.camunda.probe.Probe']


@pytest.fixture(scope='module')
def resources(tmp_path_factory):
    """What the probe deploys: the verify role's probe process, a decision and a form."""
    folder = tmp_path_factory.mktemp('java-probe')
    (folder / 'probe.bpmn').write_bytes(PROBE_BPMN)
    (folder / 'probe.dmn').write_text(dmn('probe-drg', 'probe-decision'), encoding='utf-8')
    (folder / 'probe.form').write_text(form('probe-form'), encoding='utf-8')
    return folder


def run_probe(command, *arguments):
    process = subprocess.run([*command, *arguments], capture_output=True, text=True, timeout=300, check=False)
    assert process.returncode == 0, process.stderr[-3000:]
    verdicts = [json.loads(line) for line in process.stdout.splitlines() if line.startswith('{')]
    assert verdicts, process.stdout[-2000:] + process.stderr[-2000:]
    return verdicts


def failures(verdicts):
    failed = [f"{v['call']}: {v['detail']}" for v in verdicts if v['verdict'] == 'failed']
    print(f'Java client: {len(verdicts) - len(failed)} of {len(verdicts)} calls read')  # the figure in the ledger
    return failed


def test_java_client_reads_every_endpoint_with_basic_auth(probe_command, resources):
    with EmulatorServer(auth='basic', cluster={'version': CAMUNDA_VERSION}) as emulator:
        verdicts = run_probe(probe_command, emulator.url, 'basic', 'demo', 'demo', str(resources))
        assert failures(verdicts) == []
        # A process is not in the engine's resource state: the engine's own NOT_FOUND, not a missing endpoint.
        refusals = {v['call']: v['detail'] for v in verdicts if v['verdict'] == 'refused'}
        assert sorted(refusals) == ['get resource', 'get resource content']
        assert all('Expected to fetch resource but no resource found' in detail for detail in refusals.values())
        assert uncovered(emulator, NOT_IN_CLIENT) == []
        assert not set(NOT_IN_CLIENT) & called_endpoints(emulator)  # the list names only what the client lacks


@pytest.fixture
def oidc_emulator(clean_services):
    emulator = clean_services.emulator
    emulator.admin.set_auth('oidc')
    emulator.admin.set_cluster(version=CAMUNDA_VERSION)
    yield clean_services
    emulator.admin.reset()


def test_java_client_reads_every_endpoint_with_its_oauth_provider(probe_command, resources, oidc_emulator, tmp_path):
    idp, emulator = oidc_emulator.idp, oidc_emulator.emulator
    truststore = tmp_path / 'idp-ca.p12'
    # The client's OAuth provider takes a Java truststore, not a PEM file: keytool (of the JDK) makes one.
    subprocess.run(
        [
            str(Path(probe_command[0]).resolve().parent / 'keytool'),
            '-importcert',
            '-noprompt',
            '-alias',
            'idp-ca',
            '-file',
            idp.ca_path,
            '-keystore',
            str(truststore),
            '-storetype',
            'PKCS12',
            '-storepass',
            'probe-store',
        ],
        check=True,
        capture_output=True,
    )
    verdicts = run_probe(
        probe_command,
        emulator.url,
        'oauth',
        idp.token_url,
        idp.clients.secret.id,
        idp.clients.secret.secret,
        idp.audience,
        str(truststore),
        'probe-store',
        str(resources),
    )
    assert failures(verdicts) == []
    assert idp.token_requests(client_id=idp.clients.secret.id, outcome='ok') >= 1  # the client got its token there
