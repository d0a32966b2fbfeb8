# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The desired state of camunda_identity: its lists of entries, each in the shape of a single-entity module.

For internal collection use only: no stable interface.

An entry of ``users`` takes the options of camunda_user, an entry of ``groups`` those of camunda_group, and
so on (``USER_OPTIONS``, ... are the one definition of each shape). Each entry becomes an ``Entry``: its
kind, its options, and the ``Desired`` the kind makes of them.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._identity.authorization import (
    AUTHORIZATION,
    AUTHORIZATION_OPTIONS,
    AUTHORIZATION_RULES,
)
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.group import GROUP, GROUP_OPTIONS
from ansible_collections.community.camunda.plugins.module_utils._core.concurrency import MAX_PARALLEL
from ansible_collections.community.camunda.plugins.module_utils._identity.options import (
    DEFAULT_CONSISTENCY_TIMEOUT,
    MEMBERS_STATES,
    state_option,
)
from ansible_collections.community.camunda.plugins.module_utils._identity.mapping_rule import (
    MAPPING_RULE,
    MAPPING_RULE_OPTIONS,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter, module_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.role import ROLE, ROLE_OPTIONS
from ansible_collections.community.camunda.plugins.module_utils._identity.tenant import TENANT, TENANT_OPTIONS
from ansible_collections.community.camunda.plugins.module_utils._identity.user import USER, USER_OPTIONS

# Option name -> kind, in the order of creation (removals run in reverse): what others refer to comes first.
KINDS = (
    ('users', USER),
    ('mapping_rules', MAPPING_RULE),
    ('groups', GROUP),
    ('roles', ROLE),
    ('tenants', TENANT),
    ('authorizations', AUTHORIZATION),
)
# `exclusive` also takes `memberships`: every member list an entry gives is then its complete list.
EXCLUSIVE_CHOICES = tuple(option for option, _kind in KINDS) + ('memberships',)
DEFAULT_PARALLEL = 4


def entry_options(own_options, **rules):
    """A list option whose entries take a kind's own options, plus state (members_state: see below)."""
    options = dict(own_options, state=state_option())
    if 'members_state' in options:
        # No default: an entry that does not say follows `exclusive` (memberships: exact, else present).
        options['members_state'] = dict(type='str', choices=list(MEMBERS_STATES))
    return dict(type='list', elements='dict', default=[], options=options, **rules)


IDENTITY_SPEC = module_spec(
    dict(
        users=entry_options(USER_OPTIONS),
        mapping_rules=entry_options(MAPPING_RULE_OPTIONS),
        groups=entry_options(GROUP_OPTIONS),
        roles=entry_options(ROLE_OPTIONS),
        tenants=entry_options(TENANT_OPTIONS),
        authorizations=entry_options(AUTHORIZATION_OPTIONS, **AUTHORIZATION_RULES),
        exclusive=dict(type='list', elements='str', default=[], choices=list(EXCLUSIVE_CHOICES)),
        parallel=dict(type='int', default=DEFAULT_PARALLEL),
        consistency_timeout=dict(type='float', default=DEFAULT_CONSISTENCY_TIMEOUT),
    )
)


class Entry(object):
    """One declared entity: where it was declared, its kind, options, desired state and key."""

    def __init__(self, option, index, kind, options, desired, members_state_stated=False):
        self.option = option
        self.index = index
        self.kind = kind
        self.options = options
        self.desired = desired
        self.key = kind.key_of_options(options)
        self.label = kind.label(options)
        self.absent = options.get('state', 'present') == 'absent'
        # Whether the entry set members_state itself: then its lists are applied as stated, nothing spared.
        self.members_state_stated = members_state_stated

    @property
    def where(self):
        return f'{self.option}[{self.index}]'


def desired_entries(options):
    """{option: [Entry]} of the task; an entry that is wrong fails naming where it is and why."""
    exclusive = set(options.get('exclusive') or ())
    parallel = options.get('parallel', DEFAULT_PARALLEL)
    if not 1 <= parallel <= MAX_PARALLEL:
        raise ConfigurationError(f'parallel must be from 1 to {MAX_PARALLEL}, got {parallel}.')
    found = {}
    for option, kind in KINDS:
        entries, seen = [], {}
        for index, values in enumerate(options.get(option) or ()):
            values = dict(values)
            stated = values.get('members_state') is not None
            if 'members_state' in values and not stated:
                values['members_state'] = 'exact' if 'memberships' in exclusive else 'present'
            entry_opts = OptionAdapter.from_dict(values)
            where = f'{option}[{index}]'
            try:
                entry = Entry(option, index, kind, entry_opts, kind.desired(entry_opts), stated)
            except ConfigurationError as exc:
                raise ConfigurationError(f'{where}: {exc.msg}')
            if entry.key in seen:
                raise ConfigurationError(
                    f'{where}: {entry.label} is declared twice (also {option}[{seen[entry.key]}]); '
                    'declare each entity once.'
                )
            seen[entry.key] = index
            entries.append(entry)
        found[option] = entries
    return found


def _a_kind_of(value):
    # In YAML's words: ansible-core 2.19+ hands over tagged subclasses, whose class names mean nothing to a user.
    for types, words in (
        (bool, 'a boolean'),
        (str, 'a string'),
        (dict, 'a dictionary'),
        (list, 'a list'),
        ((int, float), 'a number'),
    ):
        if isinstance(value, types):
            return words
    return 'null' if value is None else 'a value of another kind'


def entries_shape_error(params):
    """The message for a list of entries that is not a list of dictionaries, else None.

    Checked on the raw task arguments, before AnsibleModule: ansible-core's own check of such a list
    (``users: alice``) says only "dictionary requested, could not parse JSON or key=value", naming neither
    the option nor the shape it expects. The message names no value (an entry may hold a password).
    """
    for option, _kind in KINDS:
        value = params.get(option)
        if value is None:
            continue
        if isinstance(value, list):
            wrong = [index for index, entry in enumerate(value) if not isinstance(entry, dict)]
            if not wrong:
                continue
            found = f'{option}[{wrong[0]}] is {_a_kind_of(value[wrong[0]])}'
        else:
            found = f'it is {_a_kind_of(value)}'
        entry_spec = IDENTITY_SPEC['argument_spec'][option]['options']
        example = ', '.join(f'{name}: ...' for name, spec in entry_spec.items() if spec.get('required'))
        return (
            f'{option} must be a list of dictionaries, one per entry, each with the options of '
            f'community.camunda.camunda_{option[:-1]} (for example {option}: [{{{example}}}]), but {found}.'
        )
    return None
