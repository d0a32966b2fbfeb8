# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The management, Optimize and snapshot endpoints: URLs checked with a useful hint, one way of building auth headers,
deletion through BackupRun.delete, and the listing's completeness (camunda_backup_info)."""

from __future__ import annotations

import base64
from types import SimpleNamespace

import pytest

from ansible_collections.community.camunda.plugins.module_utils._backup import endpoints, info
from ansible_collections.community.camunda.plugins.module_utils._backup.api import BackupRun, StepFailed
from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter


def test_auth_headers_come_from_the_auth_methods():
    basic = endpoints.auth_headers({'management_username': 'ops', 'management_password': 'pw'}, 'management')
    assert basic == {'Authorization': 'Basic ' + base64.b64encode(b'ops:pw').decode()}
    assert endpoints.auth_headers({'management_token': 'tok'}, 'management') == {'Authorization': 'Bearer tok'}
    assert endpoints.auth_headers({'snapshot_api_key': 'key'}, 'snapshot') == {'Authorization': 'ApiKey key'}
    # a management token is not sent to Elasticsearch, nor the snapshot key to the management port
    assert endpoints.auth_headers({'management_token': 'tok'}, 'snapshot') == {}
    assert endpoints.auth_headers({'snapshot_api_key': 'key'}, 'management') == {}


@pytest.mark.parametrize(
    'option, url, hint',
    [
        ('management_url', 'localhost:9600', 'http://localhost:9600'),
        ('optimize_url', 'camunda-optimize:8092', 'http://localhost:8092'),
        ('snapshot_url', '/elasticsearch', 'http://localhost:9200'),
    ],
)
def test_a_url_without_a_scheme_is_refused_with_the_form_to_write(option, url, hint):
    # urlsplit reads 'localhost:9600' as scheme 'localhost': the hint must say to write the scheme
    with pytest.raises(
        ConfigurationError, match=f'{option} .* is not an http\\(s\\) URL with a host: write the scheme'
    ) as refused:
        endpoints.checked_url(url, option)
    assert hint in refused.value.msg


def test_an_endpoint_sends_its_headers_and_tls_choice():
    sent = []

    class Transport:
        def send(self, method, url, server, verify, ca_option=None, headers=None, **kwargs):
            sent.append((method, url, verify, ca_option, headers, kwargs))
            response = SimpleNamespace(
                status_code=200,
                content=b'{}',
                headers={'Content-Type': 'application/json'},
                json=lambda: {'ok': True},
                text='{}',
            )
            return SimpleNamespace(response=response)

    options = {
        'management_url': 'https://m:9600/',
        'management_validate_certs': True,
        'management_ca_path': '/ca.pem',
        'management_username': 'ops',
        'management_password': 'pw',
    }
    endpoint = endpoints.endpoint_for(options, 'the management API', 'management_url', 'management', Transport())
    assert endpoint.send('GET', '/actuator/partitions') == (200, {'ok': True})
    method, url, verify, ca_option, headers, _kwargs = sent[0]
    assert (method, url, verify, ca_option) == (
        'GET',
        'https://m:9600/actuator/partitions',
        '/ca.pem',
        'management_ca_path',
    )
    assert headers['Authorization'].startswith('Basic ')


class Recorder:
    """A management or snapshot endpoint that answers from a table and records what it was sent."""

    def __init__(self, answers):
        self.answers = answers
        self.sent = []

    def send(self, method, path, body=None):
        self.sent.append((method, path))
        return self.answers.get((method, path), (404, None))


def bare_run(management, snapshot=None, rdbms=False):
    run = BackupRun.__new__(BackupRun)
    run.options = OptionAdapter.from_dict({'snapshot_repository': 'camunda'})
    run.use_v2, run.rdbms, run.management, run.snapshot, run.optimize = False, rdbms, management, snapshot, None
    run.required = ['runtime'] if rdbms else ['runtime', 'history'] + (['snapshot'] if snapshot else [])
    return run


def test_delete_goes_to_each_part_and_a_part_already_gone_is_fine():
    management = Recorder({('DELETE', '/actuator/backupRuntime/5'): (204, None)})
    snapshot = Recorder(
        {('DELETE', '/_snapshot/camunda/camunda_zeebe_records_backup_5'): (200, {'acknowledged': True})}
    )
    run = bare_run(management, snapshot)
    run.delete('runtime', 5)
    run.delete('history', 5)  # 404: already gone
    run.delete('snapshot', 5)
    assert management.sent == [('DELETE', '/actuator/backupRuntime/5'), ('DELETE', '/actuator/backupHistory/5')]
    assert snapshot.sent == [('DELETE', '/_snapshot/camunda/camunda_zeebe_records_backup_5')]
    refused = bare_run(Recorder({('DELETE', '/actuator/backupRuntime/5'): (500, {'message': 'store down'})}))
    with pytest.raises(StepFailed, match=r'deleting the runtime part of backup 5 failed: HTTP 500 \(store down\)'):
        refused.delete('runtime', 5)


def test_history_404_means_no_backup_repository_not_no_backups():
    run = bare_run(Recorder({('GET', '/actuator/backupRuntime'): (200, [])}))
    with pytest.raises(StepFailed, match='answer 404 when no backup repository is configured'):
        run.list_backups('history')
    assert bare_run(Recorder({}), rdbms=True).list_backups('history') == []  # relational: none to ask for


def test_the_listing_marks_a_backup_without_its_snapshot_incomplete():
    completed = {'state': 'COMPLETED', 'details': [{'brokerVersion': '8.8.1'}]}
    management = Recorder(
        {
            ('GET', '/actuator/backupRuntime'): (200, [dict(completed, backupId=1), dict(completed, backupId=2)]),
            ('GET', '/actuator/backupHistory'): (
                200,
                [
                    {'backupId': 1, 'state': 'COMPLETED'},
                    {'backupId': 2, 'state': 'COMPLETED'},
                    {'backupId': 3, 'state': 'COMPLETED'},
                ],
            ),
        }
    )
    snapshot = Recorder(
        {
            ('GET', '/_snapshot/camunda/camunda_zeebe_records_backup_1/_status'): (
                200,
                {'snapshots': [{'state': 'SUCCESS', 'stats': {'total': {'size_in_bytes': 7}}}]},
            )
        }
    )
    backups = info.collect_backups(bare_run(management, snapshot))
    assert [(b['id'], b['state'], b['missing']) for b in backups] == [
        (3, 'INCOMPLETE', ['runtime', 'snapshot']),
        (2, 'INCOMPLETE', ['snapshot']),
        (1, 'COMPLETED', []),
    ]
    assert backups[2]['size_bytes'] == 7 and backups[2]['version'] == '8.8.1'
