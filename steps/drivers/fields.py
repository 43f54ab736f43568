"""Setting a form field whatever its kind, as a person would with a mouse and a keyboard.

A locator of a profile (or a default of ``steps.locators``) names *an element*: a text
field, a list, a group of radio buttons, a date given as three fields… This module looks
at what the element is and sets it the way its kind requires:

=================  ==============================================================
kind               how the value is set
=================  ==============================================================
``text``           typed (``fill``); a « JJ/MM/AAAA » field takes the date as written
``date``           ``<input type=date>``: the date JJ/MM/AAAA given as AAAA-MM-JJ
``select``         ``<select>``: the option whose value or text is the value
``radio``          a group (fieldset, ``radiogroup``) of radios: the radio named by the value
``checkbox``       ticked for « oui » (``true``, ``1``…), unticked otherwise
``date-parts``     a group of three fields (jour, mois, année; lists or text fields)
``combobox``       an autocomplete: typed, then the suggestion matching the value is picked
``button``         a choice made by clicking (a tab « Par SMS », a button): clicked for « oui »
=================  ==============================================================

A value the element cannot take (« Mademoiselle » in a list that only offers Madame and
Monsieur, « 31/02/1985 » in a native date field) raises ``CannotSet``: what the example asks
cannot be typed on that site, so the example says nothing about it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator

TRUE_WORDS = {"oui", "vrai", "true", "1", "x", "coché", "cochée"}
SUGGESTION_TIMEOUT_MS = 3000  # an autocomplete's suggestions, once typed

KIND_NOUNS = {
    "text": "champ de texte",
    "date": "champ de date",
    "select": "liste",
    "radio": "groupe de boutons radio",
    "checkbox": "case à cocher",
    "date-parts": "date en trois champs",
    "combobox": "champ avec suggestions",
    "button": "bouton, lien ou onglet à choisir",
    "unknown": "élément qui n'est pas un champ",
}

# What the element is: a field, or a container of fields (fieldset, radiogroup, a div).
_KIND_JS = """el => {
  // visible as Playwright means it (a box, not hidden), for the caller to wait for it when it is not yet
  const shown = el.getClientRects().length > 0 && getComputedStyle(el).visibility === 'visible';
  return {...(() => {
  const tag = el.tagName;
  const role = (el.getAttribute('role') || '').toLowerCase();
  if (tag === 'SELECT') return {kind: 'select'};
  if (tag === 'BUTTON' || tag === 'A' || ['tab', 'button', 'link', 'menuitemradio', 'option'].includes(role))
    return {kind: 'button'};
  if (tag === 'TEXTAREA') return {kind: 'text'};
  if (tag === 'INPUT') {
    const type = (el.getAttribute('type') || 'text').toLowerCase();
    if (type === 'checkbox') return {kind: 'checkbox'};
    if (type === 'radio') return {kind: 'radio-single'};
    if (type === 'date') return {kind: 'date'};
    const auto = (el.getAttribute('aria-autocomplete') || '').toLowerCase();
    if (role === 'combobox' || auto === 'list' || auto === 'both') return {kind: 'combobox'};
    if (['submit', 'button', 'image'].includes(type)) return {kind: 'button'};
    if (['hidden', 'reset', 'file'].includes(type)) return {kind: 'unknown'};
    return {kind: 'text'};
  }
  if (role === 'combobox') return {kind: 'combobox'};
  if (el.querySelector('input[type=radio], [role=radio]')) return {kind: 'radio'};
  const parts = [...el.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select')];
  if (parts.length === 3) return {kind: 'date-parts'};
  if (parts.length === 1) return {kind: 'single'};
  return {kind: 'unknown', fields: parts.length};
  })(), shown};
}"""

# The three parts of a date: which is the day, the month, the year (by label, name, autocomplete).
_PARTS_JS = """group => {
  const parts = [...group.querySelectorAll('input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select')];
  const words = el => {
    const labels = el.labels ? [...el.labels].map(l => l.innerText) : [];
    return [el.name, el.id, el.getAttribute('autocomplete'), el.getAttribute('aria-label'),
            el.getAttribute('placeholder'), ...labels].filter(Boolean).join(' ').toLowerCase();
  };
  return parts.map(words);
}"""


class CannotSet(Exception):
    """The element cannot take the value (the example cannot be typed on this site); ``reason`` in French."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Kind:
    kind: str
    detail: str = ""

    @property
    def settable(self) -> bool:
        return self.kind != "unknown"

    @property
    def noun(self) -> str:
        return KIND_NOUNS.get(self.kind, self.kind)


def plain(text: str) -> str:
    """Compare as a person reads: accents, case, punctuation and spaces aside."""
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", letters).strip().casefold()


@dataclass(frozen=True)
class Resolved:
    """The field an element stands for (a container of a single field: that field), its kind, and whether
    the element was visible when read."""

    field: Locator
    kind: Kind
    shown: bool


def resolve(element: Locator) -> Resolved:
    """What ``element`` is (one of ``KIND_NOUNS``), in one question to the page when it is a field: Playwright
    waits for the element to be in the page (the locator's timeout), not for it to be visible (``shown``)."""
    found = element.evaluate(_KIND_JS)
    field = element
    if found["kind"] == "single":
        field = _inner_fields(element).first
        found = {**field.evaluate(_KIND_JS), "shown": found["shown"]}
    if found["kind"] == "radio-single":  # a label that names one radio of a group: that radio
        return Resolved(field, Kind("checkbox", "bouton radio"), found["shown"])
    if found["kind"] == "unknown":
        count = found.get("fields")
        detail = f"il contient {count} champs" if count else "ni champ de saisie, ni liste, ni groupe de boutons"
        return Resolved(field, Kind("unknown", detail), found["shown"])
    return Resolved(field, Kind(found["kind"]), found["shown"])


def kind_of(element: Locator) -> Kind:
    """What ``element`` is (one of ``KIND_NOUNS``); a container of a single field is that field's kind."""
    return resolve(element).kind


def _inner_fields(element: Locator) -> Locator:
    return element.locator("input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select")


def set_field(element: Locator, value: str, resolved: Resolved | None = None) -> str:
    """Set ``element`` to ``value`` the way its kind requires (``resolved``: ``resolve(element)``, when the
    caller has read it); return the kind (``KIND_NOUNS``).

    Raises ``CannotSet`` when the element cannot take that value, ``PlaywrightError`` when the
    page does not let it be set (the caller says where, in French).
    """
    resolved = resolved or resolve(element)
    setter = _SETTERS.get(resolved.kind.kind)
    if setter is None:
        raise CannotSet(f"l'élément trouvé n'est pas un champ ({resolved.kind.detail})")
    setter(resolved.field, value)
    return resolved.kind.kind


def choices(element: Locator) -> list[str]:
    """The choices a list or a radio group offers (blank « Choisir… » entries aside); none for other kinds."""
    resolved = resolve(element)
    element, kind = resolved.field, resolved.kind
    if kind.kind == "select":
        labels = element.evaluate("el => [...el.options].filter(o => o.value).map(o => o.label.trim())")
        return [label for label in labels if plain(label) and "choisir" not in plain(label)]
    if kind.kind == "radio":
        radios = element.get_by_role("radio")
        return [radios.nth(i).evaluate(_ACCESSIBLE_NAME_JS) for i in range(radios.count())]
    return []


def _text(element: Locator, value: str) -> None:
    element.fill(value)


def iso_date(value: str) -> str | None:
    """« 14/03/1985 » → « 1985-03-14 »; ``None`` for what is not a date of the calendar."""
    from datetime import date

    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", value)
    if not match:
        return None
    day, month, year = (int(g) for g in match.groups())
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _date(element: Locator, value: str) -> None:
    if not value.strip():
        element.fill("")
        return
    iso = iso_date(value)
    if iso is None:
        raise CannotSet(f"un champ de date du navigateur ne peut pas recevoir « {value} », qui n'est pas une date")
    element.fill(iso)


def _select(element: Locator, value: str) -> None:
    options = element.evaluate("el => [...el.options].map(o => [o.value, o.label.trim()])")
    wanted = plain(value)
    if not wanted:
        blank = next((v for v, label in options if not v or not plain(label) or "choisir" in plain(label)), None)
        if blank is None:
            raise CannotSet("la liste n'a pas de choix vide : elle ne peut pas être laissée vide")
        element.select_option(value=blank)
        return
    for option_value, label in options:
        if wanted in (plain(option_value), plain(label)) or same_number(value, option_value, label):
            element.select_option(value=option_value)
            return
    shown = ", ".join(label for _, label in options if label) or "aucun choix"
    raise CannotSet(f"la liste ne propose pas « {value} » (elle propose : {shown})")


def same_number(value: str, *candidates: str) -> bool:
    """Whether ``value`` is a whole number that one of ``candidates`` writes too (« 3 » and « 03 »)."""
    if not value.strip().isdigit():
        return False
    return any(c.strip().isdigit() and int(c) == int(value) for c in candidates)


def _radio(group: Locator, value: str) -> None:
    radios = group.get_by_role("radio")
    names = [(radios.nth(i), radios.nth(i).evaluate(_ACCESSIBLE_NAME_JS)) for i in range(radios.count())]
    wanted = plain(value)
    if not wanted:
        if any(r.is_checked() for r, _ in names):
            raise CannotSet("un choix du groupe est déjà coché : il ne peut pas être laissé vide")
        return
    for radio, name in names:
        if plain(name) == wanted or plain(radio.get_attribute("value") or "") == wanted:
            radio.check()
            return
    shown = ", ".join(name for _, name in names) or "aucun"
    raise CannotSet(f"le groupe ne propose pas « {value} » (choix : {shown})")


# The visible name of a radio: its label, else its aria-label, else its value.
_ACCESSIBLE_NAME_JS = """el => {
  const labels = el.labels ? [...el.labels].map(l => l.innerText.trim()).filter(Boolean) : [];
  return labels[0] || el.getAttribute('aria-label') || el.innerText || el.value || '';
}"""


def _checkbox(element: Locator, value: str) -> None:
    if plain(value) in TRUE_WORDS:
        element.check()
    else:
        element.uncheck()


def _button(element: Locator, value: str) -> None:
    if plain(value) in TRUE_WORDS:
        element.click()


def _date_parts(group: Locator, value: str) -> None:
    fields = _inner_fields(group)
    parts = split_date(value)
    order = part_order(group.evaluate(_PARTS_JS))
    for index, part in zip(order, parts):
        field = fields.nth(index)
        if kind_of(field).kind == "select":
            _select(field, part)
        else:
            field.fill(part)


def split_date(value: str, *, blank: bool = True) -> tuple[str, str, str]:
    """The day, month and year of a « JJ/MM/AAAA » date, as written; three empty parts for a blank value
    (with ``blank=False``, a blank value is refused as any other). ``CannotSet`` when it does not split."""
    if blank and not value.strip():
        return "", "", ""
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{1,4})\s*", value)
    if not match:
        raise CannotSet(f"« {value} » ne se découpe pas en jour, mois et année")
    day, month, year = match.groups()
    return day, month, year


