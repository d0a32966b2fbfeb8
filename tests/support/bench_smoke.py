# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stage latencies of the smoke test (camunda_smoke_test's core) against the emulator: prints median and
maximum per stage over N runs (a benchmark, not a test).

    .venv/bin/python tests/support/bench_smoke.py [--runs 20] [--auth none|basic]

The emulator runs as its own process (`python -m emulator`), as in `make demo`; the first run deploys the
probe, the later ones find it deployed (Zeebe's duplicate rule), as a verify run after the first does.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

SUPPORT_DIR = Path(__file__).resolve().parent
if str(SUPPORT_DIR) not in sys.path:
    sys.path.insert(0, str(SUPPORT_DIR))

# pylint: disable=wrong-import-position
from bench_emulator import start_emulator  # noqa: E402
from playbook import ensure_collection_link  # noqa: E402

ensure_collection_link()
sys.path.insert(0, str(SUPPORT_DIR.parents[1] / '.build' / 'collections'))
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext  # noqa: E402
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter  # noqa: E402
from ansible_collections.community.camunda.plugins.module_utils._processes.smoke_test import run_smoke_test  # noqa: E402
# pylint: enable=wrong-import-position


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--runs', type=int, default=20)
    parser.add_argument('--auth', choices=('none', 'basic'), default='basic')
    args = parser.parse_args()
    process, url = start_emulator(args.auth)
    try:
        options = dict(
            url=url,
            auth_method=args.auth,
            username='demo',
            password='demo',
            retries=0,
            timeout=30.0,
            validate_certs=True,
            wait_timeout=60.0,
            cleanup=False,
            token_cache=False,
        )
        results = [run_smoke_test(OptionAdapter.from_dict(dict(options)), RunContext()) for _run in range(args.runs)]
    finally:
        process.terminate()
        process.wait()
    print(f'smoke test against the emulator ({args.auth} auth), {args.runs} runs; milliseconds')
    print(f"{'stage':<20}{'median':>10}{'max':>10}   (first run)")
    for index, name in enumerate(stage['name'] for stage in results[0]['stages']):
        times = [result['stages'][index]['seconds'] * 1000 for result in results]
        print(f'{name:<20}{statistics.median(times):>10.1f}{max(times):>10.1f}   ({times[0]:.1f})')
    latencies = [result['latency_seconds'] * 1000 for result in results]
    print(f"{'end to end':<20}{statistics.median(latencies):>10.1f}{max(latencies):>10.1f}   ({latencies[0]:.1f})")
    print('(end to end: from the creation request to the instance read as completed; deploy not included)')


if __name__ == '__main__':
    main()
