# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The fleet report of playbooks/verify.yml over a fleet of emulated clusters, checked in a real headless Chromium.

One ansible-playbook run verifies four clusters: prod (healthy, Basic), staging (a dead replica and a partition
without leader), dev (a wrong password) and lab (nothing listens). The HTML page is opened in Chromium, its
rendering saved as .build/fleet-report.png for a person to look at; the Markdown is parsed as a table.
"""

from __future__ import annotations

import json
import re
import socket

import pytest
import requests
import yaml
from markdown_it import MarkdownIt

import browser
from emulator import EmulatorServer
from playbook import REPO_ROOT, run_playbook

VERIFY = REPO_ROOT / 'playbooks' / 'verify.yml'
FLEET_TASK = 'community.camunda.verify : Put every cluster\'s checks side by side'
SCREENSHOT = REPO_ROOT / '.build' / 'fleet-report.png'
# 'auth findings' (camunda_auth_info) runs only where the credentials failed: dev's; elsewhere its cell is empty.
CHECKS = ['api', 'auth posture', 'credentials', 'topology', 'version', 'auth findings']
OPS_PASSWORD = 'ops-password-fleet-1'
WRONG_PASSWORD = 'not-the-password-fleet-2'
EARLIER = '2026-01-01T08:00:00+00:00'


@pytest.fixture(scope='module')
def staging():
    with EmulatorServer(auth='none') as running:
        yield running


def closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@pytest.fixture
def fleet_run(emulator, staging, tmp_path):
    emulator.admin.set_auth('basic')
    requests.post(
        emulator.url + '/v2/users',
        auth=('demo', 'demo'),
        timeout=10,
        json={'username': 'ops', 'password': OPS_PASSWORD, 'name': 'Ops', 'email': 'ops@example.com'},
    ).raise_for_status()
    staging.admin.reset()
    staging.admin.set_faults(dead=[[3, 1]], no_leader=[2])
    workdir, reports = tmp_path / 'run', tmp_path / 'reports'
    (workdir / 'host_vars').mkdir(parents=True)
    basic = dict(camunda_url=emulator.url, camunda_auth_method='basic', camunda_username='ops', camunda_retries=0)
    host_vars = {
        'prod': dict(basic, camunda_password=OPS_PASSWORD, verify_deployment='helm'),
        'staging': dict(
            camunda_url=staging.url, camunda_auth_method='none', verify_expected_auth_method='none', camunda_retries=0
        ),
        'dev': dict(basic, camunda_password=WRONG_PASSWORD, verify_deployment='helm'),
        'lab': dict(camunda_url=f'http://127.0.0.1:{closed_port()}', camunda_retries=0),
    }
    for host, values in host_vars.items():
        (workdir / 'host_vars' / f'{host}.yml').write_text(yaml.safe_dump(values))
    # An earlier run in which staging's topology already failed: the report dates that failure.
    reports.mkdir()
    (reports / 'fleet-20260101T080000000000Z.json').write_text(
        json.dumps(
            {
                'format': 1,
                'generated_at': EARLIER,
                'results': {'staging': {'topology': 'fail', 'api': 'pass'}, 'dev': {'credentials': 'pass'}},
                # prod ran 8.7.5 then (upgraded since by other means); staging ran what it runs now.
                'versions': {'prod': '8.7.5', 'staging': '8.8.0'},
            }
        )
    )
    # -vvvv: no secret in any output at any verbosity either.
    run = run_playbook(
        VERIFY,
        workdir,
        hosts=tuple(host_vars),
        verbosity=4,
        extra_vars={
            'verify_report_path': str(reports / '{{ inventory_hostname }}.md'),
            'verify_fleet_report_dir': str(reports),
            'verify_fleet_history_dir': str(reports),
        },
    )
    return run, reports


def test_fleet_report_of_four_clusters(fleet_run):
    run, reports = fleet_run
    assert run.rc != 0  # three clusters fail; the report is written before the role fails them
    fleet = run.task(FLEET_TASK)['fleet']
    assert fleet['checks'] == CHECKS
    matrix = {cluster['host']: [cell['result'] for cell in cluster['cells']] for cluster in fleet['clusters']}
    assert matrix == {
        'prod': ['pass', 'pass', 'pass', 'pass', 'pass', 'none'],
        'staging': ['pass', 'pass', 'skip', 'fail', 'pass', 'none'],
        'dev': ['pass', 'pass', 'fail', 'fail', 'skip', 'fail'],
        'lab': ['fail', 'skip', 'skip', 'fail', 'skip', 'none'],
    }
    assert fleet['verdict'] == '3 of 4 clusters failing'
    assert fleet['totals'] == dict(clusters=4, passed=1, failed=3, checks_failed=6, checks_passed=10)
    staging = next(cluster for cluster in fleet['clusters'] if cluster['host'] == 'staging')
    topology = staging['cells'][3]
    assert (topology['since'], topology['runs']) == ('2026-01-01 08:00 UTC', 2)
    dev_credentials = next(cluster for cluster in fleet['clusters'] if cluster['host'] == 'dev')['cells'][2]
    assert dev_credentials['runs'] == 1  # passed in the earlier run: failing since this one
    assert staging['report_link'] == 'staging.md' and (reports / 'staging.md').exists()
    versions = {cluster['host']: cluster['version_text'] for cluster in fleet['clusters']}
    assert versions == {
        'prod': '8.7.5 -> 8.8.0',
        'staging': '8.8.0',
        'dev': 'unknown',
        'lab': 'unknown',
    }  # dev's topology needs the credentials it lacks
    records = sorted(reports.glob('fleet-*.json'))
    assert len(records) == 2 and json.loads(records[-1].read_text())['results']['lab']['api'] == 'fail'
    assert json.loads(records[-1].read_text())['versions'] == {'prod': '8.8.0', 'staging': '8.8.0'}

    html = (reports / 'fleet.html').read_text()
    markdown = (reports / 'fleet.md').read_text()
    for secret in (OPS_PASSWORD, WRONG_PASSWORD):
        assert secret not in html and secret not in markdown and secret not in records[-1].read_text()
        assert secret not in run.output
    # Self-contained: nothing fetched from elsewhere.
    assert not re.search(r'(src|href)="(https?:)?//', html) and '@import' not in html and '<script' not in html

    check_markdown(markdown)
    check_in_browser(reports / 'fleet.html')


def check_markdown(markdown):
    tokens = MarkdownIt('commonmark').enable('table').parse(markdown)
    tables, current = [], None
    for token in tokens:
        if token.type == 'table_open':
            current = []
        elif token.type == 'tr_open' and current is not None:
            current.append([])
        elif token.type == 'inline' and current is not None and current and current[-1] is not None:
            current[-1].append(token.content)
        elif token.type == 'table_close':
            tables.append(current)
            current = None
    matrix = tables[0]
    assert matrix[0] == ['cluster'] + CHECKS
    assert [row[0] for row in matrix[1:]] == [
        '[prod](#cluster-prod)',
        '[staging](#cluster-staging)',
        '[dev](#cluster-dev)',
        '[lab](#cluster-lab)',
    ]
    assert all(len(row) == 7 for row in matrix)
    assert matrix[2][4] == '❌ FAIL since 2026-01-01 08:00 UTC'
    assert matrix[3][3] == '❌ FAIL (new)'  # dev's credentials passed in the earlier run
    assert '- Version: 8.7.5 -> 8.8.0 (upgraded since the run of 2026-01-01 08:00 UTC); cluster size 3' in markdown
    # Each cluster has its checks table; only those whose topology was read have a grid (not dev's, not lab's).
    assert len(tables) == 1 + 4 + 2
    assert any(
        row[:2] == ['topology', '❌ FAIL'] and 'partition 3: replica on broker 1 is dead' in row[2] for row in tables[3]
    )  # after prod's checks and grid


def check_in_browser(page):
    why = browser.missing()
    if why:
        pytest.skip(f'the fleet report was checked without a browser: {why}')
    with browser.Browser() as chromium:
        chromium.open(page)
        seen = chromium.run('''
            const cells = [...document.querySelectorAll('#matrix tbody tr')].map(row => ({
                cluster: row.dataset.cluster,
                results: [...row.querySelectorAll('td[data-result]')].map(td => td.dataset.result),
                tips: [...row.querySelectorAll('td[data-result] .chip')].map(chip => chip.title),
                colours: [...row.querySelectorAll('td[data-result] .chip')].map(chip => getComputedStyle(chip).backgroundColor),
                anchor: row.querySelector('.cluster-name a').getAttribute('href'),
                version: row.querySelector('.cluster-name .version')?.textContent,
                versionColour: row.querySelector('.cluster-name .version') && getComputedStyle(row.querySelector('.cluster-name .version')).color,
            }));
            return {
                cells,
                headers: [...document.querySelectorAll('#matrix thead th')].map(th => th.textContent),
                anchors: cells.map(row => !!document.querySelector(row.anchor)),
                gridCells: document.querySelectorAll('table.grid .replica').length,
                resources: performance.getEntriesByType('resource').length,
                width: document.documentElement.scrollWidth,
                title: document.title,
                versionFact: document.querySelector('#cluster-prod .version-fact').innerText,
            };''')
        png = chromium.screenshot(SCREENSHOT)
    assert seen['title'] == 'Camunda fleet: 3 of 4 clusters failing'
    assert seen['headers'] == ['cluster'] + CHECKS
    assert [row['cluster'] for row in seen['cells']] == ['prod', 'staging', 'dev', 'lab']
    assert seen['cells'][1]['results'] == ['pass', 'pass', 'skip', 'fail', 'pass', 'none']
    assert 'partition 2 has no leader' in seen['cells'][1]['tips'][3]
    colours = {result: colour for row in seen['cells'] for result, colour in zip(row['results'], row['colours'])}
    assert len({colours['pass'], colours['fail'], colours['skip']}) == 3
    red, green, _blue = map(int, re.findall(r'\d+', colours['fail'])[:3])
    assert red > green  # failures are drawn in red
    # The change is drawn: before -> after in the matrix (coloured apart from an unchanged version) and in the cluster's facts.
    assert [row['version'] for row in seen['cells']] == ['8.7.5 -> 8.8.0', '8.8.0', None, None]
    assert seen['cells'][0]['versionColour'] != seen['cells'][1]['versionColour']
    assert (
        '8.7.5 -> 8.8.0' in seen['versionFact']
        and 'upgraded since the run of 2026-01-01 08:00 UTC' in seen['versionFact']
    )
    assert all(seen['anchors'])
    assert seen['gridCells'] > 0 and seen['resources'] == 0
    assert seen['width'] <= 1360  # no horizontal scrolling at a laptop's width
    assert png[:8] == b'\x89PNG\r\n\x1a\n' and len(png) > 20000


def test_under_serial_each_batch_rewrites_the_page_and_the_version_before_stays(emulator, tmp_path):
    """playbooks/upgrade.yml runs one cluster at a time (serial: 1) and includes the verify role for each: every batch
    writes the page with every cluster of the play; a cluster of an earlier batch keeps its version before (it is in
    its verify_result), a cluster without one shows the change its history records."""
    emulator.admin.set_auth('none')
    workdir, reports = tmp_path / 'serial', tmp_path / 'serial-reports'
    (workdir / 'host_vars').mkdir(parents=True)
    reports.mkdir()
    (reports / 'fleet-20260101T080000000000Z.json').write_text(
        json.dumps(
            {
                'format': 1,
                'generated_at': EARLIER,
                'results': {'second': {'api': 'pass'}},
                'versions': {'second': '8.7.4'},
            }
        )
    )
    common = dict(
        camunda_url=emulator.url,
        camunda_auth_method='none',
        camunda_retries=0,
        verify_fail_on_error=False,
        verify_fleet_report=True,
        verify_fleet_report_dir=str(reports),
        verify_fleet_history_dir=str(reports),
    )
    (workdir / 'host_vars' / 'first.yml').write_text(yaml.safe_dump(dict(common, verify_version_before='8.7.9')))
    (workdir / 'host_vars' / 'second.yml').write_text(yaml.safe_dump(common))
    play = tmp_path / 'serial.yml'
    play.write_text(
        yaml.safe_dump(
            [
                dict(
                    name='One cluster at a time',
                    hosts='all',
                    gather_facts=False,
                    serial=1,
                    roles=['community.camunda.verify'],
                )
            ]
        )
    )
    run = run_playbook(play, workdir, hosts=('first', 'second')).assert_ok()
    batches = [line['result']['fleet'] for line in run.tasks(FLEET_TASK)]
    assert [[(c['host'], c['status'], c['version_text']) for c in fleet['clusters']] for fleet in batches] == [
        [('first', 'passed', '8.7.9 -> 8.8.0'), ('second', 'missing', 'unknown')],
        [('first', 'passed', '8.7.9 -> 8.8.0'), ('second', 'passed', '8.7.4 -> 8.8.0')],
    ]
    markdown = (reports / 'fleet.md').read_text()
    assert '- Version: 8.7.9 -> 8.8.0 (upgraded in this run)' in markdown
    assert '- Version: 8.7.4 -> 8.8.0 (upgraded since the run of 2026-01-01 08:00 UTC)' in markdown
    # One record per batch: a history counts each batch as a run (documented with verify_fleet_report).
    assert len(list(reports.glob('fleet-*.json'))) == 1 + 2
