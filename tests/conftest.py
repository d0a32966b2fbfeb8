# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures shared by every test tier: the test services of tests/support (see its README)."""

from __future__ import annotations

import importlib

import pytest

# tests/support and .build/collections are on sys.path through pytest.ini's pythonpath.
from services import DEFAULT_IDP, IDP_STARTERS, start_services
from playbook import ensure_collection_link

# Upstream's tools (helm 4, docker-compose, a real API server) and Camunda's artefacts: tests/support/tool_fixtures.py.
from tool_fixtures import docker_compose_bin, helm_bin, kube_api, kubernetes_core_dir, upstream_dir  # noqa: F401  pylint: disable=unused-import

# Unit and integration tests import the collection as ansible_collections.community.camunda from this tree, through
# .build/collections. On a fresh clone that folder appears only now: forget that the import system found it missing.
ensure_collection_link()
importlib.invalidate_caches()


def pytest_addoption(parser):
    parser.addoption(
        "--idp",
        default=DEFAULT_IDP,
        choices=sorted(IDP_STARTERS),
        help="the identity provider behind services.idp (default: %(default)s)",
    )


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "only_idp(*kinds, reason): the test needs one of these IdPs (--idp); skipped with the reason on others",
    )


def pytest_collection_modifyitems(config, items):
    kind = config.getoption("--idp")
    for item in items:
        marker = item.get_closest_marker("only_idp")
        if marker and kind not in marker.args:
            reason = marker.kwargs.get("reason", "IdP-specific")
            item.add_marker(
                pytest.mark.skip(reason=f"{' or '.join(marker.args)} only: {reason} (running --idp {kind})")
            )


@pytest.fixture(scope="session")
def services(tmp_path_factory, pytestconfig):
    """Certificates, the IdP and (on first use) the emulator, for the whole session."""
    running = start_services(tmp_path_factory.mktemp("services"), idp_kind=pytestconfig.getoption("--idp"))
    try:
        yield running
    finally:
        running.stop()


@pytest.fixture
def clean_services(services):
    """``services`` reset to a fresh state before the test: no counts, faults or short TTL."""
    services.reset()
    return services


@pytest.fixture
def idp(clean_services):
    return clean_services.idp


@pytest.fixture
def emulator(clean_services):
    return clean_services.emulator


@pytest.fixture(scope="session")
def certs(services):
    return services.certs
