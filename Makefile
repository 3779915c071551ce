# Explainers: write, check, build, preview and publish the site. `make help` lists the targets.

# The project's own folder, so that `make -f path/to/Makefile` works from anywhere.
ROOT := $(patsubst %/,%,$(dir $(abspath $(lastword $(MAKEFILE_LIST)))))

PY ?= python3
VENV ?= $(ROOT)/.venv
INPUTDIR ?= $(ROOT)/content
OUTPUTDIR ?= $(ROOT)/output
CONFFILE ?= $(ROOT)/pelican.conf.py
# What builds keep to go faster (read by pelican.conf.py); `make clean` removes it.
CACHEDIR ?= $(ROOT)/cache
# STRICT=1: warnings fail too (STRICT=0 turns it off for `make publish`, where it is on).
# DEBUG, STRICT, CITED and BYTES_ONLY are switches: on when set to anything but 0.
STRICT ?=
# DEBUG=1: Pelican's debug output and tracebacks.
DEBUG ?=
# FORMAT=json: `make check` prints its problems as JSON, for editors; FORMAT=github, as
# GitHub Actions annotations.
FORMAT ?= text
# `make new TITLE="…"`: the new explainer's title.
TITLE ?=
# `make serve` and `make devserver`: the port on 127.0.0.1.
PORT ?= 8000
# `make publish`: the site's public address, e.g. https://explainers.example.org
SITEURL ?=
# Deploy targets: where `make rsync_upload` copies the site, DEST or else SSH_TARGET (a local
# folder or user@host:/path), the git remote and branch of `make github`, the bucket of
# `make s3_upload` (and, for an S3-compatible service other than AWS, its host, e.g.
# S3_HOST=127.0.0.1:9000 S3_SSL=0).
# s3cmd reads its keys from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
SSH_TARGET ?=
DEST ?=
SSH_PORT ?= 22
GITHUB_REMOTE ?= origin
GITHUB_BRANCH ?= gh-pages
S3_BUCKET ?=
S3_HOST ?=
S3_SSL ?= 1
# `make import-sources FILE=library.json` (CSL-JSON) or FILE=library.bib (BibTeX); CITED=1
# imports only the sources some explainer already cites. `make check FILE=content/x.md`:
# check that one file.
FILE ?=
CITED ?=
# `make bench`: the number of synthetic explainers (below 1000: a quick run, budgets not enforced).
N ?= 1000
BENCH_OUT ?= $(ROOT)/bench/results
BENCH_WORK ?= $(ROOT)/bench/work
# BYTES_ONLY=1: `make audit` reports the page weight only, without Lighthouse.
BYTES_ONLY ?=
# Extra arguments for pytest, e.g. PYTEST_ARGS="-k 'citations and not slow' -x": the one
# variable split into words (as the shell splits them, quotes grouping), never run as code.
PYTEST_ARGS ?=

# Every value reaches the commands as literal text. make itself would expand a value given
# on the command line or in the environment ("$412M" loses "$4"; "$(shell …)" runs), and a
# value pasted into a recipe is shell code. So each one is taken once as typed ($(value …);
# the defaults above are expanded, for $(ROOT)), exported, and named in recipes only as
# "$$NAME": one argument, whatever it holds.
VARIABLES := ROOT PY VENV INPUTDIR OUTPUTDIR CONFFILE CACHEDIR STRICT DEBUG FORMAT TITLE PORT SITEURL \
	SSH_TARGET DEST SSH_PORT GITHUB_REMOTE GITHUB_BRANCH S3_BUCKET S3_HOST S3_SSL FILE CITED N \
	BENCH_OUT BENCH_WORK BYTES_ONLY PYTEST_ARGS
literal = $(if $(filter file,$(origin $1)),$($1),$(value $1))
$(foreach name,$(VARIABLES),$(eval override $(name) := $$(call literal,$(name))))
# An empty DEST falls back to SSH_TARGET too: a make run from a recipe of this one finds
# DEST in its environment, set and empty.
ifeq ($(DEST),)
override DEST := $(SSH_TARGET)
endif
export $(VARIABLES)

