# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Deployment units: the files that must be sent in one deployment because they bind each other by deployment.

For internal collection use only: no stable interface.

A call activity (``zeebe:calledElement``), a business rule task (``zeebe:calledDecision``), a user task with a
linked form (``zeebe:formDefinition``) or a task's linked resource (``zeebe:linkedResource``, 8.7+: an RPA script,
from 8.10 any generic resource or a form) with ``bindingType="deployment"`` runs the version of its target that was
deployed in the same deployment as the running process version. Since 8.6 Zeebe versions every resource of a
deployment together when one of them is new, so that such a pair always has a common deployment. Sending only the
file that changed leaves the new process version without a target in its deployment: an incident at run time (8.10
rejects such a deployment of a linked resource, earlier versions only raise the incident when the job is created).
So the files linked by these bindings (transitively) form one unit, sent whole when any member differs.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ansible_collections.community.camunda.plugins.module_utils._core.errors import ConfigurationError
from ansible_collections.community.camunda.plugins.module_utils._processes.resource_files import (
    BPMN_NS,
    GENERIC,
    KIND_NOUNS,
    ZEEBE_NS,
)

ZEEBE_PREFIXES = {'zeebe': ZEEBE_NS}


class BindingElement(object):
    """One kind of Zeebe extension element that can bind a target by deployment.

    ``path`` finds it under ``bpmn:extensionElements``; ``attribute`` names its target's id; the target is of
    ``kind``, or of ``kinds_by_type[resourceType]`` when the element says a type (a linked resource typed
    ``form`` names a form, any other type a generic resource such as an RPA script); ``link_attribute`` names
    the link, where the element has one.
    """

    def __init__(self, path, attribute, kind, noun, kinds_by_type=None, link_attribute=None):
        self.path = path
        self.attribute = attribute
        self.kind = kind
        self.noun = noun
        self.kinds_by_type = kinds_by_type or {}
        self.link_attribute = link_attribute

    def kind_of(self, element):
        return self.kinds_by_type.get((element.get('resourceType') or '').lower(), self.kind)


BINDING_ELEMENTS = (
    BindingElement('zeebe:calledElement', 'processId', 'process', 'call activity'),
    BindingElement('zeebe:calledDecision', 'decisionId', 'decision', 'business rule task'),
    BindingElement('zeebe:formDefinition', 'formId', 'form', 'user task'),
    BindingElement(
        'zeebe:linkedResources/zeebe:linkedResource',
        'resourceId',
        GENERIC,
        'task',
        kinds_by_type={'form': 'form'},
        link_attribute='linkName',
    ),
)
DEPLOYMENT_BINDING = 'deployment'
# deploy_together: units of linked files, or one unit of every file (as c8ctl deploy sends one deployment).
TOGETHER_LINKED = 'linked'
TOGETHER_ALL = 'all'
TOGETHER_CHOICES = (TOGETHER_LINKED, TOGETHER_ALL)


class Binding(object):
    """One element of a BPMN file bound by deployment to a target id."""

    def __init__(self, resource, element_id, element_noun, kind, target, link_name=None):
        self.resource = resource
        self.element_id = element_id
        self.element_noun = element_noun
        self.kind = kind
        self.target = target
        self.link_name = link_name

    def describe(self):
        if self.link_name is None:
            link = ''  # the binding is the element's own
        else:
            link = (
                f' (linked resource {self.link_name!r})' if self.link_name else ' (linked resource without a linkName)'
            )
        return (
            f'{self.element_noun} {self.element_id!r}{link} in {self.resource.path} binds {KIND_NOUNS[self.kind]} '
            f'{self.target!r} by deployment'
        )


def deployment_bindings(resource):
    """The bindings by deployment of one file's executable processes (none for DMN and forms).

    Targets given as expressions are left out: Zeebe resolves them at run time and does not check them either.
    """
    if resource.format != 'bpmn':
        return []
    root = ET.fromstring(resource.content)  # read_bpmn has already checked it is well-formed
    executable = [
        process
        for process in root.findall(f'{{{BPMN_NS}}}process')
        if (process.get('isExecutable') or '').lower() == 'true'
    ]  # Zeebe deploys and checks only these
    found = []
    for element in (element for process in executable for element in process.iter()):
        extensions = element.find(f'{{{BPMN_NS}}}extensionElements')
        if extensions is None:
            continue
        for spec in BINDING_ELEMENTS:
            for child in extensions.findall(spec.path, ZEEBE_PREFIXES):
                target = (child.get(spec.attribute) or '').strip()
                if child.get('bindingType') != DEPLOYMENT_BINDING or not target or target.startswith('='):
                    continue  # a FEEL expression is resolved at run time: no file can be named for it here
                found.append(
                    Binding(
                        resource,
                        element.get('id') or element.tag.rsplit('}', 1)[-1],
                        spec.noun,
                        spec.kind_of(child),
                        target,
                        (child.get(spec.link_attribute) or '') if spec.link_attribute else None,
                    )
                )
    return found


def deployment_units(resources, together=TOGETHER_LINKED):
    """The files grouped into units, each in the order of ``resources``; fails on a target no file declares."""
    if together == TOGETHER_ALL:
        return [list(resources)] if resources else []
    declared_by = {}
    for index, resource in enumerate(resources):
        for declared in resource.declared:
            declared_by[(declared.kind, declared.id)] = index
    parent = list(range(len(resources)))

    def root_of(index):
        while parent[index] != index:
            parent[index] = parent[parent[index]]
            index = parent[index]
        return index

    missing = []
    for index, resource in enumerate(resources):
        for binding in deployment_bindings(resource):
            target = declared_by.get((binding.kind, binding.target))
            if target is None:
                missing.append(binding)
                continue
            parent[root_of(index)] = root_of(target)
    if missing:
        raise ConfigurationError(
            'src: ' + '; '.join(binding.describe() for binding in missing) + ', but no file of this task declares it. '
            'A binding by deployment runs the target deployed together with the process, so the target must be '
            'deployed with it: add the file that declares it to src, or bind it by latest or versionTag.'
        )
    units = {}
    for index, resource in enumerate(resources):
        units.setdefault(root_of(index), []).append(resource)
    return sorted(units.values(), key=lambda unit: resources.index(unit[0]))
