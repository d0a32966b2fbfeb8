# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Local process resources (BPMN, DMN, forms): finding them, reading the ids they declare, checking them.

For internal collection use only: no stable interface.

Everything here runs before a request is sent, so that a bad file fails the task with the file's name
(and line), not with a rejected deployment. The ids are read the way Zeebe reads them: the executable
processes of a BPMN file (non-executable ones are ignored by the engine), the decision requirements graph
(the DMN ``definitions`` id) and the decisions of a DMN file, the ``id`` of a form's or an RPA script's JSON,
and for any other file (a generic resource, Camunda 8.10) its name.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import xml.etree.ElementTree as ET

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

# File extension -> format, as Zeebe picks a transformer by the end of the name. Folders are searched for
# FOLDER_EXTENSIONS; a file given by name may have any of FORMATS, or any other name (a generic resource).
FORMATS = {'.bpmn': 'bpmn', '.xml': 'bpmn', '.dmn': 'dmn', '.form': 'form', '.rpa': 'rpa'}
FOLDER_EXTENSIONS = ('.bpmn', '.dmn', '.form', '.rpa')
GENERIC = 'resource'
CONTENT_TYPES = {
    'bpmn': 'application/xml',
    'dmn': 'application/xml',
    'form': 'application/json',
    'rpa': 'application/json',
    GENERIC: 'application/octet-stream',
}
# The Camunda version each format needs (the others are deployable on every supported version).
FORMAT_VERSIONS = {
    'rpa': ('8.7', '.rpa files (RPA scripts)'),
    GENERIC: ('8.10', 'files other than .bpmn, .dmn, .form and .rpa (generic resources)'),
}
# Formats whose deployed content the API cannot give back by id: Zeebe's duplicate check decides alone.
UNREADABLE_FORMATS = ('form', 'rpa', GENERIC)
BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0'
# The gateway's default maximum message size (zeebe.gateway.network.maxMessageSize, 4 MB).
DEFAULT_MAX_DEPLOYMENT_SIZE = 4 * 1024 * 1024
# Diff lines shown per resource: a readable difference, not a whole file.
DIFF_MAX_LINES = 40

KINDS = ('process', 'decision', 'decision_requirements', 'form', 'resource')
KIND_NOUNS = {
    'process': 'process',
    'decision': 'decision',
    'decision_requirements': 'decision requirements',
    'form': 'form',
    'resource': 'resource',
}


class Declared(object):
    """One definition a file declares: its kind, id and name."""

    def __init__(self, kind, definition_id, name=None):
        self.kind = kind
        self.id = definition_id
        self.name = name

    def __repr__(self):
        return f'Declared({self.kind!r}, {self.id!r})'


class LocalResource(object):
    """One file to deploy: its path, the resource name it is sent under, its bytes and what it declares."""

    def __init__(self, path, name, content, declared, format=None):  # pylint: disable=redefined-builtin
        self.path = path
        self.name = name
        self.content = content
        self.declared = declared
        self.format = format or FORMATS[os.path.splitext(name)[1]]
        self.checksum = checksum(content)

    @property
    def content_type(self):
        return CONTENT_TYPES[self.format]

    def text(self):
        return self.content.decode('utf-8', 'replace')


def checksum(content):
    """The checksum Zeebe compares to find duplicates (MD5 of the bytes); not a security function."""
    try:
        digest = hashlib.md5(content, usedforsecurity=False)
    except TypeError:  # Python before 3.9 has no usedforsecurity
        digest = hashlib.md5(content)  # nosec - Zeebe's duplicate checksum, not a security function
    return digest.hexdigest()


def entry(resource, declared, key=None, version=None, changed=False):
    """One RV(resources) item of camunda_deployment."""
    return {
        'name': resource.name,
        'file': resource.path,
        'kind': declared.kind,
        'id': declared.id,
        'key': key,
        'version': version,
        'changed': changed,
    }


# -- finding files ----------------------------------------------------------------------------------


def find_files(sources):
    """The resource files of ``src``: files as given, folders searched recursively in a stable order."""
    found = []
    for source in sources:
        path = os.path.abspath(os.path.expanduser(source))
        if os.path.isdir(path):
            in_folder = sorted(
                os.path.join(folder, name)
                for folder, _subfolders, names in os.walk(path)
                for name in names
                if os.path.splitext(name)[1].lower() in FOLDER_EXTENSIONS
            )
            if not in_folder:
                raise ConfigurationError(
                    f'src: the folder {source} holds no .bpmn, .dmn, .form or .rpa file (searched recursively); '
                    'give a folder with resources, or remove it from src (other files are deployed when named).'
                )
            found.extend(in_folder)
        elif os.path.isfile(path):
            found.append(path)
        else:
            raise ConfigurationError(
                f'src: {source} does not exist (no such file or folder on the host that runs the task).'
            )
    unique = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def read_resources(sources):
    """LocalResource of every file in ``sources``, checked: readable, well-formed, unique names and ids."""
    resources = [read_resource(path) for path in find_files(sources)]
    check_unique(resources)
    return resources


def read_resource(path):
    try:
        with open(path, 'rb') as handle:
            content = handle.read()
    except OSError as exc:
        raise ConfigurationError(f'src: cannot read {path}: {exc.strerror}.')
    extension = os.path.splitext(path)[1]
    name = os.path.basename(path)
    if extension not in FORMATS and extension.lower() in FORMATS:  # Zeebe picks a transformer case-sensitively
        raise ConfigurationError(
            f'src: {path}: Zeebe recognises only the lower-case extensions '
            f'{", ".join(sorted(FORMATS))}; rename the file to end in {extension.lower()}.'
        )
    if extension not in FORMATS or (extension == '.xml' and not is_bpmn(content)):
        return LocalResource(path, name, content, [Declared(GENERIC, name)], GENERIC)  # its name is its id
    declared = READERS[FORMATS[extension]](path, content)
    return LocalResource(path, name, content, declared)


