# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kubernetes.core a controller loads, read from its MANIFEST.json, against the helm 4 floor."""

from __future__ import annotations

import json
import types

import pytest

from ansible.errors import AnsibleError

from ansible_collections.community.camunda.plugins.lookup.kubernetes_core_support import LookupModule
from ansible_collections.community.camunda.plugins.plugin_utils._kubernetes_core import (
    HELM4_FLOOR,
    helm_major,
    installed_version,
    support,
)


def package_in(folder, version):
    (folder / 'MANIFEST.json').write_text(json.dumps({'collection_info': {'version': version}}))
    return lambda name: types.SimpleNamespace(__file__=str(folder / '__synthetic__'))


def test_the_version_comes_from_the_manifest_of_the_collection_the_loader_finds(tmp_path):
    assert installed_version(package_in(tmp_path, '6.6.0')) == '6.6.0'


def test_no_collection_or_no_manifest_is_an_empty_version(tmp_path):
    def missing(name):
        raise ImportError(name)

    assert installed_version(missing) == ''
    assert installed_version(lambda name: types.SimpleNamespace(__file__=str(tmp_path / '__synthetic__'))) == ''


@pytest.mark.parametrize(
    'output, major',
    [('v4.3.2+g1a2b3c4', 4), ('v3.19.0+gabc', 3), ('4.0.0', 4), ('', None), ('Error: unknown flag', None)],
)
def test_the_helm_major_version_is_read_from_version_short(output, major):
    assert helm_major(output) == major


@pytest.mark.parametrize(
    'collection, helm, supported',
    [
        ('6.3.0', 'v4.3.2+g1a2b3c4', False),
        ('5.4.0', 'v4.0.0', False),
        (HELM4_FLOOR, 'v4.3.2', True),
        ('6.10.0', 'v4.3.2', True),  # compared as numbers, not as text
        ('6.3.0', 'v3.19.0', True),  # helm 3: any kubernetes.core with reset_then_reuse_values will do
        ('', 'v4.3.2', True),  # none found: the roles say so on their own
        ('6.3.0', '', True),  # helm unknown: the apply step reports a missing or broken helm
    ],
)
def test_only_an_older_kubernetes_core_with_helm_4_is_unsupported(collection, helm, supported):
    assert support(collection, helm) == {'version': collection, 'helm4_floor': '6.4.0', 'supported': supported}


def test_the_lookup_takes_one_term_at_most():
    with pytest.raises(AnsibleError, match='takes one term'):
        LookupModule().run(['v4.3.2', 'v3'])
    [answer] = LookupModule().run(['v3.19.0'])
    assert answer['supported'] is True and answer['helm4_floor'] == HELM4_FLOOR
