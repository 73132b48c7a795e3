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

.PHONY: run serve test test-sqlite test-postgres install install-test bench loadtest clean

run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_academy --demo-activity
	@echo "Serving Loyalty Academy at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(PY) manage.py runserver $(HOST):$(PORT)

# The production settings on this machine, for a trial: gunicorn (deploy/gunicorn.conf.py), hashed
# static files, SQLite and files under serve/ (delete it to start again), no Redis, plain HTTP.
# serve/academy.env is made once with a random secret key; edit it to change anything.
SERVE_ENV := serve/academy.env
SERVE := deploy/with-env $(SERVE_ENV)

serve: install $(SERVE_ENV) static/staticfiles.json
	$(SERVE) $(PY) manage.py migrate --noinput
	$(SERVE) $(PY) manage.py sync_roles
	$(SERVE) $(PY) manage.py load_academy --no-people
	@$(SERVE) $(PY) manage.py shell -v 0 -c "from django.contrib.auth.models import User; raise SystemExit(0 if User.objects.filter(is_superuser=True).exists() else 1)" \
	  || if [ -t 0 ]; then echo "== Your first login (an administrator; HR people are added in the admin later):"; $(SERVE) $(PY) manage.py createsuperuser; \
	  else echo "No administrator yet: run  deploy/with-env $(SERVE_ENV) $(PY) manage.py createsuperuser"; fi
	@echo "Serving Loyalty Academy (production settings, gunicorn) at http://$(HOST):$(PORT)/  (Ctrl+C stops it)"
	$(SERVE) $(VENV)/bin/gunicorn -c deploy/gunicorn.conf.py

$(SERVE_ENV):
	@mkdir -p serve
	@umask 077 && { \
	  echo "# Made by make serve for a trial on this machine (README \"Running in production\"); edit as needed."; \
	  echo "DJANGO_SETTINGS_MODULE=training.settings.production"; \
	  echo "DJANGO_SECRET_KEY=$$($(PYTHON) -c 'import secrets; print(secrets.token_urlsafe(50))')"; \
	  echo "SITE_URL=http://$(HOST):$(PORT)"; \
	  echo "GUNICORN_BIND=$(HOST):$(PORT)"; \
	  echo "DATABASE_URL=sqlite:///$(CURDIR)/serve/academy.sqlite3"; \
	  echo "DJANGO_MEDIA_ROOT=$(CURDIR)/serve/media"; \
	  echo "DJANGO_PRIVATE_ROOT=$(CURDIR)/serve/private"; \
	  echo "DJANGO_CACHE_DIR=$(CURDIR)/serve/cache"; \
	  echo "# Plain HTTP on this machine: no redirect to HTTPS, no HSTS, cookies not HTTPS-only."; \
	  echo "DJANGO_SSL_REDIRECT=0"; \
	  echo "DJANGO_HSTS_SECONDS=0"; \
	  echo "DJANGO_SECURE_COOKIES=0"; \
	} > $@
	@echo "Made $@ (a random secret key, SITE_URL=http://$(HOST):$(PORT), SQLite under serve/)."

# Hashed, compressed static files for the production settings; again only when a source changed.
static/staticfiles.json: $(SERVE_ENV) $(shell find training/static -type f) package-lock.json requirements.txt
	$(SERVE) $(PY) manage.py collectstatic --noinput -v1

test: install-test
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

test-sqlite:
	@echo "== Test suite on SQLite (tests marked once run on the PostgreSQL pass only)"
	$(PY) -m pytest -q -m "not once"

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
	rm -rf $(STAMPS) test-artifacts static  # serve/ (the trial's data) is kept
