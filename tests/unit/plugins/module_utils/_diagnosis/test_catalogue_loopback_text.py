# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The plain-HTTP finding says what the check does: loopback is exempt (issue 29, item 9)."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._diagnosis.catalogue import CATALOGUE_BY_ID
from ansible_collections.community.camunda.plugins.module_utils._diagnosis.claims import LOOPBACK_HOSTS


def test_the_plain_http_finding_names_every_exempt_loopback_host():
    fix = CATALOGUE_BY_ID['credentials_over_plain_http'].fix
    assert 'exempt' in fix
    for host in LOOPBACK_HOSTS:
        assert host in fix
