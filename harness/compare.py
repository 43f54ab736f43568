"""``moncompte compare``: what changed between two runs of the same profile.

``moncompte compare PRÉCÉDENT ACTUEL`` reads two reports (report folders, or their ``conformance.json``)
and says in French:

- the rules newly failing (now ``fail`` or ``warning``, which they were not), newly conforming (now
  ``pass``), newly *non vérifiées* (now ``not_run``), and the other verdict changes (``expected_fail``,
  ``not_applicable``, ``not_selected``…), each with both verdicts (``conformance.LABELS``);
- the scenarios whose outcome changed, matched by feature, scenario name (with its example's values),
  driver and device (when the run emulated several), with both outcomes and both messages; and how
  many scenarios are in one report only.

Exit code: 1 when a MUST rule regressed, that is, its verdict is now ``fail`` and was anything else
(``expected_fail`` included: the profile no longer declares the deviation); with ``--strict``, also a
MUST rule that was ``pass`` and is now ``not_run`` (no longer proved conforming, without a failure:
``check --strict`` fails a run on it, so ``compare --strict`` calls it a regression); else 0.
Exit code 2: a report that cannot be read, or reports of different profiles (comparing them says
nothing of a change). Different targets (``merge.same_target``: a target on this machine is the same
whatever its port) or tool versions are said on stderr, and the comparison is made.

``--format json``: the same as a JSON object (``diff``), for a CI.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, NamedTuple

from moncompte.harness import conformance
from moncompte.harness.exits import EXIT_ERROR, EXIT_FAIL, EXIT_OK, CheckError
from moncompte.harness.merge import DOCUMENT_FILE, same_target, tool_version
from moncompte.harness.report_html import OUTCOME_LABELS

FAILING = (conformance.FAIL, conformance.WARNING)
MUST = "MUST"
MESSAGE_WIDTH = 300
ABSENT = "absente"  # a rule in one report only (the catalogue changed between the two versions)

# the groups of verdict changes, in the order they are printed, with their French title
GROUPS = (
    ("newly_failing", "Règles désormais en échec"),
    ("newly_passing", "Règles désormais conformes"),
    ("newly_not_run", "Règles désormais non vérifiées"),
    ("other", "Autres changements de verdict"),
)


def command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    parser.add_argument(
        "previous", metavar="PRÉCÉDENT", help="rapport précédent : dossier de rapports ou conformance.json"
    )
    parser.add_argument("current", metavar="ACTUEL", help="rapport actuel : dossier de rapports ou conformance.json")
    parser.add_argument(
        "--format", choices=["texte", "json"], default="texte", help="texte (défaut) ou json (pour une CI)"
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="code de sortie 1 aussi quand une règle MUST conforme est devenue « non vérifiée »",
    )

    def run(args: argparse.Namespace) -> int:
        try:
            previous, current = read_report(Path(args.previous)), read_report(Path(args.current))
            for warning in compatibility_warnings(previous, current):
                print(f"moncompte compare : attention, {warning}", file=sys.stderr)
        except CheckError as exc:
            print(f"moncompte compare : {exc}", file=sys.stderr)
            return EXIT_ERROR
        result = diff(previous, current, strict=args.strict)
        result["previous"]["path"], result["current"]["path"] = str(args.previous), str(args.current)
        if args.format == "json":
            print(json.dumps(result, ensure_ascii=False, indent=2))
        else:
            print("\n".join(render(result, strict=args.strict)))
        return result["exit_code"]

    return run


def read_report(path: Path) -> dict[str, Any]:
    """The conformance document of a report folder or file, or CheckError saying in French why not."""
    file = path / DOCUMENT_FILE if path.is_dir() else path
    if not file.is_file():
        raise CheckError(
            f"{path} : pas de rapport de conformité ici (un dossier de rapports avec {DOCUMENT_FILE}, ou ce fichier)"
        )
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckError(f"{file} illisible : {exc}") from None
    if (
        not isinstance(document, dict)
        or not isinstance(document.get("rules"), list)
        or not all(isinstance(e, dict) and {"id", "verdict"} <= e.keys() for e in document["rules"])
        or "profile" not in document
    ):
        raise CheckError(f"{file} n'est pas un rapport de conformité de « moncompte check »")
    return document


def compatibility_warnings(previous: Mapping[str, Any], current: Mapping[str, Any]) -> list[str]:
    """CheckError for reports of different profiles; the differences worth saying otherwise."""
    if previous["profile"] != current["profile"]:
        raise CheckError(
            f"profils différents (« {previous['profile']} » puis « {current['profile']} ») : comparez deux"
            " exécutions du même profil"
        )
    warnings = []
    before, after = previous.get("target", ""), current.get("target", "")
    if not same_target(before, after):
        warnings.append(f"cibles différentes ({before} puis {after})")
    if "tool" in previous and "tool" in current and tool_version(previous) != tool_version(current):
        warnings.append(f"versions de l'outil différentes ({tool_version(previous)} puis {tool_version(current)})")
    return warnings


def _label(verdict: str | None) -> str:
    return ABSENT if verdict is None else conformance.LABELS.get(verdict, verdict)


def _outcome(outcome: str | None) -> str | None:
    return conformance.NOT_RUN if outcome == "skipped" else outcome


def group_of(before: str | None, after: str | None) -> str:
    """Which group a verdict change belongs to (``GROUPS``)."""
    if after in FAILING and before not in FAILING:
        return "newly_failing"
    if after == conformance.PASS:
        return "newly_passing"
    if after == conformance.NOT_RUN:
        return "newly_not_run"
    return "other"


class ScenarioKey(NamedTuple):
    """How a scenario of one report is found in the other."""

    feature: str
    name: str
    driver: str
    device: str  # the device emulated, when the run had several (else empty)
    rank: int  # for a name met twice under a rule: which one

    def described(self) -> dict[str, str]:
        return {"feature": self.feature, "name": self.name, "driver": self.driver, "device": self.device}


def scenarios(document: Mapping[str, Any]) -> dict[ScenarioKey, dict[str, Any]]:
    """Each scenario of a report once (it is listed under each of its rules), keyed by feature, name,
    driver, device and, for names met twice under a rule, which one; with the IDs of its rules."""
    found: dict[ScenarioKey, dict[str, Any]] = {}
    for entry in document["rules"]:
        seen: dict[tuple[str, ...], int] = {}
        for s in entry.get("scenarios", ()):
            base = (s.get("feature", ""), s.get("name", ""), s.get("driver", ""), s.get("device") or "")
            key = ScenarioKey(*base, seen.get(base, 0))
            seen[base] = key.rank + 1
            record = found.setdefault(key, {**s, "rule_ids": []})
            record["rule_ids"].append(entry["id"])
    return found


def _side(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "target": document.get("target"),
        "profile": document.get("profile"),
        "started_at": document.get("started_at"),
        "finished_at": document.get("finished_at"),
        "tool_version": (document.get("tool") or {}).get("version"),
    }


def diff(previous: Mapping[str, Any], current: Mapping[str, Any], *, strict: bool = False) -> dict[str, Any]:
    """What changed from ``previous`` to ``current`` (both conformance documents), and the exit code."""
    before = {e["id"]: e for e in previous["rules"]}
    after = {e["id"]: e for e in current["rules"]}
    ids = [e["id"] for e in current["rules"]] + [i for i in before if i not in after]
    groups: dict[str, list[dict[str, Any]]] = {name: [] for name, _ in GROUPS}
    regressions = []
    for rule_id in ids:
        old, new = before.get(rule_id), after.get(rule_id)
        old_verdict, new_verdict = (old or {}).get("verdict"), (new or {}).get("verdict")
        if old_verdict == new_verdict:
            continue
        entry = new or old or {}
        change = {
            "id": rule_id,
            "title": entry.get("title", ""),
            "level": entry.get("level", ""),
            "previous": old_verdict,
            "current": new_verdict,
        }
        if new_verdict == conformance.NOT_RUN and new and new.get("reason"):
            change["reason"] = new["reason"]
        groups[group_of(old_verdict, new_verdict)].append(change)
        if change["level"] == MUST and (
            (new_verdict == conformance.FAIL and old_verdict != conformance.FAIL)
            or (strict and old_verdict == conformance.PASS and new_verdict == conformance.NOT_RUN)
        ):
            regressions.append(rule_id)

    old_scenarios, new_scenarios = scenarios(previous), scenarios(current)
    flipped = []
    for key, new in new_scenarios.items():
        old = old_scenarios.get(key)
        if old is None or _outcome(old.get("outcome")) == _outcome(new.get("outcome")):
            continue
        flipped.append(
            {
                **key.described(),
                "rule_ids": new["rule_ids"],
                "previous": {"outcome": old.get("outcome"), "message": old.get("message", "")},
                "current": {"outcome": new.get("outcome"), "message": new.get("message", "")},
            }
        )

    def listed(keys: Iterable[ScenarioKey]) -> list[dict[str, str]]:
        return [key.described() for key in keys]

    return {
        "previous": _side(previous),
        "current": _side(current),
        "rules": groups,
        "scenarios": {
            "flipped": flipped,
            "only_previous": listed(k for k in old_scenarios if k not in new_scenarios),
            "only_current": listed(k for k in new_scenarios if k not in old_scenarios),
        },
        "regressions": regressions,
        "changed": any(groups.values()) or bool(flipped),
        "exit_code": EXIT_FAIL if regressions else EXIT_OK,
    }


def _first_line(message: str) -> str:
    line = (message or "").strip().splitlines()[0] if (message or "").strip() else ""
    return line[:MESSAGE_WIDTH] + ("…" if len(line) > MESSAGE_WIDTH else "") if line else "(sans message)"


def render(result: Mapping[str, Any], *, strict: bool = False) -> list[str]:
    """The comparison in French, for the console."""
    previous, current = result["previous"], result["current"]
    lines = [
        f"Comparaison du profil « {current['profile']} » : {previous.get('path') or 'précédent'}"
        f" ({previous.get('started_at') or '?'}) → {current.get('path') or 'actuel'} ({current.get('started_at') or '?'})"
    ]
    only_old, only_new = result["scenarios"]["only_previous"], result["scenarios"]["only_current"]
    if not result["changed"]:
        lines.append(
            "Rien n'a changé : mêmes verdicts pour chaque règle, même résultat pour chaque scénario des deux rapports."
        )
    for name, title in GROUPS:
        changes = result["rules"][name]
        if not changes:
            continue
        lines.append("")
        lines.append(f"{title} ({len(changes)}) :")
        width = max(len(c["id"]) for c in changes)
        for c in changes:
            reason = f" ({_first_line(c['reason'])})" if c.get("reason") else ""
            lines.append(
                f"  {c['id']:<{width}}  {c['level']:<6}  {_label(c['previous'])} → {_label(c['current'])}"
                f"  {c['title']}{reason}"
            )
    flipped = result["scenarios"]["flipped"]
    if flipped:
        lines.append("")
        lines.append(f"Scénarios dont le résultat a changé ({len(flipped)}) :")
        for s in flipped:
            old, new = s["previous"], s["current"]
            where = ", ".join(filter(None, (s["driver"], s["device"])))
            lines.append(
                f"  [{where}] {s['feature']} / {s['name']} ({', '.join(s['rule_ids'])}) :"
                f" {OUTCOME_LABELS.get(old['outcome'], old['outcome'])} → {OUTCOME_LABELS.get(new['outcome'], new['outcome'])}"
            )
            lines.append(f"      avant : {_first_line(old['message'])}")
            lines.append(f"      après : {_first_line(new['message'])}")
    if only_old or only_new:
        lines.append("")
        lines.append(
            f"Scénarios présents dans un seul rapport : {len(only_old)} seulement dans le précédent,"
            f" {len(only_new)} seulement dans l'actuel (sélections différentes ?)."
        )
    lines.append("")
    if result["regressions"]:
        strict_note = " ou désormais non vérifiées (--strict)" if strict else ""
        lines.append(
            f"Régression : règles MUST désormais non conformes{strict_note} : {', '.join(result['regressions'])}"
            " (code de sortie 1)."
        )
    else:
        lines.append("Aucune règle MUST n'a régressé.")
    return lines
