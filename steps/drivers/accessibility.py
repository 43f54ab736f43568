"""Building blocks of RGAA accessibility checks, on a Playwright page of any website.

Each function takes a sync Playwright ``Page`` already showing the page to check and returns
findings as small frozen dataclasses whose ``text`` (French) a report can show. Nothing here
asserts: callers judge. No check relies on the markup, ids or wording of a particular site; what
each one cannot see is said in its docstring.

- :func:`axe_violations`: axe-core (``axe-playwright-python``) with the WCAG 2.0/2.1 A and AA rules.
- :func:`unlabelled_fields`: form fields without a programmatic name (RGAA 11.1).
- :func:`untied_errors`: error messages not tied to their field, refusal not announced (RGAA 11.10, 7.5).
- :func:`keyboard_walk`: the Tab order, visible focus, keyboard traps (RGAA 12.8, 10.7, 12.9).
- :func:`horizontal_overflow`: horizontal scrolling at a narrow width (RGAA 10.11).
- :func:`outline_screenshot`: a screenshot with given elements outlined in red, for a report.

The page-side code is JavaScript run with ``page.evaluate``: ``_HELPERS`` (names, descriptions,
CSS paths, visibility) is shared by every script through :func:`_script`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike
from typing import Any

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from moncompte import resources

# RGAA 4.1 is built on WCAG 2.1 level AA: axe-core's rules of these tags, no "best-practice" ones
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
IMPACTS = {"minor": "mineur", "moderate": "modéré", "serious": "grave", "critical": "critique"}
SNIPPET_CHARS = 200
# presses of Tab on the same element before it is a trap
STUCK_PRESSES = 3
OVERFLOW_LISTED = 5
# a 1280 px wide window zoomed to 200 % lays the page out in 640 CSS pixels (RGAA 10.11, WCAG 1.4.10)
ZOOM_200_WIDTH = 640


# ── findings ──────────────────────────────────────────────────────────────
@dataclass(frozen=True)
class Finding:
    """A defect against one RGAA criterion, on one element (``selector``) or on the page (``selector`` empty)."""

    criterion: str  # RGAA criterion, e.g. "11.1"
    element: str  # the element as a user can tell it: tag, id or name, accessible text; empty for the page
    selector: str  # a CSS selector of the element (for outline_screenshot); empty for the page
    problem: str  # French

    @property
    def text(self) -> str:
        where = f"{self.element} : " if self.element else ""
        return f"RGAA {self.criterion} — {where}{self.problem}"


@dataclass(frozen=True)
class AxeNode:
    target: str  # CSS selector; for an element inside an iframe, the frame's then the element's, joined by " → "
    html: str  # the element's HTML, cut to SNIPPET_CHARS


@dataclass(frozen=True)
class AxeViolation:
    rule: str  # axe-core rule id, e.g. "label"
    impact: str  # minor, moderate, serious, critical
    help: str  # axe-core's one-line help, in French (``AXE_LOCALE``)
    help_url: str
    nodes: tuple[AxeNode, ...]

    @property
    def text(self) -> str:
        targets = ", ".join(node.target for node in self.nodes[:3]) + ("…" if len(self.nodes) > 3 else "")
        impact = IMPACTS.get(self.impact, self.impact)
        return (
            f"axe-core « {self.rule} » (impact {impact}) : {self.help} — {len(self.nodes)} élément(s) : {targets}"
            f" ({self.help_url})"
        )


@dataclass(frozen=True)
class Target:
    selector: str
    description: str


@dataclass(frozen=True)
class FocusStop:
    """An element Tab reached, and what changes in its computed style when it has the focus."""

    selector: str
    description: str
    # the style properties that differ focused vs. blurred ("outline-style", "parent:background-color",
    # "::after:border-bottom-color"…); None when the element never lost the focus during the walk
    focus_change: tuple[str, ...] | None

    @property
    def visible_focus(self) -> bool | None:
        return None if self.focus_change is None else bool(self.focus_change)


@dataclass(frozen=True)
class KeyboardReport:
    stops: tuple[FocusStop, ...]  # the elements reached, in the order Tab first reached them
    unreached: tuple[Target, ...]  # controls of the main form(s) that Tab never reached
    trap: tuple[FocusStop, ...]  # the element(s) focus stayed on or cycled among; empty: no trap
    complete: bool  # the walk ended (focus left the page, came back, or was trapped) before max_presses
    shift_tab_returns: bool | None  # Shift+Tab from the last stop goes back to the one before; None: not tried
    presses: int

    @property
    def findings(self) -> tuple[Finding, ...]:
        found = [
            Finding("12.8", t.description, t.selector, "jamais atteint avec la touche Tab") for t in self.unreached
        ]
        found += [
            Finding(
                "10.7",
                stop.description,
                stop.selector,
                "la prise de focus n'est pas visible (ni contour, ni ombre, ni bordure, ni fond, ni couleur ne change)",
            )
            for stop in self.stops
            if stop.visible_focus is False
        ]
        if len(self.trap) == 1:
            stop = self.trap[0]
            found.append(
                Finding(
                    "12.9",
                    stop.description,
                    stop.selector,
                    f"piège au clavier : après {STUCK_PRESSES} appuis sur Tab, le focus reste sur cet élément",
                )
            )
        elif self.trap:
            names = " ; ".join(stop.description for stop in self.trap)
            problem = f"piège au clavier : Tab fait tourner le focus en boucle entre {len(self.trap)} éléments alors que d'autres restent inaccessibles"
            found.append(Finding("12.9", names, self.trap[0].selector, problem))
        if self.shift_tab_returns is False:
            last = self.stops[-1]
            problem = "Maj+Tab depuis le dernier élément atteint ne ramène pas à l'élément précédent"
            found.append(Finding("12.8", last.description, last.selector, problem))
        return tuple(found)


@dataclass(frozen=True)
class OverflowingElement:
    selector: str
    description: str
    width: int  # CSS pixels
    right: int  # right edge, CSS pixels from the page's left


@dataclass(frozen=True)
class OverflowFinding:
    width: int  # the viewport tried
    height: int
    scroll_width: int  # the content's width
    client_width: int  # the visible width
    elements: tuple[OverflowingElement, ...]  # up to OVERFLOW_LISTED of the outermost elements passing the edge

    @property
    def text(self) -> str:
        culprits = ", ".join(
            f"{e.description} ({e.width} px de large, bord droit à {e.right} px)" for e in self.elements
        )
        return (
            f"RGAA 10.11 — à {self.width} × {self.height} px, le contenu déborde horizontalement"
            f" ({self.scroll_width} px de contenu pour {self.client_width} px visibles)"
            + (f" : {culprits}" if culprits else "")
        )


# ── page-side helpers ─────────────────────────────────────────────────────
_HELPERS = r"""
const norm = s => (s || '').replace(/\s+/g, ' ').trim();
const cut = (s, n) => s.length > n ? s.slice(0, n - 1) + '…' : s;
// every element matching selector, open shadow roots included
const deepAll = (selector, root = document) => {
  const found = [...root.querySelectorAll(selector)];
  for (const host of root.querySelectorAll('*')) if (host.shadowRoot) found.push(...deepAll(selector, host.shadowRoot));
  return found;
};
const deepActive = () => {
  let active = document.activeElement;
  while (active && active.shadowRoot && active.shadowRoot.activeElement) active = active.shadowRoot.activeElement;
  return active;
};
const isVisible = el => el.isConnected && el.checkVisibility({visibilityProperty: true, checkVisibilityCSS: true})
  && el.getClientRects().length > 0;
