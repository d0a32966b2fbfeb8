#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_backup_info
short_description: List the backups of a Camunda 8.8 to 8.10 cluster, compute retention, and judge a restore
version_added: 0.3.0
description:
  - Lists every backup, newest first, with its overall state, the state of each part (runtime, history, Optimize, the
    records snapshot), its size and the Camunda version it was taken with.
  - A backup is COMPLETED only when every part this cluster requires is complete. That is the runtime part, the
    history part unless O(secondary_storage=rdbms), and the Optimize part and the records snapshot when O(optimize_url)
    and O(snapshot_url) are given. C(missing) names the parts that are not complete.
  - With O(keep), computes retention (RV(retention)); it deletes nothing (the C(community.camunda.backup) role deletes
    RV(retention.delete) with M(community.camunda.camunda_backup)).
  - With O(id) and no O(keep), judges whether that backup could be restored into this cluster (RV(restore_problems)).
    The backup must be completed, have every required part complete, and come from the cluster's Camunda version.
  - Reads the actuator endpoints of the management port before Camunda 8.10, and C(/v2/backups) from 8.10 (the
    topology's gateway version).
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  id:
    description:
      - Without O(keep), the backup to judge for a restore into this cluster.
      - With O(keep), the backup that retention must never delete (the one just taken).
    type: int
    version_added: 0.3.0
  keep:
    description:
      - Compute retention keeping the O(keep) newest complete backups (at least 1). Only complete backups count, so an
        incomplete one never takes the place of a complete one.
    type: int
    version_added: 0.3.0
  delete_incomplete:
    description:
      - With O(keep), also put the failed and incomplete backups in RV(retention.delete). One in progress, and O(id),
        never go there. Default is to list them in RV(retention.incomplete) and leave them.
    type: bool
    default: false
    version_added: 0.4.0
extends_documentation_fragment:
  - community.camunda._backup.MANAGEMENT
  - community.camunda._backup
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
seealso:
  - module: community.camunda.camunda_backup
'''

EXAMPLES = r'''
- name: List backups
  community.camunda.camunda_backup_info:
    management_url: http://localhost:9600
    snapshot_url: http://localhost:9200
  register: listed

- name: Could backup 1764633600 be restored into this cluster?
  community.camunda.camunda_backup_info:
    url: http://new-cluster:8080
    management_url: http://new-cluster:9600
    id: 1764633600
  register: preflight
  failed_when: preflight.restore_problems | length > 0
'''

RETURN = r'''
backups:
  description:
    - Each backup, newest first, with C(id), C(state) (COMPLETED only when every required part is complete), C(parts),
      C(missing) (the required parts that are absent or not complete), C(failure_reasons), C(size_bytes) (of the
      records snapshot, when O(snapshot_url) is given) and C(version) (the Camunda version it was taken with).
  returned: always
  type: list
  elements: dict
api:
  description: V(actuator) (management port, before 8.10) or V(v2) (8.10 REST API).
  returned: always
  type: str
cluster_version:
  description: The gateway version from the topology, when known.
  returned: always
  type: str
retention:
  description: What retention keeps and deletes.
  returned: when keep is given
  type: dict
  contains:
    delete:
      description: Complete backups beyond O(keep) (and, with O(delete_incomplete), the failed and incomplete ones),
        newest first; never O(id).
      type: list
      elements: int
    kept:
      description: The O(keep) newest completed backups (and O(id)).
      type: list
      elements: int
    left_alone:
      description: Backups in another state than COMPLETED that are not deleted (all of them without O(delete_incomplete)).
      type: list
      elements: int
    incomplete:
      description: Each backup that is not COMPLETED, with C(id), C(state) and C(missing) (its missing parts).
      type: list
      elements: dict
      version_added: 0.4.0
required_parts:
  description: The parts a complete backup has on this cluster (V(runtime), V(history), V(snapshot), V(optimize)).
  returned: always
  type: list
  elements: str
  version_added: 0.4.0
backup:
  description: With O(id), that backup (empty when it does not exist).
  returned: when id is given without keep
  type: dict
restore_problems:
  description:
    - With O(id), why that backup could not be restored into this cluster (not found, not completed, a part missing,
      another Camunda version); empty when the preflight passes.
  returned: when id is given without keep
  type: list
  elements: str
'''

from ansible_collections.community.camunda.plugins.module_utils._backup.info import run_backup_info
from ansible_collections.community.camunda.plugins.module_utils._backup.spec import BACKUP_INFO_SPEC
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = BACKUP_INFO_SPEC
CORE = run_backup_info


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
