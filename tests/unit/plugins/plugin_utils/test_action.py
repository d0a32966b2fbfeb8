# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The routed action plugin finds a module's SPEC and CORE in the module file, and only in this collection's."""

from __future__ import annotations

import os

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.community.camunda.plugins.module_utils._auth.access_token import TOKEN_SPEC, run_token
from ansible_collections.community.camunda.plugins.plugin_utils._action import module_entry, task_environment


def test_the_entry_of_a_module_is_read_from_its_file():
    assert module_entry('community.camunda.camunda_token') == (TOKEN_SPEC, run_token, True)


def test_a_module_of_another_collection_is_refused():
    with pytest.raises(AnsibleActionFail, match='community.general.keycloak_user is not a module of community.camunda'):
        module_entry('community.general.keycloak_user')


def test_the_task_environment_is_set_for_the_core_and_restored(monkeypatch):
    monkeypatch.setenv('CAMUNDA_REST_ADDRESS', 'http://before')
    monkeypatch.delenv('CAMUNDA_CLIENT_ID', raising=False)
    with task_environment({'CAMUNDA_REST_ADDRESS': 'http://task', 'CAMUNDA_CLIENT_ID': 42}):
        assert os.environ['CAMUNDA_REST_ADDRESS'] == 'http://task' and os.environ['CAMUNDA_CLIENT_ID'] == '42'
    assert os.environ['CAMUNDA_REST_ADDRESS'] == 'http://before' and 'CAMUNDA_CLIENT_ID' not in os.environ
