# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The route table of the emulated `/v2` API, and the router that resolves a request against it."""

from __future__ import annotations

import re

from . import deployments
from .cluster_variables import cluster_variable_routes
from .management import v2_backup_routes
from .resources import ResourceApi
from .errors import ApiError
from .identity import GROUP_MEMBERS, GROUPS, MAPPING_RULES, ROLE_MEMBERS, ROLES, TENANT_MEMBERS, TENANTS, USERS


def api_routes(app, identity):
    """(method, path pattern, handler); `{name}` matches one path segment, passed to the handler in order."""
    role, group, tenant = ROLE_MEMBERS, GROUP_MEMBERS, TENANT_MEMBERS
    return [
        ('GET', '/v2/topology', app.get_topology),
        ('GET', '/v2/status', app.get_status),
        ('GET', '/v2/license', app.get_license),
        ('GET', '/v2/authentication/me', app.get_me),
        ('POST', '/v2/users', identity.create(USERS)),
        ('POST', '/v2/users/search', identity.search(USERS)),
        ('GET', '/v2/users/{username}', identity.get(USERS)),
        ('PUT', '/v2/users/{username}', identity.update(USERS)),
        ('DELETE', '/v2/users/{username}', identity.delete(USERS)),
        ('POST', '/v2/roles', identity.create(ROLES)),
        ('POST', '/v2/roles/search', identity.search(ROLES)),
        ('GET', '/v2/roles/{roleId}', identity.get(ROLES)),
        ('PUT', '/v2/roles/{roleId}', identity.update(ROLES)),
        ('DELETE', '/v2/roles/{roleId}', identity.delete(ROLES)),
        ('PUT', '/v2/roles/{roleId}/users/{username}', identity.assign(role['users'])),
        ('DELETE', '/v2/roles/{roleId}/users/{username}', identity.unassign(role['users'])),
        ('POST', '/v2/roles/{roleId}/users/search', identity.search_members(role['users'])),
        ('PUT', '/v2/roles/{roleId}/clients/{clientId}', identity.assign(role['clients'])),
        ('DELETE', '/v2/roles/{roleId}/clients/{clientId}', identity.unassign(role['clients'])),
        ('POST', '/v2/roles/{roleId}/clients/search', identity.search_members(role['clients'])),
        ('PUT', '/v2/roles/{roleId}/groups/{groupId}', identity.assign(role['groups'])),
        ('DELETE', '/v2/roles/{roleId}/groups/{groupId}', identity.unassign(role['groups'])),
        ('POST', '/v2/roles/{roleId}/groups/search', identity.search_members(role['groups'])),
        ('PUT', '/v2/roles/{roleId}/mapping-rules/{mappingRuleId}', identity.assign(role['mapping-rules'])),
        ('DELETE', '/v2/roles/{roleId}/mapping-rules/{mappingRuleId}', identity.unassign(role['mapping-rules'])),
        ('POST', '/v2/roles/{roleId}/mapping-rules/search', identity.search_members(role['mapping-rules'])),
        ('POST', '/v2/groups', identity.create(GROUPS)),
        ('POST', '/v2/groups/search', identity.search(GROUPS)),
        ('GET', '/v2/groups/{groupId}', identity.get(GROUPS)),
        ('PUT', '/v2/groups/{groupId}', identity.update(GROUPS)),
        ('DELETE', '/v2/groups/{groupId}', identity.delete(GROUPS)),
        ('PUT', '/v2/groups/{groupId}/users/{username}', identity.assign(group['users'])),
        ('DELETE', '/v2/groups/{groupId}/users/{username}', identity.unassign(group['users'])),
        ('POST', '/v2/groups/{groupId}/users/search', identity.search_members(group['users'])),
        ('PUT', '/v2/groups/{groupId}/clients/{clientId}', identity.assign(group['clients'])),
        ('DELETE', '/v2/groups/{groupId}/clients/{clientId}', identity.unassign(group['clients'])),
        ('POST', '/v2/groups/{groupId}/clients/search', identity.search_members(group['clients'])),
        ('PUT', '/v2/groups/{groupId}/mapping-rules/{mappingRuleId}', identity.assign(group['mapping-rules'])),
        ('DELETE', '/v2/groups/{groupId}/mapping-rules/{mappingRuleId}', identity.unassign(group['mapping-rules'])),
        ('POST', '/v2/groups/{groupId}/mapping-rules/search', identity.search_members(group['mapping-rules'])),
        ('POST', '/v2/groups/{groupId}/roles/search', identity.search_roles_of_group),
        ('POST', '/v2/tenants', identity.create(TENANTS)),
        ('POST', '/v2/tenants/search', identity.search(TENANTS)),
        ('GET', '/v2/tenants/{tenantId}', identity.get(TENANTS)),
        ('PUT', '/v2/tenants/{tenantId}', identity.update(TENANTS)),
        ('DELETE', '/v2/tenants/{tenantId}', identity.delete(TENANTS)),
        ('PUT', '/v2/tenants/{tenantId}/users/{username}', identity.assign(tenant['users'])),
        ('DELETE', '/v2/tenants/{tenantId}/users/{username}', identity.unassign(tenant['users'])),
        ('POST', '/v2/tenants/{tenantId}/users/search', identity.search_members(tenant['users'])),
        ('PUT', '/v2/tenants/{tenantId}/clients/{clientId}', identity.assign(tenant['clients'])),
        ('DELETE', '/v2/tenants/{tenantId}/clients/{clientId}', identity.unassign(tenant['clients'])),
        ('POST', '/v2/tenants/{tenantId}/clients/search', identity.search_members(tenant['clients'])),
        ('PUT', '/v2/tenants/{tenantId}/groups/{groupId}', identity.assign(tenant['groups'])),
        ('DELETE', '/v2/tenants/{tenantId}/groups/{groupId}', identity.unassign(tenant['groups'])),
        ('POST', '/v2/tenants/{tenantId}/groups/search', identity.search_members(tenant['groups'])),
        ('PUT', '/v2/tenants/{tenantId}/roles/{roleId}', identity.assign(tenant['roles'])),
        ('DELETE', '/v2/tenants/{tenantId}/roles/{roleId}', identity.unassign(tenant['roles'])),
        ('POST', '/v2/tenants/{tenantId}/roles/search', identity.search_members(tenant['roles'])),
        ('PUT', '/v2/tenants/{tenantId}/mapping-rules/{mappingRuleId}', identity.assign(tenant['mapping-rules'])),
        ('DELETE', '/v2/tenants/{tenantId}/mapping-rules/{mappingRuleId}', identity.unassign(tenant['mapping-rules'])),
        ('POST', '/v2/tenants/{tenantId}/mapping-rules/search', identity.search_members(tenant['mapping-rules'])),
        ('POST', '/v2/mapping-rules', identity.create(MAPPING_RULES)),
        ('POST', '/v2/mapping-rules/search', identity.search(MAPPING_RULES)),
        ('GET', '/v2/mapping-rules/{mappingRuleId}', identity.get(MAPPING_RULES)),
        ('PUT', '/v2/mapping-rules/{mappingRuleId}', identity.update(MAPPING_RULES)),
        ('DELETE', '/v2/mapping-rules/{mappingRuleId}', identity.delete(MAPPING_RULES)),
        ('POST', '/v2/authorizations', identity.create_authorization),
        ('POST', '/v2/authorizations/search', identity.search_authorizations),
        ('GET', '/v2/authorizations/{authorizationKey}', identity.get_authorization),
        ('PUT', '/v2/authorizations/{authorizationKey}', identity.update_authorization),
        ('DELETE', '/v2/authorizations/{authorizationKey}', identity.delete_authorization),
        *app.processes.routes(),
        *deployments.routes(app),
        *ResourceApi(app.deployments).routes(),
        *cluster_variable_routes(app),
        *v2_backup_routes(app),
    ]


