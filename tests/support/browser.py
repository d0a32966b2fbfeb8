# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""A real headless Chromium, driven over the W3C WebDriver protocol (chromedriver) with plain requests.

Debian's packages `chromium` and `chromium-driver` (installed by `make browser`); no Selenium needed for the
few commands the tests use: open a page, run a script in it, take a screenshot of the whole page.
"""

from __future__ import annotations

import base64
import shutil
import socket
import subprocess
import time
from pathlib import Path

import requests

CHROMIUM_NAMES = ('chromium', 'chromium-browser', 'google-chrome')


def missing():
    """Why the browser cannot run here, or None."""
    if not any(shutil.which(name) for name in CHROMIUM_NAMES):
        return 'chromium is not installed (make browser installs the Debian packages chromium and chromium-driver)'
    if not shutil.which('chromedriver'):
        return 'chromedriver is not installed (make browser installs the Debian package chromium-driver)'
    return None


class Browser:
    """with Browser() as browser: browser.open(path); browser.run(script, *args); browser.screenshot(path)."""

    def __init__(self, width=1360, height=900):
        self.width, self.height = width, height
        self.process = None
        self.session = requests.Session()
        self.session.trust_env = False  # loopback only: no proxy
        self.base = None

    def __enter__(self):
        with socket.socket() as sock:
            sock.bind(('127.0.0.1', 0))
            port = sock.getsockname()[1]
        self.process = subprocess.Popen(
            ['chromedriver', f'--port={port}'], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        root = f'http://127.0.0.1:{port}'
        deadline = time.monotonic() + 30
        while True:  # wait for the driver to answer, not for a fixed time
            try:
                if self.session.get(f'{root}/status', timeout=2).json()['value']['ready']:
                    break
            except (requests.RequestException, ValueError, KeyError):
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                self.__exit__()
                raise RuntimeError('chromedriver did not start')
            time.sleep(0.1)
        binary = next(shutil.which(name) for name in CHROMIUM_NAMES if shutil.which(name))
        options = {
            'binary': binary,
            'args': [
                '--headless=new',
                '--no-sandbox',
                '--disable-gpu',
                '--disable-dev-shm-usage',
                '--hide-scrollbars',
                f'--window-size={self.width},{self.height}',
            ],
        }
        answer = self._call(
            'POST',
            f'{root}/session',
            {'capabilities': {'alwaysMatch': {'browserName': 'chrome', 'goog:chromeOptions': options}}},
        )
        self.base = f"{root}/session/{answer['sessionId']}"
        return self

    def __exit__(self, *exc):
        if self.base:
            try:
                self.session.delete(self.base, timeout=10)
            except requests.RequestException:
                pass
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.session.close()

    def _call(self, method, url, body=None):
        response = self.session.request(method, url, json=body, timeout=60)
        value = response.json().get('value')
        if response.status_code != 200:
            raise RuntimeError(f'WebDriver {method} {url}: {response.status_code} {value}')
        return value

    def open(self, path):
        self._call('POST', f'{self.base}/url', {'url': Path(path).resolve().as_uri()})

    def run(self, script, *args):
        """The value of a script's `return`, run in the page (arguments as `arguments[0]`, ...)."""
        return self._call('POST', f'{self.base}/execute/sync', {'script': script, 'args': list(args)})

    def screenshot(self, path):
        """The whole page as a PNG: the window is grown to the page's height first."""
        height = self.run('return Math.ceil(document.documentElement.scrollHeight);')
        self._call(
            'POST', f'{self.base}/window/rect', {'width': self.width, 'height': max(self.height, int(height) + 120)}
        )
        png = base64.b64decode(self._call('GET', f'{self.base}/screenshot'))
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(png)
        return png
