# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Identity endpoints: users, roles, groups, tenants, mapping rules, their members, and authorizations.

Camunda's semantics, which the collection's modules must cope with: creates are not idempotent (409), there is
no upsert (PUT or DELETE on a missing entity is 404), assigning a member twice is 409 and removing a non-member
is 404, passwords are never returned, and reads are eventually consistent (see store.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from . import enums
from .errors import already_exists, bad_request, engine_invalid, engine_not_found, not_found
from .messages import json_response, no_content
from .search import SearchSpec, search
from .store import ADMIN_ROLE_ID, DEFAULT_TENANT_ID
from .validation import Field, Schema, check_identifier, parse_json_body


@dataclass(frozen=True)
class Kind:
    """One kind of identity entity and everything its endpoints need to know about it."""

    table: str  # also its path segment under /v2
    noun: str
    id_field: str
    id_label: str  # how Camunda's messages name the id: 'username', 'ID' or 'id'
    result_fields: tuple
    create_schema: Schema
    update_schema: Schema
    search_spec: SearchSpec
    exists_reason: str  # Camunda's rejection text for a duplicate create, {id} filled in


def _name_description_kind(table, noun, id_field, exists_reason, update_strict=False):
    """Roles, groups and tenants share a shape: {<id>, name, description}."""
    return Kind(
        table=table,
        noun=noun,
        id_field=id_field,
        id_label='ID',
        result_fields=(id_field, 'name', 'description'),
        create_schema=Schema((Field(id_field, True, 'id'), Field('name', True), Field('description')), strict=True),
        update_schema=Schema((Field('name', True), Field('description')), strict=update_strict),
        search_spec=SearchSpec(
            filters={id_field: ('string', id_field), 'name': ('string', 'name')},
            sort_fields=('name', id_field) + (('key',) if table == 'tenants' else ()),
            sort_aliases={'key': '_key'},
        ),
        exists_reason=exists_reason,
    )


USERS = Kind(
    table='users',
    noun='user',
    id_field='username',
    id_label='username',
    result_fields=('username', 'name', 'email'),
    create_schema=Schema(
        (Field('username', True, 'id'), Field('password', True), Field('name'), Field('email', kind='email')),
        strict=True,
    ),
    update_schema=Schema((Field('password'), Field('name'), Field('email', kind='email'))),
    search_spec=SearchSpec(
        filters={name: ('string', name) for name in ('username', 'name', 'email')},
        sort_fields=('username', 'name', 'email'),
    ),
    exists_reason="Expected to create user with username '{id}', but a user with this username already exists",
)
ROLES = _name_description_kind(
    'roles', 'role', 'roleId', "Expected to create role with ID '{id}', but a role with this ID already exists"
)
GROUPS = _name_description_kind(
    'groups', 'group', 'groupId', "Expected to create group with ID '{id}', but a group with this ID already exists."
)
TENANTS = _name_description_kind(
    'tenants',
    'tenant',
    'tenantId',
    "Expected to create tenant with ID '{id}', but a tenant with this ID already exists.",
    update_strict=True,
)
MAPPING_RULES = Kind(
    table='mapping-rules',
    noun='mapping rule',
    id_field='mappingRuleId',
    id_label='id',
    result_fields=('mappingRuleId', 'claimName', 'claimValue', 'name'),
    create_schema=Schema(
        (Field('mappingRuleId', True, 'id'), Field('claimName', True), Field('claimValue', True), Field('name', True)),
        strict=True,
    ),
    update_schema=Schema((Field('claimName', True), Field('claimValue', True), Field('name', True))),
    search_spec=SearchSpec(
        filters={name: ('string', name) for name in ('mappingRuleId', 'claimName', 'claimValue', 'name')},
        sort_fields=('mappingRuleId', 'claimName', 'claimValue', 'name'),
    ),
    exists_reason="Expected to create mapping rule with id '{id}', but a mapping rule with this id already exists.",
)
KINDS = {kind.table: kind for kind in (USERS, ROLES, GROUPS, TENANTS, MAPPING_RULES)}


@dataclass(frozen=True)
class Membership:
    """A member relation, e.g. users of a role: `PUT/DELETE /v2/roles/{roleId}/users/{username}`."""

    container: Kind
    member_table: str  # users | clients | groups | roles | mapping-rules
    member_noun: str

    @property
    def member_id_field(self):
        return 'clientId' if self.member_table == 'clients' else KINDS[self.member_table].id_field

    @property
    def search_spec(self):
        if self.member_table in ('roles', 'mapping-rules'):
            return KINDS[self.member_table].search_spec  # these searches answer full entity results
        return SearchSpec(sort_fields=(self.member_id_field,))


def _memberships(container, *member_tables):
    nouns = {'users': 'user', 'clients': 'client', 'groups': 'group', 'roles': 'role', 'mapping-rules': 'mapping rule'}
    return {table: Membership(container, table, nouns[table]) for table in member_tables}


ROLE_MEMBERS = _memberships(ROLES, 'users', 'clients', 'groups', 'mapping-rules')
GROUP_MEMBERS = _memberships(GROUPS, 'users', 'clients', 'mapping-rules')
TENANT_MEMBERS = _memberships(TENANTS, 'users', 'clients', 'groups', 'roles', 'mapping-rules')

OWNER_TABLES = {'USER': 'users', 'ROLE': 'roles', 'GROUP': 'groups', 'MAPPING_RULE': 'mapping-rules'}
AUTHORIZATION_FIELDS = ('ownerId', 'ownerType', 'resourceType', 'resourceId', 'resourcePropertyName', 'permissionTypes')
AUTHORIZATION_SCHEMA = Schema(
    (
        Field('ownerId', True, 'id'),
        Field('ownerType', True, 'enum', enums.OWNER_TYPES),
        Field('resourceType', True, 'enum', enums.RESOURCE_TYPES),
        Field('resourceId'),
        Field('resourcePropertyName'),
        Field('permissionTypes', True, 'enum_list', enums.PERMISSION_TYPES),
    ),
    strict=True,
)
AUTHORIZATION_SEARCH = SearchSpec(
    filters={
        'ownerId': ('string', 'ownerId'),
        'ownerType': ('exact', 'ownerType'),
        'resourceType': ('exact', 'resourceType'),
        'resourceIds': ('any_of', 'resourceId'),
        'resourcePropertyNames': ('any_of', 'resourcePropertyName'),
    },
    sort_fields=('ownerId', 'ownerType', 'resourceId', 'resourcePropertyName', 'resourceType'),
)


def project(record, fields):
    return {name: record.get(name) for name in fields}


def path_id(call, index=0):
    return unquote(call.params[index])


class IdentityApi:
    """Handlers of the identity endpoints. `settings` tells the read lag and whether users live in Camunda."""

    def __init__(self, store, settings):
        self.store = store
        self.settings = settings

    # -- entities ---------------------------------------------------------------------------------

    def create(self, kind):
        def handler(call):
            body = kind.create_schema.check(parse_json_body(call.request))
            entity_id = body[kind.id_field]
            with self.store.lock:
                if kind is MAPPING_RULES:
                    self._reject_duplicate_claim(body, exclude_id=None)
                if self.store.get(kind.table, entity_id) is not None:
                    raise already_exists('CREATE', kind.exists_reason.format(id=entity_id))
                record = self.store.add(kind.table, entity_id, body, self.settings.read_lag_s())
            return json_response(201, project(record, kind.result_fields))

        return handler

    def get(self, kind):
        def handler(call):
            entity_id = path_id(call)
            with self.store.lock:
                record = self.store.read(kind.table, entity_id)
            if record is None:
                raise not_found(f"{kind.noun.capitalize()} with {kind.id_label} '{entity_id}' not found")
            return json_response(200, project(record, kind.result_fields))

        return handler

    def update(self, kind):
        def handler(call):
            entity_id = path_id(call)
            body = kind.update_schema.check(parse_json_body(call.request))
            with self.store.lock:
                record = self._existing(kind, entity_id, 'UPDATE', 'update')
                if kind is MAPPING_RULES:
                    self._reject_duplicate_claim(body, exclude_id=entity_id)
                record.update(body)
                result = project(record, kind.result_fields)
            return json_response(200, result)

        return handler

    def delete(self, kind):
        def handler(call):
            entity_id = path_id(call)
            with self.store.lock:
                self._existing(kind, entity_id, 'DELETE', 'delete')
                self.store.remove(kind.table, entity_id)
                self._remove_authorizations_of(kind.table, entity_id)
            return no_content()

        return handler

    def search(self, kind):
        def handler(call):
            body = parse_json_body(call.request)
            with self.store.lock:
                items = [project(record, kind.result_fields + ('_key',)) for record in self.store.readable(kind.table)]
            items.sort(key=lambda item: item[kind.id_field])
            return json_response(200, strip_private(search(items, body, kind.search_spec)))

        return handler

    def _existing(self, kind, entity_id, intent, verb):
        record = self.store.get(kind.table, entity_id)
        if record is None:
            raise engine_not_found(
                intent,
                (
                    f"Expected to {verb} {kind.noun} with {kind.id_label} '{entity_id}', "
                    f"but a {kind.noun} with this {kind.id_label} does not exist"
                ),
            )
        return record

    def _reject_duplicate_claim(self, body, exclude_id):
        for rule_id, rule in self.store.tables['mapping-rules'].items():
            same_claim = rule['claimName'] == body['claimName'] and rule['claimValue'] == body['claimValue']
            if same_claim and rule_id != exclude_id:
                intent = 'CREATE' if exclude_id is None else 'UPDATE'
                raise already_exists(
                    intent,
                    (
                        f"Expected to {intent.lower()} mapping rule with claimName '{body['claimName']}' and claimValue "
                        f"'{body['claimValue']}', but a mapping rule with this claim already exists."
                    ),
                )

    # -- members ----------------------------------------------------------------------------------

    def assign(self, membership):
        def handler(call):
            container_id, member_id = path_id(call, 0), path_id(call, 1)
            check_identifier(membership.member_id_field, member_id)
            with self.store.lock:
                self._existing(membership.container, container_id, 'ADD_ENTITY', 'update')
                self._require_member_entity(membership, container_id, member_id)
                if self.store.is_member(membership.container.table, container_id, membership.member_table, member_id):
                    raise already_exists('ADD_ENTITY', self._membership_text(membership, container_id, member_id, True))
                self.store.add_member(
                    membership.container.table,
                    container_id,
                    membership.member_table,
                    member_id,
                    self.settings.read_lag_s(),
                )
            return no_content()

        return handler

    def unassign(self, membership):
        def handler(call):
            container_id, member_id = path_id(call, 0), path_id(call, 1)
            with self.store.lock:
                self._existing(membership.container, container_id, 'REMOVE_ENTITY', 'update')
                if not self.store.is_member(
                    membership.container.table, container_id, membership.member_table, member_id
                ):
                    raise engine_not_found(
                        'REMOVE_ENTITY', self._membership_text(membership, container_id, member_id, False)
                    )
                self.store.remove_member(membership.container.table, container_id, membership.member_table, member_id)
            return no_content()

        return handler

    def search_members(self, membership):
        def handler(call):
            container_id = path_id(call)
            body = parse_json_body(call.request)
            container = membership.container
            with self.store.lock:
                if self.store.read(container.table, container_id) is None:
                    raise not_found(f"{container.noun.capitalize()} with ID '{container_id}' not found")
                member_ids = self.store.member_ids(container.table, container_id, membership.member_table, True)
                items = [item for item in (self._member_item(membership, mid) for mid in sorted(member_ids)) if item]
            return json_response(200, search(items, body, membership.search_spec))

        return handler

    def search_roles_of_group(self, call):
        """`POST /v2/groups/{groupId}/roles/search`: the roles this group is a member of."""
        group_id = path_id(call)
        body = parse_json_body(call.request)
        with self.store.lock:
            if self.store.read('groups', group_id) is None:
                raise not_found(f"Group with ID '{group_id}' not found")
            role_ids = self.store.containers_of('roles', 'groups', group_id)
            roles = [self.store.read('roles', role_id) for role_id in sorted(role_ids)]
            items = [project(role, ROLES.result_fields) for role in roles if role]
        return json_response(200, search(items, body, ROLES.search_spec))

    def _require_member_entity(self, membership, container_id, member_id):
        table = membership.member_table
        if table == 'clients' or (table == 'users' and not self.settings.users_managed_by_camunda()):
            return  # clients (and users under OIDC) live in the identity provider, not in Camunda
        if self.store.get(table, member_id) is None:
            container = membership.container
            raise engine_not_found(
                'ADD_ENTITY',
                (
                    f"Expected to add {membership.member_noun} with ID '{member_id}' to {container.noun} with ID "
                    f"'{container_id}', but the {membership.member_noun} does not exist"
                ),
            )

    def _member_item(self, membership, member_id):
        table = membership.member_table
        if table == 'clients':
            return {'clientId': member_id}
        kind = KINDS[table]
        if table in ('roles', 'mapping-rules'):
            record = self.store.read(table, member_id)
            return project(record, kind.result_fields) if record else None
        return {kind.id_field: member_id}

    @staticmethod
    def _membership_text(membership, container_id, member_id, adding):
        member, container = membership.member_noun, membership.container.noun
        if adding:
            return (
                f"Expected to add {member} with ID '{member_id}' to {container} with ID '{container_id}', "
                f"but the {member} is already assigned to the {container}."
            )
        return (
            f"Expected to remove {member} with ID '{member_id}' from {container} with ID '{container_id}', "
            f"but the {member} is not assigned to this {container}."
        )

    # -- authorizations ---------------------------------------------------------------------------

    def create_authorization(self, call):
        body = check_authorization(parse_json_body(call.request))
        with self.store.lock:
            self._require_owner(body, 'CREATE')
            self._reject_duplicate_authorization(body, 'CREATE', exclude_key=None)
            key = self.store.new_key()
            self.store.add('authorizations', key, dict(body, authorizationKey=key), self.settings.read_lag_s())
        return json_response(201, {'authorizationKey': key})

    def get_authorization(self, call):
        key = path_id(call)
        with self.store.lock:
            record = self.store.read('authorizations', key)
        if record is None:
            raise not_found(f"Authorization with key '{key}' not found")
        return json_response(200, authorization_result(record))

    def update_authorization(self, call):
        key = path_id(call)
        body = check_authorization(parse_json_body(call.request))
        with self.store.lock:
            record = self._existing_authorization(key, 'UPDATE', 'update')
            self._require_owner(body, 'UPDATE')
            self._reject_duplicate_authorization(body, 'UPDATE', exclude_key=key)
            for name in AUTHORIZATION_FIELDS:
                record[name] = body.get(name)
        return no_content()

    def delete_authorization(self, call):
        key = path_id(call)
        with self.store.lock:
            self._existing_authorization(key, 'DELETE', 'delete')
            self.store.remove('authorizations', key)
        return no_content()

    def search_authorizations(self, call):
        body = parse_json_body(call.request)
        with self.store.lock:
            items = [authorization_result(record) for record in self.store.readable('authorizations')]
        items.sort(key=lambda item: int(item['authorizationKey']))
        return json_response(200, search(items, body, AUTHORIZATION_SEARCH))

    def _existing_authorization(self, key, intent, verb):
        record = self.store.get('authorizations', key)
        if record is None:
            raise engine_not_found(
                intent,
                (
                    f"Expected to {verb} authorization with key '{key}', but an authorization with this key does not exist"
                ),
            )
        return record

    def _require_owner(self, body, intent):
        table = OWNER_TABLES.get(body['ownerType'])
        if table is None or (table == 'users' and not self.settings.users_managed_by_camunda()):
            return
        if self.store.get(table, body['ownerId']) is None:
            raise engine_not_found(
                intent,
                (
                    f"Expected to {intent.lower()} authorization for owner '{body['ownerId']}' of type "
                    f"'{body['ownerType']}', but no such owner exists"
                ),
            )

    def _reject_duplicate_authorization(self, body, intent, exclude_key):
        identity = authorization_identity(body)
        for key, record in self.store.tables['authorizations'].items():
            if key != exclude_key and authorization_identity(record) == identity:
                if body.get('resourceId') is not None:
                    resource = f"resource identifier '{body['resourceId']}'"
                    this = 'this resource identifier'
                else:
                    resource = f"resource property name '{body['resourcePropertyName']}'"
                    this = 'this resource property name'
                raise already_exists(
                    intent,
                    (
                        f"Expected to {intent.lower()} authorization for owner '{body['ownerId']}' for {resource}, "
                        f"but an authorization for {this} already exists."
                    ),
                )

    def _remove_authorizations_of(self, table, owner_id):
        owner_types = {owner_type for owner_type, owner_table in OWNER_TABLES.items() if owner_table == table}
        doomed = [
            key
            for key, record in self.store.tables['authorizations'].items()
            if record['ownerType'] in owner_types and record['ownerId'] == owner_id
        ]
        for key in doomed:
            self.store.remove('authorizations', key)

    # -- who am I ---------------------------------------------------------------------------------

    def me(self, principal):
        """The CamundaUserResult of a principal: its groups, roles and tenants, direct or inherited."""
        with self.store.lock:
            return self._me(principal)

    def _me(self, principal):
        own_table = 'users' if principal.kind == 'user' else 'clients'
        rules = self._matching_mapping_rules(principal.claims)
        groups = set(self.store.containers_of('groups', own_table, principal.id))
        for rule_id in rules:
            groups.update(self.store.containers_of('groups', 'mapping-rules', rule_id))
        roles = self._containers_of_any('roles', own_table, principal.id, groups, rules)
        tenant_ids = self._containers_of_any('tenants', own_table, principal.id, groups, rules)
        for role_id in roles:
            tenant_ids.update(self.store.containers_of('tenants', 'roles', role_id))
        tenant_ids.add(DEFAULT_TENANT_ID)  # without multi-tenancy everyone works in the default tenant
        tenants = [self.store.get('tenants', tenant_id) for tenant_id in sorted(tenant_ids)]
        user = self.store.get('users', principal.id) if principal.kind == 'user' else None
        return {
            'username': principal.id,
            'displayName': (user or {}).get('name'),
            'email': (user or {}).get('email'),
            'authorizedComponents': self._components(principal, own_table, groups, roles, rules),
            'tenants': [project(tenant, TENANTS.result_fields) for tenant in tenants if tenant],
            'groups': sorted(groups),
            'roles': sorted(roles),
            'salesPlanType': None,
            'c8Links': {},
            'canLogout': principal.kind == 'user',
        }

    def _containers_of_any(self, container, own_table, own_id, groups, rules):
        found = set(self.store.containers_of(container, own_table, own_id))
        for group_id in groups:
            found.update(self.store.containers_of(container, 'groups', group_id))
        for rule_id in rules:
            found.update(self.store.containers_of(container, 'mapping-rules', rule_id))
        return found

    def _matching_mapping_rules(self, claims):
        """Mapping rules whose claim equals (scalar) or is contained in (list) the token's claim."""
        matched = []
        for rule_id, rule in self.store.tables['mapping-rules'].items():
            value = claim_value(claims or {}, rule['claimName'])
            if value == rule['claimValue'] or (isinstance(value, list) and rule['claimValue'] in value):
                matched.append(rule_id)
        return matched

    def _components(self, principal, own_table, groups, roles, rules):
        if ADMIN_ROLE_ID in roles:
            return ['*']
        owners = {('USER' if own_table == 'users' else 'CLIENT', principal.id)}
        owners |= {('GROUP', group_id) for group_id in groups} | {('ROLE', role_id) for role_id in roles}
        owners |= {('MAPPING_RULE', rule_id) for rule_id in rules}
        components = {
            record['resourceId']
            for record in self.store.tables['authorizations'].values()
            if record['resourceType'] == 'COMPONENT'
            and 'ACCESS' in record['permissionTypes']
            and (record['ownerType'], record['ownerId']) in owners
            and record.get('resourceId')
        }
        return sorted(components)


def check_authorization(body):
    """An AuthorizationRequest: id-based (resourceId) or property-based (resourcePropertyName), not both."""
    body = AUTHORIZATION_SCHEMA.check(body)
    has_id, has_property = 'resourceId' in body, 'resourcePropertyName' in body
    if has_id == has_property:
        raise bad_request('Exactly one of resourceId and resourcePropertyName must be provided.')
    supported = enums.PERMISSIONS_BY_RESOURCE_TYPE.get(body['resourceType'])
    unsupported = sorted(set(body['permissionTypes']) - supported) if supported else []
    if unsupported:
        raise engine_invalid(
            'CREATE',
            (
                f"Expected to create authorization with permission types '{unsupported}' and resource type "
                f"'{body['resourceType']}', but these permissions are not supported. Supported permission types are: "
                f"'{sorted(supported)}'"
            ),
        )
    return body


def authorization_identity(record):
    return (
        record['ownerType'],
        record['ownerId'],
        record['resourceType'],
        record.get('resourceId'),
        record.get('resourcePropertyName'),
    )


def authorization_result(record):
    return {
        'authorizationKey': record['authorizationKey'],
        'ownerId': record['ownerId'],
        'ownerType': record['ownerType'],
        'resourceType': record['resourceType'],
        'resourceId': record.get('resourceId'),
        'resourcePropertyName': record.get('resourcePropertyName'),
        'permissionTypes': list(record['permissionTypes']),
    }


def claim_value(claims, claim_name):
    """A claim by name, or by a simple JSONPath such as `$.realm_access.roles`."""
    if not claim_name.startswith('$.'):
        return claims.get(claim_name)
    value = claims
    for part in claim_name[2:].split('.'):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def strip_private(response):
    response['items'] = [{k: v for k, v in item.items() if not k.startswith('_')} for item in response['items']]
    return response
