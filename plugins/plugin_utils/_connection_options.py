# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The roles' connection: module options from the ``camunda_*`` variables that are defined.

For internal collection use only: no stable interface.

Every role gives its modules the connection as action-specific ``module_defaults`` holding only the
options whose ``camunda_<option>`` variable is defined: an option whose variable is not defined leaves
the play's ``module_defaults`` group (``group/community.camunda.camunda``) and then the ``CAMUNDA_*``
environment in force, which a task argument or a ``module_defaults`` value set to ``omit`` would not
(``omit`` removes the option from every layer). The option names come from the argument specs in
``_core/options.py``, so a new shared option reaches every role without a second list to keep.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.options import AUTH_ARGSPEC, CONNECTION_ARGSPEC

VARIABLE_PREFIX = 'camunda_'
CONNECTION_OPTION_NAMES = tuple(CONNECTION_ARGSPEC) + tuple(AUTH_ARGSPEC)


def connection_options(variables, render):
    """``{option: value}`` for each shared option whose ``camunda_<option>`` variable is defined.

    ``variables`` are the task's variables; ``render`` templates one value (variables hold their
    templates unrendered). Secret values are passed on as they are and never named in a message: the
    modules' specs mark those options no_log, which hides them in every result and at any verbosity.
    """
    return {
        name: render(variables[VARIABLE_PREFIX + name])
        for name in CONNECTION_OPTION_NAMES
        if VARIABLE_PREFIX + name in variables
    }
