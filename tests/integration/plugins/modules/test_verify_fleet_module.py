# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""verify_fleet through ansible-playbook (the action plugin on the controller): the version of each cluster before and
after, from a result's version_before and from the records of history_dir, and the record that keeps it."""

from __future__ import annotations

import json

import yaml

TASK = 'Put the clusters side by side'


def verify_result(version, **extra):
    checks = [dict(name='api', result='pass', reason='answered', problems=[], details=None)]
    return (
        dict(
            passed=True,
            checks=checks,
            url='https://ops:s3cret@camunda.example.com/v2',
            deployment='helm',
            auth_method='basic',
            topology=dict(gatewayVersion=version, clusterSize=1, partitionsCount=1, replicationFactor=1, brokers=[{}]),
        )
        | extra
    )


def test_versions_before_and_after_from_the_result_and_from_the_history(playbook, tmp_path):
    history = tmp_path / 'history'
    history.mkdir()
    (history / 'fleet-20261201T100000000000Z.json').write_text(
        json.dumps(
            dict(
                format=1,
                generated_at='2026-12-01T10:00:00+00:00',
                results={'dev': {'api': 'pass'}},
                versions={'dev': '8.8.3', 'qa': '8.9.0'},
            )
        )
    )
    play = tmp_path / 'fleet.yml'
    play.write_text(
        yaml.safe_dump(
            [
                dict(
                    hosts='localhost',
                    gather_facts=False,
                    tasks=[
                        dict(
                            name=TASK,
                            register='fleet',
                            **{
                                'community.camunda.verify_fleet': dict(
                                    results='{{ fleet_results }}', path=str(tmp_path / 'page'), history_dir=str(history)
                                )
                            },
                        )
                    ],
                )
            ]
        )
    )
    results = {
        'prod': verify_result('8.9.0', version_before='8.8.3'),
        'dev': verify_result('8.9.0'),
        'qa': verify_result('8.9.0'),
        'lab': None,
    }
    run = playbook(play, extra_vars={'fleet_results': results}).assert_ok()
    answer = run.task(TASK)
    assert answer['changed'] is False and answer['record_path'].startswith(str(tmp_path / 'page') + '/fleet-')
    fleet = answer['fleet']
    seen = {c['host']: (c['version_text'], c['version_source'], c['version_note']) for c in fleet['clusters']}
    assert seen == {
        'prod': ('8.8.3 -> 8.9.0', 'this run', 'upgraded in this run'),
        'dev': ('8.8.3 -> 8.9.0', 'history', 'upgraded since the run of 2026-12-01 10:00 UTC'),
        'qa': ('8.9.0', 'history', None),
        'lab': ('unknown', None, None),
    }
    assert fleet['versions_changed'] == 2 and fleet['record']['versions'] == {
        'prod': '8.9.0',
        'dev': '8.9.0',
        'qa': '8.9.0',
    }
    assert 's3cret' not in json.dumps(fleet)
