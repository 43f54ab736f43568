"""Pytest plugin: one result per scenario, written as JSON for ``moncompte check``.

Load it with ``pytest -p steps.report --results-file FILE``. For every scenario
test item it records the feature, the scenario, the rule IDs among its tags, the
driver, the outcome (``passed``, ``failed``, ``not_applicable``, ``skipped``), a
short French message and the artefacts (screenshot, trace) that fixtures put in
``item.user_properties``.

It also makes the JUnit XML of ``--junitxml`` read well in CI tools: each scenario's test case is
named as the console shows it (the scenario, with its example's values), its class is the feature,
and its rule IDs are ``<property name="regle" value="MDP-LONGUEUR"/>`` (pytest's node ids are Python
names with the non-ASCII characters of outline examples escaped, ``test_x[Prime d'activit\\xe9]``).

Works under pytest-xdist: each worker attaches the scenario's record to its
test reports (a plain dict, which xdist serializes with the report), and the
process that receives every report (the controller, or the only process without
xdist) merges the setup/call/teardown phases and writes the file at session end.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from moncompte import rules
from moncompte.steps.results import ARRANGEMENT_PROPERTY, ScenarioResult

NOT_APPLICABLE_PREFIX = "non applicable"
NOT_RUN_PREFIX = "non vérifié"
ARTEFACT_KINDS = ("screenshot", "trace")
MESSAGE_LINES = 4
MESSAGE_WIDTH = 300

REPORT_ATTR = "moncompte_scenario"  # the attribute of the test reports with the scenario's record
JUNIT_RULE_PROPERTY = "regle"  # a JUnit <property> per rule ID of the scenario


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.getgroup("moncompte").addoption(
        "--results-file",
        metavar="FICHIER",
        default=None,
        help="écrire le résultat de chaque scénario (JSON) dans ce fichier",
    )


def pytest_configure(config: pytest.Config) -> None:
    if hasattr(config, "workerinput"):  # xdist workers send their reports to the controller
        return
    path = config.getoption("results_file")
    if path:
        config.pluginmanager.register(ResultsRecorder(path), "moncompte-results")
    if config.getoption("xmlpath", default=None):
        config.pluginmanager.register(JunitNames(config), "moncompte-junit")


# ── on the process that runs the test (a worker under xdist) ──────────────────


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):
    scenario = scenario_info(item)
    if scenario is not None and call.when == "setup":  # in the reports from now on: JUnit <properties>
        item.user_properties.extend((JUNIT_RULE_PROPERTY, rule_id) for rule_id in scenario["rule_ids"])
    report = yield
    if scenario is not None:
        outcome, message = phase_outcome(report, call)
        if outcome == "passed":  # an example of the guide judged by the site's values says how
            message = next((str(v) for k, v in item.user_properties if k == "note"), "")
        setattr(
            report,
            REPORT_ATTR,
            {
                **scenario,
                "outcome": outcome,
                "message": message,
                "steps": _steps(item) if call.when == "call" else None,
            },
        )
    return report


def scenario_info(item: pytest.Item) -> dict[str, Any] | None:
    """Feature, scenario, tags and rule IDs of a pytest-bdd scenario item (``None`` otherwise)."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    template = scenario_wrapper_template_registry.get(getattr(item, "obj", None))
    if template is None:
        return None
    example = getattr(item, "callspec", None)
    context = example.params.get("_pytest_bdd_example", {}) if example else {}
    name = template.render(context).name
    if context and name == template.name:  # tell the examples of an outline apart
        name = f"{name} [{', '.join(str(v) for v in context.values())}]"
    feature = template.feature
    tags = set(template.tags) | set(feature.tags) | (set(template.rule.tags) if template.rule else set())
    for examples in template.examples if context else ():  # tags of the « Exemples » block of this example
        if context in examples.as_contexts():
            tags |= set(examples.tags or ())
    return {
        "nodeid": item.nodeid,
        "feature": feature.name or feature.rel_filename,
        "feature_file": feature.rel_filename,
        "feature_line": feature.line_number,
        "rule": template.rule.name if template.rule else None,
        "scenario": name,
        "line": template.line_number,
        "tags": sorted(tags),
        "rule_ids": [r.id for r in rules.RULES if r.id in tags],
        "driver": item.config.getoption("driver", default="api"),
    }


def phase_outcome(report: pytest.TestReport, call: pytest.CallInfo[None]) -> tuple[str | None, str]:
    """The outcome one phase says about the scenario (``None``: nothing yet) and its message."""
    if report.skipped:
        reason = _skip_reason(report, call)
        if reason.lower().startswith(NOT_APPLICABLE_PREFIX):
            return "not_applicable", reason
        if reason.lower().startswith(NOT_RUN_PREFIX):
            return "not_run", reason
        return "skipped", reason
    if report.failed:
        return "failed", _failure_message(call)
    return ("passed", "") if report.when == "call" else (None, "")


