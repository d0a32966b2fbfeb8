# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Throughput of the emulator for `GET /v2/topology`: prints requests/s (a benchmark, not a test).

    .venv/bin/python tests/support/bench_emulator.py [--seconds 5] [--connections 20] [--auth none basic]

The emulator runs as its own process (`python -m emulator`), as in `make demo`; the load comes from
`--processes` client processes sharing `--connections` keep-alive HTTP/1.1 connections, so that the
client's interpreter lock is not what is measured.
"""

from __future__ import annotations

import argparse
import base64
import http.client
import multiprocessing
import os
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

SUPPORT_DIR = Path(__file__).resolve().parent


def start_emulator(auth):
    process = subprocess.Popen(
        [sys.executable, '-m', 'emulator', '--auth', auth, '--port', '0'],
        cwd=SUPPORT_DIR,
        stdout=subprocess.PIPE,
        text=True,
    )
    url = process.stdout.readline().strip()
    if not url:
        process.kill()
        raise RuntimeError('the emulator did not print its URL')
    return process, url


def hammer(url, headers, connections, deadline, results):
    """Client process: `connections` threads, each sending GET /v2/topology on one connection until deadline."""
    address = urlsplit(url)
    counts = [0] * connections
    failures = [0] * connections

    def worker(index):
        connection = http.client.HTTPConnection(address.hostname, address.port, timeout=10)
        while time.time() < deadline:
            connection.request('GET', '/v2/topology', headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                counts[index] += 1
            else:
                failures[index] += 1
        connection.close()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    results.put((sum(counts), sum(failures)))


def measure(auth, seconds, connections, processes):
    emulator, url = start_emulator(auth)
    headers = {}
    if auth == 'basic':
        headers['Authorization'] = 'Basic ' + base64.b64encode(b'demo:demo').decode()
    try:
        results = multiprocessing.Queue()
        started = time.time() + 0.5  # every client starts together
        deadline = started + seconds
        shares = [connections // processes + (1 if i < connections % processes else 0) for i in range(processes)]
        clients = [
            multiprocessing.Process(target=hammer, args=(url, headers, share, deadline, results))
            for share in shares
            if share
        ]
        for client in clients:
            client.start()
        totals = [results.get(timeout=seconds + 60) for _client in clients]
        for client in clients:
            client.join()
        elapsed = time.time() - started
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)
    ok = sum(count for count, _failures in totals)
    failed = sum(failure for _count, failure in totals)
    return ok / elapsed, failed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--seconds', type=float, default=5.0)
    parser.add_argument('--connections', type=int, default=20)
    parser.add_argument('--processes', type=int, default=min(2, os.cpu_count() or 1), help='client processes')
    parser.add_argument('--auth', nargs='+', default=['none', 'basic'], choices=('none', 'basic'))
    args = parser.parse_args(argv)
    print(
        f'GET /v2/topology, {args.connections} keep-alive connections from {args.processes} client '
        f'process(es), {args.seconds:g} s each, {os.cpu_count()} CPUs (clients and emulator share them)'
    )
    for auth in args.auth:
        rate, failed = measure(auth, args.seconds, args.connections, args.processes)
        print(
            f'auth {auth:<6} {rate:8.0f} requests/s' + (f'  ({failed} non-200 answers)' if failed else ''), flush=True
        )
    return 0


if __name__ == '__main__':
    sys.exit(main())
