# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The admin interface, outside `/v2`: switches for auth, cluster shape and faults, and counters.

The server side (admin_routes) and the client (EmulatorAdmin) talk JSON over HTTP, so that tests drive an
emulator in their own process and a separate `python -m emulator` the same way. Admin calls need no credentials,
are never counted and are never subject to faults.
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs

import requests

from .messages import json_response

ADMIN_PREFIX = '/__emulator__/'


def admin_routes(app):
    return [
        ('GET', '/__emulator__/state', lambda call: json_response(200, app.state())),
        ('POST', '/__emulator__/reset', _changing(app.reset, with_body=False)),
        ('POST', '/__emulator__/auth', _changing(app.set_auth)),
        ('POST', '/__emulator__/cluster', _changing(app.set_cluster)),
        ('POST', '/__emulator__/faults', _changing(app.set_faults)),
        ('POST', '/__emulator__/faults/clear', _changing(app.clear_faults, with_body=False)),
        ('POST', '/__emulator__/license', _changing(app.set_license)),
        ('GET', '/__emulator__/requests', lambda call: _request_count(app, call)),
        ('POST', '/__emulator__/requests/reset', _changing(app.counter.clear, with_body=False)),
        (
            'POST',
            '/__emulator__/revoke-tokens',
            lambda call: json_response(200, {'revoked_through': app.revoke_tokens()}),
        ),
    ]


def _changing(change, with_body=True):
    """A handler calling change(**body) and answering the new state, or 400 {error} for a bad setting."""

    def handler(call):
        try:
            settings = json.loads(call.request.body or b'{}') if with_body else {}
            if not isinstance(settings, dict):
                raise ValueError('the body must be a JSON object')
            change(**settings)
        except (ValueError, TypeError) as error:
            return json_response(400, {'error': str(error)})
        return json_response(200, {'ok': True})

    return handler


def _request_count(app, call):
    query = {name: values[-1] for name, values in parse_qs(call.request.query).items()}
    return json_response(200, {'count': app.counter.count(query.get('path'), query.get('method'))})


class EmulatorAdminError(RuntimeError):
    pass


class EmulatorAdmin:
    """Client of the admin interface: `EmulatorAdmin('http://127.0.0.1:PORT')` (or the https URL with ca_path)."""

    def __init__(self, url, ca_path=None, timeout=10):
        self.url = url.rstrip('/')
        self.verify = ca_path or True
        self.timeout = timeout
        self._session = requests.Session()
        self._session.trust_env = False  # the emulator is local: no proxy, no CA bundle from the environment
        # A fresh connection per admin call: the server closes idle keep-alive connections, and a call sent on one at
        # that moment would fail with 'Remote end closed connection without response'.
        self._session.headers['Connection'] = 'close'

    def reset(self):
        """Back to the start configuration: healthy cluster, no faults, seed data, counters at zero."""
        self._post('reset')

    def set_auth(self, mode, **settings):
        """'none' | 'basic' | 'oidc', plus any AuthSettings field (oidc_issuer, oidc_audiences, ...)."""
        self._post('auth', dict(settings, mode=mode))

    def set_cluster(self, **shape):
        """brokers, partitions, replication_factor, version, gateway_version, cluster_id (only those given)."""
        self._post('cluster', shape)

    def set_faults(self, **faults):
        """Set the named faults; the others keep their value. A falsy value (None, [], 0, False) clears one."""
        self._post('faults', faults)

    def clear_faults(self):
        self._post('faults/clear')

    def set_license(self, **fields):
        """validLicense, licenseType, isCommercial, expiresAt."""
        self._post('license', fields)

    def request_count(self, path=None, method=None):
        """API requests received since the last reset, for one path (e.g. '/v2/topology') and method, or all."""
        params = {key: value for key, value in (('path', path), ('method', method)) if value is not None}
        return self._call('GET', 'requests', params=params)['count']

    def reset_counts(self):
        self._post('requests/reset')

    def revoke_tokens(self):
        """Refuse every bearer token issued before now (returns after the next whole second)."""
        return self._post('revoke-tokens')['revoked_through']

    def state(self):
        return self._call('GET', 'state')

    def close(self):
        self._session.close()

    def _post(self, name, body=None):
        return self._call('POST', name, json_body=body or {})

    def _call(self, method, name, json_body=None, params=None):
        response = self._session.request(
            method,
            f'{self.url}{ADMIN_PREFIX}{name}',
            json=json_body,
            params=params,
            timeout=self.timeout,
            verify=self.verify,
        )
        if response.status_code != 200:
            raise EmulatorAdminError(f'{method} {ADMIN_PREFIX}{name}: {response.status_code} {response.text}')
        return response.json()
