# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`GET /v2/resources/{resourceKey}` and `.../content`: a deployed resource and its content, fetched from the engine.

As in Camunda 8.9 (camunda/camunda, ResourceController and the engine's ResourceFetchProcessor), the engine's
resource state holds the deployed resources that are not processes, decisions or forms (RPA scripts and other
files); a process, decision or form key is not a resource there, so it is refused as NOT_FOUND with the engine's
rejection. The ledger (docs/upstream.md, "API and official clients") names the sources and the tests.
"""

from __future__ import annotations

from urllib.parse import unquote

from .errors import ApiError, rejected
from .messages import JSON_CONTENT_TYPE, Response, json_response

# The kinds of the deployment store that live in the engine's resource state (none of KINDS of deployments.py so
# far: a kind added there for RPA or other files is served here once named).
RESOURCE_STATE_KINDS = frozenset({'resource'})


class ResourceApi:
    def __init__(self, store):
        self.store = store

    def routes(self):
        return [
            ('GET', '/v2/resources/{resourceKey}', self.get_resource),
            ('GET', '/v2/resources/{resourceKey}/content', self.get_content),
        ]

    def _fetched(self, call):
        key = unquote(call.params[0])
        definition = self.store.by_key(key)
        if definition is None or definition.kind not in RESOURCE_STATE_KINDS:
            raise ApiError(
                404,
                rejected('FETCH', 'NOT_FOUND', f'Expected to fetch resource but no resource found with key `{key}`'),
            )
        return definition

    def get_resource(self, call):
        resource = self._fetched(call)
        return json_response(
            200,
            {
                'resourceName': resource.resource_name,
                'version': resource.version,
                'versionTag': resource.version_tag,
                'resourceId': resource.definition_id,
                'tenantId': resource.tenant_id,
                'resourceKey': resource.key,
            },
        )

    def get_content(self, call):
        # The resource's text as it was deployed, declared as JSON (8.9 serves RPA scripts, which are JSON).
        return Response(200, self._fetched(call).resource, JSON_CONTENT_TYPE)
