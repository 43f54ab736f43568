"""The per-driver JUnit XML and Cucumber JSON files merged into one of each, as CI tools read them."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any, Mapping

from moncompte.steps.results import ScenarioResult

JUNIT_COUNTS = ("tests", "failures", "errors", "skipped")


def merge_junit(parts: Mapping[str, str]) -> str:
    """One ``<testsuites>`` with one ``<testsuite>`` per driver (test case classes prefixed by the driver)."""
    root = ET.Element("testsuites", name="moncompte check")
    totals = dict.fromkeys(JUNIT_COUNTS, 0)
    duration = 0.0
    for driver, text in parts.items():
        parsed = ET.fromstring(text)
        for suite in [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite"):
            suite.set("name", f"conformite-{driver}")
            for case in suite.iter("testcase"):
                case.set("classname", f"{driver}.{case.get('classname', '')}")
            for key in JUNIT_COUNTS:
                totals[key] += int(suite.get(key, 0))
            duration += float(suite.get("time", 0))
            root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{duration:.3f}")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def merge_cucumber(parts: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The per-driver Cucumber arrays in one, each feature's id and name marked with its driver,
    the tags spelled as Cucumber writes them (``@MDP-LONGUEUR``; pytest-bdd leaves the ``@`` out)."""
    merged = []
    for driver, features in parts.items():
        for feature in features:
            feature = _at_tags(
                {**feature, "id": f"{driver};{feature['id']}", "name": f"{feature['name']} (pilote {driver})"}
            )
            if "elements" in feature:
                feature["elements"] = [_at_tags(element) for element in feature["elements"]]
            merged.append(feature)
    return merged


def cucumber_tag(tag: str) -> str:
    """A tag as Cucumber writes it: with its ``@``."""
    return tag if tag.startswith("@") else f"@{tag}"


def _at_tags(element: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Cucumber feature or scenario, its tags with their ``@``."""
    if "tags" not in element:
        return dict(element)
    return {**element, "tags": [{**tag, "name": cucumber_tag(tag["name"])} for tag in element["tags"]]}


def cucumber_from_results(results: list[ScenarioResult]) -> list[dict[str, Any]]:
    """A minimal Cucumber JSON (features → scenarios → steps) from ``steps.report`` records.

    Like pytest-bdd's own report, a scenario that ran no step (skipped at setup) is left out.
    """
    features: dict[str, dict[str, Any]] = {}
    for r in results:
        if not r["steps"]:
            continue
        feature = features.setdefault(
            r["feature_file"],
            {
                "keyword": "Fonctionnalité",
                "uri": r["feature_file"],
                "name": r["feature"],
                "id": r["feature_file"].lower().replace(" ", "-"),
                "line": r["feature_line"],
                "description": "",
                "language": "fr",
                "tags": [],
                "elements": [],
            },
        )
        feature["elements"].append(
            {
                "keyword": "Scénario",
                "id": r["nodeid"].rsplit("::", 1)[-1],
                "name": r["scenario"],
                "line": r["line"],
                "description": "",
                "type": "scenario",
                "tags": [{"name": cucumber_tag(tag), "line": r["line"] - 1} for tag in r["tags"]],
                "steps": _cucumber_steps(r),
            }
        )
    return list(features.values())


def _cucumber_steps(r: ScenarioResult) -> list[dict[str, Any]]:
    """Steps after a failure are failed too (as pytest-bdd marks them); in a skipped scenario,
    the step that raised the skip (the last one run) and those marked failed are skipped."""
    steps = []
    failed = r["outcome"] == "failed"
    for i, step in enumerate(r["steps"]):
        result: dict[str, Any] = {"status": "passed", "duration": int(step["duration"] * 1e9)}
        if step["failed"] or (not failed and i == len(r["steps"]) - 1 and r["outcome"] != "passed"):
            result["status"] = "failed" if failed else "skipped"
            if failed and not any(s["result"].get("error_message") for s in steps):
                result["error_message"] = r["message"]
        steps.append(
            {
                "keyword": step["keyword"],
                "name": step["name"],
                "line": step["line"],
                "match": {"location": ""},
                "result": result,
            }
        )
    return steps
