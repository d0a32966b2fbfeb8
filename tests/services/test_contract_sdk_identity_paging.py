# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Contract test of the searches camunda_identity pages through: Camunda's official Python client
(camunda-orchestration-sdk, 8.9 surface) follows `page.after` = `endCursor` across more than a thousand users, and
reads a group's members, all authorizations and the principal (`/authentication/me`) from the emulator.
"""

from __future__ import annotations

import pytest
import requests
from camunda_orchestration_sdk import CamundaClient
from camunda_orchestration_sdk.models import (
    AuthorizationSearchQuery,
    SearchUsersForGroupData,
    UserSearchQueryRequest,
)

from emulator import EmulatorServer

USERS = 1200


@pytest.fixture(scope='module')
def seeded():
    """A Basic emulator with USERS users, a group holding every tenth of them, and an authorization per group member."""
    with EmulatorServer(auth='basic') as running:
        with requests.Session() as session:
            session.auth = ('demo', 'demo')
            for index in range(USERS):
                session.post(
                    f'{running.url}/v2/users', json={'username': f'u{index:05d}', 'password': 'pw-1'}, timeout=10
                ).raise_for_status()
            session.post(
                f'{running.url}/v2/groups', json={'groupId': 'tenth', 'name': 'Tenth'}, timeout=10
            ).raise_for_status()
            for index in range(0, USERS, 10):
                session.put(f'{running.url}/v2/groups/tenth/users/u{index:05d}', timeout=10).raise_for_status()
                session.post(
                    f'{running.url}/v2/authorizations',
                    timeout=10,
                    json={
                        'ownerType': 'USER',
                        'ownerId': f'u{index:05d}',
                        'resourceType': 'PROCESS_DEFINITION',
                        'resourceId': '*',
                        'permissionTypes': ['READ_PROCESS_DEFINITION'],
                    },
                ).raise_for_status()
        yield running


@pytest.fixture
def sdk(seeded):
    return CamundaClient(
        configuration={
            'CAMUNDA_REST_ADDRESS': f'{seeded.url}/v2',
            'CAMUNDA_AUTH_STRATEGY': 'BASIC',
            'CAMUNDA_BASIC_AUTH_USERNAME': 'demo',
            'CAMUNDA_BASIC_AUTH_PASSWORD': 'demo',
            'CAMUNDA_TOKEN_DISK_CACHE_DISABLE': 'true',
            'CAMUNDA_SDK_BACKPRESSURE_PROFILE': 'LEGACY',
        }
    )


def test_thousands_of_users_page_by_cursor_without_gaps_or_repeats(sdk):
    first = sdk.search_users(data=UserSearchQueryRequest())
    assert first.page.total_items == USERS + 1 and len(first.items) == 100  # the server default page size
    answers = []
    after = None
    while True:
        page = {'limit': 500, **({'after': after} if after else {})}
        answer = sdk.search_users(data=UserSearchQueryRequest.from_dict({'page': page}))
        answers.append(answer)
        if len(answer.items) < 500:
            break
        after = answer.page.end_cursor
    usernames = [user.username for answer in answers for user in answer.items]
    assert len(answers) == 3 and len(usernames) == len(set(usernames)) == USERS + 1
    assert usernames == sorted(usernames)
    assert all(answer.page.has_more_total_items is False for answer in answers)


def test_member_authorization_and_principal_reads(sdk):
    members = sdk.search_users_for_group('tenth', data=SearchUsersForGroupData.from_dict({'page': {'limit': 1000}}))
    assert len(members.items) == USERS // 10 and members.page.total_items == USERS // 10
    authorizations = sdk.search_authorizations(data=AuthorizationSearchQuery.from_dict({'page': {'limit': 1000}}))
    assert len(authorizations.items) == USERS // 10
    assert {item.owner_type for item in authorizations.items} == {'USER'}
    assert sdk.get_authentication().username == 'demo'
