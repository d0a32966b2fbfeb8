# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""How a kind of Camunda Identity entity looks: its fields, key, member lists, paths and request bodies.

For internal collection use only: no stable interface.

One ``EntityKind`` per kind (user, group, role, tenant, mapping rule, authorization) is the single
definition of that kind's shape. The single-object modules (camunda_user, ...) and the desired-state
module (camunda_identity) both read and write entities through it; neither sends a request here.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._api.client import path_segment
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

# Member kinds by the API's path segment: (option name, noun, id field of a member search item).
MEMBER_KINDS = {
    'users': ('users', 'user', 'username'),
    'clients': ('clients', 'client', 'clientId'),
    'groups': ('groups', 'group', 'groupId'),
    'roles': ('roles', 'role', 'roleId'),
    'mapping-rules': ('mapping_rules', 'mapping rule', 'mappingRuleId'),
}


class Field(object):
    """A writable field: its option, its name in the API, and how values compare.

    ``compare`` is ``text`` (None and '' are equal) or ``set`` (a list whose order and repeats do not
    matter). A ``write_only`` field (a password) cannot be read back: it is written on create, and on
    update only when the task says so (``update_password: always``).
    """

    def __init__(self, option, api, compare='text', write_only=False, required_on_create=False, defaults_to_id=False):
        self.option = option
        self.api = api
        self.compare = compare
        self.write_only = write_only
        self.required_on_create = required_on_create
        self.defaults_to_id = defaults_to_id

    def normalise(self, value):
        if self.compare == 'set':
            return sorted(set(value or ()))
        return None if value in (None, '') else value


class Membership(object):
    """A member list of a container, e.g. the users of a role.

    ``search_path`` and ``write_path`` are templates: ``{id}`` is the container, ``{member}`` the member.
    """

    def __init__(self, option, noun, member_field, search_path, write_path):
        self.option = option
        self.noun = noun
        self.member_field = member_field
        self.search_path = search_path
        self.write_path = write_path

    @classmethod
    def of(cls, container, members):
        """The usual shape: ``<container>/{id}/<members>/search`` and ``<container>/{id}/<members>/{member}``."""
        option, noun, member_field = MEMBER_KINDS[members]
        return cls(
            option,
            noun,
            member_field,
            f'{container}/{{id}}/{members}/search',
            f'{container}/{{id}}/{members}/{{member}}',
        )

    def search_url(self, container_id):
        return self.search_path.format(id=path_segment(container_id))

    def write_url(self, container_id, member_id):
        return self.write_path.format(id=path_segment(container_id), member=path_segment(member_id))