def is_bpmn(content):
    """Whether Zeebe would read an .xml file as BPMN (else, from 8.10, as a generic resource)."""
    try:
        root = ET.fromstring(content)
    except ET.ParseError:
        return False
    return _local(root.tag) == 'definitions' and _namespace(root.tag) == BPMN_NS


# -- reading ids ------------------------------------------------------------------------------------


def _parse_xml(path, content, what):
    try:
        return ET.fromstring(content)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(':', 1)[0]
        # expat counts columns from 0, editors from 1.
        raise ConfigurationError(
            f'src: {path} line {line}, column {column + 1}: malformed XML ({reason}); a {what} file must be well-formed XML.'
        )


def _local(tag):
    return tag.rsplit('}', 1)[-1]


def _namespace(tag):
    return tag[1:].split('}', 1)[0] if tag.startswith('{') else ''


def read_bpmn(path, content):
    root = _parse_xml(path, content, 'BPMN')
    if _local(root.tag) != 'definitions' or _namespace(root.tag) != BPMN_NS:
        raise ConfigurationError(
            f'src: {path} is not BPMN 2.0: its root element is {_local(root.tag)!r} in namespace '
            f'{_namespace(root.tag) or "(none)"!r}, not definitions in {BPMN_NS}.'
        )
    processes = [element for element in root if element.tag == f'{{{BPMN_NS}}}process']
    executable = [process for process in processes if (process.get('isExecutable') or '').lower() == 'true']
    if not executable:
        found = ', '.join(repr(process.get('id')) for process in processes) or 'none'
        raise ConfigurationError(
            f'src: {path} has no executable process (processes found: {found}); Zeebe deploys only processes with '
            'isExecutable="true". Mark the process executable in the Modeler, or remove the file from src.'
        )
    declared = []
    for process in executable:
        if not process.get('id'):
            raise ConfigurationError(f'src: {path} has an executable process without an id.')
        declared.append(Declared('process', process.get('id'), process.get('name')))
    return declared


def read_dmn(path, content):
    root = _parse_xml(path, content, 'DMN')
    if _local(root.tag) != 'definitions' or '/spec/DMN/' not in _namespace(root.tag):
        raise ConfigurationError(
            f'src: {path} is not DMN: its root element is {_local(root.tag)!r} in namespace '
            f'{_namespace(root.tag) or "(none)"!r}, not a DMN definitions element.'
        )
    if not root.get('id'):
        raise ConfigurationError(f'src: {path}: the DMN definitions element has no id (the decision requirements id).')
    decisions = [element for element in root if _local(element.tag) == 'decision']
    if not decisions:
        raise ConfigurationError(f'src: {path} declares no decision.')
    declared = [Declared('decision_requirements', root.get('id'), root.get('name'))]
    for decision in decisions:
        if not decision.get('id'):
            raise ConfigurationError(f'src: {path} has a decision without an id.')
        declared.append(Declared('decision', decision.get('id'), decision.get('name')))
    return declared


def read_json_id(path, content, noun):
    try:
        document = json.loads(content)
    except ValueError as exc:
        raise ConfigurationError(
            f'src: {path} line {getattr(exc, "lineno", "?")}: not valid JSON ({getattr(exc, "msg", exc)}); '
            f'a {noun} file is the JSON the Modeler saves.'
        )
    found = document.get('id') if isinstance(document, dict) else None
    if not isinstance(found, str) or not found.strip():
        raise ConfigurationError(f'src: {path} has no {noun} id (a non-empty "id" at the top of the {noun} JSON).')
    return found


def read_form(path, content):
    return [Declared('form', read_json_id(path, content, 'form'))]


def read_rpa(path, content):
    """An RPA script: Zeebe deploys it as a resource whose id is the JSON's id."""
    return [Declared(GENERIC, read_json_id(path, content, 'RPA script'))]


READERS = {'bpmn': read_bpmn, 'dmn': read_dmn, 'form': read_form, 'rpa': read_rpa}


def check_unique(resources):
    """Zeebe refuses two resources declaring one id in a deployment, and the resource name identifies a file."""
    problems = []
    by_name, by_id = {}, {}
    for resource in resources:
        if resource.name in by_name:
            problems.append(f'{by_name[resource.name]} and {resource.path} would both be sent as {resource.name!r}')
        by_name.setdefault(resource.name, resource.path)
        for declared in resource.declared:
            ident = (declared.kind, declared.id)
            if ident in by_id and by_id[ident] != resource.path:
                problems.append(
                    f'{KIND_NOUNS[declared.kind]} id {declared.id!r} is declared in both '
                    f'{by_id[ident]} and {resource.path}'
                )
            by_id.setdefault(ident, resource.path)
    if problems:
        raise ConfigurationError(
            'src: ' + '; '.join(problems) + '. Each resource name and each id may occur once '
            'in one run: remove or rename one of the files.'
        )


# -- a readable difference ----------------------------------------------------------------------------


def short_diff(before, after, before_label, after_label, max_lines=DIFF_MAX_LINES):
    """A unified diff of two texts, cut after ``max_lines`` lines with a note of how many were left out."""
    lines = list(
        difflib.unified_diff(before.splitlines(), after.splitlines(), before_label, after_label, n=1, lineterm='')
    )
    if len(lines) > max_lines:
        left_out = len(lines) - max_lines
        lines = lines[:max_lines] + [f'... ({left_out} more diff lines)']
    return '\n'.join(lines)
