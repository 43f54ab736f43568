"""HTML pages read and filled without a browser (no JavaScript, no style sheet).

The ``http`` driver browses a site's own pages over HTTP, and the ``api`` driver the FranceConnect
provider's: both find the elements of a page with the browser driver's ``LocatorSpec``
(``steps.locators``, a profile's overrides included), resolved here as Playwright resolves them:

- ``role``: the element's ARIA role (its ``role`` attribute, else the implicit role of its tag) and
  accessible name (``aria-labelledby``, ``aria-label``, ``<label>``, ``<legend>``, ``alt``, ``value``,
  its content for buttons, links, headings…), hidden elements left out;
- ``label``: a field by the text of its ``<label>`` (``for`` or wrapping), ``aria-labelledby`` or
  ``aria-label``; ``text``: the deepest element whose text matches; ``testid``; ``css`` (soupsieve);
- ``field``, ``action``, ``submit``: the combinations ``steps.locators`` makes of those.

Fields are set in the document itself (``value``, ``checked``, ``selected``), whatever their kind
(the kinds of ``steps.drivers.fields``: text, date, list, radio group, checkbox, three date fields,
autocomplete, button to choose), and a form is sent as a browser builds its request: its fields in
order, hidden ones included (a CSRF token), the pressed button's own name and value, ``GET`` or ``POST``.

What decides visibility without CSS: the ``hidden`` attribute, an inline ``style`` with ``display: none``
or ``visibility: hidden``, ``aria-hidden``, ``<noscript>`` (scripts are on in a browser), a closed
``<details>``, and an element with neither text nor any replaced content (no box in a browser).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urldefrag, urlencode, urljoin

import soupsieve
from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from moncompte.steps.drivers.base import NotApplicable
from moncompte.steps.drivers.fields import (
    TRUE_WORDS,
    CannotSet,
    Kind,
    iso_date,
    part_order,
    plain,
    same_number,
    split_date,
)
from moncompte.steps.locators import (
    ELEMENTS,
    NOT_SUBMIT,
    SUBMIT_BUTTONS,
    LocatorError,
    LocatorSpec,
    names_pattern,
    text_or_pattern,
)

# ── what the tags are ─────────────────────────────────────────────────────
_NOT_RENDERED = frozenset({"head", "script", "style", "noscript", "template", "title", "meta", "link", "base"})
_SKIP_FOR_TEXT = frozenset({"script", "style", "noscript", "template", "head"})  # Playwright's text matching
_REPLACED = frozenset(  # elements that have a box of their own, whatever their content
    "img input select textarea button svg iframe video audio canvas hr object embed meter progress".split()
)
_BLOCK = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure footer"
    " form h1 h2 h3 h4 h5 h6 header hr legend li main nav ol p pre section summary table tbody tfoot thead tr ul"
    " option".split()
)
_CELLS = frozenset({"td", "th"})  # a tab between them (``innerText``), a space around them (names)
_LABELABLE = frozenset({"button", "meter", "output", "progress", "select", "textarea", "input"})
_CONTROLS = "input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select"
_HIDING_STYLE = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*hidden)\b", re.IGNORECASE)
_SCRIPT_TYPES = frozenset({"", "text/javascript", "application/javascript", "module", "text/ecmascript"})

# Roles whose accessible name comes from their content (Playwright's ``allowsNameFromContent``).
_NAME_FROM_CONTENT = frozenset(
    "button cell checkbox columnheader gridcell heading link menuitem menuitemcheckbox menuitemradio option"
    " radio row rowheader switch tab tooltip treeitem".split()
)
_NAME_FROM_CONTENT_INSIDE = frozenset(
    "caption code contentinfo definition deletion emphasis generic insertion list listitem mark none paragraph"
    " presentation region row rowgroup section strong subscript superscript table term time".split()
) | {""}
_ROLES = frozenset(
    "alert alertdialog application article banner blockquote button caption cell checkbox code columnheader"
    " combobox complementary contentinfo definition deletion dialog directory document emphasis feed figure form"
    " generic grid gridcell group heading img insertion link list listbox listitem log main mark marquee math"
    " menu menubar menuitem menuitemcheckbox menuitemradio meter navigation none note option paragraph"
    " presentation progressbar radio radiogroup region row rowgroup rowheader scrollbar search searchbox"
    " separator slider spinbutton status strong subscript superscript switch tab table tablist tabpanel term"
    " textbox time timer toolbar tooltip tree treegrid treeitem".split()
)
_LANDMARK_PARENTS = ("article", "aside", "main", "nav", "section")
_TEXT_INPUTS = frozenset({"", "text", "email", "tel", "url", "search", "password", "number"})
_INPUT_ROLES = {
    "checkbox": "checkbox",
    "radio": "radio",
    "button": "button",
    "submit": "button",
    "reset": "button",
    "image": "button",
    "range": "slider",
    "number": "spinbutton",
    "search": "searchbox",
    "hidden": "",
    "file": "button",
}
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
# The HTML specification's valid e-mail address (constraint validation of ``type=email``).
_EMAIL = re.compile(
    r"[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*"
)


def normalize(text: str) -> str:
    """Runs of white space as one space, trimmed (how Playwright compares names and texts)."""
    return " ".join(text.split())


def text_matcher(value: str | re.Pattern[str], exact: bool | None) -> Callable[[str, str], bool]:
    """Playwright's text matching: a regular expression searched in the raw text; a text equal to the
    normalized text (``exact``), else contained in it, case aside. Called with (raw, normalized)."""
    if isinstance(value, re.Pattern):
        return lambda raw, _normalized: value.search(raw) is not None
    wanted = normalize(value)
    if exact:
        return lambda _raw, normalized: normalized == wanted
    lowered = wanted.lower()
    return lambda _raw, normalized: lowered in normalized.lower()


class FieldError(Exception):
    """The page does not let the field be set (disabled, read-only, a radio button to untick…); ``reason``
    in French."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


