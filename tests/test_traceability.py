"""Traceability: the features prove every MUST and SHOULD rule, with well-formed tags and defined steps."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_bdd.feature import get_features

from moncompte import rules
from moncompte.rules.model import Level, Step

REPO = Path(__file__).resolve().parent.parent
FEATURES = REPO / "features"
STEP_TAGS = {step.tag for step in Step}
from moncompte.steps.conftest import EXTRA_MARKERS  # noqa: E402

EXTRA_TAGS = set(EXTRA_MARKERS)
RULE_LIKE = re.compile(r"^[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+$")
FOLDERS = (
    "01-acces",
    "04-etat-civil",
    "05-piece-identite",
    "06-07-coordonnees-code",
    "08-mot-de-passe",
    "09-recapitulatif-connexion",
    "roles-du-foyer",
    "chatbot",
    "franceconnect",
    "securite",
)


def scenario_tag_sets():
    """(feature file, scenario name, tags) for each scenario and each tagged block of examples."""
    for feature in get_features([str(FEATURES)]):
        for scenario in feature.scenarios.values():
            base = set(scenario.tags) | set(feature.tags) | (set(scenario.rule.tags) if scenario.rule else set())
            blocks = [ex.tags for ex in scenario.examples] or [set()]
            for extra in blocks:
                yield Path(feature.filename).relative_to(REPO), scenario.name, base | set(extra or ())


SCENARIOS = list(scenario_tag_sets())


def test_the_features_exist_in_one_folder_per_part_of_the_guide():
    for folder in FOLDERS:
        assert list((FEATURES / folder).glob("*.feature")), f"aucun scénario dans features/{folder}"
        assert (FEATURES / folder / "README.md").is_file(), f"features/{folder}/README.md manque"


def test_every_feature_is_french_and_quotes_the_guide():
    for path in FEATURES.rglob("*.feature"):
        text = path.read_text(encoding="utf-8")
        assert text.startswith("# language: fr"), f"{path.name} : « # language: fr » en première ligne"
    for feature in get_features([str(FEATURES)]):
        assert "«" in feature.description, f"{feature.filename} : la Fonctionnalité doit citer le guide"


def test_every_must_and_should_rule_is_proved_by_a_scenario():
    tagged = set().union(*(tags for _, _, tags in SCENARIOS))
    required = {r.id for r in rules.RULES if r.level in (Level.MUST, Level.SHOULD)}
    missing = sorted(required - tagged)
    assert not missing, f"règles sans scénario : {missing}"


def test_every_rule_tag_is_a_catalogue_id():
    unknown = sorted(
        {
            (str(f), name, tag)
            for f, name, tags in SCENARIOS
            for tag in tags
            if RULE_LIKE.match(tag) and tag not in rules.BY_ID
        }
    )
    assert not unknown, f"étiquettes qui ne sont pas des règles du catalogue : {unknown}"


def test_every_tag_is_a_registered_marker():
    known = set(rules.BY_ID) | STEP_TAGS | EXTRA_TAGS
    unknown = sorted({(str(f), tag) for f, _, tags in SCENARIOS for tag in tags if tag not in known})
    assert not unknown, f"étiquettes inconnues : {unknown}"


def test_every_scenario_has_exactly_one_step_tag_and_a_rule():
    for path, name, tags in SCENARIOS:
        steps = tags & STEP_TAGS
        assert len(steps) == 1, f"{path} « {name} » : une étiquette d'étape attendue, trouvé {sorted(steps)}"
        assert tags & set(rules.BY_ID), f"{path} « {name} » : aucune règle prouvée"


def test_every_step_has_a_definition():
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "steps/test_conformite.py",
            "--generate-missing",
            "--feature",
            "features",
            "-p",
            "no:cacheprovider",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = proc.stdout + proc.stderr
    assert "is not defined" not in output and "is not bound" not in output, output[-4000:]
    assert proc.returncode == 0, output[-4000:]


@pytest.mark.parametrize("marker", ["MDP-LONGUEUR", "etape_8", "navigateur_seulement"])
def test_markers_select_scenarios(marker):
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "steps/test_conformite.py", "--collect-only", "-q", "-m", marker],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert re.search(r"\b[1-9]\d*/\d+ tests collected", proc.stdout), proc.stdout[-2000:]
