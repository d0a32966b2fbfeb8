# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Cluster variables (Camunda 8.9): global and per-tenant values that every process can read.

Modelled on `zeebe/gateway-protocol/src/main/proto/v2/cluster-variables.yaml` (x-added-in-version 8.9) and the
engine's `ClusterVariableRecordValidator` in camunda/camunda (see tests/support/README.md):

- `POST /v2/cluster-variables/global` and `/v2/cluster-variables/tenants/{tenantId}` create (200, the result),
  409 when the name exists in that scope, 404 for an unknown tenant; `GET`, `PUT` (value only; no upsert: 404)
  and `DELETE` (204) on `.../{name}`; `POST /v2/cluster-variables/search` with `truncateValues` (default true).
- The value is any JSON value; answers carry it serialized as a JSON string.
- A name must not be empty nor contain whitespace.
- A cluster older than 8.9 (the cluster shape's gateway version) has none of these endpoints: 404, as the
  router answers any unknown path.
- Reads (GET, search) see a write only after the `read_lag_ms` fault's delay, as the identity entities do.

Camunda 8.10 (the contract of camunda-orchestration-sdk 10.x) adds `kind` (JSON, SECRET_REFERENCE; default JSON)
and `metadata` (a map of strings or numbers) to creates (updates: `metadata`), and both, required, to every
result; on a cluster shape of 8.10 or later the emulator serves them, on 8.9 it refuses them as unknown fields.

Where the contract is silent the emulator chooses (a real cluster may differ): a value whose JSON exceeds
`MAX_VALUE_BYTES` is refused with 400 and a detail naming both sizes; search previews are `PREVIEW_CHARS` long.
"""

from __future__ import annotations

import json
import threading
from urllib.parse import parse_qs, unquote

from .errors import ApiError, already_exists, bad_request, engine_not_found, not_found, rejected
from .messages import json_response, no_content
from .search import SearchSpec, search
from .validation import parse_json_body, reject_unknown_fields, require_object

FIRST_VERSION = (8, 9)
KIND_VERSION = (8, 10)  # kind and metadata
KINDS = ('JSON', 'SECRET_REFERENCE')
# The gateway's default maxMessageSize (4 MB) bounds a command; the emulator refuses a value beyond it.
MAX_VALUE_BYTES = 4 * 1024 * 1024
PREVIEW_CHARS = 8191
GLOBAL, TENANT = 'GLOBAL', 'TENANT'
SEARCH_SPEC = SearchSpec(
    filters={
        'name': ('string', 'name'),
        'value': ('string', 'value'),
        'scope': ('string', 'scope'),
        'tenantId': ('string', 'tenantId'),
    },
    sort_fields=('name', 'value', 'tenantId', 'scope'),
)


def cluster_variable_routes(app):
    """The route table entries of cluster variables; their state lives as long as the router (until reset)."""
    variables = ClusterVariables(app)
    return [
        ('POST', '/v2/cluster-variables/global', variables.create_global),
        ('POST', '/v2/cluster-variables/search', variables.search),
        ('GET', '/v2/cluster-variables/global/{name}', variables.get_global),
        ('PUT', '/v2/cluster-variables/global/{name}', variables.update_global),
        ('DELETE', '/v2/cluster-variables/global/{name}', variables.delete_global),
        ('POST', '/v2/cluster-variables/tenants/{tenantId}', variables.create_tenant),
        ('GET', '/v2/cluster-variables/tenants/{tenantId}/{name}', variables.get_tenant),
        ('PUT', '/v2/cluster-variables/tenants/{tenantId}/{name}', variables.update_tenant),
        ('DELETE', '/v2/cluster-variables/tenants/{tenantId}/{name}', variables.delete_tenant),
    ]


def version_tuple(text):
    parts = []
    for part in str(text).split('-', 1)[0].split('.')[:2]:
        parts.append(int(part) if part.isdigit() else 0)
    return tuple(parts)


def scope_text(tenant_id):
    return GLOBAL if tenant_id is None else f"tenant: '{tenant_id}'"


class ClusterVariables:
    def __init__(self, app):
        self.app = app
        self.lock = threading.Lock()
        # (tenant id or None, name) -> {'value': JSON value, 'visible_at': clock time}
        self.records = {}

    # -- the endpoints ----------------------------------------------------------------------------

    def create_global(self, call):
        return self._create(call, None)

    def create_tenant(self, call):
        return self._create(call, self._tenant(call))

    def get_global(self, call):
        return self._get(call, None, self._name(call, 0))

    def get_tenant(self, call):
        return self._get(call, self._tenant(call), self._name(call, 1))

    def update_global(self, call):
        return self._update(call, None, self._name(call, 0))

    def update_tenant(self, call):
        return self._update(call, self._tenant(call), self._name(call, 1))

    def delete_global(self, call):
        return self._delete(call, None, self._name(call, 0))

    def delete_tenant(self, call):
        return self._delete(call, self._tenant(call), self._name(call, 1))

    def search(self, call):
        self._require_version(call)
        truncate = _truncate_values(call.request.query)
        body = parse_json_body(call.request)
        body = {} if body is None else dict(require_object(body))
        truncated_filter = None
        if isinstance(body.get('filter'), dict) and 'isTruncated' in body['filter']:
            body['filter'] = dict(body['filter'])
            truncated_filter = body['filter'].pop('isTruncated')
            if not isinstance(truncated_filter, bool):
                raise bad_request('The filter isTruncated must be a boolean.')
        with self.lock:
            visible = [(key, record) for key, record in self.records.items() if self._visible(record)]
        items = []
        for (tenant_id, name), record in sorted(visible, key=lambda entry: (entry[0][0] or '', entry[0][1])):
            text = _serialized(record['value'])
            stored_truncated = len(text) > PREVIEW_CHARS
            if truncated_filter is not None and stored_truncated != truncated_filter:
                continue
            shown_truncated = truncate and stored_truncated
            item = {
                'name': name,
                'value': text[:PREVIEW_CHARS] if shown_truncated else text,
                'isTruncated': shown_truncated,
                'scope': GLOBAL if tenant_id is None else TENANT,
                'tenantId': tenant_id,
            }
            items.append(self._with_kind(item, record))
        return json_response(200, search(items, body, SEARCH_SPEC))

    # -- the work ---------------------------------------------------------------------------------

    def _create(self, call, tenant_id):
        self._require_version(call)
        body = require_object(parse_json_body(call.request))
        reject_unknown_fields(body, {'name', 'value'} | ({'kind', 'metadata'} if self._has_kinds() else set()))
        name = body.get('name')
        if not isinstance(name, str) or not name:
            raise bad_request('No name provided.')
        if any(char.isspace() for char in name):
            raise bad_request(
                rejected(
                    'CREATE',
                    'INVALID_ARGUMENT',
                    (f"Invalid cluster variable name: '{name}'. The name must not contains any whitespace."),
                )
            )
        value = _value_of(body, 'CREATE')
        extra = {'kind': _kind_of(body), 'metadata': _metadata_of(body)}
        if tenant_id is not None and self.app.store.get('tenants', tenant_id) is None:
            raise not_found(f"Tenant with ID '{tenant_id}' not found.")
        with self.lock:
            if (tenant_id, name) in self.records:
                raise already_exists(
                    'CREATE',
                    (
                        f"Invalid cluster variable name: '{name}'. The name already exists in the scope '{scope_text(tenant_id)}'"
                    ),
                )
            record = dict(extra, value=value, visible_at=self._now() + self.app.read_lag_s())
            self.records[(tenant_id, name)] = record
        return json_response(200, self._with_kind(_result(tenant_id, name, value), record))

    def _get(self, call, tenant_id, name):
        self._require_version(call)
        with self.lock:
            record = self.records.get((tenant_id, name))
        if record is None or not self._visible(record):
            raise not_found(f"Cluster variable with name '{name}' not found in the scope '{scope_text(tenant_id)}'.")
        return json_response(200, self._with_kind(_result(tenant_id, name, record['value']), record))

    def _update(self, call, tenant_id, name):
        self._require_version(call)
        body = require_object(parse_json_body(call.request))
        reject_unknown_fields(body, {'value'} | ({'metadata'} if self._has_kinds() else set()))
        value = _value_of(body, 'UPDATE')
        with self.lock:
            record = self._existing(tenant_id, name, 'UPDATE')
            record['value'] = value
            if body.get('metadata') is not None:
                record['metadata'] = _metadata_of(body)
        return json_response(200, self._with_kind(_result(tenant_id, name, value), record))

    def _delete(self, call, tenant_id, name):
        self._require_version(call)
        with self.lock:
            self._existing(tenant_id, name, 'DELETE')
            del self.records[(tenant_id, name)]
        return no_content()

    def _existing(self, tenant_id, name, intent):
        record = self.records.get((tenant_id, name))
        if record is None:
            raise engine_not_found(
                intent,
                (
                    f"Invalid cluster variable name: '{name}'. The variable does not exist in the scope '{scope_text(tenant_id)}'"
                ),
            )
        return record

    def _version(self):
        shape = self.app.cluster
        return version_tuple(shape.gateway_version or shape.version)

    def _has_kinds(self):
        return self._version() >= KIND_VERSION

    def _with_kind(self, item, record):
        """An answer item with the 8.10 fields, on an 8.10 cluster."""
        if self._has_kinds():
            item['metadata'] = dict(record.get('metadata') or {})
            item['kind'] = record.get('kind') or 'JSON'
        return item

    def _require_version(self, call):
        if self._version() < FIRST_VERSION:
            request = call.request
            raise ApiError(404, f'No endpoint {request.method} {request.path}.')

    def _visible(self, record):
        return record['visible_at'] <= self._now()

    def _now(self):
        return self.app.store.clock()

    @staticmethod
    def _name(call, index):
        return unquote(call.params[index])

    @staticmethod
    def _tenant(call):
        return unquote(call.params[0])


def _value_of(body, intent):
    if 'value' not in body:
        raise bad_request('No value provided.')
    value = body['value']
    size = len(_serialized(value).encode())
    if size > MAX_VALUE_BYTES:
        raise bad_request(
            rejected(
                intent,
                'EXCEEDED_BATCH_RECORD_SIZE',
                (
                    f'The cluster variable value of {size} bytes exceeds the maximum message size of {MAX_VALUE_BYTES} bytes.'
                ),
            )
        )
    return value


def _kind_of(body):
    kind = body.get('kind')
    if kind is None:
        return 'JSON'
    if kind not in KINDS:
        raise bad_request(f"Unexpected value '{kind}' for kind; expected one of {list(KINDS)}.")
    return kind


def _metadata_of(body):
    metadata = body.get('metadata')
    if metadata is None:
        return {}
    if not isinstance(metadata, dict) or not all(
        isinstance(value, (str, int, float)) and not isinstance(value, bool) for value in metadata.values()
    ):
        raise bad_request('The metadata must be an object whose values are strings or numbers.')
    return metadata


def _serialized(value):
    return json.dumps(value, separators=(',', ':'), ensure_ascii=False)


def _result(tenant_id, name, value):
    return {
        'name': name,
        'value': _serialized(value),
        'scope': GLOBAL if tenant_id is None else TENANT,
        'tenantId': tenant_id,
    }


def _truncate_values(query):
    values = parse_qs(query or '').get('truncateValues')
    if not values:
        return True
    text = values[-1].strip().lower()
    if text not in ('true', 'false'):
        raise bad_request(f"The query parameter truncateValues must be true or false, not '{values[-1]}'.")
    return text == 'true'
