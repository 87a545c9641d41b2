# An Giang Digital Brands. `make run` and `make test` are all a newcomer needs.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Links, canonical URLs, QR codes and webhooks follow PORT (see pages/site_address.py).
SITE_BASE_URL ?= http://127.0.0.1:$(PORT)
export SITE_BASE_URL
STAMP := $(VENV)/.installed

.PHONY: help install run serve migrate demo e2e-deps test test-fast lint format check audit ci messages clean

help: ## Show the targets
	@grep -E '^[a-z-]+:.*##' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	# The commit hooks (.pre-commit-config.yaml); a checkout without .git skips them.
	-[ -d .git ] && $(BIN)/pre-commit install >/dev/null
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install pinned dependencies

migrate: install ## Apply database migrations
	$(BIN)/python manage.py migrate --noinput

demo: migrate ## Load the demo content (idempotent) and print the demo users
	$(BIN)/python manage.py seed_demo

run: demo ## Set everything up and serve http://127.0.0.1:$(PORT) with localstripe (fake Stripe) on 8420
	@bash scripts/run.sh $(PORT)

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

e2e-deps: node_modules/.installed ## axe-core for the browser tests (pinned in package-lock.json)

test: install e2e-deps ## Run the whole test suite
	$(BIN)/python -m pytest -q

# The inner loop: no browser, no server-killing tests. Assumes `make install` ran
# (it does not reinstall, so it starts at once).
test-fast: ## The suite without browser and slow (crash, two-server) tests
	$(BIN)/python -m pytest -q -m "not browser and not slow"

lint: install ## ruff, formatting, import contracts and mypy (core, shop, assessment)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy

format: install ## Fix what ruff can fix
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install ## Migrations up to date; production deploy check with dummy values
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run
	DJANGO_SETTINGS_MODULE=config.settings.production \
	DJANGO_SECRET_KEY=check-only-$$(head -c 48 /dev/urandom | base64 | tr -d '/+=\n') \
	DJANGO_ALLOWED_HOSTS=thuonghieu.angiang.example \
	REDIS_URL=redis://127.0.0.1:6379/0 \
	STRIPE_SECRET_KEY=sk_test_check STRIPE_WEBHOOK_SECRET=whsec_check \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

audit: install ## Supply chain: bandit (0 high), advisory floors, pip-audit (0 known vulnerabilities)
	bash scripts/audit.sh

APP_CATALOGUES := brands shop assessment joining

# Each catalogue is extracted from its own tree: the root one (config,
# accounts, organisations, pages, templates) skips the apps that keep their own,
# and third_party_locale is built from translations/vi.po by a script.
messages: install ## Extract strings to every catalogue, then compile them (needs gettext)
	DJANGO_SETTINGS_MODULE=config.settings.dev $(BIN)/python manage.py makemessages -l vi -l en --no-obsolete \
		-i '.venv/*' -i 'tests/*' -i 'bench/*' -i 'scripts/*' -i 'third_party_locale/*' $(foreach app,$(APP_CATALOGUES),-i '$(app)/*')
	# An app without its own locale/ would spill its strings into the root one.
	for app in $(APP_CATALOGUES); do \
		if [ -d $$app/locale ]; then \
			(cd $$app && DJANGO_SETTINGS_MODULE=config.settings.dev PYTHONPATH=$(CURDIR) $(CURDIR)/$(BIN)/django-admin makemessages -l vi -l en --no-obsolete) || exit 1; \
		fi; \
	done
	$(BIN)/python manage.py compilemessages -i .venv -i third_party_locale
	$(BIN)/python scripts/build_third_party_catalogue.py

ci: lint check audit test ## What CI runs (besides PostgreSQL and Redis)

clean: ## Remove the venv, local database and generated media
	rm -rf $(VENV) db.sqlite3* .test-db.sqlite3* media .test-media staticfiles
