# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`python -m emulator --port 8080 --auth basic`: run the emulator until SIGTERM or SIGINT.

Prints the URL on the first line of stdout (and the HTTPS URL on the second when TLS is on), so that a parent
process can read where it listens.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .server import EmulatorServer


def parse_args(argv):
    parser = argparse.ArgumentParser(prog='python -m emulator', description=__doc__.splitlines()[0])
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0, help='0 picks a free port')
    parser.add_argument('--auth', choices=('none', 'basic', 'oidc'), default='none')
    parser.add_argument('--tls-cert', help='serve HTTPS too, with this certificate (PEM)')
    parser.add_argument('--tls-key')
    parser.add_argument('--tls-port', type=int, default=0)
    parser.add_argument('--tls-only', action='store_true', help='no plain HTTP listener')
    parser.add_argument('--oidc-issuer')
    parser.add_argument(
        '--oidc-audience',
        action='append',
        dest='oidc_audiences',
        help='accepted audience, repeatable (default: orchestration-api)',
    )
    parser.add_argument('--oidc-ca', help='CA bundle for the IdP')
    parser.add_argument('--oidc-jwks-url', help='skip discovery and use this JWKS')
    parser.add_argument('--client-id-claim', default='client_id')
    parser.add_argument('--username-claim', default='sub')
    parser.add_argument(
        '--user',
        action='append',
        default=[],
        metavar='NAME:PASSWORD',
        help='a Basic user to seed besides demo:demo, repeatable',
    )
    parser.add_argument('--brokers', type=int, default=3)
    parser.add_argument('--partitions', type=int, default=3)
    parser.add_argument('--replication-factor', type=int, default=3)
    parser.add_argument('--version', dest='camunda_version', default='8.8.0')
    parser.add_argument('--verbose', action='store_true', help='log every request to stderr')
    return parser.parse_args(argv)


def build_server(args):
    users = {'demo': 'demo'}
    users.update(dict(entry.split(':', 1) for entry in args.user))
    return EmulatorServer(
        auth=args.auth,
        host=args.host,
        port=args.port,
        tls_cert=args.tls_cert,
        tls_key=args.tls_key,
        tls_port=args.tls_port,
        plain_http=not args.tls_only,
        oidc_issuer=args.oidc_issuer,
        oidc_audiences=tuple(args.oidc_audiences or ('orchestration-api',)),
        oidc_ca_path=args.oidc_ca,
        oidc_jwks_url=args.oidc_jwks_url,
        client_id_claim=args.client_id_claim,
        username_claim=args.username_claim,
        users=users,
        verbose=args.verbose,
        cluster={
            'brokers': args.brokers,
            'partitions': args.partitions,
            'replication_factor': args.replication_factor,
            'version': args.camunda_version,
        },
    )


def main(argv=None):
    server = build_server(parse_args(sys.argv[1:] if argv is None else argv)).start()
    stopping = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_signal: stopping.set())
    print(server.url, flush=True)
    if server.tls_url and server.tls_url != server.url:
        print(server.tls_url, flush=True)
    stopping.wait()
    server.stop()
    return 0


if __name__ == '__main__':
    sys.exit(main())
