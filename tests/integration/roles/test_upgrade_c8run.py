# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The upgrade role on Camunda 8 Run through ansible-playbook: folders in the shape of real C8 Run folders
(tests/support/c8run_folders.py), their start and stop scripts the stand-ins (the target's start rolls the emulator
onto the version its .env names, as the new C8 Run coming up would), an emulator at 8.8.3 as the running cluster.
Check mode first, then the run (backup first, stop, copies, start, wait, verify, report), a second run that changes
nothing; a target folder of another version refused before anything is stopped; the H2 case reported."""

from __future__ import annotations

import json
import sys

import c8run_folders
import pytest
import yaml
from upgrade_runs import JUDGE, UPGRADE, backup_writes, play_vars

STANDIN_HOME = c8run_folders.STANDINS.parent
SECRET = 'c8run-pa55-7d1e09'


@pytest.fixture
def c8run(tmp_path, emulator):
    """An 8.8.3 C8 Run (one broker) with the bundled Elasticsearch; returns a runner of the upgrade playbook."""
    emulator.admin.set_cluster(brokers=1, partitions=1, replication_factor=1, version='8.8.3')
    current = c8run_folders.write(tmp_path / 'c8run-8.8.3', '8.8.3', connectors='8.8.2', elasticsearch='8.17.3')
    target = c8run_folders.write(tmp_path / 'c8run-8.9.0', '8.9.0', ran=False)
    record = tmp_path / 'record.jsonl'

    def run(playbook, check=False, verbosity=0, rollout=None, diff=False, **variables):
        extra = (
            dict(
                **play_vars(emulator, 'c8run', optimize=False),
                upgrade_to_version='8.9.0',
                upgrade_c8run_dir=str(current),
                upgrade_c8run_target_dir=str(target),
                upgrade_report_path=str(tmp_path / 'report.md'),
            )
            | variables
        )
        env = dict(
            STANDIN_PYTHON=sys.executable,
            STANDIN_HOME=str(STANDIN_HOME),
            STANDIN_RECORD=str(record),
            STANDIN_STATE=str(tmp_path / 'state'),
            STANDIN_UPGRADE_EMULATOR=emulator.url,
            STANDIN_UPGRADE_ROLLOUT=json.dumps(rollout or {}),
        )
        outcome = playbook(UPGRADE, extra_vars=extra, env=env, check=check, verbosity=verbosity, diff=diff)
        outcome.result = outcome.task(JUDGE)['ansible_facts']['upgrade_result'] if outcome.tasks(JUDGE) else None
        outcome.report = (tmp_path / 'report.md').read_text()
        outcome.scripts = [
            (json.loads(line)['argv'][0], json.loads(line)['cwd'])
            for line in (record.read_text().splitlines() if record.exists() else [])
        ]
        return outcome

    run.current, run.target = current, target
    return run


def test_88_with_elasticsearch_to_89_check_mode_the_run_and_a_second_run(c8run, emulator, playbook):
    # configure_auth's files: a secret imported by application.yaml, Connectors' login read by the starting shell
    (c8run.current / 'configuration' / 'application-auth-secrets.yaml').write_text(
        f'camunda:\n  security:\n    initialization:\n      users:\n        - password: {SECRET}\n'
    )
    (c8run.current / 'configuration' / 'connectors-auth.env').write_text(f"CAMUNDA_CLIENT_AUTH_PASSWORD='{SECRET}'\n")
    before = c8run_folders.snapshot(c8run.current)
    target_default = (c8run.target / 'configuration' / 'application.yaml').read_text()

    predicted = c8run(playbook, check=True).assert_ok()
    assert predicted.result['outcome'] == 'predicted' and predicted.result['would_run'] == [
        'backup',
        f'apply: stop the C8 Run in {c8run.current}, copy your configuration, the Zeebe data into {c8run.target}, '
        'start the C8 Run there',
        'wait',
        'verify',
    ]
    assert predicted.scripts == [] and backup_writes(emulator) == []
    assert not (c8run.target / 'camunda-zeebe-8.9.0' / 'data').exists()
    plan = next(f for f in predicted.result['findings'] if f['id'] == 'c8run_carry_over')
    assert 'camunda-zeebe-8.8.3/data/ -> camunda-zeebe-8.9.0/data/' in plan['message']
    assert {f['id'] for f in predicted.result['findings']} >= {'c8run_new_settings', 'c8run_elasticsearch_not_bundled'}

    run = c8run(
        playbook, verbosity=4, diff=True, upgrade_c8run_start_env_file='configuration/connectors-auth.env'
    ).assert_ok()
    assert SECRET not in run.output and SECRET not in run.report
    result = run.result
    assert result['outcome'] == 'upgraded' and result['changed'] is True
    assert result['version_before'] == '8.8.3' and result['version_after'] == '8.9.0'
    assert [s['step'] for s in result['steps']] == ['preflight', 'backup', 'apply', 'wait', 'verify']
    assert result['backup_id'] is not None and backup_writes(emulator)
    # the old C8 Run stopped in its folder, then the target started in its own
    assert run.scripts == [('stop', str(c8run.current)), ('start', str(c8run.target))]
    assert c8run_folders.snapshot(c8run.current) == before  # copied from, never changed
    copied = c8run.target / 'camunda-zeebe-8.9.0' / 'data' / 'raft-partition' / 'partitions' / '1' / 'snapshot'
    assert copied.read_text() == 'state of 8.8.3\n'
    for name in ('application.yaml', 'application-auth-secrets.yaml', 'connectors-auth.env'):
        assert (c8run.target / 'configuration' / name).read_bytes() == before[f'configuration/{name}']
    assert (c8run.target / 'configuration' / 'application.yaml.dist').read_text() == target_default
    assert not (c8run.target / 'elasticsearch-8.17.3').exists()  # 8.9 bundles none: its data stays (a warning)
    topology = emulator.admin.state()['topology']
    assert {b['version'] for b in topology['brokers']} == {'8.9.0'} and topology['gatewayVersion'] == '8.9.0'
    apply = next(s for s in result['steps'] if s['step'] == 'apply')
    assert f'copied your configuration, the Zeebe data into {c8run.target}' in apply['detail']
    assert '**upgraded**' in run.report and 'chart:' not in run.report

    again = c8run(playbook).assert_ok()
    assert again.result['outcome'] == 'unchanged' and again.result['changed'] is False
    assert again.scripts == run.scripts  # nothing stopped, started or copied again
    assert (
        yaml.safe_load((c8run.target / 'configuration' / 'application.yaml').read_text())
        == c8run_folders.DEFAULT_CONFIG['8.8']
    )


def test_a_target_folder_of_another_version_is_refused_before_anything_is_stopped(c8run, emulator, playbook, tmp_path):
    other = c8run_folders.write(tmp_path / 'c8run-8.9.1', '8.9.1', ran=False)
    refused = c8run(playbook, upgrade_c8run_target_dir=str(other))
    assert refused.rc != 0 and refused.result['outcome'] == 'failed' and refused.result['stopped_at'] == 'preflight'
    assert refused.scripts == [] and backup_writes(emulator) == []
    assert f'The target folder {other} holds Camunda 8 Run 8.9.1' in refused.result['msg']
    assert emulator.admin.state()['topology']['brokers'][0]['version'] == '8.8.3'
    (tmp_path / 'empty').mkdir()
    unpacked_nowhere = c8run(playbook, upgrade_c8run_target_dir=str(tmp_path / 'empty'))
    assert unpacked_nowhere.rc != 0 and unpacked_nowhere.scripts == [] and 'Traceback' not in unpacked_nowhere.output
    assert f'c8run_target_dir: {tmp_path / "empty"} has no .env with CAMUNDA_VERSION' in unpacked_nowhere.result['msg']
    unnamed = c8run(playbook, upgrade_c8run_target_dir='')
    assert unnamed.rc != 0 and unnamed.result is None and unnamed.scripts == []
    assert 'upgrade_c8run_target_dir to the folder the target version' in unnamed.output


def test_h2_is_reported_and_only_the_configuration_is_carried_over(c8run, emulator, playbook, tmp_path):
    emulator.admin.set_cluster(version='8.9.2', secondary_storage='rdbms')
    h2 = c8run_folders.write(tmp_path / 'c8run-8.9.2', '8.9.2')
    target = c8run_folders.write(tmp_path / 'c8run-8.9.3', '8.9.3', ran=False)
    predicted = c8run(
        playbook,
        check=True,
        upgrade_c8run_dir=str(h2),
        upgrade_c8run_target_dir=str(target),
        upgrade_to_version='8.9.3',
        backup_secondary_storage='rdbms',
    ).assert_ok()
    warning = next(f for f in predicted.result['findings'] if f['id'] == 'c8run_h2_nothing_carried_over')
    assert warning['severity'] == 'warning' and 'starts empty' in warning['message']
    plan = next(f for f in predicted.result['findings'] if f['id'] == 'c8run_carry_over')
    assert (
        'your configuration (configuration/ -> configuration/) into' in plan['message']
        and 'Zeebe' not in plan['message']
    )
    assert 'starts empty' in predicted.report and predicted.scripts == []

    run = c8run(
        playbook,
        upgrade_c8run_dir=str(h2),
        upgrade_c8run_target_dir=str(target),
        upgrade_to_version='8.9.3',
        backup_secondary_storage='rdbms',
    ).assert_ok()
    assert run.result['outcome'] == 'upgraded' and run.scripts == [('stop', str(h2)), ('start', str(target))]
    assert not (h2 / 'camunda-zeebe-8.9.2' / 'data').exists()  # C8 Run's own stop deleted it (H2)
    assert not (target / 'camunda-zeebe-8.9.3' / 'data').exists()  # and the role pretends to carry nothing
    assert (target / 'configuration' / 'application.yaml').read_text() == (
        h2 / 'configuration' / 'application.yaml'
    ).read_text()


def test_a_broker_that_never_comes_back_gives_the_way_back_to_your_untouched_folder(c8run, emulator, playbook):
    before = c8run_folders.snapshot(c8run.current)
    failed = c8run(playbook, rollout={'stuck': [0]}, upgrade_wait_timeout=2)
    assert failed.rc != 0 and failed.result['outcome'] == 'failed' and failed.result['stopped_at'] == 'wait'
    assert failed.scripts == [('stop', str(c8run.current)), ('start', str(c8run.target))]
    assert c8run_folders.snapshot(c8run.current) == before
    way_back = failed.result['way_back']
    assert (
        f'stopped the C8 Run in {c8run.current}; copied your configuration, the Zeebe data into {c8run.target}'
        in way_back
    )
    assert f'cd {c8run.target} && ./shutdown.sh' in way_back and f'cd {c8run.current} && ./start.sh' in way_back
    assert f'backup {failed.result["backup_id"]}' in way_back and 'helm' not in way_back
