# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
name: kubernetes_core_support
short_description: Whether the installed kubernetes.core collection works with a given helm CLI
version_added: 0.4.0
author:
  - community.camunda contributors (@ansible-collections)
description:
  - Finds the C(kubernetes.core) collection where Ansible loads it from on the controller (the configured collection
    paths, then Python's path) and reads its version from its C(MANIFEST.json).
  - Compares it with the first C(kubernetes.core) release that supports Helm v4 (6.4.0), when the helm CLI is Helm v4.
  - Used by the roles that apply Helm changes with C(kubernetes.core.helm) to stop before anything is written.
  - Runs nothing; the helm version is given as the term.
options:
  _terms:
    description: The output of C(helm version --short) (V(v4.3.2+g1a2b3c4)); empty when unknown.
    type: str
    required: false
'''

EXAMPLES = r'''
- name: Read the version of helm
  ansible.builtin.command:
    argv: [helm, version, --short]
  register: helm_version
  changed_when: false

- name: Stop when kubernetes.core does not work with this helm
  ansible.builtin.assert:
    that: support.supported
    fail_msg: >-
      kubernetes.core {{ support.version }} does not support helm 4: install {{ support.helm4_floor }} or later.
  vars:
    support: "{{ lookup('community.camunda.kubernetes_core_support', helm_version.stdout) }}"
'''

RETURN = r'''
_raw:
  description:
    - One dictionary; with C(query) a list holding it.
  type: list
  elements: dict
  contains:
    version:
      description: The version of the C(kubernetes.core) found, or an empty string when none is installed.
      type: str
    helm4_floor:
      description: The first C(kubernetes.core) release that supports Helm v4.
      type: str
      sample: 6.4.0
    supported:
      description:
        - False only when the helm CLI is Helm v4 and the C(kubernetes.core) found is older than C(helm4_floor).
        - True when either is unknown.
      type: bool
'''

from ansible.errors import AnsibleError
from ansible.plugins.lookup import LookupBase

from ansible_collections.community.camunda.plugins.plugin_utils._kubernetes_core import installed_version, support


class LookupModule(LookupBase):
    def run(self, terms, variables=None, **kwargs):
        if len(terms) > 1 or kwargs:
            raise AnsibleError(
                'kubernetes_core_support takes one term, the output of helm version --short '
                f'(given: {len(terms)} term(s), options: {", ".join(sorted(kwargs)) or "none"})'
            )
        return [support(installed_version(), str(terms[0]) if terms else '')]
