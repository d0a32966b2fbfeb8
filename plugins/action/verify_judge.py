# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Judge the verify role's checks in the controller (the module file holds only the documentation).

Judging reads nothing from the cluster, only the probes' registered answers, so it never needs a
target; running here also lets each extension probe bring its check as a plugin_utils file.
"""

from __future__ import annotations

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.community.camunda.plugins.plugin_utils._verify import VerifyError, judge

JUDGE_SPEC = dict(
    argument_spec=dict(
        probes=dict(type='dict', required=True),
        expected=dict(type='dict', required=True),
        deployment=dict(type='str', default='other'),
    ),
)


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        validation = ArgumentSpecValidator(**JUDGE_SPEC).validate(dict(self._task.args))
        if validation.error_messages:
            return dict(result, failed=True, msg=validation.errors.msg)
        options = validation.validated_parameters
        try:
            verify_result, summary, failure = judge(options['probes'], options['expected'], options['deployment'])
        except VerifyError as exc:
            return dict(result, failed=True, msg=str(exc))
        result.update(
            changed=False, ansible_facts=dict(verify_result=verify_result), summary=summary, failure_message=failure
        )
        return result
