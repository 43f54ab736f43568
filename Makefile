# Plain entry points. Each target sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
REPORT ?= reports

.PHONY: check test bench mutation install chromium serve rules clean

## make check : la suite de conformité contre l'implémentation de référence (rapport dans reports/)
check: install chromium
	$(BIN)/moncompte check --report $(REPORT)

## make test : les tests du harnais et de l'implémentation de référence
test: install chromium
	$(BIN)/python -m pytest

## make bench : le banc de mesure (harnais contre scripts écrits à la main, débit de la référence)
bench: install chromium
	$(BIN)/python -m bench

## make mutation : test de mutation des règles (rules/) avec mutmut ; les mutants survivants sont revus dans tests/rules/MUTANTS.md
mutation: install
	test -x $(BIN)/mutmut || $(BIN)/python -m pip install --quiet "mutmut>=3.8,<4"
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $(STAMP)

chromium: install
	$(BIN)/python -m steps.browser_setup

serve: install
	$(BIN)/moncompte serve --test-mode

rules: install
	$(BIN)/moncompte rules

clean:
	rm -rf $(VENV) $(REPORT) build *.egg-info