# ══ the document ═══════════════════════════════════════════════════════════
class HtmlDocument:
    """One page: its tree (``lxml`` parser, tables given their ``<tbody>`` as a browser does) and what is
    computed of its elements (roles, names, texts, visibility), once each."""

    def __init__(self, html: str, url: str = ""):
        self.soup = BeautifulSoup(html, "lxml")
        self.url = url
        base = self.soup.find("base", href=True)
        self.base_url = urljoin(url, str(base["href"])) if isinstance(base, Tag) else url
        for table in self.soup.find_all("table"):  # a browser's parser puts loose rows in a <tbody>
            rows = list(table.find_all("tr", recursive=False))
            if rows:
                body = self.soup.new_tag("tbody")
                rows[0].insert_before(body)
                for row in rows:
                    body.append(row.extract())
        self.elements: list[Tag] = list(self.soup.find_all(True))
        self._order = {id(tag): index for index, tag in enumerate(self.elements)}
        self._ids: dict[str, Tag] = {}
        for tag in self.elements:
            if tag.get("id"):
                self._ids.setdefault(str(tag["id"]), tag)
        self._labels: dict[int, list[Tag]] = {}
        for label in self.soup.find_all("label"):
            control = self._labelled(label)
            if control is not None:
                self._labels.setdefault(id(control), []).append(label)
        self._cache: dict[tuple[str, int], Any] = {}

    def _memo(self, what: str, tag: Tag, compute: Callable[[], Any]) -> Any:
        key = (what, id(tag))
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def position(self, tag: Tag) -> int:
        return self._order.get(id(tag), -1)

    def by_id(self, ident: str) -> Tag | None:
        return self._ids.get(ident)

    def _labelled(self, label: Tag) -> Tag | None:
        """The control a ``<label>`` labels: its ``for``, else its first labelable descendant."""
        if label.get("for") is not None:
            target = self.by_id(str(label["for"]))
            return target if target is not None and _labelable(target) else None
        return next((t for t in label.find_all(True) if _labelable(t)), None)

    def labels(self, tag: Tag) -> list[Tag]:
        return self._labels.get(id(tag), [])

    # ── visibility ────────────────────────────────────────────────────────
    def hidden(self, tag: Tag) -> bool:
        """Not rendered: hidden itself or within a hidden ancestor."""

        def compute() -> bool:
            if _self_hidden(tag):
                return True
            parent = tag.parent
            if isinstance(parent, Tag) and parent.name == "details" and tag.name != "summary":
                if parent.get("open") is None:
                    return True
            return isinstance(parent, Tag) and parent is not self.soup and self.hidden(parent)

        return self._memo("hidden", tag, compute)

    def hidden_for_aria(self, tag: Tag) -> bool:
        """Left out of the accessibility tree: not rendered, or ``aria-hidden="true"`` on it or an ancestor."""

        def compute() -> bool:
            if self.hidden(tag) or tag.get("aria-hidden") == "true":
                return True
            parent = tag.parent
            return isinstance(parent, Tag) and parent is not self.soup and self.hidden_for_aria(parent)

        return self._memo("aria-hidden", tag, compute)

    def visible(self, tag: Tag) -> bool:
        """What Playwright's ``is_visible`` says: rendered, with a box (text, or replaced content)."""
        if self.hidden(tag):
            return False
        if tag.name in _REPLACED:
            return True
        if tag.name == "option":
            select = tag.find_parent("select")
            return select is not None and self.visible(select)
        return self._memo("box", tag, lambda: self._has_box(tag))

    def _has_box(self, tag: Tag) -> bool:
        if self.inner_text(tag).strip():
            return True
        return any(t.name in _REPLACED and not self.hidden(t) for t in tag.find_all(True))

    # ── texts ─────────────────────────────────────────────────────────────
    def text(self, tag: Tag) -> str:
        """The element's raw text (Playwright's ``elementText``: its text nodes, scripts and styles aside;
        a submit or button ``<input>``: its value)."""

        def compute() -> str:
            if tag.name in _SKIP_FOR_TEXT:
                return ""
            if tag.name == "input" and _type(tag) in ("submit", "button"):
                return str(tag.get("value", ""))
            return "".join(c if isinstance(c, str) else self.text(c) for c in _children(tag))

        return self._memo("text", tag, compute)

    def inner_text(self, tag: Tag) -> str:
        """The element's text as shown (``innerText``): a line per block, a tab between cells, hidden
        parts left out."""

        def compute() -> str:
            tokens: list[str | int] = []
            self._inner(tag, tokens, top=True)
            out: list[str] = []
            pending = 0
            for token in tokens:
                if isinstance(token, int):
                    pending = max(pending, token) if out else 0
                    continue
                if pending:
                    out.append("\n" * pending)
                    pending = 0
                out.append(token)
            lines = "".join(out).split("\n")
            return "\n".join(re.sub(r" *\t *", "\t", re.sub(r" {2,}", " ", line)).strip(" ") for line in lines)

        return self._memo("inner", tag, compute)

    def _inner(self, tag: Tag, tokens: list[str | int], *, top: bool = False) -> None:
        if self.hidden(tag) or tag.name in ("input", "select", "textarea", "svg"):
            return
        if tag.name == "br":
            tokens.append("\n")
            return
        breaks = 2 if tag.name == "p" else 1 if tag.name in _BLOCK else 0
        if breaks and not top:
            tokens.append(breaks)
        preformatted = tag.name in ("pre", "textarea")
        for child in _children(tag):
            if isinstance(child, str):
                tokens.append(child if preformatted else re.sub(r"[ \t\r\n\f]+", " ", child))
            else:
                self._inner(child, tokens)
                if child.name in _CELLS and child.find_next_sibling(list(_CELLS)) is not None:
                    tokens.append("\t")
        if breaks and not top:
            tokens.append(breaks)

    # ── roles and names ───────────────────────────────────────────────────
    def role(self, tag: Tag) -> str:
        """The element's ARIA role: the first known token of its ``role``, else its tag's implicit role."""

        def compute() -> str:
            for token in str(tag.get("role") or "").split():
                if token in _ROLES:
                    return "" if token in ("none", "presentation") else token
            return self._implicit_role(tag)

        return self._memo("role", tag, compute)

    def _implicit_role(self, tag: Tag) -> str:
        name = tag.name
        if name in ("a", "area"):
            return "link" if tag.get("href") is not None else ""
        if name in _HEADINGS:
            return "heading"
        if name == "input":
            kind = _type(tag)
            if kind in _INPUT_ROLES:
                return _INPUT_ROLES[kind]
            return "combobox" if tag.get("list") is not None else "textbox"
        if name == "select":
            return "listbox" if tag.get("multiple") is not None or int(_number(tag.get("size"), 0)) > 1 else "combobox"
        if name in ("header", "footer"):
            inside = tag.find_parent(_LANDMARK_PARENTS) is not None
            return "" if inside else ("banner" if name == "header" else "contentinfo")
        if name in ("form", "section"):
            named = tag.get("aria-label") or tag.get("aria-labelledby") or tag.get("title")
            return ("form" if name == "form" else "region") if named else ""
        if name == "img":
            return "presentation" if tag.get("alt") == "" and not tag.get("title") else "img"
        if name == "th":
            return "rowheader" if tag.get("scope") == "row" else "columnheader"
        if name == "td":
            return "cell" if tag.find_parent("table") is not None else ""
        return _TAG_ROLES.get(name, "")

    def name(self, tag: Tag) -> str:
        """The element's accessible name (accname, as Playwright computes it, without CSS)."""
        return self._memo("name", tag, lambda: normalize(self._alternative(tag, set())))

    def _alternative(self, tag: Tag, visited: set[int], *, referenced: bool = False, inside: bool = False) -> str:
        if id(tag) in visited:
            return ""
        visited.add(id(tag))
        if not referenced and inside and self.hidden_for_aria(tag):
            return ""
        if not referenced:
            refs = [r for i in str(tag.get("aria-labelledby") or "").split() if (r := self.by_id(i)) is not None]
            if refs:
                return " ".join(self._alternative(r, visited, referenced=True) for r in refs)
        if inside and tag.name in ("input", "select", "textarea") and _type(tag) not in ("submit", "button", "reset"):
            return current_value(tag)  # a control within a label or a button: its value
        label = str(tag.get("aria-label") or "").strip()
        if label:
            return label
        native = self._native_name(tag, visited)
        if native.strip():
            return native
        role = self.role(tag)
        if referenced or role in _NAME_FROM_CONTENT or (inside and role in _NAME_FROM_CONTENT_INSIDE):
            content = self._content(tag, visited)
            if content.strip():
                return content
        return str(tag.get("title") or "")

    def _native_name(self, tag: Tag, visited: set[int]) -> str:
        name = tag.name
        if name == "input" and _type(tag) in ("submit", "reset", "button"):
            value = str(tag.get("value") or "")
            return value if value.strip() else {"submit": "Submit", "reset": "Reset"}.get(_type(tag), "")
        if name == "input" and _type(tag) == "image":
            return str(tag.get("alt") or tag.get("value") or "")
        if name in _LABELABLE:
            labels = self.labels(tag)
            if labels:
                return " ".join(self._content(label, visited | {id(tag)}) for label in labels)
            if name in ("input", "textarea") and _type(tag) != "hidden":
                return str(tag.get("placeholder") or "")
            return ""
        if name == "fieldset":
            legend = tag.find("legend", recursive=False)
            return self._content(legend, visited) if legend else ""
        if name in ("img", "area"):
            return str(tag.get("alt") or "")
        if name == "svg":
            title = tag.find("title", recursive=False)
            return title.get_text() if title else ""
        if name == "table":
            caption = tag.find("caption", recursive=False)
            return self._content(caption, visited) if caption else ""
        if name == "figure":
            caption = tag.find("figcaption", recursive=False)
            return self._content(caption, visited) if caption else ""
        return ""

    def _content(self, tag: Tag, visited: set[int]) -> str:
        parts = []
        for child in _children(tag):
            if isinstance(child, str):
                parts.append(child)
            elif child.name not in _SKIP_FOR_TEXT:
                said = self._alternative(child, visited, inside=True)
                block = child.name in _BLOCK or child.name in _CELLS or child.name == "br"
                parts.append(f" {said} " if block else said)
        return "".join(parts)

    # ── finding elements ──────────────────────────────────────────────────
    def within(self, scope: Tag | None) -> list[Tag]:
        """The elements inside ``scope`` (the whole document when None), in document order."""
        if scope is None or scope is self.soup:
            return self.elements
        return list(scope.find_all(True))

    def by_role(
        self, role: str, name: str | re.Pattern[str] | None = None, exact: bool | None = False, scope: Tag | None = None
    ) -> list[Tag]:
        """``get_by_role``: the elements of that role (hidden ones left out) whose name matches."""
        match = None if name is None else text_matcher(name, exact)
        found = []
        for tag in self.within(scope):
            if self.role(tag) != role or self.hidden_for_aria(tag):
                continue
            accessible = self.name(tag) if match is not None else ""
            if match is None or match(accessible, accessible):
                found.append(tag)
        return found

    def label_texts(self, tag: Tag) -> list[str]:
        """What ``get_by_label`` compares: the texts of the elements ``aria-labelledby`` names, else
        ``aria-label``, else the texts of the field's ``<label>`` elements."""
        refs = [r for i in str(tag.get("aria-labelledby") or "").split() if (r := self.by_id(i)) is not None]
        if refs:
            return [self.text(r) for r in refs]
        label = str(tag.get("aria-label") or "")
        if label.strip():
            return [label]
        if tag.name in _LABELABLE and not (tag.name == "input" and _type(tag) == "hidden"):
            return [self.text(label) for label in self.labels(tag)]
        return []

    def by_label(self, value: str | re.Pattern[str], exact: bool | None, scope: Tag | None = None) -> list[Tag]:
        match = text_matcher(value, exact)
        return [
            tag for tag in self.within(scope) if any(match(text, normalize(text)) for text in self.label_texts(tag))
        ]

    def by_text(self, value: str | re.Pattern[str], exact: bool | None, scope: Tag | None = None) -> list[Tag]:
        """``get_by_text``: the deepest elements whose text matches (no child element matches alone)."""
        match = text_matcher(value, exact)

        def matches(tag: Tag) -> bool:
            if tag.name in _SKIP_FOR_TEXT or any(p.name == "head" for p in tag.parents):
                return False
            text = self.text(tag)
            return match(text, normalize(text))

        return [
            tag
            for tag in self.within(scope)
            if matches(tag) and not any(matches(child) for child in tag.find_all(True, recursive=False))
        ]

    def css(self, selector: str, scope: Tag | None = None) -> list[Tag]:
        try:
            return list(soupsieve.select(selector, scope if scope is not None else self.soup))
        except soupsieve.SelectorSyntaxError as exc:
            raise LocatorError(f"sélecteur CSS invalide : « {selector} » ({str(exc).splitlines()[0]})") from None

    def _union(self, *found: Iterable[Tag]) -> list[Tag]:
        seen: dict[int, Tag] = {}
        for tags in found:
            for tag in tags:
                seen.setdefault(id(tag), tag)
        return sorted(seen.values(), key=self.position)

    def resolve(
        self, spec: LocatorSpec, scope: Tag | None = None, elements: dict[str, LocatorSpec] | None = None
    ) -> list[Tag]:
        """The elements ``spec`` finds (within ``scope``), in document order, as ``LocatorSpec.resolve``
        finds them in a browser."""
        value = text_or_pattern(spec.value)
        exact = spec.exact if isinstance(value, str) else None
        if spec.kind == "role":
            if spec.name is None:
                return self.by_role(spec.value, scope=scope)
            name = text_or_pattern(spec.name)
            return self.by_role(spec.value, name, spec.exact if isinstance(name, str) else None, scope)
        if spec.kind == "label":
            return self.by_label(value, exact, scope)
        if spec.kind == "text":
            return self.by_text(value, exact, scope)
        if spec.kind == "testid":
            return [tag for tag in self.within(scope) if tag.get("data-testid") == spec.value]
        if spec.kind == "field":
            names = value if isinstance(value, re.Pattern) else names_pattern(spec.value, whole=False)
            return self._union(
                self.by_label(names, None, scope),
                self.by_role("radiogroup", names, None, scope),
                self.by_role("group", names, None, scope),
            )
        if spec.kind == "action":
            names = value if isinstance(value, re.Pattern) else names_pattern(spec.value, whole=spec.exact)
            return self._union(self.by_role("button", names, None, scope), self.by_role("link", names, None, scope))
        if spec.kind == "submit":
            holders = self.resolve((elements or ELEMENTS)[spec.value], scope, elements)
            form = (
                holders[0]
                if holders and holders[0].name == "form"
                else holders[0].find_parent("form")
                if holders
                else None
            )
            if form is None:
                return []
            buttons = self.css(SUBMIT_BUTTONS, form)
            return [b for b in buttons if not NOT_SUBMIT.search(self.text(b))]
        return self.css(spec.value, scope)

    # ── scripts ───────────────────────────────────────────────────────────
    def needs_javascript(self) -> bool:
        """Whether the page shows its content with scripts: it has some, and either says so to those
        without (a ``<noscript>`` with words, not a tracking pixel) or has no form field nor button at all."""
        if not self._scripts():
            return False
        if any(n.get_text(strip=True) for n in self.soup.find_all("noscript")):
            return True
        return self.soup.find(["input", "select", "textarea", "button", "form"]) is None

    def has_scripts(self) -> bool:
        """Whether scripts may act on the page: a script, or an ``on…`` handler on an element."""
        return bool(self._scripts()) or any(a.startswith("on") for tag in self.elements for a in tag.attrs)

    def _scripts(self) -> list[Tag]:
        return [s for s in self.soup.find_all("script") if str(s.get("type") or "").strip().lower() in _SCRIPT_TYPES]


