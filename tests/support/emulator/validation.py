# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Request body checks: required fields, types, identifier pattern, enums, `additionalProperties: false`."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .errors import ApiError, bad_request

# Camunda's default `camunda.security.id-validation-pattern`.
ID_PATTERN_TEXT = '^[a-zA-Z0-9_@.+-]+$'
ID_PATTERN = re.compile(ID_PATTERN_TEXT)
MAX_ID_LENGTH = 256
EMAIL_PATTERN = re.compile(r'^[^@\s]+@[^@\s]+$')


@dataclass(frozen=True)
class Field:
    name: str
    required: bool = False
    kind: str = 'string'  # string | id | email | enum | enum_list
    choices: frozenset = frozenset()


@dataclass(frozen=True)
class Schema:
    fields: tuple
    strict: bool = False  # additionalProperties: false

    def check(self, body):
        """Return the body (a dict without null optional fields), or raise a 400."""
        body = require_object(body)
        if self.strict:
            reject_unknown_fields(body, {f.name for f in self.fields})
        cleaned = {}
        for field in self.fields:
            value = body.get(field.name)
            if value is None:
                if field.required:
                    raise bad_request(f'No {field.name} provided.')
                continue
            cleaned[field.name] = check_value(field, value)
        return cleaned


def require_object(body):
    if body is None:
        raise bad_request('Required request body is missing.')
    if not isinstance(body, dict):
        raise bad_request('The request body must be a JSON object.')
    return body


def reject_unknown_fields(body, allowed):
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise bad_request(f"Request property [{unknown[0]}] is not supported; allowed: {sorted(allowed)}.")


def check_value(field, value):
    if field.kind == 'enum_list':
        return check_enum_list(field, value)
    if not isinstance(value, str):
        raise bad_request(f'The provided {field.name} must be a string.')
    if field.required and not value.strip():
        raise bad_request(f'No {field.name} provided.')
    if field.kind == 'id':
        check_identifier(field.name, value)
    elif field.kind == 'email' and value and not EMAIL_PATTERN.match(value):
        raise bad_request(f"The provided email '{value}' is not valid.")
    elif field.kind == 'enum' and value not in field.choices:
        raise bad_request(f"Unexpected value '{value}' for {field.name}; expected one of {sorted(field.choices)}.")
    return value


def check_enum_list(field, value):
    if not isinstance(value, list) or not value:
        raise bad_request(f'No {field.name} provided.')
    for item in value:
        if item not in field.choices:
            raise bad_request(f"Unexpected value '{item}' for {field.name}; expected any of {sorted(field.choices)}.")
    return list(dict.fromkeys(value))


def check_identifier(name, value):
    if len(value) > MAX_ID_LENGTH:
        raise bad_request(f'The provided {name} exceeds the limit of {MAX_ID_LENGTH} characters.')
    if not ID_PATTERN.match(value):
        raise bad_request(
            f"The provided {name} contains illegal characters. It must match the pattern '{ID_PATTERN_TEXT}'."
        )
    return value


def parse_json_body(request):
    """The decoded JSON body, None when there is none; 415 for another media type, 400 for bad JSON."""
    if not request.body:
        return None
    content_type = (request.headers.get('Content-Type') or '').split(';', 1)[0].strip().lower()
    if content_type and content_type != 'application/json' and not content_type.endswith('+json'):
        raise ApiError(415, f"Content-Type '{content_type}' is not supported; use application/json.")
    try:
        return json.loads(request.body)
    except (ValueError, UnicodeDecodeError) as error:
        raise bad_request(f'The request body is not valid JSON: {error}') from None
