# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Errors of the collection core.

For internal collection use only: no stable interface.

Every expected fault becomes one of these, with a message that says what failed and what to check.
Modules turn them into ``fail_json`` and lookups into ``AnsibleError``; nobody shows a stack trace
for them. ``details`` holds extra result fields (status, url, ...) that are safe to return.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

# What stands in for a secret wherever one would be shown (messages, diffs, plans, settings).
SECRET_MASK = '********'


class CamundaError(Exception):
    """Base class: a fault the user can act on."""

    def __init__(self, msg: str, **details: Any) -> None:
        super().__init__(msg)
        self.msg = msg
        self.details = {key: value for key, value in details.items() if value is not None}

    def __str__(self) -> str:
        return self.msg


class ConfigurationError(CamundaError):
    """The options are wrong or incomplete; found before any request was sent."""


class TransportError(CamundaError):
    """No HTTP answer: connection refused, timeout, DNS, proxy or TLS failure."""


class ApiError(CamundaError):
    """The Camunda API answered with an error status (problem+json where it can)."""

    def __init__(
        self, msg: str, status: int | None = None, title: str | None = None, detail: str | None = None, **details: Any
    ) -> None:
        super().__init__(msg, status=status, title=title, detail=detail, **details)
        self.status = status
        self.title = title
        self.detail = detail


class IdpError(CamundaError):
    """The identity provider refused or failed the token request."""

    def __init__(
        self,
        msg: str,
        status: int | None = None,
        error: str | None = None,
        error_description: str | None = None,
        **details: Any,
    ) -> None:
        super().__init__(msg, status=status, error=error, error_description=error_description, **details)
        self.status = status
        self.error = error
        self.error_description = error_description


def redact(text: Any, secrets: Iterable[Any]) -> Any:
    """Replace every secret value in ``text`` by a mask: the last line of defence for messages.

    Modules get this from Ansible's no_log handling; lookups and warnings do not, so the core
    redacts its own messages before they leave it.
    """
    if not text:
        return text
    for secret in secrets:
        if secret and isinstance(secret, str) and len(secret) >= 3:
            text = text.replace(secret, SECRET_MASK)
    return text