def part_order(words: list[str]) -> list[int]:
    """Indexes of the day, month and year fields (French order when the fields do not say)."""
    clues = (("day", "jour", "bday-day"), ("month", "mois", "bday-month"), ("year", "ann", "bday-year"))
    order = []
    for position, names in enumerate(clues):
        found = next((i for i, w in enumerate(words) if any(n in w for n in names) and i not in order), None)
        order.append(found if found is not None else position)
    return order if len(set(order)) == 3 else [0, 1, 2]


def _combobox(element: Locator, value: str) -> None:
    element.fill(value)
    if not value.strip():
        return
    page = element.page
    owned = element.get_attribute("aria-controls") or element.get_attribute("aria-owns")
    scope: Any = page.locator(f"[id='{owned}']") if owned else page
    options = scope.get_by_role("option")
    try:
        options.first.wait_for(state="visible", timeout=SUGGESTION_TIMEOUT_MS)
    except PlaywrightError:
        return  # no suggestion: the typed text is what is sent
    wanted = plain(value)
    texts = [plain(t) for t in options.all_inner_texts()]
    for index, text in enumerate(texts):
        if text == wanted:
            options.nth(index).click()
            return
    for index, text in enumerate(texts):
        if text.startswith(wanted):
            options.nth(index).click()
            return
    raise CannotSet(f"aucune suggestion ne correspond à « {value} » (suggestions : {', '.join(texts[:8])})")


