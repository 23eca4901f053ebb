# Lianxin: `make run` serves the demo, `make test` runs every check CI runs.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
HOST ?= 127.0.0.1
PORT ?= 8000
PG_URL ?= postgres://postgres@127.0.0.1:5432/lianxin

.PHONY: run test lint typecheck checks unit unit-sqlite unit-postgres e2e messages bench clean browser

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

locale/%/LC_MESSAGES/django.mo: locale/%/LC_MESSAGES/django.po $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv -v 0

# The task worker (roster imports, notifications) and, every minute, the notifications' upkeep (cron's job in
# production: held texts, digests, retries), the tallies' refresh (counts per organization, ADR 16) and the
# figure snapshots' (large subtrees' board and coverage, ADR 17) run
# beside the web server and stop with it. Links in mail and texts point at this server; mail and texts
# are printed here unless LIANXIN_EMAIL_URL / LIANXIN_SMS_URL are set.
run: export LIANXIN_SITE_URL ?= http://$(HOST):$(PORT)/
run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput -v 0
	LIANXIN_DEMO_URL=http://$(HOST):$(PORT)/ $(PY) manage.py seed_demo --scale small --if-empty
	$(PY) manage.py db_worker --no-reload -v 0 & worker=$$!; \
	while :; do $(PY) manage.py notifications_upkeep -v 0; $(PY) manage.py tallies_refresh -v 0; $(PY) manage.py snapshots_refresh -v 0; sleep 60; done & upkeep=$$!; \
	trap 'kill $$worker $$upkeep 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST):$(PORT)

# The rules of the code: style, the direction of imports (pyproject's import contracts) and sizes.
lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(PY) scripts/check_sizes.py

# mypy strict on lianxin, config and the tests (pyproject's [tool.mypy]).
typecheck: $(VENV)/.installed
	$(BIN)/mypy

checks: $(VENV)/.installed messages
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py makemigrations --check --dry-run -v 1
	DJANGO_SETTINGS_MODULE=config.settings.test $(PY) manage.py check

unit-sqlite: $(VENV)/.installed messages
	DATABASE_URL= $(BIN)/pytest -q -m "not e2e" -n 2

unit-postgres: $(VENV)/.installed messages
	DATABASE_URL=$(PG_URL) $(BIN)/pytest -q -m "not e2e" -n 2

# Browser tests drive Debian's Chromium; install it when missing and we may.
browser:
	@test -x /usr/bin/chromium || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -q && apt-get install -y -q chromium fonts-noto-cjk; \
	  else echo "Install Chromium: sudo apt-get install chromium fonts-noto-cjk"; exit 1; fi; }

e2e: $(VENV)/.installed messages browser
	DATABASE_URL= $(BIN)/pytest -q -m e2e

# On CI the unit suite runs on PostgreSQL too; locally it runs on PostgreSQL when one answers.
test: lint typecheck checks unit-sqlite e2e
	@if [ "$$CI" = "true" ] || pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then \
	  $(MAKE) --no-print-directory unit-postgres; \
	else echo "PostgreSQL not reachable at 127.0.0.1:5432: skipping the PostgreSQL run"; fi

bench: $(VENV)/.installed messages
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) var staticfiles
