# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Users (Basic authentication): the shape of a user and the core of camunda_user.

For internal collection use only: no stable interface.

The module's own options are `user` and `user_password`: `username` and `password` are the shared
options that authenticate the task itself.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity.kind import EntityKind, Field
from ansible_collections.community.camunda.plugins.module_utils._identity.options import entity_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import run_entity

USER = EntityKind(
    noun='user',
    result_key='user',
    collection='users',
    id_option='user',
    id_field='username',
    fields=(
        Field('name', 'name'),
        Field('email', 'email'),
        # Camunda never returns a password, so it is compared with nothing: written on create, and on
        # update only with update_password=always.
        Field('user_password', 'password', write_only=True, required_on_create=True),
    ),
    result_fields=('username', 'name', 'email'),
    secret_rewrite_option='update_password',
)

USER_OPTIONS = dict(
    user=dict(type='str', required=True),
    name=dict(type='str'),
    email=dict(type='str'),
    user_password=dict(type='str', no_log=True),
    update_password=dict(type='str', default='on_create', choices=['always', 'on_create'], no_log=False),
)

USER_SPEC = entity_spec(USER_OPTIONS)


def run_user(options, context):
    return run_entity(USER, options, context)
