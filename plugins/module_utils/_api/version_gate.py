# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The version gate: endpoints that not every Camunda version has fail with the version needed, not a bare 404.

For internal collection use only: no stable interface.

A cluster older than an endpoint answers it with 404, which reads like "the variable does not exist".
So a core whose endpoints are version-bound asks the gate first::

    require_version(client, '8.9', 'camunda_cluster_variable (cluster variables)')

The gate reads the gateway version from ``GET /v2/topology`` once per client, that is once per task,
however many modules or endpoints ask. When the version cannot be read (the topology is forbidden to
this principal, or the answer has no version), the gate lets the request through: the endpoint's own
answer is then the best information there is. ``supports()`` answers the same question without failing,
for a core that picks between the endpoints of two versions.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, CamundaError

if TYPE_CHECKING:
    from ansible_collections.community.camunda.plugins.module_utils._api.client import CamundaClient

TOPOLOGY_PATH = 'topology'
# The attribute of a CamundaClient that holds its gate: one client serves one task.
_CLIENT_ATTRIBUTE = '_community_camunda_version_gate'
_VERSION_PATTERN = re.compile(r'^\s*v?(\d+)\.(\d+)(?:\.(\d+))?')


class UnsupportedVersionError(CamundaError):
    """The cluster is older than the endpoint a task needs."""

    def __init__(self, msg: str, cluster_version: str | None, required_version: str) -> None:
        super().__init__(msg, cluster_version=cluster_version, required_version=required_version)
        self.cluster_version = cluster_version
        self.required_version = required_version


def parse_version(text: object) -> tuple[int, int, int] | None:
    """``(major, minor, patch)`` of a version such as ``8.9.0``, ``8.10.0-alpha2`` or ``8.9``; None if not one.

    A pre-release counts as its release: an 8.9 alpha serves the 8.9 endpoints it was built with.
    """
    match = _VERSION_PATTERN.match(str(text)) if text is not None else None
    if match is None:
        return None
    major, minor, patch = match.groups()
    return int(major), int(minor), int(patch or 0)


class VersionGate(object):
    """The cluster version as one client sees it, read at most once."""

    def __init__(self, client: CamundaClient) -> None:
        self.client = client
        self._read = False
        self._version: str | None = None

    @property
    def version(self) -> str | None:
        """The gateway version string (``8.9.0``), or None when the cluster does not say."""
        if not self._read:
            self._read = True
            self._version = self._read_version()
        return self._version

    def _read_version(self) -> str | None:
        try:
            topology = self.client.get_json(TOPOLOGY_PATH)
        except ApiError as exc:
            if exc.status == 401:
                raise  # wrong credentials: the endpoint itself would say the same, and sooner is clearer
            return None  # 403 or a proxy's answer: let the endpoint answer for itself
        if not isinstance(topology, dict):
            return None
        version = topology.get('gatewayVersion')
        return str(version) if version not in (None, '') else None

    def supports(self, minimum: str) -> bool | None:
        """True when the cluster runs ``minimum`` (``'8.9'``) or later, False when older, None when unknown."""
        running, required = parse_version(self.version), parse_version(minimum)
        if running is None or required is None:
            return None
        return running >= required

    def require(self, minimum: str, what: str) -> None:
        """Fail before any request to an endpoint the cluster cannot have; pass when the version is unknown."""
        if self.supports(minimum) is False:
            raise UnsupportedVersionError(
                f'{what} needs Camunda {minimum} or later; this cluster runs {self.version} '
                f'(the gateway version in GET {self.client.url_for(TOPOLOGY_PATH)}).',
                cluster_version=self.version,
                required_version=minimum,
            )


def version_gate(client: CamundaClient) -> VersionGate:
    """The gate of ``client``, created on first use: every asker in a task shares one topology read."""
    gate = getattr(client, _CLIENT_ATTRIBUTE, None)
    if gate is None:
        gate = VersionGate(client)
        setattr(client, _CLIENT_ATTRIBUTE, gate)
    return gate


def require_version(client: CamundaClient, minimum: str, what: str) -> None:
    """Shorthand: ``version_gate(client).require(minimum, what)``."""
    version_gate(client).require(minimum, what)
