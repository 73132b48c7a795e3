# Set-up and everyday commands. Each step is skipped when already done, so a second run is quick.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMPS := .make
RUN_DEBS := libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
TEST_DEBS := chromium postgresql-15 redis-server poppler-utils zbar-tools
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test test-sqlite test-postgres install install-test bench loadtest clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_academy --demo-activity
	@echo "Serving Loyalty Academy at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

test: install-test
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Test suite on SQLite"
	$(PY) -m pytest -q

test-postgres:
	@echo "== Test suite on PostgreSQL 15"
	.ci/with-postgres $(PY) -m pytest -q

bench: install
	$(PY) manage.py migrate --noinput -v0
	DJANGO_DEBUG=0 $(PY) manage.py bench

# The figures in the README: 400 employees starting at once, 100 sign-ins at once, think time 2-8 s.
# A quick run: make loadtest LOADTEST_ARGS="--users 20 --logins 20 --think 0"
LOADTEST_ARGS ?= --users 400 --logins 100 --think 2-8
loadtest: install-test
	@mkdir -p test-artifacts && rm -f test-artifacts/loadtest.sqlite3*
	@echo "== Load test on PostgreSQL 15 (a throwaway database)"
	DJANGO_DEBUG=0 .ci/with-postgres $(PY) manage.py loadtest $(LOADTEST_ARGS)
	@echo "== Load test on SQLite (test-artifacts/loadtest.sqlite3)"
	DJANGO_DEBUG=0 DATABASE_URL=sqlite:///$(CURDIR)/test-artifacts/loadtest.sqlite3 $(PY) manage.py loadtest $(LOADTEST_ARGS)

install: $(STAMPS)/debs-run $(STAMPS)/venv $(STAMPS)/npm

install-test: install $(STAMPS)/debs-test

$(STAMPS)/venv: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/npm: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/debs-run:
	@.ci/apt-ensure $(RUN_DEBS)
	@mkdir -p $(STAMPS) && touch $@

$(STAMPS)/debs-test:
	@.ci/apt-ensure $(TEST_DEBS)
	@mkdir -p $(STAMPS) && touch $@

clean:
	rm -rf $(STAMPS) test-artifacts static
