"""The pytest sub-run of one driver: the command, its progress relayed line by line, its results
(``steps.report`` records), and the re-run of failed browser scenarios with a trace."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator, Sequence

from moncompte import resources
from moncompte.harness.exits import CheckError
from moncompte.harness.targets import _env, tail
from moncompte.steps.results import ScenarioResult

# The collected module and its folder, found where the package is installed (a checkout or a wheel).
# pytest runs there, rooted there (``suite.ini``): node ids read ``test_conformite.py::…`` either way.
SUITE = resources.path("moncompte.steps", "test_conformite.py")
SUITE_INI = SUITE.with_name("suite.ini")

# pytest exit codes that mean the suite could not run (1 = some tests failed, 5 = none selected)
PYTEST_ERRORS = {
    2: "exécution interrompue (erreur de collecte des scénarios ?)",
    3: "erreur interne de pytest",
    4: "erreur d'utilisation de pytest (option ou expression de sélection invalide ?)",
}
PYTEST_NO_TESTS = 5
# pytest plugins installed for tests/ (entry points) that the features do not use: not loaded by the suite
UNUSED_PLUGINS = ("schemathesis", "hypothesispytest")
RETRY_FOLDER = "nouvel-essai"
RETRY_LABELS = {"failed": "échec reproduit", "passed": "réussi au nouvel essai : échec intermittent ?"}


def pytest_command(
    driver: str,
    url: str,
    profile: str,
    out: Path,
    selection: str | None,
    workers: int,
    ws_endpoint: str | None = None,
    fc_provider: str | None = None,
    tests: Sequence[str] = (),
) -> list[str]:
    """The pytest command of one suite run (``tests``: node ids to run instead of the whole suite)."""
    cmd = [
        sys.executable,
        "-m",
        "pytest",
        *(tests or [str(SUITE)]),
        "-c",
        str(SUITE_INI),
        "--rootdir",
        str(SUITE.parent),
        "-p",
        "moncompte.steps.report",
        "--results-file",
        str(out / "results.json"),
        "-p",
        "moncompte.steps.progress",
        "--driver",
        driver,
        "--target",
        url,
        "--profile",
        profile,
        "--report-dir",
        str(out),
        "--junitxml",
        str(out / "junit.xml"),
        "--cucumberjson",
        str(out / "cucumber.json"),
        "-q",
        "-o",
        "addopts=",
        "--strict-markers",
        "-p",
        "no:cacheprovider",
        # plugins the features never use, whose import dominates pytest's start-up (schemathesis: ~1 s)
        *(arg for plugin in UNUSED_PLUGINS for arg in ("-p", f"no:{plugin}")),
    ]
    if selection:
        cmd += ["-m", selection]
    if workers > 1:
        # worksteal: a worker that runs out of scenarios takes some from the other's queue
        # (the scenarios' lengths differ a lot: a refusal, a whole registration)
        cmd += ["-n", str(workers), "--dist", "worksteal"]
    if ws_endpoint and driver == "browser":
        cmd += ["--browser-ws-endpoint", ws_endpoint]
    if fc_provider:
        cmd += ["--fc-provider", fc_provider]
    return cmd


def run_suite(
    driver: str,
    url: str,
    profile: str,
    out: Path,
    selection: str | None,
    workers: int,
    ws_endpoint: str | None = None,
    fc_provider: str | None = None,
    *,
    tests: Sequence[str] = (),
    extra: Sequence[str] = (),
    what: str = "exécution des scénarios",
) -> list[ScenarioResult]:
    """Run the features with one driver; return the scenario results (``steps.report`` records)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("results.json", "junit.xml", "cucumber.json"):
        (out / name).unlink(missing_ok=True)  # never merge a previous run's files
    log_path = out / "pytest.log"
    print(f"Pilote {driver} : {what}… (journal : {log_path})", flush=True)
    cmd = [*pytest_command(driver, url, profile, out, selection, workers, ws_endpoint, fc_provider, tests), *extra]
    with open(log_path, "wb") as log, progress_pipe() as (fd, env):
        code = subprocess.run(
            cmd, cwd=SUITE.parent, env=env, stdout=log, stderr=subprocess.STDOUT, pass_fds=(fd,)
        ).returncode
    if code in PYTEST_ERRORS:
        raise CheckError(
            f"les scénarios n'ont pas pu s'exécuter avec le pilote {driver} : {PYTEST_ERRORS[code]}"
            f" (pytest, code {code}).\n{tail(log_path)}"
        )
    if code == PYTEST_NO_TESTS:
        print(f"Pilote {driver} : aucun scénario sélectionné.")
        return []
    results_file = out / "results.json"
    if not results_file.exists():
        raise CheckError(f"pytest n'a pas écrit {results_file} (pilote {driver}, code {code}).\n{tail(log_path)}")
    results = json.loads(results_file.read_text(encoding="utf-8"))
    print(f"Pilote {driver} : {outcome_counts(results)}")
    return results


