# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._backup import BACKUP_INFO_SPEC, run_backup_info
from ansible_collections.community.camunda.plugins.plugin_utils._action import CamundaActionBase


class ActionModule(CamundaActionBase):
    SPEC = BACKUP_INFO_SPEC
    CORE = staticmethod(run_backup_info)
