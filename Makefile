# community.camunda: the two commands are `make demo` and `make test`; both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
VENV_STAMP := $(VENV)/.installed
IDP_DIR := tests/support/idp
IDP_STAMP := $(IDP_DIR)/node_modules/.installed
BUILD := $(CURDIR)/.build
# ansible-playbook finds the collection through this link to the working tree.
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/community/camunda
# ansible-test resolves symlinks, so sanity runs on a copy of the tracked files.
SANITY_ROOT := $(BUILD)/sanity/ansible_collections/community/camunda
GET_PIP_CACHE := $(HOME)/.ansible/test/cache/get_pip_24_2.py

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(BIN):$(PATH)

.PHONY: help setup demo test sanity units integration lint bench clean services

help:
	@echo "make demo   start the test services and run the verify playbook with none, basic and OIDC auth"
	@echo "make test   sanity, unit and integration tests (what CI runs)"
	@echo "make bench  benchmarks (prints figures)"
	@echo "make services  start the emulator and the IdP by hand, for exploration"

$(VENV_STAMP): requirements-dev.txt constraints-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or later is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints-dev.txt
	touch $@

$(IDP_STAMP): $(IDP_DIR)/package.json $(IDP_DIR)/package-lock.json
	npm ci --prefix $(IDP_DIR) --no-audit --no-fund --loglevel=error
	touch $@

$(COLLECTION_LINK):
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

$(GET_PIP_CACHE): tests/support/get_pip_standin.py
	mkdir -p $(dir $@)
	cp $< $@

setup: $(VENV_STAMP) $(IDP_STAMP) $(COLLECTION_LINK)

sanity: $(VENV_STAMP) $(GET_PIP_CACHE)
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_ROOT)
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(SANITY_ROOT)
	# The copy lies inside this repository's ignored .build/; a repository of its own lets ansible-test list its files.
	cd $(SANITY_ROOT) && git init -q && git add -A
	# ansible-test keeps its venvs under ~/.ansible/test: two runs at once break them, so take turns.
	mkdir -p $(HOME)/.ansible/test && cd $(SANITY_ROOT) && flock $(HOME)/.ansible/test/.community-camunda.lock \
		$(BIN)/ansible-test sanity --local --python 3.11 --color no

units: setup
	$(BIN)/python -m pytest tests/unit

# tests/services checks the test services themselves (emulator contract, IdP, certificates).
integration: setup
	$(BIN)/python -m pytest tests/services tests/integration

test: sanity units integration

services: setup
	$(BIN)/python tests/support/services.py up

clean:
	rm -rf $(BUILD) tests/output
