# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The probe process of the smoke test (camunda_smoke_test and the verify role's smoke check): one definition.

For internal collection use only: no stable interface.

It lives here, as bytes, because a module runs from an AnsiballZ payload that holds module_utils and nothing else
of the collection, and because two copies (a role file read by a lookup, which strips the final newline, and a
module default) differ by a byte and so deploy a new version each time a play switches between them. It is
deployed under PROBE_RESOURCE_NAME, which no user process should share; redeploying it is a no-op (Zeebe's
duplicate rule). One run: the start event, a job the smoke test works itself, a message catch event correlated by
the run's own key (variable smokeRunId), the end event.
"""

from __future__ import annotations

PROBE_RESOURCE_NAME = 'community.camunda.verify-smoke-probe.bpmn'

PROBE_BPMN = b'''<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
                  xmlns:zeebe="http://camunda.org/schema/zeebe/1.0"
                  xmlns:modeler="http://camunda.org/schema/modeler/1.0"
                  id="community_camunda_verify_smoke_probe_definitions"
                  targetNamespace="https://github.com/ansible-collections/community.camunda"
                  exporter="community.camunda" exporterVersion="0.3.0"
                  modeler:executionPlatform="Camunda Cloud" modeler:executionPlatformVersion="8.8.0">
  <bpmn:process id="community_camunda_verify_smoke_probe" name="community.camunda verify smoke probe" isExecutable="true">
    <bpmn:startEvent id="smoke_started" name="Smoke check started">
      <bpmn:outgoing>to_job</bpmn:outgoing>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="to_job" sourceRef="smoke_started" targetRef="smoke_job" />
    <bpmn:serviceTask id="smoke_job" name="Job worked by the smoke check">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="community.camunda.verify.smoke" retries="1" />
      </bpmn:extensionElements>
      <bpmn:incoming>to_job</bpmn:incoming>
      <bpmn:outgoing>to_message</bpmn:outgoing>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="to_message" sourceRef="smoke_job" targetRef="smoke_message" />
    <bpmn:intermediateCatchEvent id="smoke_message" name="Message of this run">
      <bpmn:incoming>to_message</bpmn:incoming>
      <bpmn:outgoing>to_end</bpmn:outgoing>
      <bpmn:messageEventDefinition id="smoke_message_definition" messageRef="smoke_message_ref" />
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="to_end" sourceRef="smoke_message" targetRef="smoke_completed" />
    <bpmn:endEvent id="smoke_completed" name="Smoke check completed">
      <bpmn:incoming>to_end</bpmn:incoming>
    </bpmn:endEvent>
  </bpmn:process>
  <bpmn:message id="smoke_message_ref" name="community.camunda.verify.smoke">
    <bpmn:extensionElements>
      <zeebe:subscription correlationKey="=smokeRunId" />
    </bpmn:extensionElements>
  </bpmn:message>
</bpmn:definitions>
'''
