# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a Spring Boot application (Camunda, the Connectors runtime) reads its configuration, as far as the stand-ins need it.

Every property is kept under its canonical name, the form Spring's relaxed binding compares: upper case, `-` dropped,
`.` and list indices as `_`: `camunda.security.authentication.unprotected-api`, `unprotectedApi` and the environment
variable `CAMUNDA_SECURITY_AUTHENTICATION_UNPROTECTEDAPI` are one name; `users[0].username` is `USERS_0_USERNAME`.

Sources are layered highest precedence first (command line, `-D` system properties, environment, then the config
files, a later `--config`/`spring.config.import` above the file that names it). A scalar comes from the first source
that has it. A list is never merged element by element: the whole list comes from the highest source that has any
element of it (Spring's indexed binder), which is why a user list in the environment replaces the file's list, and
why one `-D...users[0].username` replaces every user of the files.
"""

from __future__ import annotations

import re

PLACEHOLDER = re.compile(r'\$\{([^}:]+)(?::([^}]*))?\}')


class StandinError(Exception):
    """A start-up failure the real tool would report; the stand-in prints it and exits non-zero."""


def canonical(name):
    """`camunda.security.initialization.users[0].user-name` -> `CAMUNDA_SECURITY_INITIALIZATION_USERS_0_USERNAME`."""
    name = re.sub(r'\[(\d+)\]', r'.\1', str(name))
    return '_'.join(part.replace('-', '').upper() for part in re.split(r'[._]', name) if part)


def flatten(tree, prefix=''):
    """A YAML tree (keys may themselves be dotted, as in `defaultRoles.admin.users:`) as {canonical name: value}."""
    names = {}
    items = tree.items() if isinstance(tree, dict) else enumerate(tree or [])
    for key, value in items:
        name = canonical(f'{prefix}.{key}' if prefix else str(key))
        if isinstance(value, (dict, list)) and value:
            names.update(flatten(value, name))
        elif not isinstance(value, (dict, list)):
            names[name] = value
    return names


def from_properties_text(text):
    """A `.properties` file (`key=value` lines, `#` comments) as canonical names."""
    names = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(('#', '!')) and '=' in line:
            key, value = line.split('=', 1)
            names[canonical(key.strip())] = value.strip()
    return names


def system_properties(java_opts):
    """`-Dname=value` options as canonical names (later ones win, as in the JVM)."""
    names = {}
    for option in java_opts:
        if option.startswith('-D') and '=' in option:
            key, value = option[2:].split('=', 1)
            names[canonical(key)] = value
    return names


def _list_prefixes(name):
    parts = name.split('_')
    return {'_'.join(parts[:index]) for index, part in enumerate(parts) if part.isdigit() and index}


def layer(*sources):
    """Resolve sources (highest precedence first) into one {canonical name: value}, lists taken whole (see above)."""
    result, claimed = {}, set()
    for source in sources:
        source = source or {}
        for name, value in source.items():
            if name in result or _list_prefixes(name) & claimed:
                continue
            result[name] = value
        for name in source:
            claimed |= _list_prefixes(name)
    return result


def resolve_placeholders(properties, environment):
    """`${NAME}` / `${NAME:default}` in values, looked up in the environment (exact name) or the properties."""

    def lookup(match, value):
        name, default = match.group(1), match.group(2)
        if name in environment:
            return str(environment[name])
        if canonical(name) in properties:
            return str(properties[canonical(name)])
        if default is not None:
            return default
        raise StandinError(f"Could not resolve placeholder '{name}' in value \"{value}\"")

    return {
        name: PLACEHOLDER.sub(lambda match, value=value: lookup(match, value), value)
        if isinstance(value, str)
        else value
        for name, value in properties.items()
    }


def get_list(properties, prefix):
    """The list under a canonical prefix: scalars (`PREFIX_0`) or maps (`PREFIX_0_FIELD`), in index order."""
    items = {}
    pattern = re.compile(re.escape(prefix) + r'_(\d+)(?:_(.+))?$')
    for name, value in properties.items():
        match = pattern.match(name)
        if match:
            index, field = int(match.group(1)), match.group(2)
            if field is None:
                items[index] = value
            else:
                items.setdefault(index, {})
                if isinstance(items[index], dict):
                    items[index][field] = value
    return [items[index] for index in sorted(items)]


def truthy(value):
    return str(value).strip().lower() == 'true'


def orchestration_settings(properties):
    """What the orchestration cluster enforces, from its `camunda.security.*` properties (8.8 and 8.9 names)."""

    def get(name, default=None):
        return properties.get('CAMUNDA_SECURITY_' + name, default)

    method = str(get('AUTHENTICATION_METHOD', 'basic')).lower()
    # 8.8 `unprotected-api`; 8.9 also `basic.allow-unauthenticated-api-access` (the 8.9 chart writes both).
    unprotected = truthy(get('AUTHENTICATION_UNPROTECTEDAPI', 'false')) or (
        method == 'basic' and truthy(get('AUTHENTICATION_BASIC_ALLOWUNAUTHENTICATEDAPIACCESS', 'false'))
    )
    users = [
        (user.get('USERNAME'), user.get('PASSWORD'))
        for user in get_list(properties, 'CAMUNDA_SECURITY_INITIALIZATION_USERS')
        if isinstance(user, dict)
    ]
    issuer = get('AUTHENTICATION_OIDC_ISSUERURI')
    return dict(
        auth='none' if unprotected else method,
        users=users if method == 'basic' else [],
        issuer=issuer,
        # Without an issuer Spring validates with the JWK set URI alone (no `iss` check).
        jwks_url=None if issuer else get('AUTHENTICATION_OIDC_JWKSETURI'),
        audiences=[
            str(audience) for audience in get_list(properties, 'CAMUNDA_SECURITY_AUTHENTICATION_OIDC_AUDIENCES')
        ],
        client_id_claim=get('AUTHENTICATION_OIDC_CLIENTIDCLAIM', 'client_id'),
        client_secret=get('AUTHENTICATION_OIDC_CLIENTSECRET'),
        redirect_uri=get('AUTHENTICATION_OIDC_REDIRECTURI'),
    )


def client_settings(properties, rest_address):
    """The Camunda Java client's login (`camunda.client.auth.*`), as the Connectors runtime builds it.

    No method set: basic when a username or password is set, oidc when a client id or secret is, else none
    (CamundaClientAuthProperties and the starter's tests, camunda/camunda). `token-url` wins over `issuer-url`,
    whose discovery document names the token endpoint.
    """

    def get(name):
        value = properties.get('CAMUNDA_CLIENT_AUTH_' + name)
        return None if value in (None, '') else str(value)

    method = (get('METHOD') or '').lower()
    if not method:
        method = (
            'basic'
            if get('USERNAME') or get('PASSWORD')
            else 'oidc'
            if get('CLIENTID') or get('CLIENTSECRET')
            else 'none'
        )
    auth = {'method': method}
    if method == 'basic':
        auth.update(username=get('USERNAME') or 'demo', password=get('PASSWORD') or 'demo')
    elif method == 'oidc':
        auth.update(
            client_id=get('CLIENTID'),
            client_secret=get('CLIENTSECRET'),
            token_url=get('TOKENURL'),
            issuer_url=get('ISSUERURL'),
            audience=get('AUDIENCE'),
            scope=get('SCOPE'),
        )
    return {'rest_address': rest_address, 'auth': auth}
