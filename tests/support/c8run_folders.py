# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Camunda 8 Run folders in the shape of the real ones, for the upgrade tests (no Camunda inside).

What a C8 Run archive unpacks to (camunda/camunda c8run, see docs/upstream.md "Upgrade: Camunda 8 Run"): ``.env``
with CAMUNDA_VERSION, CONNECTORS_VERSION (and up to 8.8 ELASTICSEARCH_VERSION, the bundled Elasticsearch in
``elasticsearch-<version>/``), the distribution ``camunda-zeebe-<version>/`` (its Zeebe data in ``data/`` once it ran),
``configuration/application.yaml``, ``start.sh`` and ``shutdown.sh`` (here the stand-ins of tests/support/standins).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

STANDINS = Path(__file__).resolve().parent / 'standins' / 'c8run'
# The shape of C8 Run's default configuration/application.yaml (8.8: the Camunda exporter, Elasticsearch by default;
# 8.9: H2 as secondary storage). Values are ours; the keys are what the preflight compares.
DEFAULT_CONFIG = {
    '8.8': {
        'camunda': {'security': {'authentication': {'unprotected-api': True}, 'authorizations': {'enabled': False}}},
        'zeebe': {'broker': {'exporters': {'camundaExporter': {'className': 'io.camunda.exporter.CamundaExporter'}}}},
        'server': {'port': 8088},
    },
    '8.9': {
        'camunda': {
            'data': {
                'secondary-storage': {
                    'type': 'rdbms',
                    'rdbms': {'url': 'jdbc:h2:file:./camunda-data/h2db', 'username': 'sa'},
                }
            },
            'security': {'authentication': {'unprotected-api': True}, 'authorizations': {'enabled': False}},
        },
        'server': {'port': 8088},
    },
}


def write(folder, version, connectors=None, elasticsearch=None, config=None, ran=True, start_script=True):
    """A C8 Run folder of `version`; `ran`: it has run (Zeebe data, and Elasticsearch's when bundled)."""
    folder = Path(folder)
    (folder / 'configuration').mkdir(parents=True, exist_ok=True)
    env = [
        f'CAMUNDA_VERSION={version}',
        f'CAMUNDA_DOCKER_VERSION={version}',
        f'CONNECTORS_VERSION={connectors or version}',
    ]
    if elasticsearch:
        env.insert(0, f'ELASTICSEARCH_VERSION={elasticsearch}')
        (folder / f'elasticsearch-{elasticsearch}' / 'bin').mkdir(parents=True, exist_ok=True)
        if ran:
            (folder / f'elasticsearch-{elasticsearch}' / 'data' / 'nodes').mkdir(parents=True, exist_ok=True)
            (folder / f'elasticsearch-{elasticsearch}' / 'data' / 'nodes' / 'index').write_text(
                f'indices of {version}\n'
            )
    (folder / '.env').write_text('\n'.join(env) + '\n')
    zeebe = folder / f'camunda-zeebe-{version}'
    (zeebe / 'lib').mkdir(parents=True, exist_ok=True)
    if ran:
        (zeebe / 'data' / 'raft-partition' / 'partitions' / '1').mkdir(parents=True, exist_ok=True)
        (zeebe / 'data' / 'raft-partition' / 'partitions' / '1' / 'snapshot').write_text(f'state of {version}\n')
    minor = '.'.join(version.split('.')[:2])
    document = config if config is not None else DEFAULT_CONFIG.get(minor, DEFAULT_CONFIG['8.9'])
    (folder / 'configuration' / 'application.yaml').write_text(yaml.safe_dump(document))
    scripts = ('start.sh', 'shutdown.sh') if start_script else ('shutdown.sh',)
    for script in scripts:
        shutil.copy(STANDINS / script, folder / script)
    return folder


def snapshot(folder):
    """{relative path: bytes} of every file under a folder, to show it unchanged."""
    folder = Path(folder)
    return {str(path.relative_to(folder)): path.read_bytes() for path in sorted(folder.rglob('*')) if path.is_file()}
