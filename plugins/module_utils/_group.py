# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Groups: the core of camunda_group.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity import (
    EntityKind, Field, Membership, identity_spec, members_options, run_identity)

# A group's roles are read from the group (POST /groups/{id}/roles/search) but assigned on the role
# (PUT /roles/{roleId}/groups/{groupId}): Camunda has no role endpoint under /groups.
GROUP_ROLES = Membership('roles', 'role', 'roleId', 'groups/{id}/roles/search', 'roles/{member}/groups/{id}')

GROUP = EntityKind(
    noun='group', result_key='group', collection='groups', id_option='group_id', id_field='groupId',
    fields=(Field('name', 'name', defaults_to_id=True), Field('description', 'description')),
    result_fields=('groupId', 'name', 'description'),
    memberships=tuple(Membership.of('groups', members) for members in ('users', 'clients', 'mapping-rules')) + (GROUP_ROLES,),
)

GROUP_SPEC = identity_spec(dict(
    group_id=dict(type='str', required=True),
    name=dict(type='str'),
    description=dict(type='str'),
    **members_options(GROUP)
))


def run_group(options, context):
    return run_identity(GROUP, options, context)
