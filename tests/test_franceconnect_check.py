"""``moncompte check`` with no target starts the reference *and* its FranceConnect stand-in:
the FranceConnect scenarios run, and pass, with both drivers.

One run (one reference, one simulator) for both drivers and both rules, to stay fast; the
assertions name the driver and the scenario that did not pass.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from moncompte.harness import targets
from tests.schemacheck import read_report

REPO = Path(__file__).resolve().parents[1]

FC_RULES = ("FC-CREATION", "FC-CONNEXION")

needs_reference = pytest.mark.skipif(
    not (REPO / "reference_impl" / "franceconnect" / "simulator.py").exists(),
    reason="le simulateur FranceConnect (reference_impl/franceconnect) n'est pas là",
)


@needs_reference
def test_check_starts_the_franceconnect_stand_in_and_the_fc_rules_pass_with_both_drivers(tmp_path):
    proc = subprocess.run(
        [*targets.MONCOMPTE, "check", "--tags", " or ".join(FC_RULES), "--report", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=900,
    )
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "FranceConnect : simulateur démarré sur http://127.0.0.1:" in proc.stdout, output

    document = read_report(tmp_path)
    assert document["drivers"] == ["api", "browser"]
    entries = {e["id"]: e for e in document["rules"] if e["id"] in FC_RULES}
    assert {i: e["verdict"] for i, e in entries.items()} == dict.fromkeys(FC_RULES, "pass"), output
    for rule_id, entry in entries.items():
        # Every scenario of the rule ran and passed with each driver: none not applicable, none skipped.
        by_driver = {d: [s for s in entry["scenarios"] if s["driver"] == d] for d in ("api", "browser")}
        for driver, scenarios in by_driver.items():
            assert scenarios, f"{rule_id} : aucun scénario avec le pilote {driver}"
            not_passed = [(s["name"], s["outcome"], s["message"]) for s in scenarios if s["outcome"] != "passed"]
            assert not not_passed, f"{rule_id}, pilote {driver} : {not_passed}"
        assert len(by_driver["api"]) == len(by_driver["browser"]), entry["scenarios"]
    assert {s["name"] for s in entries["FC-CREATION"]["scenarios"]} >= {
        "Créer son compte avec FranceConnect",
        "Une identité FranceConnect qui ne correspond à aucune personne connue de la Caf ne crée rien",
        "Une réponse qui ne répond pas à la demande que le site a faite à FranceConnect ne crée rien",
    }
