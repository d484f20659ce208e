# Two commands for a newcomer: `make run` and `make test`. Everything else is setup.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app simulator
STAMP := $(VENV)/.installed
MO := simulator/translations/fr/LC_MESSAGES/messages.mo

.PHONY: run test setup db browser axe translations extract serve clean

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required (looked for $(PYTHON))."; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(MO): simulator/translations/fr/LC_MESSAGES/messages.po $(STAMP)
	$(BIN)/pybabel compile -d simulator/translations

translations: $(MO)

setup: $(STAMP) $(MO)
	$(BIN)/python -m simulator.secret instance/secret_key

db: setup
	$(FLASK) db upgrade
	$(FLASK) load
	$(FLASK) seed-demo

# Set up, load the référentiels, scenarios and demo accounts, serve on http://127.0.0.1:5000
run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

# Set up and pass the whole suite (SQLite; PostgreSQL too when TEST_DATABASE_URL is set)
test: setup browser axe
	$(BIN)/python -m pytest -q
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "== again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		TEST_DB=postgresql $(BIN)/python -m pytest -q -m "not browser" tests/db tests/web; \
	fi

# Debian's chromium for the browser tests (Playwright's own download does not work offline).
browser:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium >/dev/null; \
	fi

# axe-core from the npm registry, run inside the candidate pages by the browser tests (WCAG).
axe: node_modules/axe-core/axe.min.js

node_modules/axe-core/axe.min.js: package.json
	@command -v npm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = "0" ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq npm >/dev/null; }
	npm install --no-audit --no-fund --loglevel=error
	touch $@

extract:
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o simulator/translations/messages.pot .
	$(BIN)/pybabel update -i simulator/translations/messages.pot -d simulator/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) node_modules instance/simulator.db*
