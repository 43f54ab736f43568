"""Helpers for the reference implementation's tests: synthetic persons (seeded through the
test routes), the journey through the API, and a tiny HTML reader."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser

from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from moncompte.rules import nir as nir_rules

CHEAP_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "Abcdefg1"
_numbers = itertools.count(1)


def years_ago(years: int, extra_days: int = 0) -> date:
    """A birth date ``years`` (plus ``extra_days``) before today."""
    today = date.today()
    try:
        day = today.replace(year=today.year - years)
    except ValueError:
        day = today.replace(year=today.year - years, day=28)
    return date.fromordinal(day.toordinal() - extra_days)


def make_person(
    *,
    civilite="Madame",
    born=date(1990, 3, 15),
    place="75056",
    nom="Martin",
    prenoms="Élodie Marie",
    with_nir=True,
    pieces=True,
) -> dict:
    """A registry person (registry format) whose NIR and passport are consistent and unique."""
    n = next(_numbers)
    return {
        "nir": nir_rules.build("2" if civilite == "Madame" else "1", born, place, n % 999 + 1) if with_nir else None,
        "civilite": civilite,
        "nom_naissance": nom,
        "prenoms": prenoms,
        "date_naissance": born.isoformat(),
        "lieu_naissance": place,
        "pieces": [{"type_titre": "passeport", "numero_titre": f"{n % 100:02d}AB{n:05d}"}] if pieces else [],
    }


def civil_status(person: dict, **changes) -> dict:
    """The body of step ④ for a registry person (date typed JJ/MM/AAAA)."""
    born = date.fromisoformat(person["date_naissance"])
    body = {
        "sans_nir": person["nir"] is None,
        "nir": person["nir"] or "",
        "civilite": person["civilite"],
        "nom_naissance": person["nom_naissance"],
        "prenoms": person["prenoms"],
        "date_naissance": born.strftime("%d/%m/%Y"),
        "lieu_naissance": person["lieu_naissance"],
    }
    return body | changes


@dataclass
class Api:
    """The journey through the JSON API, one call per step."""

    client: TestClient

    def seed_person(self, **kwargs) -> dict:
        person = make_person(**kwargs)
        assert self.client.post("/__test__/personnes", json=person).status_code == 201
        return person

    def seed_foyer(self, members: dict[str, dict], procuration: bool = False) -> str:
        body = {"procuration": procuration, "membres": [p | {"role": r.split(":")[0]} for r, p in members.items()]}
        response = self.client.post("/__test__/foyers", json=body)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def start(self, prestation: str | None = None) -> str:
        response = self.client.post("/api/inscriptions", json={"prestation": prestation})
        assert response.status_code == 201
        return response.json()["id"]

    def step(self, reg_id: str, name: str, body: dict):
        return self.client.post(f"/api/inscriptions/{reg_id}/{name}", json=body)

    def etape(self, reg_id: str) -> str:
        return self.client.get(f"/api/inscriptions/{reg_id}").json()["etape"]

    def last_code(self, to: str) -> str:
        messages = self.client.get("/__outbox__", params={"to": to}).json()
        return re.search(r"\b\d{6}\b", messages[-1]["body"]).group()

    def register(
        self,
        person: dict,
        *,
        until: str = "recapitulatif",
        email: str | None = None,
        sans_piece: bool = False,
        password: str = PASSWORD,
    ) -> str:
        """Walk the journey up to the step ``until`` (asserting each step is accepted)."""
        email = email or f"personne{next(_numbers)}@exemple.fr"
        reg_id = self.start()
        calls = [
            ("etat-civil", lambda: civil_status(person)),
            ("piece-identite", lambda: {"sans_piece_francaise": True} if sans_piece else person["pieces"][0]),
            ("coordonnees", lambda: {"canal": "email", "valeur": email}),
            ("code", lambda: {"code": self.last_code(email)}),
            ("mot-de-passe", lambda: {"mot_de_passe": password}),
        ]
        for name, body in calls:
            if self.etape(reg_id) == until:
                break
            response = self.step(reg_id, name, body())
            assert response.status_code == 200, response.text
        assert self.etape(reg_id) == until
        return reg_id

    def login(self, identifiant: str, password: str = PASSWORD):
        return self.client.post("/api/session", json={"identifiant": identifiant, "mot_de_passe": password})


def csrf_token(client: TestClient, page: str = "/connexion") -> str:
    """The CSRF token of this client, read from the hidden field of a form of ``page`` (as a browser
    submits it); the first page sets the ``csrf`` cookie it is bound to."""
    (field_,) = Page.of(client.get(page).text).find("input", type="hidden", name="csrf")
    assert field_.attrs["value"], "empty CSRF token"
    return field_.attrs["value"]


def errors(response) -> list[tuple[str, str]]:
    """(rule, message) of each refusal of an API response."""
    return [(e["regle"], e["message"]) for e in response.json()["erreurs"]]


# ── a tiny HTML reader ───────────────────────────────────────────────────────
@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parents: tuple[str, ...] = ()  # tags of the enclosing elements
    text: str = ""


@dataclass
class Page(HTMLParser):
    """Elements with their attributes and text content (enough to check labels, links, ARIA)."""

    elements: list[Element] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)
    source: str = ""  # the HTML as served

    def __post_init__(self):
        HTMLParser.__init__(self)

    @classmethod
    def of(cls, html: str) -> "Page":
        page = cls(source=html)
        page.feed(html)
        return page

    VOID = {"input", "meta", "br", "img", "link", "hr", "path", "circle"}

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self._open))
        self.elements.append(element)
        if tag not in self.VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self._open) - 1, -1, -1):
            if self._open[i].tag == tag:
                del self._open[i:]
                break

    def handle_data(self, data):
        for element in self._open:
            element.text += data

    def find(self, tag: str, **attrs) -> list[Element]:
        return [e for e in self.elements if e.tag == tag and all(e.attrs.get(k) == v for k, v in attrs.items())]

    def by_id(self, element_id: str) -> Element:
        (element,) = [e for e in self.elements if e.attrs.get("id") == element_id]
        return element

    def texts(self, tag: str, **attrs) -> list[str]:
        return [" ".join(e.text.split()) for e in self.find(tag, **attrs)]

    def field(self, label: str) -> Element:
        """The form control whose <label> reads exactly ``label``."""
        (match,) = [e for e in self.find("label") if " ".join(e.text.split()) == label]
        return self.by_id(match.attrs["for"])

    def link(self, name: str) -> str:
        """The href of the link named ``name`` (its text or aria-label)."""
        hrefs = [
            e.attrs["href"]
            for e in self.find("a")
            if e.attrs.get("aria-label") == name or " ".join(e.text.split()) == name
        ]
        assert len(hrefs) == 1, f"link « {name} »: {hrefs}"
        return hrefs[0]

    def buttons(self) -> list[str]:
        return self.texts("button")

    @property
    def alert(self) -> str:
        return " ".join(self.texts("div", role="alert"))

    @property
    def text(self) -> str:
        return " ".join(" ".join(e.text.split()) for e in self.find("main"))
