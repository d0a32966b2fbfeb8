# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Keycloak's distribution handling without the network: URLs, checksum, unpacking, the tier's skip signal."""

from __future__ import annotations

import hashlib
import stat
import zipfile

import pytest

from idp import keycloak_dist


class FakeResponse:
    """What download() reads from requests: a status, text or chunks, a context manager."""

    def __init__(self, text='', chunks=()):
        self.status_code = 200
        self.text = text
        self.chunks = chunks

    def iter_content(self, size):  # pylint: disable=unused-argument
        return iter(self.chunks)

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()


def serve(monkeypatch, payload: bytes, published: str):
    def fake_get(url, **kwargs):  # pylint: disable=unused-argument
        if url.endswith('.sha1'):
            return FakeResponse(text=published)
        return FakeResponse(chunks=[payload[:10], payload[10:]])

    monkeypatch.setattr(keycloak_dist, '_get', fake_get)


def test_artifact_url_follows_the_maven_layout():
    url = keycloak_dist.artifact_url('26.7.3', 'zip.sha1')
    assert url == (
        f'{keycloak_dist.MAVEN_CENTRAL_REPOSITORY}/org/keycloak/keycloak-quarkus-dist/26.7.3/'
        'keycloak-quarkus-dist-26.7.3.zip.sha1'
    )


def test_download_keeps_a_file_that_matches_the_published_sha1(monkeypatch, tmp_path):
    payload = b'a keycloak distribution, or so we pretend'
    serve(monkeypatch, payload, hashlib.sha1(payload).hexdigest() + '  keycloak-quarkus-dist-9.9.9.zip\n')
    path, digest = keycloak_dist.download('9.9.9', tmp_path, keycloak_dist.Deadline(None))
    assert path.read_bytes() == payload and digest == hashlib.sha1(payload).hexdigest()
    assert not list(tmp_path.glob('*.part'))


def test_download_refuses_a_file_that_does_not_match(monkeypatch, tmp_path):
    serve(monkeypatch, b'tampered', '0' * 40)
    with pytest.raises(keycloak_dist.KeycloakPrepareError, match='does not match its published SHA-1'):
        keycloak_dist.download('9.9.9', tmp_path, keycloak_dist.Deadline(None))
    assert not list(tmp_path.iterdir())


def test_a_checksum_file_that_is_no_sha1_is_refused(monkeypatch, tmp_path):
    serve(monkeypatch, b'x', '<html>not found</html>')
    with pytest.raises(keycloak_dist.KeycloakPrepareError, match='is not a SHA-1'):
        keycloak_dist.download('9.9.9', tmp_path, keycloak_dist.Deadline(None))


def make_zip(path, entries):
    with zipfile.ZipFile(path, 'w') as bundle:
        for name, data, mode in entries:
            info = zipfile.ZipInfo(name)
            info.external_attr = mode << 16
            bundle.writestr(info, data)
    return path


def test_unpack_keeps_the_execute_bit(tmp_path):
    archive = make_zip(
        tmp_path / 'kc.zip',
        [('keycloak-9.9.9/bin/kc.sh', '#!/bin/sh\n', 0o755), ('keycloak-9.9.9/version.txt', '9.9.9\n', 0o644)],
    )
    home = keycloak_dist.unpack(archive, tmp_path / 'out')
    assert home.name == 'keycloak-9.9.9'
    assert stat.S_IMODE((home / 'bin' / 'kc.sh').stat().st_mode) == 0o755


def test_unpack_refuses_entries_outside_its_folder(tmp_path):
    archive = make_zip(tmp_path / 'kc.zip', [('keycloak-9.9.9/bin/kc.sh', '', 0o755), ('../escape.txt', 'x', 0o644)])
    with pytest.raises(keycloak_dist.KeycloakPrepareError, match='refusing the entry'):
        keycloak_dist.unpack(archive, tmp_path / 'out')
    assert not (tmp_path / 'escape.txt').exists()


def test_prepare_command_exits_3_with_one_line_when_keycloak_cannot_be_had(monkeypatch, capsys):
    def unavailable(*args):  # pylint: disable=unused-argument
        raise keycloak_dist.KeycloakUnavailable('cannot reach Maven Central for keycloak-quarkus-dist-26.7.3.zip.sha1')

    monkeypatch.setattr(keycloak_dist, 'prepare', unavailable)
    assert keycloak_dist.main(['prepare', '--budget', '10']) == keycloak_dist.UNAVAILABLE == 3
    assert (
        capsys.readouterr().out
        == 'Keycloak tier unavailable: cannot reach Maven Central for keycloak-quarkus-dist-26.7.3.zip.sha1\n'
    )


def test_prepare_command_fails_on_a_broken_build(monkeypatch, capsys):
    def broken(*args):  # pylint: disable=unused-argument
        raise keycloak_dist.KeycloakPrepareError("Keycloak's build for development mode failed (status 1)")

    monkeypatch.setattr(keycloak_dist, 'prepare', broken)
    assert keycloak_dist.main(['prepare']) == 1
    assert 'Keycloak could not be prepared' in capsys.readouterr().err


def test_an_exhausted_budget_makes_the_tier_unavailable():
    deadline = keycloak_dist.Deadline(0)
    with pytest.raises(keycloak_dist.KeycloakUnavailable, match=r'took longer than 0 s \(downloading\)'):
        deadline.check('downloading')
    keycloak_dist.Deadline(None).check('anything')  # no budget: never too late


def test_kc_sh_gets_our_settings_and_none_inherited(monkeypatch):
    monkeypatch.setenv('KC_DB', 'postgres')
    monkeypatch.setenv('JAVA_OPTS', '-Xmx16g')
    java = keycloak_dist.Java('/opt/java', 25, '25.0.3', 'temurin-25')
    environ = keycloak_dist.keycloak_environment(java, {'KC_BOOTSTRAP_ADMIN_CLIENT_ID': 'admin'})
    assert 'KC_DB' not in environ and 'JAVA_OPTS' not in environ
    assert environ['JAVA_HOME'] == '/opt/java' and environ['KC_BOOTSTRAP_ADMIN_CLIENT_ID'] == 'admin'
    assert environ['JAVA_OPTS_APPEND'] == '-XX:TieredStopAtLevel=1'
