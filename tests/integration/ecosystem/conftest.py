# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the newcomer tests: the test services as `make services` starts them."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from newcomer_shell import SERVICES_SCRIPT, wait_for_file


@pytest.fixture
def running_services(tmp_path):
    """``services.py up`` as make services runs it, on a free port; yields a starter (auth, cluster, ...) -> info."""
    processes = []

    def start(auth, cluster, version='8.8', storage=None):
        name = f'{auth}-{cluster}-{version}'
        json_path = tmp_path / f'services-{name}.json'
        process = subprocess.Popen(  # pylint: disable=consider-using-with
            [
                sys.executable,
                str(SERVICES_SCRIPT),
                'up',
                '--workdir',
                str(tmp_path / f'work-{name}'),
                '--json',
                str(json_path),
                '--auth',
                auth,
                '--cluster',
                cluster,
                '--port',
                '0',
                '--version',
                version,
            ]
            + (['--storage', storage] if storage else []),
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        processes.append(process)
        return wait_for_file(json_path, process), process

    yield start
    for process in processes:
        process.send_signal(signal.SIGTERM)
        process.communicate(timeout=30)
