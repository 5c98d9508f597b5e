# Two commands on a fresh machine: `make serve` and `make test`. Everything else is set up on demand.
SHELL := /bin/bash
PY := .venv/bin/python
export NO_MKDOCS_2_WARNING := 1
export DISABLE_MKDOCS_2_WARNING := true
export PYTHONDONTWRITEBYTECODE := 1
CHROMIUM ?= /usr/bin/chromium

.PHONY: serve serve-site build test test-fast deps browser node refs anchors paragraphs terms bench audit clean

.venv/.installed: requirements.txt requirements.lock.txt
	python3 -m venv .venv
	.venv/bin/pip install -q --disable-pip-version-check -r requirements.lock.txt
	touch $@

deps: .venv/.installed

# Debian's Chromium for the browser tests (Playwright cannot download its own browser here).
browser:
	@command -v $(CHROMIUM) >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q chromium; }

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

node: node_modules/.installed

# Builds into a temporary folder and replaces site/ only if the build succeeded.
build: deps
	$(PY) scripts/build_site.py

serve: build
	.venv/bin/mkdocs serve -a 127.0.0.1:8000 --livereload

# The built site as a static host serves it (a missing address gets 404.html, which resolves ranges).
serve-site: build
	$(PY) scripts/serve.py --port 8000

test: deps browser node
	.venv/bin/ruff check scripts tests
	.venv/bin/mypy
	$(PY) -m pytest -q tests

# Lint, types (mypy, strict on scripts/edition/), unit tests and the in-process checks (no site build, no
# browser): under a minute.
test-fast: deps
	.venv/bin/ruff check scripts tests
	.venv/bin/mypy
	$(PY) -m pytest -q tests/unit tests/test_paragraphs.py -m "not browser and not slow"

# Number paragraphs that have no permanent reference yet (never renumbers existing ones).
refs: deps
	$(PY) scripts/refs.py

# Regenerate the anchor contract after adding public anchors on purpose.
anchors: build
	$(PY) scripts/anchors.py --write

# The paragraph audit: the source's layout against the chapters (also run by the tests).
paragraphs: deps
	$(PY) scripts/paragraphs.py

# Candidate glossary terms from the essay: each must be an entry or decided in glossary-decisions.yml.
terms: deps
	$(PY) scripts/terms.py

bench: deps
	$(PY) scripts/bench.py

audit: build node browser
	$(PY) scripts/audit.py

clean:
	rm -rf site .site-* .pytest_cache test-output