const settle = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 0)));
const NOT_FILLED = ['hidden', 'submit', 'button', 'reset', 'image'];
// the controls a user fills or chooses
const fields = () => deepAll('input, select, textarea')
  .filter(el => (el.tagName !== 'INPUT' || !NOT_FILLED.includes(el.type)) && isVisible(el));
const refs = (el, attr) => norm(el.getAttribute(attr)).split(' ').filter(Boolean)
  .map(id => el.getRootNode().getElementById(id)).filter(Boolean);
// the text a node gives to an accessible name, without the subtree of skip (the control being named)
const textOf = (node, skip) => {
  const parts = [];
  const walk = n => {
    if (n === skip) return;
    if (n.nodeType === Node.TEXT_NODE) { parts.push(n.data); return; }
    if (n.nodeType !== Node.ELEMENT_NODE || n.getAttribute('aria-hidden') === 'true') return;
    if (['SCRIPT', 'STYLE', 'TEMPLATE', 'INPUT', 'SELECT', 'TEXTAREA'].includes(n.tagName)) {
      if (n.tagName === 'INPUT' && n.type === 'image') parts.push(n.alt || '');
      return;
    }
    const style = getComputedStyle(n);
    if (style.display === 'none' || style.visibility === 'hidden') return;
    if (norm(n.getAttribute('aria-label'))) { parts.push(n.getAttribute('aria-label')); return; }
    if (n.tagName === 'IMG') { parts.push(n.alt || ''); return; }
    for (const child of n.childNodes) walk(child);
  };
  walk(node);
  return norm(parts.join(' '));
};
// the programmatic name of a control: aria-labelledby, aria-label, <label>, title (never the placeholder)
const ownName = el => {
  const byIds = norm(refs(el, 'aria-labelledby').map(r => textOf(r, el) || norm(r.textContent)).join(' '));
  if (byIds) return byIds;
  if (norm(el.getAttribute('aria-label'))) return norm(el.getAttribute('aria-label'));
  const labels = norm([...(el.labels || [])].map(label => textOf(label, el)).join(' '));
  return labels || norm(el.getAttribute('title'));
};
const shownText = el => ownName(el) || textOf(el)
  || (el.tagName === 'INPUT' && ['submit', 'button', 'reset'].includes(el.type) ? norm(el.value) : '')
  || norm(el.getAttribute('alt')) || norm(el.getAttribute('placeholder'));
