"""``--browser-ws-endpoint``: the browser driver on a remote browser (a real Playwright server).

The server is Playwright's own ``chromium.launchServer`` run by the Node.js that
ships inside the Python package (``playwright/driver``), on 127.0.0.1, with the
Chromium this machine has: what a team gets from ``npx playwright launch-server``
or a grid node. The harness process is given a local Chromium path that does not
exist (``MONCOMPTE_CHROMIUM``), so a run that passes can only have used the
remote browser.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path

import playwright
import pytest

from moncompte.harness import targets
from moncompte.harness.cli import main
from moncompte.steps.browser_setup import find_chromium
from tests.schemacheck import read_report

DRIVER = Path(playwright.__file__).parent / "driver"
SERVER_SCRIPT = """
const { chromium } = require(process.argv[1]);
const options = JSON.parse(process.argv[2]);
chromium.launchServer(options).then((server) => {
  console.log(server.wsEndpoint());
  process.stdin.resume();
  process.stdin.on("end", () => server.close().then(() => process.exit(0)));
});
"""


@pytest.fixture(scope="module")
def playwright_server():
    """A Playwright browser server on 127.0.0.1: its ws:// endpoint."""
    executable, args = find_chromium()
    options = {
        "host": "127.0.0.1",
        "port": 0,
        "headless": True,
        "args": args,
        **({"executablePath": executable} if executable else {}),
    }
    process = subprocess.Popen(
        [str(DRIVER / "node"), "-e", SERVER_SCRIPT, str(DRIVER / "package"), json.dumps(options)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    line = process.stdout.readline().strip()
    assert line.startswith("ws://127.0.0.1:"), f"le serveur Playwright n'a pas démarré : {line}"
    yield line
    process.stdin.close()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_the_suite_runs_on_a_remote_playwright_server(tmp_path, monkeypatch, capsys, playwright_server):
    monkeypatch.setenv("MONCOMPTE_CHROMIUM", str(tmp_path / "pas-de-chromium-ici"))  # no local launch possible
    report = tmp_path / "rapports"
    code = main(
        [
            "check",
            "--driver",
            "browser",
            "--rule",
            "NIR-CLE",
            "--browser-ws-endpoint",
            playwright_server,
            "--report",
            str(report),
        ]
    )
    out = capsys.readouterr().out
    assert code == 0, out
    assert f"Navigateur distant : {playwright_server} (Chromium " in out
    document = read_report(report)
    [rule] = [r for r in document["rules"] if r["id"] == "NIR-CLE"]
    assert rule["verdict"] == "pass" and rule["scenarios"], rule


def test_an_unreachable_remote_browser_ends_in_seconds_with_exit_2(tmp_path, capsys):
    endpoint = f"ws://127.0.0.1:{targets.free_port()}/"  # nobody listens there
    started = time.monotonic()
    code = main(
        [
            "check",
            "--driver",
            "browser",
            "--rule",
            "NIR-CLE",
            "--browser-ws-endpoint",
            endpoint,
            "--report",
            str(tmp_path / "r"),
        ]
    )
    assert code == 2
    assert time.monotonic() - started < 60
    err = capsys.readouterr().err
    assert f"le navigateur distant {endpoint} ne répond pas (serveur Playwright attendu" in err, err
    assert "Traceback" not in err
    assert not (tmp_path / "r" / "browser" / "results.json").exists()  # the suite did not run
