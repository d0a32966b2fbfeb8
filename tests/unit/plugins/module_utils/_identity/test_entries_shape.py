# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_identity's lists of entries in the wrong shape: the message names the option, the shape and what was given."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._identity.desired_entries import entries_shape_error


@pytest.mark.parametrize(
    'params, said',
    [
        (
            dict(users='alice'),
            'users must be a list of dictionaries, one per entry, each with the options of '
            'community.camunda.camunda_user (for example users: [{user: ...}]), but it is a string.',
        ),
        (dict(mapping_rules=[{'mapping_rule_id': 'm'}, 3]), 'but mapping_rules[1] is a number.'),
        (
            dict(authorizations={'owner_id': 'x'}),
            '(for example authorizations: [{owner_type: ..., owner_id: ..., resource_type: ...}]), '
            'but it is a dictionary.',
        ),
    ],
)
def test_the_message_names_option_shape_and_what_was_given(params, said):
    assert entries_shape_error(params).endswith(said)


def test_right_shapes_and_absent_options_pass():
    assert entries_shape_error(dict(users=[{'user': 'alice'}], groups=[], roles=None, url='http://x')) is None
