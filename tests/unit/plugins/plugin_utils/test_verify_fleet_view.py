# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""plugin_utils/_verify_fleet.py: the fleet matrix, since when failures last, links, and what is never shown."""

from __future__ import annotations

import datetime
import json

import pytest

from ansible_collections.community.camunda.plugins.plugin_utils._verify_fleet import (
    anchor,
    failing_since,
    fleet_view,
    read_history,
    without_userinfo,
)

NOW = datetime.datetime(2026, 12, 1, 12, 0, tzinfo=datetime.timezone.utc)


def at(hour):
    return datetime.datetime(2026, 12, 1, hour, 0, tzinfo=datetime.timezone.utc)


def result(url='https://camunda.example.com/v2', version='8.8.1', **outcomes):
    checks = [
        dict(
            name=name,
            result=outcomes.get(name.replace(' ', '_'), 'pass'),
            reason=f'{name} said so',
            problems=[],
            details=None,
        )
        for name in ('api', 'auth posture', 'credentials', 'topology', 'version')
    ]
    checks += [
        dict(name=name.replace('_', ' '), result=value, reason='extra', problems=[], details={'latency_ms': 12})
        for name, value in outcomes.items()
        if name in ('connectors', 'smoke_test')
    ]
    return dict(
        passed=all(c['result'] != 'fail' for c in checks),
        checks=checks,
        url=url,
        deployment='helm',
        auth_method='basic',
        principal=dict(username='ops'),
        license=dict(licenseType='saas'),
        topology=dict(
            gatewayVersion=version, clusterSize=3, partitionsCount=3, replicationFactor=3, brokers=[{}, {}, {}]
        ),
        grid=dict(columns=[], rows=[]),
    )


def test_matrix_columns_cells_and_totals():
    fleet = fleet_view(
        {'prod': result(), 'dev': result(topology='fail', connectors='pass'), 'qa': result(smoke_test='fail')},
        folder='/reports',
        now=NOW,
    )
    assert fleet['checks'] == ['api', 'auth posture', 'credentials', 'topology', 'version', 'connectors', 'smoke test']
    rows = {c['host']: [cell['result'] for cell in c['cells']] for c in fleet['clusters']}
    assert rows['prod'] == ['pass'] * 5 + ['none', 'none']
    assert rows['dev'] == ['pass', 'pass', 'pass', 'fail', 'pass', 'pass', 'none']
    assert rows['qa'][-1] == 'fail'
    assert fleet['totals'] == dict(clusters=3, passed=1, failed=2, checks_failed=2, checks_passed=15)
    assert fleet['verdict'] == '2 of 3 clusters failing'
    dev = fleet['clusters'][1]
    assert dev['anchor'] == 'cluster-dev' and dev['version'] == '8.8.1' and dev['principal'] == 'ops'
    assert dev['shape'] == dict(cluster_size=3, partitions=3, replication_factor=3, brokers_answered=3)
    # Without a history folder, failures are not dated.
    assert dev['cells'][3]['since'] is None
    assert json.loads(fleet['clusters'][2]['checks'][-1]['details_json']) == {'latency_ms': 12}
    assert fleet['record'] == dict(
        format=1,
        generated_at=NOW.isoformat(),
        results={host: dict(zip(fleet['checks'], cells)) for host, cells in rows.items()},
        versions=dict.fromkeys(rows, '8.8.1'),
    )
    assert fleet['record_name'] == 'fleet-20261201T120000000000Z.json'
    assert fleet_view({'a': result()}, now=NOW)['verdict'] == 'all clusters passed'


def test_a_host_without_result_is_listed():
    fleet = fleet_view({'prod': result(), 'broken': None}, now=NOW)
    broken = fleet['clusters'][1]
    assert broken['status'] == 'missing' and not broken['passed']
    assert {cell['result'] for cell in broken['cells']} == {'missing'}
    assert fleet['totals']['failed'] == 1


def test_credentials_in_a_url_are_never_shown():
    assert without_userinfo('https://ops:s3cret@camunda.example.com:8443/v2') == 'https://camunda.example.com:8443/v2'
    assert without_userinfo('https://camunda.example.com/v2') == 'https://camunda.example.com/v2'
    assert without_userinfo(None) is None
    fleet = fleet_view({'x': result(url='https://ops:s3cret@camunda.example.com/v2')}, now=NOW)
    assert 's3cret' not in json.dumps(fleet)


def test_links_to_own_reports_are_relative_to_the_page(tmp_path):
    fleet = fleet_view(
        {'prod': result(), 'dev': result()},
        reports={'prod': str(tmp_path / 'clusters' / 'prod.md')},
        folder=str(tmp_path / 'fleet'),
        now=NOW,
    )
    assert fleet['clusters'][0]['report_link'] == '../clusters/prod.md'
    assert fleet['clusters'][1]['report_link'] is None


def test_anchor_is_safe_for_any_host_name():
    assert anchor('prod-eu.example.com') == 'cluster-prod-eu-example-com'
    assert anchor('a b"<c>') == 'cluster-a-b-c'


@pytest.mark.parametrize(
    'earlier,since,runs',
    [
        ([], at(12), 1),  # first failure
        ([(at(9), 'fail'), (at(10), 'fail'), (at(11), 'fail')], at(9), 4),
        ([(at(9), 'fail'), (at(10), 'pass'), (at(11), 'fail')], at(11), 2),  # the streak ends at the last pass
        ([(at(9), 'fail'), (at(10), None), (at(11), 'fail')], at(11), 2),  # a run without this cluster breaks it too
        ([(at(11), 'skip')], at(12), 1),
    ],
)
def test_failing_since_counts_the_unbroken_streak(earlier, since, runs):
    history = [(moment, {'dev': {'topology': outcome}} if outcome else {}, {}) for moment, outcome in earlier]
    assert failing_since(history, 'dev', 'topology', at(12)) == (since, runs)


