# Cluster Match. `make run` serves the demo site; `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run serve test test-fast lint format bench bench-smoke browser clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed, this is " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependency list changes.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

run: $(VENV)/.installed
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py load_demo_event
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

# Production-like: PostgreSQL (DATABASE_URL, default a local clustermatch_serve database),
# gunicorn, WhiteNoise, DEBUG off. SERVE_DEMO=0 skips the demo data.
serve: $(VENV)/.installed
	HOST=$(HOST) PORT=$(PORT) BIN=$(BIN) bash scripts/serve

# The whole suite, real-browser tests included (Chromium is installed if missing and possible).
test: $(VENV)/.installed
	@bash scripts/ensure-chromium || true
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: $(VENV)/.installed
	$(BIN)/python -m pytest -m "not e2e" $(PYTEST_ARGS)

# Benchmarks print `BENCH <name> <value> <unit>` lines (docs/performance.md).
bench: $(VENV)/.installed
	$(BIN)/python bench/bench_matching.py --sizes 1000 10000 100000
	$(BIN)/python bench/bench_partners_page.py --size 10000
	$(BIN)/python bench/bench_pair_matrix.py --size 500
	$(BIN)/python bench/bench_scheduler.py --size 500 --tight
	$(BIN)/python bench/bench_load.py --users 50 --duration 60

bench-smoke: $(VENV)/.installed
	$(BIN)/python bench/bench_matching.py --sizes 1000 --queries 50 --refit-sizes 1000
	$(BIN)/python bench/bench_partners_page.py --size 1000 --requests 30
	$(BIN)/python bench/bench_pair_matrix.py --size 50 --directory 2000
	$(BIN)/python bench/bench_scheduler.py --size 50
	$(BIN)/python bench/bench_load.py --smoke

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(VENV)/.installed
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) var .pytest_cache
