"""``moncompte check``: run the features against a target and write the conformance reports.

With no ``--target`` (nor ``base_url`` in the site profile) the reference
implementation is started in test mode on a free port of 127.0.0.1 with a fresh
SQLite database, and stopped at the end; with it, a FranceConnect stand-in provider
(``moncompte fc-simulator``, free port, client id and secret made for the run) whose
URL the FranceConnect scenarios get as ``--fc-provider`` (to create their test
accounts). The suite runs once per driver in a pytest subprocess (``steps.report`` records each scenario); the results are
merged into ``conformance.json``, ``junit.xml`` and ``cucumber.json`` in the
report folder.

Exit codes (``steps.cli``): 0 no MUST rule fails, 1 one does, 2 the run could not
be made (bad option, unreachable target, server that does not start, pytest
usage or collection error, invalid profile).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

import httpx

from moncompte import resources, rules
from moncompte.steps import conformance, report_html, schemas
from moncompte.steps.cli import EXIT_ERROR, EXIT_FAIL, EXIT_OK
from moncompte.steps.profile import load

# The collected module and its folder, found where the package is installed (a checkout or a wheel).
# pytest runs there, rooted there (``suite.ini``): node ids read ``test_conformite.py::…`` either way.
SUITE = resources.path("moncompte.steps", "test_conformite.py")
SUITE_INI = SUITE.with_name("suite.ini")
DRIVERS = ("api", "browser")

SERVER_START_TIMEOUT = 60.0  # seconds for the reference server to answer (a loaded CI machine is slow)
SERVER_STOP_TIMEOUT = 10.0
POLL_INTERVAL = 0.1
REACH_TIMEOUT = 5.0  # seconds for --target to answer
FAILURES_SHOWN = 3  # failed scenarios shown under a rule on the console

VERDICT_LABELS = {
    conformance.PASS: "conforme",
    conformance.FAIL: "non conforme",
    conformance.WARNING: "avertissement",
    conformance.NOT_APPLICABLE: "non applicable",
    conformance.NOT_RUN: "non vérifié",
    conformance.NOT_SELECTED: "non exécuté",
    conformance.EXPECTED_FAIL: "écart connu",
}

# Hosts of the real service: the suite creates accounts, it never runs there unless told to.
PRODUCTION_DOMAINS = ("caf.fr",)
PRODUCTION_FLAG = "--j-accepte-la-production"

# pytest exit codes that mean the suite could not run (1 = some tests failed, 5 = none selected)
PYTEST_ERRORS = {
    2: "exécution interrompue (erreur de collecte des scénarios ?)",
    3: "erreur interne de pytest",
    4: "erreur d'utilisation de pytest (option ou expression de sélection invalide ?)",
}
PYTEST_NO_TESTS = 5
# pytest plugins installed for tests/ (entry points) that the features do not use: not loaded by the suite
UNUSED_PLUGINS = ("schemathesis", "hypothesispytest")


class CheckError(Exception):
    """The run could not be made; the message says why, in French (exit code 2)."""


def command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    parser.add_argument("--target", metavar="URL", help="site à vérifier (défaut : base_url du profil, sinon"
                        " l'implémentation de référence, démarrée pour l'occasion)")
    parser.add_argument("--profile", default="default", help="profil de site (fichier TOML ou nom d'un profil intégré)")
    parser.add_argument("--driver", choices=DRIVERS, help="pilote à utiliser (défaut : les deux)")
    parser.add_argument("--tags", metavar="EXPR", help="expression de sélection par étiquettes (ex. « etape_8 and not"
                        " securite »)")
    parser.add_argument("--rule", metavar="ID", action="append", type=_rule_ids, default=[],
                        help="ne lancer que les scénarios de ces règles (ex. MDP-LONGUEUR ; répétable, ou"
                             " séparées par des virgules : MDP-LONGUEUR,MDP-CHIFFRE)")
    parser.add_argument("--report", metavar="DOSSIER", default="reports",
                        help="dossier des rapports (défaut : reports/)")
    parser.add_argument("--workers", metavar="N", type=int, default=1, help="scénarios en parallèle (défaut : 1)")
    parser.add_argument("--fc-provider", metavar="URL",
                        help="avec --target : le fournisseur FranceConnect de test du site (simulateur avec la route"
                             " /__test__/comptes) ; sans lui les scénarios FranceConnect sont « non applicables »")
    parser.add_argument("--browser-ws-endpoint", metavar="URL",
                        help="navigateur distant (serveur Playwright, ws://…) au lieu d'un Chromium local")
    parser.add_argument(PRODUCTION_FLAG, dest="accept_production", action="store_true",
                        help="autoriser une cible de production (la suite y crée des comptes !)")
    parser.add_argument("--sans-traces", dest="no_traces", action="store_true",
                        help="ne pas rejouer les scénarios en échec du pilote navigateur pour en garder la trace Playwright")
    parser.add_argument("--strict", action="store_true",
                        help="code de sortie 1 aussi quand une règle MUST est « non vérifiée » (le harnais n'a pas pu"
                             " la vérifier : identité de test manquante, code impossible à faire vieillir…)")
    parser.add_argument("--echec-sur-avertissement", dest="fail_on_warning", action="store_true",
                        help="code de sortie 1 aussi quand une règle SHOULD ou MAY échoue (avertissement)")
    parser.add_argument("--sans-preverification", dest="skip_preflight", action="store_true",
                        help="ne pas vérifier les localisateurs du profil avant de lancer le pilote navigateur")

    def run(args: argparse.Namespace) -> int:
        try:
            return check(args)
        except CheckError as exc:
            print(f"moncompte check : {exc}", file=sys.stderr)
            return EXIT_ERROR

    return run


def check(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise CheckError(f"--workers doit valoir au moins 1 (reçu : {args.workers})")
    rule_ids = [rule_id for given in args.rule for rule_id in given]
    if unknown := [rule_id for rule_id in rule_ids if rule_id not in rules.BY_ID]:
        raise CheckError(f"règle inconnue : {', '.join(unknown)} (la liste : « moncompte rules »)")
    profile = load(args.profile)  # ProfileError: reported by steps.cli with exit code 2
    profile_arg = str(Path(args.profile).resolve()) if Path(args.profile).is_file() else args.profile
    report_dir = Path(args.report).resolve()
    drivers = [args.driver] if args.driver else list(DRIVERS)
    selection = marker_expression(args.tags, rule_ids)
    refuse_production(profile, args.target or profile.base_url, getattr(args, "accept_production", False))
    ws_endpoint = getattr(args, "browser_ws_endpoint", None)

    started_at = _now()
    from moncompte.steps.identities import USED_IDENTITIES_ENV

    # identities a site accepts once (profile: un_compte_par_personne) are recorded here, for the whole
    # run (workers, re-runs) and the next runs on the same site: delete it when the recette is reset
    used = os.environ.get(USED_IDENTITIES_ENV) or str(report_dir / USED_IDENTITIES_FOLDER)
    from moncompte.steps.drivers.browser import LEARNED_PAGES_ENV
    from moncompte.steps.preflight import LEARNED_FILE

    with environ(USED_IDENTITIES_ENV, used), environ(LEARNED_PAGES_ENV, str(report_dir / LEARNED_FILE)), \
            target(args.target or profile.base_url, serve_options=parameter_options(profile),
                   access=profile.acces) as (url, fc_provider), \
            code_relay(profile, url):
        fc_provider = fc_provider or args.fc_provider
        # A site profile (a file, not a built-in profile) on a target other than the embedded
        # reference: its locators are checked on the pages before the browser runs the suite.
        site_profile = Path(args.profile).is_file()
        embedded = args.target is None and profile.base_url is None
        if "browser" in drivers and site_profile and not embedded and not getattr(args, "skip_preflight", False):
            preflight(profile, url, ws_endpoint, report_dir)
        elif "browser" in drivers and ws_endpoint:
            remote_browser_answers(ws_endpoint)
        results: list[dict[str, Any]] = []
        for driver in drivers:
            found = run_suite(driver, url, profile_arg, report_dir / driver, selection, args.workers,
                              ws_endpoint=ws_endpoint, fc_provider=fc_provider)
            if driver == "browser" and not getattr(args, "no_traces", False):
                retrace(found, url, profile_arg, report_dir / driver / RETRY_FOLDER, args.workers,
                        ws_endpoint=ws_endpoint, fc_provider=fc_provider)
            results += found
    document = conformance.build(
        results, target=url, profile=profile.name, drivers=drivers, started_at=started_at, finished_at=_now(),
        deviations={k: v.model_dump() for k, v in profile.expectations.deviations.items()},
        not_applicable=profile.expectations.off(),
        about=schemas.environment(browser_version(report_dir / "browser") if "browser" in drivers else None),
    )
    write_reports(report_dir, document, drivers, results)

    print()
    print("\n".join(rule_lines(document)))
    print(summary_line(document))
    if document.get("deviations_resolved"):
        print(f"Écarts déclarés dans le profil mais désormais respectés : {', '.join(document['deviations_resolved'])}"
              " (mettez le profil à jour).")
    print(f"Rapports : {report_dir}/conformance.json, junit.xml, cucumber.json")
    strict, on_warning = getattr(args, "strict", False), getattr(args, "fail_on_warning", False)
    if strict and conformance.must_not_checked(document):
        print("--strict : des règles MUST sont non vérifiées (code de sortie 1).")
    if on_warning and conformance.warnings(document):
        print(f"--echec-sur-avertissement : règles SHOULD ou MAY en échec : {', '.join(conformance.warnings(document))}"
              " (code de sortie 1).")
    return exit_code(document, strict=strict, fail_on_warning=on_warning)


def browser_version(run_dir: Path) -> str | None:
    """The browser's version the browser run recorded (``browser_pytest.BROWSER_VERSION_FILE``), if any."""
    from moncompte.steps.drivers.browser_pytest import BROWSER_VERSION_FILE

    path = run_dir / BROWSER_VERSION_FILE
    return path.read_text(encoding="utf-8").strip() or None if path.exists() else None


