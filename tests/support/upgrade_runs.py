# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every test of the upgrade play shares: the playbook, the task that holds upgrade_result, the variables that
point the play at the test's emulator, and the backup writes the emulator saw."""

from __future__ import annotations

from playbook import REPO_ROOT

UPGRADE = REPO_ROOT / 'playbooks' / 'upgrade.yml'
JUDGE = 'community.camunda.upgrade : Judge the run'


def play_vars(emulator, deployment, optimize=True):
    """The emulator's REST API and backup endpoints, and waits that poll without pausing (the emulator's rollout moves
    one broker per topology read, not with the clock). C8 Run has no Optimize: optimize=False."""
    return dict(
        camunda_url=emulator.url,
        verify_deployment=deployment,
        upgrade_deployment=deployment,
        backup_management_url=emulator.management_url,
        backup_snapshot_url=emulator.snapshot_url,
        backup_wait_interval=0,
        upgrade_wait_interval=0,
        upgrade_wait_timeout=30,
        upgrade_smoke_timeout=10,
    ) | (dict(backup_optimize_url=emulator.optimize_url) if optimize else {})


def backup_writes(emulator):
    """The requests that changed backups (anything but a GET): none may come before a preflight passes."""
    return [entry for entry in emulator.backup_admin.state()['requests'] if entry[1] != 'GET']
