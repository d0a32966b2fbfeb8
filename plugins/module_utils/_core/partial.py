# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A task that fails after some of its writes were applied: one result shape for every module that writes in steps.

For internal collection use only: no stable interface.

Camunda has no transaction across API calls, so a failure in the middle leaves the earlier writes in place. The
task then fails with ``changed: true`` (when anything was applied), ``applied`` and ``not_applied`` (one phrase per
write, in the order planned; the failed write is ``failed_step`` and is not in ``not_applied``), and the cause's
status, title, detail and URL. A task whose only write failed fails with the cause alone. Running the task again
reads the state Camunda now has and continues from it.

    raise partial_failure(error, applied=['update cluster variable a'], failed_step='create cluster variable b',
                          not_applied=['create cluster variable c'])
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError

# What the cause's own details may add to the failure (nothing else: a cause never adds a secret by this path).
CAUSE_DETAILS = ('status', 'title', 'detail', 'url')


class PartialChangeError(CamundaError):
    """Some writes were applied before one failed: fail_json gets changed, applied, failed_step and not_applied."""

    def __init__(
        self, msg: str, applied: Iterable[str], failed_step: str | None, not_applied: Iterable[str], **details: Any
    ) -> None:
        super().__init__(
            msg,
            changed=bool(applied),
            applied=list(applied),
            failed_step=failed_step,
            not_applied=list(not_applied),
            **details,
        )
        self.applied = list(applied)
        self.not_applied = list(not_applied)
        self.failed_step = failed_step


def partial_failure(
    error: CamundaError, applied: Iterable[str], failed_step: str | None, not_applied: Iterable[str], **details: Any
) -> CamundaError:
    """A PartialChangeError for ``error`` (a CamundaError), saying how many writes were and were not applied.

    A plan of one write that failed is ``error`` itself: there is nothing to list.
    """
    applied, not_applied = list(applied), list(not_applied)
    if not applied and not not_applied:
        return error
    planned = len(applied) + 1 + len(not_applied)
    msg = (
        f'{error.msg} Applied {len(applied)} of {planned} planned writes before this one failed, not applied '
        f'{len(not_applied)}. Run the task again to continue from the state Camunda now has.'
    )
    cause = {name: value for name, value in error.details.items() if name in CAUSE_DETAILS}
    cause.update(details)
    return PartialChangeError(msg, applied, failed_step, not_applied, **cause)
