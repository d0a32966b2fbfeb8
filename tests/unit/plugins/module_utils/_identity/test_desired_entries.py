# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The entries of camunda_identity: each in its kind's shape, checked by where it is, declared once."""

from __future__ import annotations

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._identity.group import GROUP_OPTIONS
from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import (
    IDENTITY_SPEC,
    desired_entries,
)
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._identity.user import USER_OPTIONS


def entries(**task):
    validation = ArgumentSpecValidator(**IDENTITY_SPEC).validate(task)
    assert not validation.error_messages, validation.error_messages
    options = OptionAdapter.from_dict(validation.validated_parameters)
    return desired_entries(options), list(options.get('exclusive'))


def test_each_list_takes_the_options_of_its_single_entity_module():
    spec = IDENTITY_SPEC['argument_spec']
    assert set(spec['users']['options']) == set(USER_OPTIONS) | {'state'}
    assert set(spec['groups']['options']) == set(GROUP_OPTIONS) | {'state'}
    # Passwords stay secret inside entries too.
    assert spec['users']['options']['user_password']['no_log'] is True
    # members_state has no default: an entry that does not set it follows `exclusive`.
    assert 'default' not in spec['groups']['options']['members_state']


def test_a_bad_entry_is_refused_by_the_spec_naming_the_list():
    errors = (
        ArgumentSpecValidator(**IDENTITY_SPEC)
        .validate(
            {
                'authorizations': [
                    dict(
                        owner_type='ROLE',
                        owner_id='r',
                        resource_type='USER',
                        resource_id='*',
                        resource_property_name='x',
                        permission_types=['READ'],
                    )
                ]
            }
        )
        .error_messages
    )
    assert any('mutually exclusive' in error and 'authorizations' in error for error in errors)


def test_entries_are_checked_by_option_and_declared_once():
    with pytest.raises(ConfigurationError, match=r"^roles\[1\]: role 'r' is declared twice \(also roles\[0\]\)"):
        entries(roles=[dict(role_id='r'), dict(role_id='r')])
    with pytest.raises(ConfigurationError, match=r'^groups\[0\]: users must not contain empty user ids'):
        entries(groups=[dict(group_id='g', users=[' '])])
    with pytest.raises(ConfigurationError, match='parallel must be from 1 to 10, got 0'):
        entries(parallel=0)
    found, _exclusive = entries(roles=[dict(role_id='r', users=['a'])], exclusive=['memberships'])
    assert found['roles'][0].desired.members_state == 'exact' and not found['roles'][0].members_state_stated
