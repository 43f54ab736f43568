"""Test-data builders: consistent synthetic persons and foyers.

Every scenario gets its own ``DataFactory`` seeded from the run seed, the xdist
worker and the scenario's node id, so data never collides between scenarios run
in parallel or in any order, and a run can be replayed with ``MONCOMPTE_SEED``.
A person's NIR is built from their sex, birth date and birth place with
``rules.nir.build`` (a valid key); documents have the format of their kind.

Nothing here decides whether a value is accepted: the feature files say that.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import secrets
import string
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import phonenumbers
from faker import Faker

from moncompte.rules.nir import build as build_nir
from moncompte.rules.piece_identite import mrz_check_digit

RUN_SEED = os.environ.get("MONCOMPTE_SEED") or secrets.token_hex(4)
"""Seed of this run (set ``MONCOMPTE_SEED`` to replay a run's data)."""

# The guide's words for the documents of step ⑤ → the contract's codes.
DOCUMENT_KINDS = {
    "carte d'identité": "cni",
    "carte nationale d'identité": "cni",
    "ancienne carte d'identité": "cni",
    "passeport français": "passeport",
    "passeport": "passeport",
    "titre de séjour": "titre_sejour",
}

# Birth places (INSEE codes) by the kind of place a scenario asks for.
PLACES = {
    "métropole": ["69123", "13055", "31555", "33063", "59350", "44109", "67482", "35238", "75056"],
    "Corse-du-Sud": ["2A004", "2A247"],
    "Haute-Corse": ["2B033", "2B096"],
    "outre-mer": ["97411", "97105", "97209", "97302"],
    "étranger": ["99350", "99109", "99134", "99139", "99127"],
}
# … and as a person names them (a commune, with its territory where the name is not enough; a country).
PLACE_NAMES = {
    "69123": "Lyon",
    "13055": "Marseille",
    "31555": "Toulouse",
    "33063": "Bordeaux",
    "59350": "Lille",
    "44109": "Nantes",
    "67482": "Strasbourg",
    "35238": "Rennes",
    "75056": "Paris",
    "2A004": "Ajaccio",
    "2A247": "Porto-Vecchio",
    "2B033": "Bastia",
    "2B096": "Corte",
    "97411": "Saint-Denis (La Réunion)",
    "97105": "Basse-Terre",
    "97209": "Fort-de-France",
    "97302": "Cayenne",
    "99350": "Maroc",
    "99109": "Allemagne",
    "99134": "Espagne",
    "99139": "Portugal",
    "99127": "Italie",
}
INSEE_CODE = re.compile(r"[0-9][0-9AB][0-9]{3}")
PLACE_AS = ("code", "nom")  # how a site asks for the birth place: its INSEE code, or its name


def place_kind(code: str | None) -> str | None:
    """The kind of a birth place (the keys of ``PLACES``) from its INSEE code; ``None`` without a code."""
    if not code:
        return None
    if code.startswith("99"):
        return "étranger"
    if code.startswith("2A"):
        return "Corse-du-Sud"
    if code.startswith("2B"):
        return "Haute-Corse"
    if code.startswith(("97", "98")):
        return "outre-mer"
    return "métropole"


def split_place(text: str) -> tuple[str | None, str | None]:
    """A birth place as a feature writes it → (name, INSEE code): « Lyon (69123) », « 69123 » (a code
    only) or « Atlantide » (a name only); either part is ``None`` when not given."""
    value = text.strip()
    if not value:
        return "", ""
    match = re.fullmatch(r"(.*?)\s*\(([0-9][0-9AB][0-9]{3})\)", value)
    if match and match.group(1):
        return match.group(1), match.group(2)
    if INSEE_CODE.fullmatch(value) or re.fullmatch(r"\d+", value):
        return None, value
    return value, None


# Regions tried to parse a national mobile number (overseas numbers share the 0 prefix).
_PHONE_REGIONS = ("FR", "RE", "GP", "MQ", "GF", "YT", "PM")


def worker_id() -> str:
    return os.environ.get("PYTEST_XDIST_WORKER", "solo")


def scenario_seed(node_id: str) -> int:
    digest = hashlib.sha256(f"{RUN_SEED}|{worker_id()}|{node_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


def french_date(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a non-leap year
        return day.replace(year=day.year + years, day=28)


def age_on(birth: date, today: date) -> int:
    """Age in whole years on ``today``."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


@dataclass(frozen=True)
class Age:
    """An age as a feature states it: « 15 ans » (15 today), « 16 ans aujourd'hui » (16th birthday
    today), « 16 ans demain » (16th birthday tomorrow: 15 today). Ages are counted on the day of the run."""

    years: int
    when: str | None = None  # None, "aujourd'hui" or "demain"

    @classmethod
    def parse(cls, text: str) -> "Age":
        match = re.fullmatch(r"\s*(\d+) ans(?: (aujourd'hui|demain))?\s*", text)
        if not match:
            raise ValueError(
                f"âge non reconnu : « {text} » (ex. « 15 ans », « 16 ans aujourd'hui », « 16 ans demain »)"
            )
        return cls(int(match.group(1)), match.group(2))

    def birth_date(self, today: date | None = None) -> date:
        """A birth date of that age (« 15 ans »: half-way to the next birthday)."""
        today = today or date.today()
        anniversary = add_years(today, -self.years)
        if self.when == "aujourd'hui":
            return anniversary
        if self.when == "demain":
            return anniversary + timedelta(days=1)
        return anniversary - timedelta(days=180)

    def matches(self, birth: date, today: date | None = None) -> bool:
        """Whether someone born on ``birth`` has this age (on ``today``)."""
        today = today or date.today()
        if self.when is not None:
            return birth == self.birth_date(today)
        return age_on(birth, today) == self.years

    def __str__(self) -> str:
        return f"{self.years} ans" + (f" {self.when}" if self.when else "")


def _ascii_slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-") or "x"


@dataclass
class Document:
    kind: str  # cni, passeport, titre_sejour
    number: str  # as the registry stores it (no MRZ check digit)

    def with_check_digit(self) -> str:
        return self.number + mrz_check_digit(self.number)

    def as_registry(self) -> dict[str, str]:
        return {"type_titre": self.kind, "numero_titre": self.number}


@dataclass
class Person:
    """A synthetic person, consistent in all their data."""

    civilite: str
    nom_naissance: str
    prenoms: str
    date_naissance: date
    lieu_naissance: str | None  # INSEE code (commune, or 99 + country); None when only the name is known
    nir: str | None
    documents: list[Document] = field(default_factory=list)
    email: str = ""
    mobile: str = ""
    password: str = ""
    role: str = "non_allocataire"  # a rules.roles.Role value
    lieu_naissance_nom: str | None = None  # the birth place as the person names it
    place_as: str = "code"  # how the site asks for the birth place (PLACE_AS)

    def typed_place(self) -> str:
        """The birth place as this site asks for it: its INSEE code, or its name."""
        value = self.lieu_naissance if self.place_as == "code" else self.lieu_naissance_nom
        if value is None:
            wanted = "son code INSEE" if self.place_as == "code" else "son nom"
            raise ValueError(
                f"le lieu de naissance de {self.prenoms} {self.nom_naissance} n'est pas connu par {wanted}"
            )
        return value

    @property
    def document(self) -> Document | None:
        return self.documents[0] if self.documents else None

    def civil_status(self) -> dict[str, str]:
        """The six items of step ④ as a user types them (date JJ/MM/AAAA)."""
        return {
            "nir": self.nir or "",
            "civilite": self.civilite,
            "nom_naissance": self.nom_naissance,
            "prenoms": self.prenoms,
            "date_naissance": french_date(self.date_naissance),
            "lieu_naissance": self.typed_place(),
        }

    def as_registry(self, role: str | None = None) -> dict[str, Any]:
        record: dict[str, Any] = {
            "nir": self.nir,
            "civilite": self.civilite,
            "nom_naissance": self.nom_naissance,
            "prenoms": self.prenoms,
            "date_naissance": self.date_naissance.isoformat(),
            "lieu_naissance": self.lieu_naissance,
            "pieces": [d.as_registry() for d in self.documents],
        }
        if role is not None:
            record["role"] = role
        return record


@dataclass
class Foyer:
    id: str
    procuration: bool
    members: list[tuple[str, Person]]  # (registry role, person)

    def member(self, registry_role: str) -> Person:
        for role, person in self.members:
            if role == registry_role:
                return person
        raise KeyError(registry_role)

    def as_registry(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "procuration": self.procuration,
            "membres": [person.as_registry(role) for role, person in self.members],
        }


# Role of « Bon à savoir » (rules.roles.Role value) → (registry role of the person, procuration).
_FOYER_PLACE = {
    "responsable": ("responsable", False),
    "conjoint_sans_procuration": ("conjoint", False),
    "conjoint_avec_procuration": ("conjoint", True),
    "enfant": ("enfant", False),
    "personne_a_charge": ("personne_a_charge", False),
}


class DataFactory:
    """Builds the data of one scenario (deterministic for a seed, unique per scenario)."""

    def __init__(self, seed: int, pool: Any = None, place_as: str = "code", settings: Any = None):
        """``pool``: where persons come from instead of being invented (``steps.identities``:
        the profile's test identities, or a refusal on a site where inventing one is not allowed).
        ``place_as``: how the site asks for the birth place (``PLACE_AS``). ``settings``: the rule
        parameters of the site (its password rule; the guide's when not given)."""
        self.pool = pool
        self.place_as = place_as
        if settings is None:
            from moncompte.rules import DEFAULTS as settings
        self.password_rule = (
            settings["MDP-LONGUEUR"]["min"],
            settings["MDP-LONGUEUR"]["max"],
            settings["MDP-CHIFFRE"]["min"],
            settings["MDP-MAJUSCULE"]["min"],
            settings["MDP-MINUSCULE"]["min"],
        )
        self.seed = seed
        self.random = random.Random(seed)
        self.faker = Faker("fr_FR")
        self.faker.seed_instance(seed)
        self.token = "".join(self.random.choices(string.ascii_lowercase + string.digits, k=8))
        self._count = 0

    def unique(self) -> str:
        """A short token unique to this scenario (and to each call)."""
        self._count += 1
        return f"{self.token}{self._count}"

    # ── documents ─────────────────────────────────────────────────────────
    def document(self, kind: str = "cni") -> Document:
        r = self.random
        alnum = string.ascii_uppercase + string.digits
        if kind == "cni":
            number = "".join(r.choices(alnum, k=9))
        elif kind == "cni_ancienne":
            year = r.randint(5, 20)
            number = f"{year:02d}{r.randint(1, 12):02d}" + "".join(r.choices(alnum, k=3)) + f"{r.randint(0, 99999):05d}"
            kind = "cni"
        elif kind == "passeport":
            number = (
                f"{r.randint(0, 99):02d}"
                + "".join(r.choices(string.ascii_uppercase, k=2))
                + f"{r.randint(0, 99999):05d}"
            )
        elif kind == "titre_sejour":
            number = f"{r.randint(0, 9_999_999_999):010d}"
        else:
            raise ValueError(f"type de titre inconnu : {kind}")
        return Document(kind, number)

    # ── contact details ───────────────────────────────────────────────────
    def fill_digits(self, template: str) -> str:
        """Replace each ``#`` of a feature's value by a digit drawn for this scenario.

        A telephone template is redrawn until the number exists in the numbering plan
        (so « +596 696 ## ## ## » gives a real Martinique mobile); that only picks a
        sample of the class the example names, it never decides acceptance.
        """
        if "#" not in template:
            return template
        for _ in range(500):
            value = re.sub("#", lambda _m: str(self.random.randint(0, 9)), template)
            if "@" in value or _is_real_phone_number(value):
                return value
        return value

    def email_for(self, person: Person) -> str:
        local = f"{_ascii_slug(person.prenoms.split()[0])}.{_ascii_slug(person.nom_naissance)}.{self.unique()}"
        return f"{local[:60]}@exemple.fr"

    def mobile(self) -> str:
        return self.fill_digits("06 ## ## ## ##")

    # ── persons ───────────────────────────────────────────────────────────
    def person(
        self,
        *,
        civilite: str | None = None,
        birth: date | None = None,
        place: str = "métropole",
        with_nir: bool = True,
        document_kind: str | None = "cni",
        role: str = "non_allocataire",
    ) -> Person:
        if self.pool is not None:
            person = self.pool.person(
                civilite=civilite, birth=birth, place=place, with_nir=with_nir, document_kind=document_kind, role=role
            )
            return self.contact_for(person)
        f, r = self.faker, self.random
        civilite = civilite or r.choice(["Madame", "Monsieur"])
        female = civilite == "Madame"
        first = f.first_name_female() if female else f.first_name_male()
        second = f.first_name_female() if female else f.first_name_male()
        prenoms = first if r.random() < 0.5 or second == first else f"{first} {second}"
        birth = birth or f.date_of_birth(minimum_age=19, maximum_age=80)
        place_code = place if INSEE_CODE.fullmatch(place) else r.choice(PLACES[place])
        nir = build_nir("2" if female else "1", birth, place_code, r.randint(1, 999)) if with_nir else None
        person = Person(
            civilite=civilite,
            nom_naissance=_letters_only(f.last_name()),
            prenoms=_letters_only(prenoms),
            date_naissance=birth,
            lieu_naissance=place_code,
            lieu_naissance_nom=PLACE_NAMES.get(place_code),
            nir=nir,
            documents=[self.document("cni" if document_kind == "toute" else document_kind)] if document_kind else [],
            role=role,
        )
        return self.contact_for(person)

    def contact_for(self, person: Person) -> Person:
        """Give a person this scenario's own e-mail, mobile and password (never shared), and the way
        this site asks for a birth place."""
        person.place_as = self.place_as
        person.email = self.email_for(person)
        person.mobile = self.mobile()
        person.password = self.password()
        return person

    def password(self) -> str:
        """A password the site's rule accepts (``password_rule``: its length range and the digits,
        upper-case and lower-case letters it asks for; 12 characters within the guide's 8 to 24)."""
        r = self.random
        low, high, digits, uppers, lowers = self.password_rule
        length = min(max(12, low, digits + uppers + lowers), high)
        needed = (
            [r.choice(string.digits) for _ in range(digits)]
            + [r.choice(string.ascii_uppercase) for _ in range(uppers)]
            + [r.choice(string.ascii_lowercase) for _ in range(lowers)]
        )
        core = r.choices(string.ascii_letters + string.digits, k=max(length - len(needed), 0))
        return "".join(needed[:1] + core + needed[1:])

    # ── foyers ────────────────────────────────────────────────────────────
    def foyer_for(self, role: str, *, age: Age | None = None) -> tuple[Foyer | None, Person]:
        """The foyer that gives a person the role ``role`` (a rules.roles.Role value).

        ``non_allocataire``: no foyer. Otherwise a foyer with a responsable and, as the
        role needs, a conjoint (procuration set for ``conjoint_avec_procuration``), a child
        (16 to 19 unless ``age`` is given) or a personne à charge.
        """
        birth = age.birth_date() if age is not None else None
        if role == "non_allocataire":
            return None, self.person(birth=birth, role=role)
        if self.pool is not None:
            foyer, person = self.pool.foyer_for(role, age=age)
            for _, member in foyer.members:
                self.contact_for(member)
            return foyer, person
        registry_role, procuration = _FOYER_PLACE[role]
        if registry_role == "enfant" and birth is None:
            birth = add_years(date.today(), -self.random.randint(16, 19)) - timedelta(days=self.random.randint(1, 300))
        person = self.person(birth=birth, role=role)
        members: list[tuple[str, Person]] = [(registry_role, person)]
        if registry_role != "responsable":
            members.insert(0, ("responsable", self.person(role="responsable")))
        if registry_role == "responsable":
            members.append(("conjoint", self.person(role="conjoint_sans_procuration")))
        return Foyer(self.foyer_id(), procuration, members), person

    def couple(self, procuration: bool = False) -> Foyer:
        """A foyer of a responsable and a conjoint."""
        if self.pool is not None:
            foyer, _ = self.pool.foyer_for("conjoint_avec_procuration" if procuration else "conjoint_sans_procuration")
            for _, member in foyer.members:
                self.contact_for(member)
            return foyer
        responsable = self.person(civilite="Madame", role="responsable")
        conjoint = self.person(
            civilite="Monsieur",
            role="conjoint_avec_procuration" if procuration else "conjoint_sans_procuration",
        )
        return Foyer(self.foyer_id(), procuration, [("responsable", responsable), ("conjoint", conjoint)])

    def foyer_id(self) -> str:
        return f"F{self.random.randint(0, 10**12 - 1):012d}"


def _letters_only(text: str) -> str:
    """Faker's names as the état civil form accepts them (letters, spaces, hyphens, apostrophes)."""
    return re.sub(r"[^\w '\-]|[\d_]", "", text).strip() or "Martin"


def _is_real_phone_number(text: str) -> bool:
    regions = (None,) if text.strip().startswith("+") else _PHONE_REGIONS
    for region in regions:
        try:
            number = phonenumbers.parse(text, region or "FR")
        except phonenumbers.NumberParseException:
            return False
        if phonenumbers.is_valid_number(number):
            return True
    return False
