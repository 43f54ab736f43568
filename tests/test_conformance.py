"""The conformance document: verdict per rule from literal scenario results."""

import pytest

from moncompte import rules
from moncompte.harness.conformance import build, must_failed, verdict
from moncompte.rules.model import Level, Rule, Step

MUST = Rule("R-MUST", "Une règle impérative", "citation", Step.ETAPE_8, Level.MUST)
SHOULD = Rule("R-SHOULD", "Une recommandation", "citation", Step.ETAPE_8, Level.SHOULD)
MAY = Rule("R-MAY", "Une possibilité", "citation", Step.ETAPE_4, Level.MAY)
CATALOGUE = (MUST, SHOULD, MAY)


def result(rule_ids, outcome, driver="api", name="scénario", message=""):
    return {
        "scenario": name,
        "feature": "Mot de passe",
        "driver": driver,
        "outcome": outcome,
        "message": message,
        "rule_ids": rule_ids,
    }


@pytest.mark.parametrize(
    ("rule", "outcomes", "expected"),
    [
        (MUST, ["passed", "failed"], "fail"),
        (MUST, ["failed", "not_applicable"], "fail"),
        (SHOULD, ["passed", "failed"], "warning"),
        (MAY, ["failed"], "warning"),
        (MUST, ["passed", "not_applicable"], "pass"),
        # a scenario that applies but was not checked (the harness could not, or it was cut short): the
        # rule is « non vérifié », never « conforme »
        (MUST, ["passed", "not_applicable", "skipped"], "not_run"),
        (MUST, ["passed", "not_run"], "not_run"),
        (MUST, ["not_run", "failed"], "fail"),
        (SHOULD, ["passed"], "pass"),
        (MUST, ["not_applicable", "skipped"], "not_run"),
        (MUST, ["not_applicable"], "not_applicable"),
        (MUST, ["skipped"], "not_run"),
        (MUST, [], "not_selected"),
    ],
)
def test_verdict(rule, outcomes, expected):
    assert verdict(rule, outcomes) == expected


def test_build_merges_drivers_in_catalogue_order():
    results = [
        result(["R-SHOULD"], "failed", driver="browser", name="s1", message="Le message attendu manque."),
        result(["R-MUST", "R-SHOULD"], "passed", driver="api", name="s2"),
        result(["R-MUST"], "not_applicable", driver="browser", name="s2", message="non applicable : API seule"),
        result(["INCONNUE"], "failed"),
    ]
    doc = build(
        results,
        target="http://127.0.0.1:8000",
        profile="default",
        drivers=["api", "browser"],
        started_at="2025-01-01T10:00:00+00:00",
        finished_at="2025-01-01T10:05:00+00:00",
        catalogue=CATALOGUE,
    )
    assert [(e["id"], e["level"], e["verdict"]) for e in doc["rules"]] == [
        ("R-MUST", "MUST", "pass"),
        ("R-SHOULD", "SHOULD", "warning"),
        ("R-MAY", "MAY", "not_selected"),
    ]
    assert doc["summary"] == {"pass": 1, "fail": 0, "warning": 1, "not_applicable": 0, "not_run": 0, "not_selected": 1}
    assert doc["rules"][0]["scenarios"] == [
        {"name": "s2", "feature": "Mot de passe", "driver": "api", "outcome": "passed", "message": ""},
        {
            "name": "s2",
            "feature": "Mot de passe",
            "driver": "browser",
            "outcome": "not_applicable",
            "message": "non applicable : API seule",
        },
    ]
    assert doc["rules"][0]["title"] == "Une règle impérative"
    assert doc["rules"][0]["step"] == "⑧"
    assert {k: doc[k] for k in ("target", "profile", "drivers")} == {
        "target": "http://127.0.0.1:8000",
        "profile": "default",
        "drivers": ["api", "browser"],
    }
    assert must_failed(doc) == []


def test_must_failure_is_reported():
    doc = build(
        [result(["R-MUST"], "failed"), result(["R-MAY"], "not_applicable")],
        target="t",
        profile="p",
        drivers=["api"],
        started_at="a",
        finished_at="b",
        catalogue=CATALOGUE,
    )
    assert [e["verdict"] for e in doc["rules"]] == ["fail", "not_selected", "not_applicable"]
    assert must_failed(doc) == ["R-MUST"]


def test_artefacts_are_kept_with_their_scenario():
    failed = {**result(["R-MUST"], "failed"), "artefacts": {"screenshot": "reports/browser/s.png"}}
    doc = build(
        [failed], target="t", profile="p", drivers=["browser"], started_at="a", finished_at="b", catalogue=CATALOGUE
    )
    assert doc["rules"][0]["scenarios"][0]["artefacts"] == {"screenshot": "reports/browser/s.png"}


def test_every_catalogue_rule_has_an_entry():
    doc = build([], target="t", profile="p", drivers=[], started_at="a", finished_at="b")
    assert [e["id"] for e in doc["rules"]] == [r.id for r in rules.RULES]
    assert doc["summary"]["not_selected"] == len(rules.RULES)


def test_a_known_deviation_is_expected_fail_without_hiding_another_failure():
    ticket = {"reason": "25 caractères acceptés", "ticket": "https://suivi.exemple.fr/RECETTE-25"}
    OTHER = Rule("R-AUTRE", "Une autre règle impérative", "citation", Step.ETAPE_8, Level.MUST)
    results = [result(["R-MUST"], "failed"), result(["R-SHOULD"], "passed"), result(["R-AUTRE"], "failed")]
    doc = build(
        results,
        target="t",
        profile="p",
        drivers=["api"],
        started_at="a",
        finished_at="b",
        catalogue=(*CATALOGUE, OTHER),
        deviations={"R-MUST": ticket, "R-SHOULD": ticket},
    )
    entries = {e["id"]: e for e in doc["rules"]}
    assert entries["R-MUST"]["verdict"] == "expected_fail" and entries["R-MUST"]["deviation"] == ticket
    assert entries["R-AUTRE"]["verdict"] == "fail"  # not declared: still a failure
    assert must_failed(doc) == ["R-AUTRE"]
    # declared but now respected: the profile is out of date, and it is said
    assert entries["R-SHOULD"]["verdict"] == "pass" and entries["R-SHOULD"]["deviation_resolved"] is True
    assert doc["deviations_resolved"] == ["R-SHOULD"]
    assert doc["summary"]["expected_fail"] == 1 and doc["summary"]["fail"] == 1
