# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# For internal collection use only: no stable interface.

from __future__ import annotations


class ModuleDocFragment(object):
    # Authentication options shared by every module and lookup.
    DOCUMENTATION = r'''
options:
  auth_method:
    description:
      - How to authenticate to the Camunda API.
      - V(none) sends no credentials (C8 Run and Docker Compose defaults).
      - V(basic) sends HTTP Basic from O(username) and O(password) (C8 Run with auth on; Helm's default).
      - V(oidc) gets an access token from O(token_url) with the client credentials grant and sends it as a bearer
        token (SaaS; Self-Managed with Keycloak, Entra ID or another OIDC provider). Tokens are cached and renewed,
        see O(token_cache).
      - V(bearer) sends O(token), a token issued elsewhere.
      - V(auto) picks V(bearer) when O(token) is set, else V(oidc) when O(client_id) is set, else V(basic) when
        O(username) is set, else V(none).
      - When not set, E(CAMUNDA_AUTH_STRATEGY) is read; its SDK values V(NONE), V(BASIC), V(OAUTH) and V(BEARER) are understood.
    type: str
    choices: [auto, basic, bearer, none, oidc]
    default: auto
    version_added: 0.1.0
  username:
    description:
      - User name for O(auth_method=basic). When not set, E(CAMUNDA_BASIC_AUTH_USERNAME) is read.
    type: str
    version_added: 0.1.0
  password:
    description:
      - Password for O(auth_method=basic). When not set, E(CAMUNDA_BASIC_AUTH_PASSWORD) is read.
    type: str
    version_added: 0.1.0
  token:
    description:
      - An access token issued elsewhere, for O(auth_method=bearer). When not set, E(CAMUNDA_OAUTH_TOKEN) is read.
    type: str
    version_added: 0.1.0
  token_url:
    description:
      - Token endpoint of the identity provider, for O(auth_method=oidc).
      - SaaS uses V(https://login.cloud.camunda.io/oauth/token); Keycloak uses
        V(https://HOST/auth/realms/camunda-platform/protocol/openid-connect/token) (newer Keycloak without V(/auth)).
      - When not set, E(CAMUNDA_OAUTH_URL), E(CAMUNDA_AUTHORIZATION_SERVER_URL) and E(ZEEBE_AUTHORIZATION_SERVER_URL) are read, in that order.
    type: str
    version_added: 0.1.0
  client_id:
    description:
      - OIDC client id. When not set, E(CAMUNDA_CLIENT_ID) and E(ZEEBE_CLIENT_ID) are read, in that order.
    type: str
    version_added: 0.1.0
  client_secret:
    description:
      - OIDC client secret, for O(client_auth_method=client_secret_post) and O(client_auth_method=client_secret_basic).
      - When not set, E(CAMUNDA_CLIENT_SECRET) and E(ZEEBE_CLIENT_SECRET) are read, in that order.
    type: str
    version_added: 0.1.0
  audience:
    description:
      - Audience to request, sent only when set. Camunda SaaS needs V(zeebe.camunda.io).
      - When not set, E(CAMUNDA_TOKEN_AUDIENCE) and E(ZEEBE_TOKEN_AUDIENCE) are read, in that order.
    type: str
    version_added: 0.1.0
  scope:
    description:
      - Scope to request, sent only when set. Microsoft Entra ID needs V(CLIENT_ID_OF_THE_API/.default).
      - When not set, E(CAMUNDA_TOKEN_SCOPE), E(CAMUNDA_OAUTH_SCOPE) and E(ZEEBE_TOKEN_SCOPE) are read, in that order.
    type: str
    version_added: 0.1.0
  resource:
    description:
      - Resource indicator (RFC 8707) to request, sent only when set.
      - When not set, E(CAMUNDA_TOKEN_RESOURCE) and E(ZEEBE_TOKEN_RESOURCE) are read, in that order.
    type: str
    version_added: 0.1.0
  client_auth_method:
    description:
      - How the client authenticates to the identity provider.
      - V(client_secret_post) sends O(client_secret) in the form body, as Camunda's own clients do.
      - V(client_secret_basic) sends it with HTTP Basic.
      - V(tls_client_auth) and V(self_signed_tls_client_auth) send no secret; the client proves itself with the
        X.509 client certificate of O(client_cert) and O(client_key), or O(client_keystore), over mutual TLS.
      - V(private_key_jwt) sends no secret either; the private key of that certificate signs a short-lived
        client assertion (RFC 7523) with the certificate's thumbprints in its header, what Camunda's Java client
        calls a client assertion and Microsoft Entra ID a certificate credential. The connection needs no client
        certificate then. Needs the Python library C(cryptography). Added in community.camunda 0.2.0.
    type: str
    choices: [client_secret_basic, client_secret_post, private_key_jwt, self_signed_tls_client_auth, tls_client_auth]
    default: client_secret_post
    version_added: 0.1.0
  client_cert:
    description:
      - PEM file with the X.509 client certificate presented to the identity provider (mutual TLS).
        It works with any O(client_auth_method); it is required for V(tls_client_auth). With V(private_key_jwt)
        its key signs the client assertion instead.
      - When not set, E(CAMUNDA_MTLS_CERT_PATH) is read.
    type: path
    version_added: 0.1.0
  client_key:
    description:
      - PEM file with the private key of O(client_cert). Not needed when O(client_cert) holds the key too.
      - When not set, E(CAMUNDA_MTLS_KEY_PATH) is read.
    type: path
    version_added: 0.1.0
  client_key_passphrase:
    description:
      - Passphrase of an encrypted O(client_key). When not set, E(CAMUNDA_MTLS_KEY_PASSPHRASE) is read.
    type: str
    version_added: 0.1.0
  client_keystore:
    description:
      - PKCS#12 keystore with the client certificate and its key, instead of O(client_cert) and O(client_key),
        as Camunda's Java client takes it.
      - When not set, E(CAMUNDA_SSL_CLIENT_KEYSTORE_PATH) and E(ZEEBE_SSL_CLIENT_KEYSTORE_PATH) are read, in that order.
      - Needs the Python library C(cryptography).
    type: path
    version_added: 0.1.0
  client_keystore_password:
    description:
      - Password of O(client_keystore).
      - When not set, E(CAMUNDA_SSL_CLIENT_KEYSTORE_SECRET) and E(ZEEBE_SSL_CLIENT_KEYSTORE_SECRET) are read, in that order.
    type: str
    version_added: 0.1.0
  token_ca_path:
    description:
      - PEM file with the CA certificates of the identity provider, when they differ from O(ca_path).
        It replaces the default trust store for the token request.
    type: path
    version_added: 0.1.0
  token_cache:
    description:
      - Keep tokens in a file cache shared by every task, fork and lookup on this machine, so that a whole playbook run
        asks the identity provider once per set of credentials.
      - Tokens are renewed before they expire (max(30 s, 10% of the lifetime)); a token the API refuses is dropped and
        replaced once.
      - Files are readable by their owner only; a cache folder or file that others can read is refused.
    type: bool
    default: true
    version_added: 0.1.0
  token_cache_dir:
    description:
      - Folder of the token cache. Created with mode 0700 when missing.
      - Defaults to C(community.camunda/tokens) under E(XDG_CACHE_HOME), else under C(~/.cache).
      - When not set, E(CAMUNDA_TOKEN_CACHE_DIR) is read.
    type: path
    version_added: 0.1.0
'''

    # Where lookups also find these options (the last variable that is set wins).
    PLUGINS = r'''
options:
  auth_method:
    vars:
      - name: camunda_auth_method
        version_added: 0.1.0
  username:
    env:
      - name: CAMUNDA_BASIC_AUTH_USERNAME
        version_added: 0.1.0
    vars:
      - name: camunda_username
        version_added: 0.1.0
  password:
    env:
      - name: CAMUNDA_BASIC_AUTH_PASSWORD
        version_added: 0.1.0
    vars:
      - name: camunda_password
        version_added: 0.1.0
  token:
    env:
      - name: CAMUNDA_OAUTH_TOKEN
        version_added: 0.1.0
    vars:
      - name: camunda_token
        version_added: 0.1.0
  token_url:
    env:
      - name: ZEEBE_AUTHORIZATION_SERVER_URL
        version_added: 0.1.0
      - name: CAMUNDA_AUTHORIZATION_SERVER_URL
        version_added: 0.1.0
      - name: CAMUNDA_OAUTH_URL
        version_added: 0.1.0
    vars:
      - name: camunda_token_url
        version_added: 0.1.0
  client_id:
    env:
      - name: ZEEBE_CLIENT_ID
        version_added: 0.1.0
      - name: CAMUNDA_CLIENT_ID
        version_added: 0.1.0
    vars:
      - name: camunda_client_id
        version_added: 0.1.0
  client_secret:
    env:
      - name: ZEEBE_CLIENT_SECRET
        version_added: 0.1.0
      - name: CAMUNDA_CLIENT_SECRET
        version_added: 0.1.0
    vars:
      - name: camunda_client_secret
        version_added: 0.1.0
  audience:
    env:
      - name: ZEEBE_TOKEN_AUDIENCE
        version_added: 0.1.0
      - name: CAMUNDA_TOKEN_AUDIENCE
        version_added: 0.1.0
    vars:
      - name: camunda_audience
        version_added: 0.1.0
  scope:
    env:
      - name: ZEEBE_TOKEN_SCOPE
        version_added: 0.1.0
      - name: CAMUNDA_OAUTH_SCOPE
        version_added: 0.1.0
      - name: CAMUNDA_TOKEN_SCOPE
        version_added: 0.1.0
    vars:
      - name: camunda_scope
        version_added: 0.1.0
  resource:
    env:
      - name: ZEEBE_TOKEN_RESOURCE
        version_added: 0.1.0
      - name: CAMUNDA_TOKEN_RESOURCE
        version_added: 0.1.0
    vars:
      - name: camunda_resource
        version_added: 0.1.0
  client_auth_method:
    vars:
      - name: camunda_client_auth_method
        version_added: 0.1.0
  client_cert:
    env:
      - name: CAMUNDA_MTLS_CERT_PATH
        version_added: 0.1.0
    vars:
      - name: camunda_client_cert
        version_added: 0.1.0
  client_key:
    env:
      - name: CAMUNDA_MTLS_KEY_PATH
        version_added: 0.1.0
    vars:
      - name: camunda_client_key
        version_added: 0.1.0
  client_key_passphrase:
    env:
      - name: CAMUNDA_MTLS_KEY_PASSPHRASE
        version_added: 0.1.0
    vars:
      - name: camunda_client_key_passphrase
        version_added: 0.1.0
  client_keystore:
    env:
      - name: ZEEBE_SSL_CLIENT_KEYSTORE_PATH
        version_added: 0.1.0
      - name: CAMUNDA_SSL_CLIENT_KEYSTORE_PATH
        version_added: 0.1.0
    vars:
      - name: camunda_client_keystore
        version_added: 0.1.0
  client_keystore_password:
    env:
      - name: ZEEBE_SSL_CLIENT_KEYSTORE_SECRET
        version_added: 0.1.0
      - name: CAMUNDA_SSL_CLIENT_KEYSTORE_SECRET
        version_added: 0.1.0
    vars:
      - name: camunda_client_keystore_password
        version_added: 0.1.0
  token_ca_path:
    vars:
      - name: camunda_token_ca_path
        version_added: 0.1.0
  token_cache:
    vars:
      - name: camunda_token_cache
        version_added: 0.1.0
  token_cache_dir:
    env:
      - name: CAMUNDA_TOKEN_CACHE_DIR
        version_added: 0.1.0
    vars:
      - name: camunda_token_cache_dir
        version_added: 0.1.0
'''