_TAG_ROLES = {
    "article": "article",
    "aside": "complementary",
    "blockquote": "blockquote",
    "button": "button",
    "caption": "caption",
    "code": "code",
    "datalist": "listbox",
    "dd": "definition",
    "del": "deletion",
    "details": "group",
    "dialog": "dialog",
    "dt": "term",
    "em": "emphasis",
    "fieldset": "group",
    "figure": "figure",
    "hr": "separator",
    "ins": "insertion",
    "li": "listitem",
    "main": "main",
    "mark": "mark",
    "math": "math",
    "menu": "list",
    "meter": "meter",
    "nav": "navigation",
    "ol": "list",
    "optgroup": "group",
    "option": "option",
    "output": "status",
    "p": "paragraph",
    "progress": "progressbar",
    "search": "search",
    "strong": "strong",
    "sub": "subscript",
    "sup": "superscript",
    "svg": "img",
    "table": "table",
    "tbody": "rowgroup",
    "textarea": "textbox",
    "tfoot": "rowgroup",
    "thead": "rowgroup",
    "time": "time",
    "tr": "row",
    "ul": "list",
}


def _children(tag: Tag) -> Iterator[str | Tag]:
    """The element's children: its texts (comments aside) and its elements."""
    for child in tag.children:
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            yield str(child)
        elif isinstance(child, Tag):
            yield child


