"""Self-test: the whole feature suite passes through the API driver against the reference server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parent.parent


from moncompte.net import free_port  # noqa: E402


@pytest.fixture
def reference_url(tmp_path):
    """The reference implementation in test mode, on a free port, with a fresh database."""
    port = free_port()
    log = open(tmp_path / "server.log", "w")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "moncompte.harness.cli",
            "serve",
            "--test-mode",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{tmp_path / 'db'}",
        ],
        cwd=REPO,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/api/themes", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("le serveur de référence n'a pas démarré :\n" + (tmp_path / "server.log").read_text())
            time.sleep(0.1)
        yield url
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


def test_the_features_pass_with_the_api_driver(reference_url, tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "steps/test_conformite.py",
            "--driver",
            "api",
            "--target",
            reference_url,
            "--report-dir",
            str(tmp_path / "rapport"),
            "-q",
            "-n",
            "4",
            "-p",
            "no:cacheprovider",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    summary = proc.stdout[-6000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, summary
    assert " passed" in proc.stdout and " failed" not in proc.stdout, summary
