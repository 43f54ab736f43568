"""Pytest plugin: live progress of a ``moncompte check`` run, one line per finished scenario.

``moncompte check`` loads it with ``-p steps.progress`` and gives the write end of a
pipe in ``MONCOMPTE_PROGRESS_FD``; it reads the lines and prints them as they come.
Each line: ``[done/total] verdict  feature / scenario  (failures so far)``. Only the
process that receives every report writes (the controller under pytest-xdist).
Without ``MONCOMPTE_PROGRESS_FD`` the plugin does nothing.
"""

from __future__ import annotations

import os
from typing import IO

import pytest

PROGRESS_FD_ENV = "MONCOMPTE_PROGRESS_FD"
LABELS = {"passed": "réussi  ", "failed": "ÉCHEC   ", "skipped": "ignoré  "}


class Progress:
    def __init__(self, stream: IO[str]):
        self.stream = stream
        self.total: int | None = None
        self.done = 0
        self.failures = 0
        self._outcomes: dict[str, str] = {}

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.total = len(session.items)
        self._plan(session)

    def _plan(self, session: pytest.Session) -> None:
        """A site that accepts one account per person: how many test identities the run may take, by kind."""
        from moncompte.steps import profile as profiles
        from moncompte.steps.identities import identity_plan
        from moncompte.steps.report import scenario_info

        try:
            profile = profiles.load(session.config.getoption("--profile", default="default"))
        except (profiles.ProfileError, ValueError):
            return
        if not (profile.identities.persons and profile.identities.un_compte_par_personne):
            return
        scenarios = [info["rule_ids"] for item in session.items if (info := scenario_info(item))]
        if not scenarios:  # the controller of pytest-xdist: the workers collect
            return
        lines = identity_plan(scenarios, profile.identities.persons)
        self.stream.write(
            "Identités de test (le site n'accepte qu'un compte par personne) : " + " ; ".join(lines) + "\n"
        )
        self.stream.flush()

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node, ids) -> None:  # controller under xdist
        self.total = len(ids)

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        if report.failed or (report.when == "call") or (report.skipped and report.when == "setup"):
            if report.failed:
                self._outcomes[report.nodeid] = "failed"
            else:
                self._outcomes.setdefault(report.nodeid, "skipped" if report.skipped else "passed")
        if report.when != "teardown":
            return
        outcome = self._outcomes.pop(report.nodeid, "failed" if report.failed else "skipped")
        self.done += 1
        self.failures += outcome == "failed"
        total = f"/{self.total}" if self.total else ""
        self.stream.write(
            f"[{self.done}{total}] {LABELS[outcome]} {scenario_label(report)}  (échecs : {self.failures})\n"
        )
        self.stream.flush()


def scenario_label(report: pytest.TestReport) -> str:
    """``feature / scenario`` as written in the feature file (the scenario with its example's values),
    from the record ``steps.report`` attaches to the reports; else the test's name."""
    from moncompte.steps.report import REPORT_ATTR

    scenario = getattr(report, REPORT_ATTR, None)
    if scenario is None:  # not a scenario, or run without steps.report
        return report.nodeid.split("::", 1)[-1]
    return f"{scenario['feature']} / {scenario['scenario']}"


def pytest_configure(config: pytest.Config) -> None:
    fd = os.environ.get(PROGRESS_FD_ENV)
    if not fd or hasattr(config, "workerinput"):
        return
    try:
        stream = os.fdopen(int(fd), "w", encoding="utf-8", buffering=1, closefd=False)
    except (OSError, ValueError):
        return
    config.pluginmanager.register(Progress(stream), "moncompte-progress")
