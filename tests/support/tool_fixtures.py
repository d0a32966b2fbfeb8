# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures for the tests judged by upstream's own tools (tests/conftest.py imports them; see tools.py).

helm_bin            Path of helm 4 (session; skips with `make tools` when it is not built)
docker_compose_bin  Path of docker-compose v2 (session; skips with `make setup` when absent)
upstream_dir        Path of Camunda's chart and Compose files, CAMUNDA_UPSTREAM_DIR (session; skips with how to get them)
kubernetes_core_dir folder to add to ANSIBLE_COLLECTIONS_PATH for kubernetes.core 6.6.0 (session)
kube_api            a running etcd + kube-apiserver on loopback (session): .kubeconfig, .url, .token; path-like
"""

from __future__ import annotations

import pytest

import tools
from kube_api import start_kube_api


def _require(name):
    reason = tools.skip_reason(name)
    if reason:
        pytest.skip(reason)


@pytest.fixture(scope='session')
def helm_bin():
    _require('helm')
    return tools.go_tool('helm')


@pytest.fixture(scope='session')
def docker_compose_bin():
    _require('docker-compose')
    return tools.docker_compose()


@pytest.fixture(scope='session')
def upstream_dir():
    _require('upstream')
    return tools.upstream_dir()


@pytest.fixture(scope='session')
def kubernetes_core_dir():
    _require('kubernetes.core')
    return tools.kubernetes_core_dir()


@pytest.fixture(scope='session')
def kube_api(tmp_path_factory):
    _require('etcd')
    _require('kube-apiserver')
    running = start_kube_api(tmp_path_factory.mktemp('kube-api'))
    try:
        yield running
    finally:
        running.stop()
