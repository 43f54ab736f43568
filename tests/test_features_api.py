"""Self-test: the whole feature suite passes through the API driver against the reference server."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from moncompte.harness import targets

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def reference_url():
    """The reference implementation in test mode, on a free port, with a fresh database."""
    with targets.reference_server() as url:
        yield url


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
