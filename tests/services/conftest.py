# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the emulator's own tests: one in-process emulator per test module, reset before each test.

A test module that needs another set-up (no auth, an OIDC issuer) overrides ``emulator_server``.
"""

from __future__ import annotations

import subprocess
import sys
import zipfile

import pytest

from emulator import EmulatorServer
from emulator.testing import Api


@pytest.fixture(scope='module')
def emulator_server():
    with EmulatorServer(auth='basic') as running:
        yield running


@pytest.fixture
def server(emulator_server):
    emulator_server.admin.reset()
    return emulator_server


@pytest.fixture
def api(server):
    """An API client logged in as the seeded demo user (ignored where auth is off)."""
    client = Api(server.url, auth=('demo', 'demo'))
    yield client
    client.close()


@pytest.fixture(scope='module')
def sdk10():
    """The unpacked 10.x official client (fetched once with pip into .build/sdk/), for a subprocess's PYTHONPATH."""
    # Imported here: sdk_contract imports the official client, which only the contract tests need.
    from sdk_contract import SDK10_DIR, SDK10_VERSION  # pylint: disable=import-outside-toplevel
    if not (SDK10_DIR / 'camunda_orchestration_sdk').is_dir():
        download = SDK10_DIR.parent / 'download'
        process = subprocess.run([sys.executable, '-m', 'pip', 'download', f'camunda-orchestration-sdk=={SDK10_VERSION}', '--no-deps',
                                  '--quiet', '-d', str(download)], capture_output=True, text=True, check=False)
        wheels = sorted(download.glob(f'camunda_orchestration_sdk-{SDK10_VERSION}-*.whl'))
        if process.returncode != 0 or not wheels:
            pytest.skip(f'camunda-orchestration-sdk {SDK10_VERSION} could not be fetched with pip (offline?): {process.stderr.strip()[-300:]}')
        with zipfile.ZipFile(wheels[0]) as wheel:
            wheel.extractall(SDK10_DIR)
    return SDK10_DIR