@contextlib.contextmanager
def environ(name: str, value: str) -> Iterator[None]:
    """``os.environ[name] = value`` for the block (the suite's subprocesses inherit it), then as before."""
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


@contextlib.contextmanager
def code_relay(profile: Any, target_url: str | None = None) -> Iterator[None]:
    """A listening code source (SMTP catcher, SMS sink) started once here for the whole run: the
    preflight and every pytest-xdist worker read its messages through a ``MailboxRelay``."""
    from moncompte.steps import catchers
    from moncompte.steps.drivers.base import TargetError

    if not profile.codes.listens or os.environ.get(catchers.RELAY_ENV):
        yield
        return
    try:
        source = catchers.open_source(profile.codes, target_url, getattr(profile, "acces", None))
    except TargetError as exc:
        raise CheckError(str(exc)) from None
    relay = catchers.MailboxRelay(source)
    os.environ[catchers.RELAY_ENV] = relay.url
    try:
        yield
    finally:
        del os.environ[catchers.RELAY_ENV]
        relay.close()
        source.close()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def is_production_host(url: str | None) -> bool:
    host = (urlsplit(url).hostname or "").lower().rstrip(".") if url else ""
    return any(host == d or host.endswith("." + d) for d in PRODUCTION_DOMAINS)


def refuse_production(profile: Any, url: str | None, accepted: bool) -> None:
    """Refuse a production target (the profile says so, or a host of caf.fr) unless accepted."""
    if accepted:
        return
    if profile.is_production:
        why = f"le profil « {profile.name} » indique environment = \"{profile.environment}\""
    elif is_production_host(url):
        why = f"la cible {url} est un site de production de la CAF (caf.fr)"
    else:
        return
    raise CheckError(f"refus de lancer la suite : {why}. La suite crée des comptes et envoie des codes ; elle se lance"
                     f" sur un site de recette. Si c'est vraiment voulu, ajoutez {PRODUCTION_FLAG}.")


