# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

# For internal collection use only: no stable interface.

from __future__ import annotations


class ModuleDocFragment(object):
    # Options and notes of every identity module (camunda_user, camunda_role, ...).
    DOCUMENTATION = r'''
options:
  consistency_timeout:
    description:
      - Seconds to wait for Camunda's eventually consistent reads to show a write. Camunda answers reads (get and search)
        from secondary storage, which may briefly miss an entity or a member that was just written.
      - After writing, the module reads the entity back until it shows the changes and returns it as read. When it does not
        within this time, the module returns the state it expects and warns; the writes themselves succeeded.
      - When a create is refused with 409 because the entity exists but could not be read yet, the module reads again with
        backoff for up to this time and then continues as for an existing entity. It never creates twice.
      - V(0) reads back once without waiting, and does not warn.
    type: float
    default: 10
    version_added: 0.1.0
notes:
  - The module reads first, compares the current state with the options the task sets (options not set are left as they are),
    and writes only the difference.
'''

    # The members_state option of modules with member lists (camunda_role, camunda_group, camunda_tenant).
    MEMBERS = r'''
options:
  members_state:
    description:
      - How the member lists given in the task are applied. A member list that the task does not give is neither read nor changed.
      - V(present) adds the listed members and leaves other members alone.
      - V(exact) makes each given list the complete list of its kind of member; members not listed are removed. An empty
        list removes every member of that kind.
      - V(absent) removes the listed members and leaves other members alone.
      - Member lists are ignored when O(state=absent).
    type: str
    choices: [present, absent, exact]
    default: present
    version_added: 0.1.0
notes:
  - Camunda's reads are eventually consistent, so a member search may miss a member that was just assigned or removed. The
    module treats an assignment answered 409 (already a member) and a removal answered 404 (not a member) as already done,
    and not as a change.
'''
