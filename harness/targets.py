"""The processes a run starts (the reference implementation, its FranceConnect stand-in) and the
reachability of a target. One place for starting a server, waiting for it and stopping it: the
harness, the tests and the bench use these helpers."""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence
from urllib.parse import urlsplit

import httpx

from moncompte.harness.exits import CheckError
from moncompte.net import free_port

SERVER_START_TIMEOUT = 60.0  # seconds for the reference server to answer (a loaded CI machine is slow)
SERVER_STOP_TIMEOUT = 10.0
POLL_INTERVAL = 0.1
REACH_TIMEOUT = 5.0  # seconds for --target to answer


def unreachable(url: str, timeout: float, access: Any = None) -> str | None:
    """Why ``url`` does not answer over HTTP, ``None`` when it does: any status is an answer, but a 401 of
    an HTTP basic authentication (missing or refused). ``access``: the profile's ``[acces]`` (credentials,
    internal CA: ``steps.target_access``); a certificate not recognised is said in French."""
    from moncompte.steps import target_access

    try:
        with target_access.client(access, url, timeout=timeout) as client:
            response = client.get(url)
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        return target_access.transport_failure(exc, access)
    return target_access.refusal(response, access)


def parameter_options(profile: Any) -> list[str]:
    """The options of ``moncompte serve`` that give the reference the profile's rule parameters."""
    return [
        f"--parametre={rule_id}.{name}={json.dumps(value, ensure_ascii=False)}"
        for rule_id, override in profile.parameters.items()
        for name, value in override.values().items()
    ]


@contextlib.contextmanager
def target(url: str | None, serve_options: Sequence[str] = (), access: Any = None) -> Iterator[tuple[str, str | None]]:
    """(the URL to test, the FranceConnect stand-in provider's URL or None): ``url`` once it is known
    to answer (with the profile's ``access``: credentials, internal CA); or a reference server started
    for the run (with ``serve_options``: the profile's parameters) and its FranceConnect stand-in."""
    if url is None:
        with reference_with_franceconnect(serve_options) as started:
            yield started
        return
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise CheckError(f"adresse de cible invalide : {url} (attendu : http://… ou https://…)")
    reason = unreachable(url, REACH_TIMEOUT, access)
    if reason:
        raise CheckError(f"la cible {url} est injoignable ({reason}). Vérifiez l'adresse et que le site est démarré.")
    print(f"Cible : {url}")
    yield url, None


MONCOMPTE = (sys.executable, "-m", "moncompte.harness.cli")


@contextlib.contextmanager
def reference_server(
    launcher: Sequence[str] = MONCOMPTE,
    *,
    port: int | None = None,
    options: Sequence[str] = (),
    folder: Path | None = None,
) -> Iterator[str]:
    """Start ``moncompte serve --test-mode`` on a free port with a fresh database; stop it afterwards.

    ``launcher`` is the command line that stands for ``moncompte`` (tests use a wrapper);
    ``port`` the port to use (default: a free one); ``options`` more options of ``serve``;
    ``folder`` where the database and the server's log (``serveur.log``) are kept (default: a
    temporary folder, removed afterwards).
    """
    with contextlib.ExitStack() as stack:
        tmp = folder or Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="moncompte-")))
        port = port or free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = Path(tmp) / "serveur.log"
        cmd = [
            *launcher,
            "serve",
            "--test-mode",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--database",
            f"sqlite:///{Path(tmp) / 'moncompte.db'}",
            # Every scenario of the suite comes from this one machine: the per-address quota on codes
            # (30 an hour, against robots) would refuse the later ones. The per-recipient quota stays.
            "--test-send-limit-per-client",
            "0",
            *options,
        ]
        process = start_process(cmd, log_path)
        try:
            wait_until_up(url, process, log_path)
            print(f"Cible : implémentation de référence démarrée sur {url}")
            yield url
        finally:
            stop(process)


