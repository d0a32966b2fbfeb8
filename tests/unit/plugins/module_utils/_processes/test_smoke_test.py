# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The smoke test core against an in-process emulator: every stage, each fault at its stage, cleanup, 403s.

A fault makes a stage impossible, so a short wait_timeout only bounds how long the failing test takes; the
healthy runs get a long one, which they never use up.
"""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError, ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_test import (
    PROBE_RESOURCE_NAME,
    Probe,
    load_probe,
    run_smoke_test,
)
from emulator import EmulatorServer

HEALTHY_TIMEOUT = 60.0
FAULT_TIMEOUT = 1.0


@pytest.fixture(scope='module')
def server():
    with EmulatorServer(auth='basic') as running:
        yield running


@pytest.fixture
def emulator(server):
    server.admin.reset()
    return server


def run(emulator, check_mode=False, **options):
    values = dict(
        url=emulator.url,
        auth_method='basic',
        username='demo',
        password='demo',
        retries=0,
        timeout=30.0,
        validate_certs=True,
        wait_timeout=HEALTHY_TIMEOUT,
        cleanup=False,
    )
    values.update(options)
    return run_smoke_test(OptionAdapter.from_dict(values), RunContext(check_mode=check_mode))


def failure(emulator, **options):
    with pytest.raises(CamundaError) as raised:
        run(emulator, **options)
    return raised.value


def test_healthy_cluster_passes_with_stage_times(emulator):
    first = run(emulator)
    assert first['passed'] and first['changed'] and first['failed_stage'] is None
    assert [stage['name'] for stage in first['stages']] == [
        'deploy',
        'create instance',
        'activate job',
        'complete job',
        'publish message',
        'complete instance',
    ]
    assert all(stage['seconds'] >= 0 for stage in first['stages']) and first['latency_seconds'] >= 0
    assert first['cancelled'] is None and first['deleted'] is None
    instance = emulator.app.processes.instances[first['process_instance_key']]
    assert instance.state == 'COMPLETED' and instance.variables['smokeRunId'] == first['run_id']

    second = run(emulator)
    assert second['passed'] and not second['changed']  # Zeebe's duplicate rule: the same version again
    assert second['process_definition_key'] == first['process_definition_key']
    assert second['run_id'] != first['run_id']


def test_cleanup_deletes_the_probe_definition(emulator):
    result = run(emulator, cleanup=True)
    assert result['passed'] and result['deleted'] == 'deleted' and result['changed']
    assert emulator.app.deployments.process_by_key(result['process_definition_key']) is None


def test_tenant_id_reaches_every_stage(emulator):
    result = run(emulator, tenant_id='tenant-a')
    assert result['passed'] and result['tenant_id'] == 'tenant-a'
    assert emulator.app.processes.instances[result['process_instance_key']].tenant_id == 'tenant-a'


@pytest.mark.parametrize(
    'fault, stage, words',
    [
        ({'creation_backpressure': True}, 'create instance', '429 RESOURCE_EXHAUSTED'),
        ({'creation_backpressure': 503}, 'create instance', '503 RESOURCE_EXHAUSTED'),
        ({'jobs_never_activatable': True}, 'activate job', 'no job of type'),
        ({'messages_never_correlated': True}, 'correlate message', 'it waits at smoke_message'),
        ({'instances_never_complete': True}, 'complete instance', 'it waits at smoke_completed'),
    ],
    ids=['backpressure-429', 'backpressure-503', 'jobs', 'messages', 'instances'],
)
def test_each_fault_fails_at_its_stage_and_the_instance_is_cancelled(emulator, fault, stage, words):
    emulator.admin.set_faults(**fault)
    error = failure(emulator, wait_timeout=FAULT_TIMEOUT)
    assert error.details['failed_stage'] == stage and words in error.msg, error.msg
    assert ('(backpressure: ' in error.msg) == (stage == 'create instance')
    assert error.msg.startswith(f"Smoke test failed at stage '{stage}': ")
    key = error.details.get('process_instance_key')
    if stage == 'create instance':
        assert key is None and 'cancelled' not in error.details
    else:
        assert error.details['cancelled'] == f'instance {key} cancelled'
        assert emulator.app.processes.instances[key].state == 'TERMINATED'


def test_a_failed_run_with_cleanup_cancels_then_deletes(emulator):
    emulator.admin.set_faults(jobs_never_activatable=True)
    error = failure(emulator, wait_timeout=FAULT_TIMEOUT, cleanup=True)
    assert error.details['cancelled'].endswith('cancelled') and error.details['deleted'] == 'deleted'


@pytest.mark.parametrize(
    'denied, stage, permission',
    [
        (None, 'deploy', 'PROCESS_DEFINITION: READ_PROCESS_DEFINITION'),  # the read before the deployment
        (
            'PROCESS_DEFINITION:CREATE_PROCESS_INSTANCE',
            'create instance',
            'PROCESS_DEFINITION: CREATE_PROCESS_INSTANCE',
        ),
        ('PROCESS_DEFINITION:UPDATE_PROCESS_INSTANCE', 'activate job', 'PROCESS_DEFINITION: UPDATE_PROCESS_INSTANCE'),
        ('MESSAGE:CREATE', 'publish message', 'MESSAGE: CREATE'),
    ],
)
def test_a_403_names_the_missing_permission(emulator, denied, stage, permission):
    if denied:
        emulator.admin.set_faults(denied_permissions=[denied])
    else:
        emulator.admin.set_faults(forbidden=['demo'])  # everything refused: the first stage names its permission
    error = failure(emulator, wait_timeout=FAULT_TIMEOUT)
    assert error.details['failed_stage'] == stage
    assert f'the credentials lack the permission {permission}' in error.msg and '403 FORBIDDEN' in error.msg


def test_check_mode_sends_nothing(emulator):
    result = run(emulator, check_mode=True)
    assert result['skipped'] and not result['changed'] and 'not run in check mode' in result['msg']
    assert emulator.admin.request_count() == 0


def test_the_shipped_probe_is_read_and_bad_probes_are_named():
    probe = load_probe(OptionAdapter.from_dict({}))
    assert (probe.process_id, probe.job_type, probe.message_name) == (
        'community_camunda_verify_smoke_probe',
        'community.camunda.verify.smoke',
        'community.camunda.verify.smoke',
    )
    assert probe.element_names['smoke_message'] == 'intermediateCatchEvent'
    assert PROBE_RESOURCE_NAME.startswith('community.camunda.')
    with pytest.raises(ConfigurationError, match='probe_bpmn is not well-formed XML'):
        Probe('<not xml')
    with pytest.raises(ConfigurationError, match='service task'):
        Probe('<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"><process id="p"/></definitions>')


def test_wait_timeout_must_be_positive(emulator):
    with pytest.raises(ConfigurationError, match='wait_timeout must be more than 0'):
        run(emulator, wait_timeout=0)