def _skip_reason(report: pytest.TestReport, call: pytest.CallInfo[None]) -> str:
    if call.excinfo is not None and hasattr(call.excinfo.value, "msg"):
        return str(call.excinfo.value.msg)
    if isinstance(report.longrepr, tuple):  # (path, line, "Skipped: reason")
        return str(report.longrepr[2]).removeprefix("Skipped: ")
    return ""


def _failure_message(call: pytest.CallInfo[None]) -> str:
    """The first lines of the assertion message: what a reader needs, not a traceback.

    When the assertion has a message, pytest's ``assert …`` explanation after it is left out.
    """
    if call.excinfo is None:
        return "échec"
    exc = call.excinfo.value
    text = str(exc).strip()
    if not isinstance(exc, AssertionError):  # an unexpected error: say what kind
        text = f"{type(exc).__name__} : {text}" if text else type(exc).__name__
    lines = [line.strip()[:MESSAGE_WIDTH] for line in text.splitlines() if line.strip()]
    explanation = next((i for i, line in enumerate(lines) if i and line.startswith("assert ")), len(lines))
    return "\n".join(lines[: min(explanation, MESSAGE_LINES)]) or "échec de l'assertion"


def _steps(item: pytest.Item) -> list[dict[str, Any]]:
    """The Gherkin steps pytest-bdd ran for this item, with their status."""
    from pytest_bdd.reporting import scenario_reports_registry

    scenario_report = scenario_reports_registry.get(item)
    if scenario_report is None:
        return []
    return [
        {
            "keyword": s["keyword"],
            "name": s["name"],
            "line": s["line_number"],
            "failed": s["failed"],
            "duration": s["duration"],
        }
        for s in scenario_report.serialize()["steps"]
    ]


# ── on the process that receives every report (controller) ────────────────────


class ResultsRecorder:
    """Collects the scenario records from the reports and writes them at session end."""

    def __init__(self, path: str):
        self.path = Path(path)
        self.records: dict[str, ScenarioResult] = {}

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        phase = getattr(report, REPORT_ATTR, None)
        if phase is None:
            return
        record = self.records.setdefault(
            report.nodeid, {**phase, "outcome": None, "message": "", "steps": [], "artefacts": {}}
        )
        merge_phase(record, phase)
        record["duration"] = round(record.get("duration", 0.0) + report.duration, 3)  # setup + call + teardown
        for name, value in report.user_properties:
            if name in ARTEFACT_KINDS:
                record["artefacts"][name] = str(value)
            elif name == ARRANGEMENT_PROPERTY:  # how the browser prepared it (``steps.drivers.arranged``)
                record["arrangement"] = str(value)

    def pytest_sessionfinish(self) -> None:
        records = list(self.records.values())
        for record in records:
            if record["outcome"] is None:  # interrupted before its call phase ended
                record["outcome"], record["message"] = "skipped", "non exécuté : session interrompue"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(records, ensure_ascii=False, indent=1), encoding="utf-8")


class JunitNames:
    """Names each scenario's JUnit test case as the console shows it, its class after the feature.

    pytest's ``junitxml`` keeps the attributes set on a test case before it records a report
    (what the ``record_xml_attribute`` fixture does); this plugin sets them from the scenario's
    record that each report carries, before ``junitxml`` reads the report, on the process that
    writes the file (the controller under pytest-xdist).
    """

    def __init__(self, config: pytest.Config):
        self.config = config

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport):
        from _pytest.junitxml import bin_xml_escape, xml_key

        scenario = getattr(report, REPORT_ATTR, None)
        xml = self.config.stash.get(xml_key, None)
        if scenario is None or xml is None:
            return (yield)
        names = {"classname": junit_classname(scenario), "name": scenario["scenario"]}
        reporter = xml.node_reporter(report)
        for attribute, value in names.items():
            reporter.add_attribute(attribute, value)
        opened = len(xml.node_reporters_ordered)
        result = yield
        # a teardown error after a failed call: junitxml opens a second test case, and closes it
        for reporter in xml.node_reporters_ordered[opened:]:
            for attribute, value in names.items():
                if "attrs" in vars(reporter):
                    reporter.add_attribute(attribute, value)
                else:  # closed: its element is made
                    reporter.to_xml().set(attribute, bin_xml_escape(value))
        return result


def junit_classname(scenario: dict[str, Any]) -> str:
    """The feature's name, its dots left out: CI tools read a class name's last dot as a package's end."""
    return " ".join(scenario["feature"].replace(".", " ").split())


def merge_phase(record: ScenarioResult, phase: dict[str, Any]) -> None:
    """Fold one phase (setup, call, teardown) into the scenario's record: the first failure wins."""
    if phase["steps"]:
        record["steps"] = phase["steps"]
    if record["outcome"] != "failed" and phase["outcome"] is not None:
        record["outcome"], record["message"] = phase["outcome"], phase["message"]
