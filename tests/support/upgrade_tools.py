# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Where the upgrade tests find the real helm and Camunda's upstream charts; they skip, saying how to get them.

The oracle's shared fixtures (helm_bin, upstream_dir) replace these once merged; until then: helm from
$CAMUNDA_HELM, then .build/bin/helm, then PATH; the charts from $CAMUNDA_UPSTREAM_DIR (default ../shared/upstream).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from playbook import REPO_ROOT

HELM_HOWTO = ('a real helm 4: GOBIN=$PWD/.build/bin GOTOOLCHAIN=local go install helm.sh/helm/v4/cmd/helm@v4.3.2, '
              'or set CAMUNDA_HELM')
CHARTS = {'8.7': 'camunda-platform-12.13.3.tgz', '8.8': 'camunda-platform-13.12.7.tgz',
          '8.9': 'camunda-platform-14.8.4.tgz', '8.10': 'camunda-platform-15.0.0-alpha4.tgz'}


def find_helm():
    for candidate in (os.environ.get('CAMUNDA_HELM'), str(REPO_ROOT / '.build' / 'bin' / 'helm'), shutil.which('helm')):
        if not candidate or not os.access(candidate, os.X_OK) or 'standins' in candidate:
            continue
        version = subprocess.run([candidate, 'version', '--template', '{{.Version}}'], capture_output=True, text=True,
                                 check=False).stdout
        if version.startswith('v4'):
            return candidate
    pytest.skip(f'these tests need {HELM_HOWTO}')


def upstream_dir():
    folder = Path(os.environ.get('CAMUNDA_UPSTREAM_DIR') or REPO_ROOT.parent / 'shared' / 'upstream').resolve()
    if not (folder / 'helm' / CHARTS['8.9']).exists():
        pytest.skip(f'Camunda upstream charts not found in {folder}: set CAMUNDA_UPSTREAM_DIR to a folder laid out as '
                    '../shared/upstream/README.md describes (helm pull camunda/camunda-platform --version <v>)')
    return folder


def chart(minor):
    return str(upstream_dir() / 'helm' / CHARTS[minor])
