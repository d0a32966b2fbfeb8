# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# For internal collection use only: no stable interface.

from __future__ import annotations


class ModuleDocFragment(object):
    # Membership of the module_defaults group.
    ACTION_GROUP = r'''
attributes:
  action_group:
    description: Use C(group/community.camunda.camunda) in C(module_defaults) to set the connection and auth options of every API module at once.
    support: full
    membership:
      - community.camunda.camunda
    version_added: 0.1.0
'''

    # For modules that only read: they run in check mode and never report a change.
    READ_ONLY = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The module only reads; it runs normally in check mode and always reports RV(ignore:changed=false).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details: The module changes nothing, so there is no diff.
'''

    # For modules that write with read-compare-write: exact predictions and before/after diffs.
    STATEFUL = r'''
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
'''