# ── by the keyboard alone (A11Y-CLAVIER) ──────────────────────────────────
class NotByKeyboard(Exception):
    """The element cannot be reached or set with the keyboard alone; ``reason`` in French."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


_HAS_FOCUS_JS = "el => el === document.activeElement || el.contains(document.activeElement)"
_TABBABLE_COUNT_JS = """() => [...document.querySelectorAll(
  'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"]), [contenteditable]'
)].length"""
_FOCUSED_JS = """() => { const el = document.activeElement;
  if (!el || el === document.body) return '';
  const label = el.labels && el.labels[0] ? el.labels[0].innerText : '';
  return (el.getAttribute('aria-label') || label || el.innerText || el.value || el.tagName).trim().slice(0, 60); }"""


def tab_to(element: Locator) -> None:
    """Press Tab (from wherever the focus is) until ``element``, or a control inside it, has the focus;
    NotByKeyboard when it never does (after going round the page twice)."""
    page = element.page
    if element.evaluate(_HAS_FOCUS_JS):
        return
    presses = 2 * page.evaluate(_TABBABLE_COUNT_JS) + 3
    for _ in range(presses):
        page.keyboard.press("Tab")
        if element.evaluate(_HAS_FOCUS_JS):
            return
    last = page.evaluate(_FOCUSED_JS)
    where = f"le focus finit sur « {last} »" if last else "le focus finit hors des éléments de la page"
    raise NotByKeyboard(f"la touche Tabulation ne l'atteint jamais ({presses} appuis ; {where})")


def set_field_by_keyboard(element: Locator, value: str, resolved: Resolved | None = None) -> str:
    """Set ``element`` as a person who only uses the keyboard does: Tab to it, then type, Space, the arrows
    (radios, lists); return the kind. ``NotByKeyboard`` when the keyboard cannot do it, ``CannotSet`` as
    ``set_field``."""
    resolved = resolved or resolve(element)
    element, kind = resolved.field, resolved.kind
    setter = _pick_radio if kind.detail == "bouton radio" else _KEYBOARD_SETTERS.get(kind.kind)
    if setter is None:
        raise NotByKeyboard(f"un {kind.noun} ne se remplit pas au clavier seul par le harnais")
    setter(element, value)
    return kind.kind


def _type(element: Locator, value: str) -> None:
    tab_to(element)
    keyboard = element.page.keyboard
    keyboard.press("ControlOrMeta+a")
    keyboard.press("Delete")
    if value:
        keyboard.type(value)


def _type_date(element: Locator, value: str) -> None:
    iso = iso_date(value)
    if iso is None:
        raise CannotSet(f"un champ de date du navigateur ne peut pas recevoir « {value} », qui n'est pas une date")
    tab_to(element)
    year, month, day = iso.split("-")
    element.page.keyboard.type(f"{day}{month}{year}")  # a French date field: jour, mois, année
    if element.input_value() != iso:
        raise NotByKeyboard(f"le champ de date garde « {element.input_value()} » après la frappe de « {value} »")


def _choose_in_list(element: Locator, value: str) -> None:
    tab_to(element)
    options = element.evaluate("el => [...el.options].map(o => [o.value, o.label.trim()])")
    wanted = plain(value)
    index = next(
        (
            i
            for i, (option_value, label) in enumerate(options)
            if (wanted and wanted in (plain(option_value), plain(label))) or (not wanted and not option_value)
        ),
        None,
    )
    if index is None:
        raise CannotSet(f"la liste ne propose pas « {value} »")
    keyboard = element.page.keyboard
    keyboard.press("Home")
    for _ in range(index):
        keyboard.press("ArrowDown")
    if element.evaluate("el => el.selectedIndex") != index:
        raise NotByKeyboard("les flèches ne changent pas le choix de la liste")


def _choose_radio(group: Locator, value: str) -> None:
    radios = group.get_by_role("radio")
    names = [plain(radios.nth(i).evaluate(_ACCESSIBLE_NAME_JS)) for i in range(radios.count())]
    values = [plain(radios.nth(i).get_attribute("value") or "") for i in range(radios.count())]
    wanted = plain(value)
    if wanted not in names and wanted not in values:
        raise CannotSet(f"le groupe ne propose pas « {value} »")
    tab_to(group)
    keyboard = group.page.keyboard
    for _ in range(len(names) + 1):
        focused = next((i for i in range(len(names)) if radios.nth(i).evaluate(_HAS_FOCUS_JS)), None)
        if focused is not None and wanted in (names[focused], values[focused]):
            keyboard.press("Space")
            if radios.nth(focused).is_checked():
                return
            break
        keyboard.press("ArrowDown")  # moves to the next radio of the group and checks it
    raise NotByKeyboard(f"les flèches ne mènent pas au choix « {value} » du groupe")


def _tick(element: Locator, value: str) -> None:
    tab_to(element)
    if element.is_checked() != (plain(value) in TRUE_WORDS):
        element.page.keyboard.press("Space")
    if element.is_checked() != (plain(value) in TRUE_WORDS):
        raise NotByKeyboard("la touche Espace ne coche ni ne décoche la case")


_IN_SAME_GROUP_JS = """el => { const f = document.activeElement;
  return !!f && f.type === 'radio' && f.name === el.name && f.form === el.form; }"""


_GROUP_SIZE_JS = "el => [...document.getElementsByName(el.name)].filter(r => r.type === 'radio').length"


def _pick_radio(radio: Locator, value: str) -> None:
    """One radio of a group, named by its own label: Tab into the group, then the arrows to it."""
    if plain(value) not in TRUE_WORDS:
        return  # a radio is unticked by choosing another one of its group
    page = radio.page
    if not radio.evaluate(_IN_SAME_GROUP_JS):
        presses = 2 * page.evaluate(_TABBABLE_COUNT_JS) + 3
        for _ in range(presses):
            page.keyboard.press("Tab")
            if radio.evaluate(_IN_SAME_GROUP_JS):
                break
        else:
            raise NotByKeyboard(f"la touche Tabulation n'atteint jamais son groupe ({presses} appuis)")
    for _ in range(radio.evaluate(_GROUP_SIZE_JS) + 1):
        if radio.evaluate(_HAS_FOCUS_JS):
            page.keyboard.press("Space")
            if radio.is_checked():
                return
            break
        page.keyboard.press("ArrowDown")
    raise NotByKeyboard("les flèches ne mènent pas à ce bouton radio de son groupe")


def _press(element: Locator, value: str) -> None:
    if plain(value) in TRUE_WORDS:
        tab_to(element)
        element.page.keyboard.press("Enter")


def _type_date_parts(group: Locator, value: str) -> None:
    fields = _inner_fields(group)
    parts = split_date(value, blank=False)
    order = part_order(group.evaluate(_PARTS_JS))
    for index, part in zip(order, parts):
        field = fields.nth(index)
        (_choose_in_list if kind_of(field).kind == "select" else _type)(field, part)


_KEYBOARD_SETTERS = {
    "text": _type,
    "combobox": _type,  # the typed text; its suggestions are not picked with the arrows
    "date": _type_date,
    "select": _choose_in_list,
    "radio": _choose_radio,
    "checkbox": _tick,
    "date-parts": _type_date_parts,
    "button": _press,
}

_SETTERS = {
    "text": _text,
    "date": _date,
    "select": _select,
    "radio": _radio,
    "checkbox": _checkbox,
    "date-parts": _date_parts,
    "combobox": _combobox,
    "button": _button,
}

__all__ = [
    "CannotSet",
    "KIND_NOUNS",
    "Kind",
    "NotByKeyboard",
    "iso_date",
    "kind_of",
    "part_order",
    "plain",
    "same_number",
    "set_field",
    "set_field_by_keyboard",
    "split_date",
    "tab_to",
]
