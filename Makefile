# Explainers: write, check, build, preview and publish the site. `make help` lists the targets.

# The project's own folder, so that `make -f path/to/Makefile` works from anywhere.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

PY ?= python3
VENV ?= $(ROOT)/.venv
INPUTDIR ?= $(ROOT)/content
OUTPUTDIR ?= $(ROOT)/output
CONFFILE ?= $(ROOT)/pelican.conf.py
# STRICT=1: warnings fail too (STRICT=0 turns it off for `make publish`, where it is on).
STRICT ?=
# DEBUG=1: Pelican's debug output and tracebacks.
DEBUG ?=
# FORMAT=json: `make check` prints its problems as JSON, for editors and CI annotations.
FORMAT ?= text
# `make new TITLE="…"`: the new explainer's title.
TITLE ?=
# `make serve` and `make devserver`: the port on 127.0.0.1.
PORT ?= 8000
# `make publish`: the site's public address, e.g. https://explainers.example.org
SITEURL ?=
# Deploy targets: where `make rsync_upload` copies the site (a local folder or user@host:/path),
# the git remote and branch of `make github`, the bucket of `make s3_upload` (and, for an
# S3-compatible service other than AWS, its host, e.g. S3_HOST=127.0.0.1:9000 S3_SSL=0).
# s3cmd reads its keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
SSH_TARGET ?=
DEST ?= $(SSH_TARGET)
SSH_PORT ?= 22
GITHUB_REMOTE ?= origin
GITHUB_BRANCH ?= gh-pages
S3_BUCKET ?=
S3_HOST ?=
S3_SSL ?= 1
# `make import-sources FILE=library.json` (CSL-JSON) or FILE=library.bib (BibTeX).
FILE ?=
# `make bench`: the number of synthetic explainers (below 1000: a quick run, budgets not enforced).
N ?= 1000
BENCH_OUT ?= $(ROOT)/bench/results
BENCH_WORK ?= $(ROOT)/bench/work
# BYTES_ONLY=1: `make audit` reports the page weight only, without Lighthouse.
BYTES_ONLY ?=
# Extra arguments for pytest, e.g. PYTEST_ARGS="-k citations -x".
PYTEST_ARGS ?=

VENV_PY := $(VENV)/bin/python
EXPLAINERS := PYTHONPATH="$(ROOT)/plugins" "$(VENV_PY)" -m explainers
COMMON := -s "$(CONFFILE)" $(if $(DEBUG),--debug)
STRICT_OPTION := $(if $(filter-out 0,$(STRICT)),--strict)
PUBLISH_STRICT := $(if $(filter 0,$(STRICT)),,--strict)

.DEFAULT_GOAL := help
.PHONY: help html check new schema serve devserver publish rsync_upload github s3_upload \
	import-sources archive linkcheck test lint audit bench clean

help: ## Show this list of targets
	@grep -E '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'
	@echo "Variables: INPUTDIR, OUTPUTDIR, CONFFILE, STRICT, DEBUG, FORMAT, TITLE, PORT, SITEURL,"
	@echo "  DEST, SSH_TARGET, GITHUB_REMOTE, S3_BUCKET, FILE (see README.md)"

# The virtual environment, made again whenever the pinned requirements change.
$(VENV)/.installed: $(ROOT)/requirements.txt
	@"$(PY)" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "error: Python 3.11 or newer is needed (set PY=python3.11)" >&2; exit 1; }
	@[ -x "$(VENV_PY)" ] || "$(PY)" -m venv "$(VENV)"
	"$(VENV_PY)" -m pip install --quiet --disable-pip-version-check -r "$(ROOT)/requirements.txt"
	@touch "$@"

html: $(VENV)/.installed ## Build the site into OUTPUTDIR (left as it was if the build fails)
	$(EXPLAINERS) build "$(INPUTDIR)" -o "$(OUTPUTDIR)" $(COMMON) $(STRICT_OPTION)

check: $(VENV)/.installed ## Check every explainer and the sources library; write nothing
	@$(EXPLAINERS) check "$(INPUTDIR)" $(COMMON) $(STRICT_OPTION) --format "$(FORMAT)"

# The title reaches the command through the environment: no shell quoting to get wrong.
new: export TITLE := $(TITLE)
new: $(VENV)/.installed ## Start a new explainer: make new TITLE="…"
	@$(EXPLAINERS) new "$(INPUTDIR)" $(COMMON)

schema: $(VENV)/.installed ## Write the JSON Schemas for editors into schema/
	@$(EXPLAINERS) schema $(COMMON)

serve: ## Serve OUTPUTDIR as it is on http://127.0.0.1:PORT
	@echo "Serving $(OUTPUTDIR) on http://127.0.0.1:$(PORT)/ (Ctrl-C stops)"
	"$(PY)" -m http.server --bind 127.0.0.1 --directory "$(OUTPUTDIR)" "$(PORT)"

