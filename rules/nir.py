"""Numéro de sécurité sociale (NIR): format, key, and consistency with the état civil.

``stdnum.fr.nir`` checks length, format and key; the sex digit, the birth year and
month and the birth department are checked here against what the user entered.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from stdnum.fr import nir as stdnum_nir

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings

FIELD = "nir"

MSG_FORMAT = (
    "Le numéro de sécurité sociale doit comporter 15 caractères : 13 chiffres"
    " (2A ou 2B pour la Corse) suivis d'une clé de 2 chiffres."
)
MSG_CLE = "La clé du numéro de sécurité sociale est incorrecte : vérifiez le numéro saisi."
MSG_SEXE = "Le premier chiffre du numéro de sécurité sociale ne correspond pas à la civilité."
MSG_SEXE_INCONNU = "Le premier chiffre du numéro de sécurité sociale doit être 1 (homme) ou 2 (femme)."
MSG_MOIS = "Le mois de naissance du numéro de sécurité sociale (4e et 5e chiffres) n'existe pas."
MSG_NIA = (
    "Ce numéro est un numéro d'attente : sans numéro de sécurité sociale, un identifiant provisoire vous sera fourni."
)
MSG_NAISSANCE = (
    "L'année ou le mois de naissance du numéro de sécurité sociale ne correspond pas à la date de naissance."
)
MSG_LIEU = "Le lieu de naissance du numéro de sécurité sociale ne correspond pas au lieu de naissance saisi."

_SHAPE = re.compile(r"^\d{5}(\d{2}|2A|2B)\d{8}$", re.ASCII)  # ASCII: no full-width digits
_MONTH = re.compile(r"^(0[1-9]|1[0-2]|[23]\d|4[0-2]|[5-9]\d)$")
_SEX_BY_CIVILITE = {"Monsieur": "1", "Madame": "2"}
_NIA_BY_CIVILITE = {"Monsieur": "7", "Madame": "8"}


@dataclass(frozen=True)
class Nir:
    """The parts of a well-formed NIR."""

    sex: str
    year: str
    month: str
    department: str  # 2 characters (3 for overseas 97x/98x); "99" when born abroad
    commune: str  # 3 characters (2 for overseas); INSEE country code when born abroad
    order: str
    key: str

    @property
    def place_code(self) -> str:
        """The 5-character INSEE code the NIR encodes (commune, or 99 + country)."""
        return self.department + self.commune

    @property
    def month_known(self) -> bool:
        return 1 <= int(self.month) <= 12


def normalize(value: str) -> str:
    """Strip spaces, dots and dashes users type between groups; upper-case 2a/2b."""
    return re.sub(r"[\s.\-]", "", value or "").upper()


def compute_key(body: str) -> str:
    """Key of a 13-character NIR body: 97 − (number mod 97), 2A → 19 and 2B → 18 first."""
    if len(body) != 13:
        raise ValueError("a NIR body has 13 characters")
    return stdnum_nir.calc_check_digits(body)


def parse(value: str) -> Nir | None:
    """Return the parts of a NIR of the right shape and key, or None."""
    nir = normalize(value)
    if not _SHAPE.match(nir) or not _MONTH.match(nir[3:5]) or not stdnum_nir.is_valid(nir):
        return None
    dept_len = 3 if nir[5:7] in ("97", "98") else 2
    return Nir(
        sex=nir[0],
        year=nir[1:3],
        month=nir[3:5],
        department=nir[5 : 5 + dept_len],
        commune=nir[5 + dept_len : 10],
        order=nir[10:13],
        key=nir[13:],
    )


def build(sex: str, birth: date | None, place_code: str, order: int, *, month: str | None = None) -> str:
    """Build a valid NIR for test data: sex digit, birth date, INSEE place code, order.

    ``month`` overrides the month part (e.g. "20" or "50" for an unknown month).
    """
    if birth is None and month is None:
        raise ValueError("birth date or month needed")
    yy = f"{birth.year % 100:02d}" if birth else "00"
    mm = month or f"{birth.month:02d}"
    body = f"{sex}{yy}{mm}{place_code}{order:03d}"
    return body + compute_key(body)


def validate_nir(
    value: str,
    *,
    civilite: str | None = None,
    birth_date: date | None = None,
    birth_place: str | None = None,
    settings: Settings = DEFAULTS,
) -> list[Refusal]:
    """Check a NIR, and its consistency with the other état civil fields that are given."""
    nir = normalize(value)
    if not _SHAPE.match(nir):
        return [Refusal("NIR-FORMAT", FIELD, MSG_FORMAT)]
    if not stdnum_nir.is_valid(nir):
        return [Refusal("NIR-CLE", FIELD, MSG_CLE)]
    if not _MONTH.match(nir[3:5]):
        return [Refusal("NIR-NAISSANCE", FIELD, MSG_MOIS)]
    parts = parse(nir)
    assert parts is not None  # shape, month and key checked above
    refusals: list[Refusal] = []
    if parts.sex not in "1278":
        refusals.append(Refusal("NIR-SEXE", FIELD, MSG_SEXE_INCONNU))
    elif parts.sex in "78" and not settings["NIR-SEXE"]["nia_accepte"]:
        refusals.append(Refusal("NIR-SEXE", FIELD, MSG_NIA))
    elif civilite in _SEX_BY_CIVILITE and parts.sex not in (
        _SEX_BY_CIVILITE[civilite],
        _NIA_BY_CIVILITE[civilite],
    ):
        refusals.append(Refusal("NIR-SEXE", FIELD, MSG_SEXE))
    if birth_date is not None and (
        parts.year != f"{birth_date.year % 100:02d}" or (parts.month_known and int(parts.month) != birth_date.month)
    ):
        refusals.append(Refusal("NIR-NAISSANCE", FIELD, MSG_NAISSANCE))
    if birth_place and not _same_place(parts, birth_place.strip().upper(), birth_date):
        refusals.append(Refusal("NIR-LIEU", FIELD, MSG_LIEU))
    return refusals


def _same_place(parts: Nir, place: str, birth_date: date | None) -> bool:
    if parts.department == "99" or place.startswith("99"):
        return parts.place_code == place  # born abroad: 99 + the country code
    if parts.department == "20" and place[:2] in ("2A", "2B"):
        # Corsica was department 20 until 1976: older NIRs keep it.
        return birth_date is None or birth_date.year < 1976
    return place.startswith(parts.department)
