# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A Helm release's user-supplied values across upgrades, for the helm stand-in (there is no cluster to keep them).

Only the bookkeeping of `helm upgrade --reuse-values` is modelled here; the chart itself is rendered by the real helm
(standin.render_chart), and the real thing, release and all, runs in test_configure_auth_helm_release.py.
"""

from __future__ import annotations

import copy


def merge(base, extra):
    """Helm's coalescing of values: maps merge key by key, lists and scalars replace, null deletes."""
    result = copy.deepcopy(base)
    for key, value in (extra or {}).items():
        if value is None:
            result.pop(key, None)
        elif isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = copy.deepcopy(value)
    return result


def supplied_values(previous, new_files, reuse_values):
    """The release's user-supplied values after an upgrade: `--reuse-values` merges the new files over the previous
    release's values (its lists stay unless a file states them again); without it only the new files count."""
    values = copy.deepcopy(previous) if reuse_values else {}
    for file_values in new_files:
        values = merge(values, file_values)
    return values
