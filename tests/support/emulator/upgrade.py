# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The emulator's model of a rolling upgrade: brokers restart onto a new version one at a time.

A Helm upgrade changes the orchestration StatefulSet's image, and Kubernetes' rolling update replaces its pods one
by one from the highest ordinal down, each after the previous one is ready (Kubernetes StatefulSet
RollingUpdate; camunda-platform-helm charts 13.x/14.x deploy brokers as one StatefulSet). Here each step is driven
by a read of GET /v2/topology, never by the clock: a read takes the next broker away (restarting: missing from the
topology), the following read brings it back on the new version. So a waiting client sees the rolling window,
with mixed versions, and the end. A broker named in ``stuck`` comes back on its old version (its new pod never
becomes ready, as with a bad image or a failed migration). The gateway (embedded in the brokers since 8.8) reports
the new version once every broker runs it. ``smoke_fails`` makes process instances never complete once the
rollout has ended, so a smoke test after the upgrade fails. Admin: POST /__emulator__/upgrade
{"to_version", "stuck": [broker ids], "smoke_fails": bool}; GET /__emulator__/upgrade answers the rollout's state.
"""

from __future__ import annotations

import json

from .messages import json_response

ADMIN_PATH = '/__emulator__/upgrade'


class Rollout:
    def __init__(self, from_version, to_version, brokers, stuck=(), smoke_fails=False):
        self.from_version = from_version
        self.to_version = str(to_version)
        self.queue = sorted(range(brokers), reverse=True)
        self.stuck = {int(broker) for broker in stuck}
        self.smoke_fails = bool(smoke_fails)
        self.restarting = None
        self.done = []
        self.finished = False

    def step(self, app):
        """One topology read's worth of progress."""
        missing = set(app.faults.missing_brokers)
        versions = dict(app.faults.broker_versions)
        if self.restarting is not None:
            missing.discard(self.restarting)
            versions[self.restarting] = self.from_version if self.restarting in self.stuck else self.to_version
            self.done.append(self.restarting)
            self.restarting = None
        elif self.queue:
            self.restarting = self.queue.pop(0)
            missing.add(self.restarting)
        app.set_faults(missing_brokers=sorted(missing), broker_versions=versions)
        if not self.queue and self.restarting is None and not self.finished:
            self.finished = True
            if not self.stuck:
                app.set_faults(broker_versions={})
                app.set_cluster(version=self.to_version, gateway_version=None)
            if self.smoke_fails:
                app.set_faults(instances_never_complete=True)

    def as_json(self):
        return dict(
            from_version=self.from_version,
            to_version=self.to_version,
            restarting=self.restarting,
            done=self.done,
            waiting=self.queue,
            stuck=sorted(self.stuck),
            finished=self.finished,
        )


def on_topology_read(app):
    rollout = getattr(app, 'rollout', None)
    if rollout is not None and not rollout.finished:
        rollout.step(app)


def _start(app, call):
    try:
        settings = json.loads(call.request.body or b'{}')
        if not isinstance(settings, dict) or not settings.get('to_version'):
            raise ValueError('the body must be a JSON object with to_version')
        app.rollout = Rollout(
            app.cluster.gateway_version or app.cluster.version,
            settings['to_version'],
            app.cluster.brokers,
            settings.get('stuck') or (),
            settings.get('smoke_fails'),
        )
    except (ValueError, TypeError) as error:
        return json_response(400, {'error': str(error)})
    return json_response(200, app.rollout.as_json())


def admin_routes(app):
    return [
        ('POST', ADMIN_PATH, lambda call: _start(app, call)),
        (
            'GET',
            ADMIN_PATH,
            lambda call: json_response(200, app.rollout.as_json() if getattr(app, 'rollout', None) else {}),
        ),
    ]


class UpgradeAdmin:
    """The test side: start a rollout and read its state through an EmulatorAdmin's session."""

    def __init__(self, admin):
        self.admin = admin

    def start(self, to_version, stuck=(), smoke_fails=False):
        body = dict(to_version=to_version, stuck=list(stuck), smoke_fails=smoke_fails)
        return self.admin._call('POST', 'upgrade', json_body=body)

    def state(self):
        return self.admin._call('GET', 'upgrade')
