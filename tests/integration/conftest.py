# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Integration tests: real ansible-playbook runs against the test services."""

from __future__ import annotations

from pathlib import Path

import pytest

from playbook import run_playbook


class Connections:
    """Playbook variables (camunda_*) for each way of authenticating to the emulator."""

    def __init__(self, services):
        self.services = services

    def none(self):
        return dict(camunda_url=self.services.emulator.url, camunda_auth_method='none')

    def basic(self, username='demo', password=None):
        users = self.services.emulator.basic_users
        return dict(
            camunda_url=self.services.emulator.url,
            camunda_auth_method='basic',
            camunda_username=username,
            camunda_password=password if password is not None else users[username],
        )

    def oidc(self, client_secret=None, **extra):
        idp = self.services.idp
        client = idp.clients.secret
        values = dict(
            camunda_url=self.services.emulator.url,
            camunda_auth_method='oidc',
            camunda_token_url=idp.token_url,
            camunda_client_id=client.id,
            camunda_client_secret=client_secret if client_secret is not None else client.secret,
            camunda_token_ca_path=idp.ca_path,
        )
        values.update(extra)
        return values

    def saas(self):
        idp = self.services.idp
        return self.oidc(camunda_token_url=idp.saas_token_url, camunda_audience=idp.saas_audience)


@pytest.fixture
def connections(clean_services):
    return Connections(clean_services)


@pytest.fixture
def playbook(tmp_path):
    """run(playbook_path, **kwargs): ansible-playbook in a private folder of this test."""

    def run(path, **kwargs):
        return run_playbook(Path(path), tmp_path / 'run', **kwargs)

    return run
