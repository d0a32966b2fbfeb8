# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run configure_auth once for many cases: each case is an inventory host with its own variables.

One ansible-playbook run configures every case (hosts run side by side), which keeps the upstream-judged tests
to a few playbook runs however many cases they cover.
"""

from __future__ import annotations

import json
from pathlib import Path

from playbook import REPO_ROOT, run_playbook

CONFIGURE = REPO_ROOT / 'playbooks' / 'configure_auth.yml'


def run_for_hosts(workdir, host_vars, common=None, forks=None, env=None):
    """playbooks/configure_auth.yml for every host of `host_vars` ({host: vars}); returns the PlaybookRun."""
    workdir = Path(workdir)
    folder = workdir / 'host_vars'
    folder.mkdir(parents=True, exist_ok=True)
    for stale in folder.glob('*.json'):
        stale.unlink()
    for host, values in host_vars.items():
        (folder / f'{host}.json').write_text(json.dumps(values))
    return run_playbook(
        CONFIGURE, workdir, extra_vars=common, hosts=tuple(host_vars), forks=forks or len(host_vars), env=env
    )
