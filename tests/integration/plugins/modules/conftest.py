# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the identity module tests (helpers in tests/support/identity_support.py)."""

from __future__ import annotations

import pytest

from identity_support import AUTH_MODES, Identity


@pytest.fixture
def identity(connections, emulator, playbook):
    return Identity(connections, emulator, playbook)


@pytest.fixture(params=AUTH_MODES)
def connected(request, identity):
    """``identity`` connected with Basic, then with OIDC."""
    return identity.connect(request.param)
