"""Find a Chromium for Playwright, installing one if needed.

Order: Playwright's own Chromium if present; else the system's (Debian's
``chromium``); else try ``playwright install chromium``; else, as root with apt,
install Debian's ``chromium``; else say what to install. ``python -m
steps.browser_setup`` does this (the Makefile calls it); the browser driver
calls :func:`find_chromium` to launch the same browser.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

SYSTEM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")

# Flags that let a system Chromium run as root in a closed network (see DESIGN.md).
SYSTEM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def playwright_chromium() -> str | None:
    """Path of Playwright's own Chromium when it is installed, else None."""
    try:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as p:
            path = p.chromium.executable_path
    except Exception:  # no driver, or no browser downloaded yet
        return None
    return path if path and Path(path).exists() else None


def system_chromium() -> str | None:
    for candidate in (os.environ.get("MONCOMPTE_CHROMIUM"), *SYSTEM_CANDIDATES, shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def find_chromium() -> tuple[str | None, list[str]]:
    """(executable_path or None for Playwright's default, extra launch args)."""
    if os.environ.get("MONCOMPTE_CHROMIUM"):
        return os.environ["MONCOMPTE_CHROMIUM"], SYSTEM_ARGS
    if playwright_chromium():
        return None, ["--no-sandbox"] if os.geteuid() == 0 else []
    system = system_chromium()
    if system:
        return system, SYSTEM_ARGS
    raise RuntimeError(
        "Aucun Chromium trouvé. Lancez « make chromium », ou installez le paquet « chromium » de votre"
        " distribution, ou indiquez son chemin dans MONCOMPTE_CHROMIUM."
    )


def ensure() -> int:
    if playwright_chromium() or system_chromium():
        print(f"Chromium : {playwright_chromium() or system_chromium()}")
        return 0
    print("Chromium absent : essai de « playwright install chromium »…")
    try:
        done = subprocess.run([sys.executable, "-m", "playwright", "install", "chromium"], timeout=600).returncode == 0
    except subprocess.TimeoutExpired:
        done = False
    if done and playwright_chromium():
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Téléchargement impossible : installation du paquet Debian « chromium »…")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(["apt-get", "install", "-y", "-qq", "chromium"], env=env, check=False)
        if system_chromium():
            return 0
    print(
        "Impossible d'obtenir Chromium automatiquement. Installez le paquet « chromium » de votre"
        " distribution (ex. : sudo apt-get install chromium) ou « python -m playwright install chromium »,"
        " puis relancez.",
        file=sys.stderr,
    )
    return 1


if __name__ == "__main__":
    sys.exit(ensure())