@dataclass(frozen=True)
class FranceConnectStandIn:
    """A FranceConnect stand-in provider started for the run, and the client declared at it."""

    url: str  # its issuer (base URL)
    client_id: str
    client_secret: str

    def serve_options(self) -> list[str]:
        """The options of ``moncompte serve`` that make the reference its client."""
        return [
            "--fc-discovery-url",
            f"{self.url}/.well-known/openid-configuration",
            f"--fc-client-id={self.client_id}",
            f"--fc-client-secret={self.client_secret}",
        ]


@contextlib.contextmanager
def franceconnect_simulator(reference_url: str, launcher: Sequence[str] = MONCOMPTE) -> Iterator[FranceConnectStandIn]:
    """Start ``moncompte fc-simulator`` on a free port of 127.0.0.1 for the site at ``reference_url``:
    a client id and secret made for this run, the site's redirect URIs declared; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="moncompte-fc-") as tmp:
        port = free_port()
        stand_in = FranceConnectStandIn(
            f"http://127.0.0.1:{port}", f"moncompte-check-{secrets.token_hex(4)}", secrets.token_urlsafe(32)
        )
        log_path = Path(tmp) / "simulateur.log"
        cmd = [
            *launcher,
            "fc-simulator",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            # `=`: a secret may start with « - » (token_urlsafe), which argparse would take for an option
            f"--client-id={stand_in.client_id}",
            f"--client-secret={stand_in.client_secret}",
            "--redirect-uri",
            f"{reference_url}/franceconnect/retour",
            "--post-logout-redirect-uri",
            f"{reference_url}/franceconnect/deconnexion",
        ]
        process = start_process(cmd, log_path)
        try:
            wait_until_up(
                f"{stand_in.url}/.well-known/openid-configuration",
                process,
                log_path,
                what="le simulateur FranceConnect",
            )
            print(f"FranceConnect : simulateur démarré sur {stand_in.url}")
            yield stand_in
        finally:
            stop(process)


@contextlib.contextmanager
def reference_with_franceconnect(options: Sequence[str] = ()) -> Iterator[tuple[str, str]]:
    """The reference server (with ``options`` of ``serve`` besides) and its FranceConnect stand-in, both
    on 127.0.0.1 for the run: (the reference's URL, the stand-in's URL)."""
    port = free_port()
    with (
        franceconnect_simulator(f"http://127.0.0.1:{port}") as stand_in,
        reference_server(port=port, options=[*stand_in.serve_options(), *options]) as url,
    ):
        yield url, stand_in.url


def start_process(cmd: Sequence[str], log_path: Path, *, cwd: Path | None = None) -> subprocess.Popen:
    """Start a service, its output appended to ``log_path`` (a pipe nobody reads would block it once full).
    With ``wait_until_up`` and ``stop``: the one way the harness, the tests and the bench run a server."""
    with open(log_path, "ab") as log:
        return subprocess.Popen(
            list(cmd), cwd=cwd, env={**_env(), "PYTHONUNBUFFERED": "1"}, stdout=log, stderr=subprocess.STDOUT
        )


def wait_until_up(
    url: str,
    process: subprocess.Popen,
    log_path: Path,
    timeout: float = SERVER_START_TIMEOUT,
    what: str = "le serveur de référence",
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CheckError(f"{what} s'est arrêté au démarrage (code {process.returncode}) :\n" + tail(log_path))
        if unreachable(url, POLL_INTERVAL * 5) is None:
            return
        with contextlib.suppress(subprocess.TimeoutExpired):  # wait for the next poll, or for the process to exit
            process.wait(POLL_INTERVAL)
    raise CheckError(f"{what} ne répond pas sur {url} après {timeout:.0f} s :\n" + tail(log_path))


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(SERVER_STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def tail(path: Path, lines: int = 20) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return "(aucune sortie)"
    return "\n".join(text.rstrip().splitlines()[-lines:]) or "(aucune sortie)"


def _env() -> dict[str, str]:
    """The environment of the subprocesses: this one (the package is installed, editable or not)."""
    return dict(os.environ)