class Router:
    """Resolves (method, path) to (handler, params): static paths by a dict lookup, then patterns in order."""

    def __init__(self, table):
        self._static = {}
        self._patterns = []
        for method, pattern, handler in table:
            if '{' in pattern:
                self._pattern_methods(pattern)[method] = handler
            else:
                self._static.setdefault(pattern, {})[method] = handler

    def _pattern_methods(self, pattern):
        regex = re.compile('^' + re.sub(r'\{[^/}]+\}', '([^/]+)', pattern) + '$')
        for known, methods in self._patterns:
            if known.pattern == regex.pattern:
                return methods
        methods = {}
        self._patterns.append((regex, methods))
        return methods

    def resolve(self, method, path):
        wanted = 'GET' if method == 'HEAD' else method
        static = self._static.get(path)
        if static is not None and wanted in static:
            return static[wanted], ()  # the fast path, e.g. GET /v2/topology
        candidates = self._candidates(path)
        if not candidates:
            raise ApiError(404, f'No endpoint {method} {path}.')
        for methods, params in candidates:
            if wanted in methods:
                return methods[wanted], params
        allowed = ', '.join(sorted({name for methods, _params in candidates for name in methods}))
        raise ApiError(405, f"Request method '{method}' is not supported.", headers=[('Allow', allowed)])

    def _candidates(self, path):
        """Every route table entry whose path matches, static first (`/v2/users/search` before user 'search')."""
        candidates = []
        if path in self._static:
            candidates.append((self._static[path], ()))
        for regex, methods in self._patterns:
            match = regex.match(path)
            if match:
                candidates.append((methods, match.groups()))
        return candidates
