# -*- coding: utf-8 -*-
# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Stand-in for the pip bootstrap script that ansible-test downloads.

ansible-test fetches ``get-pip-<version>.py`` from a host that cannot be reached from these machines
and caches it as ``~/.ansible/test/cache/get_pip_<version>.py``. The Makefile copies this file there.
It does what the real script does for ansible-test: put pip into the running (fresh) virtual
environment, then install the packages it was asked for, from PyPI.
"""

import os
import subprocess
import sys

SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'


def main():
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
    # get-pip.py understands these two switches; pip itself does not.
    args = [arg for arg in sys.argv[1:] if arg not in ('--no-setuptools', '--no-wheel')]
    if not os.environ.get('PIP_CERT') and os.path.exists(SYSTEM_CA_BUNDLE):
        args = ['--cert', SYSTEM_CA_BUNDLE] + args
    subprocess.check_call([sys.executable, '-m', 'pip', 'install'] + args)


if __name__ == '__main__':
    main()
