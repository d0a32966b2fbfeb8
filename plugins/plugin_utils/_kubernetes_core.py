# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Whether the kubernetes.core this controller loads works with a given helm (for the roles that apply with it)."""

from __future__ import annotations

import importlib
import json
import os
import re

# The first kubernetes.core that supports helm 4: its 6.4.0 changelog ("Helm v4 compatibility across the Helm modules");
# 6.3.0 refuses helm 4 and older releases call `helm list --all`, which helm 4 no longer has. requirements.yml asks
# for it too.
HELM4_FLOOR = '6.4.0'


def installed_version(import_module=importlib.import_module):
    """The version in the MANIFEST.json of the kubernetes.core that Ansible's collection loader finds; '' when none."""
    try:
        package = import_module('ansible_collections.kubernetes.core')
    except ImportError:
        return ''
    manifest = os.path.join(os.path.dirname(package.__file__ or ''), 'MANIFEST.json')
    try:
        with open(manifest, encoding='utf-8') as handle:
            return str(json.load(handle)['collection_info']['version'])
    except (OSError, ValueError, KeyError, TypeError):
        return ''


def _release(version):
    return tuple(int(part) for part in re.findall(r'\d+', version.split('-', 1)[0])[:3])


def helm_major(helm_version):
    """The major version in `helm version --short` output (v4.3.2+g1a2b3c4), or None."""
    found = re.match(r'\s*v?(\d+)\.', helm_version or '')
    return int(found.group(1)) if found else None


def support(collection_version, helm_version):
    """The facts a role needs: the version found, the floor, and whether they work together.

    Unknown is no reason to stop: without a helm 4 or without a MANIFEST.json the answer is supported.
    """
    supported = (
        helm_major(helm_version) != 4 or not collection_version or _release(collection_version) >= _release(HELM4_FLOOR)
    )
    return {'version': collection_version, 'helm4_floor': HELM4_FLOOR, 'supported': supported}
