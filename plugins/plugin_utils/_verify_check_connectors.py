# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The verify role's connectors check: the Connectors runtime's Spring Boot actuator health.

For internal collection use only: no stable interface.

Its probe is roles/verify/tasks/probe_connectors.yml (ansible.builtin.uri on <verify_connectors_url>/actuator/health).
Spring Boot answers {"status": "UP"|"DOWN"|..., "components": {name: {"status": ..., "details": {...}}, ...}},
with 503 when the overall status is DOWN or OUT_OF_SERVICE; components may nest their own components.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.plugin_utils._verify import check

NAME = 'connectors'


def _components_not_up(components, prefix=''):
    """[(dotted component name, status, details)] for every component, nested ones too, whose status is not UP."""
    found = []
    for name, component in sorted((components or {}).items()):
        if not isinstance(component, dict):
            continue
        path = prefix + name
        if component.get('components'):
            found.extend(_components_not_up(component['components'], path + '.'))
        elif component.get('status') != 'UP':
            found.append((path, component.get('status'), component.get('details')))
    return found


def _line(name, status, details):
    said = ', '.join(f'{key}: {value}' for key, value in sorted(details.items())) if isinstance(details, dict) else ''
    return f'component {name} is {status}' + (f' ({said})' if said else '')


def judge(facts):
    answer = facts.probe('connectors')
    if not answer:
        return None  # no verify_connectors_url: the check does not apply
    url = answer.get('url') or 'the Connectors health endpoint'
    health = answer.get('json')
    if not isinstance(health, dict) or 'status' not in health:
        said = (
            f"answered {answer['status']}"
            if answer.get('status', -1) > 0
            else f"could not be reached: {answer.get('msg')}"
        )
        return check(
            NAME,
            'fail',
            f'GET {url} {said}, not a Spring Boot health answer',
            details=dict(url=url, status_code=answer.get('status')),
        )
    not_up = _components_not_up(health.get('components'))
    components = [dict(name=name, status=status, details=said) for name, status, said in not_up]
    details = dict(url=url, status=health['status'], components_not_up=components)
    lines = [_line(*component) for component in not_up]
    if health['status'] == 'UP':
        # Spring Boot ranks UNKNOWN below UP: the runtime is up even if a component cannot tell; name it anyway.
        count = len(health.get('components') or {})
        said = ('; not UP: ' + '; '.join(lines)) if lines else (f', all {count} components UP' if count else '')
        return check(NAME, 'pass', f'GET {url}: UP{said}', details=details)
    lines = lines or [f"the runtime is {health['status']}"]
    return check(
        NAME, 'fail', f"the Connectors runtime is {health['status']}: " + '; '.join(lines), lines, details=details
    )
