# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The end of `make demo`: one ansible-playbook run verifies the demo's clusters together and writes the fleet report.

Each of the demo's four clusters gets its own emulator here (they differ in auth mode and faults), plus one
address where nothing listens. Records of earlier demo runs are kept, so a second `make demo` dates the failures.
"""

from __future__ import annotations

import contextlib
import socket

import yaml

from emulator import EmulatorServer
from playbook import REPO_ROOT, run_playbook

VERIFY = REPO_ROOT / 'playbooks' / 'verify.yml'
FLEET_TASK = "community.camunda.verify : Put every cluster's checks side by side"


def _closed_port():
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


def run_fleet(services, workdir):
    """Verify the demo fleet in one run; return (fleet data or None, folder of the fleet report)."""
    idp, client = services.idp, services.idp.clients.secret
    report_dir = workdir / 'fleet-report'
    run_dir = workdir / 'fleet-run'
    (run_dir / 'host_vars').mkdir(parents=True, exist_ok=True)
    print('    starting three more emulators (the fleet\'s other clusters) ...', flush=True)
    with contextlib.ExitStack() as stack:
        c8run = stack.enter_context(
            EmulatorServer(auth='none', cluster=dict(brokers=1, partitions=1, replication_factor=1))
        )
        helm = stack.enter_context(
            EmulatorServer(auth='basic', users={'demo': 'demo', 'operator': 'operator-password'})
        )
        faulty = stack.enter_context(EmulatorServer(auth='none'))
        faulty.admin.set_faults(dead=[[3, 1]], no_leader=[2], missing_brokers=[2])
        services.reset()
        services.emulator.admin.set_auth('oidc')
        hosts = {
            'c8run-laptop': dict(camunda_url=c8run.url, verify_deployment='c8run'),
            'helm-basic': dict(
                camunda_url=helm.url,
                verify_deployment='helm',
                camunda_auth_method='basic',
                camunda_username='operator',
                camunda_password='operator-password',
            ),
            'helm-oidc': dict(
                camunda_url=services.emulator.url,
                verify_deployment='helm',
                verify_expected_auth_method='oidc',
                verify_expected_version='8.8',
                camunda_auth_method='oidc',
                camunda_token_url=idp.token_url,
                camunda_client_id=client.id,
                camunda_client_secret=client.secret,
                camunda_token_ca_path=idp.ca_path,
            ),
            'helm-faulty': dict(camunda_url=faulty.url, verify_deployment='helm', camunda_auth_method='none'),
            'lab-offline': dict(camunda_url=f'http://127.0.0.1:{_closed_port()}', camunda_retries=0),
        }
        for host, values in hosts.items():
            (run_dir / 'host_vars' / f'{host}.yml').write_text(yaml.safe_dump(values))
        print(
            f'    running ansible-playbook playbooks/verify.yml over {len(hosts)} hosts, one per cluster '
            '(the longest step: tens of seconds) ...',
            flush=True,
        )
        run = run_playbook(
            VERIFY,
            run_dir,
            hosts=tuple(hosts),
            extra_vars={
                'verify_report_path': str(report_dir / '{{ inventory_hostname }}.md'),
                'verify_fleet_report_dir': str(report_dir),
                'verify_fleet_history_dir': str(report_dir),
            },
        )
    found = run.tasks(FLEET_TASK)
    if not found:
        print(run.output)
        return None, report_dir
    return found[-1]['result']['fleet'], report_dir


def show_fleet(services, workdir):
    """Run the fleet and print what its page shows and where it is; True when it was written."""
    print('\n=== The fleet: the demo clusters verified together, one report for all', flush=True)
    fleet, report_dir = run_fleet(services, workdir)
    if fleet is None:
        print('    the fleet report was not written (see the output above)')
        return False
    width = max(len(cluster['host']) for cluster in fleet['clusters'])
    print(f"    {'':<{width}}  " + '  '.join(f'{name:<12}' for name in fleet['checks']))
    for cluster in fleet['clusters']:
        print(f"    {cluster['host']:<{width}}  " + '  '.join(f"{cell['result']:<12}" for cell in cluster['cells']))
    print(f"    => {fleet['verdict']}")
    print(f'    Fleet report: {report_dir / "fleet.html"} (and fleet.md, same folder)')
    return True
