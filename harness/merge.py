"""``moncompte merge``: the report folders of several shards of one run merged into one report folder.

``moncompte check --shard K/N`` runs a slice of the scenarios; each CI machine writes its own report
folder. ``moncompte merge DOSSIER1 DOSSIER2 … --report SORTIE`` makes of them the report one run of
every scenario would have written:

- ``conformance.json``: the per-rule verdicts recomputed over every scenario (``conformance.build`` on
  the shards' ``results.json`` records, put together), with the profile's known deviations (entries'
  ``deviation``) and the rules the profile declares not applicable (verdict ``not_applicable`` with a
  ``reason``: ``build`` gives a reason to no other not-applicable entry) taken from the shards'
  documents; what made the verdicts (``schema_version``, ``tool``, ``environment``) from the first
  shard (the browser and device from the first shard that used the browser); ``started_at`` the
  earliest, ``finished_at`` the latest; the drivers of every shard (api, then browser);
- ``results.json``: every record, the api driver's first, each driver's in the order of the folders given;
- ``junit.xml``: one ``<testsuite>`` per driver holding the test cases of every shard, its counts
  (tests, failures, errors, skipped) recounted from the cases, its time the sum of the shards';
- ``cucumber.json``: the features of the same id (which names the driver) made one, their scenarios
  (``elements``) one after the other;
- ``report.html``.

**Artefacts are copied.** Each screenshot and trace of a record is copied into SORTIE at the place it
had in its shard folder (``browser/artefacts/<scénario>/screenshot.png``, ``browser/nouvel-essai/…``),
and the record's path is rewritten relative to SORTIE: the merged folder stands on its own (CI keeps
it as one artefact, the shard folders can go). A shard's paths are those of the machine that wrote
it (absolute): the file is looked for under the shard folder by the longest end of its path found
there, so a folder downloaded elsewhere still gives its artefacts. An artefact found nowhere keeps
its path, and the merge says how many are missing. SORTIE is itself a report folder that merges
(its artefacts' paths are relative to it).

The merge refuses (exit code 2): a folder without ``conformance.json`` or ``results.json``, reports of
different profiles, targets or tool versions (of the report's shape, or of the tool), and shards that
overlap (the same scenario, node id and driver, and device when the run emulated several, in two
folders). Targets on the machine itself
(``127.0.0.1``, ``localhost``) are the same target whatever their port: without ``--target``, each
shard starts the reference on a free port.

Shards that say their part (``shard``, « K/N ») but leave parts out, or come from different cuts,
are said on stderr (the merge is made).

Exit code: as ``moncompte check`` (``check.exit_code``: 1 when a MUST rule fails; ``--strict``,
``--echec-sur-avertissement``), and the same lines on the console.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from moncompte.harness import ci_formats, conformance, report_html
from moncompte.harness.check import DRIVERS, RESULTS_FILE, conclude
from moncompte.harness.exits import CheckError, add_exit_options, guarded
from moncompte.steps import shard as shard_part
from moncompte.steps.results import ScenarioResult

DOCUMENT_FILE = "conformance.json"
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
OVERLAPS_SHOWN = 5


@dataclass
class Shard:
    """One report folder: its conformance document and its scenario records."""

    folder: Path
    document: dict[str, Any]
    results: list[ScenarioResult]


def command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    parser.add_argument(
        "folders",
        nargs="+",
        metavar="DOSSIER",
        help="dossiers de rapports des fragments (--shard K/N) d'une même vérification",
    )
    parser.add_argument(
        "--report", metavar="DOSSIER", required=True, help="dossier du rapport fusionné (créé au besoin)"
    )
    add_exit_options(parser)

    return guarded("merge", merge_command)


def merge_command(args: argparse.Namespace) -> int:
    out = Path(args.report).resolve()
    shards = [read_shard(Path(folder)) for folder in args.folders]
    if out in {shard.folder for shard in shards}:
        raise CheckError(f"le dossier du rapport fusionné ({out}) ne peut pas être l'un des dossiers à fusionner")
    document, missing = merge(shards, out)
    if gap := parts_missing(shard.document for shard in shards):
        print(f"moncompte merge : attention, {gap}", file=sys.stderr)
    scenarios = sum(len(shard.results) for shard in shards)

    print(f"Fusion de {len(shards)} rapport(s), {scenarios} scénario(s) → {out}")
    if missing:
        print(
            f"{missing} artefact(s) (captures, traces) introuvable(s) dans les dossiers fusionnés :"
            " leur chemin est gardé tel quel.",
            file=sys.stderr,
        )
    files = f"{out}/conformance.json, {RESULTS_FILE}, junit.xml, cucumber.json, report.html"
    return conclude(document, files, args.strict, args.fail_on_warning)


# ── reading and checking the shards ───────────────────────────────────────────


def read_json(path: Path, hint: str = "") -> Any:
    """The JSON of a report file, or CheckError saying in French why it cannot be read."""
    if not path.is_file():
        raise CheckError(
            f"{path.parent} n'est pas un dossier de rapport de « moncompte check » : {path.name} absent{hint}"
        )
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CheckError(f"{path} illisible : {exc}") from None


def read_shard(folder: Path) -> Shard:
    folder = folder.resolve()
    if not folder.is_dir():
        raise CheckError(f"{folder} n'est pas un dossier")
    document = read_json(folder / DOCUMENT_FILE)
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise CheckError(f"{folder / DOCUMENT_FILE} n'est pas un rapport de conformité (pas de liste « rules »)")
    missing = [key for key in ("target", "profile", "tool", "schema_version") if key not in document]
    if missing:
        raise CheckError(
            f"{folder / DOCUMENT_FILE} n'est pas un rapport de conformité complet (absent : {', '.join(missing)})"
        )
    results = read_json(folder / RESULTS_FILE, " (un rapport d'une version plus ancienne de l'outil ?)")
    if not isinstance(results, list) or not all(
        isinstance(r, dict) and {"nodeid", "driver", "outcome"} <= r.keys() for r in results
    ):
        raise CheckError(f"{folder / RESULTS_FILE} n'est pas une liste de résultats de scénarios")
    return Shard(folder, document, results)


def same_target(a: str, b: str) -> bool:
    """Whether two targets are the same site: the same URL, or both on this machine (the port aside: a
    run without ``--target`` starts the reference on a free port)."""
    if a.rstrip("/") == b.rstrip("/"):
        return True
    first, second = urlsplit(a), urlsplit(b)
    return (
        first.hostname in LOOPBACK_HOSTS
        and second.hostname in LOOPBACK_HOSTS
        and first.scheme == second.scheme
        and first.path.rstrip("/") == second.path.rstrip("/")
    )


def tool_version(document: Mapping[str, Any]) -> str:
    tool = document.get("tool") or {}
    return f"{tool.get('version', '?')} (schéma {document.get('schema_version', '?')})"


def check_compatible(shards: Sequence[Shard]) -> None:
    """CheckError unless every shard is of the same run: profile, target, tool version, no scenario twice."""
    first = shards[0]
    for shard in shards[1:]:
        here, there = first.document, shard.document
        if shard.folder == first.folder:
            raise CheckError(f"le dossier {shard.folder} est donné deux fois")
        if here["profile"] != there["profile"]:
            raise CheckError(
                f"profils différents : « {here['profile']} » ({first.folder}) et « {there['profile']} »"
                f" ({shard.folder}) ; seuls les fragments d'une même vérification se fusionnent"
            )
        if not same_target(here["target"], there["target"]):
            raise CheckError(
                f"cibles différentes : {here['target']} ({first.folder}) et {there['target']} ({shard.folder})"
            )
        if tool_version(here) != tool_version(there):
            raise CheckError(
                f"versions de l'outil différentes : {tool_version(here)} ({first.folder}) et"
                f" {tool_version(there)} ({shard.folder}) ; relancez les fragments avec la même version"
            )
    seen: dict[tuple[str, str, str], Path] = {}
    overlaps = []
    for shard in shards:
        for key in {(r["nodeid"], r["driver"], r.get("device") or "") for r in shard.results}:
            if key in seen:
                where = ", ".join(filter(None, key[1:]))
                overlaps.append(f"[{where}] {key[0]} ({seen[key].name} et {shard.folder.name})")
            else:
                seen[key] = shard.folder
    if overlaps:
        more = f" … et {len(overlaps) - OVERLAPS_SHOWN} autres" if len(overlaps) > OVERLAPS_SHOWN else ""
        raise CheckError(
            f"des fragments se recouvrent : {len(overlaps)} scénario(s) dans deux dossiers, par exemple "
            + " ; ".join(sorted(overlaps)[:OVERLAPS_SHOWN])
            + more
            + ". Fusionnez les fragments K/N d'une même vérification, chacun une fois."
        )


def parts_missing(documents: Iterable[Mapping[str, Any]]) -> str | None:
    """What is missing of a run cut in parts (the documents' ``shard``, « K/N »), said in French; None
    when every part is there (or the reports say nothing of their part)."""
    parts = []
    for document in documents:
        if not document.get("shard"):
            continue
        try:
            parts.append(shard_part.parse(document["shard"]))
        except shard_part.ShardError:
            continue
    if not parts:
        return None
    if len({count for _, count in parts}) > 1:
        return f"parts de découpages différents ({', '.join(f'{k}/{n}' for k, n in sorted(parts))})"
    count = parts[0][1]
    absent = sorted(set(range(1, count + 1)) - {index for index, _ in parts})
    if not absent:
        return None
    return (
        f"part(s) absente(s) : {', '.join(f'{k}/{count}' for k in absent)} ; leurs scénarios manquent au"
        " rapport fusionné (leurs règles peuvent y être « non exécutées »)"
    )


# ── the merged document ───────────────────────────────────────────────────────


def profile_declarations(documents: Iterable[Mapping[str, Any]]) -> tuple[dict[str, dict], dict[str, str]]:
    """The profile's known deviations (rule ID → deviation) and not-applicable rules (rule ID → reason)
    as the documents show them (``conformance.build`` gives them back)."""
    deviations: dict[str, dict] = {}
    not_applicable: dict[str, str] = {}
    for document in documents:
        for entry in document["rules"]:
            if entry.get("deviation"):
                deviations.setdefault(entry["id"], dict(entry["deviation"]))
            if entry.get("verdict") == conformance.NOT_APPLICABLE and entry.get("reason"):
                not_applicable.setdefault(entry["id"], entry["reason"])
    return deviations, not_applicable


def _when(value: str) -> tuple[int, Any]:
    """A sort key of a report's date (ISO 8601; one that does not read as a date sorts after the dates)."""
    try:
        moment = datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return (1, str(value))
    return (0, (moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)).timestamp())


