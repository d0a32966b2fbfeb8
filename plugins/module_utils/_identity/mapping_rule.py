# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Mapping rules (OIDC claims to principals): the shape of a mapping rule and the core of camunda_mapping_rule.

For internal collection use only: no stable interface.
"""

from __future__ import annotations

from ansible_collections.community.camunda.plugins.module_utils._core.errors import CamundaError
from ansible_collections.community.camunda.plugins.module_utils._identity.kind import EntityKind, Field
from ansible_collections.community.camunda.plugins.module_utils._identity.options import entity_spec
from ansible_collections.community.camunda.plugins.module_utils._identity.runner import run_entity


class MappingRuleKind(EntityKind):
    """Camunda allows one mapping rule per claim name and value: a second one is refused with 409."""

    def check_conflicts(self, client, options, desired, current, plan):
        body = plan.create if plan.create is not None else plan.update
        if body is None:
            return
        claim = dict(claimName=body['claimName'], claimValue=body['claimValue'])
        if current.exists and all(current.entity.get(name) == value for name, value in claim.items()):
            return
        conflict = claim_holder(client.search_all(self.search_path, claim), claim, self.entity_id(options))
        if conflict is not None:
            raise CamundaError(
                f"Cannot {'create' if plan.create is not None else 'update'} {self.label(options)}: "
                f"{claim_conflict(conflict, claim)} Use that rule, or change or remove it first."
            )


def claim_holder(rules, claim, own_id):
    """The first of ``rules`` other than ``own_id`` that maps exactly this claim, or None."""
    return next(
        (
            rule
            for rule in rules
            if rule.get('mappingRuleId') != own_id and all(rule.get(name) == value for name, value in claim.items())
        ),
        None,
    )


def claim_conflict(rule, claim):
    return (
        f"mapping rule '{rule.get('mappingRuleId')}' already maps claim {claim['claimName']} = {claim['claimValue']}, "
        'and Camunda allows one mapping rule per claim.'
    )


MAPPING_RULE = MappingRuleKind(
    noun='mapping rule',
    result_key='mapping_rule',
    collection='mapping-rules',
    id_option='mapping_rule_id',
    id_field='mappingRuleId',
    fields=(
        Field('claim_name', 'claimName', required_on_create=True),
        Field('claim_value', 'claimValue', required_on_create=True),
        Field('name', 'name', defaults_to_id=True),
    ),
    result_fields=('mappingRuleId', 'claimName', 'claimValue', 'name'),
)

MAPPING_RULE_OPTIONS = dict(
    mapping_rule_id=dict(type='str', required=True),
    claim_name=dict(type='str'),
    claim_value=dict(type='str'),
    name=dict(type='str'),
)

MAPPING_RULE_SPEC = entity_spec(MAPPING_RULE_OPTIONS)


def run_mapping_rule(options, context):
    return run_entity(MAPPING_RULE, options, context)
