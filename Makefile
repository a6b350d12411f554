# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test shell lint docs bench lock clean translations

run: $(VENV)/.installed
	$(BIN)/rapport migrate
	$(BIN)/rapport run

test: lint
	$(BIN)/pytest -n auto

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy bot
	$(BIN)/lint-imports --no-cache
	$(BIN)/mkdocs build --strict

# The docs site (mkdocs.yml, pages in docs/) into site/; --strict makes a broken link an error.
# Never with --quiet: it hides the warnings that --strict counts, and the build passes.
docs: $(VENV)/.installed
	$(BIN)/mkdocs build --strict

# Every benchmark with its default sizes, quickest first (benchmarks/README.md): the first
# results come within a minute or two; all of them take about 40 minutes on 2 cores, mostly
# pulse_fanout and replicas. replicas needs PostgreSQL; qa_routing and insights_validation the
# StackExchange dump. Some only: make bench BENCHES="matching insights".
BENCHES ?= matching lean_start dispatch outbox_lanes slack_ingest dashboard_network insights qa_routing \
	insights_validation pulse_fanout replicas

bench: $(VENV)/.installed
	@set -e; for name in $(BENCHES); do \
		echo "== benchmarks/$$name.py"; \
		$(BIN)/python -m benchmarks.$$name; \
	done

shell: $(VENV)/.installed
	$(BIN)/rapport shell

# The runtime dependencies install at the versions pinned in requirements.lock, as in the
# image (deploy/Dockerfile) and CI, so every build of one commit runs the same code; the dev
# tools are not pinned. LOCK= installs without the pins (docs/development/dependencies.md).
LOCK ?= requirements.lock

$(VENV)/.installed: pyproject.toml $(LOCK)
	$(PYTHON) -c 'import sys; sys.exit("Rapport needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet $(if $(LOCK),-c $(LOCK)) -e ".[dev]"
	$(BIN)/python -m bot.wiring.translations compile
	touch $@

# Each package's message catalogs (bot/wiring/translations.py): the templates extracted from
# the code anew, every shipped language's .po brought up to them (new messages empty, changed
# ones fuzzy: translate them and remove the flag), and the .mo files compiled. `make test`
# fails until every language has every message (docs/development/adding-a-language.md).
translations: $(VENV)/.installed
	$(BIN)/python -m bot.wiring.translations update compile

# Pin the runtime dependencies and every platform's SDK anew, at their newest versions that
# pyproject.toml allows (for Python 3.11 on Linux, the image's).
lock: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --upgrade --strip-extras --extra slack --extra teams \
		--extra discord --no-emit-index-url --no-emit-find-links \
		--output-file requirements.lock pyproject.toml

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info site
