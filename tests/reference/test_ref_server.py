"""``moncompte serve``: its options and defaults."""

from __future__ import annotations

import argparse

import pytest

from moncompte.reference_impl import server


def test_serve_options_and_defaults():
    parser = argparse.ArgumentParser()
    server.add_arguments(parser)
    args = parser.parse_args([])
    assert (args.host, args.port, args.database, args.test_mode) == ("127.0.0.1", 8000, "sqlite:///moncompte.db", False)
    args = parser.parse_args(
        [
            "--test-mode",
            "--port",
            "9000",
            "--smtp-host",
            "smtp.local",
            "--smtp-port",
            "2525",
            "--sms-gateway-url",
            "http://sms.local/envoi",
        ]
    )
    assert args.test_mode and args.port == 9000 and args.smtp_port == 2525 and args.sms_gateway_url.endswith("/envoi")


def test_serve_is_a_moncompte_command():
    from moncompte.harness.cli import COMMANDS

    assert "serve" in COMMANDS


# ── test mode: loopback only, unless said out loud ───────────────────────────
@pytest.fixture
def started(monkeypatch) -> list[dict]:
    """The uvicorn.run calls of ``server.run`` (recorded, no server started)."""
    import uvicorn

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append(options))
    return calls


def serve(*argv: str) -> int:
    parser = argparse.ArgumentParser()
    server.add_arguments(parser)
    return server.run(parser.parse_args(["--database", "sqlite://", *argv]))


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.10", "::"])
def test_test_mode_is_refused_on_an_exposed_address(started, capsys, host):
    assert serve("--test-mode", "--host", host) == 2
    err = capsys.readouterr().err
    assert f"--test-mode n'est permis que sur la boucle locale (127.0.0.1, ::1, localhost), pas sur {host}" in err
    assert "--test-mode-exposed-i-know" in err and "Traceback" not in err
    assert started == []


@pytest.mark.parametrize(
    "argv",
    [
        ["--test-mode", "--host", "127.0.0.1"],
        ["--test-mode", "--host", "::1"],
        ["--test-mode", "--host", "localhost"],
        ["--test-mode", "--host", "0.0.0.0", "--test-mode-exposed-i-know"],
    ],
)
def test_test_mode_starts_with_a_warning_banner(started, capsys, argv):
    assert serve(*argv) == 0
    assert [call["host"] for call in started] == [argv[2]]
    assert "ATTENTION : MODE TEST" in capsys.readouterr().err


def test_no_banner_without_test_mode_and_the_exposure_option_needs_test_mode(started, capsys):
    assert serve("--host", "0.0.0.0") == 0
    assert "MODE TEST" not in capsys.readouterr().err
    assert serve("--test-mode-exposed-i-know") == 2
    assert "--test-mode-exposed-i-know n'est permis qu'avec --test-mode" in capsys.readouterr().err
    assert len(started) == 1
