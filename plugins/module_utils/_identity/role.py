# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Roles: the shape of a role and the core of camunda_role.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity.kind import container_kind
from ansible_collections.community.camunda.plugins.module_utils._identity.options import container_options, entity_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import run_entity

ROLE = container_kind('role', 'roles', 'role_id', 'roleId', ('users', 'clients', 'groups', 'mapping-rules'))

ROLE_OPTIONS = container_options(ROLE)

ROLE_SPEC = entity_spec(ROLE_OPTIONS)


def run_role(options, context):
    return run_entity(ROLE, options, context)