def _type(tag: Tag) -> str:
    return str(tag.get("type") or "").strip().lower() if tag.name == "input" else ""


def _number(value: Any, default: float | None) -> float | None:
    try:
        return float(str(value))
    except (TypeError, ValueError):
        return default


def _labelable(tag: Tag) -> bool:
    return tag.name in _LABELABLE and not (tag.name == "input" and _type(tag) == "hidden")


def _self_hidden(tag: Tag) -> bool:
    if tag.name in _NOT_RENDERED or tag.get("hidden") is not None:
        return True
    if tag.name == "input" and _type(tag) == "hidden":
        return True
    if tag.name == "dialog" and tag.get("open") is None:
        return True
    return bool(_HIDING_STYLE.search(str(tag.get("style") or "")))


def _classes(tag: Tag) -> str:
    value = tag.get("class") or []
    return " ".join(value) if isinstance(value, list) else str(value)


# ══ elements as a Playwright locator shows them ═════════════════════════════
class Node:
    """One element of a page, with the few reading methods of a Playwright locator the browser driver's
    journey uses (``inner_text``, ``is_visible``, ``get_attribute``, ``input_value``, ``get_by_role``)."""

    __slots__ = ("doc", "tag")

    def __init__(self, doc: HtmlDocument, tag: Tag):
        self.doc = doc
        self.tag = tag

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Node) and other.tag is self.tag

    def __hash__(self) -> int:
        return id(self.tag)

    def __repr__(self) -> str:
        return f"<Node {self.tag.name} {dict(list(self.tag.attrs.items())[:3])}>"

    def inner_text(self) -> str:
        return self.doc.inner_text(self.tag)

    def text_content(self) -> str:
        return self.doc.text(self.tag)

    def is_visible(self) -> bool:
        return self.doc.visible(self.tag)

    def get_attribute(self, name: str) -> str | None:
        value = self.tag.get(name)
        return " ".join(value) if isinstance(value, list) else value

    def input_value(self) -> str:
        return current_value(self.tag)

    def get_by_role(self, role: str, name: str | re.Pattern[str] | None = None, exact: bool = False) -> Nodes:
        return Nodes(self.doc, self.doc.by_role(role, name, exact, self.tag))

    def closest(self, selector: str) -> Node | None:
        """The nearest ancestor-or-self matching a CSS selector."""
        found = soupsieve.closest(selector, self.tag)
        return Node(self.doc, found) if found is not None else None


