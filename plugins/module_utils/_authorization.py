# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Authorizations: the core of camunda_authorization.

For internal collection use only: no stable interface.

An authorization has no id of its own that a playbook could know: it is identified by its owner
(ownerType + ownerId) and its resource (resourceType + resourceId, or resourcePropertyName from 8.9), which
Camunda keeps unique (a second create is 409). It is found with ``POST /v2/authorizations/search`` and
changed through its key. Its permission list compares as a set: order and repeats never cause a change.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._client import path_segment
from ansible_collections.community.camunda.plugins.module_utils._errors import ApiError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity import EntityKind, Field, identity_spec, run_identity
from ansible_collections.community.camunda.plugins.module_utils._identity_enums import OWNER_TYPES, PERMISSION_TYPES, RESOURCE_TYPES

# Option -> API name of the fields that identify an authorization.
IDENTITY_OPTIONS = (
    ('owner_type', 'ownerType'),
    ('owner_id', 'ownerId'),
    ('resource_type', 'resourceType'),
    ('resource_id', 'resourceId'),
    ('resource_property_name', 'resourcePropertyName'),
)


class AuthorizationKind(EntityKind):

    def __init__(self):
        super().__init__(
            noun='authorization', result_key='authorization', collection='authorizations', id_option=None,
            id_field='authorizationKey',
            fields=(Field('permission_types', 'permissionTypes', compare='set', required_on_create=True),),
            result_fields=('authorizationKey', 'ownerId', 'ownerType', 'resourceType', 'resourceId',
                           'resourcePropertyName', 'permissionTypes'),
        )

    def identity(self, options):
        identity = {}
        for option, api_name in IDENTITY_OPTIONS:
            value = options.get(option)
            if value is not None:
                if str(value).strip() == '':
                    raise ConfigurationError(f'{option} must not be empty.')
                identity[api_name] = value
        return identity

    def label(self, options):
        identity = self.identity(options)
        if 'resourceId' in identity:
            resource = f"'{identity['resourceId']}'"
        else:
            resource = f"property '{identity.get('resourcePropertyName')}'"
        return f"authorization of {identity['ownerType']} '{identity['ownerId']}' on {identity['resourceType']} {resource}"

    def desired(self, options):
        if options.get('state', 'present') == 'present' and not options.get('permission_types'):
            raise ConfigurationError('permission_types must list at least one permission; '
                                     'to remove the authorization, use state=absent.')
        return super().desired(options)

    def update_body(self, current, desired, with_secrets):
        # Camunda's update takes the whole authorization, identity included.
        return dict(desired.identity, permissionTypes=desired.fields['permissionTypes'])

    def read(self, api, options):
        identity = self.identity(options)
        filters = dict(ownerId=identity['ownerId'], ownerType=identity['ownerType'], resourceType=identity['resourceType'])
        if 'resourceId' in identity:
            filters['resourceIds'] = [identity['resourceId']]
        else:
            filters['resourcePropertyNames'] = [identity['resourcePropertyName']]
        for item in api.search('authorizations/search', filters):
            if same_identity(item, identity):
                return item
        return None

    def create(self, api, options, body):
        return api.write('POST', 'authorizations', body, f'create the {self.label(options)}', expected=(200, 201)) or {}

    def update(self, api, options, current, body):
        api.write('PUT', self._key_url(current), body, f'update the {self.label(options)}', expected=(204, 200))

    def delete(self, api, options, current):
        try:
            api.write('DELETE', self._key_url(current), None, f'delete the {self.label(options)}', expected=(204, 200))
        except ApiError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    @staticmethod
    def _key_url(current):
        return f"authorizations/{path_segment(current['authorizationKey'])}"


def same_identity(item, identity):
    """Whether a search result is the authorization of exactly this owner and resource.

    The search filters are only a first cut (an 8.8 result has no resourcePropertyName at all).
    """
    return all((item.get(api_name) or None) == identity.get(api_name) for _option, api_name in IDENTITY_OPTIONS)


AUTHORIZATION = AuthorizationKind()

AUTHORIZATION_SPEC = identity_spec(
    dict(
        owner_type=dict(type='str', required=True, choices=list(OWNER_TYPES)),
        owner_id=dict(type='str', required=True),
        resource_type=dict(type='str', required=True, choices=list(RESOURCE_TYPES)),
        resource_id=dict(type='str'),
        resource_property_name=dict(type='str'),
        permission_types=dict(type='list', elements='str', choices=list(PERMISSION_TYPES)),
    ),
    mutually_exclusive=[('resource_id', 'resource_property_name')],
    required_one_of=[('resource_id', 'resource_property_name')],
    required_if=[('state', 'present', ('permission_types',))],
)


def run_authorization(options, context):
    return run_identity(AUTHORIZATION, options, context)
