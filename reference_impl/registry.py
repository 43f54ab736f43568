"""The identity registry: foyers and persons against which step ⑤ confirms an identity.

Holds the registry format (pydantic), loading ``data/registry.json`` and test
additions into the database, identity matching, the role a person gets, and
the generator of the data file::

    python -m reference_impl.registry --seed 42 --output reference_impl/data/registry.json
"""

from __future__ import annotations

import argparse
import json
import unicodedata
from datetime import date, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, model_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from moncompte.reference_impl.db import Foyer, Meta, RegistryDocument, RegistryPerson
from moncompte.rules import nir as nir_rules
from moncompte.rules import piece_identite as identity_document
from moncompte.rules.coordonnees import validate_mobile
from moncompte.rules.roles import Role

DATA_FILE = Path(__file__).parent / "data" / "registry.json"

FoyerRole = Literal["responsable", "conjoint", "enfant", "personne_a_charge"]


# ── the format ────────────────────────────────────────────────────────────────
class PieceIn(BaseModel):
    type_titre: Literal["cni", "passeport", "titre_sejour"]
    numero_titre: str


class PersonIn(BaseModel):
    """A person of the registry. Extra keys (``cas``, ``mobile``: hints for humans and test data) are ignored."""

    role: FoyerRole | None = None
    nir: str | None = None
    civilite: Literal["Madame", "Monsieur"]
    nom_naissance: str
    prenoms: str
    date_naissance: date
    lieu_naissance: str
    pieces: list[PieceIn] = []


class FoyerIn(BaseModel):
    id: str | None = None
    procuration: bool = False
    membres: list[PersonIn]

    @model_validator(mode="after")
    def _members_have_roles(self) -> "FoyerIn":
        if any(m.role is None for m in self.membres):
            raise ValueError("chaque membre d'un foyer a un rôle")
        return self


class RegistryIn(BaseModel):
    genere_pour: date | None = None
    foyers: list[FoyerIn] = []
    personnes: list[PersonIn] = []


# ── storing ───────────────────────────────────────────────────────────────────
def _person_row(person: PersonIn, *, in_foyer: bool) -> RegistryPerson:
    return RegistryPerson(
        foyer_role=person.role if in_foyer else None,
        nir=nir_rules.normalize(person.nir) if person.nir else None,
        civilite=person.civilite,
        nom_naissance=person.nom_naissance,
        prenoms=person.prenoms,
        date_naissance=person.date_naissance,
        lieu_naissance=person.lieu_naissance.upper(),
        pieces=[
            RegistryDocument(type_titre=p.type_titre, numero=identity_document.canonical(p.numero_titre, p.type_titre))
            for p in person.pieces
        ],
    )


def put_foyer(db: Session, foyer: FoyerIn, default_id: str) -> Foyer:
    """Add a foyer, or replace the members and procuration of the foyer with that id."""
    row = db.get(Foyer, foyer.id or default_id)
    if row is None:
        row = Foyer(id=foyer.id or default_id)
        db.add(row)
    row.procuration = foyer.procuration
    row.membres = [_person_row(m, in_foyer=True) for m in foyer.membres]
    db.flush()
    return row


def add_person(db: Session, person: PersonIn) -> RegistryPerson:
    """Add a person who belongs to no foyer."""
    row = _person_row(person, in_foyer=False)
    db.add(row)
    db.flush()
    return row


def load_file(sessions: sessionmaker, path: Path = DATA_FILE) -> None:
    """Load the registry file once per database (safe when several workers start together)."""
    if not path.exists():
        return
    data = RegistryIn.model_validate_json(path.read_text(encoding="utf-8"))
    try:
        with sessions.begin() as db:
            if db.get(Meta, "registry_file") is not None:
                return
            db.add(Meta(key="registry_file", value=str(data.genere_pour or "")))
            db.flush()  # another worker loading at the same time fails here
            for i, foyer in enumerate(data.foyers, start=1):
                put_foyer(db, foyer, default_id=f"F{i:04d}")
            for person in data.personnes:
                add_person(db, person)
    except IntegrityError:
        pass


