# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Test-only action: JSON POSTs to the admin APIs of the test services, from the controller.

A playbook that changes the IdP's or the emulator's state between tasks would otherwise pay for one
``ansible.builtin.uri`` module process per change. Enabled with ANSIBLE_ACTION_PLUGINS=tests/support/action_plugins.
"""

from __future__ import annotations

import requests
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Args: ``posts`` (list of {url, body}), ``ca_path``. Fails on the first answer that is not 2xx."""

    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        args = self._task.args
        with requests.Session() as session:
            for post in args.get('posts') or []:
                response = session.post(
                    post['url'], json=post.get('body') or {}, timeout=10, verify=args.get('ca_path') or True
                )
                if not response.ok:
                    return dict(result, failed=True, msg=f"POST {post['url']}: {response.status_code} {response.text}")
        return dict(result, changed=False)
