# dangqun — 党群工作平台. Quick start: `make run` (demo at http://127.0.0.1:8000), `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/postgres
PYTEST_ARGS ?=

.PHONY: run test test-sqlite test-postgres bench install assets system lint fmt migrate demo clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Python dependencies, pinned in requirements.lock.
$(VENV)/.installed: requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install -q --disable-pip-version-check -r requirements.lock
	touch $@

# Front-end assets (htmx, Bootstrap, ECharts, the CJK web font) from pinned npm packages.
node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

install: $(VENV)/.installed node_modules/.installed

assets: node_modules/.installed

# System packages the tests and PDF output need: headless Chromium for the browser
# tests, a CJK font for WeasyPrint/LibreOffice, pdftoppm to look at PDFs.
system:
	@if command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . && command -v pdftoppm >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ]; then \
		echo "installing chromium, chromium-driver, fonts-noto-cjk, poppler-utils"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver fonts-noto-cjk poppler-utils >/dev/null; \
	else echo "note: install chromium fonts-noto-cjk poppler-utils (as root) for browser tests and PDFs"; fi

migrate: install
	$(BIN)/python manage.py migrate --noinput

demo: migrate
	$(BIN)/python manage.py generate_district --if-empty

run: install
	@$(MAKE) --no-print-directory system || true
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py generate_district --if-empty
	@echo ""
	@echo "党群工作平台: http://127.0.0.1:8000  (Ctrl-C 退出)"
	$(BIN)/python manage.py runserver 127.0.0.1:8000

# The whole suite on SQLite, then on PostgreSQL when a server answers
# (REQUIRE_POSTGRES=1 makes a missing server an error, as CI sets it).
test: install system
	@$(MAKE) --no-print-directory test-sqlite
	@if $(BIN)/python scripts/pg_available.py "$(PG_TEST_URL)"; then \
		$(MAKE) --no-print-directory test-postgres; \
	elif [ "$$REQUIRE_POSTGRES" = "1" ]; then \
		echo "REQUIRE_POSTGRES=1 but no PostgreSQL server answers at $(PG_TEST_URL)"; exit 1; \
	else echo "PostgreSQL not reachable: the suite ran on SQLite only."; fi

test-sqlite:
	@echo "== tests on SQLite =="
	env -u DATABASE_URL DANGQUN_VAR_DIR=$(CURDIR)/var/test $(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

test-postgres:
	@echo "== tests on PostgreSQL =="
	DATABASE_URL=$(PG_TEST_URL) DANGQUN_VAR_DIR=$(CURDIR)/var/test $(BIN)/python -m pytest -q -n 2 $(PYTEST_ARGS)

# Benchmarks (PostgreSQL; never part of `make test`). BENCH_MEMBERS scales the district.
bench: install
	$(BIN)/python bench/run.py

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

fmt:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf var/test var/staticfiles
