# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The one JWT decoder of the collection: a token's header and claims, read without checking the signature.

For internal collection use only: no stable interface.

Nothing here trusts a token: the expiry is read to schedule a renewal and the claims to explain a refusal;
the cluster and the identity provider are the ones that check signatures.
"""

from __future__ import annotations

import base64
import json


def decode_part(part: str) -> dict | None:
    """One base64url JSON object of a JWT, or None."""
    try:
        data = json.loads(base64.urlsafe_b64decode((part + '=' * (-len(part) % 4)).encode('ascii')))
    except (ValueError, UnicodeError):
        return None
    return data if isinstance(data, dict) else None


def _parts(token: object) -> list[str]:
    parts = token.split('.') if isinstance(token, str) else []
    return parts if len(parts) == 3 else []


def jwt_claims(token: object) -> dict | None:
    """The claims of a JWT; None if it is not one."""
    parts = _parts(token)
    return decode_part(parts[1]) if parts else None


def read_jwt(token: object) -> tuple[dict | None, dict | None]:
    """(header, claims) of a JWT; (None, None) if it is not one."""
    parts = _parts(token)
    if not parts:
        return None, None
    header, claims = decode_part(parts[0]), decode_part(parts[1])
    if header is None or claims is None:
        return None, None
    return header, claims
