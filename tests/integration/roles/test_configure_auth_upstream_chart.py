# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""configure_auth judged by the real camunda-platform chart: `helm template` (helm 4.3.2) of Camunda's packaged
charts 13.12.7 (8.8), 14.8.4 (8.9) and 15.0.0-alpha4 (8.10) from CAMUNDA_UPSTREAM_DIR/helm.

The role runs once for every case (one inventory host per case; its `helm upgrade` goes to a recorder), then each
chart renders the values standing for the release as installed plus the two files the role wrote, in the order the
role hands them to helm. The tests assert what each container gets from the rendered objects: the orchestration
cluster's application.yaml (`camunda.security.*`) and its env, the Connectors ConfigMap (`camunda.client.auth.*`)
and the Connectors container's env and Secret references. A chart that refuses the values fails the test with
helm's own message. The role does not support 8.7 (chart 12.x has no `orchestration` section), so 8.7 is not here.
"""

from __future__ import annotations

import sys

import pytest

from playbook import SUPPORT_DIR
from rendered import ToolRefused, chart_path, configmap_yaml, container_env, dig, helm_template
from role_hosts import run_for_hosts

LINES = ['8.8', '8.9', '8.10']
# The release as installed before the role runs: the chart's defaults, plus what 8.9 and later refuse to render
# without (a secondary storage type).
RELEASE_VALUES = {
    '8.8': {},
    '8.9': {'orchestration': {'data': {'secondaryStorage': {'type': 'elasticsearch'}}}},
    '8.10': {'orchestration': {'data': {'secondaryStorage': {'type': 'elasticsearch'}}}},
}
ISSUER = 'https://idp.example.com/auth/realms/camunda-platform'
# Not the Keycloak layout under the issuer, so that a token URL the chart derives from the issuer would show.
TOKEN_URL = 'https://idp.example.com/oauth/token'
OPS = {'username': 'ops', 'password': 'ops-password-1', 'name': 'Ops User', 'email': 'ops@example.com'}
ORCHESTRATION_SECRET, CONNECTORS_SECRET, CONNECTORS_PASSWORD = (
    'orchestration-secret-1',
    'connectors-secret-1',
    'connectors-password-1',
)
# Client ids and audience other than the chart's defaults, so that a value the role fails to write would show.
OIDC = {
    'configure_auth_method': 'oidc',
    'configure_auth_oidc_issuer': ISSUER,
    'configure_auth_oidc_token_url': TOKEN_URL,
    'configure_auth_oidc_client_id': 'orchestration-prod',
    'configure_auth_oidc_audience': 'camunda-api',
    'configure_auth_connectors_client_id': 'connectors-prod',
    'configure_auth_oidc_redirect_url': 'https://camunda.example.com/',
    'configure_auth_admin_clients': ['ops-client'],
    'configure_auth_oidc_extra_audiences': ['legacy-api'],
}
CASES = {
    'basic': {
        'configure_auth_method': 'basic',
        'configure_auth_users': [OPS],
        'configure_auth_admin_users': ['ops'],
        'configure_auth_connectors_password': CONNECTORS_PASSWORD,
    },
    'basic_without_connectors': {
        'configure_auth_method': 'basic',
        'configure_auth_users': [OPS],
        'configure_auth_connectors_enabled': False,
    },
    'none': {
        'configure_auth_method': 'none',
        'configure_auth_users': [OPS],
        'configure_auth_connectors_password': CONNECTORS_PASSWORD,
    },
    'oidc_inline': OIDC
    | {
        'configure_auth_oidc_client_secret': ORCHESTRATION_SECRET,
        'configure_auth_connectors_client_secret': CONNECTORS_SECRET,
    },
    'oidc_existing_secrets': OIDC
    | {
        'configure_auth_oidc_client_secret_k8s_secret': 'camunda-oidc',
        'configure_auth_connectors_client_secret_k8s_secret': 'camunda-connectors',
        'configure_auth_connectors_client_secret_k8s_secret_key': 'secret',
    },
    'oidc_without_connectors': OIDC
    | {'configure_auth_oidc_client_secret': ORCHESTRATION_SECRET, 'configure_auth_connectors_enabled': False},
}
HELM_RECORDER = SUPPORT_DIR / 'standins' / 'bin' / 'helm'


@pytest.fixture(scope='module')
def role_files(tmp_path_factory):
    """{case: (values file, secrets file)}: what the role wrote for each case, in one playbook run."""
    root = tmp_path_factory.mktemp('upstream-chart')
    host_vars = {
        case: settings | {'configure_auth_helm_values_file': str(root / case / 'camunda-auth-values.yaml')}
        for case, settings in CASES.items()
    }
    for case in CASES:
        (root / case).mkdir()
    common = {
        'configure_auth_deployment': 'helm',
        'configure_auth_apply_with': 'cli',
        'configure_auth_verify': False,
        'configure_auth_helm_binary': str(HELM_RECORDER),
    }
    run = run_for_hosts(root / 'run', host_vars, common, env={'STANDIN_PYTHON': sys.executable}).assert_ok()
    for secret in (OPS['password'], ORCHESTRATION_SECRET, CONNECTORS_SECRET, CONNECTORS_PASSWORD):
        assert secret not in run.output, 'a secret is in the playbook output'
    return {
        case: (root / case / 'camunda-auth-values.yaml', root / case / 'camunda-auth-values-secrets.yaml')
        for case in CASES
    }


@pytest.fixture(scope='module')
def render(role_files, helm_bin, upstream_dir, tmp_path_factory):
    """render(case, line): the objects the chart renders for the release plus the role's files (cached)."""
    import yaml

    folder = tmp_path_factory.mktemp('release-values')
    cache = {}

    def rendered(case, line):
        if (case, line) not in cache:
            release = folder / f'release-{line}.yaml'
            release.write_text(yaml.safe_dump(RELEASE_VALUES[line]))
            cache[(case, line)] = helm_template(helm_bin, chart_path(upstream_dir, line), [release, *role_files[case]])
        return cache[(case, line)]

    return rendered


