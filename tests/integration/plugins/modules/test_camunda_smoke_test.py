# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_smoke_test through one ansible-playbook run (-vvvv, scanned for the password): the healthy run with
its latencies, changed only the first time, check mode sending nothing, each fault failing at its stage, a
missing permission named, and the module path."""

from __future__ import annotations

from pathlib import Path

import requests

SMOKE_TEST = Path(__file__).parent / 'playbooks' / 'smoke_test.yml'
USER, PASSWORD = 'smoke-operator', 'Sm0ke-pa55word-of-this-test'
STAGES = ['deploy', 'create instance', 'activate job', 'complete job', 'publish message', 'complete instance']


def test_smoke_test_module(emulator, playbook):
    emulator.admin.set_auth('basic')
    response = requests.post(
        f'{emulator.url}/v2/users',
        auth=('demo', 'demo'),
        timeout=30,
        json={'username': USER, 'password': PASSWORD, 'name': 'Smoke', 'email': 's@x.io'},
    )
    assert response.status_code in (200, 201), response.text
    run = playbook(
        SMOKE_TEST,
        verbosity=4,
        extra_vars=dict(camunda_url=emulator.url, camunda_username=USER, camunda_password=PASSWORD),
    )
    assert run.rc == 0, run.output
    assert PASSWORD not in run.output

    healthy = run.task('Healthy run')
    assert healthy['passed'] and healthy['changed'] and [s['name'] for s in healthy['stages']] == STAGES
    assert healthy['latency_seconds'] >= 0 and 'The probe ran end to end in' in healthy['msg']
    assert run.task('Second run')['changed'] is False and run.task('Second run')['passed']

    checked = run.task('Check mode run')
    assert checked['_status'] == 'skipped' and 'not run in check mode' in checked['msg'], checked

    # The AnsiballZ payload carries the probe, byte for byte the one the controller-side runs deployed.
    module_path = run.task('Module path with the shipped probe')
    assert module_path['passed'] and module_path['changed'] is False, module_path

    expected = {
        'Smoke test under backpressure': ('create instance', '429 RESOURCE_EXHAUSTED'),
        'Smoke test with jobs never activatable': ('activate job', 'no job of type'),
        'Smoke test with messages never correlated': ('correlate message', 'did not correlate the message'),
        'Smoke test with instances never completing': ('complete instance', 'did not complete within 1 s'),
        'Smoke test without permission to publish': ('publish message', 'lack the permission MESSAGE: CREATE'),
    }
    for name, (stage, words) in expected.items():
        result = run.task(name)
        assert result['_status'] == 'failed' and result['failed_stage'] == stage and words in result['msg'], (
            name,
            result,
        )
    assert run.task('Smoke test with instances never completing')['deleted'] == 'deleted'
    assert run.task('Smoke test with jobs never activatable')['cancelled'].endswith('cancelled')
    # Every instance the runs created was completed or cancelled: nothing is left running.
    assert {i.state for i in emulator.app.processes.instances.values()} <= {'COMPLETED', 'TERMINATED'}
