# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The options of the Camunda Identity modules: state, member lists and consistency_timeout.

For internal collection use only: no stable interface.

Each kind's own options (``USER_OPTIONS``, ...) are defined once, next to its kind; the single-entity
module takes them at the top level, camunda_identity as the options of each entry of its lists.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.options import module_spec

STATES = ('present', 'absent')
MEMBERS_STATES = ('present', 'absent', 'exact')
DEFAULT_CONSISTENCY_TIMEOUT = 10.0


def state_option():
    return dict(type='str', default='present', choices=list(STATES))


def entity_spec(options, **kwargs):
    """The module spec of a single-entity module: shared options, state, consistency_timeout and its own."""
    spec = dict(
        state=state_option(),
        consistency_timeout=dict(type='float', default=DEFAULT_CONSISTENCY_TIMEOUT),
    )
    spec.update(options)
    return module_spec(spec, **kwargs)


def members_options(kind):
    """Argument specs of a kind's member lists and of members_state."""
    spec = {membership.option: dict(type='list', elements='str') for membership in kind.memberships}
    spec['members_state'] = dict(type='str', default='present', choices=list(MEMBERS_STATES))
    return spec


def container_options(kind):
    """The own options of a group, role or tenant: its id, name, description and member lists."""
    return dict(
        {kind.id_option: dict(type='str', required=True), 'name': dict(type='str'), 'description': dict(type='str')},
        **members_options(kind),
    )
