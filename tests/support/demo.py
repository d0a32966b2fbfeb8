# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`make demo`: start the test services and run playbooks/verify.yml against them with none, Basic and OIDC auth.

The Camunda API emulator stands in for a cluster (no Camunda server here) and the IdP is a real OIDC provider.
Each run is a real `ansible-playbook playbooks/verify.yml` with the camunda_* variables a user would set; the
last one runs against a cluster with faults and an open API, to show how every failed check is listed.
"""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

SUPPORT_DIR = Path(__file__).resolve().parent
if str(SUPPORT_DIR) not in sys.path:
    sys.path.insert(0, str(SUPPORT_DIR))

import requests  # noqa: E402  # pylint: disable=wrong-import-position

# pylint: disable=wrong-import-position
from playbook import REPO_ROOT, run_playbook  # noqa: E402
from services import start_services  # noqa: E402
from demo_fleet import show_fleet  # noqa: E402
# pylint: enable=wrong-import-position

VERIFY = REPO_ROOT / 'playbooks' / 'verify.yml'
WORKDIR = REPO_ROOT / '.build' / 'demo'
JUDGE = 'community.camunda.verify : Judge every check against the expectations'
MARKS = {'pass': 'PASS', 'fail': 'FAIL', 'skip': 'skip'}
# Secrets travel in the CAMUNDA_* variables the modules read, never on a command line (shell history, ps).
SECRET_VARIABLES = {'camunda_password': 'CAMUNDA_BASIC_AUTH_PASSWORD', 'camunda_client_secret': 'CAMUNDA_CLIENT_SECRET'}


def split_secrets(settings):
    """(the -e arguments of a run, the environment that carries its secrets)."""
    arguments, environment = [], {}
    for key, value in settings.items():
        if key in SECRET_VARIABLES:
            environment[SECRET_VARIABLES[key]] = str(value)
        else:
            arguments += ['-e', f'{key}={value}']
    return arguments, environment


def command_lines(settings):
    """What a reader pastes to run the same check: export lines for the secrets, then the command (no secret in it)."""
    arguments, environment = split_secrets(settings)
    exports = [f'export {name}={shlex.quote(value)}' for name, value in sorted(environment.items())]
    command = ' '.join(
        ['ansible-playbook', 'playbooks/verify.yml', '-i', 'localhost,'] + [shlex.quote(a) for a in arguments]
    )
    return exports + [command]


def add_user(emulator, username, password):
    """A Basic user whose password differs from its name (Ansible hides every value equal to a secret)."""
    response = requests.post(
        emulator.url + '/v2/users',
        auth=('demo', 'demo'),
        timeout=10,
        json={'username': username, 'password': password, 'name': 'Operator', 'email': 'operator@example.com'},
    )
    response.raise_for_status()


def scenarios(services):
    emulator, idp = services.emulator, services.idp
    client = idp.clients.secret
    oidc = dict(
        camunda_auth_method='oidc',
        camunda_token_url=idp.token_url,
        camunda_client_id=client.id,
        camunda_client_secret=client.secret,
        camunda_token_ca_path=idp.ca_path,
    )
    return [
        (
            'none: a C8 Run-like cluster (1 broker, open API)',
            True,
            lambda: (
                emulator.admin.set_auth('none'),
                emulator.admin.set_cluster(brokers=1, partitions=1, replication_factor=1),
            ),
            dict(verify_deployment='c8run'),
        ),
        (
            'Basic: a Helm-like cluster (3 brokers, a Basic user), with the end-to-end smoke test',
            True,
            lambda: (add_user(emulator, 'operator', 'operator-password'), emulator.admin.set_auth('basic')),
            dict(
                verify_deployment='helm',
                camunda_auth_method='basic',
                camunda_username='operator',
                camunda_password='operator-password',
                verify_smoke_test=True,
            ),
        ),
        (
            'OIDC: client credentials from the IdP, expected version 8.8',
            True,
            lambda: emulator.admin.set_auth('oidc'),
            dict(verify_deployment='helm', verify_expected_auth_method='oidc', verify_expected_version='8.8') | oidc,
        ),
        (
            'faults: an open API where Basic is expected, a dead replica, a partition without leader, a missing broker, '
            'no job ever activated (smoke test)',
            False,
            lambda: (
                add_user(emulator, 'operator', 'operator-password'),
                emulator.admin.set_faults(
                    dead=[[3, 1]], no_leader=[2], missing_brokers=[2], jobs_never_activatable=True
                ),
            ),
            dict(
                verify_deployment='helm',
                camunda_auth_method='basic',
                camunda_username='operator',
                camunda_password='operator-password',
                verify_smoke_test=True,
                verify_smoke_timeout=5,
            ),
        ),
    ]


def announce(number, total, title, settings):
    """The run's heading and command, printed before it runs (a run takes seconds to tens of seconds)."""
    print(f'\n=== {number}/{total}. {title}')
    for line in command_lines(settings):
        print(f'    {line}')
    print('    running ...', flush=True)


def show(expected_pass, run, report):
    judged = run.tasks(JUDGE)
    if not judged:
        print(run.output)
        return False
    result = judged[-1]['result']['ansible_facts']['verify_result']
    for check in result['checks']:
        lines = check['problems'] or [check['reason']]
        print(f"    {MARKS[check['result']]}  {check['name']:<13} {lines[0]}")
        for line in lines[1:]:
            print(f"    {'':<19} {line}")
    outcome = 'passed' if run.rc == 0 else f'failed (ansible-playbook exit code {run.rc})'
    print(f'    => {outcome}; report: {report.relative_to(REPO_ROOT)}')
    return (run.rc == 0) == expected_pass


def main():
    WORKDIR.mkdir(parents=True, exist_ok=True)
    print('Starting the Camunda API emulator and the OIDC provider ...', flush=True)
    with start_services(WORKDIR / 'services') as services:
        as_expected = []
        runs = scenarios(services)
        for number, (title, expected_pass, prepare, settings) in enumerate(runs, start=1):
            services.reset()
            prepare()
            report = WORKDIR / f'report-{number}.md'
            settings = dict(camunda_url=services.emulator.url, verify_report_path=str(report)) | settings
            announce(number, len(runs), title, settings)
            arguments, secrets = split_secrets(settings)  # run as printed: secrets from the environment
            run = run_playbook(VERIFY, WORKDIR / f'run-{number}', env=secrets, args=arguments)
            as_expected.append(show(expected_pass, run, report))
        print(
            '\nEach command above is what ran, secrets taken from the exported variables. Paste them in `make shell`\n'
            'against your own cluster, or against `make services AUTH=basic` (or none, oidc), which starts the services\n'
            'on localhost:8080 and prints its URL and credential exports (the demo user is demo/demo there; a username\n'
            'equal to a password is masked as ******** wherever Ansible prints it, hence the demo\'s own user, operator).'
        )
        print(f'\nThe report of run {len(as_expected)}:\n')
        print(report.read_text())
        fleet_written = show_fleet(services, WORKDIR)
    if all(as_expected) and fleet_written:
        print(f'Demo finished: runs 1-{len(as_expected) - 1} passed and run {len(as_expected)} failed, as expected.')
        return 0
    print('Demo finished, but some runs did not end as expected (see above).')
    return 1


if __name__ == '__main__':
    sys.exit(main())
