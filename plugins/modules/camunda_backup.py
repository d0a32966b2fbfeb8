#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_backup
short_description: Take, delete and list consistent backups of a Camunda 8.8 to 8.10 cluster
version_added: 0.3.0
description:
  - With O(state=present) and O(component=all), runs Camunda's backup order in one task. It soft-pauses exporting,
    backs up the web-app data (Operate, Tasklist) and Optimize, snapshots the Zeebe record indices of
    Elasticsearch/OpenSearch, backs up the brokers, and resumes exporting, always, even after a failure.
    It waits for each part, then reads every partition's exporter phase to prove that exporting runs again.
  - The exporting endpoints of 8.9 answer HTTP 200 whatever happened, with the real outcome in the body; the module
    judges the body. A pause that fails for some partitions leaves those that paused paused. The module resumes them
    and reports the failure.
  - Backup ids are integers that must always increase, even over deleted ones. Without O(id) the module takes the
    current Unix time in milliseconds (the unit of Camunda's backup scheduler), kept above the latest existing id. A
    given O(id) that is not above the latest existing one is refused before any change.
  - With O(secondary_storage=rdbms) (8.9 and later) there is no history backup and no records snapshot; the runtime
    backup is taken without an id and the cluster generates it (continuous backups are required there). The same
    holds with O(generated_id) (continuous backups, a backup or checkpoint scheduler, on any storage). The runtime
    backup then goes first and its id names the other parts.
  - History and Optimize backups are started together, then both awaited, which keeps the soft pause short.
  - A pause is confirmed only when every replica of every partition reads C(PAUSED) or C(SOFT_PAUSED); 8.10's
    C(MIXED) is a partial state. Requests wait at least 65 s, since the exporting endpoints may take 60 s on the server.
  - A task that fails after it wrote something (a pause, a part taken, a part deleted) reports C(changed=true).
  - Camunda 8.10 serves backups and exporting on the REST API (C(/v2/backups), C(/v2/exporting)). The module chooses them
    when the topology's gateway version is 8.10 or later, and the actuator endpoints of the management port before.
  - O(state=absent) deletes one backup (every part, or one O(component)). M(community.camunda.camunda_backup_info) lists
    backups with their state, parts and size, computes retention and judges a restore. Restores are not done by this
    module; see the C(community.camunda.backup) role's restore preflight.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
options:
  state:
    description:
      - V(present) takes a backup (or pauses or resumes exporting), V(absent) deletes one.
    type: str
    choices: [present, absent]
    default: present
    version_added: 0.3.0
  id:
    description:
      - The backup id, a positive integer above every existing backup id (O(state=present)), or the backup to delete
        (O(state=absent), required then).
      - Default for O(state=present) is the current Unix time in milliseconds, or the latest existing id plus one when
        that is higher. Must be unset when the cluster generates ids (O(secondary_storage=rdbms), O(generated_id)).
    type: int
    version_added: 0.3.0
  component:
    description:
      - V(all) runs the whole ordered sequence. V(runtime) (brokers), V(history) (web-app data) and V(optimize) take
        or delete that part alone. V(exporting) pauses or resumes exporting alone (O(exporting)).
    type: str
    choices: [all, runtime, history, optimize, exporting]
    default: all
    version_added: 0.3.0
  exporting:
    description:
      - With O(component=exporting), V(pause) (softly, as a backup needs) or V(resume). A partial pause is undone.
    type: str
    choices: [pause, resume]
    version_added: 0.3.0
  partitions_urls:
    description:
      - The management URLs of the brokers, read with C(GET /actuator/partitions) to prove each partition's exporter
        phase. Default is O(management_url), which is enough when that broker holds a replica of every partition.
    type: list
    elements: str
    version_added: 0.3.0
  snapshot_indices:
    description: The indices of the records snapshot.
    type: str
    default: zeebe-record*
    version_added: 0.3.0
  wait:
    description: Wait for each part to complete. With V(false) the module returns after starting the last part.
    type: bool
    default: true
    version_added: 0.3.0
  wait_timeout:
    description: Seconds to wait for each part before the task fails (exporting is still resumed).
    type: float
    default: 1800
    version_added: 0.3.0
  wait_interval:
    description: Seconds between two status reads.
    type: float
    default: 5
    version_added: 0.3.0
extends_documentation_fragment:
  - community.camunda._backup.MANAGEMENT
  - community.camunda._backup
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: In check mode the module reads (the topology, the existing backups) and says what it would do; it sends no write.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: none
notes:
  - The REST API connection (O(url) and the auth options) is used to read the topology (version, partitions) and, on
    8.10, for the backups themselves.
seealso:
  - module: community.camunda.camunda_backup_info
  - name: Camunda backup creation (8.8)
    description: The order this module follows.
    link: https://docs.camunda.io/docs/8.8/self-managed/operational-guides/backup-restore/backup/
'''

EXAMPLES = r'''
- name: A whole backup with a timestamp id
  community.camunda.camunda_backup:
    url: http://camunda-zeebe-gateway:8080
    management_url: http://camunda-zeebe-gateway:9600
    optimize_url: http://camunda-optimize:8092
    snapshot_url: https://elasticsearch:9200
    snapshot_username: elastic
    snapshot_password: "{{ vault_elastic_password }}"
  register: backup

- name: Resume exporting after an interrupted manual backup
  community.camunda.camunda_backup:
    url: http://localhost:8080
    management_url: http://localhost:9600
    component: exporting
    exporting: resume

# When the REST API is down (or its credentials are not at hand), the management port alone is enough: the module
# warns that the REST API cannot be reached and resumes through the actuator endpoints. No auth options are needed.
- name: Resume exporting through the management port only
  community.camunda.camunda_backup:
    management_url: http://localhost:9600
    component: exporting
    exporting: resume
    retries: 0

- name: A backup on relational secondary storage (C8 Run 8.9 with H2); the cluster makes the id
  community.camunda.camunda_backup:
    url: http://localhost:8080
    management_url: http://localhost:9600
    secondary_storage: rdbms
  register: backup

- name: Delete one backup
  community.camunda.camunda_backup:
    management_url: http://localhost:9600
    state: absent
    id: 1764633600
'''

RETURN = r'''
backup_id:
  description:
    - The id of the backup taken (or, in check mode, that would be taken) or deleted.
    - With an id generated by the cluster, null in check mode (the cluster makes it only when the backup is taken).
  returned: state is present or absent, except for component exporting
  type: int
api:
  description: V(actuator) (management port, before 8.10) or V(v2) (8.10 REST API).
  returned: always
  type: str
cluster_version:
  description: The gateway version from the topology, when known.
  returned: always
  type: str
steps:
  description: Each step in order with its C(step), C(state) and C(message); in check mode with state V(would run).
  returned: state is present
  type: list
  elements: dict
parts:
  description: The final state of each part taken (C(history), C(optimize), C(snapshot), C(runtime)).
  returned: state is present
  type: dict
exporting:
  description: C(resumed) (true only when every partition reads EXPORTING), C(partitions) (partition to exporter phase) and C(problems).
  returned: when exporting was paused or resumed
  type: dict
deleted:
  description: The parts deleted (or that would be deleted); when a deletion fails, the parts deleted before it.
  returned: state is absent
  type: list
  elements: str
not_deleted:
  description: When a deletion fails, the parts not deleted.
  returned: failed
  type: list
  elements: str
  version_added: 0.4.0
physical_tenants:
  description:
    - 8.10 with several physical tenants (read from the brokers' C(/actuator/partitions)) - their names. The backup
      covers the default physical tenant only, since the C(/v2) calls act on it; the module warns so. The
      cluster-wide C(/cluster/v2) calls are not used.
  returned: when the brokers report several physical tenants
  type: list
  elements: str
  version_added: 0.4.0
required_parts:
  description: The parts a complete backup has on this cluster (V(runtime), V(history), V(snapshot), V(optimize)).
  returned: state is present, except for component exporting
  type: list
  elements: str
  version_added: 0.4.0
'''

from ansible_collections.community.camunda.plugins.module_utils._backup.run import run_backup
from ansible_collections.community.camunda.plugins.module_utils._backup.spec import BACKUP_SPEC
from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module


SPEC = BACKUP_SPEC
CORE = run_backup


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
