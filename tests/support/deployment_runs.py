# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camunda_deployment core run against an emulator, as the module runs it: for the tests of _processes."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._processes.deployment import run_deployment


def deploy(emulator, src, check=False, **options):
    """(result, warnings) of one run over the paths ``src``, in diff mode, with the module's defaults unless given."""
    values = dict(
        url=emulator.url,
        retries=0,
        token_cache=False,
        auth_method='auto',
        src=[str(path) for path in src],
        state='present',
        max_deployment_size=4 * 1024 * 1024,
        deploy_together='linked',
    )
    values.update(options)
    context = RunContext(check_mode=check, diff=True)
    return run_deployment(OptionAdapter.from_dict(values), context), context.warnings


def deployments_sent(emulator):
    """How many deployment requests the emulator has had since its last reset."""
    return sum(
        r['count']
        for r in emulator.admin.state()['requests']
        if r['method'] == 'POST' and r['path'] == '/v2/deployments'
    )
