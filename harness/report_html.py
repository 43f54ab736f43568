"""``report.html``: the conformance report a product owner reads, in French, one file.

Built from ``conformance.json`` and the catalogue: a summary, then the guide's
steps in order, each with its quote and its rules; each rule with its verdict as
a coloured badge and its scenarios; for each failure the message (expected and
observed), the screenshot inline and a link to the Playwright trace.
"""

from __future__ import annotations

import base64
import mimetypes
import os
from pathlib import Path
from typing import Any, Mapping

from jinja2 import Environment, PackageLoader, select_autoescape

from moncompte import rules
from moncompte.harness import conformance
from moncompte.rules import guide
from moncompte.rules.model import Step

VERDICT_LABELS = {verdict: label[0].upper() + label[1:] for verdict, label in conformance.LABELS.items()}
OUTCOME_LABELS = {
    "passed": "réussi",
    "failed": "échoué",
    "not_applicable": "non applicable",
    "not_run": "non vérifié",
    "skipped": "ignoré",
}
COUNT_LABELS = (
    ("passed", "réussis"),
    ("failed", "échoués"),
    ("not_run", "non vérifiés"),
    ("not_applicable", "non applicables"),
)

_env = Environment(loader=PackageLoader("moncompte.harness", "templates"), autoescape=select_autoescape(["html"]))


def _inline(path: str | None, base: Path) -> str | None:
    """A data: URI of an image, so the report stays one self-contained file."""
    if not path:
        return None
    file = Path(path) if Path(path).is_absolute() else base / path
    if not file.is_file():
        return None
    mime = mimetypes.guess_type(file.name)[0] or "image/png"
    return f"data:{mime};base64,{base64.b64encode(file.read_bytes()).decode()}"


def _link(path: str | None, base: Path) -> str | None:
    if not path:
        return None
    file = Path(path) if Path(path).is_absolute() else base / path
    return os.path.relpath(file, base) if file.exists() else None


def context(document: Mapping[str, Any], report_dir: Path) -> dict[str, Any]:
    """What the template shows: the guide's steps in order, each with its rules and verdicts."""
    entries = {e["id"]: e for e in document["rules"]}
    steps = []
    for step in Step:
        step_rules = [r for r in rules.RULES if r.step is step and r.id in entries]
        if not step_rules:
            continue
        passage = guide.passages().get(str(step), "")
        shown = []
        for rule in step_rules:
            entry = entries[rule.id]
            scenarios = []
            for s in entry.get("scenarios", []):
                artefacts = s.get("artefacts") or {}
                scenarios.append(
                    {
                        **s,
                        "outcome_label": OUTCOME_LABELS.get(s["outcome"], s["outcome"]),
                        "screenshot": _inline(artefacts.get("screenshot"), report_dir),
                        "trace": _link(artefacts.get("trace"), report_dir),
                    }
                )
            drivers = {}
            for driver in document.get("drivers", []):
                own = [s["outcome"] for s in entry.get("scenarios", []) if s["driver"] == driver]
                verdict = conformance.verdict(rule, own)
                drivers[driver] = {"verdict": verdict, "label": VERDICT_LABELS.get(verdict, verdict)}
            counts = entry.get("counts") or conformance.counts(entry.get("scenarios", []))
            shown.append(
                {
                    "rule": rule,
                    "verdict": entry["verdict"],
                    "verdict_label": VERDICT_LABELS.get(entry["verdict"], entry["verdict"]),
                    "reason": entry.get("reason", "") or _deviation_text(entry),
                    "scenarios": scenarios,
                    "drivers": drivers,
                    "counts": ", ".join(f"{counts[k]} {label}" for k, label in COUNT_LABELS if counts.get(k)),
                    "open": any(s["outcome"] == "failed" for s in scenarios),
                }
            )
        steps.append({"step": step, "passage": passage, "rules": shown})
    summary = [
        {"verdict": v, "label": VERDICT_LABELS[v], "count": n}
        for v, n in document["summary"].items()
        if v in VERDICT_LABELS
    ]
    every = [item for part in steps for item in part["rules"]]
    return {
        "doc": document,
        "steps": steps,
        "summary": summary,
        "must_failed": [i["rule"].id for i in every if i["verdict"] == "fail"],
        "must_not_checked": [
            i["rule"].id for i in every if i["verdict"] == "not_run" and i["rule"].level.value == "MUST"
        ],
        "choices": [i["rule"].id for i in every if i["rule"].beyond_guide],
    }


def _deviation_text(entry: Mapping[str, Any]) -> str:
    """The profile's known deviation of a rule, said in French (empty when none)."""
    deviation = entry.get("deviation")
    if not deviation:
        return ""
    ticket = f" (ticket : {deviation['ticket']})" if deviation.get("ticket") else ""
    if entry.get("deviation_resolved"):
        return f"Écart déclaré dans le profil mais la règle est respectée : mettez le profil à jour. {deviation['reason']}{ticket}"
    return f"Écart connu : {deviation['reason']}{ticket}"


def render(document: Mapping[str, Any], report_dir: Path) -> str:
    return _env.get_template("report.html.j2").render(**context(document, Path(report_dir)))


def write(document: Mapping[str, Any], report_dir: Path) -> Path:
    out = Path(report_dir) / "report.html"
    out.write_text(render(document, Path(report_dir)), encoding="utf-8")
    return out
