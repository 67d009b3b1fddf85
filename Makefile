# HBS: `make run` serves the site on http://127.0.0.1:8000, `make test` runs the checks.
# Both create .venv and install what is missing; neither needs Docker.
SHELL := /bin/bash
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python

# The first Python >= 3.12 found: pyenv's versions (newest first), then PATH.
FIND_PYTHON := for c in $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV) \
	$$(command -v python3.13 python3.12 python3.14 python3 2>/dev/null); do \
	  if "$$c" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then echo "$$c"; break; fi; \
	done

.PHONY: help run test lint deps clean
help:
	@echo "make run   - set up and serve HBS on http://127.0.0.1:8000 (embedded PostgreSQL/Redis when no URLs are set)"
	@echo "make test  - set up, lint (ruff) and run the test suite against real PostgreSQL and Redis"

$(PY):
	@py=$$($(FIND_PYTHON)); \
	if [ -z "$$py" ]; then \
	  echo "HBS needs Python 3.12 or newer and none was found on PATH or in pyenv."; \
	  echo "Install one, e.g. 'pyenv install 3.13' or your system's python3.13 package, then run make again."; \
	  exit 1; \
	fi; \
	echo "[hbs] creating $(VENV) with $$py ($$($$py --version))"; \
	"$$py" -m venv $(VENV)

# Reinstalled only when a requirements file changes.
$(VENV)/.installed: $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

deps: $(VENV)/.installed node_modules/.installed

run: deps
	$(PY) -m hbs.devenv run

test: deps
	$(PY) -m hbs.devenv test $(ARGS)

lint: deps
	$(PY) -m ruff check .

clean:
	rm -rf $(VENV) node_modules var staticfiles
