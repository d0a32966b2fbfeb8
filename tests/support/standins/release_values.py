# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The camunda-platform Helm chart (13.x = Camunda 8.8, 14.x = 8.9), reduced to what decides who may call the API.

`render(values, version, secrets)` returns what the orchestration cluster enforces and the login the Connectors
runtime uses, computed the way the chart's templates compute them (see tests/support/README.md, "Deployment
stand-ins", for the template each rule comes from). The defaults below are the chart's own defaults for the keys
used here, written down by us; everything else of the chart is left out.
"""

from __future__ import annotations

import copy

from spring import StandinError

_SECRET = {'inlineSecret': '', 'existingSecret': '', 'existingSecretKey': ''}


def defaults(line):
    """The chart's default values for the keys the stand-in reads; `line` is '8.8' or '8.9'."""
    orchestration_oidc = {
        'type': '', 'issuer': '', 'authUrl': '', 'tokenUrl': '', 'jwksUrl': '', 'usernameClaim': 'preferred_username',
        'clientIdClaim': 'client_id', 'groupsClaim': '', 'audience': 'orchestration-api', 'backwardsCompatibleAudiences': [],
        'clientId': 'orchestration', 'redirectUrl': 'http://localhost:8080', 'secret': dict(_SECRET)}
    connectors_oidc = {'clientId': 'connectors', 'tokenScope': '', 'secret': dict(_SECRET)}
    if line == '8.8':  # the legacy secret keys, removed from the 8.9 values
        orchestration_oidc.update(existingSecret='', existingSecretKey='identity-orchestration-client-token')
        connectors_oidc.update(existingSecret='', existingSecretKey='identity-connectors-client-token')
    return {
        'global': {
            'security': {'authentication': {'method': 'basic'}},
            'identity': {
                'auth': {'issuer': '', 'issuerBackendUrl': '', 'authUrl': '', 'tokenUrl': '', 'jwksUrl': '', 'type': 'KEYCLOAK',
                         'webModeler': {'clientApiAudience': 'web-modeler-api'}},
                'keycloak': {'url': {}, 'contextPath': '/auth', 'realm': '/realms/camunda-platform'},
            },
        },
        'orchestration': {
            'enabled': True,
            'security': {
                'authentication': {'method': '', 'unprotectedApi': False, 'oidc': orchestration_oidc},
                'authorizations': {'enabled': True},
                'initialization': {
                    'users': [
                        {'username': 'connectors', 'password': 'connector', 'name': 'Connector User', 'email': 'connector@demo.com'},
                        {'username': 'demo', 'password': 'demo', 'name': 'Demo User', 'email': 'demo@demo.com'},
                    ],
                    'defaultRoles': {'admin': {'users': ['demo']}, 'connectors': {'users': ['connectors'], 'clients': ['connectors']}},
                },
            },
        },
        'connectors': {'enabled': True, 'security': {'authentication': {'method': '', 'oidc': connectors_oidc}}},
    }


def line_of(chart_version):
    """Chart 13.x is Camunda 8.8, 14.x is 8.9; no --version: the newest line we model."""
    major = str(chart_version or '14').lstrip('v').split('.', maxsplit=1)[0]
    return {'13': '8.8', '14': '8.9'}.get(major, '8.9')


def merge(base, extra):
    """Helm's coalescing of values: maps merge key by key, lists and scalars replace, null deletes."""
    result = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def supplied_values(previous, new_files, reuse_values):
    """The release's user-supplied values after an upgrade: `--reuse-values` merges the new files over the previous
    release's values (its lists stay unless a file states them again); without it only the new files count."""
    values = copy.deepcopy(previous) if reuse_values else {}
    for file_values in new_files:
        values = merge(values, file_values)
    return values


def _dig(tree, *keys, default=None):
    for key in keys:
        if not isinstance(tree, dict) or key not in tree:
            return default
        tree = tree[key]
    return tree


def normalize_secret(config, line):
    """camundaPlatform.normalizeSecretConfiguration: ('ref', name, key) | ('plaintext', value) | None."""
    config = config or {}
    secret = config.get('secret') or {}
    if secret.get('existingSecret') and secret.get('existingSecretKey'):
        return ('ref', secret['existingSecret'], secret['existingSecretKey'])
    if secret.get('inlineSecret'):
        return ('plaintext', secret['inlineSecret'])
    legacy = config.get('existingSecret')
    if line == '8.8' and isinstance(legacy, str) and legacy and config.get('existingSecretKey'):
        return ('ref', legacy, config['existingSecretKey'])
    if line == '8.8' and isinstance(legacy, dict) and legacy.get('name'):
        return ('ref', legacy['name'], config.get('existingSecretKey'))
    if isinstance(legacy, str) and legacy:  # both lines: a bare string is taken as the value itself
        return ('plaintext', legacy)
    return None


def resolve_secret(normalized, secrets, component, env_name):
    """The value Kubernetes puts into env `env_name`; a missing Secret or key stops the pod, as kubelet does."""
    if normalized is None:
        return None
    if normalized[0] == 'plaintext':
        return normalized[1]
    _kind, name, key = normalized
    if name not in secrets:
        raise StandinError(f'{component}: Error: secret "{name}" not found (env {env_name}; CreateContainerConfigError)')
    if key not in secrets[name]:
        raise StandinError(f'{component}: Error: couldn\'t find key {key} in Secret {name} (env {env_name}; CreateContainerConfigError)')
    return secrets[name][key]