class _Absent(Node):
    """``.first`` of nothing: not visible (what else is asked of it fails: ``doc`` and ``tag`` are unset)."""

    __slots__ = ()

    def __init__(self) -> None:
        pass

    def is_visible(self) -> bool:
        return False

    def __eq__(self, other: object) -> bool:
        return other is self

    def __hash__(self) -> int:
        return 0

    def __repr__(self) -> str:
        return "<aucun élément>"


ABSENT = _Absent()


class Nodes(list):
    """The elements a locator found, in document order, with a Playwright locator's list methods."""

    def __init__(self, doc: HtmlDocument, tags: Iterable[Tag] = ()):
        super().__init__(Node(doc, tag) for tag in tags)
        self.doc = doc

    @property
    def first(self) -> Node:
        return self[0] if self else ABSENT

    def count(self) -> int:  # type: ignore[override]
        return len(self)

    def nth(self, index: int) -> Node:
        return self[index]

    def all(self) -> list[Node]:
        return list(self)

    def all_inner_texts(self) -> list[str]:
        return [node.inner_text() for node in self]

    def filter(self, *, has_text: str | re.Pattern[str]) -> Nodes:
        match = text_matcher(has_text, False)
        return Nodes(self.doc, [n.tag for n in self if match(n.text_content(), normalize(n.text_content()))])


def find(
    doc: HtmlDocument, spec: LocatorSpec, within: Node | None = None, elements: dict[str, LocatorSpec] | None = None
) -> Nodes:
    return Nodes(doc, doc.resolve(spec, within.tag if within is not None else None, elements))


# ══ fields: their kind, their value, setting them ═══════════════════════════
def current_value(tag: Tag) -> str:
    """What a field holds now (what it would send, for a text field, a list or a date)."""
    if tag.name == "textarea":  # typed: kept in ``value`` (its text stays its default value, as in a browser)
        return str(tag["value"]) if tag.get("value") is not None else tag.get_text().removeprefix("\n")
    if tag.name == "select":
        chosen = selected_options(tag)
        return option_value(chosen[0]) if chosen else ""
    return str(tag.get("value") or "")


def option_value(option: Tag) -> str:
    value = option.get("value")
    return str(value) if value is not None else normalize(option.get_text())


def option_label(option: Tag) -> str:
    return str(option.get("label") or normalize(option.get_text())).strip()


def selected_options(select: Tag) -> list[Tag]:
    """The options a list sends: those selected; a single-choice list without one sends its first."""
    options = select.find_all("option")
    chosen = [o for o in options if o.get("selected") is not None]
    if chosen or select.get("multiple") is not None:
        return chosen if select.get("multiple") is not None else chosen[-1:]
    first = next((o for o in options if o.get("disabled") is None), None)
    return [first] if first is not None else []


def _inner_fields(node: Node) -> list[Tag]:
    return list(soupsieve.select(_CONTROLS, node.tag))


def kind_of(node: Node) -> Kind:
    """What ``node`` is (``fields.KIND_NOUNS``), as ``fields.kind_of`` tells it in a browser."""
    tag = node.tag
    role = str(tag.get("role") or "").lower()
    if tag.name == "select":
        return Kind("select")
    if tag.name in ("button", "a") or role in ("tab", "button", "link", "menuitemradio", "option"):
        return Kind("button")
    if tag.name == "textarea":
        return Kind("text")
    if tag.name == "input":
        kind = _type(tag) or "text"
        if kind == "checkbox":
            return Kind("checkbox")
        if kind == "radio":  # a label that names one radio of a group: that radio
            return Kind("checkbox", "bouton radio")
        if kind == "date":
            return Kind("date")
        if role == "combobox" or str(tag.get("aria-autocomplete") or "").lower() in ("list", "both"):
            return Kind("combobox")
        if kind in ("submit", "button", "image"):
            return Kind("button")
        if kind in ("hidden", "reset", "file"):
            return Kind("unknown", "ni champ de saisie, ni liste, ni groupe de boutons")
        return Kind("text")
    if role == "combobox":
        return Kind("combobox")
    if soupsieve.select_one("input[type=radio], [role=radio]", tag) is not None:
        return Kind("radio")
    parts = _inner_fields(node)
    if len(parts) == 3:
        return Kind("date-parts")
    if len(parts) == 1:
        return kind_of(Node(node.doc, parts[0]))
    detail = f"il contient {len(parts)} champs" if parts else "ni champ de saisie, ni liste, ni groupe de boutons"
    return Kind("unknown", detail)


def set_field(node: Node, value: str, click: Callable[[Node], None]) -> str:
    """Set ``node`` to ``value`` the way its kind requires (``steps.drivers.fields``); ``click`` activates a
    choice that is a link or a button. Raises ``CannotSet`` when the field cannot take the value,
    ``FieldError`` when the page does not let it be set, ``NotApplicable`` when only a script could."""
    kind = kind_of(node)
    if kind.kind == "unknown":
        raise CannotSet(f"l'élément trouvé n'est pas un champ ({kind.detail})")
    if kind.kind not in ("radio", "date-parts") and node.tag.name not in ("input", "select", "textarea", "button", "a"):
        parts = _inner_fields(node)  # a group around one field: that field
        if len(parts) == 1:
            node = Node(node.doc, parts[0])
        elif kind.kind == "combobox":
            raise NotApplicable(
                f"« {node.doc.name(node.tag)} » ({node.doc.url}) ne se remplit qu'avec JavaScript,"
                " que le pilote http n'exécute pas"
            )
    if kind.kind == "button":
        if plain(value) in TRUE_WORDS:
            click(node)
        return kind.kind
    if kind.kind == "radio":
        _radio(node, value)
    elif kind.kind == "date-parts":
        _date_parts(node, value)
    elif kind.kind == "checkbox":
        _check(node, plain(value) in TRUE_WORDS)
    elif kind.kind == "select":
        _select(node.tag, value)
    elif kind.kind == "date":
        if value.strip() and iso_date(value) is None:
            raise CannotSet(f"un champ de date du navigateur ne peut pas recevoir « {value} », qui n'est pas une date")
        _type_text(node.tag, (iso_date(value) or "") if value.strip() else "")
    else:  # text, and an autocomplete: what is typed, or the suggestion of its <datalist> it names
        _type_text(node.tag, _suggested(node, value))
    return kind.kind