devserver: $(VENV)/.installed ## Build, serve on 127.0.0.1:PORT, rebuild and reload on every change
	$(EXPLAINERS) devserver "$(INPUTDIR)" -o "$(OUTPUTDIR)" $(COMMON) --port "$(PORT)"

publish: $(VENV)/.installed ## Production build: make publish SITEURL=https://… (strict)
	@[ -n "$(SITEURL)" ] || { echo "error: give the site's address: make publish SITEURL=https://…" >&2; exit 1; }
	$(EXPLAINERS) build "$(INPUTDIR)" -o "$(OUTPUTDIR)" $(COMMON) --publish $(PUBLISH_STRICT) \
		-e SITEURL="$(SITEURL)"

rsync_upload: publish ## Publish, then copy the site with rsync to DEST (or SSH_TARGET)
	@[ -n "$(DEST)" ] || { echo "error: give the target: make rsync_upload DEST=user@host:/var/www/site" >&2; exit 1; }
	rsync -e "ssh -p $(SSH_PORT)" -rlzc --delete --itemize-changes "$(OUTPUTDIR)/" "$(DEST)"
	@echo "Uploaded $(OUTPUTDIR) to $(DEST)"

github: publish ## Publish, then push the site to the gh-pages branch of GITHUB_REMOTE
	"$(VENV)/bin/ghp-import" -n -p -f -r "$(GITHUB_REMOTE)" -b "$(GITHUB_BRANCH)" \
		-m "Publish $(SITEURL)" "$(OUTPUTDIR)"
	@echo "Pushed $(OUTPUTDIR) to $(GITHUB_REMOTE) $(GITHUB_BRANCH)"

s3_upload: publish ## Publish, then sync the site to the bucket S3_BUCKET (s3cmd)
	@[ -n "$(S3_BUCKET)" ] || { echo "error: give the bucket: make s3_upload S3_BUCKET=name" >&2; exit 1; }
	"$(VENV)/bin/s3cmd" --config=/dev/null $(if $(S3_HOST),--host="$(S3_HOST)" --host-bucket="$(S3_HOST)") \
		$(if $(filter 0,$(S3_SSL)),--no-ssl) sync --delete-removed --no-mime-magic --no-progress \
		"$(OUTPUTDIR)/" "s3://$(S3_BUCKET)/"
	@echo "Synced $(OUTPUTDIR) to s3://$(S3_BUCKET)"

import-sources: $(VENV)/.installed ## Import a CSL-JSON or BibTeX file: make import-sources FILE=…
	@[ -n "$(FILE)" ] || { echo "error: give the file: make import-sources FILE=library.json" >&2; exit 1; }
	@$(EXPLAINERS) import "$(INPUTDIR)" $(COMMON) "$(FILE)"

archive: $(VENV)/.installed ## Archive every cited page not yet archived (network; updates the lockfile)
	@$(EXPLAINERS) archive "$(INPUTDIR)" $(COMMON) $(STRICT_OPTION)

linkcheck: $(VENV)/.installed ## Check every cited page: dead, moved, changed, quote gone (network)
	@$(EXPLAINERS) linkcheck "$(INPUTDIR)" $(COMMON) $(STRICT_OPTION)

lint: $(VENV)/.installed ## Lint the Python code with ruff
	cd "$(ROOT)" && "$(VENV_PY)" -m ruff check plugins tests scripts bench

# Browser-test tools: axe-core from npm (Chromium comes from scripts/install-test-tools).
$(ROOT)/node_modules/.package-lock.json: $(ROOT)/package-lock.json
	@if command -v npm >/dev/null; then cd "$(ROOT)" && npm ci --no-audit --no-fund --loglevel=error; \
		else echo "npm is missing: the accessibility checks will be skipped" >&2; fi

test: $(VENV)/.installed $(ROOT)/node_modules/.package-lock.json lint ## Run the whole test suite
	cd "$(ROOT)" && "$(VENV_PY)" -m pytest $(PYTEST_ARGS)

audit: html ## Page weight of the Kursk explainer, and Lighthouse scores (needs Chromium, npm)
	"$(VENV_PY)" "$(ROOT)/scripts/audit.py" "$(OUTPUTDIR)" $(if $(BYTES_ONLY),--bytes-only)

bench: $(VENV)/.installed ## Time this project against plain Pelican: make bench (N=1000; N=100 quick)
	"$(VENV_PY)" "$(ROOT)/bench/run.py" --n "$(N)" --out "$(BENCH_OUT)" --work "$(BENCH_WORK)" \
		$(if $(shell [ "$(N)" -lt 1000 ] && echo quick),--quick)

clean: ## Remove the built site and caches (never the content)
	rm -rf "$(OUTPUTDIR)" "$(ROOT)/cache"
	find "$(dir $(OUTPUTDIR))" -maxdepth 1 -name ".$(notdir $(OUTPUTDIR)).*" -exec rm -rf {} +
