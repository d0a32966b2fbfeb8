# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smoke test's probe is one definition: in module_utils (so an AnsiballZ payload carries it), used by the
module's default and by the verify role, with no second copy whose bytes could differ."""

from __future__ import annotations

from pathlib import Path

from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import read_bpmn
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import (
    PROBE_BPMN,
    PROBE_RESOURCE_NAME,
)
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_test import load_probe

ROOT = Path(__file__).resolve().parents[5]


def test_the_probe_is_bytes_of_one_executable_process():
    assert isinstance(PROBE_BPMN, bytes) and PROBE_BPMN.startswith(b'<?xml ')
    assert [d.id for d in read_bpmn(PROBE_RESOURCE_NAME, PROBE_BPMN)] == ['community_camunda_verify_smoke_probe']


def test_the_module_default_is_the_definition_byte_for_byte():
    assert load_probe(OptionAdapter.from_dict({})).bpmn == PROBE_BPMN


def test_the_verify_role_passes_no_copy_of_its_own():
    task = (ROOT / 'roles' / 'verify' / 'tasks' / 'probe_smoke_test.yml').read_text()
    assert 'community.camunda.camunda_smoke_test' in task and 'probe_bpmn' not in task
    copies = [path for path in (ROOT / 'roles').rglob('*.bpmn') if PROBE_RESOURCE_NAME in path.name]
    assert copies == []