# Values with a shape are checked in the shell, on the literal value, with one error line.
# $(call whole_number,NAME,LOW,HIGH)
whole_number = case "$$$1" in ''|*[!0-9]*|??????????*) false;; esac && [ "$$$1" -ge $2 ] && [ "$$$1" -le $3 ] || \
	{ printf 'error: %s must be a whole number from %s to %s; got "%s"\n' $1 $2 $3 "$$$1" >&2; exit 2; }
# $(call one_of,NAME,WORD WORD)
space := $(subst ,, )
comma := ,
one_of = case "$$$1" in $(subst $(space),|,$2)) ;; *) \
	printf 'error: %s must be one of %s; got "%s"\n' $1 '$(subst $(space),$(comma)$(space),$2)' "$$$1" >&2; exit 2;; esac
# $(call git_name,NAME): a remote or branch that git cannot take for one of its options.
git_name = case "$$$1" in ''|-*) printf 'error: %s must be a name that does not begin with "-"; got "%s"\n' $1 "$$$1" >&2; exit 2;; esac

PYTHON := "$$VENV/bin/python"
EXPLAINERS := PYTHONPATH="$$ROOT/plugins" $(PYTHON) -m explainers
# Options take their values as --name=VALUE and folders come after --, so that a value
# beginning with "-" is still a value.
# A switch is on when set to anything but 0: DEBUG=1 on, DEBUG=0 (or empty) off.
switch = $(filter-out 0,$($1))
COMMON := --settings="$$CONFFILE" $(if $(call switch,DEBUG),--debug)
STRICT_OPTION := $(if $(call switch,STRICT),--strict)
PUBLISH_STRICT := $(if $(filter 0,$(STRICT)),,--strict)

.DEFAULT_GOAL := help
.PHONY: help venv dev-tools html check new schema translations serve devserver publish rsync_upload github s3_upload \
	import-sources archive linkcheck test lint audit bench clean

help: ## Show this list of targets
	@grep -E '^[a-zA-Z0-9_-]+:.*## ' "$$ROOT/Makefile" | \
		awk 'BEGIN {FS = ":.*## "}; {printf "  make %-15s %s\n", $$1, $$2}'
	@echo "Variables: INPUTDIR, OUTPUTDIR, CONFFILE, CACHEDIR, STRICT, DEBUG, FORMAT, TITLE, PORT, SITEURL,"
	@echo "  DEST, SSH_TARGET, SSH_PORT, GITHUB_REMOTE, GITHUB_BRANCH, S3_BUCKET, S3_HOST, S3_SSL,"
	@echo "  FILE, CITED, N, BENCH_OUT, BENCH_WORK, BYTES_ONLY, PYTEST_ARGS, PY, VENV (see README.md)"

# The virtual environment, made again whenever the pinned requirements change. A stamp file
# checked in the shell, not a make target: VENV is a value like any other, not make syntax.
venv: ## Set up .venv from the pinned requirements (every target that needs it does this)
	@[ "$$VENV/.installed" -nt "$$ROOT/requirements.txt" ] || { \
		"$$PY" -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
			{ echo "error: Python 3.11 or newer is needed (set PY=python3.11)" >&2; exit 1; }; \
		[ -x "$$VENV/bin/python" ] || "$$PY" -m venv "$$VENV" || exit 1; \
		echo "Installing the pinned requirements into $$VENV"; \
		"$$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$$ROOT/requirements.txt" && \
			touch "$$VENV/.installed"; }

html: venv ## Build the site into OUTPUTDIR (left as it was if the build fails)
	@$(EXPLAINERS) build $(COMMON) --output="$$OUTPUTDIR" $(STRICT_OPTION) -- "$$INPUTDIR"

check: venv ## Check every explainer and the sources library (FILE=…: one file); write nothing
	@$(call one_of,FORMAT,text json github)
	@$(EXPLAINERS) check $(COMMON) $(STRICT_OPTION) --format="$$FORMAT" $(if $(FILE),--file="$$FILE") -- "$$INPUTDIR"

# The title reaches the command through the environment ($$TITLE), as every value does.
new: venv ## Start a new explainer: make new TITLE="…"
	@$(EXPLAINERS) new $(COMMON) -- "$$INPUTDIR"

