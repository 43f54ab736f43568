"""The table of hostile values for each field of steps ④ ⑤ ⑥ ⑦ ⑧, sent through the JSON API.

Each value is refused (422, French messages, catalogue rule IDs) with nothing stored (the
registration stays where it was, no code, no account), or accepted and normalised the same way
as its plain spelling. Shared by the SQLite (in process) and PostgreSQL test modules.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from hostile import HOSTILE, MESSAGE_PATTERNS, _pattern

from moncompte import rules
from moncompte.reference_impl import app as app_module
from moncompte.reference_impl import service as service_module
from moncompte.rules import nir as nir_rules

API_PATTERNS = MESSAGE_PATTERNS + [
    _pattern(v)
    for m in (service_module, app_module)
    for k, v in vars(m).items()
    if k.startswith("MSG_") and isinstance(v, str)
]

STEP_OF = {
    "etat-civil": "etat_civil",
    "piece-identite": "piece_identite",
    "coordonnees": "coordonnees",
    "code": "code",
    "mot-de-passe": "mot_de_passe",
}


@dataclass(frozen=True)
class Case:
    step: str  # API path segment
    field: str
    value: object
    label: str
    accepted_as: str | None = None  # None: must be refused; else the value stored once normalised
    template: bool = False  # value and accepted_as name the person's own data: {nir}, {numero}, {email}

    @property
    def id(self) -> str:
        return f"{self.step}:{self.field}:{self.label}"


def person_for(n: int) -> dict:
    """A registry person with a passport (registry format), unique per ``n``."""
    born = date(1985, 1 + n % 12, 10)
    return {
        "nir": nir_rules.build("2", born, "69123", 1 + n // 12 % 999),
        "civilite": "Madame",
        "nom_naissance": "Lefèvre",
        "prenoms": "Hélène Anaïs",
        "date_naissance": born.isoformat(),
        "lieu_naissance": "69123",
        "pieces": [{"type_titre": "passeport", "numero_titre": f"{n % 100:02d}CD{n:05d}"}],
    }


def valid_bodies(person: dict, email: str) -> dict[str, dict]:
    born = date.fromisoformat(person["date_naissance"])
    return {
        "etat-civil": {
            "sans_nir": False,
            "nir": person["nir"],
            "civilite": "Madame",
            "nom_naissance": person["nom_naissance"],
            "prenoms": person["prenoms"],
            "date_naissance": born.strftime("%d/%m/%Y"),
            "lieu_naissance": person["lieu_naissance"],
        },
        "piece-identite": dict(person["pieces"][0]),
        "coordonnees": {"canal": "email", "valeur": email},
        "mot-de-passe": {"mot_de_passe": "Abcdefg1"},
    }


FIELDS = {
    "etat-civil": ["nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance"],
    "piece-identite": ["type_titre", "numero_titre"],
    "coordonnees": ["canal", "valeur"],
    "code": ["code"],
    "mot-de-passe": ["mot_de_passe"],
}
# Hostile values that are legitimately accepted, with the form they are stored in.
ACCEPTED = {
    ("etat-civil", "nom_naissance", "nfd"): "ÉLODIE",
    ("etat-civil", "prenoms", "nfd"): "Élodie",
    ("etat-civil", "prenoms", "ligature"): "ﬃ" * 60,
}


def cases() -> list[Case]:
    table = []
    for step, fields in FIELDS.items():
        for field in fields:
            for label, value in HOSTILE.items():
                table.append(Case(step, field, value, label, ACCEPTED.get((step, field, label))))
            table.append(Case(step, field, 12345, "nombre"))
            table.append(Case(step, field, ["liste"], "liste"))
    # Spaces around a valid value, and an NFD spelling: accepted, stored like the plain value.
    table += [
        Case("etat-civil", "nom_naissance", "  Lefèvre  ", "espaces-autour", "LEFÈVRE"),
        Case("etat-civil", "nom_naissance", unicodedata.normalize("NFD", "Lefèvre"), "nfd-valide", "LEFÈVRE"),
        Case("etat-civil", "prenoms", " Hélène   Anaïs ", "espaces-autour", "Hélène Anaïs"),
        Case("etat-civil", "nir", " {nir_spaced} ", "nir-espaces", "{nir}", template=True),
        Case("piece-identite", "numero_titre", "  {numero}  ", "espaces-autour", "•••••{numero_fin}", template=True),
        Case("coordonnees", "valeur", "  {email}  ", "espaces-autour", "{email}", template=True),
        Case("mot-de-passe", "mot_de_passe", unicodedata.normalize("NFD", "Éléphant1"), "nfd-valide", "(secret)"),
    ]
    return table


class Target:
    """A client of the API and the database behind it (to check that nothing was stored)."""

    def __init__(self, client, sessions, serial: int):
        self.client = client
        self.engine = sessions.kw["bind"]
        self.serial = serial

    def counts(self, reg_id: str) -> tuple[int, int, int, int]:
        with self.engine.connect() as db:
            one = lambda sql, **p: db.execute(sa.text(sql), p).scalar_one()  # noqa: E731
            return (
                one("SELECT count(*) FROM accounts"),
                one("SELECT count(*) FROM registrations"),
                one("SELECT count(*) FROM confirmation_codes WHERE registration_id = :r", r=reg_id),
                one("SELECT coalesce(sum(attempts), 0) FROM confirmation_codes WHERE registration_id = :r", r=reg_id),
            )

    def state(self, reg_id: str) -> dict:
        response = self.client.get(f"/api/inscriptions/{reg_id}")
        assert response.status_code == 200, response.text
        return response.json()

    def registration_at(self, step: str) -> tuple[str, dict, dict]:
        """A new registration of a new registry person, waiting at ``step``."""
        self.serial += 1
        person = person_for(self.serial)
        assert self.client.post("/__test__/personnes", json=person).status_code == 201
        email = f"hostile{self.serial}@exemple.fr"
        bodies = valid_bodies(person, email)
        reg_id = self.client.post("/api/inscriptions", json={}).json()["id"]
        for name in ("etat-civil", "piece-identite", "coordonnees", "code", "mot-de-passe"):
            if name == step:
                break
            body = bodies.get(name) or {"code": self.last_code(email)}
            response = self.client.post(f"/api/inscriptions/{reg_id}/{name}", json=body)
            assert response.status_code == 200, (name, response.text)
        return reg_id, person, bodies | {"email": email}

    def last_code(self, email: str) -> str:
        messages = self.client.get("/__outbox__", params={"to": email}).json()
        return re.search(r"\b\d{6}\b", messages[-1]["body"]).group()


def check_field(target: Target, step: str, field: str, table: list[Case]) -> list[str]:
    """Send every case of one field; returns the problems found (empty: all good)."""
    problems: list[str] = []
    reg_id, person, bodies = target.registration_at(step)
    for case in table:
        nir = person["nir"]
        subst = {
            "nir": nir,
            "nir_spaced": f"{nir[0]} {nir[1:3]} {nir[3:5]} {nir[5:10]} {nir[10:13]} {nir[13:]}",
            "numero": person["pieces"][0]["numero_titre"],
            "email": bodies["email"],
        }
        subst["numero_fin"] = subst["numero"][-4:]
        value = case.value.format(**subst) if case.template else case.value
        body = dict(bodies.get(step) or {"code": target.last_code(bodies["email"])})
        body[field] = value
        before, counts = target.state(reg_id), target.counts(reg_id)
        response = target.client.post(f"/api/inscriptions/{reg_id}/{step}", json=body)
        if case.accepted_as is None:
            if response.status_code != 422:
                problems.append(f"{case.id}: {response.status_code} {response.text[:200]}")
                reg_id, person, bodies = target.registration_at(step)
                continue
            for error in response.json()["erreurs"]:
                if not any(p.match(error["message"]) for p in API_PATTERNS):
                    problems.append(f"{case.id}: message hors catalogue {error['message']!r}")
                if error["regle"] is not None and error["regle"] not in rules.BY_ID:
                    problems.append(f"{case.id}: règle inconnue {error['regle']}")
                if error["regle"] is None and not isinstance(case.value, (int, list)):
                    problems.append(f"{case.id}: texte refusé sans règle {error}")
            if target.state(reg_id) != before or target.counts(reg_id) != counts:
                problems.append(f"{case.id}: refusé mais quelque chose a été enregistré")
        else:
            if response.status_code != 200:
                problems.append(f"{case.id}: refusé ({response.status_code} {response.text[:200]})")
            else:
                expected = case.accepted_as.format(**subst) if case.template else case.accepted_as
                if expected == "(secret)":  # the password: whichever Unicode form is typed at login, it opens
                    for form in ("NFC", "NFD"):
                        login = target.client.post(
                            "/api/session",
                            json={"identifiant": person["nir"], "mot_de_passe": unicodedata.normalize(form, value)},
                        )
                        if login.status_code != 200:
                            problems.append(f"{case.id}: connexion refusée avec le mot de passe en {form}")
                elif (stored := stored_value(target, reg_id, step, field)) != expected:
                    problems.append(f"{case.id}: enregistré {stored!r}, attendu {expected!r}")
            reg_id, person, bodies = target.registration_at(step)
    return problems


def stored_value(target: Target, reg_id: str, step: str, field: str):
    column = {"valeur": "contact", "numero_titre": "numero_masque"}.get(field, field)  # only the masked number is kept
    with target.engine.connect() as db:
        return db.execute(sa.text(f"SELECT {column} FROM registrations WHERE id = :r"), {"r": reg_id}).scalar_one()
