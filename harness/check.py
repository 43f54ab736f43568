"""``moncompte check``: run the features against a target and write the conformance reports.

With no ``--target`` (nor ``base_url`` in the site profile) the reference
implementation is started in test mode on a free port of 127.0.0.1 with a fresh
SQLite database, and stopped at the end; with it, a FranceConnect stand-in provider
(``moncompte fc-simulator``, free port, client id and secret made for the run) whose
URL the FranceConnect scenarios get as ``--fc-provider`` (to create their test
accounts). The suite runs once per driver in a pytest subprocess (``steps.report`` records each scenario); the results are
merged into ``conformance.json``, ``junit.xml`` and ``cucumber.json`` in the
report folder.

Exit codes (``harness.cli``): 0 no MUST rule fails, 1 one does, 2 the run could not
be made (bad option, unreachable target, server that does not start, pytest
usage or collection error, invalid profile).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from moncompte import rules
from moncompte.harness import ci_formats, conformance, console, report_html, schemas, suite, targets
from moncompte.harness.exits import EXIT_FAIL, EXIT_OK, CheckError, add_exit_options, guarded
from moncompte.steps import shard
from moncompte.steps.profile import ARRANGEMENTS, load
from moncompte.steps.results import ScenarioResult

DRIVERS = ("api", "browser", "http")
DEFAULT_DRIVERS = ("api", "browser")  # without --driver (http: on demand)
# Hosts of the real service: the suite creates accounts, it never runs there unless told to.
PRODUCTION_DOMAINS = ("caf.fr",)
PRODUCTION_FLAG = "--j-accepte-la-production"
USED_IDENTITIES_FOLDER = "identites-utilisees"
RESULTS_FILE = "results.json"  # every scenario record of the run (``steps.results``), all drivers


ACCESSIBILITY_TAG = "accessibilite"


def device_options(args: argparse.Namespace) -> list[str]:
    """The options of the browser sub-run for ``--appareil`` (its first one) / ``--viewport`` /
    ``--arrangement``."""
    options = arrangement_option(args)
    if devices := _devices(args):
        options += ["--appareil", devices[0]]
    if size := getattr(args, "viewport", None):
        options += ["--viewport", size]
    return options


def arrangement_option(args: argparse.Namespace) -> list[str]:
    """``--arrangement`` for the browser sub-runs, when the command was given it."""
    return ["--arrangement", args.arrangement] if getattr(args, "arrangement", None) else []


def more_devices(args: argparse.Namespace) -> list[str]:
    """The devices after the first ``--appareil``: the accessibility rules run on each of them too."""
    return _devices(args)[1:]


def _devices(args: argparse.Namespace) -> list[str]:
    value = getattr(args, "appareil", None)
    return [value] if isinstance(value, str) else list(value or [])


def device_folder(device: str) -> str:
    """The report sub-folder of the accessibility run on another device: ``browser-pixel-7``."""
    return "browser-" + ("-".join(re.findall(r"[a-z0-9]+", device.lower())) or "appareil")


def on_device(results: list[ScenarioResult], device: str, *, distinct: bool) -> None:
    """Say on each result which device it ran on (its scenario's name too: the report tells them apart);
    ``distinct``: its node id as well (another run of the same scenarios, on another device)."""
    for result in results:
        result["device"] = device
        result["scenario"] = f"{result['scenario']} — {device}"
        if distinct:
            result["nodeid"] = f"{result['nodeid']}@{device}"


def command(parser: argparse.ArgumentParser) -> Callable[[argparse.Namespace], int]:
    parser.add_argument(
        "--target",
        metavar="URL",
        help="site à vérifier (défaut : base_url du profil, sinon"
        " l'implémentation de référence, démarrée pour l'occasion)",
    )
    parser.add_argument("--profile", default="default", help="profil de site (fichier TOML ou nom d'un profil intégré)")
    parser.add_argument(
        "--driver",
        choices=DRIVERS,
        help="pilote à utiliser : api, browser ou http (les pages sans navigateur ; défaut : api et browser)",
    )
    parser.add_argument(
        "--tags", metavar="EXPR", help="expression de sélection par étiquettes (ex. « etape_8 and not securite »)"
    )
    parser.add_argument(
        "--rule",
        metavar="ID",
        action="append",
        type=_rule_ids,
        default=[],
        help="ne lancer que les scénarios de ces règles (ex. MDP-LONGUEUR ; répétable, ou"
        " séparées par des virgules : MDP-LONGUEUR,MDP-CHIFFRE)",
    )
    parser.add_argument(
        "--report", metavar="DOSSIER", default="reports", help="dossier des rapports (défaut : reports/)"
    )
    parser.add_argument("--workers", metavar="N", type=int, default=1, help="scénarios en parallèle (défaut : 1)")
    parser.add_argument(
        "--appareil",
        metavar="NOM",
        action="append",
        help="appareil que le pilote navigateur émule : un nom d'appareil de Playwright (ex. « Pixel 7 »,"
        " « iPhone 13 ») ou « bureau » (la fenêtre par défaut) ; le rapport dit lequel. Répété"
        ' (--appareil bureau --appareil "Pixel 7") : toute la suite sur le premier, les règles'
        " d'accessibilité aussi sur chacun des suivants",
    )
    parser.add_argument(
        "--arrangement",
        choices=ARRANGEMENTS,
        help="pilote navigateur : comment préparer un scénario (ses « Étant donné » qui amènent une personne à"
        " une étape) : auto (défaut, ou celui du profil), en lisant les pages en HTTP là où elles se passent de"
        " JavaScript, le navigateur n'agissant que pour les étapes que le scénario vérifie ; navigateur, tout"
        " dans le navigateur",
    )
    parser.add_argument(
        "--viewport", metavar="LxH", help="taille d'écran du pilote navigateur, en pixels CSS (ex. 360x740)"
    )
    parser.add_argument(
        "--shard",
        metavar="K/N",
        help="ne jouer que la part K sur N des scénarios (machines de CI en parallèle ; rapports réunis"
        " ensuite par « moncompte merge »)",
    )
    parser.add_argument(
        "--durees",
        metavar="DOSSIER",
        help="avec --shard ou --workers : le dossier de rapport (ou son results.json) d'une vérification"
        " précédente, pour des parts de même durée et les scénarios les plus longs en premier",
    )
    parser.add_argument(
        "--fc-provider",
        metavar="URL",
        help="avec --target : le fournisseur FranceConnect de test du site (simulateur avec la route"
        " /__test__/comptes) ; sans lui les scénarios FranceConnect sont « non applicables »",
    )
    parser.add_argument(
        "--browser-ws-endpoint",
        metavar="URL",
        help="navigateur distant (serveur Playwright, ws://…) au lieu d'un Chromium local",
    )
    parser.add_argument(
        PRODUCTION_FLAG,
        dest="accept_production",
        action="store_true",
        help="autoriser une cible de production (la suite y crée des comptes !)",
    )
    parser.add_argument(
        "--sans-traces",
        dest="no_traces",
        action="store_true",
        help="ne pas rejouer les scénarios en échec du pilote navigateur pour en garder la trace Playwright",
    )
    add_exit_options(parser)
    parser.add_argument(
        "--sans-preverification",
        dest="skip_preflight",
        action="store_true",
        help="ne pas vérifier les localisateurs du profil avant de lancer le pilote navigateur",
    )

    return guarded("check", check)


def check(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise CheckError(f"--workers doit valoir au moins 1 (reçu : {args.workers})")
    rule_ids = [rule_id for given in args.rule for rule_id in given]
    if unknown := [rule_id for rule_id in rule_ids if rule_id not in rules.BY_ID]:
        raise CheckError(f"règle inconnue : {', '.join(unknown)} (la liste : « moncompte rules »)")
    profile = load(args.profile)  # ProfileError: reported by harness.cli with exit code 2
    profile_arg = str(Path(args.profile).resolve()) if Path(args.profile).is_file() else args.profile
    report_dir = Path(args.report).resolve()
    drivers = [args.driver] if args.driver else list(DEFAULT_DRIVERS)
    selection = marker_expression(args.tags, rule_ids)
    refuse_production(profile, args.target or profile.base_url, getattr(args, "accept_production", False))
    part = shard_options(args)
    ws_endpoint = getattr(args, "browser_ws_endpoint", None)

    started_at = _now()
    from moncompte.steps.identities import USED_IDENTITIES_ENV

    # identities a site accepts once (profile: un_compte_par_personne) are recorded here, for the whole
    # run (workers, re-runs) and the next runs on the same site: delete it when the recette is reset
    used = os.environ.get(USED_IDENTITIES_ENV) or str(report_dir / USED_IDENTITIES_FOLDER)
    from moncompte.harness.preflight import LEARNED_FILE
    from moncompte.steps.drivers.browser import LEARNED_PAGES_ENV

    with (
        environ(USED_IDENTITIES_ENV, used),
        environ(shard.SHARD_ENV, getattr(args, "shard", None)),
        environ(LEARNED_PAGES_ENV, str(report_dir / LEARNED_FILE)),
        targets.target(
            args.target or profile.base_url, serve_options=targets.parameter_options(profile), access=profile.acces
        ) as (url, fc_provider),
        code_relay(profile, url),
    ):
        fc_provider = fc_provider or args.fc_provider
        # A site profile (a file, not a built-in profile) on a target other than the embedded
        # reference: its locators are checked on the pages before the browser runs the suite.
        site_profile = Path(args.profile).is_file()
        embedded = args.target is None and profile.base_url is None
        if "browser" in drivers and site_profile and not embedded and not getattr(args, "skip_preflight", False):
            preflight(profile, url, ws_endpoint, report_dir)
        elif "browser" in drivers and ws_endpoint:
            remote_browser_answers(ws_endpoint)
        results: list[ScenarioResult] = []
        device = device_options(args)
        for driver in drivers:
            found = suite.run_suite(
                driver,
                url,
                profile_arg,
                report_dir / driver,
                selection,
                args.workers,
                ws_endpoint=ws_endpoint,
                fc_provider=fc_provider,
                extra=[*part, *(device if driver == "browser" else ())],
            )
            if driver == "browser" and not getattr(args, "no_traces", False):
                suite.retrace(
                    found,
                    url,
                    profile_arg,
                    report_dir / driver / suite.RETRY_FOLDER,
                    args.workers,
                    ws_endpoint=ws_endpoint,
                    fc_provider=fc_provider,
                    extra=device,
                )
            results += found
            if driver == "browser" and more_devices(args):
                results += other_devices(args, found, url, profile_arg, report_dir, selection, ws_endpoint, fc_provider)
    document = conformance.build(
        results,
        target=url,
        profile=profile.name,
        drivers=drivers,
        started_at=started_at,
        finished_at=_now(),
        deviations={k: v.model_dump() for k, v in profile.expectations.deviations.items()},
        not_applicable=profile.expectations.off(),
        about=schemas.environment(
            suite.browser_version(report_dir / "browser") if "browser" in drivers else None,
            " ; ".join(devices) if (devices := _devices_used(report_dir, args, drivers)) else None,
        ),
    )
    if getattr(args, "shard", None):
        document["shard"] = args.shard
    write_reports(
        report_dir,
        document,
        drivers,
        results,
        {f"browser ({d})": report_dir / device_folder(d) for d in more_devices(args) if "browser" in drivers},
    )

    files = f"{report_dir}/conformance.json, {RESULTS_FILE}, junit.xml, cucumber.json, report.html"
    return conclude(document, files, getattr(args, "strict", False), getattr(args, "fail_on_warning", False))


def conclude(document: Mapping[str, Any], files: str, strict: bool, on_warning: bool) -> int:
    """The end of a run (``check``, ``merge``): each rule's verdict, the summary, where the reports are, what
    the exit options made of it; the exit code."""
    print()
    print("\n".join(console.rule_lines(document)))
    print(console.summary_line(document))
    if document.get("deviations_resolved"):
        print(
            f"Écarts déclarés dans le profil mais désormais respectés : {', '.join(document['deviations_resolved'])}"
            " (mettez le profil à jour)."
        )
    print(f"Rapports : {files}")
    if strict and conformance.must_not_checked(document):
        print("--strict : des règles MUST sont non vérifiées (code de sortie 1).")
    if on_warning and conformance.warnings(document):
        print(
            f"--echec-sur-avertissement : règles SHOULD ou MAY en échec : {', '.join(conformance.warnings(document))}"
            " (code de sortie 1)."
        )
    return exit_code(document, strict=strict, fail_on_warning=on_warning)


def shard_options(args: argparse.Namespace) -> list[str]:
    """The options of the sub-runs for ``--shard`` / ``--durees`` (CheckError on a bad value)."""
    value, timings = getattr(args, "shard", None), getattr(args, "durees", None)
    if timings and not value and getattr(args, "workers", 1) < 2:
        raise CheckError("--durees ne sert qu'avec --shard ou --workers (2 ou plus)")
    try:
        if value:
            shard.parse(value)
        if timings:
            shard.timings(timings, "api")  # readable (each sub-run takes its driver's durations)
    except shard.ShardError as exc:
        raise CheckError(str(exc)) from None
    return [
        *(["--shard", value] if value else []),
        *(["--shard-timings", str(Path(timings).resolve())] if timings else []),
    ]


@contextlib.contextmanager
def environ(name: str, value: str | None) -> Iterator[None]:
    """``os.environ[name] = value`` for the block (the suite's subprocesses inherit it), then as before;
    ``None``: nothing changes."""
    if value is None:
        yield
        return
    before = os.environ.get(name)
    os.environ[name] = value
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = before


def other_devices(
    args: argparse.Namespace,
    first: list[ScenarioResult],
    url: str,
    profile: str,
    report_dir: Path,
    selection: str | None,
    ws_endpoint: str | None,
    fc_provider: str | None,
) -> list[ScenarioResult]:
    """The accessibility scenarios again on each device after the first ``--appareil`` (in its own
    report sub-folder); every result, the first run's included, says its device."""
    on_device(first, suite.browser_device(report_dir / "browser") or _devices(args)[0], distinct=False)
    found: list[ScenarioResult] = []
    accessibility = f"({selection}) and {ACCESSIBILITY_TAG}" if selection else ACCESSIBILITY_TAG
    for device in more_devices(args):
        folder = report_dir / device_folder(device)
        again = suite.run_suite(
            "browser",
            url,
            profile,
            folder,
            accessibility,
            args.workers,
            ws_endpoint=ws_endpoint,
            fc_provider=fc_provider,
            extra=["--appareil", device, *arrangement_option(args)],
            what=f"règles d'accessibilité sur l'appareil « {device} »",
        )
        on_device(again, suite.browser_device(folder) or device, distinct=True)
        found += again
    return found


def _devices_used(report_dir: Path, args: argparse.Namespace, drivers: Sequence[str]) -> list[str]:
    """What each browser run emulated, as its run recorded it (« bureau (1280 × 900) », « Pixel 7 (412 × 839) »)."""
    if "browser" not in drivers:
        return []
    folders = [report_dir / "browser", *(report_dir / device_folder(d) for d in more_devices(args))]
    return [found for folder in folders if (found := suite.browser_device(folder))]


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
        why = f'le profil « {profile.name} » indique environment = "{profile.environment}"'
    elif is_production_host(url):
        why = f"la cible {url} est un site de production de la CAF (caf.fr)"
    else:
        return
    raise CheckError(
        f"refus de lancer la suite : {why}. La suite crée des comptes et envoie des codes ; elle se lance"
        f" sur un site de recette. Si c'est vraiment voulu, ajoutez {PRODUCTION_FLAG}."
    )


def preflight(profile: Any, url: str, ws_endpoint: str | None, report_dir: Path) -> None:
    """The profile's locators on the target's pages (``harness.preflight``), its findings written in the
    report folder: CheckError listing those not found or not usable; else the file of the pages met,
    which the suite's browser driver opens directly (``MONCOMPTE_PAGES_APPRISES``)."""
    from moncompte.harness import preflight as checks

    print("Pré-vérification des localisateurs du profil (--sans-preverification pour la passer)…", flush=True)
    try:
        result = checks.run(profile, url, ws_endpoint=ws_endpoint)
    except Exception as exc:  # no browser, remote browser unreachable…
        raise CheckError(f"pré-vérification impossible : {str(exc).strip().splitlines()[0]}") from None
    result.write(report_dir)
    if not result.ok:
        raise CheckError(
            f"des éléments des pages sont introuvables ou inutilisables avec les localisateurs du profil"
            f" (corrigez [locators] ou [pages], puis « moncompte profile check ») :\n"
            f"{result.table(only_missing=True)}\n{result.summary()}\n"
            f"Détail : {report_dir / 'preverification.txt'}"
        )
    print(result.summary())
    if result.missing:  # of ① ② ③: the navigation rules' scenarios will say it
        print(
            f"Introuvables sur les pages de navigation (non bloquant : les règles ① ② ③ le diront) :\n"
            f"{result.table(only_missing=True)}"
        )


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


# ── the reports ───────────────────────────────────────────────────────────────


def write_reports(
    report_dir: Path,
    document: Mapping[str, Any],
    drivers: list[str],
    results: list[ScenarioResult],
    more_runs: Mapping[str, Path] | None = None,
) -> None:
    """``more_runs``: the sub-runs besides one per driver (their name in JUnit and Cucumber → their folder:
    the accessibility runs on more devices)."""
    report_dir.mkdir(parents=True, exist_ok=True)
    runs = {**{d: report_dir / d for d in drivers}, **(more_runs or {})}
    (report_dir / "conformance.json").write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    (report_dir / RESULTS_FILE).write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")

    junit_parts = {d: p.read_text(encoding="utf-8") for d, f in runs.items() if (p := f / "junit.xml").exists()}
    (report_dir / "junit.xml").write_text(ci_formats.merge_junit(junit_parts), encoding="utf-8")

    cucumber_parts = {}
    for run, folder in runs.items():
        path = folder / "cucumber.json"
        features = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
        if not features and run in drivers:  # empty under pytest-xdist: rebuild it from our own records
            features = ci_formats.cucumber_from_results([r for r in results if r["driver"] == run])
        cucumber_parts[run] = features
    (report_dir / "cucumber.json").write_text(
        json.dumps(ci_formats.merge_cucumber(cucumber_parts), ensure_ascii=False, indent=1), encoding="utf-8"
    )
    report_html.write(document, report_dir)


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
