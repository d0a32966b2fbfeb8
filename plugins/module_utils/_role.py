# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Roles: the core of camunda_role.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity import (
    EntityKind, Field, Membership, identity_spec, members_options, run_identity)

ROLE = EntityKind(
    noun='role', result_key='role', collection='roles', id_option='role_id', id_field='roleId',
    fields=(Field('name', 'name', defaults_to_id=True), Field('description', 'description')),
    result_fields=('roleId', 'name', 'description'),
    memberships=tuple(Membership.of('roles', members) for members in ('users', 'clients', 'groups', 'mapping-rules')),
)

ROLE_SPEC = identity_spec(dict(
    role_id=dict(type='str', required=True),
    name=dict(type='str'),
    description=dict(type='str'),
    **members_options(ROLE)
))


def run_role(options, context):
    return run_identity(ROLE, options, context)
