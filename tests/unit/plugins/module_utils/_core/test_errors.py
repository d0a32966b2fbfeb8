# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Errors carry safe details; redact() masks every secret of three characters or more."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError, IdpError, redact


def test_details_leave_out_what_is_none():
    error = ApiError('failed', status=404, title=None, detail='gone', url='http://x')
    assert error.details == {'status': 404, 'detail': 'gone', 'url': 'http://x'}
    assert str(error) == 'failed'
    assert IdpError('refused', status=401, error='invalid_client').details == {'status': 401, 'error': 'invalid_client'}


def test_redact_masks_each_secret_but_not_short_or_missing_ones():
    assert redact('user demo pw s3cret and s3cret', ['s3cret', None, 'ab']) == 'user demo pw ******** and ********'
    assert redact('ab is short', ['ab']) == 'ab is short'
    assert redact(None, ['s3cret']) is None
