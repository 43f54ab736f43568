# Plain entry points. Each target sets up what it needs on a fresh machine.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
REPORT ?= reports

.PHONY: check test bench mutation install chromium serve rules clean lock lint

## make check : la suite de conformité contre l'implémentation de référence (rapport dans reports/)
check: install chromium
	$(BIN)/moncompte check --report $(REPORT)

## make test : les tests du harnais et de l'implémentation de référence
test: install chromium
	$(BIN)/python -m pytest --durations=25

## make bench : le banc de mesure (harnais contre scripts écrits à la main, débit de la référence)
bench: install chromium
	$(BIN)/python -m moncompte.bench

## make mutation : test de mutation des règles (rules/) avec mutmut ; les mutants survivants sont revus dans tests/rules/MUTANTS.md
mutation: install
	test -x $(BIN)/mutmut || $(BIN)/python -m pip install --quiet "mutmut>=3.8,<4"
	$(BIN)/mutmut run --max-children 2
	$(BIN)/mutmut results

install: $(STAMP)

# the pinned versions of requirements/test.txt (the lock), then the checkout itself, editable
$(STAMP): pyproject.toml requirements/test.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(STAMP)

## make lint : mettre le code en forme et le vérifier (ruff ; make test échoue s'il n'est pas propre)
lint: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

## make lock : recalculer les versions figées (requirements/*.txt) depuis les plages de pyproject.toml
lock: install
	$(BIN)/python -m pip install --quiet "pip-tools>=7.4,<8"
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links -o requirements/runtime.txt pyproject.toml
	$(BIN)/pip-compile --quiet --strip-extras --no-emit-index-url --no-emit-find-links --extra test -o requirements/test.txt pyproject.toml

chromium: install
	$(BIN)/python -m moncompte.steps.browser_setup

serve: install
	$(BIN)/moncompte serve --test-mode

rules: install
	$(BIN)/moncompte rules

clean:
	rm -rf $(VENV) $(REPORT) build *.egg-info
