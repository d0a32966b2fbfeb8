# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The thin AnsibleModule shell around a core function of (options, context) -> result.

For internal collection use only: no stable interface.

Nothing below this shell calls ``module.``: the same core runs in the controller through the
action plugin of the same name.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, redact
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.transport import HAS_REQUESTS


def run_module(
    spec: dict[str, Any],
    core: Callable[[OptionAdapter, RunContext], dict[str, Any]],
    module_class: type[AnsibleModule] | None = None,
) -> None:
    module = (module_class or AnsibleModule)(supports_check_mode=True, **spec)
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib('requests'))
    options = OptionAdapter.from_dict(module.params)
    context = RunContext(check_mode=module.check_mode, diff=module._diff, warn=module.warn)
    failure = None
    try:
        result = core(options, context)
    except CamundaError as exc:
        failure = exc
    if failure is not None:
        # Outside the except block: before 2.19, fail_json adds the traceback of the exception being
        # handled at -vvv, and an expected fault shows no stack trace.
        module.fail_json(msg=redact(failure.msg, options.secrets()), **failure.details)
    module.exit_json(**result)