def preflight(profile: Any, url: str, ws_endpoint: str | None, report_dir: Path) -> None:
    """The profile's locators on the target's pages (``steps.preflight``), its findings written in the
    report folder: CheckError listing those not found or not usable; else the file of the pages met,
    which the suite's browser driver opens directly (``MONCOMPTE_PAGES_APPRISES``)."""
    from moncompte.steps import preflight as checks

    print("Pré-vérification des localisateurs du profil (--sans-preverification pour la passer)…", flush=True)
    try:
        result = checks.run(profile, url, ws_endpoint=ws_endpoint)
    except Exception as exc:  # no browser, remote browser unreachable…
        raise CheckError(f"pré-vérification impossible : {str(exc).strip().splitlines()[0]}") from None
    result.write(report_dir)
    if not result.ok:
        raise CheckError(f"des éléments des pages sont introuvables ou inutilisables avec les localisateurs du profil"
                         f" (corrigez [locators] ou [pages], puis « moncompte profile check ») :\n"
                         f"{result.table(only_missing=True)}\n{result.summary()}\n"
                         f"Détail : {report_dir / 'preverification.txt'}")
    print(result.summary())
    if result.missing:  # of ① ② ③: the navigation rules' scenarios will say it
        print(f"Introuvables sur les pages de navigation (non bloquant : les règles ① ② ③ le diront) :\n"
              f"{result.table(only_missing=True)}")