class Rendered:
    """What the chart gives the orchestration cluster and Connectors."""

    def __init__(self, documents):
        self.documents = documents
        self.application = configmap_yaml(documents, 'zeebe-broker')
        self.security = dig(self.application, 'camunda', 'security')
        self.env = container_env(documents, 'StatefulSet', 'zeebe-broker')
        self.connectors_application = configmap_yaml(documents, 'connectors')
        self.client_auth = dig(self.connectors_application, 'camunda', 'client', 'auth')
        self.connectors_env = container_env(documents, 'Deployment', 'connectors')


ALL = [(case, line) for case in CASES for line in LINES]
BASIC_CONNECTORS = {'method': 'basic', 'username': 'connectors', 'password': CONNECTORS_PASSWORD}
SECRET_ENV = 'VALUES_ORCHESTRATION_CLIENT_SECRET'
CONNECTORS_SECRET_ENV = 'VALUES_CAMUNDA_IDENTITY_CLIENT_SECRET'


@pytest.mark.parametrize('case,line', ALL)
def test_orchestration_gets_the_method_and_its_users(render, case, line):
    got = Rendered(render(case, line))
    authentication, initialization = got.security['authentication'], got.security['initialization']
    method = CASES[case]['configure_auth_method']
    # Camunda's none is Basic with an unprotected API; 8.9 and later also write Basic's allow-unauthenticated-api-access.
    assert authentication['method'] == ('oidc' if method == 'oidc' else 'basic')
    assert authentication['unprotectedApi'] is (method == 'none')
    assert dig(authentication, 'basic', 'allow-unauthenticated-api-access') == (
        True if method == 'none' and line != '8.8' else None
    )
    assert got.security['authorizations']['enabled'] is (method != 'none')
    users = [(user['username'], user['password']) for user in initialization.get('users') or []]
    with_connectors = [('connectors', CONNECTORS_PASSWORD), ('ops', OPS['password'])]
    expected_users = {
        'basic': with_connectors,
        'none': with_connectors,
        'basic_without_connectors': [('ops', OPS['password'])],
    }.get(case, [])
    assert users == expected_users
    roles = initialization['default-roles']
    assert roles['admin']['users'] == (['ops'] if case == 'basic' else ['demo'])
    assert roles['admin']['clients'] == (['ops-client'] if method == 'oidc' else [])
    # The role names Connectors' own user and client in the connectors role; left alone, the chart's defaults stay.
    connectors_client = 'connectors-prod' if case in ('oidc_inline', 'oidc_existing_secrets') else 'connectors'
    assert (roles['connectors']['users'], roles['connectors']['clients']) == (['connectors'], [connectors_client])


