# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Authentication of API calls: none, HTTP Basic against the emulator's users, or OIDC bearer JWTs."""

from __future__ import annotations

import base64
import binascii
import hmac
import threading
import time
from dataclasses import asdict, dataclass, field

import jwt
import requests

from .errors import ApiError

AUTH_MODES = ('none', 'basic', 'oidc')
_TOKEN_CACHE_SIZE = 1024


@dataclass(frozen=True)
class Principal:
    kind: str  # 'user' | 'client'
    id: str
    claims: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class AuthSettings:
    """How the API is protected; field names match the keywords of EmulatorServer and admin.set_auth()."""

    mode: str = 'none'
    oidc_issuer: str | None = None
    oidc_audiences: tuple = ('orchestration-api',)  # empty: no audience check (Camunda's default)
    oidc_ca_path: str | None = None  # CA bundle for the IdP; None: the system trust store
    oidc_jwks_url: str | None = None  # skips discovery when set
    client_id_claim: str | None = 'client_id'
    username_claim: str = 'sub'
    prefer_username_claim: bool = False
    oidc_algorithms: tuple = ('RS256',)
    oidc_leeway_s: float = 0.0  # Spring's resource server allows 60 s; 0 makes expiry tests exact
    clock_offset_s: float = 0.0  # the cluster's clock runs this far ahead (negative: behind): token checks, Date header

    def now(self):
        return time.time() + self.clock_offset_s

    def changed(self, **changes):
        unknown = sorted(set(changes) - set(asdict(self)))
        if unknown:
            raise ValueError(f'unknown auth settings {unknown}; known: {sorted(asdict(self))}')
        for name in ('oidc_audiences', 'oidc_algorithms'):
            if isinstance(changes.get(name), str):
                changes[name] = (changes[name],)
            elif changes.get(name) is not None:
                changes[name] = tuple(changes[name])
        settings = AuthSettings(**{**asdict(self), **changes})
        if settings.mode not in AUTH_MODES:
            raise ValueError(f'auth mode must be one of {AUTH_MODES}, got {settings.mode!r}')
        if settings.mode == 'oidc' and not (settings.oidc_issuer or settings.oidc_jwks_url):
            raise ValueError('oidc needs oidc_issuer (or oidc_jwks_url)')
        return settings

    def as_json(self):
        return asdict(self)


class TokenRevocation:
    """`revoke_tokens()`: every bearer token issued (iat) up to a whole second is refused from then on."""

    def __init__(self):
        self.revoked_through = None

    def revoke_until_now(self):
        """Revoke, then wait for the next second so that tokens issued after this returns are accepted."""
        now = time.time()
        self.revoked_through = int(now)
        time.sleep(self.revoked_through + 1 - now)
        return self.revoked_through

    def is_revoked(self, claims):
        if self.revoked_through is None:
            return False
        issued_at = claims.get('iat')
        return not isinstance(issued_at, (int, float)) or issued_at <= self.revoked_through


def unauthorized(detail, challenge):
    return ApiError(401, detail, headers=[('WWW-Authenticate', challenge)])


class Authenticator:
    """Turns the Authorization header of a request into a Principal, or refuses it with a 401."""

    def __init__(self, settings, users, revocation):
        self.settings = settings
        self.users = users  # username -> record with 'password' (the identity store's users table)
        self.revocation = revocation
        self.jwks = JwksCache(settings) if settings.mode == 'oidc' else None
        self._validated = {}  # token -> (principal, claims): skips the signature check for a known token
        self._lock = threading.Lock()

    def authenticate(self, request):
        header = request.headers.get('Authorization') or ''
        if self.settings.mode == 'none':
            return self._optional_basic(header)  # the API is open; credentials only name the caller
        if self.settings.mode == 'basic':
            return self._basic(header)
        return self._bearer(header)

    # -- basic ------------------------------------------------------------------------------------

    def _optional_basic(self, header):
        try:
            return self._basic(header) if header else None
        except ApiError:
            return None

    def _basic(self, header):
        challenge = 'Basic realm="Camunda"'
        scheme, _space, encoded = header.partition(' ')
        if scheme.lower() != 'basic' or not encoded.strip():
            raise unauthorized('The request is not authenticated: HTTP Basic credentials are required.', challenge)
        try:
            username, _colon, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(':')
        except (binascii.Error, UnicodeDecodeError):
            raise unauthorized('The HTTP Basic credentials are malformed.', challenge) from None
        user = self.users.get(username)
        if user is None or not hmac.compare_digest(user['password'].encode(), password.encode()):
            raise unauthorized('Invalid username or password.', challenge)
        return Principal('user', username)

    # -- bearer -----------------------------------------------------------------------------------

    def _bearer(self, header):
        scheme, _space, token = header.partition(' ')
        token = token.strip()
        if scheme.lower() != 'bearer' or not token:
            raise unauthorized('The request is not authenticated: a bearer token is required.', 'Bearer')
        with self._lock:
            known = self._validated.get(token)
        principal, claims = known if known else self._validate(token)
        self._check_still_valid(claims)
        return principal

    def _validate(self, token):
        claims = self._decode(token)
        principal = self._principal(claims)
        with self._lock:
            if len(self._validated) >= _TOKEN_CACHE_SIZE:
                self._validated.clear()
            self._validated[token] = (principal, claims)
        return principal, claims

    def _decode(self, token):
        settings = self.settings
        try:
            header = jwt.get_unverified_header(token)
            if header.get('alg') not in settings.oidc_algorithms:
                raise jwt.InvalidAlgorithmError(f"algorithm {header.get('alg')!r} is not accepted")
            key = self.jwks.key_for(header.get('kid'))
            return jwt.decode(
                token,
                key,
                algorithms=list(settings.oidc_algorithms),
                audience=list(settings.oidc_audiences) or None,
                issuer=settings.oidc_issuer,
                leeway=settings.oidc_leeway_s,
                # the times are checked below against the cluster's own (possibly skewed) clock
                options={
                    'require': ['exp'],
                    'verify_aud': bool(settings.oidc_audiences),
                    'verify_iss': bool(settings.oidc_issuer),
                    'verify_exp': False,
                    'verify_iat': False,
                    'verify_nbf': False,
                },
            )
        except jwt.PyJWTError as error:
            raise invalid_token(token_error_reason(error, settings)) from None

    def _principal(self, claims):
        settings = self.settings
        client_id = claims.get(settings.client_id_claim) if settings.client_id_claim else None
        username = claims.get(settings.username_claim)
        if client_id and not (settings.prefer_username_claim and username):
            return Principal('client', str(client_id), claims)
        if username:
            return Principal('user', str(username), claims)
        raise invalid_token(
            f'the token has neither a {settings.client_id_claim!r} nor a {settings.username_claim!r} claim'
        )

    def _check_still_valid(self, claims):
        now, leeway = self.settings.now(), self.settings.oidc_leeway_s
        if not isinstance(claims['exp'], (int, float)) or claims['exp'] + leeway < now:
            raise invalid_token('the token has expired')
        if any(isinstance(claims.get(name), (int, float)) and claims[name] - leeway > now for name in ('iat', 'nbf')):
            raise invalid_token('the token is not valid yet (iat or nbf in the future)')
        if self.revocation.is_revoked(claims):
            raise invalid_token('the token has been revoked')


