# ia-assistent: `make run` to talk to the assistant, `make test` to check it. `make help` lists all.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Local settings (see .env.example); `make VAR=value` on the command line still wins.
-include .env
export

VENV := .venv
PY := $(VENV)/bin/python
RASA := $(VENV)/bin/rasa
MODEL := models/ia-assistent.tar.gz
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055

export TF_CPP_MIN_LOG_LEVEL := 2
# No telemetry or error reports leave the machine.
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
export PYTHONPATH := $(CURDIR)

# What the model is trained from: a change to any of these retrains on the next run/test.
# (bot/intent_ensemble.py, bot/stemmer.py and bot/english_terms.py: the trained intent classifier
# and its features.)
TRAINING_INPUTS := config.yml domain.yml $(wildcard data/nlu/*.yml data/stories/*.yml) \
	build/spacy-nb/meta.json bot/intent_ensemble.py bot/stemmer.py bot/english_terms.py

.PHONY: help install train validate run serve actions shell web test bench clean

help: ## List the commands
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(VENV)/.complete build/spacy-nb/meta.json: requirements.txt constraints.txt .python-version scripts/install.sh
	@bash scripts/install.sh

install: $(VENV)/.complete build/spacy-nb/meta.json ## Create .venv (Python 3.10) and the Norwegian spaCy pipeline

$(MODEL): $(VENV)/.complete $(TRAINING_INPUTS)
	@echo "Training the model (a few minutes) ..."
	$(RASA) train --force --fixed-model-name ia-assistent --out models

train: $(MODEL) ## Train the model if the data, domain or config changed

validate: install ## Check domain, data and stories for mistakes (warnings fail)
	$(RASA) data validate --fail-on-warnings

run: $(MODEL) web ## Start the assistant and a demo page with the web chat on localhost (prints its address)
	@bash scripts/run.sh web

shell: $(MODEL) ## Chat with the assistant in this terminal (starts the action server too)
	@bash scripts/run.sh shell

serve: $(MODEL) ## Run the assistant over HTTP (REST channel) with its action server
	@bash scripts/run.sh serve

actions: install ## Run only the action server
	$(RASA) run actions --actions actions --port $(ACTIONS_PORT)

# The web chat: npm packages pinned by web/package-lock.json, bundled into one file Rasa serves.
WEB_BUNDLE := web/dist/ia-chat.js
web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	@command -v npm >/dev/null || { echo "error: the web chat needs Node.js 20 and npm (apt-get install nodejs npm)" >&2; exit 1; }
	cd web && npm ci --ignore-scripts --no-audit --no-fund

$(WEB_BUNDLE): web/node_modules/.package-lock.json $(wildcard web/src/*)
	cd web && npm run build

web: $(WEB_BUNDLE) ## Build the web chat (web/dist/ia-chat.js) from the pinned npm packages

test: $(MODEL) web ## Validate the data, test the stories, run pytest (NLU, actions, servers)
	$(RASA) data validate --fail-on-warnings
	$(RASA) test core --stories tests/stories --model $(MODEL) --fail-on-prediction-errors --out results/stories
	$(PY) -m pytest

bench: $(MODEL) ## Measure latency, throughput, memory, start-up and training time (bench/RESULTS.md)
	$(PY) bench/run.py --profile-turn

clean: ## Remove the trained model, results and local conversation store
	rm -rf models results build .pytest_cache rasa.db trackers.db trackers.db-wal trackers.db-shm web/dist web/node_modules
