"""What ``moncompte check`` prints at the end: a line per rule, the failures under it, the summary."""

from __future__ import annotations

from typing import Any, Mapping

from moncompte.harness import conformance

FAILURES_SHOWN = 3  # failed scenarios shown under a rule on the console
VERDICT_LABELS = conformance.LABELS


def rule_lines(document: Mapping[str, Any]) -> list[str]:
    """A line per rule: verdict, ID, title; under a failed rule, its first failed scenarios and why."""
    id_width = max((len(e["id"]) for e in document["rules"]), default=0)
    label_width = max(len(label) for label in VERDICT_LABELS.values())
    indent = " " * (label_width + 2)
    lines = []
    for entry in document["rules"]:
        choice = " (choix du projet)" if entry.get("origin") == "projet" else ""
        lines.append(
            f"{VERDICT_LABELS[entry['verdict']]:<{label_width}}  {entry['id']:<{id_width}}  {entry['title']}{choice}"
        )
        failed = [s for s in entry["scenarios"] if s["outcome"] == "failed"]
        for s in failed[:FAILURES_SHOWN]:
            reason = f" : {s['message'].splitlines()[0]}" if s["message"] else ""
            lines.append(f"{indent}↳ [{s['driver']}] {s['feature']} / {s['name']}{reason}")
        if len(failed) > FAILURES_SHOWN:
            lines.append(f"{indent}↳ … et {len(failed) - FAILURES_SHOWN} autres scénarios en échec (conformance.json)")
        if entry["verdict"] == conformance.NOT_RUN and entry.get("reason"):
            lines.append(f"{indent}↳ {entry['reason'].splitlines()[0][:300]}")
    return lines


def summary_line(document: Mapping[str, Any]) -> str:
    counts = ", ".join(f"{VERDICT_LABELS[v]} : {n}" for v, n in document["summary"].items())
    failed = conformance.must_failed(document)
    verdict = f"Règles MUST en échec : {', '.join(failed)}." if failed else "Aucune règle MUST en échec."
    not_checked = conformance.must_not_checked(document)
    if not_checked:
        verdict += f" Règles MUST non vérifiées : {', '.join(not_checked)}."
    return f"Résumé ({len(document['rules'])} règles) : {counts}. {verdict}"
