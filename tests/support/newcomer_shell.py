# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the newcomer tests share (tests/integration/ecosystem): a bare shell, the README's blocks, services.py's start."""

from __future__ import annotations

import json
import re
import subprocess
import time

from playbook import REPO_ROOT

README = REPO_ROOT / 'README.md'
SERVICES_SCRIPT = REPO_ROOT / 'tests' / 'support' / 'services.py'


def bare_shell(script, tmp_path, env=None, timeout=180):
    """``bash -c script`` in the repository, as a new terminal would run it."""
    environ = {
        'PATH': '/usr/local/bin:/usr/bin:/bin',
        'HOME': str(tmp_path / 'home'),
        'LANG': 'C.UTF-8',
        'SHELL': '/bin/bash',
        'XDG_CACHE_HOME': str(tmp_path / 'cache'),
        'ANSIBLE_LOCAL_TEMP': str(tmp_path / 'tmp'),
        'ANSIBLE_HOME': str(tmp_path / 'ansible-home'),
        'ANSIBLE_NOCOLOR': '1',
    }
    environ.update(env or {})
    (tmp_path / 'home').mkdir(exist_ok=True)
    return subprocess.run(
        ['bash', '-c', script], cwd=REPO_ROOT, env=environ, capture_output=True, text=True, timeout=timeout, check=False
    )


def readme_block_after(marker, language=''):
    """The first fenced block of ``language`` after ``marker`` in the README, as lines."""
    text = README.read_text()
    start = text.index(marker)
    match = re.compile(rf'```{language}\n(.*?)```', re.DOTALL).search(text, start)
    return match.group(1)


def wait_for_file(path, process, seconds=60):
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None and time.monotonic() < deadline, 'services.py up did not start'
        time.sleep(0.1)
    return json.loads(path.read_text())
