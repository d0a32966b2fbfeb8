# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local process resources: finding files, reading their ids, the checks before anything is sent."""

from __future__ import annotations

from pathlib import Path

import pytest

from deployment_files import bpmn, dmn, form, write

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import (
    checksum,
    find_files,
    read_resources,
    short_diff,
)


def declared(resources):
    return [(r.name, d.kind, d.id) for r in resources for d in r.declared]


def test_folders_are_searched_recursively_in_a_stable_order(tmp_path):
    write(
        tmp_path,
        {
            'b/z.bpmn': bpmn('z'),
            'a/y.dmn': dmn('drg', 'd1', 'd2'),
            'x.form': form('f'),
            'README.md': '#\n',
            'a/nested/w.bpmn': bpmn('w'),
        },
    )
    paths = find_files([str(tmp_path), str(tmp_path / 'x.form')])  # a file named twice is read once
    assert [Path(p).relative_to(tmp_path).as_posix() for p in paths] == [
        'a/nested/w.bpmn',
        'a/y.dmn',
        'b/z.bpmn',
        'x.form',
    ]
    assert declared(read_resources([str(tmp_path)])) == [
        ('w.bpmn', 'process', 'w'),
        ('y.dmn', 'decision_requirements', 'drg'),
        ('y.dmn', 'decision', 'd1'),
        ('y.dmn', 'decision', 'd2'),
        ('z.bpmn', 'process', 'z'),
        ('x.form', 'form', 'f'),
    ]


def test_an_upper_case_extension_is_named(tmp_path):
    write(tmp_path, {'w.BPMN': bpmn('w')})
    with pytest.raises(ConfigurationError) as failure:
        read_resources([str(tmp_path)])
    assert 'w.BPMN: Zeebe recognises only the lower-case extensions' in failure.value.msg


def test_several_processes_and_non_executable_ones(tmp_path):
    text = bpmn('one', 'two').replace(
        '<bpmn:process id="two" name="Process" isExecutable="true">',
        '<bpmn:process id="two" name="Process" isExecutable="false">',
    )
    write(tmp_path, {'p.bpmn': bpmn('one', 'three'), 'q.bpmn': text.replace('id="one"', 'id="four"')})
    assert declared(read_resources([str(tmp_path)])) == [
        ('p.bpmn', 'process', 'one'),
        ('p.bpmn', 'process', 'three'),
        ('q.bpmn', 'process', 'four'),
    ]


@pytest.mark.parametrize(
    'files, expected',
    [
        ({'a.bpmn': '<definitions>\n<oops'}, 'a.bpmn line 2, column 1: malformed XML (unclosed token)'),
        ({'a.bpmn': bpmn('p', executable=False)}, "has no executable process (processes found: 'p')"),
        ({'a.bpmn': '<definitions xmlns="urn:other"/>'}, 'is not BPMN 2.0'),
        ({'a.dmn': bpmn('p')}, 'is not DMN'),
        ({'a.dmn': dmn('drg')}, 'declares no decision'),
        ({'a.form': '{"components": []}'}, 'has no form id'),
        ({'a.form': '{\n  "id": \n}'}, 'a.form line 3: not valid JSON'),
        ({'a.bpmn': bpmn('p'), 'sub/b.bpmn': bpmn('q')}, None),
        ({'a.bpmn': bpmn('p'), 'b.bpmn': bpmn('p')}, "process id 'p' is declared in both"),
        ({'a.bpmn': bpmn('p'), 'sub/a.bpmn': bpmn('q')}, "would both be sent as 'a.bpmn'"),
        ({'a.dmn': dmn('drg', 'd'), 'b.dmn': dmn('other', 'd')}, "decision id 'd' is declared in both"),
    ],
)
def test_checks_before_sending(tmp_path, files, expected):
    write(tmp_path, files)
    if expected is None:
        assert len(read_resources([str(tmp_path)])) == len(files)
        return
    with pytest.raises(ConfigurationError) as failure:
        read_resources([str(tmp_path)])
    assert expected in failure.value.msg and failure.value.msg.startswith('src: ')


def test_bad_sources(tmp_path):
    write(tmp_path, {'empty/readme.md': 'x'})
    for source, expected in (
        (tmp_path / 'empty', 'holds no .bpmn, .dmn, .form or .rpa file'),
        (tmp_path / 'missing', 'does not exist'),
    ):
        with pytest.raises(ConfigurationError) as failure:
            find_files([str(source)])
        assert expected in failure.value.msg


def test_xml_bpmn_rpa_and_generic_resources_are_read_as_zeebe_reads_them(tmp_path):
    write(
        tmp_path,
        {
            'order.xml': bpmn('order'),
            'config.xml': '<config/>',
            'bot.rpa': '{"id": "invoice-bot"}',
            'notes.txt': 'x',
            'folder/skipped.txt': 'x',
            'folder/found.rpa': '{"id": "found"}',
        },
    )
    read = {
        r.name: (r.format, [(d.kind, d.id) for d in r.declared])
        for r in read_resources(
            [str(tmp_path / name) for name in ('order.xml', 'config.xml', 'bot.rpa', 'notes.txt', 'folder')]
        )
    }
    assert read == {
        'order.xml': ('bpmn', [('process', 'order')]),
        'config.xml': ('resource', [('resource', 'config.xml')]),
        'bot.rpa': ('rpa', [('resource', 'invoice-bot')]),
        'notes.txt': ('resource', [('resource', 'notes.txt')]),
        'found.rpa': ('rpa', [('resource', 'found')]),
    }  # a folder is searched for .bpmn .dmn .form .rpa only
    write(tmp_path, {'bad.rpa': '{"name": "no id"}'})
    with pytest.raises(ConfigurationError, match='bad.rpa has no RPA script id'):
        read_resources([str(tmp_path / 'bad.rpa')])


def test_checksum_is_zeebes_md5():
    assert checksum(b'') == 'd41d8cd98f00b204e9800998ecf8427e'


def test_short_diff_is_cut():
    before = '\n'.join(f'line {n}' for n in range(100))
    after = '\n'.join(f'line {n}!' for n in range(100))
    text = short_diff(before, after, 'deployed', 'local', max_lines=10)
    lines = text.splitlines()
    assert lines[0] == '--- deployed' and lines[1] == '+++ local' and len(lines) == 11
    assert lines[-1].startswith('... (') and lines[-1].endswith('more diff lines)')
    assert short_diff('same\n', 'same\n', 'a', 'b') == ''
