# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test shell lint docs bench clean

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

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit("Rapport needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache *.egg-info site