@contextlib.contextmanager
def progress_pipe() -> Iterator[tuple[int, dict[str, str]]]:
    """A pipe for ``steps.progress``: its lines are printed here as the scenarios finish."""
    import threading

    read_fd, write_fd = os.pipe()

    def relay() -> None:
        with os.fdopen(read_fd, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                print(f"  {line.rstrip()}", flush=True)

    thread = threading.Thread(target=relay, daemon=True)
    thread.start()
    try:
        yield write_fd, {**_env(), "MONCOMPTE_PROGRESS_FD": str(write_fd)}
    finally:
        os.close(write_fd)
        thread.join(timeout=5)


def outcome_counts(results: list[ScenarioResult]) -> str:
    labels = {"passed": "réussis", "failed": "échoués", "not_applicable": "non applicables", "skipped": "ignorés"}
    counts = ", ".join(f"{sum(r['outcome'] == o for r in results)} {label}" for o, label in labels.items())
    return f"{len(results)} scénario{'s' if len(results) > 1 else ''} : {counts}"


def retrace(
    results: list[ScenarioResult],
    url: str,
    profile: str,
    out: Path,
    workers: int,
    ws_endpoint: str | None = None,
    fc_provider: str | None = None,
    extra: Sequence[str] = (),
) -> None:
    """Run the failed browser scenarios again with Playwright tracing, to give each failure its trace
    (``extra``: more options of the sub-run, as the first run had them: the device emulated).

    Tracing every scenario costs about a third of a browser run; failures are few. The verdicts stay
    those of the first run: each failed result gets the retry's trace in its artefacts and ``retry``,
    what the retry did (``RETRY_LABELS``).
    """
    failed = [r for r in results if r["outcome"] == "failed"]
    if not failed:
        return
    try:
        again = run_suite(
            "browser",
            url,
            profile,
            out,
            None,
            min(workers, len(failed)),
            ws_endpoint,
            fc_provider,
            tests=[r["nodeid"] for r in failed],
            extra=["--browser-trace", "toujours", *extra],
            what=f"{len(failed)} scénario(s) en échec rejoué(s) avec la trace Playwright",
        )
    except CheckError as exc:  # the first run's verdicts stand; say why there is no trace
        print(f"Pilote browser : pas de trace pour les échecs ({str(exc).splitlines()[0]})")
        return
    by_id = {r["nodeid"]: r for r in again}
    for result in failed:
        retry = by_id.get(result["nodeid"])
        if retry is None:
            continue
        result["retry"] = RETRY_LABELS.get(retry["outcome"], retry["outcome"])
        if trace := (retry.get("artefacts") or {}).get("trace"):
            result.setdefault("artefacts", {})["trace"] = trace


def browser_version(run_dir: Path) -> str | None:
    """The browser's version the browser run recorded (``browser_pytest.BROWSER_VERSION_FILE``), if any."""
    from moncompte.steps.drivers.browser_pytest import BROWSER_VERSION_FILE

    return _recorded(run_dir / BROWSER_VERSION_FILE)


def browser_device(run_dir: Path) -> str | None:
    """The device the browser run emulated (``browser_pytest.DEVICE_FILE``: « Pixel 7 (412 × 839) »), if any."""
    from moncompte.steps.drivers.browser_pytest import DEVICE_FILE

    return _recorded(run_dir / DEVICE_FILE)


def _recorded(path: Path) -> str | None:
    return path.read_text(encoding="utf-8").strip() or None if path.exists() else None
