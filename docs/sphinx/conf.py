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
