# Self-documenting: `make` alone lists the targets (each target's `##` comment).
.DEFAULT_GOAL := help
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The stamp is newer than pyproject.toml once the venv holds what it pins.
STAMP := $(VENV)/.installed

.PHONY: help install test lab

help: ## List the targets
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | sort | awk 'BEGIN {FS = ":.*## "}; {printf "  make %-14s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; found " + sys.version.split()[0])'
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (workbook)" >/dev/null
	touch $(STAMP)

install: $(STAMP) ## Create .venv and install the pinned dependencies (only when pyproject.toml changed)

test: $(STAMP) ## Run every test: helpers, properties, bad data, notebooks (nbval)
	$(BIN)/python -m pytest

lab: $(STAMP) ## Open JupyterLab on notebooks/
	$(BIN)/jupyter lab --notebook-dir=notebooks $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: report bench verify-report
SCENARIO ?= params/article.yaml
DATE ?= $(shell date +%F)
JOBS ?=
REPORTS ?= reports

report: $(STAMP) ## Run every notebook into reports/DATE/ (SCENARIO=params/....yaml DATE=YYYY-MM-DD JOBS=N to change)
	$(BIN)/python -m helpers.report --scenario $(SCENARIO) --date $(DATE) --out $(REPORTS) $(if $(JOBS),--jobs $(JOBS))

# DATE given on the command line picks that run; otherwise the newest good run in REPORTS.
verify-report: $(STAMP) ## Re-run a report's notebooks with nbval, fail on any differing output (DATE=YYYY-MM-DD REPORTS=dir)
	$(BIN)/python -m helpers.report.verify --out $(REPORTS) $(if $(filter command line,$(origin DATE)),--date $(DATE))

bench: $(STAMP) ## Time a full report run beside its floor (kernel start + imports x notebooks / cores)
	$(BIN)/python -m helpers.tools.bench $(if $(JOBS),--jobs $(JOBS))

.PHONY: app bench-widgets
APP_PORT ?= 8866
# Voila flags as in tests/test_browser.py; the jupytext lab extension fails to load in Voila.

app: $(STAMP) ## Serve the what-if notebook as a web page (Voila) on localhost:8866 (APP_PORT=... to change)
	$(BIN)/voila notebooks/08-what-if.ipynb --no-browser --port=$(APP_PORT) --Voila.ip=127.0.0.1 \
		'--VoilaConfiguration.extension_denylist=["jupyterlab-jupytext"]'

bench-widgets: $(STAMP) ## Time what-if changes in process beside floors from the same run: calculation / a bare widget round trip, redraw / a bare chart line's update (median, p95)
	$(BIN)/python -m helpers.tools.bench_widgets

.PHONY: bench-browser
bench-browser: $(STAMP) ## Time what-if changes (volume, GPU, throughput source, API model, uncertainty) in Chromium beside a bare echo page from the same Voila: ratios of medians and p95s
	$(BIN)/python -m helpers.tools.bench_browser

.PHONY: prices
AT ?=
PRICES_OUTPUT ?=

prices: $(STAMP) ## Today's API prices from the price database (offline) into data/api_prices_current.csv (AT=2026-11-27T12:00:00Z to fix the instant; default: now)
	$(BIN)/python -m helpers.tools.prices $(if $(AT),--at $(AT)) $(if $(PRICES_OUTPUT),--output $(PRICES_OUTPUT))

.PHONY: bench-uncertainty
bench-uncertainty: $(STAMP) ## Time the Monte Carlo: 20,000 draws x 200 volumes x every API (< 1 s)
	$(BIN)/python -m helpers.uncertainty.bench $(if $(SCENARIO_BENCH),--scenario $(SCENARIO_BENCH))