RETRY_FOLDER = "nouvel-essai"
USED_IDENTITIES_FOLDER = "identites-utilisees"
RETRY_LABELS = {"failed": "échec reproduit", "passed": "réussi au nouvel essai : échec intermittent ?"}


def retrace(results: list[dict[str, Any]], url: str, profile: str, out: Path, workers: int,
            ws_endpoint: str | None = None, fc_provider: str | None = None) -> None:
    """Run the failed browser scenarios again with Playwright tracing, to give each failure its trace.

    Tracing every scenario costs about a third of a browser run; failures are few. The verdicts stay
    those of the first run: each failed result gets the retry's trace in its artefacts and ``retry``,
    what the retry did (``RETRY_LABELS``).
    """
    failed = [r for r in results if r["outcome"] == "failed"]
    if not failed:
        return
    try:
        again = run_suite("browser", url, profile, out, None, min(workers, len(failed)), ws_endpoint, fc_provider,
                          tests=[r["nodeid"] for r in failed], extra=["--browser-trace", "toujours"],
                          what=f"{len(failed)} scénario(s) en échec rejoué(s) avec la trace Playwright")
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


def remote_browser_answers(ws_endpoint: str) -> None:
    """Connect once to ``--browser-ws-endpoint``: CheckError (exit 2) when it does not answer."""
    from playwright.sync_api import sync_playwright

    from moncompte.steps.drivers.browser_pytest import BrowserUnavailable, launch_browser

    with sync_playwright() as playwright:
        try:
            browser = launch_browser(playwright, ws_endpoint)
        except BrowserUnavailable as exc:
            raise CheckError(str(exc)) from None
        print(f"Navigateur distant : {ws_endpoint} (Chromium {browser.version})", flush=True)
        browser.close()


def _rule_ids(value: str) -> list[str]:
    """``--rule MDP-LONGUEUR,MDP-CHIFFRE`` → the IDs, upper-cased (checked against the catalogue later)."""
    return [part.strip().upper() for part in value.split(",") if part.strip()]


def marker_expression(tags: str | None, rule_ids: str | Sequence[str] | None) -> str | None:
    """The ``-m`` expression for ``--tags`` and ``--rule`` (rule IDs are markers; several: any of them)."""
    ids = [rule_ids] if isinstance(rule_ids, str) else list(rule_ids or ())
    rule_part = ids[0] if len(ids) == 1 else f"({' or '.join(ids)})" if ids else ""
    parts = [f"({tags})" if tags else "", rule_part]
    return " and ".join(p for p in parts if p) or None


# ── the target ────────────────────────────────────────────────────────────────


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
    return [f"--parametre={rule_id}.{name}={json.dumps(value, ensure_ascii=False)}"
            for rule_id, override in profile.parameters.items() for name, value in override.values().items()]


@contextlib.contextmanager
def target(url: str | None, serve_options: Sequence[str] = (), access: Any = None
           ) -> Iterator[tuple[str, str | None]]:
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


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


MONCOMPTE = (sys.executable, "-m", "moncompte.steps.cli")


@contextlib.contextmanager
def reference_server(launcher: Sequence[str] = MONCOMPTE, *, port: int | None = None,
                     options: Sequence[str] = ()) -> Iterator[str]:
    """Start ``moncompte serve --test-mode`` on a free port with a fresh database; stop it afterwards.

    ``launcher`` is the command line that stands for ``moncompte`` (tests use a wrapper);
    ``port`` the port to use (default: a free one); ``options`` more options of ``serve``.
    """
    with tempfile.TemporaryDirectory(prefix="moncompte-") as tmp:
        port = port or free_port()
        url = f"http://127.0.0.1:{port}"
        log_path = Path(tmp) / "serveur.log"
        cmd = [*launcher, "serve", "--test-mode", "--host", "127.0.0.1",
               "--port", str(port), "--database", f"sqlite:///{Path(tmp) / 'moncompte.db'}", *options]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(cmd, env=_env(), stdout=log, stderr=subprocess.STDOUT)
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
        return ["--fc-discovery-url", f"{self.url}/.well-known/openid-configuration",
                f"--fc-client-id={self.client_id}", f"--fc-client-secret={self.client_secret}"]


