"""The browser driver's preparation over HTTP (``steps.drivers.arranged``, ``--arrangement``)."""

from __future__ import annotations

import json
import subprocess
from http.cookiejar import Cookie
from types import SimpleNamespace

from moncompte.harness import targets
from moncompte.steps.drivers.arranged import ARRANGEABLE, ArrangedDriver, browser_cookie
from moncompte.steps.drivers.base import NotApplicable, TargetError
from tests.schemacheck import read_report
from tests.sitecheck import REPO


def _cookie(name: str, domain: str, *, rest: dict | None = None, secure: bool = False, expires: int | None = None):
    return Cookie(
        0, name, "v-" + name, None, False, domain, False, domain.startswith("."), "/", True, secure, expires,
        False, None, None, rest or {},
    )  # fmt: skip


def test_a_cookie_of_the_http_jar_is_taken_by_the_browser_with_its_attributes():
    session = browser_cookie(
        _cookie("session", "127.0.0.1", rest={"HttpOnly": None, "SameSite": "lax"}), "http://127.0.0.1:8000/"
    )
    assert session == {
        "name": "session",
        "value": "v-session",
        "domain": "127.0.0.1",
        "path": "/",
        "secure": False,
        "httpOnly": True,
        "sameSite": "Lax",
    }
    # the jar files a host without a dot under « .local »; a cookie without SameSite gets the browser's default
    local = browser_cookie(
        _cookie("inscription", "localhost.local", secure=True, expires=2_000_000_000), "https://localhost/"
    )
    assert local["domain"] == "localhost" and local["secure"] is True and local["httpOnly"] is False
    assert local["expires"] == 2_000_000_000.0 and "sameSite" not in local


class _Page:
    def __init__(self, url: str = "about:blank"):
        self.url = url
        self.context = SimpleNamespace(cookies=[], add_cookies=self._add)

    def _add(self, cookies):
        self.context.cookies.extend(cookies)


class _Driver:
    """A driver that records the intents it carries out; ``refuse`` the ones it cannot (NotApplicable)."""

    def __init__(self, name: str, refuse: tuple[str, ...] = ()):
        self.name, self.refuse, self.calls, self.page = name, refuse, [], _Page()
        self.base_url = "http://127.0.0.1:8000/"
        self.client = SimpleNamespace(cookies=SimpleNamespace(jar=[]))

    def __getattr__(self, intent: str):
        if intent.startswith("_"):
            raise AttributeError(intent)

        def act(*args):
            if intent in self.refuse:
                raise NotApplicable(f"{intent} demande JavaScript")
            self.calls.append((intent, *args))
            self.page.url = f"http://127.0.0.1:8000/apres-{intent}"
            return intent

        return act

    def _goto_path(self, url: str) -> None:
        self.calls.append(("ouvre", url))
        self.page.url = url

    def _check_server(self) -> None:
        pass


def _arranged(refuse: tuple[str, ...] = ()):
    browser, http = _Driver("browser"), _Driver("http", refuse)
    http.client.cookies.jar.append(_cookie("session", "127.0.0.1", rest={"HttpOnly": None}))
    return ArrangedDriver(browser, http), browser, http


def test_the_preparation_goes_over_http_and_the_browser_acts_from_the_page_it_reached():
    driver, browser, http = _arranged()
    driver.start_registration()
    driver.fill_civil_status({"nir": "x"})
    assert [c[0] for c in http.calls] == ["start_registration", "fill_civil_status"] and browser.calls == []
    driver.act()  # the first « Quand »
    driver.choose_password("Abcdefg1")
    assert browser.calls == [
        ("ouvre", "http://127.0.0.1:8000/apres-fill_civil_status"),
        ("choose_password", "Abcdefg1"),
    ]
    assert [c["name"] for c in browser.page.context.cookies] == ["session"]  # the session went with it
    assert len(http.calls) == 2  # nothing more over HTTP once the browser acts
    assert driver.how() == "http"


def test_an_intent_outside_the_journey_sends_the_rest_of_the_preparation_to_the_browser():
    driver, browser, http = _arranged()
    driver.start_registration()
    driver.use_keyboard_only()  # not arrangeable: the browser's, from the page reached
    driver.fill_civil_status({"nir": "x"})
    assert [c[0] for c in browser.calls] == ["ouvre", "use_keyboard_only", "fill_civil_status"]
    assert driver.how().startswith("http puis navigateur (« use_keyboard_only »")
    assert "use_keyboard_only" not in ARRANGEABLE and "fill_civil_status" in ARRANGEABLE


def test_a_page_that_needs_javascript_is_prepared_in_the_browser_from_there():
    driver, browser, http = _arranged(refuse=("submit_code",))
    driver.request_code("email", "a@exemple.fr")
    assert driver.submit_code("123456") == "submit_code"
    assert [c[0] for c in browser.calls] == ["ouvre", "submit_code"]
    assert driver.how() == "http puis navigateur (« submit_code » : submit_code demande JavaScript)"


def test_what_the_http_driver_cannot_find_in_the_page_is_looked_for_in_the_browser():
    driver, browser, http = _arranged()
    http.refuse = ()
    http.fill_civil_status = lambda person: (_ for _ in ()).throw(TargetError("Élément « Nom » introuvable\nsuite"))
    driver.start_registration()
    assert driver.fill_civil_status({"nir": "x"}) == "fill_civil_status"
    assert [c[0] for c in browser.calls] == ["ouvre", "fill_civil_status"]
    assert driver.how() == "http puis navigateur (« fill_civil_status » : Élément « Nom » introuvable)"


def test_a_preparation_without_any_journey_intent_is_the_browser_s():
    driver, browser, http = _arranged()
    driver.open_home()
    driver.act()
    assert [c[0] for c in browser.calls] == ["open_home"] and http.calls == []
    assert driver.how() == "navigateur" and browser.page.context.cookies == []


# ── on the reference, through the harness ────────────────────────────────────
def _run(tmp_path, *options: str) -> tuple[dict, list[dict]]:
    proc = subprocess.run(
        [
            *targets.MONCOMPTE,
            "check",
            "--driver",
            "browser",
            "--rule",
            "MDP-LONGUEUR",
            *options,
            "--report",
            str(tmp_path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-2000:]
    return read_report(tmp_path), json.loads((tmp_path / "results.json").read_text(encoding="utf-8"))


def test_on_the_reference_the_preparation_over_http_gives_the_browser_s_verdicts(tmp_path):
    """The same scenarios, prepared over HTTP (default) and in the browser (``--arrangement navigateur``): the
    same outcome for each, the report saying how each was prepared."""
    arranged, by_http = _run(tmp_path / "auto")
    plain, in_browser = _run(tmp_path / "navigateur", "--arrangement", "navigateur")
    outcomes = {r["nodeid"]: r["outcome"] for r in by_http}
    assert outcomes == {r["nodeid"]: r["outcome"] for r in in_browser} and "failed" not in outcomes.values()
    assert {r["arrangement"] for r in by_http} == {"http"}
    assert {r["arrangement"] for r in in_browser} == {"navigateur"}
    verdict = {e["id"]: e["verdict"] for e in arranged["rules"]}
    assert verdict["MDP-LONGUEUR"] == "pass" == {e["id"]: e["verdict"] for e in plain["rules"]}["MDP-LONGUEUR"]
    arrangements = {s.get("arrangement") for rule in arranged["rules"] for s in rule.get("scenarios", [])}
    assert arrangements == {"http"}  # in conformance.json too
