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
