# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""auth_method oidc: a token from the IdP, cached, renewed once after a refusal, warned about when too short-lived."""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._auth.method_oidc import OidcAuth
from ansible_collections.community.camunda.plugins.module_utils._core.context import RunContext
from ansible_collections.community.camunda.plugins.module_utils._core.options import OptionAdapter
from ansible_collections.community.camunda.plugins.module_utils._core.transport import Transport


def oidc(server, tmp_path, context=None, **options):
    values = dict(
        token_url=server.url + '/token',
        client_id='orchestration',
        client_secret='s3cret',
        token_cache_dir=str(tmp_path / 'tokens'),
        retries=0,
    )
    values.update(options)
    adapter = OptionAdapter.from_dict(values)
    return OidcAuth(adapter, Transport.from_options(adapter), context or RunContext())


def token_answer(name, lifetime=300):
    return (200, {}, {'access_token': name, 'expires_in': lifetime, 'token_type': 'Bearer'})


def test_the_token_comes_from_the_cache_the_second_time(server, tmp_path):
    server.answer(token_answer('first'))
    first = oidc(server, tmp_path)
    assert first.access_token() == (first.token, False) and first.token.access_token == 'first'
    second = oidc(server, tmp_path)
    assert second.headers() == {'Authorization': 'Bearer first'} and second.token_from_cache is True
    assert len(server.requests) == 1


def test_a_refused_cached_token_is_renewed_once(server, tmp_path):
    server.answer(token_answer('first'), token_answer('second'))
    oidc(server, tmp_path).access_token()
    method = oidc(server, tmp_path)
    method.headers()
    assert method.renew_after_refusal() is True
    assert method.token.access_token == 'second' and method.token_from_cache is False
    assert method.renew_after_refusal() is False  # never a loop


def test_a_fresh_token_that_is_refused_is_not_renewed(server, tmp_path):
    server.answer(token_answer('first'))
    method = oidc(server, tmp_path, token_cache=False)
    method.headers()
    assert method.renew_after_refusal() is False
    assert "issued to client 'orchestration'" in method.refusal_hint()


def test_a_short_lifetime_is_warned_about_once_per_cache_entry(server, tmp_path):
    server.answer(token_answer('short', lifetime=20))
    warnings = []
    for _run in range(3):
        context = RunContext(warn=warnings.append)
        oidc(server, tmp_path, context).access_token()
    assert len(server.requests) == 3  # never fresh: each run asks again
    assert len(warnings) == 1 and 'tokens that live 20 s' in warnings[0]


def test_without_the_cache_a_short_lifetime_is_warned_about_once_per_task(server, tmp_path):
    server.answer(token_answer('short', lifetime=20))
    context = RunContext()
    method = oidc(server, tmp_path, context, token_cache=False)
    method.headers()
    method.headers()
    assert len(server.requests) == 2 and len(context.warnings) == 1
