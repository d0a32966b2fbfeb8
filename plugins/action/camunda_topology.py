# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# The one action plugin of every API module, not only of camunda_topology: meta/runtime.yml routes each
# module here (plugin_routing.modules.<name>.action_plugin), and it reads SPEC and CORE from the module
# file of the task. It bears a module's name because ansible-test sanity (action-plugin-docs) wants every
# action plugin to share its name with a module that documents it.

from __future__ import annotations

from ansible_collections.community.camunda.plugins.plugin_utils._action import CamundaActionBase

# ansible-core's strategy loads this file in the controller's main process (to read BYPASS_HOST_LOOP) before it forks
# the worker of a camunda_topology task, and its collection loader compiles a collection's Python files from source
# at every import, in every worker. The API client and the layers below it, imported here, are compiled once in the
# main process and inherited by every later worker (docs/benchmarks.md has the figures).
from ansible_collections.community.camunda.plugins.module_utils._api import client as _preloaded_client  # noqa: F401  pylint: disable=unused-import


class ActionModule(CamundaActionBase):
    pass