@contextlib.contextmanager
def franceconnect_simulator(reference_url: str, launcher: Sequence[str] = MONCOMPTE) -> Iterator[FranceConnectStandIn]:
    """Start ``moncompte fc-simulator`` on a free port of 127.0.0.1 for the site at ``reference_url``:
    a client id and secret made for this run, the site's redirect URIs declared; stop it afterwards."""
    with tempfile.TemporaryDirectory(prefix="moncompte-fc-") as tmp:
        port = free_port()
        stand_in = FranceConnectStandIn(f"http://127.0.0.1:{port}", f"moncompte-check-{secrets.token_hex(4)}",
                                        secrets.token_urlsafe(32))
        log_path = Path(tmp) / "simulateur.log"
        cmd = [*launcher, "fc-simulator", "--host", "127.0.0.1", "--port", str(port),
               # `=`: a secret may start with « - » (token_urlsafe), which argparse would take for an option
               f"--client-id={stand_in.client_id}", f"--client-secret={stand_in.client_secret}",
               "--redirect-uri", f"{reference_url}/franceconnect/retour",
               "--post-logout-redirect-uri", f"{reference_url}/franceconnect/deconnexion"]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(cmd, env=_env(), stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_until_up(f"{stand_in.url}/.well-known/openid-configuration", process, log_path,
                          what="le simulateur FranceConnect")
            print(f"FranceConnect : simulateur démarré sur {stand_in.url}")
            yield stand_in
        finally:
            stop(process)


@contextlib.contextmanager
def reference_with_franceconnect(options: Sequence[str] = ()) -> Iterator[tuple[str, str]]:
    """The reference server (with ``options`` of ``serve`` besides) and its FranceConnect stand-in, both
    on 127.0.0.1 for the run: (the reference's URL, the stand-in's URL)."""
    port = free_port()
    with franceconnect_simulator(f"http://127.0.0.1:{port}") as stand_in, \
            reference_server(port=port, options=[*stand_in.serve_options(), *options]) as url:
        yield url, stand_in.url


def wait_until_up(url: str, process: subprocess.Popen, log_path: Path, timeout: float = SERVER_START_TIMEOUT,
                  what: str = "le serveur de référence") -> None:
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


# ── the suite, once per driver ────────────────────────────────────────────────


def pytest_command(driver: str, url: str, profile: str, out: Path, selection: str | None, workers: int,
                   ws_endpoint: str | None = None, fc_provider: str | None = None,
                   tests: Sequence[str] = ()) -> list[str]:
    """The pytest command of one suite run (``tests``: node ids to run instead of the whole suite)."""
    cmd = [
        sys.executable, "-m", "pytest", *(tests or [str(SUITE)]), "-c", str(SUITE_INI), "--rootdir", str(SUITE.parent),
        "-p", "moncompte.steps.report", "--results-file", str(out / "results.json"), "-p", "moncompte.steps.progress",
        "--driver", driver, "--target", url, "--profile", profile, "--report-dir", str(out),
        "--junitxml", str(out / "junit.xml"), "--cucumberjson", str(out / "cucumber.json"),
        "-q", "-o", "addopts=", "--strict-markers", "-p", "no:cacheprovider",
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


def run_suite(driver: str, url: str, profile: str, out: Path, selection: str | None,
              workers: int, ws_endpoint: str | None = None, fc_provider: str | None = None,
              *, tests: Sequence[str] = (), extra: Sequence[str] = (), what: str = "exécution des scénarios"
              ) -> list[dict[str, Any]]:
    """Run the features with one driver; return the scenario results (``steps.report`` records)."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("results.json", "junit.xml", "cucumber.json"):
        (out / name).unlink(missing_ok=True)  # never merge a previous run's files
    log_path = out / "pytest.log"
    print(f"Pilote {driver} : {what}… (journal : {log_path})", flush=True)
    cmd = [*pytest_command(driver, url, profile, out, selection, workers, ws_endpoint, fc_provider, tests), *extra]
    with open(log_path, "wb") as log, progress_pipe() as (fd, env):
        code = subprocess.run(cmd, cwd=SUITE.parent, env=env, stdout=log, stderr=subprocess.STDOUT,
                              pass_fds=(fd,)).returncode
    if code in PYTEST_ERRORS:
        raise CheckError(f"les scénarios n'ont pas pu s'exécuter avec le pilote {driver} : {PYTEST_ERRORS[code]}"
                         f" (pytest, code {code}).\n{tail(log_path)}")
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


def outcome_counts(results: list[Mapping[str, Any]]) -> str:
    labels = {"passed": "réussis", "failed": "échoués", "not_applicable": "non applicables", "skipped": "ignorés"}
    counts = ", ".join(f"{sum(r['outcome'] == o for r in results)} {label}" for o, label in labels.items())
    return f"{len(results)} scénario{'s' if len(results) > 1 else ''} : {counts}"


# ── the reports ───────────────────────────────────────────────────────────────


def write_reports(report_dir: Path, document: Mapping[str, Any], drivers: list[str],
                  results: list[Mapping[str, Any]]) -> None:
    report_dir.mkdir(parents=True, exist_ok=True)
    (report_dir / "conformance.json").write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")

    junit_parts = {d: p.read_text(encoding="utf-8") for d in drivers if (p := report_dir / d / "junit.xml").exists()}
    (report_dir / "junit.xml").write_text(merge_junit(junit_parts), encoding="utf-8")

    cucumber_parts = {}
    for driver in drivers:
        path = report_dir / driver / "cucumber.json"
        features = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        if not features:  # empty under pytest-xdist: rebuild it from our own records
            features = cucumber_from_results([r for r in results if r["driver"] == driver])
        cucumber_parts[driver] = features
    (report_dir / "cucumber.json").write_text(json.dumps(merge_cucumber(cucumber_parts), ensure_ascii=False, indent=1),
                                              encoding="utf-8")
    report_html.write(document, report_dir)


JUNIT_COUNTS = ("tests", "failures", "errors", "skipped")


def merge_junit(parts: Mapping[str, str]) -> str:
    """One ``<testsuites>`` with one ``<testsuite>`` per driver (test case classes prefixed by the driver)."""
    root = ET.Element("testsuites", name="moncompte check")
    totals = dict.fromkeys(JUNIT_COUNTS, 0)
    duration = 0.0
    for driver, text in parts.items():
        parsed = ET.fromstring(text)
        for suite in [parsed] if parsed.tag == "testsuite" else parsed.findall("testsuite"):
            suite.set("name", f"conformite-{driver}")
            for case in suite.iter("testcase"):
                case.set("classname", f"{driver}.{case.get('classname', '')}")
            for key in JUNIT_COUNTS:
                totals[key] += int(suite.get(key, 0))
            duration += float(suite.get("time", 0))
            root.append(suite)
    for key, value in totals.items():
        root.set(key, str(value))
    root.set("time", f"{duration:.3f}")
    return ET.tostring(root, encoding="unicode", xml_declaration=True)


def merge_cucumber(parts: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The per-driver Cucumber arrays in one, each feature's id and name marked with its driver,
    the tags spelled as Cucumber writes them (``@MDP-LONGUEUR``; pytest-bdd leaves the ``@`` out)."""
    merged = []
    for driver, features in parts.items():
        for feature in features:
            feature = _at_tags({**feature, "id": f"{driver};{feature['id']}", "name": f"{feature['name']} (pilote {driver})"})
            if "elements" in feature:
                feature["elements"] = [_at_tags(element) for element in feature["elements"]]
            merged.append(feature)
    return merged


def cucumber_tag(tag: str) -> str:
    """A tag as Cucumber writes it: with its ``@``."""
    return tag if tag.startswith("@") else f"@{tag}"


def _at_tags(element: dict[str, Any]) -> dict[str, Any]:
    """A copy of a Cucumber feature or scenario, its tags with their ``@``."""
    if "tags" not in element:
        return dict(element)
    return {**element, "tags": [{**tag, "name": cucumber_tag(tag["name"])} for tag in element["tags"]]}


def cucumber_from_results(results: list[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A minimal Cucumber JSON (features → scenarios → steps) from ``steps.report`` records.

    Like pytest-bdd's own report, a scenario that ran no step (skipped at setup) is left out.
    """
    features: dict[str, dict[str, Any]] = {}
    for r in results:
        if not r["steps"]:
            continue
        feature = features.setdefault(r["feature_file"], {
            "keyword": "Fonctionnalité", "uri": r["feature_file"], "name": r["feature"],
            "id": r["feature_file"].lower().replace(" ", "-"), "line": r["feature_line"],
            "description": "", "language": "fr", "tags": [], "elements": [],
        })
        feature["elements"].append({
            "keyword": "Scénario", "id": r["nodeid"].rsplit("::", 1)[-1], "name": r["scenario"],
            "line": r["line"], "description": "", "type": "scenario",
            "tags": [{"name": cucumber_tag(tag), "line": r["line"] - 1} for tag in r["tags"]],
            "steps": _cucumber_steps(r),
        })
    return list(features.values())


def _cucumber_steps(r: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Steps after a failure are failed too (as pytest-bdd marks them); in a skipped scenario,
    the step that raised the skip (the last one run) and those marked failed are skipped."""
    steps = []
    failed = r["outcome"] == "failed"
    for i, step in enumerate(r["steps"]):
        result: dict[str, Any] = {"status": "passed", "duration": int(step["duration"] * 1e9)}
        if step["failed"] or (not failed and i == len(r["steps"]) - 1 and r["outcome"] != "passed"):
            result["status"] = "failed" if failed else "skipped"
            if failed and not any(s["result"].get("error_message") for s in steps):
                result["error_message"] = r["message"]
        steps.append({"keyword": step["keyword"], "name": step["name"], "line": step["line"],
                      "match": {"location": ""}, "result": result})
    return steps


# ── console ───────────────────────────────────────────────────────────────────


def rule_lines(document: Mapping[str, Any]) -> list[str]:
    """A line per rule: verdict, ID, title; under a failed rule, its first failed scenarios and why."""
    id_width = max((len(e["id"]) for e in document["rules"]), default=0)
    label_width = max(len(label) for label in VERDICT_LABELS.values())
    indent = " " * (label_width + 2)
    lines = []
    for entry in document["rules"]:
        choice = " (choix du projet)" if entry.get("origin") == "projet" else ""
        lines.append(f"{VERDICT_LABELS[entry['verdict']]:<{label_width}}  {entry['id']:<{id_width}}  {entry['title']}{choice}")
        failed = [s for s in entry["scenarios"] if s["outcome"] == "failed"]
        for s in failed[:FAILURES_SHOWN]:
            reason = f" : {s['message'].splitlines()[0]}" if s["message"] else ""
            lines.append(f"{indent}↳ [{s['driver']}] {s['feature']} / {s['name']}{reason}")
        if len(failed) > FAILURES_SHOWN:
            lines.append(f"{indent}↳ … et {len(failed) - FAILURES_SHOWN} autres scénarios en échec (conformance.json)")
        if entry["verdict"] == conformance.NOT_RUN and entry.get("reason"):
            lines.append(f"{indent}↳ {entry['reason'].splitlines()[0][:300]}")
    return lines


def summary_line(document: Mapping[str, Any]) -> str:
    counts = ", ".join(f"{VERDICT_LABELS[v]} : {n}" for v, n in document["summary"].items())
    failed = conformance.must_failed(document)
    verdict = f"Règles MUST en échec : {', '.join(failed)}." if failed else "Aucune règle MUST en échec."
    not_checked = conformance.must_not_checked(document)
    if not_checked:
        verdict += f" Règles MUST non vérifiées : {', '.join(not_checked)}."
    return f"Résumé ({len(document['rules'])} règles) : {counts}. {verdict}"


def exit_code(document: Mapping[str, Any], *, strict: bool = False, fail_on_warning: bool = False) -> int:
    """1 when a MUST rule fails; with ``strict``, also when a MUST rule is *non vérifiée*; with
    ``fail_on_warning``, also when a SHOULD or MAY rule fails (a warning); else 0."""
    if conformance.must_failed(document):
        return EXIT_FAIL
    if strict and conformance.must_not_checked(document):
        return EXIT_FAIL
    if fail_on_warning and conformance.warnings(document):
        return EXIT_FAIL
    return EXIT_OK
