# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (prints figures; not a test): the same job four ways against the emulator and the real IdP.

  uri         the way users do it today: per host a token POST, then GET /v2/topology with ansible.builtin.uri
  module      community.camunda.camunda_topology with module_defaults, forced onto the module path
  controller  the same tasks on the in-controller path (the default on a local connection)
  floor       ansible.builtin.debug tasks of the same shape, which do no work

For each: the median wall time of several runs, the token requests the IdP saw, and the ratios to uri and to the
floor. Run with `make bench` (or: .venv/bin/python benchmarks/playbook_paths.py --hosts 20 --tasks 5 --forks 10).
--auth basic measures the per-task path without a token (uri then sends Basic credentials itself):
  .venv/bin/python benchmarks/playbook_paths.py --hosts 1 --tasks 100 --forks 1 --auth basic --ways controller,floor
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / 'tests' / 'support'))

from playbook import run_playbook  # noqa: E402  pylint: disable=wrong-import-position
from services import start_services  # noqa: E402  pylint: disable=wrong-import-position

TOKEN_TASK = '''
    - name: Token from the identity provider
      ansible.builtin.uri:
        url: "{{ token_url }}"
        method: POST
        body_format: form-urlencoded
        body: {grant_type: client_credentials, client_id: "{{ client_id }}", client_secret: "{{ client_secret }}"}
        ca_path: "{{ ca_path }}"
      register: token
      no_log: true
'''
TASKS = {
    'uri': '''
    - name: Topology {n}
      ansible.builtin.uri:
        url: "{{{{ camunda_url }}}}/v2/topology"
        headers: {{Authorization: "Bearer {{{{ token.json.access_token }}}}"}}
      no_log: true
''',
    'uri-basic': '''
    - name: Topology {n}
      ansible.builtin.uri:
        url: "{{{{ camunda_url }}}}/v2/topology"
        url_username: "{{{{ username }}}}"
        url_password: "{{{{ password }}}}"
        force_basic_auth: true
      no_log: true
''',
    'module': '''
    - name: Topology {n}
      community.camunda.camunda_topology:
''',
    'floor': '''
    - name: Nothing {n}
      ansible.builtin.debug:
        msg: nothing
''',
}
TASKS['controller'] = TASKS['module']
MODULE_DEFAULTS = {
    'oidc': '''  module_defaults:
    group/community.camunda.camunda:
      url: "{{ camunda_url }}"
      token_url: "{{ token_url }}"
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
      token_ca_path: "{{ ca_path }}"
''',
    'basic': '''  module_defaults:
    group/community.camunda.camunda:
      url: "{{ camunda_url }}"
      username: "{{ username }}"
      password: "{{ password }}"
''',
}


def write_playbook(folder, way, tasks, auth):
    text = f'---\n- name: {way}\n  hosts: all\n  gather_facts: false\n'
    if way in ('module', 'controller'):
        text += MODULE_DEFAULTS[auth]
    template = TASKS['uri-basic'] if way == 'uri' and auth == 'basic' else TASKS[way]
    text += '  tasks:\n' + (TOKEN_TASK if way == 'uri' and auth == 'oidc' else '')
    text += ''.join(template.format(n=n) for n in range(1, tasks + 1))
    path = Path(folder) / f'{way}.yml'
    path.write_text(text, encoding='utf-8')
    return path


def measure_once(services, way, playbook, args, workdir, attempt):
    """(wall seconds, CPU seconds, token requests) of one run of one way.

    The CPU time is that of ansible-playbook and its workers (each waits for its children, so their time adds up
    in ours); the emulator and the IdP run in processes of their own and are not counted. On a shared machine the
    CPU time moves far less than the wall time.
    """
    idp = services.idp
    client = idp.clients.secret
    username, password = next(iter(services.emulator.basic_users.items()))
    variables = dict(
        camunda_url=services.emulator.url,
        token_url=idp.token_url,
        client_id=client.id,
        client_secret=client.secret,
        ca_path=idp.ca_path,
        username=username,
        password=password,
        camunda_run_in_controller=way != 'module',
    )
    hosts = [f'host{n:03d}' for n in range(args.hosts)]
    idp.reset_counts()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.monotonic()
    run = run_playbook(
        playbook, Path(workdir) / f'{way}-{attempt}', extra_vars=variables, hosts=hosts, forks=args.forks
    )
    seconds = time.monotonic() - start
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    run.assert_ok()
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    return seconds, cpu, idp.token_requests()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--hosts', type=int, default=20)
    parser.add_argument('--tasks', type=int, default=5)
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--ways', default='uri,module,controller,floor')
    parser.add_argument('--auth', choices=('oidc', 'basic'), default='oidc')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='camunda-bench-') as workdir:
        services = start_services(Path(workdir) / 'services')
        try:
            services.emulator.admin.set_auth(args.auth)
            ways = args.ways.split(',')
            playbooks = {way: write_playbook(workdir, way, args.tasks, args.auth) for way in ways}
            runs = {way: [] for way in ways}
            # The ways take turns, run by run, so that a change in the machine's load weighs on each alike.
            for attempt in range(args.runs):
                for way in ways:
                    runs[way].append(measure_once(services, way, playbooks[way], args, workdir, attempt))
                    print(
                        f'{way:<11} run {attempt + 1}: {runs[way][-1][0]:6.2f} s wall, {runs[way][-1][1]:6.2f} s CPU',
                        flush=True,
                    )
            figures = {
                way: (
                    statistics.median(run[0] for run in runs[way]),
                    statistics.median(run[1] for run in runs[way]),
                    max(run[2] for run in runs[way]),
                )
                for way in ways
            }
        finally:
            services.stop()
    print(
        f'\n{args.hosts} hosts x {args.tasks} tasks, forks {args.forks}, {args.auth} auth, median of {args.runs} runs'
    )
    baseline = figures.get('uri', (None,))[0]
    floor, floor_cpu = figures.get('floor', (None, None))[:2]
    print(
        f"{'way':<11} {'wall s':>8} {'CPU s':>8} {'tokens':>7} {'wall to uri':>12} {'wall to floor':>14} "
        f"{'CPU to floor':>13}"
    )
    for way, (seconds, cpu, tokens) in figures.items():
        to_uri = f'{seconds / baseline:.2f}' if baseline else '-'
        to_floor = f'{seconds / floor:.2f}' if floor else '-'
        cpu_to_floor = f'{cpu / floor_cpu:.2f}' if floor_cpu else '-'
        print(f'{way:<11} {seconds:8.2f} {cpu:8.2f} {tokens:7d} {to_uri:>12} {to_floor:>14} {cpu_to_floor:>13}')


if __name__ == '__main__':
    main()
