# Copyright (c) community.camunda contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sphinx settings of the community.camunda docs site (make docs).

`make docs` writes the RST of every plugin, role and guide with antsibull-docs into
.build/docs/rst, copies this file beside it and runs sphinx-build there.
"""

project = 'community.camunda'
author = 'community.camunda contributors'
copyright = 'community.camunda contributors'  # pylint: disable=redefined-builtin

# sphinx_antsibull_ext (part of antsibull-docs) renders the ansible-specific roles and directives
# that antsibull-docs writes (:ansplugin:, :ansopt:, ansible-links, ...).
extensions = ['sphinx_antsibull_ext']

root_doc = 'index'
exclude_patterns = ['_build']
pygments_style = 'ansible'
highlight_language = 'YAML+Jinja'

html_theme = 'sphinx_ansible_theme'
html_title = 'community.camunda'
html_short_title = 'community.camunda'
html_show_sphinx = False
html_copy_source = False
html_use_index = False
html_theme_options = {
    'collapse_navigation': False,
    'navigation_depth': 3,
}

# The plugin pages refer to pages of the Ansible documentation (action plugins, common return
# values, other collections' plugins). Without network access there is no intersphinx inventory,
# so those references become plain links to docs.ansible.com here instead of build warnings.
ANSIBLE_DOCS = 'https://docs.ansible.com/ansible/latest/'
ANSIBLE_DOCS_LABELS = {
    'action_plugins': 'plugins/action.html',
    'common_return_values': 'reference_appendices/common_return_values.html',
    'ansible_configuration_settings': 'reference_appendices/config.html',
}


def _ansible_docs_url(target):
    if target in ANSIBLE_DOCS_LABELS:
        return ANSIBLE_DOCS + ANSIBLE_DOCS_LABELS[target]
    parts = target.split('.')
    # ansible_collections.NAMESPACE.COLLECTION.PLUGIN_TYPE -> collections/NAMESPACE/COLLECTION/PLUGIN_TYPE.html
    if len(parts) == 4 and parts[0] == 'ansible_collections' and parts[1:3] != ['community', 'camunda']:
        return f'{ANSIBLE_DOCS}collections/{parts[1]}/{parts[2]}/{parts[3]}.html'
    return None


def _resolve_ansible_docs(app, env, node, contnode):  # pylint: disable=unused-argument
    from docutils import nodes  # pylint: disable=import-outside-toplevel

    if node.get('refdomain') != 'std' or node.get('reftype') != 'ref':
        return None
    url = _ansible_docs_url(node.get('reftarget', ''))
    if url is None:
        return None
    reference = nodes.reference('', '', internal=False, refuri=url)
    reference.append(contnode)
    return reference


def setup(app):
    app.connect('missing-reference', _resolve_ansible_docs)
