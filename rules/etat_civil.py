"""État civil (step ④): civilité, names, birth date and place, and the whole form.

Inputs are normalised the same way everywhere: Unicode NFC, surrounding spaces
stripped, inner runs of spaces collapsed. Control characters are refused.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from moncompte.rules import nir as nir_rules
from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings

MSG_REQUIS = "Ce champ est obligatoire : {label}."
MSG_NIR_SANS = (
    "Vous avez indiqué ne pas avoir de numéro de sécurité sociale : laissez ce champ vide,"
    " un identifiant provisoire vous sera fourni."
)
MSG_CIVILITE = "Choisissez une civilité : Madame ou Monsieur."
MSG_NOM = "Le nom de naissance ne peut contenir que des lettres, des espaces, des tirets et des apostrophes."
MSG_NOM_LONG = "Le nom de naissance ne doit pas dépasser {max} caractères."
MSG_PRENOMS = "Les prénoms ne peuvent contenir que des lettres, des espaces, des tirets et des apostrophes."
MSG_PRENOMS_LONG = "Les prénoms ne doivent pas dépasser {max} caractères."
MSG_DATE = "La date de naissance n'est pas une date valide (format JJ/MM/AAAA)."
MSG_DATE_FUTURE = "La date de naissance ne peut pas être dans le futur."
MSG_DATE_ANCIENNE = "La date de naissance ne peut pas être antérieure au 1er janvier {min}."
MSG_LIEU = (
    "Le lieu de naissance doit être un code de commune INSEE (5 caractères, 2A ou 2B pour la Corse)"
    " ou, pour une naissance à l'étranger, un code de pays (99 suivi de 3 chiffres)."
)

LABELS = {
    "nir": "Numéro de sécurité sociale",
    "civilite": "Civilité",
    "nom_naissance": "Nom de naissance",
    "prenoms": "Prénoms",
    "date_naissance": "Date de naissance",
    "lieu_naissance": "Lieu de naissance",
}

_NAME = re.compile(r"^[^\W\d_]+(?:[ '\-’][^\W\d_]+)*$")
# INSEE codes: a commune of a département (2A/2B: Corsica), of a DROM or Saint-Pierre-et-Miquelon,
# Saint-Barthélemy, Saint-Martin (97x), of another overseas collectivity (984 TAAF, 985 Mayotte
# before 2011, 986 Wallis-et-Futuna, 987 Polynésie française, 988 Nouvelle-Calédonie, 989
# Clipperton), or a country (99 + 3 digits).
_PLACE = re.compile(r"^(?:(?:0[1-9]|[1-8]\d|9[0-5]|2A|2B)\d{3}|97[1-8]\d{2}|98[4-9]\d{2}|99\d{3})$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def clean(value: str | None) -> str:
    """NFC, stripped, inner spaces collapsed. Control characters are kept (and refused later)."""
    text = unicodedata.normalize("NFC", value or "")
    return re.sub(r"[ \t]+", " ", text).strip()


def _upper(value: str | None) -> str:
    """Capitals, still in NFC (« ΐ » in capitals is « Ϊ » + a combining accent until recomposed)."""
    return unicodedata.normalize("NFC", clean(value).upper())


def parse_date(value: str | date | None) -> date | None:
    """Parse JJ/MM/AAAA or AAAA-MM-JJ; None when it is not a real date."""
    if isinstance(value, date):
        return value
    text = clean(value)
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def validate_civilite(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    if clean(value) not in settings["EC-CIVILITE"]["valeurs"]:
        return [Refusal("EC-CIVILITE", "civilite", MSG_CIVILITE)]
    return []


def _validate_name(value, field, rule_id, msg, msg_long, settings, stored=lambda text: text) -> list[Refusal]:
    """``stored``: the form kept once accepted (the birth name in capitals), whose length is checked too."""
    text = clean(value)
    limit = settings[rule_id]["longueur_max"]
    if not text:
        return [Refusal(rule_id, field, MSG_REQUIS.format(label=LABELS[field]))]
    if max(len(text), len(stored(text))) > limit:  # « ß » → « SS », « ﬃ » → « FFI » in capitals
        return [Refusal(rule_id, field, msg_long.format(max=limit))]
    if _CONTROL.search(text) or not _NAME.match(text):
        return [Refusal(rule_id, field, msg)]
    return []


def validate_birth_name(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    return _validate_name(value, "nom_naissance", "EC-NOM-NAISSANCE", MSG_NOM, MSG_NOM_LONG, settings, str.upper)


def validate_given_names(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    return _validate_name(value, "prenoms", "EC-PRENOMS", MSG_PRENOMS, MSG_PRENOMS_LONG, settings)


def validate_birth_date(
    value: str | date | None, *, today: date | None = None, settings: Settings = DEFAULTS
) -> list[Refusal]:
    if not clean(value if isinstance(value, str) else (value and value.isoformat())):
        return [Refusal("EC-DATE-NAISSANCE", "date_naissance", MSG_REQUIS.format(label=LABELS["date_naissance"]))]
    born = parse_date(value)
    if born is None:
        return [Refusal("EC-DATE-NAISSANCE", "date_naissance", MSG_DATE)]
    if born > (today or date.today()):
        return [Refusal("EC-DATE-NAISSANCE", "date_naissance", MSG_DATE_FUTURE)]
    first_year = settings["EC-DATE-NAISSANCE"]["annee_min"]
    if born.year < first_year:
        return [Refusal("EC-DATE-NAISSANCE", "date_naissance", MSG_DATE_ANCIENNE.format(min=first_year))]
    return []


def validate_birth_place(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    code = clean(value).upper()
    if not code:
        return [Refusal("EC-LIEU-NAISSANCE", "lieu_naissance", MSG_REQUIS.format(label=LABELS["lieu_naissance"]))]
    if not _PLACE.match(code) or code == "99100":  # 99100 is France itself, not a foreign country
        return [Refusal("EC-LIEU-NAISSANCE", "lieu_naissance", MSG_LIEU)]
    return []


@dataclass(frozen=True)
class CivilStatus:
    """The six items of step ④, as entered (``nir`` may be empty: provisional identifier)."""

    nir: str
    civilite: str
    nom_naissance: str
    prenoms: str
    date_naissance: str
    lieu_naissance: str

    def normalized(self) -> "CivilStatus":
        born = parse_date(self.date_naissance)
        return CivilStatus(
            nir=nir_rules.normalize(self.nir),
            civilite=clean(self.civilite),
            nom_naissance=_upper(self.nom_naissance),
            prenoms=clean(self.prenoms),
            date_naissance=born.isoformat() if born else clean(self.date_naissance),
            lieu_naissance=_upper(self.lieu_naissance),
        )


def validate_civil_status(
    status: CivilStatus,
    *,
    without_nir: bool = False,
    today: date | None = None,
    settings: Settings = DEFAULTS,
) -> list[Refusal]:
    """Every refusal for the form of step ④, in the order of the fields.

    ``without_nir``: the user declared having no NIR (a provisional identifier
    will be issued); the NIR field must then be empty.
    """
    refusals: list[Refusal] = []
    refusals += validate_civilite(status.civilite, settings)
    refusals += validate_birth_name(status.nom_naissance, settings)
    refusals += validate_given_names(status.prenoms, settings)
    date_refusals = validate_birth_date(status.date_naissance, today=today, settings=settings)
    refusals += date_refusals
    place_refusals = validate_birth_place(status.lieu_naissance, settings)
    refusals += place_refusals
    if without_nir:
        if nir_rules.normalize(status.nir):
            refusals.insert(0, Refusal("ID-PROVISOIRE", "nir", MSG_NIR_SANS))
    else:
        if not nir_rules.normalize(status.nir):
            refusals.insert(0, Refusal("EC-CHAMPS", "nir", MSG_REQUIS.format(label=LABELS["nir"])))
        else:
            refusals[0:0] = nir_rules.validate_nir(
                status.nir,
                civilite=clean(status.civilite),
                birth_date=None if date_refusals else parse_date(status.date_naissance),
                birth_place=None if place_refusals else clean(status.lieu_naissance),
                settings=settings,
            )
    return refusals
