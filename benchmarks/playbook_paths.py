# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmark (prints figures; not a test): the same job four ways against the emulator and the real IdP.

  uri         the way users do it today: per host a token POST, then GET /v2/topology with ansible.builtin.uri
  module      community.camunda.camunda_topology with module_defaults, forced onto the module path
  controller  the same tasks on the in-controller path (the default on a local connection)
  floor       ansible.builtin.debug tasks of the same shape, which do no work

For each: the median wall time of several runs, the token requests the IdP saw, and the ratio to uri.
Run with `make bench` (or: .venv/bin/python benchmarks/playbook_paths.py --hosts 20 --tasks 5 --forks 10).
"""

from __future__ import annotations

import argparse
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
MODULE_DEFAULTS = '''  module_defaults:
    group/community.camunda.camunda:
      url: "{{ camunda_url }}"
      token_url: "{{ token_url }}"
      client_id: "{{ client_id }}"
      client_secret: "{{ client_secret }}"
      token_ca_path: "{{ ca_path }}"
'''


def write_playbook(folder, way, tasks):
    text = f'---\n- name: {way}\n  hosts: all\n  gather_facts: false\n'
    if way in ('module', 'controller'):
        text += MODULE_DEFAULTS
    text += '  tasks:\n' + (TOKEN_TASK if way == 'uri' else '')
    text += ''.join(TASKS[way].format(n=n) for n in range(1, tasks + 1))
    path = Path(folder) / f'{way}.yml'
    path.write_text(text, encoding='utf-8')
    return path


def measure(services, way, playbook, args, workdir):
    idp = services.idp
    client = idp.clients.secret
    variables = dict(camunda_url=services.emulator.url, token_url=idp.token_url, client_id=client.id,
                     client_secret=client.secret, ca_path=idp.ca_path, camunda_run_in_controller=way != 'module')
    times, token_requests = [], []
    hosts = [f'host{n:03d}' for n in range(args.hosts)]
    for attempt in range(args.runs):
        idp.reset_counts()
        start = time.monotonic()
        run = run_playbook(playbook, Path(workdir) / f'{way}-{attempt}', extra_vars=variables, hosts=hosts, forks=args.forks)
        times.append(time.monotonic() - start)
        run.assert_ok()
        token_requests.append(idp.token_requests())
    return statistics.median(times), max(token_requests)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--hosts', type=int, default=20)
    parser.add_argument('--tasks', type=int, default=5)
    parser.add_argument('--forks', type=int, default=10)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--ways', default='uri,module,controller,floor')
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix='camunda-bench-') as workdir:
        services = start_services(Path(workdir) / 'services')
        try:
            services.emulator.admin.set_auth('oidc')
            figures = {}
            for way in args.ways.split(','):
                playbook = write_playbook(workdir, way, args.tasks)
                figures[way] = measure(services, way, playbook, args, workdir)
                print(f'{way:<11} median {figures[way][0]:6.2f} s   token requests {figures[way][1]:4d}', flush=True)
        finally:
            services.stop()
    print(f'\n{args.hosts} hosts x {args.tasks} tasks, forks {args.forks}, median of {args.runs} runs')
    baseline = figures.get('uri', (None,))[0]
    print(f"{'way':<11} {'wall s':>8} {'tokens':>7} {'ratio to uri':>13}")
    for way, (seconds, tokens) in figures.items():
        ratio = f'{seconds / baseline:.2f}' if baseline else '-'
        print(f'{way:<11} {seconds:8.2f} {tokens:7d} {ratio:>13}')


if __name__ == '__main__':
    main()
