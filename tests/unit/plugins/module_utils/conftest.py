# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
from __future__ import annotations

import pytest

from scripted_server import ScriptedServer


@pytest.fixture
def server():
    running = ScriptedServer().start()
    yield running
    running.stop()


class Sleeps:
    """Records the waits instead of sleeping."""

    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


@pytest.fixture
def sleeps():
    return Sleeps()


@pytest.fixture(scope='session')
def certs(tmp_path_factory):
    """CA, client and other certificates as the test services make them (files, generated once per run)."""
    from certs import generate_certs

    return generate_certs(tmp_path_factory.mktemp('unit-certs'))
