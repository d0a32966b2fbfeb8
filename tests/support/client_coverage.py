# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Which of the emulator's `/v2` endpoints an official client called: the contract tests' proof that they cover
every endpoint the emulator serves (tests/services/test_contract_every_endpoint_sdk.py and
test_contract_java_client.py).
"""

from __future__ import annotations

import re

from emulator.routes import api_routes


def served_endpoints(server):
    """Every (method, path pattern) of the emulator's route table, e.g. ('GET', '/v2/users/{username}')."""
    return sorted({(method, pattern) for method, pattern, _handler in api_routes(server.app, server.app.identity)})


def _regex(pattern):
    return re.compile('^' + re.sub(r'\{[^/}]+\}', '[^/]+', pattern) + '$')


def called_endpoints(server):
    """The endpoints the emulator received requests for since its last reset, as route table patterns.

    A path matches a static pattern before a parameterised one, as the emulator's router resolves it
    (`/v2/users/search` is the search, not user 'search')."""
    table = served_endpoints(server)
    static = {(method, pattern) for method, pattern in table if '{' not in pattern}
    patterns = [(method, pattern, _regex(pattern)) for method, pattern in table if '{' in pattern]
    called = set()
    for entry in server.admin.state()['requests']:
        method, path = entry['method'], entry['path']
        if (method, path) in static:
            called.add((method, path))
            continue
        called.update((method, pattern) for known, pattern, regex in patterns if known == method and regex.match(path))
    return called


def uncovered(server, not_in_client):
    """Served endpoints the client did not call, less those it has no API for (`not_in_client`: {endpoint: why})."""
    missing = set(served_endpoints(server)) - called_endpoints(server) - set(not_in_client)
    return sorted(missing)