schema: venv ## Write the JSON Schemas for editors into schema/
	@$(EXPLAINERS) schema $(COMMON)

# The theme's strings: extracted from its templates (and the date patterns in language.py)
# into messages.pot, then merged into every language's messages.po, new strings untranslated.
translations: venv ## Update the theme's catalogs (theme/translations) from its templates
	@cd "$$ROOT" && "$$VENV/bin/pybabel" -q extract -F theme/babel.cfg -k N_ -k NC_:1c,2 --add-comments=TRANSLATORS: \
		--sort-output --no-location --no-wrap --project=Explainers \
		-o theme/translations/messages.pot theme/templates plugins/explainers/render
	@cd "$$ROOT" && "$$VENV/bin/pybabel" -q update -i theme/translations/messages.pot -d theme/translations \
		--no-wrap --no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date

serve: ## Serve OUTPUTDIR as it is on http://127.0.0.1:PORT
	@$(call whole_number,PORT,1,65535)
	@printf 'Serving %s on http://127.0.0.1:%s/ (Ctrl-C stops)\n' "$$OUTPUTDIR" "$$PORT"
	@"$$PY" "$$ROOT/plugins/explainers/tools/localhost.py" --directory="$$OUTPUTDIR" --port="$$PORT"

# exec: the shell gives way to the devserver, make's own child, so it stops when make is
# stopped and ends Ctrl-C with "Stopped." and success; a shell left waiting would die of
# the SIGINT, and make report an interrupted recipe.
devserver: venv ## Build, serve on 127.0.0.1:PORT, rebuild and reload on every change
	@$(call whole_number,PORT,1,65535)
	@exec env $(EXPLAINERS) devserver $(COMMON) --output="$$OUTPUTDIR" --port="$$PORT" -- "$$INPUTDIR"

publish: venv ## Production build: make publish SITEURL=https://… (strict)
	@[ -n "$$SITEURL" ] || { echo "error: give the site's address: make publish SITEURL=https://…" >&2; exit 1; }
	@$(EXPLAINERS) build $(COMMON) --output="$$OUTPUTDIR" --publish $(PUBLISH_STRICT) \
		-e "SITEURL=$$SITEURL" -- "$$INPUTDIR"

rsync_upload: publish ## Publish, then copy the site with rsync to DEST (or SSH_TARGET)
	@[ -n "$$DEST" ] || { echo "error: give the target: make rsync_upload DEST=user@host:/var/www/site" >&2; exit 1; }
	@$(call whole_number,SSH_PORT,1,65535)
	rsync -e "ssh -p $$SSH_PORT" -rlzc --delete --itemize-changes -- "$$OUTPUTDIR/" "$$DEST"
	@printf 'Uploaded %s to %s\n' "$$OUTPUTDIR" "$$DEST"

github: publish ## Publish, then push the site to the gh-pages branch of GITHUB_REMOTE
	@$(call git_name,GITHUB_REMOTE)
	@$(call git_name,GITHUB_BRANCH)
	"$$VENV/bin/ghp-import" -n -p -f -r "$$GITHUB_REMOTE" -b "$$GITHUB_BRANCH" \
		-m "Publish $$SITEURL" -- "$$OUTPUTDIR"
	@printf 'Pushed %s to %s %s\n' "$$OUTPUTDIR" "$$GITHUB_REMOTE" "$$GITHUB_BRANCH"

s3_upload: publish ## Publish, then sync the site to the bucket S3_BUCKET (s3cmd)
	@[ -n "$$S3_BUCKET" ] || { echo "error: give the bucket: make s3_upload S3_BUCKET=name" >&2; exit 1; }
	"$$VENV/bin/s3cmd" --config=/dev/null $(if $(S3_HOST),--host="$$S3_HOST" --host-bucket="$$S3_HOST") \
		$(if $(filter 0,$(S3_SSL)),--no-ssl) sync --delete-removed --no-mime-magic --no-progress \
		-- "$$OUTPUTDIR/" "s3://$$S3_BUCKET/"
	@printf 'Synced %s to s3://%s\n' "$$OUTPUTDIR" "$$S3_BUCKET"

