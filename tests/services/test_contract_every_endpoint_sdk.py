# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: Camunda's official Python client calls every endpoint the emulator serves, once each, and reads
every answer into its generated models. Under SDK 9.x (in .venv) the emulator is 8.9; under SDK 10.x
(.venv-sdk10, `make contract-sdk10`) it is 8.10 (sdk_contract.py). The other test_contract_sdk_* tests assert what
the answers say; this one proves that no endpoint is left out (client_coverage.py) and counts what the client reads.
"""

from __future__ import annotations


from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    AuthorizationIdBasedRequest,
    AuthorizationIdBasedRequestPermissionTypesItem,
    AuthorizationIdBasedRequestResourceType,
    GroupCreateRequest,
    GroupUpdateRequest,
    JobActivationRequest,
    JobCompletionRequest,
    MappingRuleCreateRequest,
    MappingRuleUpdateRequest,
    MessagePublicationRequest,
    OwnerTypeEnum,
    ProcessCreationByKey,
    ProcessInstanceSearchQuery,
    ProcessInstanceSearchQueryFilter,
    RoleCreateRequest,
    RoleUpdateRequest,
    TenantCreateRequest,
    TenantUpdateRequest,
    UserRequest,
    UserUpdateRequest,
)

from client_coverage import called_endpoints, uncovered
from emulator import EmulatorServer
from deployment_files import dmn, form, write
from sdk_contract import CAMUNDA_VERSION, MEMBERSHIPS, SDK_MAJOR, basic_client, create_request, update_request

from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_probe import PROBE_BPMN

JOB_TYPE = MESSAGE = 'community.camunda.verify.smoke'
BACKUP_ENDPOINTS = {
    (method, f'/v2/backups/{component}{tail}')
    for component in ('runtime', 'history')
    for method, tail in (('POST', ''), ('GET', ''), ('GET', '/{backupId}'), ('DELETE', '/{backupId}'))
}
EXPORTING_ENDPOINTS = {('POST', '/v2/exporting/pause'), ('POST', '/v2/exporting/resume'), ('GET', '/v2/exporting')}
# Served by the emulator at every version, but the 9.x client has no API for them (they are 8.10 endpoints).
NOT_IN_SDK = {9: {endpoint: 'an 8.10 endpoint' for endpoint in BACKUP_ENDPOINTS | EXPORTING_ENDPOINTS}, 10: {}}
CLUSTER = {9: {'version': CAMUNDA_VERSION}, 10: {'version': CAMUNDA_VERSION, 'api_version': '8.10'}}


class Sweep:
    """Runs calls and keeps one verdict per call: read (parsed), refused (an expected problem answer) or failed."""

    def __init__(self):
        self.verdicts = {}

    def call(self, name, function, *args, **kwargs):
        try:
            answer = function(*args, **kwargs)
        except errors.ApiError as error:
            self.verdicts[name] = ('failed', f'{error.status_code}: {error.content[:300]!r}')
            return None
        except Exception as error:  # pylint: disable=broad-except  # the client could not read the answer
            self.verdicts[name] = ('failed', f'{type(error).__name__}: {str(error)[:300]}')
            return None
        self.verdicts[name] = ('read', type(answer).__name__)
        return answer

    def refused(self, name, status, function, *args, **kwargs):
        try:
            function(*args, **kwargs)
        except errors.ApiError as error:
            read = error.status_code == status and b'"title"' in error.content
            self.verdicts[name] = ('refused' if read else 'failed', f'{error.status_code}: {error.content[:300]!r}')
            return
        except Exception as error:  # pylint: disable=broad-except
            self.verdicts[name] = ('failed', f'{type(error).__name__}: {str(error)[:300]}')
            return
        self.verdicts[name] = ('failed', f'answered, where a {status} refusal was expected')

    def failures(self):
        return {name: detail for name, (verdict, detail) in self.verdicts.items() if verdict == 'failed'}


def cluster_and_deployments(sweep, client, folder):
    sweep.call('topology', client.get_topology)
    sweep.call('status', client.get_status)
    sweep.call('license', client.get_license)
    sweep.call('authentication/me', client.get_authentication)
    deployed = sweep.call(
        'deploy',
        client.deploy_resources_from_files,
        [folder / 'probe.bpmn', folder / 'probe.dmn', folder / 'probe.form'],
    )
    process_key = deployed.processes[0].process_definition_key
    decision_key = deployed.decisions[0].decision_definition_key
    drg_key = deployed.decision_requirements[0].decision_requirements_key
    sweep.call('search process definitions', client.search_process_definitions)
    sweep.call('get process definition', client.get_process_definition, process_key)
    sweep.call('get process definition XML', client.get_process_definition_xml, process_key)
    sweep.call('search decision definitions', client.search_decision_definitions)
    sweep.call('get decision definition', client.get_decision_definition, decision_key)
    sweep.call('get decision definition XML', client.get_decision_definition_xml, decision_key)
    sweep.call('search decision requirements', client.search_decision_requirements)
    sweep.call('get decision requirements', client.get_decision_requirements, drg_key)
    sweep.call('get decision requirements XML', client.get_decision_requirements_xml, drg_key)
    # A process is not in the engine's resource state (RPA and other files): the engine's NOT_FOUND.
    sweep.refused('get resource', 404, client.get_resource, process_key)
    sweep.refused('get resource content', 404, client.get_resource_content, process_key)
    return process_key, drg_key


def processes(sweep, client, process_key):
    created = sweep.call(
        'create process instance',
        client.create_process_instance,
        data=ProcessCreationByKey.from_dict(
            {'processDefinitionKey': process_key, 'variables': {'smokeRunId': 'sweep'}}
        ),
    )
    activated = sweep.call(
        'activate jobs',
        client.activate_jobs,
        data=JobActivationRequest(
            type_=JOB_TYPE, timeout=60000, max_jobs_to_activate=5, request_timeout=5000, worker='sweep'
        ),
    )
    if activated is not None and activated.jobs:
        sweep.call('complete job', client.complete_job, activated.jobs[0].job_key, data=JobCompletionRequest())
    sweep.call(
        'publish message',
        client.publish_message,
        data=MessagePublicationRequest(name=MESSAGE, correlation_key='sweep', time_to_live=60000),
    )
    if created is not None:
        sweep.call('get process instance', client.get_process_instance, created.process_instance_key)
        sweep.call(
            'search process instances',
            client.search_process_instances,
            data=ProcessInstanceSearchQuery(
                filter_=ProcessInstanceSearchQueryFilter(process_definition_key=process_key)
            ),
        )
    sweep.call('search element instances', client.search_element_instances)
    waiting = sweep.call(
        'create process instance to cancel',
        client.create_process_instance,
        data=ProcessCreationByKey(process_definition_key=process_key),
    )
    if waiting is not None:
        # SDK 9.0.1 and 10.0.1 cannot send this without a body (their UNSET default fails to serialize): a user
        # passes data=None, which sends none.
        sweep.call('cancel process instance', client.cancel_process_instance, waiting.process_instance_key, data=None)


def cluster_variables(sweep, client):
    sweep.call(
        'create global cluster variable', client.create_global_cluster_variable, data=create_request('SWEEP', {'a': 1})
    )
    sweep.call('get global cluster variable', client.get_global_cluster_variable, 'SWEEP')
    sweep.call(
        'update global cluster variable', client.update_global_cluster_variable, 'SWEEP', data=update_request({'a': 2})
    )
    sweep.call('search cluster variables', client.search_cluster_variables)
    sweep.call('delete global cluster variable', client.delete_global_cluster_variable, 'SWEEP')
    sweep.call('create tenant', client.create_tenant, data=TenantCreateRequest(tenant_id='c-tenant', name='T'))
    sweep.call(
        'create tenant cluster variable',
        client.create_tenant_cluster_variable,
        'c-tenant',
        data=create_request('SWEEP', {'a': 1}),
    )
    sweep.call('get tenant cluster variable', client.get_tenant_cluster_variable, 'c-tenant', 'SWEEP')
    sweep.call(
        'update tenant cluster variable',
        client.update_tenant_cluster_variable,
        'c-tenant',
        'SWEEP',
        data=update_request({'a': 2}),
    )
    sweep.call('delete tenant cluster variable', client.delete_tenant_cluster_variable, 'c-tenant', 'SWEEP')


def identity(sweep, client):
    sweep.call('create user', client.create_user, data=UserRequest(username='c-user', password='pw-1', name='U'))
    sweep.call('get user', client.get_user, 'c-user')
    sweep.call('update user', client.update_user, 'c-user', data=UserUpdateRequest(name='U2'))
    sweep.call('search users', client.search_users)
    for noun, id_field, create_request_type, update_request_type in (
        ('group', 'group_id', GroupCreateRequest, GroupUpdateRequest),
        ('role', 'role_id', RoleCreateRequest, RoleUpdateRequest),
    ):
        sweep.call(
            f'create {noun}',
            getattr(client, f'create_{noun}'),
            data=create_request_type(**{id_field: f'c-{noun}'}, name='N'),
        )
        sweep.call(f'get {noun}', getattr(client, f'get_{noun}'), f'c-{noun}')
        sweep.call(
            f'update {noun}', getattr(client, f'update_{noun}'), f'c-{noun}', data=update_request_type(name='N2')
        )
        sweep.call(f'search {noun}s', getattr(client, f'search_{noun}s'))
    sweep.call('get tenant', client.get_tenant, 'c-tenant')
    sweep.call('update tenant', client.update_tenant, 'c-tenant', data=TenantUpdateRequest(name='T2'))
    sweep.call('search tenants', client.search_tenants)
    sweep.call(
        'create mapping rule',
        client.create_mapping_rule,
        data=MappingRuleCreateRequest(mapping_rule_id='c-rule', claim_name='client_id', claim_value='worker', name='R'),
    )
    sweep.call('get mapping rule', client.get_mapping_rule, 'c-rule')
    sweep.call(
        'update mapping rule',
        client.update_mapping_rule,
        'c-rule',
        data=MappingRuleUpdateRequest(claim_name='client_id', claim_value='worker-2', name='R2'),
    )
    sweep.call('search mapping rules', client.search_mapping_rule)
    for container, container_id, noun, member_id, assign, unassign, search, _field in MEMBERSHIPS:
        sweep.call(f'assign {noun} to {container}', getattr(client, assign), container_id, member_id)
        sweep.call(f'search {noun}s of {container}', getattr(client, search), container_id)
        sweep.call(f'unassign {noun} from {container}', getattr(client, unassign), container_id, member_id)
    sweep.call('search roles of group', client.search_roles_for_group, 'c-group')
    request = {
        'owner_id': 'c-user',
        'owner_type': OwnerTypeEnum.USER,
        'resource_id': '*',
        'resource_type': AuthorizationIdBasedRequestResourceType.PROCESS_DEFINITION,
        'permission_types': [AuthorizationIdBasedRequestPermissionTypesItem.READ_PROCESS_DEFINITION],
    }
    created = sweep.call(
        'create authorization', client.create_authorization, data=AuthorizationIdBasedRequest(**request)
    )
    if created is not None:
        key = str(created.authorization_key)
        sweep.call('get authorization', client.get_authorization, key)
        sweep.call(
            'update authorization', client.update_authorization, key, data=AuthorizationIdBasedRequest(**request)
        )
        sweep.call('search authorizations', client.search_authorizations)
        sweep.call('delete authorization', client.delete_authorization, key)
    for noun, entity_id in (
        ('mapping_rule', 'c-rule'),
        ('tenant', 'c-tenant'),
        ('group', 'c-group'),
        ('role', 'c-role'),
        ('user', 'c-user'),
    ):
        sweep.call(f'delete {noun}', getattr(client, f'delete_{noun}'), entity_id)


def backups_and_exporting(sweep, client):
    """The 8.10 success shapes (their errors and the backup model are the backup tests')."""
    from camunda_orchestration_sdk.models import (  # pylint: disable=import-outside-toplevel
        TakeHistoryBackupRequest,
        TakeRuntimeBackupRequest,
    )

    sweep.call('pause exporting', client.pause_exporting, soft=True)
    sweep.call('exporting status', client.get_exporting_status)
    sweep.call('resume exporting', client.resume_exporting)
    for component, request in (('runtime', TakeRuntimeBackupRequest), ('history', TakeHistoryBackupRequest)):
        sweep.call(f'take {component} backup', getattr(client, f'take_{component}_backup'), data=request(backup_id=7))
        sweep.call(f'get {component} backup', getattr(client, f'get_{component}_backup'), 7)
        sweep.call(f'list {component} backups', getattr(client, f'list_{component}_backups'))
        sweep.call(f'delete {component} backup', getattr(client, f'delete_{component}_backup'), 7)


def test_the_sdk_reads_every_endpoint(tmp_path):
    folder = write(tmp_path, {'probe.dmn': dmn('probe-drg', 'probe-decision'), 'probe.form': form('probe-form')})
    (folder / 'probe.bpmn').write_bytes(PROBE_BPMN)
    sweep = Sweep()
    with EmulatorServer(auth='basic', cluster=CLUSTER[SDK_MAJOR]) as emulator:
        with basic_client(emulator.url) as client:
            process_key, drg_key = cluster_and_deployments(sweep, client, folder)
            processes(sweep, client, process_key)
            cluster_variables(sweep, client)
            identity(sweep, client)
            if SDK_MAJOR >= 10:
                backups_and_exporting(sweep, client)
            # Last: the DRG (its decisions with it), so the definitions above were there to read.
            sweep.call('delete resource', client.delete_resource, drg_key, data=None)
        read = sum(verdict != 'failed' for verdict, _detail in sweep.verdicts.values())
        print(f'SDK {SDK_MAJOR}: {read} of {len(sweep.verdicts)} calls read')  # the figure in the closing note
        for name, detail in sweep.failures().items():
            print(f'  FAILED {name}: {detail}')
        assert sweep.failures() == {}
        refusals = {name: detail for name, (verdict, detail) in sweep.verdicts.items() if verdict == 'refused'}
        assert sorted(refusals) == ['get resource', 'get resource content']
        assert all('Expected to fetch resource but no resource found' in detail for detail in refusals.values())
        assert uncovered(emulator, NOT_IN_SDK[SDK_MAJOR]) == []
        assert not set(NOT_IN_SDK[SDK_MAJOR]) & called_endpoints(emulator)
