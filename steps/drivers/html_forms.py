"""Forms of an HTML page, for a driver that browses pages over HTTP (no JavaScript).

The API driver meets HTML only at the FranceConnect provider (its pages to choose an
identity provider and log in): it finds a button by its accessible name and a field by
its label, with the same ``LocatorSpec`` as the browser driver (``steps.locators``), then
submits the form as a browser would (hidden fields, the button's own name and value).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from moncompte.steps.drivers.base import NotApplicable
from moncompte.steps.locators import LocatorSpec, _pattern

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Button:
    text: str
    name: str | None = None
    value: str = ""


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)  # name → value (hidden and prefilled fields)
    ids: dict[str, str] = field(default_factory=dict)  # element id → field name
    labels: dict[str, str] = field(default_factory=dict)  # label text → field name
    buttons: list[Button] = field(default_factory=list)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self.alerts: list[str] = []
        self._form: Form | None = None
        self._button: Button | None = None
        self._label: tuple[str | None, list[str]] | None = None  # (for, text parts)
        self._labels: list[tuple[str | None, str]] = []  # labels of the current form, resolved at its end
        self._alert_depth = 0
        self._depth = 0
        self._alert_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag not in VOID:  # no end tag comes for a void element
            self._depth += 1
        if a.get("role") == "alert" and not self._alert_depth:
            self._alert_depth = self._depth
            self._alert_text = []
        if tag == "form":
            self._form = Form(a.get("action", ""), a.get("method", "get").lower())
            self._labels = []
        elif self._form is None:
            return
        elif tag == "input":
            name = a.get("name")
            if name and a.get("type", "text") not in ("submit", "button", "checkbox", "radio"):
                self._form.fields[name] = a.get("value", "")
                if a.get("id"):
                    self._form.ids[a["id"]] = name
        elif tag == "button" and a.get("type", "submit") == "submit":
            self._button = Button("", a.get("name"), a.get("value", ""))
        elif tag == "label":
            self._label = (a.get("for"), [])

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._alert_depth and self._depth == self._alert_depth:
            self._alert_depth = 0
            self.alerts.append(" ".join(" ".join(self._alert_text).split()))
        self._depth -= 1
        if self._form is None:
            return
        if tag == "button" and self._button is not None:
            self._button.text = " ".join(self._button.text.split())
            self._form.buttons.append(self._button)
            self._button = None
        elif tag == "label" and self._label is not None:
            target, parts = self._label
            self._labels.append((target, " ".join("".join(parts).split())))
            self._label = None
        elif tag == "form":
            for target, text in self._labels:
                if target and target in self._form.ids:
                    self._form.labels[text] = self._form.ids[target]
            self.forms.append(self._form)
            self._form = None

    def handle_data(self, data: str) -> None:
        if self._button is not None:
            self._button.text += data
        if self._label is not None:
            self._label[1].append(data)
        if self._alert_depth:
            self._alert_text.append(data)


@dataclass
class HtmlPage:
    """The forms and the alerts (``role="alert"``) of one page."""

    forms: list[Form]
    alerts: list[str]

    @classmethod
    def parse(cls, html: str) -> "HtmlPage":
        parser = _Parser()
        parser.feed(html)
        parser.close()
        return cls(parser.forms, [a for a in parser.alerts if a])

    def find_button(self, spec: LocatorSpec) -> tuple[Form, Button] | None:
        """The first submit button whose accessible name matches ``spec`` (kind ``role``, ``button``)."""
        if spec.kind != "role" or spec.value != "button" or spec.name is None:
            raise NotApplicable(f"le localisateur {spec.describe()} ne se résout que dans un navigateur")
        for form in self.forms:
            for button in form.buttons:
                if _matches(spec.name, button.text, spec.exact):
                    return form, button
        return None

    @staticmethod
    def field_name(form: Form, spec: LocatorSpec) -> str | None:
        """The name of the field of ``form`` whose label matches ``spec`` (kind ``label``)."""
        if spec.kind != "label":
            raise NotApplicable(f"le localisateur {spec.describe()} ne se résout que dans un navigateur")
        for text, name in form.labels.items():
            if _matches(spec.value, text, spec.exact):
                return name
        return None


def _matches(wanted: str, text: str, exact: bool) -> bool:
    pattern = _pattern(wanted)
    if isinstance(pattern, re.Pattern):
        return pattern.search(text) is not None
    return text == pattern if exact else pattern.casefold() in text.casefold()


def submission(form: Form, button: Button, values: dict[str, str] | None = None) -> dict[str, str]:
    """The body a browser sends: the form's fields, the typed values, the button's name and value."""
    data = dict(form.fields) | (values or {})
    if button.name:
        data[button.name] = button.value
    return data
