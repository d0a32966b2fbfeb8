# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tenants: the shape of a tenant and the core of camunda_tenant.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity.kind import container_kind
from ansible_collections.community.camunda.plugins.module_utils._identity.options import container_options, entity_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import run_entity

TENANT = container_kind(
    'tenant', 'tenants', 'tenant_id', 'tenantId', ('users', 'clients', 'groups', 'roles', 'mapping-rules')
)

TENANT_OPTIONS = container_options(TENANT)

TENANT_SPEC = entity_spec(TENANT_OPTIONS)


def run_tenant(options, context):
    return run_entity(TENANT, options, context)