@pytest.mark.parametrize('case,line', [(case, line) for case, line in ALL if case.startswith('oidc')])
def test_orchestration_gets_oidc_and_its_client_secret(render, case, line):
    got = Rendered(render(case, line))
    oidc = got.security['authentication']['oidc']
    assert oidc['issuer-uri'] == ISSUER
    assert oidc['client-id'] == 'orchestration-prod'
    # The chart adds the client id and web-modeler-api to the role's extras and audience.
    assert oidc['audiences'] == ['legacy-api', 'orchestration-prod', 'camunda-api', 'web-modeler-api']
    # The chart appends /sso-callback to redirectUrl, which the role writes without the trailing slash.
    assert oidc['redirect-uri'] == 'https://camunda.example.com/sso-callback'
    assert oidc['client-secret'] == '${VALUES_ORCHESTRATION_CLIENT_SECRET:}'
    assert got.env[SECRET_ENV] == (
        {'secretKeyRef': {'name': 'camunda-oidc', 'key': 'client-secret'}}
        if case == 'oidc_existing_secrets'
        else ORCHESTRATION_SECRET
    )


@pytest.mark.parametrize('case,line', [(case, line) for case, line in ALL if not case.startswith('oidc')])
def test_no_client_secret_outside_oidc(render, case, line):
    got = Rendered(render(case, line))
    assert 'oidc' not in got.security['authentication']
    assert SECRET_ENV not in got.env and CONNECTORS_SECRET_ENV not in got.connectors_env


@pytest.mark.parametrize('case,line', ALL)
def test_connectors_login(render, case, line):
    got = Rendered(render(case, line))
    if case in ('basic', 'none'):
        # Basic, and none on Helm (Basic with an open API): the dedicated user the role puts first.
        assert got.client_auth == BASIC_CONNECTORS
    elif case == 'basic_without_connectors':
        # Left alone, the chart's Connectors log in as the first initial user: the role's own list, here ops.
        assert got.client_auth == {'method': 'basic', 'username': 'ops', 'password': OPS['password']}
    elif case == 'oidc_without_connectors':
        # Left alone, the chart's Connectors keep Basic with the chart's default first user, which OIDC refuses.
        assert got.client_auth == {'method': 'basic', 'username': 'connectors', 'password': 'connector'}
    else:
        # 8.8 gives Connectors the token URL, 8.9 and later the issuer (the client finds the token endpoint itself).
        endpoint = {'token-url': TOKEN_URL} if line == '8.8' else {'issuer-url': ISSUER}
        assert got.client_auth == endpoint | {
            'client-id': 'connectors-prod',
            'client-secret': '${VALUES_CAMUNDA_IDENTITY_CLIENT_SECRET}',
            'audience': 'camunda-api',
        }
        assert got.connectors_env[CONNECTORS_SECRET_ENV] == (
            {'secretKeyRef': {'name': 'camunda-connectors', 'key': 'secret'}}
            if case == 'oidc_existing_secrets'
            else CONNECTORS_SECRET
        )


@pytest.mark.parametrize('line', ['8.9', '8.10'])
def test_chart_refuses_a_release_without_secondary_storage(role_files, helm_bin, upstream_dir, line):
    """The release values are part of the input: 8.9 and later refuse to render without a secondary storage type."""
    with pytest.raises(ToolRefused, match=r'orchestration\.data\.secondaryStorage\.type'):
        helm_template(helm_bin, chart_path(upstream_dir, line), role_files['basic'])
