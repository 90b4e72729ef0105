# Two commands on a fresh machine: `make run` and `make test`.
# Everything lives in .venv; the stamps re-install when a requirements file changes.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
EGOV_DB ?= data/egov.duckdb
PORT   ?= 8501
export EGOV_DB

.PHONY: run test lint bench soak demo venv browser clean

run: $(VENV)/.runtime $(EGOV_DB)
	$(BIN)/streamlit run app.py --server.port $(PORT)

# Two workers at most: about 21 min instead of 40 on 2 cores (2 317 tests, many of them browser and store tests).
test: $(VENV)/.dev browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n auto --maxprocesses 2

lint: $(VENV)/.dev
	$(BIN)/ruff check .

# Every benchmark (scoring, import, pages, browser); writes the table in docs/PERFORMANCE.md.
# Builds its synthetic databases once into bench/.cache (about a minute); the whole run takes a while.
# Then the round-table outputs (issue 14), whose section of docs/PERFORMANCE.md is written by hand.
bench: $(VENV)/.dev browser
	$(BIN)/python bench/run.py
	$(BIN)/python bench/bench_report.py
	$(BIN)/python bench/bench_form.py

# Reliability soak (not in CI): 20 browser sessions, two importers and an exporter, kill -9 at random;
# then nothing may be lost or duplicated. Figures go to docs/RELIABILITY.md.
soak: $(VENV)/.dev browser
	$(BIN)/python bench/soak.py

# Rebuild the demo database from scratch.
demo: $(VENV)/.runtime
	rm -f $(EGOV_DB) $(EGOV_DB).wal
	$(BIN)/python cli.py --db $(EGOV_DB) demo

$(EGOV_DB): | $(VENV)/.runtime
	@if [ -f cli.py ]; then $(BIN)/python cli.py --db $(EGOV_DB) demo; fi

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.runtime: requirements.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements.txt
	touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@ $(VENV)/.runtime

# The real-browser test drives Debian's Chromium; install it when missing.
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

clean:
	rm -rf $(VENV) tests/artifacts .pytest_cache .ruff_cache