# ── matching and roles ────────────────────────────────────────────────────────
def fold(text: str | None) -> str:
    """Accent- and case-insensitive form of a name: « Élodie  d’Arc » → « elodie d'arc »."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("’", "'").casefold().split())


def first_given_name(prenoms: str | None) -> str:
    names = fold(prenoms).split(" ")
    return names[0] if names else ""


def same_identity(person: RegistryPerson, *, nom: str, prenoms: str, born: date, nir: str | None) -> bool:
    """Same birth name, first given name and birth date (and NIR when one was entered)."""
    return (
        fold(person.nom_naissance) == fold(nom)
        and first_given_name(person.prenoms) == first_given_name(prenoms)
        and person.date_naissance == born
        and (not nir or person.nir == nir)
    )


def find_by_document(db: Session, type_titre: str, numero: str, **identity) -> RegistryPerson | None:
    """The registry person who holds that document and has that identity (newest first)."""
    candidates = db.scalars(
        select(RegistryPerson)
        .join(RegistryDocument)
        .where(RegistryDocument.type_titre == type_titre, RegistryDocument.numero == numero)
        .order_by(RegistryPerson.id.desc())
    )
    return next((p for p in candidates if same_identity(p, **identity)), None)


def find_by_nir(db: Session, nir: str, **identity) -> RegistryPerson | None:
    candidates = db.scalars(select(RegistryPerson).where(RegistryPerson.nir == nir).order_by(RegistryPerson.id.desc()))
    return next((p for p in candidates if same_identity(p, nir=nir, **identity)), None)


def find_by_identity(
    db: Session, *, civilite: str, nom: str, prenoms: str, born: date, lieu: str
) -> RegistryPerson | None:
    """The registry person with exactly that identity (an identity provider's: all given names, civilité
    and birth place too, accent- and case-insensitive), newest first."""
    candidates = db.scalars(
        select(RegistryPerson)
        .where(
            RegistryPerson.date_naissance == born,
            RegistryPerson.lieu_naissance == (lieu or "").upper(),
            RegistryPerson.civilite == civilite,
        )
        .order_by(RegistryPerson.id.desc())
    )
    return next(
        (p for p in candidates if fold(p.nom_naissance) == fold(nom) and fold(p.prenoms) == fold(prenoms)), None
    )


def role_of(foyer_role: str | None, procuration: bool) -> Role:
    """The role of a person from their place in the foyer (none: not yet allocataire)."""
    if foyer_role is None:
        return Role.NON_ALLOCATAIRE
    if foyer_role == "conjoint":
        return Role.CONJOINT_AVEC_PROCURATION if procuration else Role.CONJOINT_SANS_PROCURATION
    return Role(foyer_role)


# ── the generator ─────────────────────────────────────────────────────────────
# INSEE codes used by the generator (commune, or 99 + country).
PLACES = {
    "paris": "75056",
    "lyon": "69123",
    "marseille": "13055",
    "lille": "59350",
    "toulouse": "31555",
    "ajaccio": "2A004",
    "bastia": "2B033",
    "saint_denis_reunion": "97411",
    "pointe_a_pitre": "97120",
    "portugal": "99139",
    "maroc": "99350",
    "algerie": "99352",
}


def _years_ago(today: date, years: int, extra_days: int) -> date:
    try:
        anniversary = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year - years, day=28)
    return anniversary - timedelta(days=extra_days)


def digits_of(rnd, n: int) -> str:
    return "".join(rnd.choice("0123456789") for _ in range(n))


def mobile_of(rnd, prefix: str, length: int) -> str:
    """A mobile number with that prefix that the rules accept (drawn again until it is valid)."""
    while True:
        number = prefix + digits_of(rnd, length - len(prefix))
        if not validate_mobile(number):
            return number


def generate(seed: int, today: date) -> dict:
    """A registry of synthetic, internally consistent persons covering every role and edge case."""
    from faker import Faker  # only the generator needs Faker

    fake = Faker("fr_FR")
    fake.seed_instance(seed)
    rnd = fake.random
    alnum = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"

    def document(kind: str) -> dict:
        number = {
            "cni": lambda: "".join(rnd.choice(alnum) for _ in range(9)),
            "cni_ancienne": lambda: (
                f"{rnd.randint(10, 20):02d}{rnd.randint(1, 12):02d}"
                + "".join(rnd.choice(alnum) for _ in range(3))
                + digits_of(rnd, 5)
            ),
            "passeport": lambda: (
                digits_of(rnd, 2) + "".join(rnd.choice("ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(2)) + digits_of(rnd, 5)
            ),
            "titre_sejour": lambda: digits_of(rnd, 10),
        }[kind]()
        return {"type_titre": "cni" if kind == "cni_ancienne" else kind, "numero_titre": number}

    def person(cas, role, civilite, born, place, documents, *, with_nir=True, nir_place=None, mobile=None):
        sex = "1" if civilite == "Monsieur" else "2"
        first = fake.first_name_male() if sex == "1" else fake.first_name_female()
        second = fake.first_name_male() if sex == "1" else fake.first_name_female()
        return {
            "cas": cas,
            **({"role": role} if role else {}),
            "nir": nir_rules.build(sex, born, nir_place or place, rnd.randint(1, 999)) if with_nir else None,
            "civilite": civilite,
            "nom_naissance": fake.last_name().upper(),
            "prenoms": f"{first} {second}",
            "date_naissance": born.isoformat(),
            "lieu_naissance": place,
            "pieces": [document(k) for k in documents],
            "mobile": mobile or mobile_of(rnd, "+336", 12),
        }

    p = PLACES
    foyers = [
        {
            "id": "F0001",
            "procuration": False,
            "membres": [
                person(
                    "responsable né en Corse (2A)", "responsable", "Monsieur", date(1984, 5, 17), p["ajaccio"], ["cni"]
                ),
                person(
                    "conjointe sans procuration, née en Corse (2B)",
                    "conjoint",
                    "Madame",
                    date(1986, 11, 2),
                    p["bastia"],
                    ["passeport"],
                ),
                person("enfant de 16 ans", "enfant", "Monsieur", _years_ago(today, 16, 40), p["paris"], ["cni"]),
                person("enfant de 15 ans", "enfant", "Madame", _years_ago(today, 15, 100), p["lyon"], ["cni"]),
                person(
                    "personne à charge née à l'étranger (Portugal)",
                    "personne_a_charge",
                    "Madame",
                    date(1948, 3, 9),
                    p["portugal"],
                    ["titre_sejour"],
                ),
            ],
        },
        {
            "id": "F0002",
            "procuration": True,
            "membres": [
                person(
                    "responsable née à La Réunion, portable d'outre-mer, ancienne carte d'identité",
                    "responsable",
                    "Madame",
                    date(1979, 8, 23),
                    p["saint_denis_reunion"],
                    ["cni_ancienne"],
                    mobile=mobile_of(rnd, "+262692", 13),
                ),
                person(
                    "conjoint avec procuration, portable de Guadeloupe",
                    "conjoint",
                    "Monsieur",
                    date(1977, 1, 30),
                    p["marseille"],
                    ["passeport"],
                    mobile=mobile_of(rnd, "+590690", 13),
                ),
            ],
        },
    ]
    personnes = [
        person("pas encore allocataire", None, "Madame", date(1995, 6, 12), p["lille"], ["cni"]),
        person(
            "sans numéro de sécurité sociale (identifiant provisoire), né au Maroc",
            None,
            "Monsieur",
            date(1990, 2, 14),
            p["maroc"],
            ["titre_sejour"],
            with_nir=False,
        ),
        person("sans pièce d'identité française, née en Algérie", None, "Madame", date(1988, 9, 5), p["algerie"], []),
        person(
            "né en Corse avant 1976 (département 20 dans le numéro)",
            None,
            "Monsieur",
            date(1969, 4, 1),
            p["ajaccio"],
            ["passeport"],
            nir_place="20004",
        ),
        person(
            "née en Guadeloupe, portable d'outre-mer",
            None,
            "Madame",
            date(2001, 12, 24),
            p["pointe_a_pitre"],
            ["cni"],
            mobile=mobile_of(rnd, "+590690", 13),
        ),
    ]
    return {"genere_pour": today.isoformat(), "graine": seed, "foyers": foyers, "personnes": personnes}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Régénère le registre d'identités synthétiques.")
    parser.add_argument("--seed", type=int, default=42, help="graine (même graine et même date : même fichier)")
    parser.add_argument("--output", type=Path, default=DATA_FILE)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=date.today(),
        help="date de référence des âges (AAAA-MM-JJ ; par défaut aujourd'hui)",
    )
    args = parser.parse_args(argv)
    data = generate(args.seed, args.today)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{args.output} : {len(data['foyers'])} foyers, {len(data['personnes'])} personnes hors foyer")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
