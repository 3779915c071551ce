# Explainers: build, check and test the site. `make help` lists the targets.

# The project's own folder, so that `make -f path/to/Makefile` works from anywhere.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

PY ?= python3
VENV ?= $(ROOT)/.venv
INPUTDIR ?= $(ROOT)/content
OUTPUTDIR ?= $(ROOT)/output
CONFFILE ?= $(ROOT)/pelican.conf.py
# STRICT=1: warnings fail too.  DEBUG=1: Pelican's debug output and tracebacks.
STRICT ?=
DEBUG ?=
# BYTES_ONLY=1: `make audit` reports the page weight only, without Lighthouse.
BYTES_ONLY ?=
# Extra arguments for pytest, e.g. PYTEST_ARGS="-k citations -x".
PYTEST_ARGS ?=

VENV_PY := $(VENV)/bin/python
EXPLAINERS := PYTHONPATH="$(ROOT)/plugins" "$(VENV_PY)" -m explainers
BUILD_OPTIONS := $(if $(STRICT),--strict) $(if $(DEBUG),--debug)

.DEFAULT_GOAL := help
.PHONY: help html check test lint clean audit

help: ## Show this list of targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-10s %s\n", $$1, $$2}'
	@echo "Variables: INPUTDIR, OUTPUTDIR, CONFFILE, STRICT=1, DEBUG=1 (see README.md)"

# The virtual environment, made again whenever the pinned requirements change.
$(VENV)/.installed: $(ROOT)/requirements.txt
	@"$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed (set PY=python3.11)" >&2; exit 1; }
	@[ -x "$(VENV_PY)" ] || "$(PY)" -m venv "$(VENV)"
	"$(VENV_PY)" -m pip install --quiet --disable-pip-version-check -r "$(ROOT)/requirements.txt"
	@touch "$@"

html: $(VENV)/.installed ## Build the site into OUTPUTDIR (left as it was if the build fails)
	$(EXPLAINERS) build "$(INPUTDIR)" -o "$(OUTPUTDIR)" -s "$(CONFFILE)" $(BUILD_OPTIONS)

check: $(VENV)/.installed ## Check every explainer and the sources library; write nothing
	@$(EXPLAINERS) check "$(INPUTDIR)" -s "$(CONFFILE)" $(BUILD_OPTIONS)

lint: $(VENV)/.installed ## Lint the Python code with ruff
	cd "$(ROOT)" && "$(VENV_PY)" -m ruff check plugins tests scripts

# Browser-test tools: axe-core from npm (Chromium comes from scripts/install-browser-tools).
$(ROOT)/node_modules/.package-lock.json: $(ROOT)/package-lock.json
	@if command -v npm >/dev/null; then cd "$(ROOT)" && npm ci --no-audit --no-fund --loglevel=error; \
		else echo "npm is missing: the accessibility checks will be skipped" >&2; fi

test: $(VENV)/.installed $(ROOT)/node_modules/.package-lock.json lint ## Run the whole test suite
	cd "$(ROOT)" && "$(VENV_PY)" -m pytest $(PYTEST_ARGS)

audit: html ## Page weight of the Kursk explainer, and Lighthouse scores (needs Chromium, npm)
	"$(VENV_PY)" "$(ROOT)/scripts/audit.py" "$(OUTPUTDIR)" $(if $(BYTES_ONLY),--bytes-only)

clean: ## Remove the built site and caches (never the content)
	rm -rf "$(OUTPUTDIR)" "$(ROOT)/cache"
	find "$(dir $(OUTPUTDIR))" -maxdepth 1 -name ".$(notdir $(OUTPUTDIR)).*" -exec rm -rf {} +