const describe = el => {
  const tag = el.tagName.toLowerCase();
  let what = tag;
  if (tag === 'input') what += `[type=${el.type}]`;
  if (el.getAttribute('role')) what += `[role=${el.getAttribute('role')}]`;
  if (el.id) what += '#' + el.id;
  else if (el.getAttribute('name')) what += `[name=${el.getAttribute('name')}]`;
  const text = cut(shownText(el), 60);
  return text ? `${what} « ${text} »` : what;
};
// a CSS selector of el: its id when unique, else a path of tag:nth-of-type from the nearest unique id
const cssPath = el => {
  const parts = [];
  for (let n = el; n && n.nodeType === Node.ELEMENT_NODE; n = n.parentElement) {
    if (n.id && n.getRootNode().querySelectorAll('#' + CSS.escape(n.id)).length === 1) {
      parts.unshift('#' + CSS.escape(n.id));
      break;
    }
    const tag = n.tagName.toLowerCase();
    const same = n.parentElement ? [...n.parentElement.children].filter(c => c.tagName === n.tagName) : [n];
    parts.unshift(same.length > 1 ? `${tag}:nth-of-type(${same.indexOf(n) + 1})` : tag);
    if (tag === 'body') break;
  }
  return parts.join(' > ');
};
const modal = () => deepAll('dialog, [aria-modal=true]').find(d => (d.matches(':modal') || d.getAttribute('aria-modal') === 'true') && isVisible(d));
"""


def _script(body: str, is_async: bool = False) -> str:
    """A function for ``page.evaluate`` whose body sees the helpers; its argument is ``arg``."""
    return f"{'async ' if is_async else ''}(arg) => {{{_HELPERS}\n{body}\n}}"


# ── 1. axe-core ───────────────────────────────────────────────────────────
def axe_violations(page: Page, impacts: Iterable[str] = ("serious", "critical")) -> list[AxeViolation]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the page, for the given impacts only,
    their help text in French (axe-core's own French locale, ``AXE_LOCALE``).

    axe is also injected into the page's iframes so that their content is checked (without it, axe
    skips them silently); frames it cannot enter are left out. Sees only what axe-core checks
    automatically: about a third of the RGAA, none of what needs a human judgement.
    """
    script, locale = Axe().axe_script, axe_locale()
    for frame in page.frames:
        try:
            frame.evaluate(script)
            frame.evaluate(_AXE_CONFIGURE, locale)
        except PlaywrightError:  # a frame gone or not ready: axe reports it as not tested
            if frame == page.main_frame:
                raise
    options = {"runOnly": {"type": "tag", "values": list(WCAG_TAGS)}, "resultTypes": ["violations"]}
    wanted = set(impacts)
    return [
        AxeViolation(
            rule=v["id"],
            impact=v["impact"],
            help=v["help"],
            help_url=v["helpUrl"],
            nodes=tuple(AxeNode(_axe_target(n["target"]), _cut(n["html"], SNIPPET_CHARS)) for n in v["nodes"]),
        )
        for v in page.evaluate("options => axe.run(document, options)", options)["violations"]
        if v.get("impact") in wanted
    ]


# axe-core's French messages (``locales/fr.json`` of the npm package axe-core, the version that
# axe-playwright-python ships; MPL-2.0, see ``steps/axe/README.md``)
AXE_LOCALE = ("moncompte.steps", "axe/fr.json")
_AXE_CONFIGURE = "locale => axe.configure({locale})"


@functools.cache
def axe_locale() -> dict[str, Any]:
    return json.loads(resources.path(*AXE_LOCALE).read_text(encoding="utf-8"))


def _axe_target(target: list[Any]) -> str:
    """axe's target: one selector per frame level; a level inside shadow DOM is itself a list."""
    return " → ".join(" >>> ".join(part) if isinstance(part, list) else part for part in target)


