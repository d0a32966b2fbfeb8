# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the core needs to know about the run it serves, without depending on AnsibleModule.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from collections.abc import Callable


class RunContext(object):
    """Check mode, diff mode and a place for warnings; filled by a module, an action or a lookup."""

    def __init__(self, check_mode: bool = False, diff: bool = False, warn: Callable[[str], None] | None = None) -> None:
        self.check_mode = check_mode
        self.diff = diff
        self.warnings: list[str] = []
        self._warn = warn

    def warn(self, message: str) -> None:
        if self._warn is not None:
            self._warn(message)
        else:
            self.warnings.append(message)
