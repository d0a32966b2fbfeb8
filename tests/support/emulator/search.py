# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""`POST .../search`: filter, sort and page a list of result items, answering Camunda's search response shape."""

from __future__ import annotations

import base64
import binascii
import json
import re
from dataclasses import dataclass, field

from .errors import bad_request
from .validation import reject_unknown_fields, require_object

DEFAULT_LIMIT = 100
MAX_LIMIT = 10000
SORT_ORDERS = ('ASC', 'DESC')


@dataclass(frozen=True)
class SearchSpec:
    """What one search endpoint accepts: filter fields (name -> how it matches) and sort fields."""

    filters: dict = field(default_factory=dict)  # filter name -> ('string' | 'exact' | 'any_of', item field)
    sort_fields: tuple = ()
    sort_aliases: dict = field(default_factory=dict)  # sort field -> item field when they differ


def search(items, body, spec):
    """The search response for `items` (a list of result dicts) under request `body`."""
    body = {} if body is None else require_object(body)
    reject_unknown_fields(body, {'filter', 'sort', 'page'})
    matching = [item for item in items if matches(item, body.get('filter'), spec)]
    ordered = sort_items(matching, body.get('sort'), spec)
    return page_of(ordered, body.get('page'))


# -- filter ---------------------------------------------------------------------------------------


def matches(item, filters, spec):
    if filters is None:
        return True
    filters = require_object(filters)
    reject_unknown_fields(filters, spec.filters)
    for name, condition in filters.items():
        how, item_field = spec.filters[name]
        if condition is not None and not MATCHERS[how](item.get(item_field), condition, name):
            return False
    return True


def match_exact(value, condition, name):
    if not isinstance(condition, str):
        raise bad_request(f'The filter {name} must be a string.')
    return value == condition


def match_any_of(value, condition, name):
    if not isinstance(condition, list) or not all(isinstance(entry, str) for entry in condition):
        raise bad_request(f'The filter {name} must be a list of strings.')
    return value in condition


def match_string(value, condition, name):
    """A StringFilterProperty: a plain string (equals) or an advanced filter object."""
    if isinstance(condition, str):
        return value == condition
    if not isinstance(condition, dict):
        raise bad_request(f'The filter {name} must be a string or an advanced string filter.')
    reject_unknown_fields(condition, ADVANCED_OPERATORS)
    return all(ADVANCED_OPERATORS[operator](value, operand, name) for operator, operand in condition.items())


def _string_operand(operand, name, operator):
    if not isinstance(operand, str):
        raise bad_request(f'The operator {operator} of filter {name} needs a string.')
    return operand


def _list_operand(operand, name, operator):
    if not isinstance(operand, list) or not all(isinstance(entry, str) for entry in operand):
        raise bad_request(f'The operator {operator} of filter {name} needs a list of strings.')
    return operand


def _exists(value, operand, name):
    if not isinstance(operand, bool):
        raise bad_request(f'The operator $exists of filter {name} needs a boolean.')
    return (value is not None) == operand


def like_pattern(pattern):
    """Camunda's $like: `*` any run of characters, `?` one character, backslash escapes them."""
    parts = []
    escaped = False
    for char in pattern:
        if escaped:
            parts.append(re.escape(char))
            escaped = False
        elif char == '\\':
            escaped = True
        elif char == '*':
            parts.append('.*')
        elif char == '?':
            parts.append('.')
        else:
            parts.append(re.escape(char))
    return re.compile(''.join(parts) + r'\Z', re.DOTALL)


ADVANCED_OPERATORS = {
    '$eq': lambda value, operand, name: value == _string_operand(operand, name, '$eq'),
    '$neq': lambda value, operand, name: value != _string_operand(operand, name, '$neq'),
    '$exists': _exists,
    '$in': lambda value, operand, name: value in _list_operand(operand, name, '$in'),
    '$notIn': lambda value, operand, name: value not in _list_operand(operand, name, '$notIn'),
    '$like': lambda value, operand, name: (
        value is not None and like_pattern(_string_operand(operand, name, '$like')).match(value) is not None
    ),
}

MATCHERS = {'string': match_string, 'exact': match_exact, 'any_of': match_any_of}


# -- sort -----------------------------------------------------------------------------------------


def sort_items(items, sort, spec):
    """Items in the requested order; ties keep the default order (the entity id ascending)."""
    ordered = list(items)
    if sort is None:
        return ordered
    if not isinstance(sort, list):
        raise bad_request('The sort must be a list of {field, order} objects.')
    # Python's sort is stable: apply the least significant key first.
    for criterion in reversed([sort_criterion(entry, spec) for entry in sort]):
        item_field, descending = criterion
        present = [item for item in ordered if item.get(item_field) is not None]
        missing = [item for item in ordered if item.get(item_field) is None]
        present.sort(key=lambda item: item[item_field], reverse=descending)
        ordered = present + missing  # nulls last in both directions
    return ordered


def sort_criterion(entry, spec):
    entry = require_object(entry)
    reject_unknown_fields(entry, {'field', 'order'})
    name = entry.get('field')
    if name not in spec.sort_fields:
        raise bad_request(f"Unexpected sort field '{name}'; expected one of {list(spec.sort_fields)}.")
    order = (entry.get('order') or 'ASC').upper()
    if order not in SORT_ORDERS:
        raise bad_request(f"Unexpected sort order '{entry.get('order')}'; expected ASC or DESC.")
    return spec.sort_aliases.get(name, name), order == 'DESC'


# -- page -----------------------------------------------------------------------------------------


def encode_cursor(position):
    return base64.b64encode(json.dumps({'position': position}).encode()).decode()


def decode_cursor(cursor, name):
    try:
        position = json.loads(base64.b64decode(cursor, validate=True))['position']
    except (binascii.Error, ValueError, TypeError, KeyError):
        raise bad_request(f"The {name} cursor '{cursor}' is not valid.") from None
    if not isinstance(position, int) or position < 0:
        raise bad_request(f"The {name} cursor '{cursor}' is not valid.")
    return position


def page_request(page):
    """(start index, limit, is_backward_anchor) from a page object of any of the four pagination forms."""
    page = {} if page is None else require_object(page)
    reject_unknown_fields(page, {'from', 'limit', 'after', 'before'})
    anchors = [name for name in ('from', 'after', 'before') if page.get(name) is not None]
    if len(anchors) > 1:
        raise bad_request(f'Only one of from, after and before may be given, not {anchors}.')
    limit = page.get('limit', DEFAULT_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= MAX_LIMIT:
        raise bad_request(f'The page limit must be an integer from 1 to {MAX_LIMIT}.')
    start = page.get('from', 0)
    if isinstance(start, bool) or not isinstance(start, int) or start < 0:
        raise bad_request('The page from must be an integer of at least 0.')
    if page.get('after') is not None:
        start = decode_cursor(page['after'], 'after') + 1
    elif page.get('before') is not None:
        end = decode_cursor(page['before'], 'before')
        start = max(0, end - limit)
        limit = end - start
    return start, limit


def page_of(ordered, page):
    start, limit = page_request(page)
    items = ordered[start : start + limit]
    return {
        'items': items,
        'page': {
            'totalItems': len(ordered),
            'hasMoreTotalItems': False,  # the emulator never caps the total
            'startCursor': encode_cursor(start) if items else None,
            'endCursor': encode_cursor(start + len(items) - 1) if items else None,
        },
    }
