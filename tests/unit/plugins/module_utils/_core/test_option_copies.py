# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Every copy of the option names, environment names and secrecy outside _options.py says what _options.py says.

The doc fragments are checked in test_options.py; here: the AWX credential type and docs/environment.md. The
roles keep no copy of the option names: they take the connection from the connection_options lookup (a list of
their own once lost ``retry_max_wait`` in the backup role).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from ansible_collections.community.camunda.plugins.module_utils._core.options import (
    AUTH_ARGSPEC,
    AUTH_METHODS,
    CONNECTION_ARGSPEC,
    OPTION_ENVIRONMENT,
    SECRET_OPTIONS,
)

ROOT = Path(__file__).resolve().parents[5]
SHARED_OPTIONS = set(CONNECTION_ARGSPEC) | set(AUTH_ARGSPEC)
OPTION_OF_VARIABLE = {name: option for option, names in OPTION_ENVIRONMENT.items() for name in names}
# PEM content fields of the AWX credential: written to a file, whose path goes to the option.
AWX_FILE_FIELDS = {'ca_certificate': 'ca_path', 'client_certificate': 'client_cert', 'client_key': 'client_key'}
# A private key's content is a secret even though the option holding its path is not.
SECRET_FILE_FIELDS = {'client_key'}


def test_secret_options_are_exactly_the_no_log_ones():
    no_log = {name for name, spec in {**CONNECTION_ARGSPEC, **AUTH_ARGSPEC}.items() if spec.get('no_log')}
    assert set(SECRET_OPTIONS) == no_log
    assert {'password', 'token', 'client_secret', 'client_key_passphrase', 'client_keystore_password'} <= no_log


def string_lists(node):
    """Every list of strings in a parsed YAML document."""
    if isinstance(node, dict):
        for value in node.values():
            yield from string_lists(value)
    elif isinstance(node, list):
        if node and all(isinstance(item, str) for item in node):
            yield node
        for item in node:
            yield from string_lists(item)


def test_no_role_keeps_a_list_of_the_connection_options():
    role_files = sorted((ROOT / 'roles').glob('*/*/*.yml'))
    assert role_files
    for path in role_files:
        for names in string_lists(yaml.safe_load(path.read_text(encoding='utf-8'))):
            assert len(SHARED_OPTIONS.intersection(names)) < 3, (
                f'{path.relative_to(ROOT)} lists connection options: {names}'
            )


@pytest.mark.parametrize('role, variable', [('verify', '_verify_connection'), ('backup', '_backup_options')])
def test_the_roles_take_the_connection_from_the_lookup(role, variable):
    role_vars = yaml.safe_load((ROOT / 'roles' / role / 'vars' / 'main.yml').read_text(encoding='utf-8'))
    assert "lookup('community.camunda.connection_options')" in role_vars[variable]
    assert "varnames', '^camunda_'" not in role_vars[variable]


def awx_fields_and_options():
    credential = yaml.safe_load(
        (ROOT / 'extensions' / 'awx' / 'camunda_credential_type.yml').read_text(encoding='utf-8')
    )
    env = credential['injectors']['env']
    options = {}
    for field in credential['inputs']['fields']:
        if field['id'] in AWX_FILE_FIELDS:
            options[field['id']] = AWX_FILE_FIELDS[field['id']]
            continue
        variables = [name for name, template in env.items() if re.search(r'\{\{\s*' + field['id'] + r'\b', template)]
        assert len(variables) == 1, field['id']
        options[field['id']] = OPTION_OF_VARIABLE[variables[0]]
    return credential, options


def test_awx_credential_fields_feed_the_option_of_their_name_with_its_secrecy_and_choices():
    credential, options = awx_fields_and_options()
    for field in credential['inputs']['fields']:
        option = options[field['id']]
        assert option in SHARED_OPTIONS
        if field['id'] not in AWX_FILE_FIELDS:
            assert field['id'] == option, f'field {field["id"]} feeds option {option}'
        secret = option in SECRET_OPTIONS or field['id'] in SECRET_FILE_FIELDS
        assert field.get('secret', False) is secret, field['id']
        if 'choices' in field:
            assert set(field['choices']) <= set(AUTH_METHODS), field['id']
    # every injected file path reaches the option through one of its environment names
    env = credential['injectors']['env']
    for field, option in AWX_FILE_FIELDS.items():
        assert any(
            OPTION_OF_VARIABLE.get(name) == option and 'tower.filename.' in template for name, template in env.items()
        ), field


def environment_table():
    """{option: [names]} from the first table of docs/environment.md."""
    text = (ROOT / 'docs' / 'environment.md').read_text(encoding='utf-8')
    table = {}
    for line in text.split('Names the SDKs read that this collection does not')[0].splitlines():
        cells = [cell.strip() for cell in line.strip().strip('|').split('|')]
        if len(cells) != 2 or not cells[0].startswith('`'):
            continue
        options = re.findall(r'`([a-z_]+)`', cells[0])
        if cells[1].startswith('none'):
            continue  # proxy: requests reads the standard variables itself
        # names come first; a parenthesis explains values (CAMUNDA_AUTH_STRATEGY's words)
        names = re.findall(r'`([A-Z][A-Z0-9_]+)`', cells[1].split('(')[0])
        if len(options) == 1:
            table[options[0]] = names
        else:
            assert len(options) == len(names), line  # one name per option, in the same order
            table.update({option: [name] for option, name in zip(options, names)})
    return table


def test_environment_document_lists_every_name_in_the_order_they_are_read():
    assert environment_table() == {option: list(names) for option, names in OPTION_ENVIRONMENT.items()}
