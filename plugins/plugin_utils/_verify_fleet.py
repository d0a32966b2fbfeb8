# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The fleet view: every verified cluster's checks side by side, with since when each failure lasts.

For internal collection use only: no stable interface.

fleet_view() turns each host's verify_result into the data that roles/verify/templates/fleet.html.j2 and
fleet.md.j2 draw, so that the templates only lay it out. A run's record (which check of which cluster
had which result, which version it ran) is written next to the page as JSON; given a folder of earlier records,
each failure says since when it lasts (the first run of its unbroken streak of failures).

Each cluster's version is shown with its change, before -> after. The version before comes from the run itself
when the caller knew it (verify_result's version_before: the upgrade role measures it before it changes anything),
else from the history (the version of the cluster's latest earlier record that has one): a verify run after an
upgrade done by other means shows the change too. The run's own value wins over the history, being the later
measurement of the two (under serial, the history even holds this play's earlier batches).
"""

from __future__ import annotations

import datetime
import json
import os
import re
from urllib.parse import urlsplit, urlunsplit

from ansible_collections.community.camunda.plugins.plugin_utils._verify import CORE_CHECK_NAMES

RECORD_PREFIX = 'fleet-'
RECORD_FORMAT = 1
# What a cell says when a cluster has no such check (not asked for) or no result at all (its play failed early).
ABSENT, NO_RESULT = 'none', 'missing'


def without_userinfo(url):
    """A URL as it may be shown: credentials written into it (https://user:secret@host) are dropped."""
    if not url:
        return url
    parts = urlsplit(str(url))
    if '@' not in parts.netloc:
        return str(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit('@', 1)[1]))


def anchor(host):
    return 'cluster-' + re.sub(r'[^A-Za-z0-9_-]+', '-', str(host)).strip('-')


def format_time(moment):
    return moment.strftime('%Y-%m-%d %H:%M UTC')


def read_history(folder):
    """Earlier run records from folder as (moment, results, versions), oldest first; unreadable or foreign files are
    left out, a record without versions (written before 0.4.0) has none. None without a folder."""
    if not folder:
        return None
    records = []
    if not os.path.isdir(folder):
        return records
    for name in sorted(os.listdir(folder)):
        if not (name.startswith(RECORD_PREFIX) and name.endswith('.json')):
            continue
        try:
            with open(os.path.join(folder, name), encoding='utf-8') as stream:
                record = json.load(stream)
            moment = datetime.datetime.fromisoformat(record['generated_at'])
            results = record['results']
            versions = record.get('versions') or {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            continue
        if isinstance(results, dict) and isinstance(versions, dict):
            records.append((moment, results, versions))
    records.sort(key=lambda item: item[0])
    return records


def failing_since(history, host, check_name, now):
    """(first moment, number of runs) of the unbroken streak of failures that ends with this run."""
    since, runs = now, 1
    for moment, results, _versions in reversed(history):
        if moment >= now:
            continue
        if (results.get(host) or {}).get(check_name) != 'fail':
            break
        since, runs = moment, runs + 1
    return since, runs


def previous_version(history, host, now):
    """(version, moment) of the latest earlier record that has this cluster's version; (None, None) without one."""
    for moment, _results, versions in reversed(history or []):
        version = versions.get(host)
        if moment < now and version:
            return str(version), moment
    return None, None


def _release(version):
    """'8.10.1-alpha2' -> (8, 10, 1): enough to tell an upgrade from a downgrade; None when it has no number."""
    numbers = re.findall(r'\d+', str(version).split('-', 1)[0])
    return tuple(int(number) for number in numbers[:3]) or None


def version_change(after, before_this_run, history, host, now):
    """What the page says of a cluster's version: before, after, and where the before comes from.

    before_this_run (the caller's own measurement, e.g. the upgrade's preflight) wins over the history; a version
    that could not be read now is no change from the history's point of view, but the run's own before is still shown.
    """
    after = str(after) if after else None
    if before_this_run:
        before, source, since = str(before_this_run), 'this run', None
    else:
        before, moment = previous_version(history, host, now)
        source, since = 'history', moment and format_time(moment)
        if after is None:
            before = None
    changed = before is not None and before != after
    direction = None
    if changed:
        old, new = _release(before), _release(after) if after else None
        direction = (
            'changed' if old is None or new is None or old == new else ('upgraded' if new > old else 'downgraded')
        )
    since = since if changed and source == 'history' else None
    return dict(
        version=after,
        version_before=before,
        version_changed=changed,
        version_direction=direction,
        version_source=source if before is not None else None,
        version_since=since,
        version_text=f"{before} -> {after or 'unknown'}" if changed else (after or 'unknown'),
        version_note=(f'{direction} in this run' if since is None else f'{direction} since the run of {since}')
        if changed
        else None,
    )


def _relative_link(report_path, folder):
    if not report_path:
        return None
    return os.path.relpath(os.path.abspath(report_path), folder).replace(os.sep, '/')


def _cluster(host, verify_result, check_names, report_path, folder, history, now):
    view = dict(host=str(host), anchor=anchor(host), report_link=_relative_link(report_path, folder))
    if not isinstance(verify_result, dict):
        reason = 'no result: the play did not judge this host (it failed before its checks, or was not reached)'
        cells = [
            dict(check=name, result=NO_RESULT, reason=reason, problems=[], since=None, runs=None)
            for name in check_names
        ]
        view.update(
            status='missing',
            passed=False,
            url=None,
            cells=cells,
            checks=[],
            failed=[],
            grid=None,
            topology=None,
            **version_change(None, None, None, str(host), now),
        )
        return view
    by_name = {check['name']: check for check in verify_result.get('checks') or []}
    cells = []
    for name in check_names:
        check = by_name.get(name)
        if check is None:
            cells.append(
                dict(
                    check=name, result=ABSENT, reason='not checked for this cluster', problems=[], since=None, runs=None
                )
            )
            continue
        cell = dict(
            check=name,
            result=check['result'],
            reason=check.get('reason') or '',
            problems=check.get('problems') or [],
            since=None,
            runs=None,
        )
        if check['result'] == 'fail' and history is not None:
            since, runs = failing_since(history, str(host), name, now)
            cell.update(since=format_time(since), runs=runs)
        cells.append(cell)
    topology = verify_result.get('topology') or None
    principal = verify_result.get('principal') or {}
    license_ = verify_result.get('license') or {}
    view.update(
        status='passed' if verify_result.get('passed') else 'failed',
        passed=bool(verify_result.get('passed')),
        url=without_userinfo(verify_result.get('url')),
        deployment=verify_result.get('deployment'),
        auth_method=verify_result.get('auth_method'),
        principal=principal.get('username') if isinstance(principal, dict) else None,
        license=license_.get('licenseType') if isinstance(license_, dict) else None,
        **version_change(
            (topology or {}).get('gatewayVersion'), verify_result.get('version_before'), history, str(host), now
        ),
        shape=None
        if topology is None
        else dict(
            cluster_size=topology.get('clusterSize'),
            partitions=topology.get('partitionsCount'),
            replication_factor=topology.get('replicationFactor'),
            brokers_answered=len(topology.get('brokers') or []),
        ),
        grid=verify_result.get('grid'),
        cells=cells,
        checks=[
            dict(check, details_json=_details_json(check.get('details'))) for check in verify_result.get('checks') or []
        ],
        failed=[cell for cell in cells if cell['result'] == 'fail'],
    )
    return view


def _details_json(details):
    if details in (None, [], {}):
        return None
    return json.dumps(details, indent=2, sort_keys=True, default=str)


def fleet_view(results, reports=None, folder='.', history=None, inventory=None, now=None):
    """The fleet page's data from {host: verify_result or None}, in the hosts' order.

    reports: {host: path of its own report}; folder: where the page is written (links are relative to it);
    history: read_history()'s records (None: no history kept, failures are not dated); now: the run's time (UTC, aware).
    """
    now = now or datetime.datetime.now(datetime.timezone.utc)
    reports = reports or {}
    extension_names = []
    for verify_result in results.values():
        checks = verify_result.get('checks') or [] if isinstance(verify_result, dict) else []
        for check in checks:
            if check['name'] not in CORE_CHECK_NAMES and check['name'] not in extension_names:
                extension_names.append(check['name'])
    check_names = list(CORE_CHECK_NAMES) + extension_names
    clusters = [
        _cluster(host, verify_result, check_names, reports.get(host), folder, history, now)
        for host, verify_result in results.items()
    ]
    failing = [cluster for cluster in clusters if not cluster['passed']]
    cells = [cell for cluster in clusters for cell in cluster['cells']]
    changed = [cluster for cluster in clusters if cluster['version_changed']]
    totals = dict(
        clusters=len(clusters),
        passed=len(clusters) - len(failing),
        failed=len(failing),
        checks_failed=sum(1 for cell in cells if cell['result'] == 'fail'),
        checks_passed=sum(1 for cell in cells if cell['result'] == 'pass'),
    )
    record = dict(
        format=RECORD_FORMAT,
        generated_at=now.isoformat(),
        results={cluster['host']: {cell['check']: cell['result'] for cell in cluster['cells']} for cluster in clusters},
        versions={cluster['host']: cluster['version'] for cluster in clusters if cluster['version']},
    )
    return dict(
        generated_at=format_time(now),
        generated_at_iso=now.isoformat(),
        record_name=f"{RECORD_PREFIX}{now.strftime('%Y%m%dT%H%M%S%fZ')}.json",
        inventory=[str(source) for source in (inventory or [])],
        checks=check_names,
        clusters=clusters,
        totals=totals,
        history_runs=len(history or []),
        versions_changed=len(changed),
        verdict='all clusters passed' if not failing else f'{len(failing)} of {len(clusters)} clusters failing',
        record=record,
    )
