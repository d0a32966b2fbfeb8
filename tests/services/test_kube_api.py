# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The kube_api fixture itself (tests/support/kube_api.py): a real API server on loopback that helm can use."""

from __future__ import annotations

import json
import ssl
import subprocess
import urllib.error
import urllib.request
from urllib.parse import urlparse


def test_api_server_on_loopback_with_its_own_certificate_and_token(kube_api):
    assert urlparse(kube_api.url).hostname == '127.0.0.1'
    context = ssl.create_default_context(cafile=str(kube_api.kubeconfig.parent / 'certs' / 'apiserver.crt'))
    request = urllib.request.Request(
        f'{kube_api.url}/api/v1/namespaces/default', headers={'Authorization': f'Bearer {kube_api.token}'}
    )
    with urllib.request.urlopen(request, timeout=30, context=context) as answer:
        assert json.load(answer)['metadata']['name'] == 'default'
    anonymous = urllib.request.Request(f'{kube_api.url}/api/v1/namespaces/default')
    try:
        urllib.request.urlopen(anonymous, timeout=30, context=context)
        refused = None
    except urllib.error.HTTPError as error:
        refused = error.code
    assert refused in (401, 403)


def test_helm_reads_the_kubeconfig(kube_api, helm_bin):
    result = subprocess.run(
        [str(helm_bin), 'list', '--all-namespaces', '--output', 'json', f'--kubeconfig={kube_api}'],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert isinstance(json.loads(result.stdout), list)
