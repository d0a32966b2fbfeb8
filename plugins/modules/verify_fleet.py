#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: verify_fleet
short_description: Put the verify results of several clusters side by side for the fleet report
version_added: 0.3.0
description:
  - The data step of the C(community.camunda.verify) role's fleet report, usable on its own. It reads no cluster;
    it takes every host's C(verify_result) and returns RV(fleet), a matrix of clusters by checks with each cell's result
    and reason, each cluster's facts and broker by partition grid, and the run's record; the role's templates draw it
    as HTML and Markdown.
  - Given O(history_dir), a folder of earlier run records (the C(fleet-*.json) files written next to each report),
    each failure says since when it lasts, the first run of its unbroken streak of failures.
  - Each cluster's version is shown with its change, before -> after (V(8.8.3 -> 8.9.0)). The version before is the
    C(version_before) of the host's result when it has one (the C(community.camunda.verify) role's
    C(verify_version_before), which the C(community.camunda.upgrade) role sets to the version its preflight read), else the
    version of the cluster's latest earlier record in O(history_dir). The result's own value wins, being the later measurement.
    Each record keeps every cluster's version for later runs. Added in version 0.4.0.
  - Credentials written into a cluster's URL (C(https://user:secret@host)) are left out of RV(fleet).
  - Runs in the controller only (an action plugin).
author:
  - community.camunda contributors (@ansible-collections)
options:
  results:
    description:
      - Each host's C(verify_result) by host name, in the order to show; a host without a result is listed as such.
      - A result's C(version_before) (a version string) is the cluster's version before this run, shown as the start of its change.
    type: dict
    required: true
  path:
    description: The folder the report is written to, on the controller; links to each cluster's own report are made relative to it.
    type: path
    required: true
  reports:
    description: The path of each host's own Markdown report (the role's C(verify_report_path)), by host name.
    type: dict
    default: {}
  history_dir:
    description:
      - A folder of earlier run records (C(fleet-*.json)); unset, failures are not dated and a version changes only
        through a result's C(version_before).
    type: path
  inventory:
    description: The inventory sources of the run, shown on the report.
    type: list
    elements: str
    default: []
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: It only reads data and files on the controller; it runs normally in check mode and always reports RV(ignore:changed=false).
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
    details: It changes nothing, so there is no diff.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
  async:
    description: Supports being used with the C(async) keyword.
    support: none
  platform:
    description: Target OS/families that can be operated against.
    support: full
    platforms: all
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
seealso:
  - module: community.camunda.verify_judge
'''

EXAMPLES = r'''
- name: Gather every cluster's checks (after the verify role ran for each host)
  community.camunda.verify_fleet:
    results: "{{ dict(ansible_play_hosts_all | zip(ansible_play_hosts_all | map('extract', hostvars, 'verify_result') | list)) }}"
    path: /srv/reports/camunda
    history_dir: /srv/reports/camunda
  run_once: true
  delegate_to: localhost
  register: fleet
'''

RETURN = r'''
fleet:
  description: What the fleet report shows.
  returned: always
  type: dict
  contains:
    checks:
      description: The columns, core checks first, then every extension check some cluster has.
      type: list
      elements: str
      sample: [api, auth posture, credentials, topology, version, connectors]
    clusters:
      description:
        - One per host, with C(host), C(anchor), C(status) (V(passed), V(failed) or V(missing)), C(url), C(version), C(shape),
          the version's change (added in 0.4.0) C(version_before) (or V(null)), C(version_changed), C(version_direction)
          (V(upgraded), V(downgraded), V(changed) or V(null)), C(version_source) (V(this run), V(history) or V(null)),
          C(version_since) (the time of the record it changed since, from history), C(version_text)
          (V(8.8.3 -> 8.9.0), or the version alone when unchanged, or V(unknown)) and C(version_note) (V(upgraded in this run)),
          C(grid), C(report_link), and C(cells), one per column, each with C(result) (V(pass), V(fail), V(skip), V(none) for
          a check this cluster does not have, V(missing) without a result), C(reason), C(problems), and for a failure
          C(since) and C(runs).
      type: list
      elements: dict
    totals:
      description: Counts of clusters passed and failed, and of failed and passed checks.
      type: dict
      sample: {clusters: 4, passed: 1, failed: 3, checks_failed: 6, checks_passed: 12}
    versions_changed:
      description: How many clusters run another version than before (added in 0.4.0).
      type: int
      sample: 1
    verdict:
      description: One line.
      type: str
      sample: 3 of 4 clusters failing
    record:
      description: This run's results by host and check, and (from 0.4.0) each cluster's version under C(versions), as written to RV(record_path).
      type: dict
path:
  description: The report's folder, absolute.
  returned: always
  type: str
record_path:
  description: Where this run's record belongs, next to the report (the role writes it there).
  returned: always
  type: str
'''
