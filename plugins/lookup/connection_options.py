# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: connection_options
short_description: The Camunda connection options of the camunda_* variables that are defined, for module_defaults
version_added: 0.4.0
author:
  - community.camunda contributors (@ansible-collections)
description:
  - Returns a dictionary of the shared connection and auth options (O(community.camunda.camunda_topology#module:url),
    O(community.camunda.camunda_topology#module:auth_method), O(community.camunda.camunda_topology#module:password), ...)
    whose C(camunda_<option>) variable is defined, each with that variable's value.
  - Meant for the action-specific C(module_defaults) of a role's tasks. An option whose variable is not defined is left
    out, so the play's C(module_defaults) group C(group/community.camunda.camunda) and then the environment names
    Camunda's SDKs read stay in force for it.
  - The option names are those of the collection's modules, so every role passes on every shared option.
  - Secret values (passwords, tokens, client secrets, passphrases) are passed on unchanged; the modules hide them
    (no_log) in every result. Do not print the dictionary.
  - Takes no terms and no options; it reads nothing but the task's variables and sends no request.
seealso:
  - module: community.camunda.camunda_topology
  - plugin: community.camunda.camunda_api
    plugin_type: lookup
'''

EXAMPLES = r'''
- name: Tasks of a role, connected through the camunda_* variables that are set
  module_defaults:
    community.camunda.camunda_topology: "{{ lookup('community.camunda.connection_options') }}"
    community.camunda.camunda_cluster_info: "{{ lookup('community.camunda.connection_options') }}"
  block:
    - name: Read the topology
      community.camunda.camunda_topology:

- name: A module's own options added to the connection
  module_defaults:
    community.camunda.camunda_backup: "{{ lookup('community.camunda.connection_options') | combine({'wait_interval': 5}) }}"
  block:
    - name: Take a backup
      community.camunda.camunda_backup:
'''

RETURN = r'''
_raw:
  description:
    - One dictionary of option name to value, holding only the options whose C(camunda_*) variable is defined.
    - With C(lookup) the dictionary itself; with C(query) a list holding it.
  type: list
  elements: dict
'''

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.community.camunda.plugins.plugin_utils._connection_options import connection_options


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if terms or kwargs:
            # Only the names of keywords: a term or value could be a secret.
            given = f'{len(terms)} term(s)' + (f", options {', '.join(sorted(kwargs))}" if kwargs else '')
            raise AnsibleError(
                f'connection_options takes no terms and no options (given: {given}); it reads the '
                "camunda_* variables: use lookup('community.camunda.connection_options')"
            )
        return [connection_options(variables or {}, self._templar.template)]
