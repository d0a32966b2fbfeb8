# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Render the environment that AWX (or Ansible Automation Platform) gives a job from a custom credential.

Written from AWX's documented behaviour of custom credential types, so that tests can feed a
playbook exactly what a job template would get, without an AWX:

- the template namespace holds each input field that has a non-empty value; a boolean field that
  was not given is False; a field left empty is missing, so ``{{ field }}`` renders as '';
- ``file`` injectors are rendered first, each to a private file (mode 0600); ``template`` gives its
  path as ``tower.filename``, ``template.NAME`` as ``tower.filename.NAME``;
- every ``env`` injector is rendered (to '' when its fields are empty) in a sandboxed Jinja
  environment, and set.

Required inputs and choices are checked as the AWX form does before a credential can be saved.
"""

from __future__ import annotations

import os
import tempfile
from types import SimpleNamespace

from jinja2.sandbox import ImmutableSandboxedEnvironment


class CredentialInputError(ValueError):
    """The inputs would not pass AWX's validation of a credential of this type."""


def _namespace(fields, inputs):
    known = {field['id'] for field in fields}
    unknown = sorted(set(inputs) - known)
    if unknown:
        raise CredentialInputError(f'unknown input fields {unknown}')
    namespace = {}
    for field in fields:
        value = inputs.get(field['id'])
        if field.get('type') == 'boolean':
            namespace[field['id']] = bool(value)
            continue
        if value in (None, ''):
            continue
        if field.get('choices') and value not in field['choices']:
            raise CredentialInputError(f"{field['id']} must be one of {field['choices']}, not {value!r}")
        namespace[field['id']] = value
    return namespace


def render_injected_environment(credential_type, inputs, private_dir):
    """The environment variables a job gets from a credential of ``credential_type`` with ``inputs``."""
    fields = credential_type['inputs']['fields']
    missing = [name for name in credential_type['inputs'].get('required', []) if inputs.get(name) in (None, '')]
    if missing:
        raise CredentialInputError(f'required input fields missing: {missing}')
    namespace = _namespace(fields, inputs)
    injectors = credential_type.get('injectors', {})
    jinja = ImmutableSandboxedEnvironment()

    tower = SimpleNamespace()
    for label, template in injectors.get('file', {}).items():
        descriptor, path = tempfile.mkstemp(dir=private_dir, prefix='credential-')
        with os.fdopen(descriptor, 'w') as handle:
            handle.write(jinja.from_string(template).render(**namespace))
        os.chmod(path, 0o600)
        kind, name = label.partition('.')[::2]
        if kind != 'template':
            raise CredentialInputError(f'file injector {label!r} must be named template or template.NAME')
        if name:
            if not isinstance(getattr(tower, 'filename', None), SimpleNamespace):
                tower.filename = SimpleNamespace()
            setattr(tower.filename, name, path)
        else:
            tower.filename = path
    namespace['tower'] = tower
    return {
        name: jinja.from_string(template).render(**namespace) for name, template in injectors.get('env', {}).items()
    }