def _cut(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# ── 2. fields without a name ──────────────────────────────────────────────
_UNLABELLED = _script("return fields().filter(el => !ownName(el)).map(el => [cssPath(el), describe(el)]);")


def unlabelled_fields(page: Page) -> list[Finding]:
    """The visible fields (input other than hidden/submit/button/reset/image, select, textarea) without a
    programmatic name: no ``label`` (``for`` or wrapping), ``aria-label``, ``aria-labelledby`` or ``title``
    giving text. A placeholder alone does not count. RGAA 11.1.

    Cannot see: whether the name is relevant (RGAA 11.2), custom widgets that are not native fields
    (``div role=combobox``: axe's ``aria-input-field-name`` covers them), fields inside closed shadow roots
    or iframes.
    """
    return [
        Finding(
            "11.1",
            description,
            selector,
            "champ sans étiquette (ni label, ni aria-label, ni aria-labelledby, ni title)",
        )
        for selector, description in page.evaluate(_UNLABELLED)
    ]


# ── 3. error messages ─────────────────────────────────────────────────────
_ERRORS = _script(r"""
const all = fields();
const hint = el => `${el.getAttribute('class') || ''} ${el.id}`;
const isRed = color => {
  const m = (color.match(/[\d.]+/g) || []).map(Number);
  return m.length >= 3 && (m[3] === undefined || m[3] > 0) && m[0] >= 150 && m[1] <= 100 && m[2] <= 100;
};
// an error message by its look: role=alert, a class or id saying error/invalid/danger, or red text
const looksLikeError = el => el.getAttribute('role') === 'alert'
  || /(^|[^a-z])(err|invalid|danger)/i.test(hint(el)) || /[a-z](Err|Invalid|Danger)/.test(hint(el))
  || isRed(getComputedStyle(el).color);
const SKIP = 'html, head, body, script, style, template, input, select, textarea, option, button, a[href], [role=button]';
const candidates = deepAll('*').filter(el => !el.matches(SKIP) && isVisible(el)
  && /\p{L}.*\p{L}.*\p{L}/u.test(textOf(el)) && !all.some(f => el.contains(f)) && looksLikeError(el));
const chosen = new Set(candidates);
const outermost = candidates.filter(el => {
  for (let n = el.parentElement; n; n = n.parentElement) if (chosen.has(n)) return false;
  return true;
});
// radio buttons and checkboxes sharing a name are one field
const key = f => ['radio', 'checkbox'].includes(f.type) && f.name ? `${f.type} ${f.name} ${[...document.forms].indexOf(f.form)}` : f;
const fieldsIn = n => n.tagName === 'LABEL' ? [n.control].filter(f => all.includes(f)) : all.filter(f => n.contains(f));
const single = list => list.length && new Set(list.map(key)).size === 1 ? list : null;
const boundary = n => ['FORM', 'BODY', 'MAIN', 'HTML'].includes(n.tagName) || ['form', 'main'].includes(n.getAttribute('role'));
const PAGE_LEVEL = ['BODY', 'MAIN', 'HTML'];
// a sibling that can own a message: the field, its label, or a plain wrapper (no form, section, heading)
const SECTIONING = 'form, fieldset, section, aside, article, nav, header, footer, [role=form], [role=region], [role=search], h1, h2, h3, h4, h5, h6';
const ownerSibling = s => s && !s.matches(SECTIONING) && !s.querySelector(SECTIONING) && fieldsIn(s).length ? fieldsIn(s) : null;
// the field (or group) a message sits next to: the first ancestor holding fields holds only that one;
// or else, in a form laid out flat, the nearest sibling owning fields (the previous first), if it owns one
const ownerOf = message => {
  if (message.querySelector('a[href^="#"], h1, h2, h3, h4, h5, h6, [role=heading]')) return null;  // a summary
  for (let n = message, depth = 0; n.parentElement && depth < 5; n = n.parentElement, depth++) {
    const parent = n.parentElement;
    const inside = fieldsIn(parent);
    if (inside.length && single(inside) && !boundary(parent)) return inside;
    if (inside.length) {
      if (PAGE_LEVEL.includes(parent.tagName) || parent.getAttribute('role') === 'main') return null;
      const before = [n.previousElementSibling, n.previousElementSibling?.previousElementSibling];
      const after = [n.nextElementSibling, n.nextElementSibling?.nextElementSibling];
      for (const sibling of [before[0], after[0], before[1], after[1]]) {
        const owned = ownerSibling(sibling);
        if (owned) return single(owned);
      }
      return null;
    }
    if (boundary(parent)) return null;
  }
  return null;
};
const covers = (ref, message, text) => ref === message || ref.contains(message)
  || (message.contains(ref) && norm(ref.textContent) !== '') || (text !== '' && norm(ref.textContent).includes(text));
// the programmatic ways a message reaches its field: aria-describedby, aria-errormessage (with
// aria-invalid=true), aria-labelledby, <label>, aria-label, or the legend/description of its group
const tied = (field, message, text) => {
  const owners = [field];
  for (let n = field.parentElement; n; n = n.parentElement) if (n.matches('fieldset, [role=group], [role=radiogroup]')) owners.push(n);
  for (const owner of owners) {
    const invalid = owner.getAttribute('aria-invalid') === 'true';
    const linked = [...refs(owner, 'aria-describedby'), ...refs(owner, 'aria-labelledby'), ...(invalid ? refs(owner, 'aria-errormessage') : [])];
    if (owner.tagName === 'FIELDSET' && owner.querySelector(':scope > legend')) linked.push(owner.querySelector(':scope > legend'));
    if (linked.some(ref => covers(ref, message, text))) return true;
  }
  return [...(field.labels || [])].some(label => covers(label, message, text))
    || (text !== '' && norm(field.getAttribute('aria-label')).includes(text));
};
const errors = new Map();  // field key → {fields, messages}
for (const message of outermost) {
  const owner = ownerOf(message);
  if (!owner) continue;
  const entry = errors.get(key(owner[0])) || {fields: owner, messages: []};
  entry.messages.push(message);
  errors.set(key(owner[0]), entry);
}
for (const f of all.filter(f => f.getAttribute('aria-invalid') === 'true')) {
  if (!errors.has(key(f))) errors.set(key(f), {fields: [f], messages: []});
}
const found = [];
for (const {fields: group, messages} of errors.values()) {
  for (const message of messages) {
    const text = textOf(message);
    if (!group.some(f => tied(f, message, text))) found.push({selector: cssPath(group[0]), field: describe(group[0]), message: cut(text, 120)});
  }
  if (!messages.length) {
    const described = group.some(f => [...refs(f, 'aria-describedby'), ...refs(f, 'aria-errormessage')].some(r => norm(r.textContent)));
    if (!described) found.push({selector: cssPath(group[0]), field: describe(group[0]), message: null});
  }
}
// the refusal is announced: a live region holds an error, or the focus went to an error summary
// or to an erroneous field whose message is tied to it
const ERROR_WORDS = /erreur|invalide|incorrect|obligatoire|manquant|veuillez|corrige|error|invalid|required|missing/i;
const messagesShown = [...errors.values()].flatMap(e => e.messages);
const holdsError = region => {
  const text = textOf(region);
  return text !== '' && (messagesShown.some(m => region.contains(m) || m.contains(region)) || ERROR_WORDS.test(text));
};
const live = deepAll('[role=alert], [role=status], [role=log], [aria-live=polite], [aria-live=assertive]');
const active = deepActive();
const focusedOnError = !!active && active !== document.body && (
  errors.has(key(active)) ? !found.some(f => f.selector === cssPath(active)) : (looksLikeError(active) || ERROR_WORDS.test(textOf(active))));
const anyError = errors.size > 0 || live.some(holdsError);
return {found, anyError, announced: live.some(holdsError) || (anyError && focusedOnError)};
""")


def untied_errors(page: Page, expect_errors: bool = False) -> list[Finding]:
    """Call right after a form was refused. Findings: each error message next to a field that is not tied
    to it programmatically (``aria-describedby``, ``aria-errormessage`` with ``aria-invalid="true"``, its
    label or its group's legend; RGAA 11.10), each field marked ``aria-invalid="true"`` with no message
    tied to it, and one finding when nothing announces the refusal (no ``role=alert``/``status``/``log``
    or ``aria-live`` region holding an error, and the focus not moved to an error summary or to an
    erroneous field whose message is tied; RGAA 7.5). A page showing no error at all gives one finding
    saying so when ``expect_errors``, else none.

    An error message is found by its look, not by a site's markup: a visible element with ``role=alert``,
    a class or id saying error/erreur/invalid/danger, or red text. It belongs to a field (or a radio/checkbox
    group) when its nearest ancestor holding fields, below the form, holds only that one; in a form laid
    out flat, to the field or label just before (else after) it. A message with a heading or links to
    ``#…`` is a summary, not a field's message. Cannot see: the browser's own validation bubbles (not in
    the DOM), messages styled otherwise (an icon only, a colour given as ``oklch()``), one message for
    several fields (a day/month/year date), whether a live region existed before its text was inserted
    (a polite region created with its text is often not read).
    """
    result = page.evaluate(_ERRORS)
    found = [
        Finding(
            "11.10",
            item["field"],
            item["selector"],
            f"le message d'erreur « {item['message']} » n'est pas relié au champ (ni aria-describedby, ni aria-errormessage, ni étiquette)"
            if item["message"] is not None
            else "le champ est marqué invalide (aria-invalid) mais aucun message d'erreur ne lui est relié",
        )
        for item in result["found"]
    ]
    if result["anyError"] and not result["announced"]:
        found.append(
            Finding(
                "7.5",
                "",
                "",
                "le refus du formulaire n'est pas annoncé : aucune zone role=alert, role=status ou aria-live ne contient"
                " l'erreur, et le focus n'est pas porté sur un récapitulatif des erreurs",
            )
        )
    if not result["anyError"] and expect_errors:
        found.append(
            Finding(
                "11.10",
                "",
                "",
                "aucune erreur n'est affichée ni aucun champ marqué invalide après le refus du formulaire",
            )
        )
    return found


# ── 4. keyboard ───────────────────────────────────────────────────────────
_WALK_START = _script("""
const active = deepActive();
if (active && active.blur) active.blur();
// move the sequential focus starting point to the top of the page: focus a first element, remove it
const start = document.createElement('span');
start.tabIndex = -1;
(modal() || document.body).prepend(start);  // outside an open modal dialog, all is inert
start.focus({preventScroll: true});
start.remove();
window.scrollTo(0, 0);
window.__rgaaWalk = {ids: new Map(), els: [], prev: null};
""")

# the style of an element, its ::before and ::after, and its parent (:focus-within) as a focus indicator sees it
_STYLE = r"""
const PROPS = ['outline-style', 'outline-width', 'outline-color', 'outline-offset', 'box-shadow',
  'border-top-color', 'border-right-color', 'border-bottom-color', 'border-left-color',
  'border-top-width', 'border-right-width', 'border-bottom-width', 'border-left-width',
  'border-top-style', 'border-right-style', 'border-bottom-style', 'border-left-style',
  'background-color', 'background-image', 'color', 'text-decoration-line', 'text-decoration-color',
  'text-decoration-thickness', 'opacity', 'transform', 'filter'];
const transparent = c => c === 'transparent' || /^rgba\(.*,\s*0\)$/.test(c);
const snap = style => {
  const values = {};
  for (const p of PROPS) values[p] = style.getPropertyValue(p);
  if (values['outline-style'] === 'none' || parseFloat(values['outline-width']) === 0 || transparent(values['outline-color'])) {
    for (const p of ['outline-style', 'outline-width', 'outline-color', 'outline-offset']) values[p] = 'none';
  }
  return values;
};
const finishTransitions = el => {
  for (const n of [el, el.parentElement].filter(Boolean)) {
    for (const a of n.getAnimations({subtree: n === el})) if (a instanceof CSSTransition) try { a.finish(); } catch (e) {}
  }
};
const styleOf = el => {
  finishTransitions(el);
  const parts = {'': snap(getComputedStyle(el)), '::before:': snap(getComputedStyle(el, '::before')), '::after:': snap(getComputedStyle(el, '::after'))};
  if (el.parentElement) parts['parent:'] = snap(getComputedStyle(el.parentElement));
  return parts;
};
"""

_WALK_STEP = _script(
    _STYLE
    + """
await settle();  // a page that moves the focus back (blur handler, setTimeout 0) has done so
const walk = window.__rgaaWalk;
const el = deepActive();
const previousBlurred = walk.prev && walk.prev !== el && walk.prev.isConnected ? styleOf(walk.prev) : null;
if (!el || el === document.body || el === document.documentElement) {
  walk.prev = null;
  return {index: null, previousBlurred};
}
let index = walk.ids.get(el);
if (index === undefined) {
  index = walk.els.length;
  walk.els.push(el);
  walk.ids.set(el, index);
}
walk.prev = el;
const frame = ['IFRAME', 'FRAME', 'OBJECT', 'EMBED'].includes(el.tagName);  // Tab moves inside it
return {index, frame, selector: cssPath(el), description: describe(el), style: styleOf(el), previousBlurred};
""",
    is_async=True,
)

# an element counts as reached when it, an element inside it or around it, a radio button of its group,
# or an element of its composite widget (roving tabindex) was reached
_REACHED = """
const COMPOSITE = '[role=radiogroup], [role=tablist], [role=menu], [role=menubar], [role=listbox], [role=grid], [role=tree], [role=treegrid], [role=toolbar]';
const reached = window.__rgaaWalk.els;
const reachedLike = el => {
  if (reached.some(r => r === el || r.contains(el) || el.contains(r))) return true;
  if (el.type === 'radio' && el.name) return reached.some(r => r.type === 'radio' && r.name === el.name && r.form === el.form);
  const group = el.closest(COMPOSITE);
  return !!group && reached.some(r => group.contains(r));
};
const usable = el => !el.disabled && el.getAttribute('aria-disabled') !== 'true' && !el.closest('[inert]') && isVisible(el);
"""

# whether some element Tab could reach (in the open modal dialog, if any) has not been reached
_TABBABLE_LEFT = _script(
    _REACHED
    + "return deepAll('*', modal() || document).some(el => el.tabIndex >= 0 && usable(el) && !reachedLike(el));"
)

# the controls of the main form(s) (or of the open modal dialog) never reached; arg: the walk ended.
# A walk cut short only counts the controls before the last element reached.
_UNREACHED = _script(
    _REACHED
    + """
const CONTROL = 'input, select, textarea, button, a[href], [role=button], [role=link], [role=checkbox], [role=radio], [role=switch], [role=combobox], [role=textbox], [role=searchbox], [role=slider], [role=spinbutton], [role=tab], [role=menuitem], [onclick]';
const forms = deepAll('form, [role=form], [role=search]').filter(isVisible);
const open = modal();
const scopes = open ? [open] : forms.length ? forms : [document.querySelector('main, [role=main]') || document.body];
// a clickable element by its pointer cursor (a div with a click listener), outermost, not a label or a wrapper
const pointer = el => getComputedStyle(el).cursor === 'pointer';
const clickable = el => pointer(el) && !(el.parentElement && pointer(el.parentElement)) && !el.closest('label')
  && !(el.parentElement && el.parentElement.closest(CONTROL)) && !el.querySelector(CONTROL + ', [tabindex]');
const candidates = new Set();
for (const scope of scopes) {
  for (const el of deepAll(CONTROL, scope)) candidates.add(el);
  for (const el of deepAll('*', scope)) if (!candidates.has(el) && clickable(el)) candidates.add(el);
}
const last = reached[reached.length - 1];
const before = el => !!last && !!(el.compareDocumentPosition(last) & Node.DOCUMENT_POSITION_FOLLOWING);
return [...candidates]
  .filter(el => !(el.tagName === 'INPUT' && el.type === 'hidden') && usable(el) && !reachedLike(el) && (arg || before(el)))
  .map(el => ({selector: cssPath(el), description: describe(el)}));
"""
)

_FOCUS_STOP = _script("window.__rgaaWalk.els[arg].focus();")
_WALK_END = _script("delete window.__rgaaWalk;")


def keyboard_walk(page: Page, max_presses: int = 80) -> KeyboardReport:
    """Press Tab from the top of the page (focus on the body) until the focus leaves the page, comes back
    to an element already reached, is trapped, or ``max_presses`` is reached; report the stops in order,
    whether each shows its focus (RGAA 10.7), the controls of the main form(s) never reached (RGAA 12.8),
    a trap (RGAA 12.9), and whether Shift+Tab from the last stop goes back to the one before.

    The main forms are the visible ``form``/``role=form|search`` elements, else ``main``, else the body;
    with a modal dialog open, the dialog. Their controls are the native ones, ARIA widgets, elements with
    an ``onclick`` attribute and the outermost elements with a pointer cursor (a ``div`` with a click
    listener). Only one radio button of a group, and one element of a composite widget (roving
    tabindex), need to be reached.

    Focus is visible when the computed style of the element, its ``::before``/``::after`` or its parent
    differs once it has lost the focus (outline, box-shadow, border, background, colour, text decoration,
    opacity, transform, filter; an outline of zero width or transparent counts as none). A trap: the
    focus stays on one element for ``STUCK_PRESSES`` presses, or cycles among elements while others
    remain reachable; the focus leaving for the browser after the last element is the normal end, and a
    modal dialog keeping the focus inside it is not a trap.

    Cannot see: a focus indicator drawn by another element (a sibling, a wrapper other than the parent)
    or by a change that also happens on blur (a validation border); a focus moved back later than one
    frame; the inside of iframes (the iframe is one stop); whether the order is logical, only whether
    controls are reached. ``max_presses`` bounds the walk: on a longer page ``complete`` is False and only
    the controls before the last stop are reported unreached.
    """
    page.evaluate(_WALK_START)
    order: list[int] = []
    steps: dict[int, dict[str, Any]] = {}
    blurred: dict[int, dict[str, Any]] = {}
    trap: list[int] = []
    complete = False
    stuck = 0
    presses = 0
    for presses in range(1, max_presses + 1):
        page.keyboard.press("Tab")
        step = page.evaluate(_WALK_STEP)
        if order and step["previousBlurred"] is not None:
            blurred.setdefault(order[-1], step["previousBlurred"])
        index = step["index"]
        if index is None:  # the focus left the page: the walk is over
            complete = True
            break
        if order and index == order[-1]:
            if step["frame"]:  # the focus moves inside the frame, out of this page's sight
                continue
            stuck += 1
            if stuck >= STUCK_PRESSES:
                trap, complete = [index], True
                break
            continue
        stuck = 0
        if index in steps:  # back to an element already reached without leaving the page
            if page.evaluate(_TABBABLE_LEFT):
                trap = order[order.index(index) :]
            complete = True
            break
        steps[index] = step
        order.append(index)
    stops = {
        i: FocusStop(steps[i]["selector"], steps[i]["description"], _focus_change(steps[i], blurred.get(i)))
        for i in order
    }
    unreached = tuple(Target(u["selector"], u["description"]) for u in page.evaluate(_UNREACHED, complete))
    shift_tab = None if trap or len(order) < 2 else _shift_tab_returns(page, order[-1], order[-2])
    page.evaluate(_WALK_END)
    return KeyboardReport(
        stops=tuple(stops[i] for i in order),
        unreached=unreached,
        trap=tuple(stops[i] for i in trap),
        complete=complete,
        shift_tab_returns=shift_tab,
        presses=presses,
    )


def _focus_change(step: dict[str, Any], blurred: dict[str, Any] | None) -> tuple[str, ...] | None:
    if blurred is None:
        return None
    focused = step["style"]
    return tuple(
        f"{part}{prop}"
        for part, values in focused.items()
        for prop, value in values.items()
        if blurred.get(part, {}).get(prop) != value
    )


def _shift_tab_returns(page: Page, last: int, previous: int) -> bool:
    page.evaluate(_FOCUS_STOP, last)
    page.keyboard.press("Shift+Tab")
    return page.evaluate(_WALK_STEP)["index"] == previous


# ── 5. reflow ─────────────────────────────────────────────────────────────
_OVERFLOW = _script(
    """
await settle();  // layout and resize listeners after the new viewport
const root = document.documentElement;
const body = document.body;
const clipped = body && getComputedStyle(body).overflowX !== 'visible' && body.scrollWidth > body.clientWidth + 1;
const scrollWidth = Math.max(root.scrollWidth, clipped ? body.scrollWidth : 0);
if (scrollWidth <= root.clientWidth + 1) return null;
const limit = root.clientWidth + 1;
const found = [];
// the outermost elements passing the right edge; a clipping container hides what passes inside it
const walk = el => {
  for (const child of el.children) {
    const style = getComputedStyle(child);
    if (style.display === 'none' || style.position === 'fixed') continue;
    const box = child.getBoundingClientRect();
    if (box.width > 0 && box.right + window.scrollX > limit && isVisible(child)) { found.push(child); continue; }
    if (style.overflowX === 'visible' || child === document.body) walk(child);
  }
};
walk(root);
return {
  scrollWidth, clientWidth: root.clientWidth,
  elements: found.slice(0, arg).map(el => {
    const box = el.getBoundingClientRect();
    return {selector: cssPath(el), description: describe(el), width: Math.round(box.width), right: Math.round(box.right + window.scrollX)};
  }),
};
""",
    is_async=True,
)


def horizontal_overflow(page: Page, width: int = 360, height: int = 740) -> OverflowFinding | None:
    """Whether the page, laid out in a ``width`` × ``height`` viewport, overflows horizontally: its content
    is wider than the visible width (``scrollWidth > clientWidth + 1`` of the document, or of a body that
    clips its content). Lists up to ``OVERFLOW_LISTED`` of the outermost visible elements passing the right
    edge. The previous viewport size is restored. RGAA 10.11.

    320 CSS px is WCAG 1.4.10's width; 360 × 740 is a common phone. A 200 % zoom of a 1280 px wide window
    lays the page out in 640 CSS px: ``horizontal_overflow(page, ZOOM_200_WIDTH, …)`` emulates it.

    Cannot see: content cut off inside a container other than the body (``overflow: hidden``), text
    overlapping or truncated, data tables and maps that may legitimately scroll (RGAA exceptions):
    callers judge the elements listed.
    """
    previous = page.viewport_size or page.evaluate("() => ({width: innerWidth, height: innerHeight})")
    page.set_viewport_size({"width": width, "height": height})
    try:
        measured = page.evaluate(_OVERFLOW, OVERFLOW_LISTED)
    finally:
        page.set_viewport_size(previous)
    if measured is None:
        return None
    return OverflowFinding(
        width=width,
        height=height,
        scroll_width=measured["scrollWidth"],
        client_width=measured["clientWidth"],
        elements=tuple(OverflowingElement(**e) for e in measured["elements"]),
    )


# ── 6. screenshot ─────────────────────────────────────────────────────────
_OUTLINE = _script("""
const marked = [];
for (const selector of arg) {
  let found = [];
  try { found = deepAll(selector); } catch (e) { continue; }  // not a CSS selector: nothing to outline
  for (const el of found) {
    if (!el.style || marked.some(m => m.el === el)) continue;
    const saved = ['outline', 'outline-offset'].map(p => [p, el.style.getPropertyValue(p), el.style.getPropertyPriority(p)]);
    marked.push({el, saved});
    el.style.setProperty('outline', '4px solid #e00', 'important');
    el.style.setProperty('outline-offset', '2px', 'important');
  }
}
window.__rgaaOutlined = marked;
return marked.length;
""")
_UNOUTLINE = """() => {
  for (const {el, saved} of window.__rgaaOutlined || []) for (const [p, value, priority] of saved) {
    if (value) el.style.setProperty(p, value, priority); else el.style.removeProperty(p);
  }
  delete window.__rgaaOutlined;
}"""


def outline(page: Page, selectors: Iterable[str]) -> int:
    """Outline the elements matching ``selectors`` in thick red and leave them so (the screenshot taken
    when a scenario fails then shows them); how many were outlined."""
    return page.evaluate(_OUTLINE, list(selectors))


def outline_screenshot(page: Page, selectors: Iterable[str], path: str | PathLike[str]) -> int:
    """A full-page PNG screenshot at ``path`` with the elements matching ``selectors`` outlined in thick red
    (inline styles, which a Content-Security-Policy does not block), put back as they were afterwards.
    Returns how many elements were outlined; selectors that match nothing or are not CSS are skipped.
    """
    count = outline(page, selectors)
    try:
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.evaluate(_UNOUTLINE)
    return count
