# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The argument specs, the doc fragments and the environment table must say the same thing."""

from __future__ import annotations

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator

from ansible_collections.community.camunda.plugins.doc_fragments import _auth as auth_fragment
from ansible_collections.community.camunda.plugins.doc_fragments import _connection as connection_fragment
from ansible_collections.community.camunda.plugins.module_utils._core.options import (
    AUTH_ARGSPEC,
    CONNECTION_ARGSPEC,
    OPTION_ENVIRONMENT,
    SECRET_OPTIONS,
    OptionAdapter,
    module_spec,
)

FRAGMENTS = (connection_fragment.ModuleDocFragment, auth_fragment.ModuleDocFragment)


def documented(part):
    options = {}
    for fragment in FRAGMENTS:
        options.update(yaml.safe_load(getattr(fragment, part))['options'])
    return options


def test_every_shared_option_is_documented_for_modules_and_lookups():
    names = set(CONNECTION_ARGSPEC) | set(AUTH_ARGSPEC)
    assert set(documented('DOCUMENTATION')) == names
    assert set(documented('PLUGINS')) == names


def test_lookup_environment_lists_are_the_module_ones_reversed():
    # Modules take the first variable that is set; Ansible's config takes the last one.
    plugin_docs = documented('PLUGINS')
    for option, names in OPTION_ENVIRONMENT.items():
        if option == 'auth_method':
            continue  # CAMUNDA_AUTH_STRATEGY needs its SDK words translated: handled by the lookup base
        assert [entry['name'] for entry in plugin_docs[option]['env']] == list(reversed(names)), option


def test_every_option_has_a_camunda_variable_added_with_it():
    module_docs = documented('DOCUMENTATION')
    for option, doc in documented('PLUGINS').items():
        assert doc['vars'] == [
            {'name': f'camunda_{option}', 'version_added': str(module_docs[option]['version_added'])}
        ]


def test_environment_names_appear_in_the_descriptions():
    docs = documented('DOCUMENTATION')
    for option, names in OPTION_ENVIRONMENT.items():
        text = ' '.join(docs[option]['description'])
        for name in names:
            assert f'E({name})' in text, (option, name)


def test_types_defaults_and_choices_match_the_argspec():
    docs = documented('DOCUMENTATION')
    for name, spec in {**CONNECTION_ARGSPEC, **AUTH_ARGSPEC}.items():
        assert docs[name]['type'] == spec['type'], name
        assert docs[name].get('default') == spec.get('default'), name
        assert docs[name].get('choices') == spec.get('choices'), name


def test_secrets_are_no_log():
    for name in SECRET_OPTIONS:
        assert AUTH_ARGSPEC[name]['no_log'] is True


def validate(params, environ, monkeypatch):
    for name in [n for names in OPTION_ENVIRONMENT.values() for n in names]:
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    spec = module_spec()
    result = ArgumentSpecValidator(spec['argument_spec'], mutually_exclusive=spec['mutually_exclusive']).validate(
        params
    )
    return result


def test_environment_fallbacks_fill_missing_options(monkeypatch):
    result = validate(
        {},
        {
            'ZEEBE_REST_ADDRESS': 'http://zeebe:8080',
            'CAMUNDA_REST_ADDRESS': 'http://camunda:8080',
            'ZEEBE_CLIENT_ID': 'legacy',
            'CAMUNDA_AUTH_STRATEGY': 'OAUTH',
        },
        monkeypatch,
    )
    assert result.error_messages == []
    values = result.validated_parameters
    assert values['url'] == 'http://camunda:8080'
    assert values['client_id'] == 'legacy'
    assert values['auth_method'] == 'oidc'


def test_task_arguments_beat_the_environment(monkeypatch):
    result = validate({'url': 'http://task:8080'}, {'CAMUNDA_REST_ADDRESS': 'http://env:8080'}, monkeypatch)
    assert result.validated_parameters['url'] == 'http://task:8080'


def test_secret_from_the_environment_becomes_a_no_log_value(monkeypatch):
    result = validate({}, {'CAMUNDA_CLIENT_SECRET': 's3cr3t-from-env'}, monkeypatch)
    assert 's3cr3t-from-env' in result._no_log_values


def test_unknown_sdk_strategy_word_fails_the_choices_check(monkeypatch):
    result = validate({}, {'CAMUNDA_AUTH_STRATEGY': 'COOKIE'}, monkeypatch)
    assert 'auth_method must be one of: auto, basic, bearer, none, oidc, got: COOKIE' in ' '.join(result.error_messages)


def test_certificate_and_keystore_exclude_each_other(monkeypatch):
    result = validate({'client_cert': '/a', 'client_keystore': '/b'}, {}, monkeypatch)
    assert 'mutually exclusive: client_cert|client_keystore' in ' '.join(result.error_messages)


@pytest.mark.parametrize('values,expected', [({'a': 1}, 1), ({'a': None}, 'fallback'), ({}, 'fallback')])
def test_adapter_returns_the_default_for_missing_and_none(values, expected):
    assert OptionAdapter.from_dict(values).get('a', 'fallback') == expected


def test_adapter_lists_only_present_secrets():
    options = OptionAdapter.from_dict({'password': 'pw', 'client_secret': None, 'username': 'demo'})
    assert options.secrets() == ['pw']
