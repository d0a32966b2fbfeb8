# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: Camunda's official Python client runs the verify role's probe process against the emulator.

Every endpoint the smoke test calls goes through the client's generated models (which insist on the documented
required fields, enums and types): deployment, instance creation (also with awaitCompletion), job activation
and completion, message publication, instance read and search, element instance search, cancellation.
"""

from __future__ import annotations


import pytest
from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    ElementInstanceSearchQuery,
    ElementInstanceSearchQueryFilter,
    JobActivationRequest,
    JobCompletionRequest,
    MessagePublicationRequest,
    ProcessCreationByKey,
    ProcessInstanceSearchQuery,
    ProcessInstanceSearchQueryFilter,
    ProcessInstanceStateExactMatch,
)
from camunda_orchestration_sdk.models.job_completion_request_variables import JobCompletionRequestVariables
from camunda_orchestration_sdk.models.process_instance_creation_instruction_by_key_variables import (
    ProcessInstanceCreationInstructionByKeyVariables,
)

from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import (
    PROBE_BPMN,
    PROBE_RESOURCE_NAME,
)
from emulator import EmulatorServer
from sdk_contract import sdk_client

JOB_TYPE = MESSAGE = 'community.camunda.verify.smoke'


@pytest.fixture(scope='module')
def probe_file(tmp_path_factory):
    """The probe as a file under its resource name: the SDK deploys files."""
    path = tmp_path_factory.mktemp('probe') / PROBE_RESOURCE_NAME
    path.write_bytes(PROBE_BPMN)
    return path


@pytest.fixture(scope='module')
def emulator():
    with EmulatorServer(auth='basic') as running:
        yield running


def variables(cls, **values):
    built = cls()
    built.additional_properties.update(values)
    return built


def test_the_sdk_runs_the_probe(emulator, probe_file):
    emulator.admin.reset()
    with sdk_client(
        emulator.url,
        CAMUNDA_AUTH_STRATEGY='BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME='demo',
        CAMUNDA_BASIC_AUTH_PASSWORD='demo',
    ) as client:
        deployment = client.deploy_resources_from_files([probe_file])
        [process] = deployment.processes
        assert process.process_definition_id == 'community_camunda_verify_smoke_probe'
        key = process.process_definition_key

        created = client.create_process_instance(
            data=ProcessCreationByKey(
                process_definition_key=key,
                variables=variables(ProcessInstanceCreationInstructionByKeyVariables, smokeRunId='sdk-run'),
            )
        )
        instance_key = created.process_instance_key
        assert created.process_definition_key == key and created.tenant_id == '<default>'

        activated = client.activate_jobs(
            data=JobActivationRequest(
                type_=JOB_TYPE, timeout=60000, max_jobs_to_activate=5, request_timeout=10000, worker='sdk'
            )
        )
        [job] = activated.jobs
        assert job.process_instance_key == instance_key and job.variables.additional_properties == {
            'smokeRunId': 'sdk-run'
        }
        assert str(job.kind) == 'BPMN_ELEMENT' and job.worker == 'sdk' and job.element_id == 'smoke_job'
        client.complete_job(
            job.job_key, data=JobCompletionRequest(variables=variables(JobCompletionRequestVariables, worked=True))
        )

        waiting = client.search_element_instances(
            data=ElementInstanceSearchQuery(filter_=ElementInstanceSearchQueryFilter(process_instance_key=instance_key))
        )
        assert {(item.element_id, str(item.state)) for item in waiting.items} == {
            ('smoke_started', 'COMPLETED'),
            ('smoke_job', 'COMPLETED'),
            ('smoke_message', 'ACTIVE'),
        }

        published = client.publish_message(
            data=MessagePublicationRequest(
                name=MESSAGE, correlation_key='sdk-run', time_to_live=60000, message_id='sdk-run'
            )
        )
        assert published.tenant_id == '<default>' and published.message_key

        instance = client.get_process_instance(instance_key)
        assert str(instance.state) == 'COMPLETED' and instance.end_date is not None
        found = client.search_process_instances(
            data=ProcessInstanceSearchQuery(filter_=ProcessInstanceSearchQueryFilter(process_definition_key=key))
        )
        assert [item.process_instance_key for item in found.items] == [instance_key]

        # awaitCompletion: the new instance waits for its job, so the creation times out (504) and it keeps running.
        with pytest.raises(errors.GatewayTimeoutError):
            client.create_process_instance(
                data=ProcessCreationByKey(
                    process_definition_key=key,
                    await_completion=True,
                    request_timeout=100,
                    variables=variables(ProcessInstanceCreationInstructionByKeyVariables, smokeRunId='waits'),
                )
            )
        [running] = client.search_process_instances(
            data=ProcessInstanceSearchQuery(
                filter_=ProcessInstanceSearchQueryFilter(state=ProcessInstanceStateExactMatch.ACTIVE)
            )
        ).items
        client.cancel_process_instance(running.process_instance_key, data=None)  # UNSET fails to serialize in 9.0.1
        assert str(client.get_process_instance(running.process_instance_key).state) == 'TERMINATED'
        with pytest.raises(errors.NotFoundError):
            client.cancel_process_instance(running.process_instance_key, data=None)  # UNSET fails to serialize in 9.0.1


def test_the_sdk_sees_backpressure_on_creation(emulator, probe_file):
    emulator.admin.reset()
    emulator.admin.set_faults(creation_backpressure=503)  # the status the 8.9 spec documents for the SDK to map
    with sdk_client(
        emulator.url,
        CAMUNDA_AUTH_STRATEGY='BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME='demo',
        CAMUNDA_BASIC_AUTH_PASSWORD='demo',
    ) as client:
        key = client.deploy_resources_from_files([probe_file]).processes[0].process_definition_key
        with pytest.raises(errors.ServiceUnavailableError) as raised:
            client.create_process_instance(data=ProcessCreationByKey(process_definition_key=key))
        assert b'RESOURCE_EXHAUSTED' in raised.value.content
