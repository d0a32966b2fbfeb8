# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._smoke_test import SMOKE_TEST_SPEC, run_smoke_test
from ansible_collections.community.camunda.plugins.plugin_utils._action import CamundaActionBase


class ActionModule(CamundaActionBase):
    SPEC = SMOKE_TEST_SPEC
    CORE = staticmethod(run_smoke_test)
