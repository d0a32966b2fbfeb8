# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The roles' options builder: every shared option whose camunda_* variable is defined, rendered, and nothing else."""

from __future__ import annotations

import pytest

from ansible.errors import AnsibleError
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar

from ansible_collections.community.camunda.plugins.lookup.connection_options import LookupModule
from ansible_collections.community.camunda.plugins.module_utils._core.options import AUTH_ARGSPEC, CONNECTION_ARGSPEC
from ansible_collections.community.camunda.plugins.plugin_utils._connection_options import (
    CONNECTION_OPTION_NAMES,
    connection_options,
)

try:
    from ansible.template import trust_as_template
except ImportError:  # before ansible-core 2.19 every string is a template

    def trust_as_template(value):
        return value


def test_the_option_names_are_the_modules_shared_options():
    assert set(CONNECTION_OPTION_NAMES) == set(CONNECTION_ARGSPEC) | set(AUTH_ARGSPEC)
    assert len(CONNECTION_OPTION_NAMES) == len(set(CONNECTION_OPTION_NAMES))
    assert 'retry_max_wait' in CONNECTION_OPTION_NAMES


def test_every_defined_variable_becomes_its_option_and_nothing_else_does():
    variables = {f'camunda_{name}': f'value of {name}' for name in CONNECTION_OPTION_NAMES}
    variables.update(camunda_run_in_controller=False, camunda_hosts='all', url='not a camunda_ variable', backup_keep=2)
    options = connection_options(variables, render=lambda value: value)
    assert options == {name: f'value of {name}' for name in CONNECTION_OPTION_NAMES}


def test_an_undefined_variable_leaves_its_option_out_and_a_defined_empty_one_is_passed_on():
    options = connection_options(
        {'camunda_url': 'http://c:8080', 'camunda_password': '', 'camunda_token': None}, render=lambda value: value
    )
    assert options == {'url': 'http://c:8080', 'password': '', 'token': None}


def test_each_value_is_rendered():
    rendered = connection_options(
        {'camunda_timeout': '{{ 2 * 5 }}', 'camunda_retries': 1}, render=lambda value: f'rendered {value}'
    )
    assert rendered == {'timeout': 'rendered {{ 2 * 5 }}', 'retries': 'rendered 1'}


def lookup(variables):
    loader = DataLoader()
    plugin = LookupModule(loader=loader, templar=Templar(loader=loader, variables=variables))
    return plugin


def test_the_lookup_renders_templates_in_the_variables_of_the_task():
    variables = {
        'camunda_url': trust_as_template('http://{{ camunda_host }}:8080'),
        'camunda_host': 'zeebe',
        'camunda_retry_max_wait': 7.5,
        'camunda_password': trust_as_template('{{ vault_password }}'),
        'vault_password': 's3cret-vault',
    }
    result = lookup(variables).run([], variables)
    assert result == [{'url': 'http://zeebe:8080', 'retry_max_wait': 7.5, 'password': 's3cret-vault'}]


def test_the_lookup_refuses_terms_without_echoing_them():
    with pytest.raises(AnsibleError) as refused:
        lookup({}).run(['s3cret-term'], {}, password='s3cret-keyword')
    message = str(refused.value)
    assert 'takes no terms and no options (given: 1 term(s), options password)' in message
    assert "lookup('community.camunda.connection_options')" in message
    assert 's3cret' not in message
