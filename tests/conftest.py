"""Shared hooks of the test suite.

The fault self-test (``tests/test_faults.py``) records one row per fault run as a
user property, and the runs on the alternative sites (``tests/sitecheck.py``) one per
variant; the tables are printed at the end of the session here, on the controller (so it
also works under pytest-xdist, whose workers send the properties).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for a test module (the harness's own launcher: local, or the system's)."""
    from playwright.sync_api import sync_playwright

    from moncompte.steps.drivers.browser_pytest import launch_browser

    with sync_playwright() as playwright:
        browser = launch_browser(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A page in a fresh context (French locale), closed after the test."""
    from moncompte.steps.drivers.browser_pytest import new_context

    context = new_context(browser)
    yield context.new_page()
    context.close()


FAULT_ROW = "fault_row"
SITE_ROW = "site_row"  # tests/sitecheck.py: a run of moncompte check on an alternative site


def _rows(terminalreporter, kind: str) -> list[dict]:
    rows = []
    for reports in terminalreporter.stats.values():
        for report in reports:
            if getattr(report, "when", None) not in ("call", "setup"):
                continue
            rows += [json.loads(value) for name, value in getattr(report, "user_properties", ()) if name == kind]
    return rows


def _table(terminalreporter, title: str, rows: list[dict], columns: tuple[str, ...], headers: tuple[str, ...]) -> None:
    widths = [max(len(h), *(len(str(r[c])) for r in rows)) for c, h in zip(columns, headers)]
    terminalreporter.section(title)
    line = lambda values: "  ".join(str(v).ljust(w) for v, w in zip(values, widths))  # noqa: E731
    terminalreporter.write_line(line(headers))
    terminalreporter.write_line(line("-" * w for w in widths))
    for row in rows:
        terminalreporter.write_line(line(row[c] for c in columns))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    sites = _rows(terminalreporter, SITE_ROW)
    if sites:
        _table(
            terminalreporter,
            "Sites de test : la vérification de chaque variante",
            sites,
            ("site", "variant", "exit", "failing", "expected", "accessibility"),
            ("site", "variante", "code de sortie", "règles en échec", "attendu", "accessibilité (verdicts du site)"),
        )
    rows = _rows(terminalreporter, FAULT_ROW)
    if not rows:
        return
    unique = {(r["fault"], r["driver"]): r for r in rows}
    rows = sorted(unique.values(), key=lambda r: (r["fault"], r["driver"]))
    _table(
        terminalreporter,
        "Pannes injectées : détectées par le harnais ?",
        rows,
        ("fault", "rule", "driver", "expected", "verdict", "caught", "seconds"),
        ("panne", "règle attendue", "pilote", "verdict attendu", "verdict", "détectée", "s"),
    )
    caught = sum(r["caught"] == "oui" for r in rows)
    pending = sum(r["caught"] == "en attente" for r in rows)
    terminalreporter.write_line(f"Détectées : {caught}/{len(rows) - pending} ; en attente : {pending}.")
    for row in rows:
        if row["caught"] != "oui" and row["detail"]:
            terminalreporter.write_line(f"  {row['fault']} ({row['driver']}) : {row['detail']}")
