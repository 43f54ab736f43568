"""Running ``moncompte check`` on the alternative sites of ``tests/`` (sites the harness does not own).

Each site is started as a subprocess on free ports of 127.0.0.1 (its mail, its SMS gateway
pointed at the ports of the profile's code sources); its profile is copied next to the run
with those ports and its identities file. ``moncompte check`` runs in this process
(``harness.cli.main``), the suite in its pytest subprocess, as for any target. Each run adds a
row (site, variant, exit code, failing rules, expected) to the table printed at the end of
the session (``tests/conftest.py``).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Sequence

import pytest

from moncompte.harness import targets
from moncompte.harness.cli import main
from tests.schemacheck import read_report

REPO = Path(__file__).resolve().parents[1]

SITE_ROW = "site_row"  # user property read by tests/conftest.py to print the table


def start(command: Sequence[str], url: str, log: Path) -> subprocess.Popen:
    """Start a site (``python -m <command>``, its output in ``log``: a pipe nobody reads would block it once
    full) and wait until ``url`` answers; AssertionError with its output when it stops or does not answer."""
    process = targets.start_process([sys.executable, "-m", *command], log, cwd=REPO)
    try:
        targets.wait_until_up(url, process, log, what=f"le site {' '.join(command)}")
    except targets.CheckError as exc:
        targets.stop(process)
        raise AssertionError(str(exc)) from None
    return process


def profile_copy(profile: Path, folder: Path, ports: dict[int, int], identities: Path) -> Path:
    """``profile`` with its listening ports replaced (``{2525: free port}``) and its identities file's
    absolute path, written in ``folder``."""
    text = profile.read_text(encoding="utf-8")
    for old, new in ports.items():
        text, found = re.subn(rf"(?m)^port = {old}\b", f"port = {new}", text)
        assert found, f"port {old} absent de {profile}"
    text, found = re.subn(r'(?m)^file = "[^"]+"', f'file = "{identities.as_posix()}"', text)
    assert found, f"fichier d'identités absent de {profile}"
    path = folder / "profil.toml"
    path.write_text(text, encoding="utf-8")
    return path


def conformance(report: Path) -> dict[str, dict]:
    document = read_report(report)
    return {entry["id"]: entry for entry in document["rules"]}


def run(url: str, profile: Path, report: Path, *options: str, driver: str = "browser") -> tuple[int, dict[str, dict]]:
    """``moncompte check`` on ``url`` with ``driver``: (exit code, rule ID → conformance entry)."""
    code = main(
        ["check", "--target", url, "--profile", str(profile), "--driver", driver, "--report", str(report), *options]
    )
    assert code in (0, 1), f"moncompte check a fini avec le code {code} (la vérification n'a pas pu se faire)"
    return code, conformance(report)


ACCESSIBILITY = "Accessibilité"  # the step of the A11Y rules: each site's own verdicts, shown, not judged here


def failing(rules: dict[str, dict]) -> list[str]:
    """The rules that failed, accessibility apart (``accessibility``)."""
    return [
        rule_id
        for rule_id, entry in rules.items()
        if entry["verdict"] in ("fail", "warning") and entry["step"] != ACCESSIBILITY
    ]


def accessibility_rules(rules: dict[str, dict]) -> set[str]:
    """The accessibility rules (not applicable to the http driver: they are checked in a browser)."""
    return {rule_id for rule_id, entry in rules.items() if entry["step"] == ACCESSIBILITY}


def accessibility(rules: dict[str, dict]) -> str:
    """The site's accessibility verdicts, for the table: « A11Y-AXE pass, A11Y-PETIT-ECRAN warning … »."""
    return ", ".join(
        f"{rule_id} {entry['verdict']}" for rule_id, entry in rules.items() if entry["step"] == ACCESSIBILITY
    )


def record(
    request: pytest.FixtureRequest, site: str, variant: str, code: int, rules: dict[str, dict], expected: str
) -> None:
    """A row of the table printed at the end of the session."""
    row = {
        "site": site,
        "variant": variant,
        "exit": code,
        "failing": ", ".join(failing(rules)) or "—",
        "expected": expected,
        "accessibility": accessibility(rules) or "—",
    }
    request.node.user_properties.append((SITE_ROW, json.dumps(row, ensure_ascii=False)))


def failures_said(rules: dict[str, dict], rule_ids: Sequence[str]) -> str:
    """The first failed scenario of each of ``rule_ids`` and why (for an assertion message)."""
    lines = []
    for rule_id in rule_ids:
        for scenario in rules[rule_id]["scenarios"]:
            if scenario["outcome"] == "failed":
                lines.append(f"{rule_id} : {scenario['name']} : {scenario['message'][:300]}")
                break
    return "\n".join(lines)
