# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What the lookups share: options from keywords, camunda_* variables and the environment, and errors.

For internal collection use only: no stable interface.

Ansible's configuration gives the precedence users expect: keyword > camunda_* variable >
environment > default. The auth and client code read the options through the same OptionAdapter
as the modules, so a lookup and a module with the same credentials share one cached token.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase
from ansible.utils.display import Display

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, redact
from ansible_collections.community.camunda.plugins.module_utils._core.options import (
    OptionAdapter,
    auth_method_from_sdk_word,
)
from ansible_collections.community.camunda.plugins.module_utils._core.transport import HAS_REQUESTS

display = Display()


class CamundaLookupBase(LookupBase):
    def load_options(self, variables, kwargs):
        """Set the options of this run and return an adapter over them."""
        if not HAS_REQUESTS:
            raise AnsibleError(f'The {self._load_name} lookup needs the Python library requests on the controller.')
        self.set_options(var_options=variables, direct=kwargs)
        self._ignore_empty_environment()
        self._apply_auth_strategy_from_environment()
        return OptionAdapter.from_plugin(self)

    def _ignore_empty_environment(self):
        # An AWX/AAP credential sets every variable it injects, to '' for a field left empty, and the
        # configuration turns an empty path into the current folder. Keep '' as the modules see it
        # (an empty value counts as unset, and the token cache key stays the modules' one).
        # set_option() would read the environment again, so the value is replaced in place.
        for name in list(self._options):
            origin = self.get_option_and_origin(name)[1]
            if isinstance(origin, str) and origin.startswith('env: ') and os.environ.get(origin[5:]) == '':
                self._options[name] = ''

    def _apply_auth_strategy_from_environment(self):
        # CAMUNDA_AUTH_STRATEGY uses the SDKs' words (OAUTH, ...), which the choices check of Ansible's
        # configuration would refuse; so it is read here, below keywords and variables as usual.
        origin = self.get_option_and_origin('auth_method')[1]
        strategy = os.environ.get('CAMUNDA_AUTH_STRATEGY')
        if origin == 'default' and strategy:
            self.set_option('auth_method', auth_method_from_sdk_word(strategy))

    @staticmethod
    def context():
        return RunContext(warn=display.warning)

    def fail(self, error, options, prefix=''):
        """An AnsibleError for a CamundaError, with every secret redacted (lookups have no no_log)."""
        return AnsibleError(redact(f'{self._load_name}: {prefix}{error.msg}', options.secrets()))

    def call(self, options, function, *args):
        try:
            return function(*args)
        except CamundaError as exc:
            raise self.fail(exc, options) from None
