# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the emulator's own tests: one in-process emulator per test module, reset before each test.

A test module that needs another set-up (no auth, an OIDC issuer) overrides ``emulator_server``.
"""

from __future__ import annotations

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
    """The site-packages of the SDK 10 tool venv, which hold the pinned 10.x client and its dependencies."""
    # Imported here: sdk_contract imports the official client, which only the contract tests need.
    from sdk_contract import SDK10_VENV  # pylint: disable=import-outside-toplevel

    found = sorted(SDK10_VENV.glob('lib/python3*/site-packages'))
    if not (SDK10_VENV / '.installed').is_file() or not found or not (found[0] / 'camunda_orchestration_sdk').is_dir():
        pytest.skip('the SDK 10 tool venv (.venv-sdk10) is not built: `make contract-sdk10` builds it')
    return found[0]
