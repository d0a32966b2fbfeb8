# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""meta/runtime.yml: every API module is in the camunda action group, and has its in-controller action plugin."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[3]
MODULES = sorted(path.stem for path in (ROOT / 'plugins' / 'modules').glob('camunda_*.py'))


def test_every_module_is_in_the_action_group_in_alphabetical_order():
    runtime = yaml.safe_load((ROOT / 'meta' / 'runtime.yml').read_text(encoding='utf-8'))
    group = runtime['action_groups']['camunda']
    assert group == sorted(group)
    assert group == MODULES


def test_every_module_has_an_action_plugin_with_the_same_spec():
    for module in MODULES:
        action = (ROOT / 'plugins' / 'action' / f'{module}.py').read_text(encoding='utf-8')
        assert 'CamundaActionBase' in action, module
        text = (ROOT / 'plugins' / 'modules' / f'{module}.py').read_text(encoding='utf-8')
        spec = next(word for word in text.replace('(', ' ').replace(',', ' ').split() if word.endswith('_SPEC'))
        assert f'SPEC = {spec}' in action, (module, spec)
