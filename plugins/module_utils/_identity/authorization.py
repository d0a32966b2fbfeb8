# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authorizations: the shape of an authorization and the core of camunda_authorization.

For internal collection use only: no stable interface.

An authorization has no id of its own that a playbook could know: its key fields are its owner
(ownerType + ownerId) and its resource (resourceType + resourceId, or resourcePropertyName from 8.9), which
Camunda keeps unique (a second create is 409). It is found with ``POST /v2/authorizations/search`` and
changed through the ``authorizationKey`` Camunda gave it. Its permission list compares as a set: order and
repeats never cause a change. Creates, updates and deletes are the shared ones (``_identity_requests``).
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import path_segment
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.enums import (
    OWNER_TYPES,
    PERMISSION_TYPES,
    RESOURCE_TYPES,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.kind import EntityKind, Field
from ansible_collections.community.camunda.plugins.module_utils._identity.options import entity_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import run_entity

# Option -> API name of the key fields of an authorization.
KEY_OPTIONS = (
    ('owner_type', 'ownerType'),
    ('owner_id', 'ownerId'),
    ('resource_type', 'resourceType'),
    ('resource_id', 'resourceId'),
    ('resource_property_name', 'resourcePropertyName'),
)


class AuthorizationKind(EntityKind):
    def __init__(self):
        super().__init__(
            noun='authorization',
            result_key='authorization',
            collection='authorizations',
            id_option=None,
            id_field='authorizationKey',
            fields=(Field('permission_types', 'permissionTypes', compare='set', required_on_create=True),),
            result_fields=(
                'authorizationKey',
                'ownerId',
                'ownerType',
                'resourceType',
                'resourceId',
                'resourcePropertyName',
                'permissionTypes',
            ),
        )

    def key_fields(self, options):
        fields = {}
        for option, api_name in KEY_OPTIONS:
            value = options.get(option)
            if value is not None:
                if str(value).strip() == '':
                    raise ConfigurationError(f'{option} must not be empty.')
                fields[api_name] = value
        return fields

    def key_of(self, item):
        # An 8.8 result has no resourcePropertyName at all; an empty value is no value.
        return tuple(item.get(api_name) or None for _option, api_name in KEY_OPTIONS)

    def key_of_options(self, options):
        return self.key_of(self.key_fields(options))

    def label(self, options):
        return self.label_of(self.key_fields(options))

    def label_of(self, item):
        if item.get('resourceId'):
            resource = f"'{item['resourceId']}'"
        else:
            resource = f"property '{item.get('resourcePropertyName')}'"
        return f"the authorization of {item['ownerType']} '{item['ownerId']}' on {item['resourceType']} {resource}"

    def desired(self, options):
        if options.get('state', 'present') == 'present' and not options.get('permission_types'):
            raise ConfigurationError(
                'permission_types must list at least one permission; to remove the authorization, use state=absent.'
            )
        return super().desired(options)

    def update_body(self, current, desired, with_secrets):
        # Camunda's update takes the whole authorization, key fields included.
        return dict(desired.key_fields, permissionTypes=desired.fields['permissionTypes'])

    def entity_url(self, entity):
        return f"authorizations/{path_segment(entity['authorizationKey'])}"

    def lookup(self, options):
        key = self.key_fields(options)
        filters = dict(ownerId=key['ownerId'], ownerType=key['ownerType'], resourceType=key['resourceType'])
        if 'resourceId' in key:
            filters['resourceIds'] = [key['resourceId']]
        else:
            filters['resourcePropertyNames'] = [key['resourcePropertyName']]
        return 'search', self.search_path, filters


AUTHORIZATION = AuthorizationKind()

AUTHORIZATION_OPTIONS = dict(
    owner_type=dict(type='str', required=True, choices=list(OWNER_TYPES)),
    owner_id=dict(type='str', required=True),
    resource_type=dict(type='str', required=True, choices=list(RESOURCE_TYPES)),
    resource_id=dict(type='str'),
    resource_property_name=dict(type='str'),
    permission_types=dict(type='list', elements='str', choices=list(PERMISSION_TYPES)),
)
# Rules between the options, by the names AnsibleModule takes them (for the module and for each entry of camunda_identity).
AUTHORIZATION_RULES = dict(
    mutually_exclusive=[('resource_id', 'resource_property_name')],
    required_one_of=[('resource_id', 'resource_property_name')],
    required_if=[('state', 'present', ('permission_types',))],
)

AUTHORIZATION_SPEC = entity_spec(AUTHORIZATION_OPTIONS, **AUTHORIZATION_RULES)


def run_authorization(options, context):
    return run_entity(AUTHORIZATION, options, context)
