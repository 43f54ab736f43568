"""The harness catches every single-rule deviation of the fault catalogue (tests/faults/).

For each fault (and each driver it applies to): the reference is served with the
fault applied (``tests/faults/launch.py``, fresh SQLite database, free port, cheap
argon2id), then ``moncompte check --target URL --driver D --rule RULE`` must end with
the rule's verdict ``fail`` and exit code 1 (``warning`` for a SHOULD or MAY rule:
by design it never fails a run, so the exit code then depends on the MUST rules its
scenarios also carry). A control run without any
fault, on the same rules, must have no failure.

The table (fault, rule, driver, verdict, caught) is printed at the end of the run
(``tests/conftest.py``). Select: ``pytest tests/test_faults.py -k MDP``; run in
parallel with ``-n 2``.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Iterator

import pytest

from faults.catalogue import API, BROWSER, FAULTS, Fault
from moncompte.harness import targets
from tests.schemacheck import read_report

REPO = Path(__file__).resolve().parents[1]
LAUNCHER = REPO / "tests" / "faults" / "launch.py"
CHECK_TIMEOUT = 600  # seconds for one check run (a loaded CI machine is slow)
TABLE_PROPERTY = "fault_row"  # user property read by tests/conftest.py to print the table
MESSAGE_SHOWN = 160

RUNS = [(fault, driver) for fault in FAULTS for driver in fault.drivers]


@contextlib.contextmanager
def faulty_server(fault_id: str, tmp: Path, *, franceconnect: bool = False) -> Iterator[tuple[str, str | None]]:
    """(URL, FranceConnect stand-in URL or None): the reference with ``fault_id`` applied, on a free
    port with a fresh database; with ``franceconnect``, the stand-in provider started beside it."""
    port = targets.free_port()
    url = f"http://127.0.0.1:{port}"
    with contextlib.ExitStack() as stack:
        stand_in = stack.enter_context(targets.franceconnect_simulator(url)) if franceconnect else None
        log_path = tmp / "serveur.log"
        cmd = [
            sys.executable,
            str(LAUNCHER),
            fault_id,
            "--port",
            str(port),
            "--database",
            f"sqlite:///{tmp / 'moncompte.db'}",
            *(stand_in.serve_options() if stand_in else ()),
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(cmd, cwd=REPO, env=targets._env(), stdout=log, stderr=subprocess.STDOUT)
        try:
            targets.wait_until_up(url, process, log_path)
            yield url, stand_in.url if stand_in else None
        finally:
            targets.stop(process)


def run_check(
    url: str,
    driver: str,
    report: Path,
    *,
    rule: str | None = None,
    tags: str | None = None,
    fc_provider: str | None = None,
    options: tuple[str, ...] = (),
) -> subprocess.CompletedProcess:
    args = ["check", "--target", url, "--driver", driver, "--report", str(report), "--sans-traces", *options]
    args += ["--fc-provider", fc_provider] if fc_provider else []
    args += ["--rule", rule] if rule else []
    args += ["--tags", tags] if tags else []
    return subprocess.run(
        [*targets.MONCOMPTE, *args], cwd=REPO, env=targets._env(), capture_output=True, text=True, timeout=CHECK_TIMEOUT
    )


def rule_entry(report: Path, rule_id: str) -> dict:
    document = read_report(report)
    return next(e for e in document["rules"] if e["id"] == rule_id)


def first_failure(entry: dict) -> str:
    failed = [s for s in entry["scenarios"] if s["outcome"] == "failed"]
    if not failed:
        return ""
    text = f"{failed[0]['name']} : {failed[0]['message']}".replace("\n", " ")
    return text[:MESSAGE_SHOWN] + ("…" if len(text) > MESSAGE_SHOWN else "")


def record(
    request: pytest.FixtureRequest,
    fault: Fault,
    driver: str,
    verdict: str,
    caught: str,
    seconds: float,
    detail: str = "",
) -> None:
    row = {
        "fault": fault.id,
        "rule": fault.rule,
        "driver": driver,
        "expected": fault.expected_verdict,
        "verdict": verdict,
        "caught": caught,
        "seconds": round(seconds, 1),
        "detail": detail,
    }
    request.node.user_properties.append((TABLE_PROPERTY, json.dumps(row, ensure_ascii=False)))


@pytest.mark.parametrize(("fault", "driver"), RUNS, ids=[f"{f.id}-{d}" for f, d in RUNS])
def test_the_fault_is_caught(fault: Fault, driver: str, tmp_path: Path, request: pytest.FixtureRequest):
    if fault.pending:
        record(request, fault, driver, "—", "en attente", 0.0, fault.pending)
        pytest.skip(f"panne {fault.id} en attente : {fault.pending}")
    start = time.monotonic()
    with faulty_server(fault.id, tmp_path, franceconnect=fault.rule.startswith("FC-")) as (url, fc_provider):
        proc = run_check(
            url, driver, tmp_path / "rapport", rule=fault.rule, fc_provider=fc_provider, options=fault.check_options
        )
    output = proc.stdout + proc.stderr
    assert proc.returncode in (0, 1), f"moncompte check n'a pas pu s'exécuter (code {proc.returncode}) :\n{output}"
    entry = rule_entry(tmp_path / "rapport", fault.rule)
    exit_ok = fault.expected_exit_code is None or proc.returncode == fault.expected_exit_code
    caught = entry["verdict"] == fault.expected_verdict and exit_ok
    record(
        request,
        fault,
        driver,
        entry["verdict"],
        "oui" if caught else "NON",
        time.monotonic() - start,
        first_failure(entry),
    )
    assert entry["verdict"] == fault.expected_verdict, (
        f"Panne {fault.id} non détectée : {fault.description}\nLa règle {fault.rule} a le verdict"
        f" « {entry['verdict']} » (attendu « {fault.expected_verdict} »). Scénarios :\n"
        + "\n".join(f"- [{s['outcome']}] {s['name']} {s['message']}" for s in entry["scenarios"])
    )
    assert exit_ok, output


def control_rules(driver: str) -> list[str]:
    return sorted({f.rule for f in FAULTS if driver in f.drivers and not f.pending})


@pytest.mark.parametrize("driver", [API, BROWSER])
def test_without_fault_the_same_rules_pass(driver: str, tmp_path: Path):
    selected = control_rules(driver)
    with faulty_server("aucun", tmp_path, franceconnect=True) as (url, fc_provider):
        proc = run_check(url, driver, tmp_path / "rapport", tags=" or ".join(selected), fc_provider=fc_provider)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    document = read_report(tmp_path / "rapport")
    verdicts = {e["id"]: e["verdict"] for e in document["rules"] if e["id"] in selected}
    assert verdicts == dict.fromkeys(selected, "pass"), proc.stdout
    assert not any(s["outcome"] == "failed" for e in document["rules"] for s in e["scenarios"]), proc.stdout


def test_the_catalogue_covers_the_guide():
    """At least 30 faults, every step ①…⑨, the roles of « Bon à savoir », FranceConnect, both drivers."""
    assert len(FAULTS) >= 30
    steps = {f.step for f in FAULTS}
    assert {"①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧", "⑨", "Introduction", "Bon à savoir"} <= steps
    rules_hit = {f.rule for f in FAULTS}
    assert {
        "ID-PROVISOIRE",
        "CNX-ID-PROVISOIRE",
        "PI-SANS-PIECE-FR",
        "PI-JUSTIFICATIF",
        "FC-CREATION",
        "ROLE-RESPONSABLE",
        "ROLE-CONJOINT-PROCURATION",
        "ROLE-CONJOINT-PROCURATION-DEMANDE",
        "ROLE-CONJOINT-SANS-PROCURATION",
        "ROLE-ENFANT-15",
        "ROLE-PERSONNE-A-CHARGE",
    } <= rules_hit
    assert {d for f in FAULTS for d in f.drivers} == {API, BROWSER}
    assert all(f.pending == "" or f.pending.strip() for f in FAULTS)