class EntityKind(object):
    """One kind of entity with its id in its path (``/v2/<collection>/{id}``).

    ``key_fields`` are the fields that say which entity a task means (for most kinds the id alone). A
    kind found otherwise (authorizations: by owner and resource, changed through a server-made key)
    overrides ``key_fields``, ``entity_url`` and ``lookup``; the writes themselves are the same for all.
    """

    def __init__(
        self,
        noun,
        result_key,
        collection,
        id_option,
        id_field,
        fields,
        result_fields,
        memberships=(),
        secret_rewrite_option=None,
    ):
        self.noun = noun
        self.result_key = result_key
        self.collection = collection
        self.id_option = id_option
        self.id_field = id_field
        self.fields = tuple(fields)
        self.result_fields = tuple(result_fields)
        self.memberships = tuple(memberships)
        # The option that says whether a write-only field is written on update ('always') or not.
        self.secret_rewrite_option = secret_rewrite_option

    @property
    def search_path(self):
        return f'{self.collection}/search'

    def membership(self, option):
        return next(membership for membership in self.memberships if membership.option == option)

    # What the task asks for --------------------------------------------------------------------

    def entity_id(self, options):
        value = options.get(self.id_option)
        if value is None or str(value).strip() == '':
            raise ConfigurationError(f'{self.id_option} must not be empty.')
        return str(value)

    def key_fields(self, options):
        """The fields that say which entity the task means, as the API names them."""
        return {self.id_field: self.entity_id(options)}

    def key_of(self, item):
        """The same key, of an entity as the API returns it: compares with ``key_of_options``."""
        return item.get(self.id_field)

    def key_of_options(self, options):
        return self.entity_id(options)

    def label(self, options):
        return f"{self.noun} '{self.entity_id(options)}'"

    def label_of(self, item):
        return f"{self.noun} '{self.key_of(item)}'"

    def desired(self, options):
        """The desired state: only the options the task sets."""
        fields, secrets = {}, {}
        for field in self.fields:
            value = options.get(field.option)
            if value is None:
                continue
            if field.write_only:
                secrets[field.api] = value
            else:
                fields[field.api] = field.normalise(value)
        members = {}
        for membership in self.memberships:
            listed = options.get(membership.option)
            if listed is not None:
                members[membership.option] = member_ids(membership, listed)
        rewrite = bool(self.secret_rewrite_option) and options.get(self.secret_rewrite_option) == 'always'
        return Desired(
            self.key_fields(options), fields, secrets, rewrite, members, options.get('members_state', 'present')
        )

    # Bodies -------------------------------------------------------------------------------------

    def field_named(self, api):
        return next(field for field in self.fields if field.api == api)

    def create_body(self, desired, label):
        body = dict(desired.key_fields)
        missing = []
        for field in self.fields:
            value = desired.secrets.get(field.api) if field.write_only else desired.fields.get(field.api)
            if value is None and field.defaults_to_id:
                value = next(iter(desired.key_fields.values()))
            if value is None and field.required_on_create:
                missing.append(field.option)
            if value is not None:
                body[field.api] = value
        if missing:
            raise ConfigurationError(
                f'{label[:1].upper()}{label[1:]} does not exist; to create it, set {" and ".join(missing)}.'
            )
        return body

    def update_body(self, current, desired, with_secrets):
        """The full update body: desired values over current ones (Camunda's updates replace the entity)."""
        body = {}
        for field in self.fields:
            if field.write_only:
                if with_secrets and field.api in desired.secrets:
                    body[field.api] = desired.secrets[field.api]
                continue
            if field.api in desired.fields:
                # An empty value the task sets clears the field: send it, as leaving it out keeps the old one.
                body[field.api] = '' if desired.fields[field.api] is None else desired.fields[field.api]
            elif current.get(field.api) is not None:
                body[field.api] = current[field.api]
        return body

    def predicted_entity(self, base, desired):
        """The entity as Camunda will show it after the writes: ``base`` with the desired fields."""
        merged = dict(base or {})
        merged.update(desired.key_fields)
        for field in self.fields:
            if field.write_only:
                continue
            if field.api in desired.fields:
                merged[field.api] = desired.fields[field.api]
            elif merged.get(field.api) is None and field.defaults_to_id and not base:
                merged[field.api] = next(iter(desired.key_fields.values()))
        return self.result_view(merged)

    def result_view(self, entity):
        """The entity in the API's result shape (every result field, None when absent)."""
        if entity is None:
            return {}
        return {name: entity.get(name) for name in self.result_fields}

    # Where it lives -----------------------------------------------------------------------------

    def entity_url(self, entity):
        """The path of an existing entity (as read) for updates and deletes."""
        return f'{self.collection}/{path_segment(entity[self.id_field])}'

    def lookup(self, options):
        """How to find the entity a task means: ``('get', path)`` or ``('search', path, filter)``."""
        return 'get', f'{self.collection}/{path_segment(self.entity_id(options))}'

    def check_conflicts(self, client, options, desired, current, plan):
        """Fail before any write when the plan cannot succeed for a reason a read can tell (a hook)."""


class Desired(object):
    """What a task asks of one entity: its key fields, the fields and secrets it sets, its member lists."""

    def __init__(self, key_fields, fields, secrets, rewrite_secrets, members, members_state):
        self.key_fields = key_fields
        self.fields = fields
        self.secrets = secrets
        self.rewrite_secrets = rewrite_secrets
        self.members = members
        self.members_state = members_state


def member_ids(membership, listed):
    """The member ids a task lists, stripped; an empty one is refused by option name."""
    ids = set()
    for value in listed:
        value = '' if value is None else str(value).strip()
        if not value:
            raise ConfigurationError(f'{membership.option} must not contain empty {membership.noun} ids.')
        ids.add(value)
    return ids


def container_kind(noun, collection, id_option, id_field, members, extra_memberships=()):
    """Groups, roles and tenants: ``{<id>, name, description}`` and member lists of the given kinds.

    The name defaults to the id on create (Camunda requires one).
    """
    return EntityKind(
        noun=noun,
        result_key=noun,
        collection=collection,
        id_option=id_option,
        id_field=id_field,
        fields=(Field('name', 'name', defaults_to_id=True), Field('description', 'description')),
        result_fields=(id_field, 'name', 'description'),
        memberships=tuple(Membership.of(collection, member_kind) for member_kind in members) + tuple(extra_memberships),
    )
