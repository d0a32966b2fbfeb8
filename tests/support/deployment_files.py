# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Process resources for the camunda_deployment tests: BPMN, DMN and form files written on demand."""

from __future__ import annotations

import json


def bpmn(*process_ids, name='Process', executable=True, service_task=None):
    """A BPMN file declaring these processes: start, optionally a service task of that job type, end."""
    processes = []
    for pid in process_ids:
        task, last = '', f'{pid}-start'
        if service_task:
            task = (
                f'<bpmn:serviceTask id="{pid}-work"><bpmn:extensionElements>'
                f'<zeebe:taskDefinition type="{service_task}"/></bpmn:extensionElements></bpmn:serviceTask>\n'
                f'    <bpmn:sequenceFlow id="{pid}-f0" sourceRef="{pid}-start" targetRef="{pid}-work"/>\n'
            )
            last = f'{pid}-work'
        processes.append(
            f'  <bpmn:process id="{pid}" name="{name}" isExecutable="{str(executable).lower()}">\n'
            f'    <bpmn:startEvent id="{pid}-start"/>\n    {task}'
            f'    <bpmn:sequenceFlow id="{pid}-f1" sourceRef="{last}" targetRef="{pid}-end"/>\n'
            f'    <bpmn:endEvent id="{pid}-end"/>\n  </bpmn:process>\n'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="definitions" '
        'targetNamespace="http://bpmn.io/schema/bpmn">\n' + ''.join(processes) + '</bpmn:definitions>\n'
    )


def dmn(drg_id, *decision_ids):
    decisions = ''.join(
        f'  <decision id="{decision_id}" name="{decision_id}">\n    <literalExpression><text>"ok"</text>'
        '</literalExpression>\n  </decision>\n'
        for decision_id in decision_ids
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="{drg_id}" name="{drg_id}" '
        'namespace="http://camunda.org/schema/1.0/dmn">\n' + decisions + '</definitions>\n'
    )


def form(form_id, label='Name'):
    return (
        json.dumps(
            {'id': form_id, 'type': 'default', 'components': [{'key': 'name', 'label': label, 'type': 'textfield'}]},
            indent=2,
        )
        + '\n'
    )


def write(folder, files):
    """Write {relative path: text} under folder; returns the folder."""
    for relative, text in files.items():
        path = folder / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return folder


def bpmn_binding(pid, calls=None, decides=None, shows=None, links=(), binding='deployment', name='Process'):
    """A BPMN file of one process whose elements bind other resources, each with bindingType ``binding``: a call
    activity (``calls``: a process id), a business rule task (``decides``: a decision id), a user task with a
    linked form (``shows``: a form id), a service task with linked resources (``links``: (linkName, resourceId,
    resourceType) each, as the RPA worker's tasks carry them)."""
    elements = []
    if calls:
        elements.append(
            f'<bpmn:callActivity id="{pid}-call"><bpmn:extensionElements><zeebe:calledElement '
            f'processId="{calls}" propagateAllChildVariables="false" bindingType="{binding}"/>'
            '</bpmn:extensionElements></bpmn:callActivity>'
        )
    if decides:
        elements.append(
            f'<bpmn:businessRuleTask id="{pid}-decide"><bpmn:extensionElements><zeebe:calledDecision '
            f'decisionId="{decides}" resultVariable="result" bindingType="{binding}"/>'
            '</bpmn:extensionElements></bpmn:businessRuleTask>'
        )
    if shows:
        elements.append(
            f'<bpmn:userTask id="{pid}-task"><bpmn:extensionElements><zeebe:userTask/>'
            f'<zeebe:formDefinition formId="{shows}" bindingType="{binding}"/>'
            '</bpmn:extensionElements></bpmn:userTask>'
        )
    if links:
        linked = ''.join(
            f'<zeebe:linkedResource linkName="{link}" resourceId="{target}" resourceType="{kind}" '
            f'bindingType="{binding}"/>'
            for link, target, kind in links
        )
        elements.append(
            f'<bpmn:serviceTask id="{pid}-robot"><bpmn:extensionElements>'
            f'<zeebe:taskDefinition type="camunda::RPA-Task::1"/>'
            f'<zeebe:linkedResources>{linked}</zeebe:linkedResources>'
            '</bpmn:extensionElements></bpmn:serviceTask>'
        )
    ids = [f'{pid}-start'] + [element.split('"')[1] for element in elements] + [f'{pid}-end']
    flows = ''.join(
        f'    <bpmn:sequenceFlow id="{pid}-f{index}" sourceRef="{source}" targetRef="{target}"/>\n'
        for index, (source, target) in enumerate(zip(ids, ids[1:]))
    )
    body = ''.join(f'    {element}\n' for element in elements)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:zeebe="http://camunda.org/schema/zeebe/1.0" id="definitions" '
        'targetNamespace="http://bpmn.io/schema/bpmn">\n'
        f'  <bpmn:process id="{pid}" name="{name}" isExecutable="true">\n'
        f'    <bpmn:startEvent id="{pid}-start"/>\n{body}{flows}    <bpmn:endEvent id="{pid}-end"/>\n'
        '  </bpmn:process>\n</bpmn:definitions>\n'
    )