import-sources: venv ## Import a CSL-JSON or BibTeX file: make import-sources FILE=…
	@[ -n "$$FILE" ] || { echo "error: give the file: make import-sources FILE=library.json" >&2; exit 1; }
	@$(EXPLAINERS) import $(COMMON) $(if $(call switch,CITED),--cited) -- "$$INPUTDIR" "$$FILE"

archive: venv ## Archive every cited page not yet archived (network; updates the lockfile)
	@$(EXPLAINERS) archive $(COMMON) $(STRICT_OPTION) -- "$$INPUTDIR"

linkcheck: venv ## Check every cited page: dead, moved, changed, quote gone (network)
	@$(EXPLAINERS) linkcheck $(COMMON) $(STRICT_OPTION) -- "$$INPUTDIR"

# The test, lint, browser and bench tools (requirements-dev.txt) go into the same venv, for
# the targets that use them: `make html` needs none of them. Made again when their pins change.
dev-tools: venv ## Add the pinned test tools to .venv (make test and make lint do this)
	@[ "$$VENV/.installed-dev" -nt "$$ROOT/requirements-dev.txt" ] || { \
		echo "Installing the pinned test tools into $$VENV"; \
		"$$VENV/bin/python" -m pip install --quiet --disable-pip-version-check -r "$$ROOT/requirements-dev.txt" && \
			touch "$$VENV/.installed-dev"; }

lint: dev-tools ## Lint the Python code with ruff
	cd "$$ROOT" && $(PYTHON) -m ruff check plugins tests scripts bench

# Browser-test tools: axe-core from npm (Chromium comes from scripts/install-test-tools).
$(ROOT)/node_modules/.package-lock.json: $(ROOT)/package-lock.json
	@if command -v npm >/dev/null; then cd "$$ROOT" && npm ci --no-audit --no-fund --loglevel=error; \
		else echo "npm is missing: the accessibility checks will be skipped" >&2; fi

# PYTEST_ARGS is split into words by Python's shlex, as a shell would split them, but
# nothing in it is run: no $(…), no backticks, no ";".
# Two steps, named as they run: the code's tests, on their own fixtures (never content/),
# then `make check` of the site's content, so that CI checks both and a writer's mistake is
# never reported as the code's.
test: dev-tools $(ROOT)/node_modules/.package-lock.json lint ## Test the code, then check the site's content
	@echo "make test, step 1 of 2: the code's tests (pytest, on the tests' own fixtures)"
	cd "$$ROOT" && $(PYTHON) -c 'import os, shlex, sys, pytest; sys.exit(pytest.main(shlex.split(os.environ["PYTEST_ARGS"])))'
	@echo "make test, step 2 of 2: the site's content (make check of INPUTDIR)"
	@$(EXPLAINERS) check $(COMMON) $(STRICT_OPTION) --format=text -- "$$INPUTDIR" || { \
		echo "make test: the code's tests passed; the site's content has problems (step 2, make check)" >&2; \
		exit 1; }

audit: html ## Page weight of the Kursk explainer, and Lighthouse scores (needs Chromium, npm)
	$(PYTHON) "$$ROOT/scripts/audit.py" $(if $(call switch,BYTES_ONLY),--bytes-only) -- "$$OUTPUTDIR"

bench: venv ## Time this project against plain Pelican: make bench (N=1000; N=100 quick)
	@$(call whole_number,N,1,1000000)
	set --; [ "$$N" -ge 1000 ] || set -- --quick; \
		$(PYTHON) "$$ROOT/bench/run.py" --n="$$N" --out="$$BENCH_OUT" --work="$$BENCH_WORK" "$$@"

# The folders a killed build left beside the output (.NAME.building-…) go too; the name is
# compared as text, never as a pattern, so OUTPUTDIR='*' removes nothing else.
clean: ## Remove the built site and caches (never the content)
	rm -rf -- "$$OUTPUTDIR" "$$CACHEDIR"
	@folder=$$(dirname -- "$$OUTPUTDIR") && name=$$(basename -- "$$OUTPUTDIR") && \
		for path in "$$folder"/.[!.]* "$$folder"/..?*; do \
			case "$$path" in "$$folder/.$$name".*) rm -rf -- "$$path";; esac; \
		done
