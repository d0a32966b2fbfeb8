# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""private_key_jwt (RFC 7523): a short-lived JWT, signed with the client's private key, instead of a secret.

For internal collection use only: no stable interface.

This is what Camunda's Java client calls a client assertion and what Microsoft Entra ID calls a
certificate credential. The header names the certificate by its thumbprints (``x5t`` for SHA-1,
which Entra ID looks up, and ``x5t#S256``), so the identity provider can pick the registered key.
"""

from __future__ import annotations

from typing import Any

import base64
import hashlib
import json
import time
import uuid

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
except (
    ImportError
):  # pragma: no cover - the keys come from ClientCertificate.signing_material(), which names what is missing
    pass

ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer'
# Long enough for a slow network, short enough that a captured assertion is soon worthless.
ASSERTION_LIFETIME_SECONDS = 60
# Elliptic curves and the JWS algorithm (RFC 7518) that each one signs with.
_EC_ALGORITHMS = {'secp256r1': ('ES256', 32), 'secp384r1': ('ES384', 48), 'secp521r1': ('ES512', 66)}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _json_b64url(value: Any) -> str:
    return _b64url(json.dumps(value, separators=(',', ':'), sort_keys=True).encode('utf-8'))


def signing_algorithm(private_key: Any) -> str:
    """The JWS algorithm for this key: RS256 for RSA, ES256/384/512 for the NIST curves, EdDSA for Ed25519."""
    if isinstance(private_key, rsa.RSAPrivateKey):
        return 'RS256'
    if isinstance(private_key, ec.EllipticCurvePrivateKey) and private_key.curve.name in _EC_ALGORITHMS:
        return _EC_ALGORITHMS[private_key.curve.name][0]
    if isinstance(private_key, ed25519.Ed25519PrivateKey):
        return 'EdDSA'
    raise ConfigurationError(
        'client_auth_method private_key_jwt signs with an RSA key, an EC key on P-256, P-384 or P-521, or an '
        f'Ed25519 key; the client key is a {type(private_key).__name__}: use one of those.'
    )


def _sign(private_key: Any, algorithm: str, data: bytes) -> bytes:
    if algorithm == 'RS256':
        return private_key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    if algorithm == 'EdDSA':
        return private_key.sign(data)
    digest = {'ES256': hashes.SHA256(), 'ES384': hashes.SHA384(), 'ES512': hashes.SHA512()}[algorithm]
    # JWS wants the two EC signature integers side by side, not the DER sequence cryptography returns.
    r_value, s_value = decode_dss_signature(private_key.sign(data, ec.ECDSA(digest)))
    size = _EC_ALGORITHMS[private_key.curve.name][1]
    return r_value.to_bytes(size, 'big') + s_value.to_bytes(size, 'big')


def thumbprints(certificate: Any) -> dict[str, str]:
    """``x5t`` and ``x5t#S256`` of a certificate: base64url hashes of its DER encoding."""
    der = certificate.public_bytes(serialization.Encoding.DER)
    return {'x5t': _b64url(hashlib.sha1(der).digest()), 'x5t#S256': _b64url(hashlib.sha256(der).digest())}


def build_client_assertion(
    client_id: str | None, audience: str | None, private_key: Any, certificate: Any, now: float | None = None
) -> str:
    """A signed client assertion: iss and sub the client id, aud the token endpoint, a fresh jti."""
    now = int(time.time() if now is None else now)
    algorithm = signing_algorithm(private_key)
    header = dict({'alg': algorithm, 'typ': 'JWT'}, **thumbprints(certificate))
    claims = {
        'iss': client_id,
        'sub': client_id,
        'aud': audience,
        'jti': uuid.uuid4().hex,
        'iat': now,
        'nbf': now,
        'exp': now + ASSERTION_LIFETIME_SECONDS,
    }
    signing_input = f'{_json_b64url(header)}.{_json_b64url(claims)}'
    signature = _sign(private_key, algorithm, signing_input.encode('ascii'))
    return f'{signing_input}.{_b64url(signature)}'
