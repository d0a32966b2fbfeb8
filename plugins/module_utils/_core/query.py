# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""JMESPath queries on API results.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from typing import Any

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError


def compile_query(expression: str | None) -> Any:
    """A compiled JMESPath expression, or None when no query was given; bad syntax is reported by name."""
    if expression is None or expression == '':
        return None
    # Imported only for a query: a task without one would spend most of its import time on jmespath.
    try:
        import jmespath
    except ImportError:
        raise ConfigurationError('query needs the Python library jmespath on the host that runs the task.') from None
    try:
        return jmespath.compile(expression)
    except jmespath.exceptions.JMESPathError as exc:
        raise ConfigurationError(f'query {expression!r} is not a valid JMESPath expression: {exc}')


def apply_query(compiled: Any, data: Any) -> Any:
    return compiled.search(data)
