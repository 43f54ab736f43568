"""``HttpPagesDriver`` (``--driver http``): the journey through the site's own pages over HTTP, no JavaScript.

What a person without JavaScript does: open a page, read it, type in its fields, press a button
(its form sent as a browser sends it: hidden fields and CSRF token, the button's own name and value,
``GET`` or ``POST``), follow links and redirects, keep cookies. The pages are the browser driver's: the
same locators (``steps.locators``, the profile's ``[locators]`` and ``[pages]``), the same way through the
journey, the same reading of what a page says. This driver *is* the browser driver's journey
(``BrowserDriver``, whose intents it inherits) with another way to act on a page: the page is an
``HtmlDocument`` (``steps.drivers.html_forms``) instead of a Playwright page; what reads a page through
JavaScript in the browser driver is done here in Python on the parsed page.

A page that needs JavaScript to show what the journey looks for makes the scenario *not applicable*
(``NotApplicable``, with the reason), never a failure of the site; so does a control that only a script
makes work. Accessibility (RGAA) is the browser driver's: not applicable here (``Driver``'s defaults).
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from contextlib import contextmanager
from html import escape
from typing import Any, Iterator
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

import httpx

from moncompte.steps.drivers import html_forms
from moncompte.steps.drivers.api import session_carriers
from moncompte.steps.drivers.base import Driver, NotApplicable, Outcome, TargetError
from moncompte.steps.drivers.browser import _NO_PROOF, _NO_VALUE, _PROOF, BrowserDriver
from moncompte.steps.drivers.fields import CannotSet
from moncompte.steps.drivers.html_forms import HtmlDocument, Node, Nodes
from moncompte.steps.locators import ELEMENTS, LocatorSpec
from moncompte.steps.target_access import client_options

MAX_REDIRECTS = 20
USER_AGENT = "moncompte-conformite (pilote http, sans JavaScript)"
_CIVIL_STATUS_KEYS = ("nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")


class HttpPage:
    """The page the driver shows: its address, status, headers and document. (``BrowserDriver.__init__`` sets
    a Playwright page's timeouts and listeners: a page read over HTTP has none, hence the no-op hooks.)"""

    def __init__(
        self,
        url: str = "about:blank",
        status: int | None = None,
        headers: httpx.Headers | None = None,
        doc: HtmlDocument | None = None,
    ):
        self.url = url
        self.status = status
        self.headers = headers or httpx.Headers()
        self.doc = doc or HtmlDocument("", url)

    def set_default_timeout(self, timeout: float) -> None:
        """Nothing waits here: a page is read once it is received."""

    set_default_navigation_timeout = set_default_timeout

    def on(self, event: str, handler: Any) -> None:
        """No events: ``HttpPagesDriver`` records statuses and resets the step read itself."""


class HttpPagesDriver(BrowserDriver):
    """The intents of ``Driver`` on a target's pages, over HTTP (``httpx``), without JavaScript.

    ``locators``, ``pages``, ``reference_pages``: as ``BrowserDriver``. ``access``: the profile's ``[acces]``
    (basic authentication to the target, internal CA). ``timeout``: seconds for one request.
    """

    name = "http"
    page: HttpPage  # type: ignore[assignment]

    def __init__(
        self,
        base_url: str,
        locators: Mapping[str, LocatorSpec | Mapping[str, Any]] = ELEMENTS,
        *,
        pages: Mapping[str, str] | None = None,
        reference_pages: bool = True,
        timeout: float = 15.0,
        access: Any = None,
        client: httpx.Client | None = None,
    ):
        super().__init__(HttpPage(), base_url, locators, pages=pages, reference_pages=reference_pages)  # type: ignore[arg-type]
        self.client = client or httpx.Client(
            timeout=timeout,
            follow_redirects=False,
            headers={"user-agent": USER_AGENT, "accept-language": "fr-FR,fr;q=0.9"},
            **client_options(access, self.base_url),
        )
        # the provider's answer to the site gets another state (``franceconnect_with_wrong_state``)
        self._forge_state = False

    def close(self) -> None:
        self.client.close()

    # ══ plumbing: the page, its elements ══════════════════════════════════
    @property
    def doc(self) -> HtmlDocument:
        return self.page.doc

    def _loc(self, key: str, within: Any = None) -> Nodes:  # type: ignore[override]
        return html_forms.find(self.doc, self._spec(key), within, self.locators)

    def _find(self, key: str, *, within: Any = None, state: str = "visible") -> Node:  # type: ignore[override]
        """The first element of ``key`` (visible, unless ``state`` is ``attached``): TargetError when absent,
        ``NotApplicable`` when the page shows its content with JavaScript."""
        __tracebackhide__ = True
        first = self._loc(key, within).first
        if first.is_visible() or (state == "attached" and first is not html_forms.ABSENT):
            return first
        if self.doc.needs_javascript():
            raise NotApplicable(
                f"la page {self.page.url} affiche son contenu avec JavaScript, que le pilote http n'exécute pas :"
                f" {self._describe(key)} n'y est pas sans lui (pilote navigateur)"
            )
        raise self._missing(key, " (présent mais caché)" if first is not html_forms.ABSENT else "")

    def _navigate(self, method: str, url: str, body: bytes | None = None, content_type: str | None = None) -> HttpPage:
        """A request, its redirects followed as a browser follows them (a 303, or a 301/302 after a POST, goes
        on with GET), cookies kept; the page it ends on becomes the page shown."""
        __tracebackhide__ = True
        site = urlsplit(self.base_url).netloc
        referer = self.page.url if self.page.url.startswith("http") else None
        for _ in range(MAX_REDIRECTS):
            headers = {"referer": referer} if referer else {}
            if body is not None:
                headers["content-type"] = content_type or "application/x-www-form-urlencoded"
                if referer:
                    parts = urlsplit(referer)
                    headers["origin"] = f"{parts.scheme}://{parts.netloc}"
            try:
                response = self.client.request(method, url, content=body, headers=headers)
            except httpx.TransportError as exc:
                raise TargetError(f"La page {url} ne répond pas ({exc.__class__.__name__} : {exc})") from None
            location = response.headers.get("location")
            if not (response.is_redirect and location):
                break
            target = urljoin(str(response.url), location)
            if self._forge_state and urlsplit(str(response.url)).netloc != site and urlsplit(target).netloc == site:
                target = _other_state(target)
            if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                method, body, content_type = "GET", None, None
            url = target
        else:
            raise TargetError(f"Plus de {MAX_REDIRECTS} redirections à partir de {url}")
        kind = response.headers.get("content-type", "text/html")
        text = response.text if "html" in kind else f"<pre>{escape(response.text)}</pre>"
        address = str(response.url)
        self.page = HttpPage(address, response.status_code, response.headers, HtmlDocument(text, address))
        self.last_status = response.status_code
        self._shown_step = ()
        return self.page

    def _goto(self, page_name: str, **params: str) -> HttpPage:  # type: ignore[override]
        __tracebackhide__ = True
        url = self._url(page_name, **params)
        try:
            page = self._navigate("GET", url)
        except TargetError as exc:
            raise TargetError(f"Page « {page_name} » inaccessible : {url} ({exc})") from None
        self._check_server(url)
        return page

    def _goto_path(self, path: str) -> None:
        self._navigate("GET", urljoin(self.base_url, path.lstrip("/")))

    def _click(self, target: Node, key: str, what: str = "activer") -> None:  # type: ignore[override]
        """What a click on ``target`` does without JavaScript: a link followed, a form sent with the button
        pressed. Anything else changes no page: a TargetError, or ``NotApplicable`` on a page whose scripts
        would have acted on the click."""
        __tracebackhide__ = True
        doc, tag = self.doc, target.tag
        link = tag if tag.name in ("a", "area") else tag.find_parent("a")
        if link is not None and link.get("href") is not None:
            href = str(link["href"]).strip()
            if href.lower().startswith("javascript:"):
                raise self._only_with_scripts(key)
            address = urljoin(doc.base_url, href)
            if not ("#" in href and urldefrag(address)[0] == urldefrag(self.page.url)[0]):  # not within the page
                self._navigate("GET", address)
                self._check_server()
                return
        if tag.name == "label":
            control = next((t for t in tag.find_all(True) if html_forms.is_submit_button(t)), None)
            tag = control if control is not None else tag
        form = html_forms.form_owner(doc, tag) if html_forms.is_submit_button(tag) else None
        if form is not None:
            if html_forms.disabled(tag):
                raise TargetError(f"{self._describe(key)} est désactivé sur {self.page.url} : impossible de {what}")
            if blocked := html_forms.blocked_by_validation(doc, form, tag):
                raise TargetError(
                    f"Rien ne s'est passé après l'activation de {self._describe(key)} sur {self.page.url} :"
                    f" le navigateur n'envoie pas le formulaire, {blocked}"
                )
            sent = html_forms.submission_of(doc, form, tag)
            self._navigate(sent.method, sent.url, sent.body, sent.content_type)
            self._check_server()
            return
        if doc.has_scripts():
            raise self._only_with_scripts(key)
        raise TargetError(
            f"Rien ne s'est passé après l'activation de {self._describe(key)} sur {self.page.url}"
            " (ni lien, ni bouton d'envoi de formulaire)"
        )

    def _only_with_scripts(self, key: str) -> NotApplicable:
        return NotApplicable(
            f"{self._describe(key)} sur {self.page.url} n'agit qu'avec JavaScript (ni lien, ni bouton"
            " d'envoi de formulaire), que le pilote http n'exécute pas"
        )

    def _set(self, key: str, value: str) -> None:
        """Set a field whatever its kind (``html_forms.set_field``); a value it cannot take makes the example
        not applicable on this site, as with the browser driver."""
        __tracebackhide__ = True
        node = self._find(key)
        self._typed = (*self._typed, key)
        try:
            html_forms.set_field(node, value, lambda choice: self._click(choice, key, "choisir"))
        except CannotSet as exc:
            raise NotApplicable(
                f"« {value} » ne peut pas être saisi dans {self._describe(key)} de {self.page.url} : {exc.reason}"
            ) from None
        except html_forms.FieldError as exc:
            raise TargetError(
                f"Impossible de renseigner l'élément {self._describe(key)} sur {self.page.url}"
                f" [clé « {key} », localisateur {self._spec(key).describe()}] : {exc.reason}"
            ) from None

    # ── what a page says (the browser driver reads these with scripts) ───
    def _key_state(self, key: str) -> dict[str, Any] | None:
        found = self._loc(key)
        if not found:
            return None
        field = found.first.tag
        state = html_forms.field_state(found.first)
        state["marks"] = [
            index
            for index, marked in enumerate(self._loc("champ_invalide"))
            if marked.tag is field or any(parent is field for parent in marked.tag.parents)
        ]
        return state

    def _marked_names(self) -> list[str]:  # type: ignore[override]
        return [
            node.get_attribute("name") or node.get_attribute("id") or node.tag.name.upper()
            for node in self._loc("champ_invalide")
        ]

    def _prestation_blocks(self) -> list[tuple[str, Node]]:  # type: ignore[override]
        blocks = [
            (html_forms.block_title(block), block)
            for button in self._loc("faire_la_demande")
            if (block := html_forms.block_of(button)) is not None
        ]
        return blocks if len(blocks) > 1 or (blocks and blocks[0][0]) else []

    def is_offered_at_top(self, element: str) -> bool:
        """In the page's header (``banner``); without a layout to measure, « at the top » is also: before the
        page's main content."""
        if not self._present(element):
            return False
        target = self._loc(element).first
        if target.closest("header, [role=banner]") is not None:
            return True
        main = self._loc("contenu_principal").first
        return main is not html_forms.ABSENT and self.doc.position(target.tag) < self.doc.position(main.tag)

    # ══ ④ … ⑨ what the browser driver reads with scripts ═══════════════════
    def declare_no_french_document(self) -> Outcome:
        if refused := self._reach_step("piece_identite"):
            return refused
        if html_forms.kind_of(self._find("sans_piece_francaise")).kind == "checkbox":  # a box, then the form sent
            outcome = self._fill_and_submit({"sans_piece_francaise": "oui"}, "piece_identite_continuer", "coordonnees")
        else:
            self._activate("sans_piece_francaise")
            outcome = self._outcome("coordonnees")
        return self._with_proof_notice(outcome)

    def password_rule_text(self) -> str:
        if self._reach_step("mot_de_passe"):
            raise TargetError(
                f"La page du mot de passe ({self._url('mot_de_passe')}) ne s'affiche pas : {self.page.url}"
            )
        ids = (self._find("mot_de_passe").get_attribute("aria-describedby") or "").split()
        if not ids:
            raise TargetError(
                f"Le champ {self._describe('mot_de_passe')} sur {self.page.url} n'indique pas sa règle"
                " (attribut aria-describedby absent)"
            )
        described = (self.doc.by_id(ident) for ident in ids)
        return " ".join(t for d in described if d is not None and (t := self.doc.inner_text(d).strip()))

    def _shown_recap(self) -> Node:
        if self._reach_step("recapitulatif"):
            raise TargetError(f"Le récapitulatif ({self._url('recapitulatif')}) ne s'affiche pas : {self.page.url}")
        return self._find("recapitulatif")

    def recap(self) -> dict[str, str]:
        result = {term: value for term, value in html_forms.recap_pairs(self._shown_recap()) if term}
        if self._present("justificatif_a_fournir"):
            notice = self._loc("justificatif_a_fournir").first.inner_text().strip()
            result.setdefault(self._spec("justificatif_a_fournir").display_name("justificatif_a_fournir"), notice)
        return result

    def proof_notice(self) -> str | None:
        """As ``BrowserDriver.proof_notice``: a recap line about the justificatif is judged by its value, else
        a sentence of its own."""
        pairs = [(t, v) for t, v in html_forms.recap_pairs(self._shown_recap()) if _PROOF.search(f"{t} {v}")]
        if pairs:
            said = [f"{t} : {v}" for t, v in pairs if not (_NO_PROOF.search(v) or _NO_VALUE.match(v.strip()))]
            return said[0] if said else None
        for block in self._loc("justificatif_a_fournir"):
            text = block.inner_text().strip() if block.is_visible() else ""
            if text and not _NO_PROOF.search(text):
                return text
        return None

    def recap_text(self) -> str:
        self._shown_recap()
        return self.doc.inner_text(self.doc.soup.body or self.doc.soup)

    def _choices(self, key: str) -> list[str]:  # type: ignore[override]
        return html_forms.choices(self._find(key))

    def _table_rows(self, table: Node) -> list[dict[str, str]]:  # type: ignore[override]
        return html_forms.table_rows(table)

    # ══ FranceConnect ════════════════════════════════════════════════════
    def franceconnect_with_wrong_state(self, account: Mapping[str, str], intention: str = "creation") -> Outcome:
        """The provider's answer (its redirect back to the site, with ``state``) followed with another ``state``."""
        self._forge_state = True
        try:
            return self.franceconnect(intention, account)
        finally:
            self._forge_state = False

    # ══ security (rules SEC-…) ════════════════════════════════════════════
    def session_cookies(self) -> dict[str, dict[str, Any]]:
        host = urlsplit(self.base_url).hostname or ""
        jar = self.client.cookies.jar
        cookies = [c for c in jar if host.endswith(c.domain.lstrip(".")) or c.domain in (host, f"{host}.local")]

        def refused() -> bool:
            self._goto("espace")
            return not self._present("mon_espace")

        carrying = session_carriers(jar, cookies, self.base_url, refused)
        self._goto("espace")
        return carrying

    def security_headers(self) -> dict[str, str]:
        return {name.lower(): value for name, value in self._goto("accueil").headers.items()}

    def forged_form_post(self, civil_status: Mapping[str, str]) -> Outcome:
        """The état civil form (④), filled in the page, then posted without its hidden fields (so without a
        CSRF token), with the session's cookies (stricter than a real cross-site post, which SameSite=Lax
        sends without them). Accepted: the answer sends the person on."""
        with self._civil_status_form(civil_status, keep_hidden=False) as post:
            accepted, _status, said = post({})
        return Outcome(accepted, data={"reponse": said})

    def oversized_post(self, civil_status: Mapping[str, str], size: int) -> Outcome:
        """The état civil form (④) filled in the page, then posted with all its fields and one more,
        ``commentaire``, that makes the request ``size`` bytes long."""
        with self._civil_status_form(civil_status, keep_hidden=True) as post:
            accepted, status, said = post({"commentaire": "x" * size})
        return Outcome(accepted, data={"statut": status, "reponse": said})

    @contextmanager
    def _civil_status_form(self, civil_status: Mapping[str, str], *, keep_hidden: bool) -> Iterator[Any]:
        """④ filled in the page; yields ``post(extra)``: its fields (``keep_hidden``: with its hidden ones) and
        ``extra`` posted by the harness → (whether the answer sends the person on, status, what it said).
        Back at ④ after."""
        if refused := self._reach_step("etat_civil"):
            raise TargetError(f"La page de l'état civil ne s'affiche pas ({refused.data.get('page_demandee')})")
        for key in _CIVIL_STATUS_KEYS:
            self._set(key, civil_status.get(key, ""))
        field = self._find("nom_naissance")
        form = html_forms.form_owner(self.doc, field.tag)
        if form is None:
            raise TargetError(
                f"Le champ {self._describe('nom_naissance')} n'est dans aucun formulaire ({self.page.url})."
            )
        here = self._path()
        entries = html_forms.form_entries(self.doc, form, keep_hidden=keep_hidden)
        first_field = str(field.tag.get("name") or "")

        def post(extra: Mapping[str, str]) -> tuple[bool, int | None, str]:
            sent = html_forms.submission_of(self.doc, form, None, list((dict(entries) | dict(extra)).items()))
            headers = {"content-type": sent.content_type} if sent.content_type else {}
            try:
                response = self.client.request(sent.method, sent.url, content=sent.body, headers=headers)
            except httpx.TransportError as exc:  # closed while the body was still being sent: a refusal too
                return False, None, f"connexion fermée ({exc.__class__.__name__})"
            location = urlsplit(urljoin(sent.url, response.headers.get("location", ""))).path
            if response.status_code >= 400:
                return False, response.status_code, f"refusé ({response.status_code})"
            if response.is_redirect:
                accepted = location.rstrip("/") != here.rstrip("/") and "connexion" not in location
                return accepted, response.status_code, f"redirigé vers {location} ({response.status_code})"
            accepted = f'name="{first_field}"' not in response.text
            said = f"page {'sans' if accepted else 'avec'} le formulaire de l'état civil ({response.status_code})"
            return accepted, response.status_code, said

        try:
            yield post
        finally:
            self._goto_path(here)  # back to the page's own form, for the scenario's next step

    # ── accessibility (RGAA): the browser driver's; not applicable over HTTP ──
    axe_violations = Driver.axe_violations
    unlabelled_fields = Driver.unlabelled_fields
    untied_errors = Driver.untied_errors
    use_keyboard_only = Driver.use_keyboard_only
    keyboard_walk = Driver.keyboard_walk
    horizontal_overflow = Driver.horizontal_overflow
    field_description = Driver.field_description
    page_text = Driver.page_text
    outline = Driver.outline


def _other_state(url: str) -> str:
    """``url`` with another ``state`` in its query (a forged or replayed answer of the provider)."""
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    if "state" not in query:
        return url
    query["state"] = secrets.token_urlsafe(32)
    return urlunsplit(parts._replace(query=urlencode(query)))
