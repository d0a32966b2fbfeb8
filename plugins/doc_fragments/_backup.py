# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# For internal collection use only: no stable interface.

from __future__ import annotations


class ModuleDocFragment(object):
    # Where the backups live and how to reach them (camunda_backup, camunda_backup_info); the REST API connection is
    # community.camunda._connection. The options are ENDPOINT_OPTIONS in plugins/module_utils/_backup/spec.py.
    # The management port (and the storage, which decides what it backs up): camunda_backup, camunda_backup_info and
    # camunda_upgrade_preflight; MANAGEMENT_OPTIONS in plugins/module_utils/_backup/spec.py.
    MANAGEMENT = r'''
options:
  management_url:
    description:
      - The management port of the orchestration cluster (Spring actuator, default port 9600). Example
        V(http://camunda-zeebe-gateway:9600) (Helm, port-forwarded or from inside the cluster) or
        V(http://localhost:9600) (Compose, C8 Run). Required before Camunda 8.10.
    type: str
    version_added: 0.3.0
  management_validate_certs:
    description: Verify the TLS certificate of the management, Optimize and broker management URLs.
    type: bool
    default: true
    version_added: 0.3.0
  management_ca_path:
    description: A CA bundle for the management URLs (replaces the default trust store).
    type: path
    version_added: 0.3.0
  management_username:
    description: A Basic auth user, where the deployment protects the management port (unprotected by default).
    type: str
    version_added: 0.3.0
  management_password:
    description: The password of O(management_username).
    type: str
    version_added: 0.3.0
  management_token:
    description: A bearer token for the management port, instead of Basic auth.
    type: str
    version_added: 0.3.0
  secondary_storage:
    description:
      - Where the web apps keep history. V(elasticsearch) (also for OpenSearch) has a history backup and, with
        C(snapshot_url) of M(community.camunda.camunda_backup), a records snapshot.
      - V(rdbms) (8.9 and later; H2, the default of C8 Run 8.9 and of the lightweight Compose 8.9/8.10 files,
        PostgreSQL, MariaDB, ...) has neither. The backup is the runtime (broker) part alone, with an id the cluster
        generates (continuous backups are required there). Back up the database with its own tools.
    type: str
    choices: [elasticsearch, rdbms]
    default: elasticsearch
    version_added: 0.4.0
'''

    # Optimize, the snapshot API and the ids (camunda_backup, camunda_backup_info; with MANAGEMENT).
    DOCUMENTATION = r'''
options:
  optimize_url:
    description:
      - The management port of Optimize (port 8092, the chart's C(optimize.service.managementPort), which serves its
        backup API), when Optimize is deployed. Example V(http://camunda-optimize:8092). Uses the management auth options.
      - When set, a backup is complete only with its Optimize part.
    type: str
    version_added: 0.3.0
  snapshot_url:
    description:
      - The Elasticsearch or OpenSearch URL for the snapshot of the Zeebe record indices. Without it that step is
        skipped with a warning (a deployment on a relational database needs none, and it is ignored there).
      - When set, a backup is complete only with its records snapshot.
    type: str
    version_added: 0.3.0
  snapshot_repository:
    description: The snapshot repository, registered beforehand, with the same name in the web apps' and Optimize's backup settings.
    type: str
    default: camunda
    version_added: 0.3.0
  snapshot_username:
    description: A Basic auth user of Elasticsearch/OpenSearch.
    type: str
    version_added: 0.3.0
  snapshot_password:
    description: The password of O(snapshot_username).
    type: str
    version_added: 0.3.0
  snapshot_api_key:
    description: An Elasticsearch API key, sent in the C(Authorization) header as C(ApiKey <key>), instead of Basic auth.
    type: str
    version_added: 0.3.0
  snapshot_validate_certs:
    description: Verify the TLS certificate of O(snapshot_url).
    type: bool
    default: true
    version_added: 0.3.0
  snapshot_ca_path:
    description: A CA bundle for O(snapshot_url).
    type: path
    version_added: 0.3.0
  generated_id:
    description:
      - The cluster generates backup ids because continuous backups, the backup scheduler or the checkpoint scheduler
        is enabled. The runtime backup is then taken without C(backupId), first, and its id names the other parts.
        The cluster's ids are millisecond timestamps, as are the module's own ids, so both stay comparable.
      - Always true with O(secondary_storage=rdbms).
    type: bool
    default: false
    version_added: 0.4.0
'''