def token_error_reason(error, settings):
    """What was wrong with a token, in words that name the check (PyJWT's own texts vary by version)."""
    if isinstance(error, jwt.ExpiredSignatureError):
        return 'the token has expired'
    if isinstance(error, jwt.MissingRequiredClaimError):
        return f"the token has no '{error.claim}' claim"
    if isinstance(error, jwt.InvalidAudienceError):
        return f'the audience (aud) is not one of {list(settings.oidc_audiences)}'
    if isinstance(error, jwt.InvalidIssuerError):
        return f'the issuer (iss) is not {settings.oidc_issuer}'
    if isinstance(error, jwt.InvalidSignatureError):
        return 'the signature does not verify with the issuer\'s key'
    if isinstance(error, jwt.ImmatureSignatureError):
        return 'the token is not valid yet (iat or nbf in the future)'
    if isinstance(error, (jwt.InvalidKeyError, jwt.InvalidAlgorithmError)):
        return str(error)
    return f'the token is not a well-formed JWT ({error})'


def invalid_token(reason):
    challenge = f'Bearer error="invalid_token", error_description="{reason}"'
    return unauthorized(f'The bearer token is not valid: {reason}.', challenge)


class JwksCache:
    """Signing keys of the IdP, discovered from `<issuer>/.well-known/openid-configuration`, refreshed when a
    token names a key id that is not known yet (the IdP rotated its keys)."""

    def __init__(self, settings, timeout=5):
        self.settings = settings
        self.timeout = timeout
        self._keys = {}
        self._lock = threading.Lock()

    def key_for(self, kid):
        with self._lock:
            key = self._find(kid)
            if key is None:
                self._refresh()
                key = self._find(kid)
        if key is None:
            raise jwt.InvalidKeyError(f'no key {kid!r} in the JWKS of the issuer')
        return key

    def _find(self, kid):
        if kid is None and len(self._keys) == 1:
            return next(iter(self._keys.values()))
        return self._keys.get(kid)

    def _refresh(self):
        try:
            document = self._get_json(self.settings.oidc_jwks_url or self._jwks_url_from_discovery())
            self._keys = {
                jwk.get('kid'): jwt.PyJWK(jwk).key for jwk in document.get('keys', ()) if jwk.get('use', 'sig') == 'sig'
            }
        except (requests.RequestException, ValueError, KeyError, jwt.PyJWTError) as error:
            raise jwt.InvalidKeyError(f'the signing keys of the issuer could not be fetched: {error}') from None

    def _jwks_url_from_discovery(self):
        issuer = self.settings.oidc_issuer.rstrip('/')
        discovery = self._get_json(f'{issuer}/.well-known/openid-configuration')
        if discovery.get('issuer') != self.settings.oidc_issuer:
            raise ValueError(f"the discovery document names issuer {discovery.get('issuer')!r}")
        return discovery['jwks_uri']

    def _get_json(self, url):
        # verify is always explicit: REQUESTS_CA_BUNDLE would otherwise replace the configured CA.
        response = requests.get(url, timeout=self.timeout, verify=self.settings.oidc_ca_path or True)
        response.raise_for_status()
        return response.json()