def _suggested(node: Node, value: str) -> str:
    """What a field with suggestions (``list`` → ``<datalist>``) holds once ``value`` is typed: the value of
    the suggestion whose text is ``value`` (a person picks it), else what was typed (an ARIA combobox's
    suggestions come from a script: the typed text is sent)."""
    suggestions = node.doc.by_id(str(node.tag.get("list") or ""))
    if suggestions is None or suggestions.name != "datalist" or not plain(value):
        return value
    options = suggestions.find_all("option")
    if any(plain(option_value(o)) == plain(value) for o in options):
        return value
    named = [o for o in options if plain(str(o.get("label") or o.get_text())) == plain(value)]
    return option_value(named[0]) if named else value


def _editable(tag: Tag) -> None:
    if disabled(tag):
        raise FieldError("le champ est désactivé (disabled)")
    if tag.get("readonly") is not None and tag.name in ("input", "textarea"):
        raise FieldError("le champ est en lecture seule (readonly)")


def _type_text(tag: Tag, value: str) -> None:
    """Typed as a person types: cut at ``maxlength``, a number field refuses what is not one."""
    _editable(tag)
    kind = _type(tag)
    if tag.name == "input" and kind == "number" and value.strip() and _number(value, None) is None:
        raise FieldError(f"un champ numérique ne peut pas recevoir « {value} »")
    limit = int(_number(tag.get("maxlength"), -1))
    if limit >= 0:
        value = value[:limit]
    if kind != "password" and tag.name != "textarea":
        value = value.replace("\r", "").replace("\n", "")
    if kind in ("email", "url"):
        value = value.strip()
    tag["value"] = value


def _select(tag: Tag, value: str) -> None:
    _editable(tag)
    options = [(option_value(o), option_label(o), o) for o in tag.find_all("option")]
    wanted = plain(value)
    chosen: Tag | None = None
    if not wanted:
        chosen = next((o for v, label, o in options if not v or not plain(label) or "choisir" in plain(label)), None)
        if chosen is None:
            raise CannotSet("la liste n'a pas de choix vide : elle ne peut pas être laissée vide")
    else:
        chosen = next(
            (o for v, label, o in options if wanted in (plain(v), plain(label)) or same_number(value, v, label)),
            None,
        )
        if chosen is None:
            shown = ", ".join(label for _, label, _ in options if label) or "aucun choix"
            raise CannotSet(f"la liste ne propose pas « {value} » (elle propose : {shown})")
    for _, _, option in options:
        if option is chosen:
            option["selected"] = ""
        elif option.get("selected") is not None:
            del option["selected"]


def _radios(node: Node) -> list[Tag]:
    return node.doc.by_role("radio", scope=node.tag)


def radio_name(doc: HtmlDocument, tag: Tag) -> str:
    """The visible name of a radio: its label, else its aria-label, else its text, else its value."""
    labels = [doc.inner_text(label).strip() for label in doc.labels(tag)]
    return (
        next((t for t in labels if t), "")
        or str(tag.get("aria-label") or "")
        or doc.inner_text(tag)
        or str(tag.get("value") or "")
    )


def _radio(group: Node, value: str) -> None:
    radios = _radios(group)
    wanted = plain(value)
    if not wanted:
        if any(r.get("checked") is not None for r in radios):
            raise CannotSet("un choix du groupe est déjà coché : il ne peut pas être laissé vide")
        return
    for radio in radios:
        if plain(radio_name(group.doc, radio)) == wanted or plain(str(radio.get("value") or "")) == wanted:
            _check(Node(group.doc, radio), True)
            return
    shown = ", ".join(radio_name(group.doc, r) for r in radios) or "aucun"
    raise CannotSet(f"le groupe ne propose pas « {value} » (choix : {shown})")


def _check(node: Node, on: bool) -> None:
    tag = node.tag
    if tag.name != "input" or _type(tag) not in ("checkbox", "radio"):
        raise NotApplicable(
            f"« {node.doc.name(tag) or tag.name} » ({node.doc.url}) ne se coche qu'avec JavaScript,"
            " que le pilote http n'exécute pas"
        )
    _editable(tag)
    if _type(tag) == "radio":
        if not on:
            if tag.get("checked") is not None:
                raise FieldError("un bouton radio coché ne se décoche pas")
            return
        owner = form_owner(node.doc, tag)
        for other in node.doc.elements:
            if (
                other is not tag
                and other.name == "input"
                and _type(other) == "radio"
                and other.get("name") == tag.get("name")
                and form_owner(node.doc, other) is owner
            ):
                other.attrs.pop("checked", None)
    if on:
        tag["checked"] = ""
    else:
        tag.attrs.pop("checked", None)


def _date_parts(group: Node, value: str) -> None:
    parts = _inner_fields(group)
    values = split_date(value)
    doc = group.doc
    words = [
        " ".join(
            str(w)
            for w in (
                part.get("name"),
                part.get("id"),
                part.get("autocomplete"),
                part.get("aria-label"),
                part.get("placeholder"),
                *(doc.inner_text(label) for label in doc.labels(part)),
            )
            if w
        ).lower()
        for part in parts
    ]
    for index, text in zip(part_order(words), values):
        part = parts[index]
        if part.name == "select":
            _select(part, text)
        else:
            _type_text(part, text)


def choices(node: Node) -> list[str]:
    """The choices a list or a radio group offers (blank « Choisir… » entries aside); none for other kinds."""
    kind = kind_of(node)
    if kind.kind == "select":
        tag = node.tag if node.tag.name == "select" else _inner_fields(node)[0]
        labels = [option_label(o) for o in tag.find_all("option") if option_value(o)]
        return [label for label in labels if plain(label) and "choisir" not in plain(label)]
    if kind.kind == "radio":
        return [radio_name(node.doc, r) for r in _radios(node)]
    return []


