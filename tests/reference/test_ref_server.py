"""``moncompte serve``: its options and defaults."""

from __future__ import annotations

import argparse

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
