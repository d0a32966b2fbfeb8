# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml: every API module is in the camunda action group and routed to the one in-controller action plugin."""

from __future__ import annotations

import importlib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('camunda_*.py'))
ROUTED_ACTION = 'community.camunda.camunda_topology'
# The one action plugin bears a module's name only for ansible-test's action-plugin-docs check.
ACTION_FILE = ROOT / 'plugins' / 'action' / 'camunda_topology.py'


def runtime():
    return yaml.safe_load((ROOT / 'meta' / 'runtime.yml').read_text(encoding='utf-8'))


def test_every_module_is_in_the_action_group_in_alphabetical_order():
    group = runtime()['action_groups']['camunda']
    assert group == sorted(group)
    assert group == MODULES


def test_every_module_without_an_action_file_of_its_own_is_routed_to_the_one_action_plugin():
    routing = runtime().get('plugin_routing', {}).get('modules', {})
    for module in MODULES:
        own_file = ROOT / 'plugins' / 'action' / f'{module}.py'
        if own_file.exists() and own_file != ACTION_FILE:
            # a module with an action file of its own name (older style): it must still be the shared base
            assert 'CamundaActionBase' in own_file.read_text(encoding='utf-8'), module
            continue
        assert routing.get(module, {}).get('action_plugin') == ROUTED_ACTION, module
    assert 'class ActionModule(CamundaActionBase):\n    pass' in ACTION_FILE.read_text(encoding='utf-8')


def test_the_action_plugin_runs_the_spec_and_core_that_each_module_main_runs(monkeypatch):
    from ansible_collections.community.camunda.plugins.plugin_utils._action import module_entry

    for module in MODULES:
        spec, core, hide_result = module_entry(f'community.camunda.{module}')
        source = importlib.import_module(f'ansible_collections.community.camunda.plugins.modules.{module}')
        ran = []
        # main() hands its pair to the module shell (and camunda_identity its AnsibleModule subclass, which checks the
        # entries' shape); recorded here instead of starting AnsibleModule.
        monkeypatch.setattr(source, 'run_module', lambda *pair, recorded=ran, **_shell: recorded.append(pair))
        source.main()
        assert ran == [(spec, core)], module
        assert set(spec) == {
            'argument_spec',
            'mutually_exclusive',
            'required_if',
            'required_together',
            'required_one_of',
        }
        assert callable(core)
        assert hide_result is (module == 'camunda_token'), module
