#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r'''
module: camunda_upgrade_preflight
short_description: Judge a Camunda 8 minor or patch upgrade before anything is applied
version_added: 0.4.0
description:
  - Reads the running version of every broker and of the gateway from the topology and judges the path to
    O(target_version) by Camunda's upgrade procedure, returning findings as data (RV(findings)). A downgrade, a
    skipped minor, a cluster not on O(latest_patch) of its minor, and mixed versions other than an interrupted
    upgrade to the same target are errors.
  - Checks that the cluster is healthy, that no backup is in progress and that exporting runs (the last two over
    O(management_url); from Camunda 8.10 over the REST API).
  - For O(deployment=helm), renders the target chart O(helm_chart) locally (C(helm template), nothing is sent to
    Kubernetes) with the release's own values (C(helm get values), or O(helm_current_values_file)), the files
    O(helm_values_files) and O(helm_set_values), as C(helm upgrade --reset-then-reuse-values) would apply them, and
    reports what the chart refuses (its schema and its own constraints), the values it no longer knows, the Helm CLI
    major version it needs, and whether C(--reuse-values) would fail (from the release's computed values).
  - For O(deployment=docker_compose), compares the project's C(.env) with the target version's folder of
    camunda-distributions (O(compose_target_dir)) and renders both with C(docker-compose config). It reports the
    image versions to set, the settings the target adds or no longer has, the images before and after (RV(compose)).
    A target folder that ships another version than O(target_version), or a project whose Compose files do not take
    the image versions from its C(.env) (rendered once more with the target versions over its C(.env)), is an error.
  - For O(deployment=c8run), reads the C(.env) of your Camunda 8 Run folder O(c8run_dir) and of the unpacked target
    version's folder O(c8run_target_dir) (its C(CAMUNDA_VERSION) must be O(target_version)), checks that the target
    holds its start script and its C(camunda-zeebe-<version>) folder, reports the settings of the target's default
    C(configuration/application.yaml) that yours lacks, the secondary storage (with H2, C8 Run deletes the Zeebe data
    when it stops, so nothing carries over), and returns the carry-over plan (RV(c8run)).
  - Adds the version-specific notes of the step (8.7 to 8.8 identity and values migration, Elasticsearch
    consolidation, index prefixes; 8.9 secondary storage and H2; 8.10 Helm v4) as findings with links.
  - Fails only on a configuration error. A refused upgrade is RV(passed=false) with the reasons.
author:
  - community.camunda contributors (@ansible-collections)
requirements:
  - requests
  - PyYAML
  - the helm CLI, for O(deployment=helm)
options:
  target_version:
    description: The Camunda version to upgrade to, in full (V(8.9.2)).
    type: str
    required: true
    version_added: 0.4.0
  deployment:
    description: How the cluster is deployed.
    type: str
    required: true
    choices: [helm, docker_compose, c8run]
    version_added: 0.4.0
  latest_patch:
    description:
      - The latest patch of the running minor. When given, a cluster on an older patch must go there first.
    type: str
    version_added: 0.4.0
  helm_chart:
    description: The target chart, packaged (C(.tgz)) or unpacked. Required for O(deployment=helm).
    type: path
    version_added: 0.4.0
  helm_binary:
    description: The helm CLI.
    type: str
    default: helm
    version_added: 0.4.0
  helm_release:
    description: The release name, for rendering.
    type: str
    default: camunda
    version_added: 0.4.0
  helm_namespace:
    description: The release namespace, for rendering.
    type: str
    default: camunda
    version_added: 0.4.0
  helm_kubeconfig:
    description: The kubeconfig for C(helm get values) (default helm's own).
    type: path
    version_added: 0.4.0
  helm_current_values_file:
    description:
      - A values file to judge instead of the release's values. Without it, the module reads the release's own values
        and its computed values with C(helm get values) (they never pass through task arguments or output).
      - With a file, whether C(--reuse-values) would fail is not judged.
    type: path
    version_added: 0.4.0
  helm_values_files:
    description: Values files applied after the release's own values (the collection's and yours).
    type: list
    elements: path
    default: []
    version_added: 0.4.0
  helm_set_values:
    description: Values applied last, e.g. the 8.9 chart's required C(orchestration.data.secondaryStorage.type).
    type: dict
    default: {}
    version_added: 0.4.0
  compose_project_dir:
    description: The Docker Compose project's folder (with its C(.env)). Required for O(deployment=docker_compose).
    type: path
    version_added: 0.4.0
  compose_target_dir:
    description:
      - The target minor's folder of camunda-distributions (C(docker-compose/versions/camunda-8.9)).
        Required for O(deployment=docker_compose).
    type: path
    version_added: 0.4.0
  compose_files:
    description: The Compose files of both folders, relative to each.
    type: list
    elements: str
    default: [docker-compose.yaml]
    version_added: 0.4.0
  compose_binary:
    description: The Docker Compose v2 CLI (C(docker compose) as a standalone binary); no daemon is needed.
    type: str
    default: docker-compose
    version_added: 0.4.0
  c8run_dir:
    description: Your Camunda 8 Run folder (with its C(.env) and C(start.sh)). Required for O(deployment=c8run).
    type: path
    version_added: 0.4.0
  c8run_target_dir:
    description:
      - The folder the target version's Camunda 8 Run archive is unpacked into, beside yours. Required for
        O(deployment=c8run).
    type: path
    version_added: 0.4.0
  c8run_config:
    description:
      - The file your Camunda 8 Run starts with C(--config), relative to O(c8run_dir), when you use one; it is read
        with C(configuration/application.yaml) to find the secondary storage.
    type: str
    version_added: 0.4.0
  c8run_start_script:
    description: The start script the target folder must hold, relative to it.
    type: str
    default: start.sh
    version_added: 0.4.0
extends_documentation_fragment:
  - community.camunda._backup.MANAGEMENT
  - community.camunda._connection
  - community.camunda._auth
  - community.camunda._attributes.ACTION_GROUP
  - community.camunda._attributes.READ_ONLY
seealso:
  - module: community.camunda.camunda_topology
  - module: community.camunda.camunda_backup_info
  - name: Upgrade Camunda 8.9 to 8.10 using Helm
    description: Camunda's upgrade procedure.
    link: https://docs.camunda.io/docs/self-managed/upgrade/helm/890-to-8100/
  - name: Manual upgrade
    description: Camunda's upgrade of an archive distribution (Camunda 8 Run).
    link: https://docs.camunda.io/docs/self-managed/upgrade/manual/
'''

EXAMPLES = r'''
- name: Judge the upgrade of a Helm release to 8.9
  community.camunda.camunda_upgrade_preflight:
    url: http://camunda-zeebe-gateway:8080
    management_url: http://camunda-zeebe-gateway:9600
    target_version: 8.9.2
    deployment: helm
    helm_chart: charts/camunda-platform-14.8.4.tgz
    helm_release: camunda
    helm_namespace: camunda
    helm_set_values:
      orchestration:
        data:
          secondaryStorage:
            type: elasticsearch
  register: preflight
  failed_when: not preflight.passed
'''

RETURN = r'''
passed:
  description: No finding of severity V(error).
  returned: always
  type: bool
action:
  description: V(none) (already there), V(patch), V(minor) or V(refused).
  returned: always
  type: str
current_version:
  description: The running version (the highest one when versions are mixed).
  returned: always
  type: str
target_version:
  description: O(target_version).
  returned: always
  type: str
versions:
  description: C(brokers) (broker id to version) and C(gateway), from the topology.
  returned: always
  type: dict
findings:
  description: What the preflight found, errors first; each with C(id), C(severity) (error, warning, info), C(message), C(fix) and C(link).
  returned: always
  type: list
  elements: dict
compose:
  description:
    - For Compose, C(versions) (each C(CAMUNDA_*_VERSION) with C(current) and C(target)), C(changes) (those whose
      current differs from the target, as a list of C(name), C(current), C(target); the C(.env) lines an upgrade
      writes), C(added), C(removed),
      C(images_before), C(images_after), C(images_planned) (the project rendered with the target versions).
  returned: always
  type: dict
c8run:
  description:
    - For C8 Run, C(current_version) and C(target_folder_version) (from the C(.env) files), C(connectors) (C(current),
      C(target)), C(secondary_storage), C(h2), C(added_settings), and C(copies), the carry-over plan (C(source) in
      your folder, C(dest) in the target folder, C(what)).
  returned: always
  type: dict
helm:
  description: For Helm, C(chart), C(chart_version), C(app_version), C(helm_cli), C(helm_major_needed), C(reuse_values_trap).
  returned: always
  type: dict
'''

from ansible_collections.community.camunda.plugins.module_utils._core.module import run_module
from ansible_collections.community.camunda.plugins.module_utils._upgrade.preflight import (
    UPGRADE_PREFLIGHT_SPEC,
    run_upgrade_preflight,
)


SPEC = UPGRADE_PREFLIGHT_SPEC
CORE = run_upgrade_preflight


def main():
    run_module(SPEC, CORE)


if __name__ == '__main__':
    main()
