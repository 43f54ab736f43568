"""The conformance document: per-rule verdicts from the scenario results of one or more runs.

Pure functions, no I/O. A *result* is one record of ``steps.report`` (a scenario
run with one driver); the document has one entry for every rule of the
catalogue, in catalogue order, whether a scenario proved it or not.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

from moncompte import rules
from moncompte.rules.model import Level, Rule
from moncompte.steps.results import ScenarioResult

PASS, FAIL, WARNING, NOT_APPLICABLE, NOT_RUN = "pass", "fail", "warning", "not_applicable", "not_run"
NOT_SELECTED = "not_selected"  # no scenario of the rule in this run (a part of the suite was asked for)
VERDICTS = (PASS, FAIL, WARNING, NOT_APPLICABLE, NOT_RUN, NOT_SELECTED)
EXPECTED_FAIL = "expected_fail"  # a failure the site profile declares as a known deviation
# The one French name of each verdict (console, report.html, documentation)
LABELS = {
    PASS: "conforme",
    FAIL: "non conforme",
    WARNING: "avertissement",
    NOT_APPLICABLE: "non applicable",
    NOT_RUN: "non vérifié",
    NOT_SELECTED: "non exécuté",
    EXPECTED_FAIL: "écart connu",
}


def verdict(rule: Rule, outcomes: Iterable[str]) -> str:
    """A rule's verdict from the outcomes of the scenarios tagged with it.

    A failure fails a MUST rule and is a warning for a SHOULD or MAY rule. Else the rule is
    conforming only if every scenario that applies passed and at least one ran: a scenario the
    harness could not check (``not_run``: a test identity missing, a code it cannot age…) makes it
    *non vérifié*, never conforming. Else, when every scenario was not applicable (declared so by
    the profile, or by the scenario for this driver or site), the rule is not applicable; with no
    scenario at all in the run, not selected.
    """
    seen = set(outcomes)
    if not seen:
        return NOT_SELECTED
    if "failed" in seen:
        return FAIL if rule.level is Level.MUST else WARNING
    if "not_run" in seen or "skipped" in seen:
        return NOT_RUN
    if "passed" in seen:
        return PASS
    return NOT_APPLICABLE


OUTCOMES = ("passed", "failed", "not_run", "not_applicable")


def counts(scenarios: Iterable[ScenarioResult]) -> dict[str, int]:
    """How many of a rule's scenarios passed, failed, were not checked (``not_run``, ``skipped`` counted
    with them) or not applicable."""
    out = dict.fromkeys(OUTCOMES, 0)
    for scenario in scenarios:
        outcome = "not_run" if scenario["outcome"] == "skipped" else scenario["outcome"]
        out[outcome] = out.get(outcome, 0) + 1
    return out


def scenario_entry(result: ScenarioResult) -> dict[str, Any]:
    entry = {
        "name": result["scenario"],
        "feature": result["feature"],
        "driver": result["driver"],
        "outcome": result["outcome"],
        "message": result.get("message", ""),
    }
    if result.get("artefacts"):
        entry["artefacts"] = dict(result["artefacts"])
    if result.get("retry"):
        entry["retry"] = result["retry"]
    for key in ("device", "arrangement"):
        if result.get(key):
            entry[key] = result[key]
    return entry


def build(
    results: Iterable[ScenarioResult],
    *,
    target: str,
    profile: str,
    drivers: Sequence[str],
    started_at: str,
    finished_at: str,
    catalogue: Sequence[Rule] = rules.RULES,
    deviations: Mapping[str, Mapping[str, str]] | None = None,
    not_applicable: Mapping[str, str] | None = None,
    about: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Merge the scenario results of every run into the conformance document.

    ``deviations`` (rule ID → ``{"reason", "ticket"}``, the profile's known deviations):
    a rule listed there whose verdict is ``fail`` or ``warning`` becomes ``expected_fail``
    (it no longer fails the run); one that passes keeps ``pass`` and is flagged
    ``deviation_resolved`` (the profile is out of date); either way the entry carries
    its ``deviation``. ``not_applicable`` (rule ID → reason): the rule's verdict is
    ``not_applicable`` with that ``reason`` (its scenarios were deselected).
    The summary counts ``expected_fail`` only when deviations are declared, and lists
    ``deviations_resolved``. ``about``: what made the verdicts (``harness.schemas.environment``), put first.
    """
    deviations = dict(deviations or {})
    not_applicable = dict(not_applicable or {})
    by_rule: dict[str, list[ScenarioResult]] = {rule.id: [] for rule in catalogue}
    for result in results:
        for rule_id in result.get("rule_ids", ()):
            if rule_id in by_rule:
                by_rule[rule_id].append(result)
    entries = []
    for rule in catalogue:
        scenarios = by_rule[rule.id]
        entry = {
            "id": rule.id,
            "title": rule.title,
            "step": str(rule.step),
            "level": str(rule.level),
            "origin": rule.origin,
            **({"beyond_guide": rule.beyond_guide} if rule.beyond_guide else {}),
            **({"rgaa": list(rule.rgaa)} if rule.rgaa else {}),
            "verdict": verdict(rule, (s["outcome"] for s in scenarios)),
            "counts": counts(scenarios),
            "scenarios": [scenario_entry(s) for s in scenarios],
        }
        not_checked = [s for s in scenarios if s["outcome"] in ("not_run", "skipped")]
        if entry["verdict"] == NOT_RUN:
            entry["reason"] = not_checked[0].get("message") or "non vérifié"
        if rule.id in not_applicable:
            entry["verdict"] = NOT_APPLICABLE
            entry["reason"] = not_applicable[rule.id]
        elif rule.id in deviations:
            entry["deviation"] = dict(deviations[rule.id])
            if entry["verdict"] in (FAIL, WARNING):
                entry["verdict"] = EXPECTED_FAIL
            elif entry["verdict"] == PASS:
                entry["deviation_resolved"] = True
        entries.append(entry)
    verdicts = (*VERDICTS, EXPECTED_FAIL) if deviations else VERDICTS
    summary = {v: sum(1 for e in entries if e["verdict"] == v) for v in verdicts}
    resolved = [e["id"] for e in entries if e.get("deviation_resolved")]
    document = {
        **(about or {}),
        "target": target,
        "profile": profile,
        "drivers": list(drivers),
        "started_at": started_at,
        "finished_at": finished_at,
        "summary": summary,
        "rules": entries,
    }
    if resolved:
        document["deviations_resolved"] = resolved
    return document


def must_failed(document: Mapping[str, Any]) -> list[str]:
    """IDs of the MUST rules whose verdict is ``fail`` (the run's exit code depends on it)."""
    return [e["id"] for e in document["rules"] if e["verdict"] == FAIL]


def must_not_checked(document: Mapping[str, Any]) -> list[str]:
    """IDs of the MUST rules *non vérifiées* (``not_run``): ``--strict`` fails the run on them."""
    return [e["id"] for e in document["rules"] if e["verdict"] == NOT_RUN and e["level"] == str(Level.MUST)]


def warnings(document: Mapping[str, Any]) -> list[str]:
    """IDs of the SHOULD and MAY rules that failed (``--echec-sur-avertissement`` fails the run on them)."""
    return [e["id"] for e in document["rules"] if e["verdict"] == WARNING]
