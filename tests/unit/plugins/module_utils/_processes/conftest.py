# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""One emulator per test file, reset before each test (a file may define its own emulator fixture instead)."""

from __future__ import annotations

import pytest

from emulator import EmulatorServer


@pytest.fixture(scope='module')
def camunda():
    with EmulatorServer(auth='none') as server:
        yield server


@pytest.fixture
def emulator(camunda):
    camunda.admin.reset()
    return camunda
