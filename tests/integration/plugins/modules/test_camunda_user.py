# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""camunda_user through ansible-playbook against the emulator, with Basic and with OIDC auth."""

from __future__ import annotations

from identity_support import step

PASSWORD = 'Alice-Secret-7f3a'
NEW_PASSWORD = 'Alice-Renewed-91bd'
ALICE = dict(username='alice', name='Alice', email='alice@example.com')


def test_create_again_update_and_delete(connected):
    run = connected.run(
        step('user', user='alice', name='Alice', email='alice@example.com', user_password=PASSWORD),
        step('user', user='alice', name='Alice', email='alice@example.com', user_password=PASSWORD),
        step('user', user='alice', email='alice@camunda.example'),
        step('user', user='alice', email='alice@camunda.example'),
    )
    assert run.changed() == [True, False, True, False]
    assert run[0]['user'] == run[1]['user'] == ALICE
    assert run[2]['user'] == dict(ALICE, email='alice@camunda.example')
    assert connected.entity('users', 'alice') == dict(ALICE, email='alice@camunda.example')

    run = connected.run(step('user', user='alice', state='absent'), step('user', user='alice', state='absent'))
    assert run.changed() == [True, False]
    assert run[0]['user'] == {} and connected.entity('users', 'alice') is None


def test_password_is_written_on_create_and_only_then_by_default(identity):
    identity.connect('basic')
    identity.run(step('user', user='alice', user_password=PASSWORD))
    assert identity.basic_login('alice', PASSWORD) == 200

    run = identity.run(step('user', user='alice', user_password=NEW_PASSWORD))
    assert run.changed() == [False]
    assert identity.basic_login('alice', PASSWORD) == 200 and identity.basic_login('alice', NEW_PASSWORD) == 401

    run = identity.run(
        step('user', user='alice', user_password=NEW_PASSWORD, update_password='always'),
        step('user', user='alice', user_password=NEW_PASSWORD, update_password='always'),
    )
    # The password cannot be read back to compare, so "always" writes (and reports) it every time.
    assert run.changed() == [True, True]
    assert identity.basic_login('alice', NEW_PASSWORD) == 200 and identity.basic_login('alice', PASSWORD) == 401


def test_creating_without_a_password_fails_before_any_write(connected):
    writes = connected.writes()
    run = connected.run(step('user', user='alice', name='Alice', ignore_errors=True), ok=False)
    assert run[0]['_status'] == 'failed'
    assert run[0]['msg'] == "User 'alice' does not exist; to create it, set user_password."
    assert connected.writes() == writes and connected.entity('users', 'alice') is None


def test_check_mode_predicts_and_changes_nothing(connected):
    connected.run(step('user', user='alice', name='Alice', user_password=PASSWORD))
    before, writes = connected.state(), connected.writes()
    run = connected.run(
        step('user', user='bob', name='Bob', user_password=PASSWORD),
        step('user', user='alice', email='new@example.com'),
        step('user', user='alice', user_password=NEW_PASSWORD, update_password='always'),
        step('user', user='alice', state='absent'),
        step('user', user='alice', name='Alice'),
        check=True,
    )
    assert run.changed() == [True, True, True, True, False]
    assert run[0]['user'] == dict(username='bob', name='Bob', email=None)
    assert run[1]['user'] == dict(username='alice', name='Alice', email='new@example.com')
    assert run[3]['user'] == {}
    assert connected.state() == before and connected.writes() == writes


def test_diff_masks_the_password_and_the_output_never_holds_it(connected):
    run = connected.run(
        step('user', user='alice', name='Alice', user_password=PASSWORD),
        step('user', user='alice', name='Alice B.', user_password=PASSWORD),
        step('user', user='alice', user_password=NEW_PASSWORD, update_password='always'),
        step('user', user='alice', state='absent'),
        diff=True,
        verbosity=3,
    )
    assert run[0]['diff'] == {
        'before': {},
        'after': {'username': 'alice', 'name': 'Alice', 'email': None, 'password': '********'},
    }
    assert run[1]['diff'] == {
        'before': {'username': 'alice', 'name': 'Alice', 'email': None},
        'after': {'username': 'alice', 'name': 'Alice B.', 'email': None},
    }
    assert run[2]['diff']['after']['password'] == '********' and 'password' not in run[2]['diff']['before']
    assert run[3]['diff'] == {'before': {'username': 'alice', 'name': 'Alice B.', 'email': None}, 'after': {}}
    assert '"password": "********"' in run.output or 'password: ********' in run.output
    assert PASSWORD not in run.output and NEW_PASSWORD not in run.output
    assert PASSWORD not in repr(run.results) and NEW_PASSWORD not in repr(run.results)


def test_read_lag_does_not_break_idempotence(connected):
    connected.emulator.admin.set_faults(read_lag_ms=1500)
    run = connected.run(
        step('user', user='alice', name='Alice', user_password=PASSWORD),
        step('user', user='alice', name='Alice', user_password=PASSWORD),
        step('user', user='bob', user_password=PASSWORD, consistency_timeout=0),
        step('user', user='bob', user_password=PASSWORD),
    )
    assert run.changed() == [True, False, True, False]
    assert run[1]['user'] == dict(username='alice', name='Alice', email=None)
    # bob's second task missed him, was refused the create (409) and found him once he showed.
    assert run[3]['user'] == dict(username='bob', name=None, email=None)
    assert connected.emulator.admin.request_count('/v2/users', 'POST') == 3
    assert run.warnings(0) == [] and run.warnings(3) == []
