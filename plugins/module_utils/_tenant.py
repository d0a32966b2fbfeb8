# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Tenants: the core of camunda_tenant.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity import (
    EntityKind, Field, Membership, identity_spec, members_options, run_identity)

TENANT = EntityKind(
    noun='tenant', result_key='tenant', collection='tenants', id_option='tenant_id', id_field='tenantId',
    fields=(Field('name', 'name', defaults_to_id=True), Field('description', 'description')),
    result_fields=('tenantId', 'name', 'description'),
    memberships=tuple(Membership.of('tenants', members)
                      for members in ('users', 'clients', 'groups', 'roles', 'mapping-rules')),
)

TENANT_SPEC = identity_spec(dict(
    tenant_id=dict(type='str', required=True),
    name=dict(type='str'),
    description=dict(type='str'),
    **members_options(TENANT)
))


def run_tenant(options, context):
    return run_identity(TENANT, options, context)
