"""The browser driver whose scenario preparation runs over HTTP (``--arrangement``, default ``auto``).

Most of a browser scenario is its preparation: « Étant donné une personne qui a atteint l'étape « mot de
passe » » types ④ ⑤ ⑥ ⑦ before the one step the scenario is about. With ``ArrangedDriver``, the intents of
the « Étant donné » steps that only bring a person along the journey (``ARRANGEABLE``: the steps ④ … ⑨,
a login, the household's actions) run through the ``http`` driver (``HttpPagesDriver``: the same pages,
locators and profile, no JavaScript). At the first « Quand » or « Alors » step, the browser context
takes the cookies the preparation got (the session, the registration under way) and opens the page the
preparation ended on; the browser then acts every step the scenario is about.
Every step of the journey is still acted in the browser by its own scenarios.

Automatic: an intent the ``http`` driver cannot carry out on that page (``NotApplicable``: the page needs
JavaScript; ``TargetError``: what it looks for is not in the page as read over HTTP) is carried out in the
browser, from the page the preparation had reached, and the rest of the preparation stays in the browser
(a refusal by the site is no such case: it is the site's answer, whoever asked); so does any intent outside ``ARRANGEABLE`` (navigation, FranceConnect,
accessibility, security). ``how()`` says, for the report, how the scenario was prepared.
"""

from __future__ import annotations

from http.cookiejar import Cookie
from typing import Any, Callable
from urllib.parse import urlsplit

from moncompte.steps.drivers.base import NotApplicable, TargetError
from moncompte.steps.drivers.browser import BrowserDriver
from moncompte.steps.drivers.http_pages import HttpPagesDriver

BY_HTTP = "http"
IN_BROWSER = "navigateur"

# The intents a preparation may run over HTTP: those that take a person along the journey, log in and out,
# act in « Mon espace », and read what the journey shows. Anything else is the browser's.
ARRANGEABLE = frozenset(
    {
        "start_registration",
        "fill_civil_status",
        "submit_identity_document",
        "declare_no_french_document",
        "request_code",
        "resend_code",
        "submit_code",
        "choose_password",
        "current_step",
        "recap",
        "proof_notice",
        "recap_text",
        "login",
        "logout",
        "offered_actions",
        "espace_identity",
        "request_prestation",
        "demarches",
        "set_procuration",
    }
)


class ArrangedDriver:
    """``BrowserDriver``'s intents, with the scenario's preparation over HTTP (see the module).

    Every intent a step calls goes to the browser driver, except, while the scenario is being prepared
    (before ``act``), those of ``ARRANGEABLE``, which go to ``http``: its cookies go to the browser context
    when the browser's turn comes (``_hand_over``)."""

    name = BrowserDriver.name

    def __init__(self, browser: BrowserDriver, http: HttpPagesDriver):
        self.browser = browser
        self.http = http
        self.preparing = True  # until the first « Quand » / « Alors » step, or an intent only the browser does
        self.by_http: list[str] = []  # the intents the preparation ran over HTTP
        self.in_browser: list[str] = []  # …and in the browser, with why
        self._handed_over = False

    @classmethod
    def on(cls, browser: BrowserDriver, *, access: Any = None, timeout: float = 15.0) -> ArrangedDriver:
        """``browser`` with an ``http`` driver of the same target, pages and locators (``access``: the profile's
        ``[acces]``, as for the browser context)."""
        http = HttpPagesDriver(
            browser.base_url,
            browser.locators,
            pages=browser.explicit_pages or None,
            reference_pages=len(browser.default_pages) > 1,
            access=access,
            timeout=timeout,
        )
        return cls(browser, http)

    def __getattr__(self, name: str) -> Any:
        attribute = getattr(self.browser, name)
        if not callable(attribute) or name.startswith("_"):
            return attribute
        if not self.preparing:
            return attribute
        if name not in ARRANGEABLE:
            return self._in_browser(name, attribute, f"« {name} » se fait dans le navigateur")
        return self._over_http(name, getattr(self.http, name), attribute)

    def _over_http(
        self, name: str, over_http: Callable[..., Any], in_browser: Callable[..., Any]
    ) -> Callable[..., Any]:
        def intent(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            try:
                result = over_http(*args, **kwargs)
            except (NotApplicable, TargetError) as exc:  # this page needs the browser: the preparation goes on there
                reason = exc.reason if isinstance(exc, NotApplicable) else _first_line(exc)
                return self._in_browser(name, in_browser, f"« {name} » : {reason}")(*args, **kwargs)
            self.by_http.append(name)
            return result

        return intent

    def _in_browser(self, name: str, in_browser: Callable[..., Any], why: str) -> Callable[..., Any]:
        def intent(*args: Any, **kwargs: Any) -> Any:
            __tracebackhide__ = True
            self._hand_over()
            self.in_browser.append(why)
            return in_browser(*args, **kwargs)

        return intent

    def act(self) -> None:
        """The scenario's own steps begin (its first « Quand » or « Alors »): from now on, the browser."""
        self._hand_over()

    def _hand_over(self) -> None:
        """The browser context takes the preparation's cookies and opens the page it ended on; every later
        intent is the browser's."""
        __tracebackhide__ = True
        self.preparing = False
        if self._handed_over:
            return
        self._handed_over = True
        if self.by_http and self.http.page.url.startswith("http"):
            if cookies := [browser_cookie(c, self.browser.base_url) for c in self.http.client.cookies.jar]:
                self.browser.page.context.add_cookies(cookies)
            self.browser._goto_path(self.http.page.url)  # an absolute address: the page itself
            self.browser._check_server()

    def how(self) -> str:
        """How the scenario was prepared, in French, for the report."""
        if not self.by_http:
            return IN_BROWSER
        if not self.in_browser:
            return BY_HTTP
        return f"{BY_HTTP} puis {IN_BROWSER} ({self.in_browser[0]})"

    def close(self) -> None:
        self.http.close()
        self.browser.close()


def _first_line(exc: BaseException) -> str:
    return next((line.strip() for line in str(exc).splitlines() if line.strip()), type(exc).__name__)


def browser_cookie(cookie: Cookie, base_url: str) -> dict[str, Any]:
    """A cookie of an ``http.cookiejar`` jar as Playwright's ``add_cookies`` takes it."""
    host = urlsplit(base_url).hostname or ""
    same_site = (cookie.get_nonstandard_attr("SameSite") or "").capitalize()
    taken: dict[str, Any] = {
        "name": cookie.name,
        "value": cookie.value or "",
        # the jar files a host without a dot (``localhost``) under ``localhost.local``
        "domain": host if cookie.domain == f"{host}.local" else cookie.domain,
        "path": cookie.path or "/",
        "secure": bool(cookie.secure),
        "httpOnly": cookie.has_nonstandard_attr("HttpOnly"),
    }
    if cookie.expires is not None:
        taken["expires"] = float(cookie.expires)
    if same_site in ("Strict", "Lax", "None"):
        taken["sameSite"] = same_site
    return taken
