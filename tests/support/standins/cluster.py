# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The orchestration cluster of a deployment stand-in: the API emulator with exactly the configured auth and users.

    python cluster.py CONFIG.json      prints its URL on stdout, serves until SIGTERM

Unlike `python -m emulator` (which always seeds demo/demo besides the users it is given), the users here are exactly
the initial users the configuration renders, so a login that the configuration dropped is refused as it would be.
CONFIG.json (0600): {"port", "auth", "users": [[name, password], ...], "issuer", "jwks_url", "audiences",
"client_id_claim", "ca", "brokers"}.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from emulator import EmulatorServer  # noqa: E402


def main(config):
    brokers = int(config.get('brokers', 1))
    server = EmulatorServer(
        auth=config['auth'],
        port=int(config.get('port') or 0),
        users={name: password for name, password in config.get('users') or [] if name},
        oidc_issuer=config.get('issuer'),
        oidc_jwks_url=config.get('jwks_url'),
        oidc_ca_path=config.get('ca'),
        oidc_audiences=tuple(config.get('audiences') or ()),
        client_id_claim=config.get('client_id_claim') or 'client_id',
        cluster={'brokers': brokers, 'partitions': brokers, 'replication_factor': brokers},
    ).start()
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_signal: stopping.set())
    print(server.url, flush=True)
    stopping.wait()
    server.stop()


if __name__ == '__main__':
    main(json.loads(Path(sys.argv[1]).read_text(encoding='utf-8')))