_ERRORISH = re.compile(r"err|invalid", re.IGNORECASE)


def field_state(node: Node) -> dict[str, Any]:
    """Whether a field (or a field of a group) is marked invalid (``aria-invalid``), and the error texts its
    ``aria-errormessage`` / ``aria-describedby`` name (an error, not a hint: named by aria-errormessage, or
    marked as an error by its id, class or role)."""
    doc = node.doc
    nodes = [node.tag, *soupsieve.select("input, select, textarea, [aria-invalid]", node.tag)]
    invalid = any(n.get("aria-invalid") == "true" for n in nodes)
    ids: list[str] = []
    for n in nodes:
        for attribute in ("aria-errormessage", "aria-describedby"):
            for ident in str(n.get(attribute) or "").split():
                if ident not in ids:
                    ids.append(ident)
    named = {i for n in nodes for i in str(n.get("aria-errormessage") or "").split()}
    texts = []
    for ident in ids:
        element = doc.by_id(ident)
        if element is None or doc.hidden(element):
            continue
        if (
            _ERRORISH.search(f"{ident} {_classes(element)}")
            or element.get("role") in ("alert", "status")
            or ident in named
        ):
            if text := doc.inner_text(element).strip():
                texts.append(text)
    return {"invalid": invalid, "texts": texts}


# ══ forms ══════════════════════════════════════════════════════════════════
def form_owner(doc: HtmlDocument, tag: Tag) -> Tag | None:
    """The form a control belongs to: its ``form`` attribute, else the nearest form around it."""
    if tag.get("form") is not None:
        owner = doc.by_id(str(tag["form"]))
        return owner if owner is not None and owner.name == "form" else None
    return tag.find_parent("form")


def disabled(tag: Tag) -> bool:
    """Disabled itself, or within a disabled fieldset (its first legend aside)."""
    if tag.get("disabled") is not None:
        return True
    for parent in tag.parents:
        if parent.name == "fieldset" and parent.get("disabled") is not None:
            legend = parent.find("legend", recursive=False)
            if legend is None or legend not in tag.parents:
                return True
    return False


def is_submit_button(tag: Tag) -> bool:
    if tag.name == "button":
        return str(tag.get("type") or "submit").strip().lower() == "submit"
    return tag.name == "input" and _type(tag) in ("submit", "image")


def form_entries(
    doc: HtmlDocument, form: Tag, submitter: Tag | None = None, *, keep_hidden: bool = True
) -> list[tuple[str, str]]:
    """The entries a browser sends for ``form`` (its fields in document order, those of other places that
    name it with ``form=``), pressed with ``submitter``; ``keep_hidden`` False leaves out its hidden fields."""
    controls = [
        tag
        for tag in doc.elements
        if tag.name in ("input", "select", "textarea", "button") and form_owner(doc, tag) is form
    ]
    entries: list[tuple[str, str]] = []
    for tag in controls:
        if disabled(tag) or tag.find_parent("datalist") is not None:
            continue
        name = str(tag.get("name") or "")
        kind = _type(tag)
        if tag.name == "button" or (tag.name == "input" and kind in ("submit", "image", "button", "reset")):
            if tag is submitter:
                if kind == "image":
                    prefix = f"{name}." if name else ""
                    entries += [(f"{prefix}x", "0"), (f"{prefix}y", "0")]
                elif name:
                    entries.append((name, str(tag.get("value") or "")))
            continue
        if not name or kind == "file" or (kind == "hidden" and not keep_hidden):
            continue
        if kind in ("checkbox", "radio"):
            if tag.get("checked") is not None:
                entries.append((name, str(tag.get("value") if tag.get("value") is not None else "on")))
        elif tag.name == "select":
            entries += [(name, option_value(o)) for o in selected_options(tag)]
        elif tag.name == "textarea":
            entries.append((name, current_value(tag).replace("\r\n", "\n").replace("\n", "\r\n")))
        else:
            entries.append((name, str(tag.get("value") or "")))
    return entries


@dataclass
class Submission:
    """The request a browser makes when a form is sent: ``url`` (the query of a GET included), and for a
    POST its ``body`` and ``content_type``."""

    method: str
    url: str
    body: bytes | None = None
    content_type: str | None = None
    entries: list[tuple[str, str]] = field(default_factory=list)


def submission_of(
    doc: HtmlDocument, form: Tag, submitter: Tag | None = None, entries: list[tuple[str, str]] | None = None
) -> Submission:
    """``form`` sent with ``submitter`` (its ``formaction``, ``formmethod``, ``formenctype`` first)."""
    if entries is None:
        entries = form_entries(doc, form, submitter)

    def attribute(name: str) -> str | None:
        given = submitter.get(f"form{name}") if submitter is not None else None
        return str(given) if given is not None else (str(form[name]) if form.get(name) is not None else None)

    action = urljoin(doc.base_url, (attribute("action") or "").strip() or doc.url)
    method = (attribute("method") or "get").strip().lower()
    if method != "post":
        base, _fragment = urldefrag(action)
        return Submission("GET", f"{base.split('?', 1)[0]}?{urlencode(entries)}", entries=entries)
    enctype = (attribute("enctype") or "").strip().lower()
    if enctype == "multipart/form-data":
        boundary = "----moncompte" + format(abs(hash((action, tuple(entries)))), "x")
        chunks = []
        for name, value in entries:
            chunks.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
        return Submission("POST", action, body, f"multipart/form-data; boundary={boundary}", entries)
    body = urlencode(entries).encode()
    return Submission("POST", action, body, "application/x-www-form-urlencoded", entries)


