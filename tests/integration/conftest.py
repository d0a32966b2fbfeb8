# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Unit tests import the collection as ansible_collections.community.camunda from the working tree."""

from __future__ import annotations

import sys

from playbook import COLLECTIONS_DIR, ensure_collection_link

ensure_collection_link()
if str(COLLECTIONS_DIR) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS_DIR))
