# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test: Camunda's official Python client (camunda-orchestration-sdk, pinned for the 8.9 surface)
works against the emulator, with Basic auth and with OIDC tokens from the real test IdP.

The client parses every answer into its generated models, which insist on the documented required fields,
enums and types; so it failing here means the emulator strays from the contract.
"""

from __future__ import annotations

import pytest
from camunda_orchestration_sdk import errors
from camunda_orchestration_sdk.models import (
    OffsetBasedPagination,
    SortOrderEnum,
    UserRequest,
    UserSearchQueryRequest,
    UserSearchQueryRequestFilter,
    UserSearchQuerySortRequest,
    UserSearchQuerySortRequestField,
)

from emulator import EmulatorServer
from sdk_contract import sdk_client


def exercise_the_contract(client, username):
    """Topology and license read, then a user created, read, searched and deleted, all through the SDK."""
    topology = client.get_topology()
    assert topology.cluster_size == 3 and topology.partitions_count == 3 and topology.replication_factor == 3
    assert len(topology.brokers) == 3
    roles = sorted(str(partition.role) for broker in topology.brokers for partition in broker.partitions)
    assert roles == ['follower'] * 6 + ['leader'] * 3
    assert {str(partition.health) for broker in topology.brokers for partition in broker.partitions} == {'healthy'}

    license_ = client.get_license()
    assert license_.valid_license is False and license_.license_type == 'unknown'

    created = client.create_user(data=UserRequest(username=username, password='pw-1', name='Contract', email='c@x.io'))
    assert (created.username, created.name, created.email) == (username, 'Contract', 'c@x.io')
    with pytest.raises(errors.ConflictError):
        client.create_user(data=UserRequest(username=username, password='pw-2'))

    fetched = client.get_user(username)
    assert (fetched.username, fetched.name, fetched.email) == (username, 'Contract', 'c@x.io')

    found = client.search_users(
        data=UserSearchQueryRequest(
            filter_=UserSearchQueryRequestFilter(username=username),
            sort=[UserSearchQuerySortRequest(field=UserSearchQuerySortRequestField.USERNAME, order=SortOrderEnum.DESC)],
            page=OffsetBasedPagination(from_=0, limit=10),
        )
    )
    assert [user.username for user in found.items] == [username]
    assert found.page.total_items == 1

    client.delete_user(username)
    with pytest.raises(errors.NotFoundError):
        client.get_user(username)


@pytest.fixture(scope='module')
def basic_emulator():
    with EmulatorServer(auth='basic') as running:
        yield running


def test_sdk_with_basic_auth(basic_emulator):
    basic_emulator.admin.reset()
    with sdk_client(
        basic_emulator.url,
        CAMUNDA_AUTH_STRATEGY='BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME='demo',
        CAMUNDA_BASIC_AUTH_PASSWORD='demo',
    ) as client:
        exercise_the_contract(client, 'sdk-basic-user')
    assert basic_emulator.admin.request_count('/v2/users') == 2  # the create and the conflicting create


def test_sdk_with_wrong_basic_password_is_refused(basic_emulator):
    basic_emulator.admin.reset()
    with sdk_client(
        basic_emulator.url,
        CAMUNDA_AUTH_STRATEGY='BASIC',
        CAMUNDA_BASIC_AUTH_USERNAME='demo',
        CAMUNDA_BASIC_AUTH_PASSWORD='wrong',
    ) as client:
        with pytest.raises(errors.UnauthorizedError):
            client.get_topology()


def test_sdk_reads_status_and_its_outage(basic_emulator):
    basic_emulator.admin.reset()
    with sdk_client(basic_emulator.url) as client:  # no credentials: /v2/status is public
        assert client.get_status() is None
        basic_emulator.admin.set_faults(status_down=True)
        with pytest.raises(errors.ServiceUnavailableError):
            client.get_status()


@pytest.fixture
def oidc_services(clean_services):
    clean_services.emulator.admin.set_auth('oidc')
    yield clean_services
    clean_services.emulator.admin.reset()


def test_sdk_with_oidc_client_credentials_from_the_idp(oidc_services):
    idp, emulator = oidc_services.idp, oidc_services.emulator
    client_id = idp.clients.secret.id
    with sdk_client(
        emulator.url,
        CAMUNDA_AUTH_STRATEGY='OAUTH',
        CAMUNDA_OAUTH_URL=idp.token_url,
        CAMUNDA_CLIENT_ID=client_id,
        CAMUNDA_CLIENT_SECRET=idp.clients.secret.secret,
        CAMUNDA_TOKEN_AUDIENCE=idp.audience,
        CAMUNDA_MTLS_CA_PATH=idp.ca_path,
    ) as client:
        exercise_the_contract(client, 'sdk-oidc-user')
    assert idp.token_requests(client_id=client_id, outcome='ok') >= 1  # the SDK really got its token there
    assert emulator.admin.request_count('/v2/topology') == 1


def test_sdk_with_the_saas_token_endpoint(oidc_services):
    idp, emulator = oidc_services.idp, oidc_services.emulator
    if idp.saas_token_url is None:
        pytest.fail(f'the {idp.kind} IdP has no SaaS token endpoint; this test needs one')
    with sdk_client(
        emulator.url,
        CAMUNDA_AUTH_STRATEGY='OAUTH',
        CAMUNDA_OAUTH_URL=idp.saas_token_url,
        CAMUNDA_CLIENT_ID=idp.clients.secret.id,
        CAMUNDA_CLIENT_SECRET=idp.clients.secret.secret,
        CAMUNDA_TOKEN_AUDIENCE=idp.saas_audience,
        CAMUNDA_MTLS_CA_PATH=idp.ca_path,
    ) as client:
        assert client.get_topology().cluster_size == 3


def test_sdk_without_a_token_is_refused_in_oidc_mode(oidc_services):
    with sdk_client(oidc_services.emulator.url, CAMUNDA_AUTH_STRATEGY='NONE') as client:
        with pytest.raises(errors.UnauthorizedError):
            client.get_topology()
