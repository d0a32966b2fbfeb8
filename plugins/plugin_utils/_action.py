# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Run an API module's core in the controller process when the task's connection is local.

For internal collection use only: no stable interface.

One action plugin serves every API module: ``meta/runtime.yml`` routes each module to
``community.camunda.camunda_topology`` (``plugin_routing.modules.<name>.action_plugin``; the name is a
module's because ansible-test wants every action plugin to have one), which
finds the module's ``SPEC`` and ``CORE`` (and ``HIDE_RESULT``) in the module file itself.

Almost every task of this collection talks HTTP from the controller. A module task still pays for
a new Python process that imports requests before it sends one request; in the controller the
same core code runs in the worker process that Ansible already has. The action plugin validates the
task arguments with the module's own spec object, applies the task's ``environment`` (the module
would see it), runs the core, and shapes the result as AnsibleModule would: same fields,
``invocation``, warnings, and no_log values removed. Anything else (another connection, ``become``,
``async``, requests missing in the controller, or ``camunda_run_in_controller: false``) runs the
module on the target as usual.
"""

from __future__ import annotations

import contextlib
import importlib
import os

from ansible import constants as C
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.module_utils.common.parameters import remove_values
from ansible.module_utils.errors import UnsupportedError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, redact
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.transport import HAS_REQUESTS

# Task or play variable that forces the module path (for debugging, or to send requests from the target).
RUN_IN_CONTROLLER_VARIABLE = 'camunda_run_in_controller'
COLLECTION = 'community.camunda'


def module_entry(module_fqcn):
    """(SPEC, CORE, HIDE_RESULT) of an API module of this collection, read from its module file."""
    namespace, collection, name = module_fqcn.split('.', 2)
    if f'{namespace}.{collection}' != COLLECTION:
        raise AnsibleActionFail(
            f'{module_fqcn} is not a module of {COLLECTION}: the in-controller action runs only those.'
        )
    module = importlib.import_module(f'ansible_collections.{namespace}.{collection}.plugins.modules.{name}')
    if getattr(module, 'SPEC', None) is None or getattr(module, 'CORE', None) is None:
        raise AnsibleActionFail(f'{module_fqcn} has no SPEC and CORE: it cannot run in the controller.')
    return module.SPEC, module.CORE, getattr(module, 'HIDE_RESULT', False)


def module_arguments_check(module_fqcn):
    """The module's ARGUMENTS_CHECK, or None: a message for a mistake in the raw arguments that the spec's own
    message would not name (the module file calls it before AnsibleModule)."""
    namespace, collection, name = module_fqcn.split('.', 2)
    module = importlib.import_module(f'ansible_collections.{namespace}.{collection}.plugins.modules.{name}')
    return getattr(module, 'ARGUMENTS_CHECK', None)


@contextlib.contextmanager
def task_environment(environment):
    """The task's ``environment`` in os.environ while the core runs, as the module process would have it.

    A worker process runs one task for one host, so changing its environment for the task is safe;
    it is restored anyway.
    """
    saved = {name: os.environ.get(name) for name in environment}
    os.environ.update({name: str(value) for name, value in environment.items()})
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


class CamundaActionBase(ActionBase):
    """Runs the task's module in the controller, with the SPEC and CORE of the module file."""

    SPEC = None
    CORE = None
    # The result holds a secret (camunda_token): hide it from every output, keep it for register.
    HIDE_RESULT = False
    ARGUMENTS_CHECK = None

    _supports_check_mode = True
    _supports_async = True

    def _load_module_entry(self):
        context = self._shared_loader_obj.module_loader.find_plugin_with_context(
            self._task.action, collection_list=self._task.collections
        )
        if not context.resolved:
            raise AnsibleActionFail(f'{self._task.action}: no module of that name to run.')
        spec, core, hide_result = module_entry(context.resolved_fqcn)
        # On the instance: one action object serves one task.
        self.SPEC, self.CORE, self.HIDE_RESULT = spec, core, hide_result
        self.ARGUMENTS_CHECK = module_arguments_check(context.resolved_fqcn)

    def run(self, tmp=None, task_vars=None):
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        self._load_module_entry()
        if self.runs_in_controller(task_vars):
            result.update(self._run_core())
            if not self.module_results_carry_invocation(task_vars):
                result.pop('invocation', None)
        else:
            result.update(self._execute_module(module_args=self._task.args, task_vars=task_vars))
        if self.HIDE_RESULT:
            result['_ansible_no_log'] = True
        return result

    @staticmethod
    def module_results_carry_invocation(task_vars):
        """Whether a module's result holds ``invocation`` on this ansible-core, so that both paths agree.

        ansible-core 2.21 adds it only when INJECT_INVOCATION is on (default off); earlier versions always do.
        """
        if 'INJECT_INVOCATION' not in C.config.get_configuration_definitions():
            return True
        return boolean(C.config.get_config_value('INJECT_INVOCATION', variables=task_vars), strict=False)

    def runs_in_controller(self, task_vars):
        """True when the core can run here and give the same result as the module on the target."""
        requested = task_vars.get(RUN_IN_CONTROLLER_VARIABLE, True)
        if not boolean(self._templar.template(requested), strict=False):
            return False
        local = getattr(self._connection, 'transport', None) in ('local', 'ansible.builtin.local')
        return local and HAS_REQUESTS and not self._task.async_val and not self._play_context.become

    def _run_core(self):
        environment = {}
        self._compute_environment_string(environment)
        with task_environment(environment):
            validation = ArgumentSpecValidator(**self.SPEC).validate(dict(self._task.args))
            # ansible-core offers no public accessor for the no_log values the validator collected (the values of
            # no_log options, nested ones and those set from an environment fallback); AnsibleModule reads this same
            # private attribute. Without it remove_values could not hide them as the module path does.
            no_log_values = validation._no_log_values
            parameters = validation.validated_parameters
            if validation.error_messages:
                clearer = self.ARGUMENTS_CHECK(dict(self._task.args)) if self.ARGUMENTS_CHECK else None
                result = dict(failed=True, msg=clearer or self._validation_message(validation))
            else:
                result = self._call_core(parameters)
        result['invocation'] = {'module_args': parameters}
        return remove_values(result, no_log_values)

    def _call_core(self, parameters):
        options = OptionAdapter.from_dict(parameters)
        context = RunContext(check_mode=bool(self._play_context.check_mode), diff=bool(self._play_context.diff))
        try:
            result = self.CORE(options, context)
        except CamundaError as exc:
            result = dict(exc.details, failed=True, msg=redact(exc.msg, options.secrets()))
        if context.warnings:
            result['warnings'] = context.warnings
        return result

    def _validation_message(self, validation):
        # The same wording as AnsibleModule, so both paths fail alike.
        message = validation.errors.msg
        if isinstance(validation.errors[0], UnsupportedError):
            message = f'Unsupported parameters for ({self._task.action}) module: {message}'
        return message
