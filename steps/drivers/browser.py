"""``BrowserDriver``: the driver intents carried out on the pages with Playwright.

Every element of the pages is found through ``steps.locators`` (accessible
roles and names, labels: the guide's words by default, overridable by a site
profile); no page's wording is written here. Nothing sleeps: the driver waits
for an element to be visible, or, after a click, for a new document or a new
alert.

An element that cannot be found within ``timeout`` seconds raises
``TargetError`` naming the element, its locator and the page, in French.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, Response, Route
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from moncompte.steps.drivers import accessibility, fields
from moncompte.steps.drivers.base import JOURNEY_STEPS, Driver, NotApplicable, NotRun, Outcome, TargetError
from moncompte.steps.locators import (
    ACTION_ELEMENTS,
    ELEMENTS,
    FIELD_ELEMENTS,
    FIELD_OF_ELEMENT,
    PAGES,
    LocatorError,
    LocatorSpec,
    merge_overrides,
    merge_pages,
)

# Marks set on the page before a click, to recognise what the click changed.
_MARK_DOCUMENT = "data-moncompte-avant"
_MARK_SEEN = "data-moncompte-vu"

# A journey step is the page that shows its field (checked in this order: the recap may repeat an
# e-mail address, a code page may show the address the code went to).
STEP_ELEMENTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("recapitulatif", ("recapitulatif_titre",)),
    ("mot_de_passe", ("mot_de_passe",)),
    ("code", ("code",)),
    ("piece_identite", ("numero_titre",)),
    ("etat_civil", ("nom_naissance",)),
    ("coordonnees", ("email", "mobile", "canal_email")),
)
# Pages met while following the journey, by target: page name → path (``learn`` / ``known_pages``).
LEARNED_PAGES_ENV = "MONCOMPTE_PAGES_APPRISES"
_LEARNED: dict[str, dict[str, str]] = {}


def learned_pages(base_url: str) -> dict[str, str]:
    """The pages of ``base_url`` this process met (and those the preflight wrote, see ``LEARNED_PAGES_ENV``)."""
    key = base_url.rstrip("/")
    if key not in _LEARNED:
        _LEARNED[key] = {}
        import json
        import os

        path = os.environ.get(LEARNED_PAGES_ENV)
        if path:
            try:
                _LEARNED[key].update(json.loads(open(path, encoding="utf-8").read()).get(key, {}))
            except (OSError, ValueError):
                pass
    return _LEARNED[key]


# Whether a field (or a field of a group) is marked invalid, and the texts its ARIA attributes name.
_MARK_INVALID = "data-moncompte-invalide"  # the index of a field marked invalid, in page order
_FIELD_STATE_JS = """el => {
  const nodes = [el, ...el.querySelectorAll('input, select, textarea, [aria-invalid]')];
  const invalid = nodes.some(n => n.getAttribute('aria-invalid') === 'true');
  const ids = [];
  for (const n of nodes) for (const a of ['aria-errormessage', 'aria-describedby'])
    for (const id of (n.getAttribute(a) || '').split(/\\s+/)) if (id && !ids.includes(id)) ids.push(id);
  // an error message, not a hint: named by aria-errormessage, or marked as an error by its id, class or role
  const errorish = (e, id) => /err|invalid/i.test(id + ' ' + e.className) || ['alert', 'status'].includes(e.getAttribute('role'))
    || nodes.some(n => (n.getAttribute('aria-errormessage') || '').split(/\\s+/).includes(id));
  const texts = ids.map(id => [document.getElementById(id), id])
    .filter(([e, id]) => e && e.getClientRects().length && errorish(e, id))
    .map(([e]) => e.innerText.trim()).filter(Boolean);
  // the marked fields (``_marked_names``, by their index) this field accounts for
  const marks = nodes.filter(n => n.getAttribute('aria-invalid') === 'true' && n.hasAttribute('MARK'))
    .map(n => Number(n.getAttribute('MARK')));
  return {invalid, texts, marks};
}""".replace("MARK", _MARK_INVALID)


# The block of a page that holds one « Faire la demande »: its list item, card, row or section.
_BLOCK_XPATH = (
    "xpath=ancestor::*[self::li or self::article or self::tr or self::section or self::fieldset"
    " or contains(concat(' ', normalize-space(@class), ' '), ' fr-card ')"
    " or contains(concat(' ', normalize-space(@class), ' '), ' fr-tile ')][1]"
)
# A block's title: its heading, else its first line that is not a button's.
_BLOCK_TITLE_JS = """block => {
  const heading = block.querySelector('h1, h2, h3, h4, h5, h6, th, legend, strong');
  if (heading && heading.innerText.trim()) return heading.innerText.trim();
  const buttons = [...block.querySelectorAll('button, a, input')].map(b => (b.innerText || b.value || '').trim());
  const lines = block.innerText.split('\\n').map(l => l.trim()).filter(l => l && !buttons.includes(l));
  return lines[0] || '';
}"""


# The pairs « label → value » of a recap, however it is marked up: <dt>/<dd>, table rows (<th> then
# <td>, or two <td>), or lines « Libellé : valeur » (list items, paragraphs).
_RECAP_PAIRS_JS = """root => {
  const out = [];
  const text = el => el.innerText.replace(/\\s+/g, ' ').trim();
  const within = selector => [...(root.matches(selector) ? [root] : []), ...root.querySelectorAll(selector)];
  for (const dl of within('dl')) {
    let term = null;
    for (const el of dl.querySelectorAll('dt, dd')) {
      if (el.tagName === 'DT') { term = [text(el), []]; out.push(term); }
      else if (term) term[1].push(text(el));
    }
  }
  for (const tr of within('tr')) {
    const cells = [...tr.children].filter(c => c.tagName === 'TH' || c.tagName === 'TD');
    if (cells.length >= 2 && !cells.every(c => c.tagName === 'TH')) out.push([text(cells[0]), cells.slice(1).map(text)]);
  }
  for (const el of within('li, p')) {
    if (el.querySelector('li, p, dl, table')) continue;
    const m = text(el).match(/^([^:]{2,60}?)\\s*:\\s+(.+)$/);
    if (m) out.push([m[1], [m[2]]]);
  }
  return out.map(([term, values]) => [term.replace(/\\s*:$/, ''), values.join(', ')]);
}"""


# The actions of « Mon espace » carried out through a form (the others are their page): their submit key.
_ACTION_FORMS = {
    "demander_prestation": "envoyer_la_demande",
    "modifier_coordonnees": "enregistrer_coordonnees",
    "declarer_separation": "declarer_la_separation",
}

# A sentence that says there is no identity document to give (« Aucun justificatif à fournir »).
_NO_PROOF = re.compile(r"\b(aucun|aucune|pas de|pas d['’]|sans|nul)\b[^.]{0,40}justificati", re.IGNORECASE)
# A recap value that says nothing is to be given (« Justificatif à fournir : Non »).
_NO_VALUE = re.compile(r"(non|aucun|aucune|néant|sans objet|nul|[-–—]+)(\W|$)", re.IGNORECASE)
_PROOF = re.compile(r"justificati(f|ve)", re.IGNORECASE)


class BrowserDriver(Driver):
    """The intents of ``Driver`` on a target's pages, in one Playwright ``Page``.

    ``locators``: element key → ``LocatorSpec`` (or a profile's mapping); keys
    not given keep their default of ``steps.locators.ELEMENTS``. ``pages``:
    page name → path (defaults: ``steps.locators.PAGES``). ``timeout``: seconds
    to wait for an element; ``navigation_timeout``: seconds to wait for a page.
    """

    name = "browser"
    _typed: tuple[str, ...] = ()  # the element keys typed in since the last read of the page (``_read_fields``)

    def __init__(
        self,
        page: Page,
        base_url: str,
        locators: Mapping[str, LocatorSpec | Mapping[str, Any]] = ELEMENTS,
        *,
        pages: Mapping[str, str] | None = None,
        reference_pages: bool = True,
        timeout: float = 5.0,
        navigation_timeout: float = 15.0,
    ):
        self.page = page
        self.base_url = base_url.rstrip("/") + "/"
        self._base_path = urlsplit(self.base_url).path.rstrip("/")
        self.locators = merge_overrides(locators)
        merge_pages(pages)  # unknown page names are refused, in French
        self.explicit_pages = dict(pages or {})
        # The reference's paths (``steps.locators.PAGES``) hold on the reference only; on another site a
        # page is known from the profile or from following the journey there (``learned_pages``).
        self.default_pages = dict(PAGES) if reference_pages else {"accueil": PAGES["accueil"]}
        self.learned = learned_pages(self.base_url)
        self._scope: Locator | None = None  # the block of the prestation chosen last (its « Faire la demande »)
        self.keyboard_only = False  # fields set and buttons pressed with the keyboard alone (A11Y-CLAVIER)
        self.timeout_ms = timeout * 1000
        self.navigation_timeout_ms = navigation_timeout * 1000
        page.set_default_timeout(self.timeout_ms)
        page.set_default_navigation_timeout(self.navigation_timeout_ms)
        self.last_status: int | None = None
        page.on("response", self._on_response)
        self._shown_step: tuple[str] | tuple[str, str | None] = ()  # the step read on this document, once
        page.on("framenavigated", self._on_navigation)

    # ══ plumbing ══════════════════════════════════════════════════════════
    def _on_navigation(self, frame: Any) -> None:
        if frame == self.page.main_frame:
            self._shown_step = ()

    def _on_response(self, response: Response) -> None:
        try:
            request = response.request
            if request.is_navigation_request() and request.frame == self.page.main_frame:
                self.last_status = response.status
        except PlaywrightError:  # a response of a frame already gone
            pass

    def _spec(self, key: str) -> LocatorSpec:
        try:
            return self.locators[key]
        except KeyError:
            raise LocatorError(f"Élément inconnu des localisateurs : « {key} »") from None

    def _loc(self, key: str, within: Page | Locator | None = None) -> Locator:
        return self._spec(key).resolve(within or self.page, self.locators)

    def _describe(self, key: str) -> str:
        spec = self._spec(key)
        return f"« {spec.display_name(key)} » ({spec.noun})"

    def _missing(self, key: str, detail: str = "") -> TargetError:
        spec = self._spec(key)
        return TargetError(
            f"Élément {self._describe(key)} introuvable sur {self.page.url}"
            f" [clé « {key} », localisateur {spec.describe()}]{detail}"
        )

    def _find(self, key: str, *, within: Page | Locator | None = None, state: str = "visible") -> Locator:
        """The first element of ``key``, waited for; TargetError when absent after ``timeout``."""
        __tracebackhide__ = True
        locator = self._loc(key, within).first
        with self._finding(key):
            locator.wait_for(state=state, timeout=self.timeout_ms)  # type: ignore[arg-type]
        return locator

    @contextmanager
    def _finding(self, key: str) -> Iterator[None]:
        """Waiting for an element of ``key``: absent after ``timeout``, a French TargetError."""
        __tracebackhide__ = True
        try:
            yield
        except PlaywrightTimeoutError:
            raise self._missing(key, f" (attendu {self.timeout_ms / 1000:g} s)") from None
        except PlaywrightError as exc:
            raise self._missing(key, f" : {_first_line(exc)}") from None

    def _present(self, key: str, within: Page | Locator | None = None) -> bool:
        """Whether ``key`` is visible now (pages are loaded: no waiting for an absent element)."""
        try:
            return self._loc(key, within).first.is_visible()
        except PlaywrightError:
            return False

    @contextmanager
    def _acting(self, key: str, what: str) -> Iterator[None]:
        """Turn a Playwright failure during an action on ``key`` into a French TargetError."""
        __tracebackhide__ = True
        try:
            yield
        except PlaywrightError as exc:
            raise TargetError(
                f"Impossible de {what} l'élément {self._describe(key)} sur {self.page.url}"
                f" [clé « {key} », localisateur {self._spec(key).describe()}] : {_first_line(exc)}"
            ) from None

    @contextmanager
    def _by_keyboard(self, key: str) -> Iterator[None]:
        """With the keyboard alone (``use_keyboard_only``): what it cannot do fails, in French."""
        __tracebackhide__ = True
        try:
            yield
        except fields.NotByKeyboard as exc:
            raise TargetError(
                f"Au clavier seul, {self._describe(key)} sur {self.page.url} : {exc.reason} (RGAA 12.8, 12.9)"
            ) from None

    def use_keyboard_only(self) -> None:
        self.keyboard_only = True

    @property
    def pages(self) -> dict[str, str]:
        """The paths of the pages known on this target: the reference's (on the reference), those met
        while following the journey, those the profile gives (``[pages]``), the latter first."""
        return {**self.default_pages, **self.learned, **self.explicit_pages}

    def knows_page(self, page_name: str) -> bool:
        return page_name in self.pages

    def _learn(self, page_name: str) -> None:
        """Remember the current page's path as ``page_name`` (unless the profile gives it, or it was met
        before: the journey's pages stay those of one registration, see ``_for_this_registration``)."""
        if page_name not in self.explicit_pages and page_name not in self.default_pages:
            self.learned.setdefault(page_name, self._path())

    def _for_this_registration(self, page_name: str, path: str) -> str:
        """A journey page met in another registration, for the one shown now: where the site's journey
        addresses carry the registration (``/inscription/<id>/code``), the segments in which the page
        of the current step differs from its address met before are replaced in ``path`` too."""
        current = self.current_step() if page_name in JOURNEY_STEPS else None
        met = self.learned.get(current or "")
        if not met or page_name not in self.learned or path != self.learned[page_name]:
            return path
        before, now_parts, target = met.split("/"), self._path().split("/"), path.split("/")
        if len(before) != len(now_parts):
            return path
        swap = {old: new for old, new in zip(before, now_parts) if old != new}
        return "/".join(swap.get(part, part) for part in target)

    def _url(self, page_name: str, **params: str) -> str:
        path = self.pages.get(page_name)
        if path is not None:
            path = self._for_this_registration(page_name, path)
        if path is None:
            raise NotRun(
                f"l'adresse de la page « {page_name} » de {self.base_url} n'est pas connue : elle n'a pas été"
                f' atteinte en suivant le parcours ; indiquez-la dans le profil ([pages] {page_name} = "/…")'
            )
        return urljoin(self.base_url, path.format(**params).lstrip("/"))

    def _goto(self, page_name: str, **params: str) -> Response | None:
        __tracebackhide__ = True
        url = self._url(page_name, **params)
        try:
            response = self.page.goto(url, wait_until="load")
        except PlaywrightError as exc:
            raise TargetError(f"Page « {page_name} » inaccessible : {url} ({_first_line(exc)})") from None
        self._check_server(url)
        return response

    def _check_server(self, url: str | None = None) -> None:
        if self.last_status is not None and self.last_status >= 500:
            raise TargetError(f"Le site a répondu une erreur {self.last_status} sur {url or self.page.url}")

    def _path(self) -> str:
        path = urlsplit(self.page.url).path
        if self._base_path and path.startswith(self._base_path):
            path = path[len(self._base_path) :]
        return path.rstrip("/") or "/"

    def _on_page(self, page_name: str) -> bool:
        path = self.pages.get(page_name)
        return path is not None and self._path() == (path.rstrip("/") or "/")

    def _activate(self, key: str) -> None:
        """Click ``key`` and wait until the click took effect: a new document, or a new alert."""
        __tracebackhide__ = True
        self._click(self._find(key), key)

    def _click(self, target: Locator, key: str, what: str = "activer") -> None:
        """Click ``target`` (an element of ``key``) and wait for a new document or a new alert."""
        __tracebackhide__ = True
        self._mark_page()
        with self._acting(key, what), self._by_keyboard(key):
            if self.keyboard_only:
                fields.tab_to(target)
                self.page.keyboard.press("Enter")
            else:
                target.click()
        fresh_document = self.page.locator(f"html:not([{_MARK_DOCUMENT}])")
        new_alert = self._loc("alerte").and_(self.page.locator(f":not([{_MARK_SEEN}])"))
        try:
            fresh_document.or_(new_alert).first.wait_for(state="attached", timeout=self.navigation_timeout_ms)
            self.page.wait_for_load_state("load")
        except PlaywrightError as exc:
            raise TargetError(
                f"Rien ne s'est passé après l'activation de {self._describe(key)} sur {self.page.url}"
                f" (ni nouvelle page, ni message d'alerte en {self.navigation_timeout_ms / 1000:g} s :"
                f" {_first_line(exc)})"
            ) from None
        self._check_server()

    def _mark_page(self) -> None:
        try:
            self._loc("alerte").evaluate_all(  # one question to the page: the document, and the alerts shown
                f"els => [document.documentElement, ...els].forEach((e, i) => e.setAttribute(i ? '{_MARK_SEEN}'"
                f" : '{_MARK_DOCUMENT}', ''))"
            )
        except PlaywrightError as exc:
            raise TargetError(f"Page inutilisable : {self.page.url} ({_first_line(exc)})") from None

    def _set(self, key: str, value: str) -> None:
        """Set a field whatever its kind (text, date, list, radio group, three date fields, checkbox,
        autocomplete: ``steps.drivers.fields``). A value the field cannot take makes the example not
        applicable on this site (it cannot be typed there), with the reason."""
        __tracebackhide__ = True
        field = self._loc(key).first
        with self._finding(key):
            resolved = fields.resolve(field)  # waits for the field to be in the page; one question when it is shown
        if not resolved.shown:  # not visible yet: wait for it, as for any element, then read it again
            field = self._find(key)
            resolved = fields.resolve(field)
        self._typed = (*self._typed, key)
        with self._acting(key, "renseigner"), self._by_keyboard(key):
            try:
                (fields.set_field_by_keyboard if self.keyboard_only else fields.set_field)(field, value, resolved)
            except fields.CannotSet as exc:
                raise NotApplicable(
                    f"« {value} » ne peut pas être saisi dans {self._describe(key)} de {self.page.url} : {exc.reason}"
                ) from None

    def _set_if_present(self, key: str, value: str) -> bool:
        """Set ``key`` when the page shows it (an optional field: a confirmation, a channel choice)."""
        if not self._present(key):
            return False
        self._set(key, value)
        return True

    def _reach_step(self, step: str) -> Outcome | None:
        """Show the page of ``step``: None when shown; else the refused outcome (the site kept
        the user where they are, e.g. the password page before the code is confirmed)."""
        if self.current_step() == step:
            return None
        response = self._goto(step)
        if self.current_step() == step and (response is None or response.status < 400):
            return None
        refused = self._outcome(step, accepted=False)
        refused.data["page_demandee"] = self._url(step)
        return refused

    def _fill_and_submit(self, values: Mapping[str, str | None], submit: str, next_step: str | None) -> Outcome:
        self._fill_and_activate(values, submit)
        return self._outcome(next_step)

    def _fill_and_activate(self, values: Mapping[str, str | None], submit: str) -> None:
        for key, value in values.items():
            if value is not None:
                self._set(key, value)
        self._set_if_present("j_accepte", "oui")  # « J'accepte les conditions… », where the form has one
        self._activate(submit)

    # ── what a page says ─────────────────────────────────────────────────
    def _texts(self, key: str) -> list[str]:
        """Messages of every element of ``key``: its list items, else its lines."""
        messages: list[str] = []
        for block in self._loc(key).all():
            if not block.is_visible():
                continue
            items = [t.strip() for t in block.get_by_role("listitem").all_inner_texts()]
            lines = items or [line.strip() for line in block.inner_text().splitlines()]
            messages.extend(line for line in lines if line)
        return messages

    def _read_fields(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """The fields the page marks invalid: the state of each ``FIELD_ELEMENTS`` field among them, and the
        names of all, each once (a marked field no locator holds is named by its name attribute)."""
        typed, self._typed = self._typed, ()
        marked = self._marked_names()
        states = self._field_states(len(marked), typed) if marked else {}
        held = {index for state in states.values() for index in state["marks"]}
        unknown = [name for index, name in enumerate(marked) if index not in held and name not in states]
        return states, [*states, *dict.fromkeys(unknown)]

    def _field_states(self, marked: int, typed: Sequence[str] = ()) -> dict[str, dict[str, Any]]:
        """The fields of ``FIELD_ELEMENTS`` the page marks invalid (``aria-invalid``, on the field or inside
        its group), each with the texts its ``aria-describedby`` / ``aria-errormessage`` name.

        Each of the ``marked`` fields counts once, under the first name whose element holds it: the fields
        just typed in (``typed``, element keys) are asked first, then the others in ``FIELD_ELEMENTS`` order,
        until every marked field is accounted for (one question to the page per field asked)."""
        first = [FIELD_OF_ELEMENT[key] for key in typed if key in FIELD_OF_ELEMENT]
        found: dict[str, dict[str, Any]] = {}
        held: set[int] = set()
        for name in dict.fromkeys([*first, *FIELD_ELEMENTS]):
            if len(held) >= marked:
                break
            for key in FIELD_ELEMENTS[name]:
                state = self._key_state(key)
                if state is not None and state["invalid"]:
                    found[name] = state
                    held.update(state["marks"])
                    break
        return {name: found[name] for name in FIELD_ELEMENTS if name in found}

    def _key_state(self, key: str) -> dict[str, Any] | None:
        """The state of the first element of ``key`` (``_FIELD_STATE_JS``), None when the page has none."""
        try:
            states = self._loc(key).first.evaluate_all(f"els => els.map({_FIELD_STATE_JS})")
        except PlaywrightError:
            return None
        return states[0] if states else None

    def _marked_names(self) -> list[str]:
        """The name (else the id, else the tag) of each field the page marks invalid; each is numbered
        (``_MARK_INVALID``) for ``_key_state`` to say which it holds."""
        return self._loc("champ_invalide").evaluate_all(
            f"els => els.map((e, i) => (e.setAttribute('{_MARK_INVALID}', String(i)),"
            " e.getAttribute('name') || e.id || e.tagName))"
        )

    def _outcome(self, next_step: str | None, *, accepted: bool | None = None) -> Outcome:
        errors = self._texts("alerte")
        step = self.current_step()
        states, invalid = self._read_fields()
        beside = {name: state["texts"] for name, state in states.items() if state["texts"]}
        shown = errors + [t for texts in beside.values() for t in texts if not any(t in e or e in t for e in errors)]
        if accepted is None:
            accepted = step == next_step if next_step is not None else not shown
        return Outcome(
            accepted=accepted,
            messages=shown or self._texts("message_info"),
            invalid_fields=invalid,
            step=step,
            field_messages=beside,
        )

    # ══ ① ② ③ navigation ═════════════════════════════════════════════════
    def open_home(self) -> None:
        self._goto("accueil")

    def follow(self, element: str) -> None:
        """Activate ``element``: within the prestation chosen last when it holds its own (its « Faire
        la demande »), else on the page."""
        scope, self._scope = self._scope, None
        if scope is not None and self._loc(element, scope).count():
            self._click(self._loc(element, scope).first, element)
            return
        self._activate(element)

    def is_offered(self, element: str) -> bool:
        self._spec(element)  # an unknown key is an error of the feature, not an absent element
        if self._scope is not None and self._present(element, self._scope):
            return True
        return self._present(element)

    def _banner(self) -> Locator:
        if not self._present("bandeau_prestations"):
            self._to_mes_demarches()
        return self._find("bandeau_prestations")

    def themes(self) -> list[str]:
        return [t.strip() for t in self._banner().get_by_role("link").all_inner_texts()]

    def choose_theme(self, theme: str) -> list[str]:
        link = self._banner().get_by_role("link", name=theme, exact=True)
        if link.count() == 0:
            raise TargetError(
                f"Thème « {theme} » absent du bandeau {self._describe('bandeau_prestations')} sur {self.page.url}"
                f" (thèmes proposés : {', '.join(self.themes()) or 'aucun'})"
            )
        self._click(link.first, "bandeau_prestations", f"choisir le thème « {theme} » dans")
        return self._prestations()

    def _prestations(self) -> list[str]:
        """The prestations of the page: its prestation links (``lien_prestation``), else the title of
        each block that holds its own « Faire la demande »."""
        if self._present("lien_prestation"):
            return [t.strip() for t in self._loc("lien_prestation").all_inner_texts()]
        blocks = self._prestation_blocks()
        if not blocks:
            raise TargetError(
                f"Aucune prestation sur {self.page.url} : ni lien de prestation [clé « lien_prestation »,"
                f" localisateur {self._spec('lien_prestation').describe()}], ni bloc avec son propre"
                f" {self._describe('faire_la_demande')}"
            )
        return [title for title, _ in blocks]

    def _prestation_blocks(self) -> list[tuple[str, Locator]]:
        """(title, block) of each part of the page that holds one « Faire la demande » of its own."""
        buttons = self._loc("faire_la_demande")
        blocks = []
        for index in range(buttons.count()):
            block = buttons.nth(index).locator(_BLOCK_XPATH).first
            if block.count():
                blocks.append((block.evaluate(_BLOCK_TITLE_JS), block))
        return blocks if len(blocks) > 1 or (blocks and blocks[0][0]) else []

    def choose_prestation(self, prestation: str) -> None:
        wanted = fields.plain(prestation)
        if self._present("lien_prestation"):
            links = self._loc("lien_prestation").filter(has_text=re.compile(rf"^\s*{re.escape(prestation)}\s*$"))
            if links.count():
                self._click(links.first, "lien_prestation", f"choisir la prestation « {prestation} » via")
                return
        else:
            for title, block in self._prestation_blocks():
                if fields.plain(title) == wanted:
                    self._scope = block  # its own « Faire la demande » is the one to click
                    return
        raise TargetError(
            f"Prestation « {prestation} » introuvable sur {self.page.url}"
            f" (prestations proposées : {', '.join(self._prestations()) or 'aucune'})"
        )

    def choose_any_prestation(self) -> str:
        self._to_mes_demarches()
        themes = self.themes()
        if not themes:
            raise TargetError(f"Aucun thème dans le bandeau {self._describe('bandeau_prestations')} de {self.page.url}")
        prestation = self.choose_theme(themes[0])[0]
        self.choose_prestation(prestation)
        return prestation

    TOP_BAND = 200  # CSS pixels from the top of the page: « en haut de la page »

    def is_offered_at_top(self, element: str) -> bool:
        if not self._present(element):
            return False
        target = self._loc(element).first
        in_header = target.evaluate("el => !!el.closest('header, [role=banner]')")
        box = target.bounding_box()
        return bool(in_header) or (box is not None and box["y"] < self.TOP_BAND)

    def page_shown(self) -> Outcome:
        return self._page_outcome(self.last_status)

    def step_indicator(self) -> tuple[int, int] | None:
        if not self._present("indicateur_etape"):
            return None
        text = self._loc("indicateur_etape").first.inner_text()
        found = re.search(r"(\d+)\s*(?:sur|/|de)\s*(\d+)", text)
        return (int(found.group(1)), int(found.group(2))) if found else None

    def _open_prestation(self, prestation: str) -> None:
        """The page of a prestation: by its code when given one (``apl``), else looked for by
        its label in every theme of « Mes démarches »."""
        if re.fullmatch(r"[a-z0-9_-]+", prestation):
            self._goto("prestation", code=prestation)
            return
        self._to_mes_demarches()
        for theme in self.themes():
            offered = self.choose_theme(theme)
            if fields.plain(prestation) in map(fields.plain, offered):
                self.choose_prestation(prestation)
                return
            self._to_mes_demarches()
        raise TargetError(
            f"Prestation « {prestation} » proposée dans aucun thème de « Mes démarches » ({self.page.url})"
        )

    def _to_mes_demarches(self) -> None:
        """« Mes démarches », by its address when known, else from the home page by the guide's words."""
        if self.knows_page("mes_demarches"):
            self._goto("mes_demarches")
            return
        self.open_home()
        self._activate("aides_et_demarches")
        self._activate("mes_demarches")
        self._learn("mes_demarches")

    def current_step(self) -> str | None:
        """The journey step shown: by the page's path where the profile (or the reference) gives the
        step's address, with its sub-paths (``/inscription/code/renvoyer`` is step ⑦: a form of that step
        answered at its own address); else by the field the page asks for (``STEP_ELEMENTS``)."""
        path = self._path()
        by_path = {**self.default_pages, **self.explicit_pages}
        for step in JOURNEY_STEPS:
            step_path = by_path.get(step, "").rstrip("/")
            if step_path and (path == step_path or path.startswith(step_path + "/")):
                return step
        if all(step in by_path for step in JOURNEY_STEPS):
            return None
        if self._shown_step and self._shown_step[0] == self.page.url:  # read once per document
            return self._shown_step[1]
        step = self._step_shown({step for step in JOURNEY_STEPS if step in by_path})
        self._shown_step = (self.page.url, step)
        return step

    def _step_shown(self, by_path: set[str]) -> str | None:
        if self._present("se_deconnecter") or self._present("identifiant"):
            return None  # « Mon espace » or the login page: outside the journey
        for step, keys in STEP_ELEMENTS:
            if step not in by_path and any(self._present(key) for key in keys):
                self._learn(step)
                return step
        return None

    # ══ ④ … ⑨ the journey ════════════════════════════════════════════════
    def start_registration(self, prestation: str | None = None) -> Outcome:
        if prestation:
            self._open_prestation(prestation)
            self.follow("faire_la_demande")
            self._activate("creer_un_compte")
        else:
            self._reach_creer_un_compte()
        self._learn("creer_un_compte")
        self._activate("commencer")
        return self._outcome("etat_civil")

    def _reach_creer_un_compte(self) -> None:
        """The page with « Commencer »: by its address when known; else as the guide says, from the
        home page: the « Mon Compte » icon (③), or « Aides et démarches », « Mes démarches », a theme, a
        prestation, « Faire la demande » (① ② ③); then « Créer un compte »."""
        if self.knows_page("creer_un_compte") and not self.keyboard_only:  # the keyboard: from the home page
            self._goto("creer_un_compte")
            return
        self.open_home()
        if self._present("icone_mon_compte"):
            self._activate("icone_mon_compte")
        else:
            self._to_mes_demarches()
            self.choose_theme(self.themes()[0])
            self.choose_prestation(self._prestations()[0])
            self.follow("faire_la_demande")
        if not self._present("commencer"):
            self._activate("creer_un_compte")

    def fill_civil_status(self, person: dict[str, str], *, without_nir: bool = False) -> Outcome:
        if refused := self._reach_step("etat_civil"):
            return refused
        if without_nir:
            self._set("sans_nir", "oui")
        keys = ("civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance")
        values = {key: person.get(key) for key in (keys if without_nir else ("nir", *keys))}
        outcome = self._fill_and_submit(values, "etat_civil_continuer", "piece_identite")
        identifier = self._provisional_identifier() if outcome.accepted else None
        if identifier:
            outcome.data["identifiant_provisoire"] = identifier
        return outcome

    def _provisional_identifier(self) -> str | None:
        """The identifier the page gives after the words « identifiant provisoire » (the first word
        with a digit: « Votre identifiant provisoire : P123456789. Notez-le »)."""
        for block in self._loc("identifiant_provisoire").all():
            try:
                shown = block.inner_text() if block.is_visible() else ""
            except PlaywrightError:
                continue
            after = re.split(r"(?i)identifiant provisoire", shown, maxsplit=1)[-1]
            found = re.search(r"[A-Za-z0-9][A-Za-z0-9-]*\d[A-Za-z0-9-]*", after)
            if found:
                return found.group(0).rstrip("-")
        return None

    def submit_identity_document(self, kind: str, number: str) -> Outcome:
        if refused := self._reach_step("piece_identite"):
            return refused
        outcome = self._fill_and_submit(
            {"type_titre": kind, "numero_titre": number}, "piece_identite_continuer", "coordonnees"
        )
        return self._with_proof_notice(outcome)

    def declare_no_french_document(self) -> Outcome:
        if refused := self._reach_step("piece_identite"):
            return refused
        choice = self._find("sans_piece_francaise")
        if fields.kind_of(choice).kind == "checkbox":  # a box to tick, then the form sent
            return self._with_proof_notice(
                self._fill_and_submit({"sans_piece_francaise": "oui"}, "piece_identite_continuer", "coordonnees")
            )
        self._activate("sans_piece_francaise")
        return self._with_proof_notice(self._outcome("coordonnees"))

    def _with_proof_notice(self, outcome: Outcome) -> Outcome:
        """``data["justificatif_a_fournir"] = True`` when the next page says so (the recap always does)."""
        if outcome.accepted and self._present("justificatif_a_fournir"):
            outcome.data["justificatif_a_fournir"] = True
        return outcome

    def request_code(self, channel: str, value: str) -> Outcome:
        keys = {"email": ("canal_email", "email"), "sms": ("canal_sms", "mobile")}
        if channel not in keys:
            raise ValueError(f"canal inconnu : « {channel} » (attendu : email ou sms)")
        if refused := self._reach_step("coordonnees"):
            return refused
        choice, field = keys[channel]
        self._set_if_present(choice, "oui")  # « Par e-mail » / « Par SMS », where the site asks first
        outcome = self._fill_and_submit({field: value}, "envoyer_le_code", "code")
        if outcome.accepted:
            outcome.data.update(canal=channel, destinataire=value)
        return outcome

    def resend_code(self) -> Outcome:
        if refused := self._reach_step("code"):
            return refused
        self._activate("renvoyer_le_code")
        return self._outcome(None)

    def submit_code(self, code: str) -> Outcome:
        if refused := self._reach_step("code"):
            return refused
        return self._fill_and_submit({"code": code}, "code_valider", "mot_de_passe")

    def choose_password(self, password: str, confirmation: str | None = None) -> Outcome:
        if refused := self._reach_step("mot_de_passe"):
            return refused
        values = {"mot_de_passe": password}
        if self._present("mot_de_passe_confirmation"):
            values["mot_de_passe_confirmation"] = password if confirmation is None else confirmation
        elif confirmation is not None:
            raise NotApplicable(f"la page du mot de passe ({self.page.url}) n'a pas de champ de confirmation")
        return self._fill_and_submit(values, "mot_de_passe_valider", "recapitulatif")

    def password_rule_text(self) -> str:
        if self._reach_step("mot_de_passe"):
            raise TargetError(
                f"La page du mot de passe ({self._url('mot_de_passe')}) ne s'affiche pas : {self.page.url}"
            )
        field = self._find("mot_de_passe")
        ids = (field.get_attribute("aria-describedby") or "").split()
        if not ids:
            raise TargetError(
                f"Le champ {self._describe('mot_de_passe')} sur {self.page.url} n'indique pas sa règle"
                " (attribut aria-describedby absent)"
            )
        described = (self.page.locator(f"[id='{ident}']") for ident in ids)  # the ids the field names
        return " ".join(t for d in described if d.count() and (t := d.first.inner_text().strip()))

    def recap(self) -> dict[str, str]:
        if self._reach_step("recapitulatif"):
            raise TargetError(f"Le récapitulatif ({self._url('recapitulatif')}) ne s'affiche pas : {self.page.url}")
        recap = self._find("recapitulatif")
        result = {term: value for term, value in recap.evaluate(_RECAP_PAIRS_JS) if term}
        if self._present("justificatif_a_fournir"):
            notice = self._loc("justificatif_a_fournir").first.inner_text().strip()
            result.setdefault(self._spec("justificatif_a_fournir").display_name("justificatif_a_fournir"), notice)
        return result

    def proof_notice(self) -> str | None:
        if self._reach_step("recapitulatif"):
            raise TargetError(f"Le récapitulatif ({self._url('recapitulatif')}) ne s'affiche pas : {self.page.url}")
        # A recap line (« Justificatif à fournir : Aucun ») is judged by its value, not by its label alone
        pairs = (
            [
                (term, value)
                for term, value in self._find("recapitulatif").evaluate(_RECAP_PAIRS_JS)
                if _PROOF.search(f"{term} {value}")
            ]
            if self._present("recapitulatif")
            else []
        )
        if pairs:
            said = [
                f"{term} : {value}"
                for term, value in pairs
                if not (_NO_PROOF.search(value) or _NO_VALUE.match(value.strip()))
            ]
            return said[0] if said else None
        for block in self._loc("justificatif_a_fournir").all():  # else a sentence of its own
            text = block.inner_text().strip() if block.is_visible() else ""
            if text and not _NO_PROOF.search(text):
                return text
        return None

    def recap_text(self) -> str:
        if self._reach_step("recapitulatif"):
            raise TargetError(f"Le récapitulatif ({self._url('recapitulatif')}) ne s'affiche pas : {self.page.url}")
        return self.page.locator("body").inner_text()

    # ══ ⑨ login and espace ═══════════════════════════════════════════════
    def login(self, identifier: str, password: str) -> Outcome:
        if not self._present("identifiant"):
            self._to_login()
        self._fill_and_activate(
            {"identifiant": identifier, "connexion_mot_de_passe": password}, "connexion_se_connecter"
        )
        accepted = self._present("mon_espace")
        if accepted:
            self._learn("espace")
        outcome = self._outcome(None, accepted=accepted)
        outcome.data["statut"] = self.last_status
        return outcome

    def _to_login(self) -> None:
        """The login page: by its address when known; else from the home page, « Se connecter » (or the
        « Mon Compte » icon, or a prestation's « Faire la demande », then « Se connecter »)."""
        if self.knows_page("connexion"):
            self._goto("connexion")
            return
        self.open_home()
        if not self._present("se_connecter"):
            if self._present("icone_mon_compte"):
                self._activate("icone_mon_compte")
            else:  # the guide's way to an account: a prestation, « Faire la demande » (then log in, or create)
                self.choose_any_prestation()
                self.follow("faire_la_demande")
        self._activate("se_connecter")
        self._learn("connexion")

    def logout(self) -> None:
        if not self._present("se_deconnecter"):
            self._goto("espace")
            if not self._present("se_deconnecter"):
                return  # not logged in: nothing to do
        self._activate("se_deconnecter")

    def _espace(self) -> None:
        if not self._present("mon_espace"):
            self._goto("espace")
            if not self._present("mon_espace"):
                raise TargetError(
                    f"« Mon espace » inaccessible : {self.page.url} (connexion requise ?)"
                    f" {' '.join(self._texts('alerte'))}".rstrip()
                )

    def offered_actions(self) -> list[str]:
        self._espace()
        return [action for action, key in ACTION_ELEMENTS.items() if self._present(key)]

    def attempt(self, action: str) -> Outcome:
        """Open the page of ``action`` through its link of « Mon espace » when offered, else by its
        address (known from the profile or met on this site): a person without the right must be refused."""
        if action not in ACTION_ELEMENTS:
            raise ValueError(f"action inconnue : « {action} » (attendues : {', '.join(ACTION_ELEMENTS)})")
        self._espace()
        opened = self._open(action, ACTION_ELEMENTS[action])
        if not opened.accepted or action not in _ACTION_FORMS:
            return opened  # refused; or an action that is the page itself (consult, manage the file)
        return self._complete(action)

    def _complete(self, action: str) -> Outcome:
        """Carry the action of the page opened to its end: its form filled (a prestation offered, a
        new e-mail address, today's separation) and sent; accepted when the site answers without a
        refusal (no error status, no message of error, not sent back to the login page)."""
        submit = _ACTION_FORMS[action]
        if action == "demander_prestation":
            offered = self._choices("demande_prestation")
            if not offered:
                raise NotRun(f"{self._describe('demande_prestation')} de {self.page.url} ne propose aucune prestation")
            values = {"demande_prestation": offered[0]}
        elif action == "modifier_coordonnees":
            current = self._find("email").input_value().strip() if self._present("email") else ""
            local, _, domain = current.partition("@")
            values = {"email": f"{local or 'coordonnees'}.modifiee@{domain or 'exemple.fr'}"}
        else:
            values = {"date_separation": date.today().strftime("%d/%m/%Y")}
        outcome = self._fill_and_submit(values, submit, None)
        if (self.last_status or 200) >= 400 or self._present("identifiant"):
            outcome.accepted = False
            outcome.data["redirection"] = self.page.url
        outcome.data["statut_http"] = self.last_status
        return outcome

    def _choices(self, key: str) -> list[str]:
        """The choices a list field ``key`` offers (its options' labels)."""
        return fields.choices(self._find(key))

    def _open(self, page_name: str, link: str | None = None) -> Outcome:
        """Open a page (through ``link`` when shown, else by its address): accepted when it is
        shown; refused when it answers an error or sends elsewhere (e.g. to the login page)."""
        if link and self._present(link):
            self._activate(link)
            outcome = self._page_outcome(self.last_status)
            if outcome.accepted:
                self._learn(page_name)
            if self._present("identifiant"):  # sent to the login page
                outcome.accepted = False
                outcome.data["redirection"] = self.page.url
            return outcome
        self._goto(page_name)
        outcome = self._page_outcome(self.last_status)
        if outcome.accepted and not self._on_page(page_name):
            outcome.accepted = False
            outcome.data["redirection"] = self.page.url
        return outcome

    def _page_outcome(self, status: int | None) -> Outcome:
        """A page opened: accepted when it answered below 400 with no alert; else its message."""
        errors = self._texts("alerte")
        accepted = status is not None and status < 400 and not errors
        if not accepted and not errors:
            errors = self._texts("contenu_principal")
        return Outcome(
            accepted=accepted,
            messages=errors or self._texts("message_info"),
            invalid_fields=self._read_fields()[1],
            step=self.current_step(),
            data={"statut_http": status},
        )

    def request_prestation(self, prestation: str) -> Outcome:
        opened = self._open("demander_prestation", "action_demander_prestation")
        if not opened.accepted:
            return opened
        self._set("demande_prestation", prestation)
        self._activate("envoyer_la_demande")
        return self._page_outcome(self.last_status)

    def demarches(self) -> list[dict[str, str]]:
        """The rows of « Suivre mes démarches », keyed by their column headers in lower case
        (``prestation``, ``statut``…); no table means no démarche."""
        self._espace()
        if self._present("suivre_mes_demarches"):
            self._activate("suivre_mes_demarches")
        else:
            self._goto("demarches")
        if (self.last_status or 200) >= 400:
            raise TargetError(
                f"« Suivre mes démarches » refusé ({self.last_status}) sur {self.page.url} :"
                f" {' '.join(self._texts('alerte'))}"
            )
        return self._table_rows(self._find("liste_demarches")) if self._present("liste_demarches") else []

    def _table_rows(self, table: Locator) -> list[dict[str, str]]:
        """A table's body rows, keyed by its column headers in lower case."""
        return table.evaluate(
            """table => {
                const headers = [...table.querySelectorAll('thead th, tr:first-child th')]
                    .map(th => th.innerText.trim().toLowerCase());
                const rows = [...table.querySelectorAll('tbody tr')].filter(tr => tr.querySelector('td'));
                return rows.map(tr => {
                    const cells = [...tr.querySelectorAll('td, th')].map(c => c.innerText.trim());
                    return Object.fromEntries(cells.map((c, i) => [headers[i] || String(i), c]));
                });
            }"""
        )

    def set_procuration(self, granted: bool) -> Outcome:
        """Press « Donner procuration » / « Retirer la procuration » in « Mon espace ». Already in
        that state (only the other button shown): accepted, nothing pressed. Neither button (not
        the responsable, or a site without it): refused, ``data["raison"]`` says why."""
        self._espace()
        wanted, other = ("procuration_accorder", "procuration_retirer")[:: 1 if granted else -1]
        if self._present(wanted):
            self._activate(wanted)
            return self._outcome(None)
        if self._present(other):
            return Outcome(accepted=True, step=None, data={"inchange": True})
        return Outcome(
            accepted=False,
            step=None,
            data={"raison": f"ni {self._describe(wanted)} ni {self._describe(other)} sur {self.page.url}"},
        )

    def espace_identity(self) -> str:
        self._espace()
        return self._find("contenu_principal").inner_text().strip()

    # ══ FranceConnect ════════════════════════════════════════════════════
    def franceconnect_with_wrong_state(self, account: Mapping[str, str], intention: str = "creation") -> Outcome:
        """The provider's answer (its redirect back to the site, with ``state``) is intercepted and
        sent on with another ``state``: what a forged or replayed answer looks like. (Playwright does
        not route the target of a redirect: the provider's redirect itself is rewritten.)"""
        site = urlsplit(self.base_url).netloc

        def at_provider(url: str) -> bool:
            return urlsplit(url).netloc != site

        def other_state(route: Route) -> None:
            if not route.request.is_navigation_request():
                route.continue_()
                return
            response = route.fetch(max_redirects=0)
            back = urljoin(route.request.url, response.headers.get("location", ""))
            parts = urlsplit(back)
            query = dict(parse_qsl(parts.query))
            if 300 <= response.status < 400 and parts.netloc == site and "state" in query:
                query["state"] = secrets.token_urlsafe(32)
                forged = urlunsplit(parts._replace(query=urlencode(query)))
                route.fulfill(response=response, headers={**response.headers, "location": forged})
            else:
                route.fulfill(response=response)

        self.page.route(at_provider, other_state)
        try:
            return self.franceconnect(intention, account)
        finally:
            self.page.unroute(at_provider, other_state)

    def franceconnect(self, intention: str, account: Mapping[str, str] | None) -> Outcome:
        """« S'identifier avec FranceConnect » from « Créer un compte » (creation) or « Se connecter »
        (connexion), the identity provider chosen at FranceConnect, then log in with ``account``
        (or « Annuler » when None): the outcome of the page the site shows on return."""
        pages = {"creation": "creer_un_compte", "connexion": "connexion"}
        if intention not in pages:
            raise ValueError(f"intention inconnue : « {intention} » (attendu : creation ou connexion)")
        self._goto(pages[intention])
        self._activate("franceconnect")
        self._activate("fc_fournisseur_identite")
        if account is None:
            self._activate("fc_annuler")
        else:
            self._set("fc_identifiant", account["login"])
            self._set("fc_mot_de_passe", account["password"])
            self._activate("fc_se_connecter")
        if urlsplit(self.page.url).netloc != urlsplit(self.base_url).netloc:
            raise TargetError(
                f"Le fournisseur FranceConnect n'a pas renvoyé vers le site : {self.page.url}"
                f" {' '.join(self._texts('alerte'))}".rstrip()
            )
        if intention == "connexion":
            return self._outcome(None, accepted=self._present("mon_espace") and not self._texts("alerte"))
        outcome = self._outcome(None)
        outcome.accepted = outcome.step is not None and not self._texts("alerte")
        return outcome

    # ══ help ═════════════════════════════════════════════════════════════
    def ask_chatbot(self, question: str) -> Outcome:
        """Ask on the current page; outside the journey (where the Chatbot lives), at step ④.
        ``data["regle"]``: the rule ID quoted in the answer, if any."""
        if not self._present("chatbot_question"):
            self.start_registration()
        self._set("chatbot_question", question)
        self._activate("chatbot_demander")
        text = self._find("chatbot_reponse").inner_text().strip()
        rule = re.search(r"\b[A-Z]{2,}(?:-[A-Z0-9]+)+\b", text)
        return Outcome(
            accepted=not self._texts("alerte"),
            messages=[text],
            step=self.current_step(),
            data={"regle": rule.group(0) if rule else None},
        )

    # ══ security (rules SEC-…) ════════════════════════════════════════════
    def _cookie(self, c: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "value": c["value"],
            "httponly": c["httpOnly"],
            "secure": c["secure"],
            "samesite": (c.get("sameSite") or "").lower() or None,
            "https": urlsplit(self.base_url).scheme == "https",
        }

    def session_cookies(self) -> dict[str, dict[str, Any]]:
        context = self.page.context
        cookies = context.cookies(self.base_url)
        carrying = {}
        for cookie in cookies:
            context.clear_cookies(name=cookie["name"])
            self._goto("espace")
            if not self._present("mon_espace"):
                carrying[cookie["name"]] = self._cookie(cookie)
            context.add_cookies([cookie])
        self._goto("espace")
        return carrying

    def security_headers(self) -> dict[str, str]:
        response = self._goto("accueil")
        if response is None:
            raise TargetError(f"Pas de réponse pour la page d'accueil {self._url('accueil')}.")
        return {name.lower(): value for name, value in response.all_headers().items()}

    def forged_form_post(self, civil_status: Mapping[str, str]) -> Outcome:
        """The état civil form (④), filled in the page, then posted by the harness without its hidden
        fields (so without a CSRF token), with the browser's cookies (stricter than a real cross-site
        post, which SameSite=Lax sends without them). Accepted: the answer sends the person on (a
        redirection elsewhere than ④, or a page without the form)."""
        try:
            accepted, status, said = self._post_civil_status_form(civil_status, keep_hidden=False)
        except PlaywrightError as exc:
            raise TargetError(f"Envoi du formulaire de l'état civil impossible : {_first_line(exc)}") from None
        return Outcome(accepted, data={"reponse": said})

    # ── accessibility (RGAA): steps/drivers/accessibility.py on the page shown ──
    def axe_violations(self) -> list[accessibility.AxeViolation]:
        return accessibility.axe_violations(self.page)

    def unlabelled_fields(self) -> list[accessibility.Finding]:
        return accessibility.unlabelled_fields(self.page)

    def untied_errors(self) -> list[accessibility.Finding]:
        return accessibility.untied_errors(self.page, expect_errors=True)

    def keyboard_walk(self) -> accessibility.KeyboardReport:
        return accessibility.keyboard_walk(self.page)

    def horizontal_overflow(self, width: int, height: int) -> accessibility.OverflowFinding | None:
        return accessibility.horizontal_overflow(self.page, width, height)

    def field_description(self, element: str) -> str:
        return self._find(element).evaluate(_DESCRIPTION_JS)

    def page_text(self) -> str:
        return self.page.inner_text("body")

    def outline(self, selectors: Sequence[str]) -> None:
        accessibility.outline(self.page, selectors)

    def oversized_post(self, civil_status: Mapping[str, str], size: int) -> Outcome:
        """The état civil form (④) filled in the page, then posted by the harness with all its fields
        (hidden ones included) and one more, ``commentaire``, that makes the request ``size`` bytes long."""
        try:
            accepted, status, said = self._post_civil_status_form(
                civil_status, keep_hidden=True, extra={"commentaire": "x" * size}
            )
        except PlaywrightError as exc:  # closed while the body was still being sent: a refusal too
            self._goto_path(self._path())
            return Outcome(False, data={"statut": None, "reponse": f"connexion fermée ({_first_line(exc)})"})
        return Outcome(accepted, data={"statut": status, "reponse": said})

    def _post_civil_status_form(
        self, civil_status: Mapping[str, str], *, keep_hidden: bool, extra: Mapping[str, str] | None = None
    ) -> tuple[bool, int, str]:
        """Fill ④ in the page, post its fields (``keep_hidden``: with its hidden ones) and ``extra`` from
        the harness: whether the answer sends the person on, its status, what it said. Back at ④ after."""
        if refused := self._reach_step("etat_civil"):
            raise TargetError(f"La page de l'état civil ne s'affiche pas ({refused.data.get('page_demandee')})")
        for key in ("nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance"):
            self._set(key, civil_status.get(key, ""))
        form = self._find("nom_naissance").evaluate(_FORM_JS, keep_hidden)
        if not form:
            raise TargetError(
                f"Le champ {self._describe('nom_naissance')} n'est dans aucun formulaire ({self.page.url})."
            )
        here = self._path()
        fields = dict(form["fields"]) | dict(extra or {})
        response = self.page.request.fetch(form["action"], method=form["method"], form=fields, max_redirects=0)
        location = urlsplit(urljoin(form["action"], response.headers.get("location", ""))).path
        if response.status >= 400:
            accepted, said = False, f"refusé ({response.status})"
        elif 300 <= response.status < 400:
            accepted = location.rstrip("/") != here.rstrip("/") and "connexion" not in location
            said = f"redirigé vers {location} ({response.status})"
        else:  # the page answered: the form again (refused) or the next step (accepted)
            accepted = 'name="' + form["first_field"] + '"' not in response.text()
            said = f"page {'sans' if accepted else 'avec'} le formulaire de l'état civil ({response.status})"
        self._goto_path(here)  # back to the page's own form, for the scenario's next step
        return accepted, response.status, said

    def _goto_path(self, path: str) -> None:
        try:
            self.page.goto(urljoin(self.base_url, path.lstrip("/")), wait_until="load")
        except PlaywrightError as exc:
            raise TargetError(f"Page inaccessible : {path} ({_first_line(exc)})") from None


# A field's accessible description: the texts of the elements its aria-describedby names.
_DESCRIPTION_JS = """el => (el.getAttribute('aria-describedby') || '').split(/\\s+/).filter(Boolean)
  .map(id => document.getElementById(id)).filter(Boolean).map(d => d.innerText || d.textContent || '').join(' ').trim()"""

# The fields of an element's form as the browser would send them (with ``keepHidden`` false: less its
# hidden fields).
_FORM_JS = """(el, keepHidden) => {
  const form = el.form || el.closest('form');
  if (!form) return null;
  const hidden = new Set(keepHidden ? [] : [...form.querySelectorAll('input[type=hidden]')].map(i => i.name));
  const fields = [...new FormData(form).entries()].filter(([name, value]) => !hidden.has(name) && typeof value === 'string');
  return {action: form.action, method: (form.getAttribute('method') || 'get').toUpperCase(), fields,
          first_field: el.name || ''};
}"""


def _first_line(exc: BaseException) -> str:
    message = str(getattr(exc, "message", None) or exc).strip()
    return message.splitlines()[0] if message else type(exc).__name__