def _keycloak_backend_url(values, release):
    """camundaPlatform.authIssuerBackendUrl for type KEYCLOAK: issuerBackendUrl, else the Keycloak URL values, else
    the chart's in-cluster Keycloak service (our approximation of `identity.keycloak.url`)."""
    auth = _dig(values, 'global', 'identity', 'auth')
    if auth.get('issuerBackendUrl'):
        return auth['issuerBackendUrl']
    if str(auth.get('type', 'KEYCLOAK')).upper() != 'KEYCLOAK':
        return ''
    keycloak = _dig(values, 'global', 'identity', 'keycloak')
    path = '/' + '/'.join(part.strip('/') for part in (keycloak.get('contextPath', ''), keycloak.get('realm', '')) if part.strip('/'))
    url = keycloak.get('url') or {}
    if url:
        return f"{url.get('protocol', 'http')}://{url.get('host')}:{url.get('port')}{path}"
    return f'http://{release}-keycloak:80{path}'


def _endpoint(values, release, own, global_key, suffix):
    """orchestration.authIssuer*Endpoint*: the orchestration key, else the global one, else Keycloak's layout."""
    if own:
        return own
    if _dig(values, 'global', 'identity', 'auth', global_key):
        return _dig(values, 'global', 'identity', 'auth', global_key)
    backend = _keycloak_backend_url(values, release)
    return backend + suffix if backend else ''


def render(supplied, chart_version, secrets, release='camunda'):
    """{'line', 'orchestration': settings for the emulator, 'connectors': client settings or None}."""
    line = line_of(chart_version)
    values = merge(defaults(line), supplied)
    orchestration = values['orchestration']
    security = orchestration['security']
    authentication = security['authentication']
    oidc = authentication['oidc']
    global_method = _dig(values, 'global', 'security', 'authentication', 'method') or 'none'
    method = (authentication.get('method') or global_method) if orchestration.get('enabled') else 'none'

    issuer = oidc.get('issuer') or _dig(values, 'global', 'identity', 'auth', 'issuer') or ''
    token_url = _endpoint(values, release, oidc.get('tokenUrl'), 'tokenUrl', '/protocol/openid-connect/token')
    settings = {
        'auth': 'none' if authentication.get('unprotectedApi') else method,
        'users': [(user.get('username'), user.get('password')) for user in security['initialization'].get('users') or []]
        if method == 'basic' else [],
        'issuer': issuer or None,
        'jwks_url': None if issuer else _endpoint(values, release, oidc.get('jwksUrl'), 'jwksUrl', '/protocol/openid-connect/certs'),
        'audiences': list(oidc.get('backwardsCompatibleAudiences') or []) + [
            oidc.get('clientId') or 'orchestration', oidc.get('audience') or 'orchestration-api',
            _dig(values, 'global', 'identity', 'auth', 'webModeler', 'clientApiAudience')],
        'client_id_claim': oidc.get('clientIdClaim') or 'client_id',
        'redirect_uri': f"{oidc.get('redirectUrl') or 'http://' + release + '-zeebe-gateway:8080'}/sso-callback",
        'client_secret': None,
    }
    if method == 'oidc':
        settings['client_secret'] = resolve_secret(normalize_secret(oidc, line), secrets, 'orchestration',
                                                   'VALUES_ORCHESTRATION_CLIENT_SECRET')

    connectors = values['connectors']
    connectors_method = (connectors['security']['authentication'].get('method') or global_method) if connectors.get('enabled') else 'none'
    client = None
    if connectors.get('enabled'):
        client = {'method': connectors_method}
        if connectors_method == 'basic':
            # The chart's Connectors configuration logs in as the FIRST initial user, whatever the orchestration method.
            users = security['initialization'].get('users') or []
            if not users:  # `first` of an empty list is nil: the template stops on `$user.username`
                raise StandinError('template: camunda-platform/templates/connectors/configmap.yaml: executing '
                                   '"connectors/files/_application.yaml": nil pointer evaluating interface {}.username')
            client.update(username=users[0].get('username'), password=users[0].get('password'))
        elif connectors_method == 'oidc':
            connectors_oidc = connectors['security']['authentication']['oidc']
            secret = resolve_secret(normalize_secret(connectors_oidc, line), secrets, 'connectors',
                                    'VALUES_CAMUNDA_IDENTITY_CLIENT_SECRET')
            if secret is None:
                raise StandinError("connectors: Could not resolve placeholder 'VALUES_CAMUNDA_IDENTITY_CLIENT_SECRET' "
                                   "in value \"${VALUES_CAMUNDA_IDENTITY_CLIENT_SECRET}\"")
            client.update(client_id=connectors_oidc.get('clientId'), client_secret=secret,
                          audience=connectors_oidc.get('audience') or oidc.get('audience') or 'orchestration-api',
                          scope=connectors_oidc.get('tokenScope') or None)
            if line == '8.9' and issuer:
                client['issuer_url'] = issuer  # 8.9: issuer-url when an issuer is known, else token-url
            else:
                client['token_url'] = token_url  # 8.8: always the token URL; the orchestration issuer is not used
    return {'line': line, 'orchestration': settings, 'connectors': client}
