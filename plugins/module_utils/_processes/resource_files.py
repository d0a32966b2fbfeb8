# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Local process resources (BPMN, DMN, forms): finding them, reading the ids they declare, checking them.

For internal collection use only: no stable interface.

Everything here runs before a request is sent, so that a bad file fails the task with the file's name
(and line), not with a rejected deployment. The ids are read the way Zeebe reads them: the executable
processes of a BPMN file (non-executable ones are ignored by the engine), the decision requirements graph
(the DMN ``definitions`` id) and the decisions of a DMN file, the ``id`` of a form's JSON.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import xml.etree.ElementTree as ET

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError

# File extension -> format. Folders are searched for these; a file given by name must have one of them.
FORMATS = {'.bpmn': 'bpmn', '.dmn': 'dmn', '.form': 'form'}
CONTENT_TYPES = {'bpmn': 'application/xml', 'dmn': 'application/xml', 'form': 'application/json'}
BPMN_NS = 'http://www.omg.org/spec/BPMN/20100524/MODEL'
ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0'
# The gateway's default maximum message size (zeebe.gateway.network.maxMessageSize, 4 MB).
DEFAULT_MAX_DEPLOYMENT_SIZE = 4 * 1024 * 1024
# Diff lines shown per resource: a readable difference, not a whole file.
DIFF_MAX_LINES = 40

KINDS = ('process', 'decision', 'decision_requirements', 'form')
KIND_NOUNS = {'process': 'process', 'decision': 'decision', 'decision_requirements': 'decision requirements',
              'form': 'form'}


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

    def __init__(self, path, name, content, declared):
        self.path = path
        self.name = name
        self.content = content
        self.declared = declared
        self.format = FORMATS[os.path.splitext(name)[1]]
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
                for name in names if os.path.splitext(name)[1].lower() in FORMATS)
            if not in_folder:
                raise ConfigurationError(
                    f'src: the folder {source} holds no .bpmn, .dmn or .form file (searched recursively); '
                    'give a folder with resources, or remove it from src.')
            found.extend(in_folder)
        elif os.path.isfile(path):
            if os.path.splitext(path)[1].lower() not in FORMATS:
                raise ConfigurationError(
                    f'src: {source} has an unknown extension; Camunda deploys .bpmn, .dmn and .form files. '
                    'Rename the file or remove it from src.')
            found.append(path)
        else:
            raise ConfigurationError(f'src: {source} does not exist (no such file or folder on the host that runs the task).')
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
    if extension not in FORMATS:  # Zeebe picks the resource type by the end of the name, case-sensitively
        raise ConfigurationError(f'src: {path}: Zeebe recognises only the lower-case extensions .bpmn, .dmn and .form; '
                                 f'rename the file to end in {extension.lower()}.')
    declared = READERS[FORMATS[extension]](path, content)
    return LocalResource(path, os.path.basename(path), content, declared)


# -- reading ids ------------------------------------------------------------------------------------

def _parse_xml(path, content, what):
    try:
        return ET.fromstring(content)
    except ET.ParseError as exc:
        line, column = exc.position
        reason = str(exc).split(':', 1)[0]
        # expat counts columns from 0, editors from 1.
        raise ConfigurationError(
            f'src: {path} line {line}, column {column + 1}: malformed XML ({reason}); a {what} file must be well-formed XML.')


def _local(tag):
    return tag.rsplit('}', 1)[-1]


def _namespace(tag):
    return tag[1:].split('}', 1)[0] if tag.startswith('{') else ''


def read_bpmn(path, content):
    root = _parse_xml(path, content, 'BPMN')
    if _local(root.tag) != 'definitions' or _namespace(root.tag) != BPMN_NS:
        raise ConfigurationError(
            f'src: {path} is not BPMN 2.0: its root element is {_local(root.tag)!r} in namespace '
            f'{_namespace(root.tag) or "(none)"!r}, not definitions in {BPMN_NS}.')
    processes = [element for element in root if element.tag == f'{{{BPMN_NS}}}process']
    executable = [process for process in processes if (process.get('isExecutable') or '').lower() == 'true']
    if not executable:
        found = ', '.join(repr(process.get('id')) for process in processes) or 'none'
        raise ConfigurationError(
            f'src: {path} has no executable process (processes found: {found}); Zeebe deploys only processes with '
            'isExecutable="true". Mark the process executable in the Modeler, or remove the file from src.')
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
            f'{_namespace(root.tag) or "(none)"!r}, not a DMN definitions element.')
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


def read_form(path, content):
    try:
        form = json.loads(content)
    except ValueError as exc:
        raise ConfigurationError(f'src: {path} line {getattr(exc, "lineno", "?")}: not valid JSON ({getattr(exc, "msg", exc)}); '
                                 'a form file is the JSON the Modeler saves.')
    form_id = form.get('id') if isinstance(form, dict) else None
    if not isinstance(form_id, str) or not form_id.strip():
        raise ConfigurationError(f'src: {path} has no form id (a non-empty "id" at the top of the form JSON).')
    return [Declared('form', form_id)]


READERS = {'bpmn': read_bpmn, 'dmn': read_dmn, 'form': read_form}


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
                problems.append(f'{KIND_NOUNS[declared.kind]} id {declared.id!r} is declared in both '
                                f'{by_id[ident]} and {resource.path}')
            by_id.setdefault(ident, resource.path)
    if problems:
        raise ConfigurationError('src: ' + '; '.join(problems) + '. Each resource name and each id may occur once '
                                 'in one run: remove or rename one of the files.')


# -- a readable difference ----------------------------------------------------------------------------

def short_diff(before, after, before_label, after_label, max_lines=DIFF_MAX_LINES):
    """A unified diff of two texts, cut after ``max_lines`` lines with a note of how many were left out."""
    lines = list(difflib.unified_diff(before.splitlines(), after.splitlines(), before_label, after_label,
                                      n=1, lineterm=''))
    if len(lines) > max_lines:
        left_out = len(lines) - max_lines
        lines = lines[:max_lines] + [f'... ({left_out} more diff lines)']
    return '\n'.join(lines)
