# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one result shape of a task that failed after some writes: changed only when something was applied."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ApiError
from ansible_collections.community.camunda.plugins.module_utils._core.partial import PartialChangeError, partial_failure


def test_a_failure_after_writes_is_changed_and_keeps_the_cause():
    cause = ApiError(
        'Cannot create b: failed with 500',
        status=500,
        title='INTERNAL',
        detail='boom',
        url='http://x/b',
        body='never passed on',
    )
    error = partial_failure(cause, ['update a'], 'create b', ['create c', 'create d'])
    assert isinstance(error, PartialChangeError)
    assert error.msg == (
        'Cannot create b: failed with 500 Applied 1 of 4 planned writes before this one failed, not '
        'applied 2. Run the task again to continue from the state Camunda now has.'
    )
    assert error.details == {
        'changed': True,
        'applied': ['update a'],
        'failed_step': 'create b',
        'not_applied': ['create c', 'create d'],
        'status': 500,
        'title': 'INTERNAL',
        'detail': 'boom',
        'url': 'http://x/b',
    }


def test_a_failure_of_the_first_write_changed_nothing():
    error = partial_failure(ApiError('refused', status=403), [], 'create a', ['create b'], plan={'steps': 2})
    assert error.details['changed'] is False and error.details['plan'] == {'steps': 2}


def test_a_lone_write_that_failed_is_the_cause_itself():
    cause = ApiError('refused', status=409)
    assert partial_failure(cause, [], 'delete a', []) is cause
