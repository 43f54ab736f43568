"""Pytest fixtures of the browser driver: one browser per worker, a context per scenario.

- ``playwright_browser`` (session): Chromium launched once per worker with
  ``find_chromium()`` (Playwright's own, else the system's), headless; or, with
  ``--browser-ws-endpoint URL`` (or ``MONCOMPTE_BROWSER_WS_ENDPOINT``), a remote
  browser (a Playwright server) connected to instead.
- ``browser_driver`` (function): a fresh browser context and a ``BrowserDriver``
  on its page, with the profile's locator overrides. The profile's ``[acces]``
  (``steps.target_access``) gives the context its HTTP credentials and the local
  Chromium the key of the site's certificate signed by an internal authority. When the test fails, a
  screenshot is saved under ``<--report-dir>/artefacts/<test id>/`` and recorded
  in ``item.user_properties`` (``("screenshot", path)``) for the report plugin
  and JUnit XML. ``--browser-trace echecs`` also records a Playwright trace of
  every scenario and keeps it (``("trace", path)``) when it fails; ``toujours``
  keeps it for every scenario. Tracing costs about a third of the run's time, so
  it is off by default: ``moncompte check`` re-runs the failed scenarios with
  ``toujours`` to give each failure its trace (``harness.suite.retrace``).

Register with ``pytest_plugins = ["moncompte.steps.drivers.browser_pytest"]``. Relies on
the ``target_url`` and ``profile`` fixtures and the ``--report-dir`` option of
``steps/fixtures.py`` / ``steps/conftest.py``.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from moncompte.steps.browser_setup import find_chromium
from moncompte.steps.drivers.browser import BrowserDriver

DEFAULT_REPORT_DIR = "reports"
BROWSER_VERSION_FILE = "navigateur.txt"  # in the report folder: the browser's version, for conformance.json
WS_ENDPOINT_ENV = "MONCOMPTE_BROWSER_WS_ENDPOINT"


CONNECT_TIMEOUT_MS = 15_000


class BrowserUnavailable(RuntimeError):
    """No browser for the harness: the remote one does not answer, or the local one does not start."""


def launch_browser(playwright: Any, ws_endpoint: str | None = None, extra_args: Sequence[str] = ()) -> Any:
    """A Chromium for the harness: remote when ``ws_endpoint`` is given, else launched headless, with
    ``extra_args`` besides (``target_access.browser_launch_args``; a remote browser is launched by its server).

    Raises ``BrowserUnavailable`` with a French message saying which browser was expected where.
    """
    from playwright.sync_api import Error as PlaywrightError

    if ws_endpoint:
        try:
            return playwright.chromium.connect(ws_endpoint, timeout=CONNECT_TIMEOUT_MS)
        except PlaywrightError as exc:
            raise BrowserUnavailable(
                f"le navigateur distant {ws_endpoint} ne répond pas (serveur Playwright attendu,"
                f" « npx playwright run-server » ou une grille) : {_first_line(exc)}"
            ) from None
    executable, args = find_chromium()
    options: dict[str, Any] = {"headless": True, "args": [*args, *extra_args]}
    if executable:
        options["executable_path"] = executable
    try:
        return playwright.chromium.launch(**options)
    except PlaywrightError as exc:
        raise BrowserUnavailable(
            f"Chromium ne démarre pas ({executable or 'Chromium de Playwright'}) : {_first_line(exc)}"
        ) from None


def _first_line(exc: BaseException) -> str:
    lines = [line for line in str(exc).strip().splitlines() if line.strip()]
    return lines[0] if lines else exc.__class__.__name__


DESKTOP = {"viewport": {"width": 1280, "height": 900}}
DESKTOP_NAME = "bureau"  # --appareil bureau: the desktop window (to ask for it besides a phone)
DEVICE_FILE = "appareil.txt"  # the device the browser emulated, for the report (``harness/check.py``)


def device_options(devices: Mapping[str, Mapping[str, Any]], name: str | None, viewport: str | None) -> dict[str, Any]:
    """The context options of the device to emulate: a Playwright device (``name``, e.g. « Pixel 7 »: its
    viewport, scale, user agent, touch), or a bare ``viewport`` « 360x740 »; a desktop window otherwise
    (or when ``name`` is « bureau »).
    ``ValueError`` in French for an unknown device or a malformed size."""
    options: dict[str, Any] = dict(DESKTOP)
    if name == DESKTOP_NAME:
        name = None
    if name:
        if name not in devices:
            close = difflib.get_close_matches(name, list(devices), n=8, cutoff=0.5) or list(devices)[:8]
            raise ValueError(f"appareil inconnu : « {name} » (par exemple : {', '.join(close)})")
        options = {k: v for k, v in devices[name].items() if k != "default_browser_type"}
    if viewport:
        width, sep, height = viewport.lower().partition("x")
        if not (sep and width.isdigit() and height.isdigit() and int(width) > 0 and int(height) > 0):
            raise ValueError(f"taille d'écran invalide : « {viewport} » (attendu : LARGEURxHAUTEUR, ex. 360x740)")
        options["viewport"] = {"width": int(width), "height": int(height)}
    return options


def describe_device(name: str | None, options: Mapping[str, Any]) -> str:
    """« Pixel 7 (412 × 839) », « 360 × 740 », « bureau (1280 × 900) »."""
    size = f"{options['viewport']['width']} × {options['viewport']['height']}"
    return f"{name} ({size})" if name else (f"bureau ({size})" if options["viewport"] == DESKTOP["viewport"] else size)


def new_context(
    browser: Any,
    trace: bool = False,
    access: Any = None,
    target: str | None = None,
    device: Mapping[str, Any] = DESKTOP,
) -> Any:
    """A fresh context: French locale, the ``device``'s viewport (a desktop window by default), the HTTP
    credentials of ``access`` (the profile's ``[acces]``) for ``target``'s origin; with ``trace``, tracing
    on (screenshots, DOM snapshots)."""
    from moncompte.steps.target_access import browser_context_options

    context = browser.new_context(locale="fr-FR", **{**device, **browser_context_options(access, target)})
    if trace:
        context.tracing.start(screenshots=True, snapshots=True, sources=False)
    return context


def artefact_dir(report_dir: str | os.PathLike[str], nodeid: str) -> Path:
    """``<report_dir>/artefacts/<test id made safe for a file name>``."""
    # pytest escapes non-ASCII characters of parameter ids (« \xe9 »): give them back, then keep
    # letters (accented too), digits, dots and dashes.
    readable = re.sub(r"\\x([0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})", lambda m: chr(int(m[1] or m[2], 16)), nodeid)
    safe = re.sub(r"[^\w.-]+", "_", readable).strip("._")
    if len(safe) > 150:
        import hashlib

        safe = safe[:140] + "_" + hashlib.sha1(nodeid.encode()).hexdigest()[:8]
    return Path(report_dir) / "artefacts" / (safe or "test")


def failed(item: pytest.Item) -> bool:
    """Whether the test's setup or call failed (a skip, e.g. *non applicable*, is no failure)."""
    return any(
        getattr(item, f"rep_{when}", None) is not None and getattr(item, f"rep_{when}").failed
        for when in ("setup", "call")
    )


def save_artefacts(
    item: pytest.Item,
    context: Any,
    page: Any,
    report_dir: str | os.PathLike[str],
    *,
    screenshot: bool = True,
    trace: bool = True,
) -> dict[str, Path]:
    """Screenshot of the page and the trace of the context (when recorded), recorded on the item."""
    folder = artefact_dir(report_dir, item.nodeid)
    folder.mkdir(parents=True, exist_ok=True)
    saved: dict[str, Path] = {}
    if screenshot:
        path = folder / "screenshot.png"
        try:
            page.screenshot(path=str(path), full_page=True, timeout=5000)
            saved["screenshot"] = path
        except Exception as exc:  # a closed or crashed page: keep the trace at least
            item.user_properties.append(("screenshot_error", f"capture impossible : {exc}"))
    if trace:
        path = folder / "trace.zip"
        context.tracing.stop(path=str(path))
        saved["trace"] = path
    for kind, path in saved.items():
        item.user_properties.append((kind, str(path)))
    return saved


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    """Keep each phase's report on the item (``item.rep_setup``, ``item.rep_call``)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _option(config: pytest.Config, name: str) -> Any:
    try:
        return config.getoption(name)
    except ValueError:  # option not registered (e.g. the fixtures used outside the harness)
        return None


def _launch_args(config: pytest.Config) -> list[str]:
    """Chromium's arguments for the profile's ``[acces]`` on the target (the key of its certificate, when
    an internal authority signs it). Read from the options: the browser is one per worker, before any scenario."""
    from moncompte.steps import profile as profiles
    from moncompte.steps.target_access import browser_launch_args

    name = _option(config, "profile")
    if not name:
        return []
    try:
        profile = profiles.load(name)
    except profiles.ProfileError:  # reported by the ``profile`` fixture, with exit code 2
        return []
    return browser_launch_args(profile.acces, _option(config, "target") or profile.base_url)


@pytest.fixture(scope="session")
def playwright_session() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser_device(playwright_session: Any, pytestconfig: pytest.Config) -> dict[str, Any]:
    """The context options of the device asked with ``--appareil`` / ``--viewport`` (a desktop window by default)."""
    name = _option(pytestconfig, "appareil")
    name = None if name == DESKTOP_NAME else name
    try:
        options = device_options(playwright_session.devices, name, _option(pytestconfig, "viewport"))
    except ValueError as exc:
        pytest.exit(f"moncompte : {exc}", returncode=2)
    if report_dir := _option(pytestconfig, "report_dir"):
        Path(report_dir).mkdir(parents=True, exist_ok=True)
        (Path(report_dir) / DEVICE_FILE).write_text(describe_device(name, options), encoding="utf-8")
    return options


@pytest.fixture(scope="session")
def playwright_browser(playwright_session: Any, pytestconfig: pytest.Config) -> Iterator[Any]:
    """One Chromium per worker (or one connection to a remote browser)."""
    from moncompte.steps.drivers.base import TargetError

    endpoint = _option(pytestconfig, "browser_ws_endpoint") or os.environ.get(WS_ENDPOINT_ENV)
    try:
        browser = launch_browser(playwright_session, endpoint, () if endpoint else _launch_args(pytestconfig))
    except (BrowserUnavailable, RuntimeError, TargetError) as exc:
        pytest.exit(f"moncompte : {exc}", returncode=2)
    if report_dir := _option(pytestconfig, "report_dir"):
        Path(report_dir).mkdir(parents=True, exist_ok=True)
        (Path(report_dir) / BROWSER_VERSION_FILE).write_text(f"Chromium {browser.version}", encoding="utf-8")
    try:
        yield browser
    finally:
        browser.close()


@pytest.fixture
def browser_driver(
    playwright_browser: Any,
    browser_device: dict[str, Any],
    target_url: str,
    profile: Any,
    is_reference: bool,
    request: pytest.FixtureRequest,
) -> Iterator[BrowserDriver]:
    """A ``BrowserDriver`` in a fresh context; screenshot (and trace, if recorded) kept when the test fails."""
    mode = _option(request.config, "browser_trace") or "non"
    context = new_context(
        playwright_browser,
        trace=mode != "non",
        access=getattr(profile, "acces", None),
        target=target_url,
        device=browser_device,
    )
    page = context.new_page()
    overrides = getattr(profile, "locators", None) or {}
    pages = getattr(profile, "pages", None) or None
    driver = BrowserDriver(page, target_url, overrides, pages=pages, reference_pages=is_reference)
    try:
        yield driver
    finally:
        try:
            report_dir = _option(request.config, "report_dir") or DEFAULT_REPORT_DIR
            if failed(request.node):
                save_artefacts(request.node, context, page, report_dir, trace=mode != "non")
            elif mode == "toujours":
                save_artefacts(request.node, context, page, report_dir, screenshot=False)
            elif mode == "echecs":
                context.tracing.stop()
        finally:
            context.close()
