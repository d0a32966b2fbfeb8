# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The connectors check over hand-made answers of ansible.builtin.uri on <url>/actuator/health."""

from __future__ import annotations

import pytest

from ansible_collections.community.camunda.plugins.plugin_utils._verify import Facts
from ansible_collections.community.camunda.plugins.plugin_utils._verify_check_connectors import judge

URL = 'http://connectors:8080/actuator/health'


def answered(health, status=200):
    return judge(Facts(dict(connectors=dict(url=URL, status=status, json=health)), {}, 'other'))


def test_not_asked_for():
    assert judge(Facts(dict(connectors=dict(skipped=True, changed=False)), {}, 'other')) is None
    assert judge(Facts({}, {}, 'other')) is None


def test_up():
    result = answered(dict(status='UP', components=dict(diskSpace=dict(status='UP'), ping=dict(status='UP'))))
    assert (result['result'], result['reason']) == ('pass', f'GET {URL}: UP, all 2 components UP')
    assert answered(dict(status='UP'))['reason'] == f'GET {URL}: UP'


def test_down_names_each_component_with_its_details():
    health = dict(
        status='DOWN',
        components=dict(
            ping=dict(status='UP'),
            zeebeClient=dict(status='DOWN', details=dict(error='io.grpc.StatusRuntimeException: UNAVAILABLE')),
            operate=dict(
                components=dict(api=dict(status='OUT_OF_SERVICE'), auth=dict(status='UP')), status='OUT_OF_SERVICE'
            ),
        ),
    )
    result = answered(health, 503)
    assert result['result'] == 'fail'
    assert result['problems'] == [
        'component operate.api is OUT_OF_SERVICE',
        'component zeebeClient is DOWN (error: io.grpc.StatusRuntimeException: UNAVAILABLE)',
    ]
    assert result['reason'] == 'the Connectors runtime is DOWN: ' + '; '.join(result['problems'])
    assert [c['name'] for c in result['details']['components_not_up']] == ['operate.api', 'zeebeClient']
    assert answered(dict(status='DOWN'), 503)['problems'] == ['the runtime is DOWN']


def test_up_with_an_unknown_component_passes_and_names_it():
    result = answered(dict(status='UP', components=dict(ping=dict(status='UP'), mail=dict(status='UNKNOWN'))))
    assert (result['result'], result['reason']) == ('pass', f'GET {URL}: UP; not UP: component mail is UNKNOWN')


@pytest.mark.parametrize(
    'answer,reason',
    [
        (
            dict(url=URL, status=-1, msg='Status code was -1: Connection refused'),
            f'GET {URL} could not be reached: Status code was -1: Connection refused, not a Spring Boot health answer',
        ),
        (
            dict(url=URL, status=404, json=dict(error='Not Found')),
            f'GET {URL} answered 404, not a Spring Boot health answer',
        ),
        (
            dict(url=URL, status=200, content='<html>login</html>'),
            f'GET {URL} answered 200, not a Spring Boot health answer',
        ),
    ],
)
def test_not_a_health_answer(answer, reason):
    result = judge(Facts(dict(connectors=answer), {}, 'other'))
    assert (result['result'], result['reason']) == ('fail', reason)
