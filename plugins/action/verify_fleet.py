# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Build the fleet report's data in the controller (the module file holds only the documentation).

It reads the earlier run records of history_dir on the controller, where the report is written.
"""

from __future__ import annotations

import os

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase

from ansible_collections.community.camunda.plugins.plugin_utils._verify_fleet import fleet_view, read_history

FLEET_SPEC = dict(
    argument_spec=dict(
        results=dict(type='dict', required=True),
        path=dict(type='path', required=True),
        reports=dict(type='dict', default={}),
        history_dir=dict(type='path'),
        inventory=dict(type='list', elements='str', default=[]),
    ),
)


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        validation = ArgumentSpecValidator(**FLEET_SPEC).validate(dict(self._task.args))
        if validation.error_messages:
            return dict(result, failed=True, msg=validation.errors.msg)
        options = validation.validated_parameters
        # Relative to the controller's working directory, as a user typing the path expects.
        folder = os.path.abspath(options['path'])
        history_dir = os.path.abspath(options['history_dir']) if options['history_dir'] else None
        fleet = fleet_view(
            options['results'],
            reports=options['reports'],
            folder=folder,
            history=read_history(history_dir),
            inventory=options['inventory'],
        )
        result.update(changed=False, fleet=fleet, path=folder, record_path=os.path.join(folder, fleet['record_name']))
        return result