def about(documents: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """``schema_version``, ``tool`` and ``environment`` of the first document; the browser and device of
    the first that used the browser."""
    first = documents[0]
    found = {key: first[key] for key in ("schema_version", "tool", "environment") if key in first}
    if "environment" in found:
        environment = dict(found["environment"])
        for key in ("browser", "device"):
            if not environment.get(key):
                environment[key] = next(
                    (d["environment"][key] for d in documents if d.get("environment", {}).get(key)), None
                )
        found["environment"] = environment
    return found


def merged_drivers(documents: Iterable[Mapping[str, Any]]) -> list[str]:
    used = {driver for document in documents for driver in document.get("drivers", ())}
    return [d for d in DRIVERS if d in used] + sorted(used - set(DRIVERS))


def _driver_rank(driver: str) -> int:
    return DRIVERS.index(driver) if driver in DRIVERS else len(DRIVERS)


def merge(shards: Sequence[Shard], out: Path) -> tuple[dict[str, Any], int]:
    """Write the merged report in ``out``: (the conformance document, how many artefacts were not found)."""
    if not shards:
        raise CheckError("aucun dossier de rapport à fusionner")
    check_compatible(shards)
    out.mkdir(parents=True, exist_ok=True)
    copier = ArtefactCopier(out)
    results: list[ScenarioResult] = []
    for shard in shards:
        for result in shard.results:
            result = dict(result)  # type: ignore[assignment]
            if result.get("artefacts"):
                result["artefacts"] = {
                    kind: copier.copy(path, shard.folder) for kind, path in result["artefacts"].items()
                }
            results.append(result)  # type: ignore[arg-type]
    results.sort(key=lambda r: _driver_rank(r["driver"]))  # stable: each driver's in the folders' order

    documents = [shard.document for shard in shards]
    deviations, not_applicable = profile_declarations(documents)
    drivers = merged_drivers(documents)
    document = conformance.build(
        results,
        target=documents[0]["target"],
        profile=documents[0]["profile"],
        drivers=drivers,
        started_at=min((d["started_at"] for d in documents), key=_when),
        finished_at=max((d["finished_at"] for d in documents), key=_when),
        deviations=deviations,
        not_applicable=not_applicable,
        about=about(documents),
    )
    (out / DOCUMENT_FILE).write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    (out / RESULTS_FILE).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    (out / "junit.xml").write_text(merge_junit_reports([s.folder / "junit.xml" for s in shards]), encoding="utf-8")
    cucumber = merge_cucumber_reports(shards)
    (out / "cucumber.json").write_text(json.dumps(cucumber, ensure_ascii=False, indent=1), encoding="utf-8")
    report_html.write(document, out)
    return document, copier.missing


# ── artefacts ─────────────────────────────────────────────────────────────────


class ArtefactCopier:
    """Copies a shard's artefact files into the merged folder; gives their path relative to it."""

    def __init__(self, out: Path):
        self.out = out
        self.copied: dict[Path, str] = {}  # source file → its path in the merged folder
        self.taken: set[str] = set()
        self.missing = 0

    def copy(self, path: str, shard_folder: Path) -> str:
        found = locate(path, shard_folder)
        if found is None:
            self.missing += 1
            return path
        source, relative = found
        if source in self.copied:
            return self.copied[source]
        name = relative.as_posix()
        if name in self.taken:  # two shards with a file at the same place: keep both
            name = (Path(f"fragment-{shard_folder.name}") / relative).as_posix()
        target = self.out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.resolve() != target.resolve():
            shutil.copy2(source, target)
        self.copied[source] = name
        self.taken.add(name)
        return name


def locate(path: str, shard_folder: Path) -> tuple[Path, Path] | None:
    """(the artefact file, its place relative to the shard folder), or None when it is nowhere.

    A relative path is relative to the shard folder. An absolute one was written on the machine of the
    shard: the longest end of it that names a file under the shard folder is the file (the folder may
    have been moved or downloaded); else the path itself, when the file is there (kept under
    ``artefacts/``, by its folder and name)."""
    given = Path(path)
    parts = given.relative_to(given.anchor).parts if given.is_absolute() else given.parts
    for start in range(len(parts)):
        candidate = shard_folder.joinpath(*parts[start:])
        if candidate.is_file():
            return candidate, Path(*parts[start:])
    if given.is_absolute() and given.is_file():
        return given, Path("artefacts", given.parent.name, given.name)
    return None


# ── JUnit XML and Cucumber JSON ───────────────────────────────────────────────


def merge_junit_reports(paths: Sequence[Path]) -> str:
    """The shards' ``junit.xml`` (``ci_formats.merge_junit``'s) in one: a ``<testsuite>`` per driver with
    every shard's test cases, counts recounted; a missing or unreadable file is said on stderr."""
    suites: dict[str, ET.Element] = {}
    times: dict[str, float] = {}
    for path in paths:
        try:
            parsed = ET.fromstring(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ET.ParseError) as exc:
            print(f"moncompte merge : {path} ignoré ({exc})", file=sys.stderr)
            continue
        for suite in [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite"):
            name = suite.get("name", "")
            times[name] = times.get(name, 0.0) + float(suite.get("time", 0) or 0)
            if name not in suites:
                suites[name] = suite
                continue
            merged = suites[name]
            if (stamp := suite.get("timestamp")) and stamp < merged.get("timestamp", stamp):
                merged.set("timestamp", stamp)
            for case in suite.findall("testcase"):
                merged.append(case)
    root = ET.Element("testsuites", name="moncompte check")
    totals = dict.fromkeys(ci_formats.JUNIT_COUNTS, 0)
    order = [f"conformite-{driver}" for driver in DRIVERS]
    for name in sorted(suites, key=lambda n: order.index(n) if n in order else len(order)):
        suite = suites[name]
        cases = suite.findall("testcase")
        counts = {
            "tests": len(cases),
            "failures": sum(len(case.findall("failure")) for case in cases),
            "errors": sum(len(case.findall("error")) for case in cases),
            "skipped": sum(len(case.findall("skipped")) for case in cases),
        }
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("time", f"{times[name]:.3f}")
        root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{sum(times.values()):.3f}")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def merge_cucumber_reports(shards: Sequence[Shard]) -> list[dict[str, Any]]:
    """The shards' ``cucumber.json`` in one: the features of the same id (driver and feature) made one,
    their scenarios one after the other. A shard without the file: its features rebuilt from its records."""
    features: dict[str, dict[str, Any]] = {}
    for shard in shards:
        path = shard.folder / "cucumber.json"
        try:
            parts = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            by_driver: dict[str, list[ScenarioResult]] = {}
            for result in shard.results:
                by_driver.setdefault(result["driver"], []).append(result)
            parts = ci_formats.merge_cucumber(
                {driver: ci_formats.cucumber_from_results(own) for driver, own in by_driver.items()}
            )
        for feature in parts:
            if feature["id"] in features:
                features[feature["id"]]["elements"] = [
                    *features[feature["id"]].get("elements", []),
                    *feature.get("elements", []),
                ]
            else:
                features[feature["id"]] = dict(feature)
    return sorted(features.values(), key=lambda f: _driver_rank(f["id"].split(";", 1)[0]))
