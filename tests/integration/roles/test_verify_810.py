# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The verify role against the Camunda 8.10 topology shape: zoned broker ids, replicas joining and leaving."""

from __future__ import annotations

from verify_runs import FAIL, VERIFY, checks_of, failed_checks


def test_zoned_cluster_with_a_replica_moving_passes_and_the_grid_names_the_zones(
    connections, emulator, playbook, tmp_path
):
    emulator.admin.set_cluster(
        api_version='8.10',
        version='8.10.0',
        brokers=4,
        partitions=2,
        replication_factor=2,
        zone_names=['eu-west-1', 'eu-west-2'],
    )
    emulator.admin.set_faults(joining=[[1, 1]], inactive=[[1, 1]])  # a joining replica is not yet active: no fault
    report = tmp_path / 'report.md'
    run = playbook(
        VERIFY, extra_vars=connections.none() | {'verify_expected_version': '8.10', 'verify_report_path': str(report)}
    ).assert_ok()
    checks = checks_of(run)
    assert checks['topology']['result'] == 'pass'
    assert checks['topology']['reason'].endswith(
        'every partition has a healthy leader; 1 replica(s) moving: partition 1: replica on broker eu-west-1_1 is joining (inactive, healthy)'
    )
    text = report.read_text()
    assert '| partition | broker eu-west-1_0 | broker eu-west-1_1 | broker eu-west-2_0 | broker eu-west-2_1 |\n' in text
    assert '| 1 | L ✓ | I ✓ (joining) | · | · |\n' in text


def test_zoned_cluster_faults_name_the_broker_id(connections, emulator, playbook):
    emulator.admin.set_cluster(
        api_version='8.10', brokers=4, partitions=2, replication_factor=2, zone_names=['eu-west-1', 'eu-west-2']
    )
    emulator.admin.set_faults(dead=[[2, 2]], missing_brokers=[3], broker_versions={'0': '8.9.1'})
    run = playbook(VERIFY, extra_vars=connections.none() | {'camunda_retries': 0})
    assert failed_checks(run) == ['topology', 'version']
    message = run.task(FAIL)['msg']
    for line in (
        'topology: 1 broker(s) missing: the cluster size is 4 but only 3 broker(s) answered (eu-west-1_0, eu-west-1_1, eu-west-2_0)',
        'topology: partition 2: replica on broker eu-west-2_0 is dead',
        'version: version mismatch: broker eu-west-1_0 runs 8.9.1, the gateway 8.8.0',
    ):
        assert line in message, line
