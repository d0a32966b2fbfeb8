# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Groups: the shape of a group and the core of camunda_group.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity.kind import Membership, container_kind
from ansible_collections.community.camunda.plugins.module_utils._identity.options import container_options, entity_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import run_entity

# A group's roles are read from the group (POST /groups/{id}/roles/search) but assigned on the role
# (PUT /roles/{roleId}/groups/{groupId}): Camunda has no role endpoint under /groups.
GROUP_ROLES = Membership('roles', 'role', 'roleId', 'groups/{id}/roles/search', 'roles/{member}/groups/{id}')

GROUP = container_kind(
    'group', 'groups', 'group_id', 'groupId', ('users', 'clients', 'mapping-rules'), extra_memberships=(GROUP_ROLES,)
)

GROUP_OPTIONS = container_options(GROUP)

GROUP_SPEC = entity_spec(GROUP_OPTIONS)


def run_group(options, context):
    return run_entity(GROUP, options, context)