def blocked_by_validation(doc: HtmlDocument, form: Tag, submitter: Tag | None) -> str | None:
    """What keeps a browser from sending ``form`` (HTML constraint validation: a required field left
    empty, an e-mail address or a ``pattern`` not matched), unless the form or the button says
    ``novalidate``; None when it is sent."""
    if form.get("novalidate") is not None or (submitter is not None and submitter.get("formnovalidate") is not None):
        return None
    for tag in soupsieve.select("input, select, textarea", form):
        if disabled(tag) or _type(tag) in ("hidden", "submit", "button", "image", "reset"):
            continue
        value = current_value(tag)
        label = doc.name(tag) or str(tag.get("name") or tag.name)
        if tag.get("required") is not None:
            if _type(tag) in ("checkbox",) and tag.get("checked") is None:
                return f"la case « {label} » est obligatoire (required)"
            if _type(tag) == "radio":
                group = [r for r in soupsieve.select("input[type=radio]", form) if r.get("name") == tag.get("name")]
                if not any(r.get("checked") is not None for r in group):
                    return f"le choix « {label} » est obligatoire (required)"
            elif _type(tag) != "checkbox" and not value:
                return f"le champ « {label} » est obligatoire (required)"
        if value and _type(tag) == "email" and not _EMAIL.fullmatch(value):
            return f"le champ « {label} » n'a pas la forme d'une adresse e-mail (type=email)"
        pattern = tag.get("pattern")
        if value and pattern and tag.name == "input":
            try:
                if not re.fullmatch(f"(?:{pattern})", value):
                    return f"le champ « {label} » ne suit pas son motif (pattern={pattern})"
            except re.error:
                continue
    return None


# ══ what a journey page shows ══════════════════════════════════════════════
def recap_pairs(node: Node) -> list[tuple[str, str]]:
    """The pairs « label → value » of a recap, however it is marked up: <dt>/<dd>, table rows (<th> then
    <td>, or two <td>), or lines « Libellé : valeur » (list items, paragraphs)."""
    doc, root = node.doc, node.tag

    def text(tag: Tag) -> str:
        return normalize(doc.inner_text(tag))

    def within(selector: str) -> list[Tag]:
        return ([root] if soupsieve.match(selector, root) else []) + list(soupsieve.select(selector, root))

    out: list[tuple[str, list[str]]] = []
    for dl in within("dl"):
        term: tuple[str, list[str]] | None = None
        for element in soupsieve.select("dt, dd", dl):
            if element.name == "dt":
                term = (text(element), [])
                out.append(term)
            elif term is not None:
                term[1].append(text(element))
    for row in within("tr"):
        cells = [c for c in row.find_all(["th", "td"], recursive=False)]
        if len(cells) >= 2 and not all(c.name == "th" for c in cells):
            out.append((text(cells[0]), [text(c) for c in cells[1:]]))
    for element in within("li, p"):
        if soupsieve.select_one("li, p, dl, table", element) is not None:
            continue
        match = re.match(r"^([^:]{2,60}?)\s*:\s+(.+)$", text(element))
        if match:
            out.append((match.group(1), [match.group(2)]))
    return [(re.sub(r"\s*:$", "", term), ", ".join(values)) for term, values in out]


_BLOCK_CLASSES = ("fr-card", "fr-tile")


def block_of(node: Node) -> Node | None:
    """The block of a page that holds one « Faire la demande »: its list item, card, row or section."""
    for parent in node.tag.parents:
        if parent.name in ("li", "article", "tr", "section", "fieldset") or any(
            c in _classes(parent).split() for c in _BLOCK_CLASSES
        ):
            return Node(node.doc, parent)
    return None


def block_title(block: Node) -> str:
    """A block's title: its heading, else its first line that is not a button's."""
    doc = block.doc
    heading = soupsieve.select_one("h1, h2, h3, h4, h5, h6, th, legend, strong", block.tag)
    if heading is not None and doc.inner_text(heading).strip():
        return doc.inner_text(heading).strip()
    buttons = {
        (doc.inner_text(b) or str(b.get("value") or "")).strip()
        for b in soupsieve.select("button, a, input", block.tag)
    }
    lines = [line.strip() for line in doc.inner_text(block.tag).split("\n")]
    return next((line for line in lines if line and line not in buttons), "")


def table_rows(table: Node) -> list[dict[str, str]]:
    """The rows of a table keyed by their column headers in lower case (the column's index without one)."""
    doc = table.doc
    headers = [doc.inner_text(th).strip().lower() for th in soupsieve.select("thead th, tr:first-child th", table.tag)]
    rows = [tr for tr in soupsieve.select("tbody tr", table.tag) if tr.find("td") is not None]
    return [
        {
            (headers[i] if i < len(headers) and headers[i] else str(i)): doc.inner_text(cell).strip()
            for i, cell in enumerate(tr.find_all(["td", "th"]))
        }
        for tr in rows
    ]


# ══ the forms of one page, for the api driver at the FranceConnect provider ════
@dataclass
class Button:
    text: str
    name: str | None = None
    value: str = ""
    tag: Tag | None = None


@dataclass
class Form:
    action: str
    method: str
    tag: Tag | None = None
    doc: HtmlDocument | None = None


class HtmlPage:
    """The forms and the alerts (``role="alert"``) of one page."""

    def __init__(self, doc: HtmlDocument):
        self.doc = doc

    @classmethod
    def parse(cls, html: str, url: str = "") -> HtmlPage:
        return cls(HtmlDocument(html, url))

    @property
    def alerts(self) -> list[str]:
        return [t for tag in self.doc.by_role("alert") if (t := normalize(self.doc.inner_text(tag)))]

    def find_button(self, spec: LocatorSpec) -> tuple[Form, Button] | None:
        """The first submit button of a form that ``spec`` finds."""
        for tag in self.doc.resolve(spec):
            form = form_owner(self.doc, tag)
            if form is not None and is_submit_button(tag) and not disabled(tag):
                method = str(form.get("method") or "get").strip().lower()
                name = tag.get("name")
                return (
                    Form(str(form.get("action") or ""), "post" if method == "post" else "get", form, self.doc),
                    Button(self.doc.name(tag), str(name) if name else None, str(tag.get("value") or ""), tag),
                )
        return None

    @staticmethod
    def field_name(form: Form, spec: LocatorSpec) -> str | None:
        """The name of the field of ``form`` that ``spec`` finds."""
        assert form.doc is not None and form.tag is not None
        for tag in form.doc.resolve(spec, form.tag):
            if tag.get("name"):
                return str(tag["name"])
        return None


def submission(form: Form, button: Button, values: dict[str, str] | None = None) -> dict[str, str]:
    """The body a browser sends: the form's fields, the typed values, the button's name and value."""
    assert form.doc is not None and form.tag is not None
    data = dict(form_entries(form.doc, form.tag, button.tag)) | (values or {})
    if button.name and button.tag is None:
        data[button.name] = button.value
    return data
