# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's rolling upgrade (emulator/upgrade.py): one broker per topology read, a stuck broker, a smoke
test that fails afterwards; driven by reads, never the clock."""

from __future__ import annotations

from emulator.upgrade import UpgradeAdmin


def versions(api):
    document = api.get('topology').json()
    return {b['nodeId']: b['version'] for b in document['brokers']}, document['gatewayVersion']


def test_brokers_restart_one_by_one_from_the_highest_id_and_the_gateway_follows_the_last(server, api):
    server.admin.set_cluster(version='8.8.3')
    UpgradeAdmin(server.admin).start('8.9.0')
    seen = [versions(api) for _read in range(6)]
    assert seen == [
        ({0: '8.8.3', 1: '8.8.3'}, '8.8.3'),  # broker 2 restarting: not in the topology
        ({0: '8.8.3', 1: '8.8.3', 2: '8.9.0'}, '8.8.3'),  # back on the new version: mixed versions
        ({0: '8.8.3', 2: '8.9.0'}, '8.8.3'),
        ({0: '8.8.3', 1: '8.9.0', 2: '8.9.0'}, '8.8.3'),
        ({1: '8.9.0', 2: '8.9.0'}, '8.8.3'),
        ({0: '8.9.0', 1: '8.9.0', 2: '8.9.0'}, '8.9.0'),  # done: the gateway reports the new version
    ]
    assert versions(api) == seen[-1]
    state = UpgradeAdmin(server.admin).state()
    assert state['finished'] is True and state['done'] == [2, 1, 0]


def test_a_stuck_broker_comes_back_on_the_old_version_and_the_gateway_stays(server, api):
    server.admin.set_cluster(version='8.8.3')
    UpgradeAdmin(server.admin).start('8.9.0', stuck=[1])
    for _read in range(6):
        api.get('topology')
    assert versions(api) == ({0: '8.9.0', 1: '8.8.3', 2: '8.9.0'}, '8.8.3')
    assert UpgradeAdmin(server.admin).state()['stuck'] == [1]


def test_smoke_fails_only_once_the_rollout_has_ended(server, api):
    UpgradeAdmin(server.admin).start('8.9.0', smoke_fails=True)
    api.get('topology')
    assert server.admin.state()['faults']['instances_never_complete'] is False
    for _read in range(5):
        api.get('topology')
    assert server.admin.state()['faults']['instances_never_complete'] is True


def test_a_reset_ends_the_rollout_and_a_bad_request_is_refused(server, api):
    UpgradeAdmin(server.admin).start('8.9.0')
    server.admin.reset()
    assert UpgradeAdmin(server.admin).state() == {}
    response = server.admin._session.post(server.url + '/__emulator__/upgrade', json={})
    assert response.status_code == 400 and 'to_version' in response.json()['error']