def test_history_is_read_from_records_and_dates_failures(tmp_path):
    for hour, outcome in ((9, 'pass'), (10, 'fail'), (11, 'fail')):
        record = dict(format=1, generated_at=at(hour).isoformat(), results={'dev': {'topology': outcome}})
        (tmp_path / f'fleet-2026120{hour}.json').write_text(json.dumps(record))
    (tmp_path / 'fleet-broken.json').write_text('{not json')
    (tmp_path / 'other.json').write_text(
        json.dumps(dict(generated_at=at(11).isoformat(), results={'dev': {'topology': 'pass'}}))
    )
    history = read_history(str(tmp_path))
    assert [record[0] for record in history] == [at(9), at(10), at(11)]
    assert [record[2] for record in history] == [{}, {}, {}]  # records written before 0.4.0 have no versions
    fleet = fleet_view({'dev': result(topology='fail')}, history=history, now=NOW)
    cell = fleet['clusters'][0]['cells'][3]
    assert (cell['since'], cell['runs']) == ('2026-12-01 10:00 UTC', 3)
    assert fleet['history_runs'] == 3
    assert read_history(None) is None and read_history(str(tmp_path / 'nowhere')) == []


def versions_of(fleet):
    return {
        cluster['host']: (cluster['version_text'], cluster['version_source'], cluster['version_direction'])
        for cluster in fleet['clusters']
    }


def test_the_version_before_given_by_the_run_shows_the_change_without_history():
    # What the upgrade role passes (verify_version_before): the version its preflight read before the apply.
    upgraded = dict(result(version='8.9.0'), version_before='8.8.3')
    fleet = fleet_view(
        {'prod': upgraded, 'dev': dict(result(version='8.9.0'), version_before='8.9.0'), 'lab': result()}, now=NOW
    )
    assert versions_of(fleet) == {
        'prod': ('8.8.3 -> 8.9.0', 'this run', 'upgraded'),
        'dev': ('8.9.0', 'this run', None),
        'lab': ('8.8.1', None, None),
    }
    prod = fleet['clusters'][0]
    assert (
        prod['version'] == '8.9.0'
        and prod['version_before'] == '8.8.3'
        and prod['version_changed']
        and prod['version_since'] is None
    )
    assert prod['version_note'] == 'upgraded in this run' and fleet['clusters'][1]['version_note'] is None
    assert fleet['versions_changed'] == 1 and fleet['record']['versions']['prod'] == '8.9.0'


def test_the_history_shows_a_change_made_by_other_means(tmp_path):
    records = [(9, {'prod': '8.7.5', 'dev': '8.8.1'}), (10, {'prod': '8.8.3', 'dev': '8.8.1'}), (11, {'dev': '8.8.1'})]
    for hour, versions in records:
        record = dict(
            format=1,
            generated_at=at(hour).isoformat(),
            results={host: {'api': 'pass'} for host in versions},
            versions=versions,
        )
        (tmp_path / f'fleet-2026120{hour}.json').write_text(json.dumps(record))
    history = read_history(str(tmp_path))
    fleet = fleet_view(
        {
            'prod': result(version='8.9.0'),
            'dev': result(),
            'new': result(version='8.9.0'),
            'rollback': result(version='8.8.3'),
        },
        history=history + [(at(11), {}, {'rollback': '8.9.0'})],
        now=NOW,
    )
    # prod's latest record with a version is 10:00's (11:00 has none for it), dev is unchanged, new has no record.
    assert versions_of(fleet) == {
        'prod': ('8.8.3 -> 8.9.0', 'history', 'upgraded'),
        'dev': ('8.8.1', 'history', None),
        'new': ('8.9.0', None, None),
        'rollback': ('8.9.0 -> 8.8.3', 'history', 'downgraded'),
    }
    assert fleet['clusters'][0]['version_since'] == '2026-12-01 10:00 UTC'
    assert fleet['clusters'][0]['version_note'] == 'upgraded since the run of 2026-12-01 10:00 UTC'
    assert fleet['versions_changed'] == 2


def test_the_runs_own_version_before_wins_over_the_history():
    # Under serial: 1 the history holds this play's earlier batch, which already saw the new version.
    history = [(at(11), {'prod': {'api': 'pass'}}, {'prod': '8.9.0'})]
    fleet = fleet_view({'prod': dict(result(version='8.9.0'), version_before='8.8.3')}, history=history, now=NOW)
    assert versions_of(fleet) == {'prod': ('8.8.3 -> 8.9.0', 'this run', 'upgraded')}
    # A record of this very moment or later is not "before".
    assert (
        fleet_view({'prod': result(version='8.9.0')}, history=[(NOW, {}, {'prod': '8.8.3'})], now=NOW)[
            'versions_changed'
        ]
        == 0
    )


def test_an_unknown_version_is_no_change_from_history_but_keeps_the_runs_before():
    unread = dict(result(), topology=None)
    history = [(at(11), {}, {'prod': '8.8.3', 'lab': '8.8.3'})]
    fleet = fleet_view(
        {'prod': unread, 'lab': dict(unread, version_before='8.8.3'), 'gone': None, 'odd': result(version='SNAPSHOT')},
        history=history + [(at(11), {}, {'odd': '8.9.0'})],
        now=NOW,
    )
    assert versions_of(fleet) == {
        'prod': ('unknown', None, None),
        'lab': ('8.8.3 -> unknown', 'this run', 'changed'),
        'gone': ('unknown', None, None),
        'odd': ('8.9.0 -> SNAPSHOT', 'history', 'changed'),
    }
    assert 'prod' not in fleet['record']['versions'] and 'gone' not in fleet['record']['versions']
