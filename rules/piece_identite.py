"""Pièce d'identité (step ⑤): the number's format per kind of document, the MRZ check digit.

The guide names « carte d'identité, titre de séjour, passeport français ». Formats:
- carte nationale d'identité since 2021: 9 letters or digits;
- carte nationale d'identité before 2021: 12 characters, YYMM + 3-character code + 5 digits;
- passeport français: 2 digits, 2 letters, 5 digits;
- titre de séjour: the 10-digit foreigner number (AGDREF).
A 10th character typed after a 9-character card or passport number is the MRZ
check digit (weights 7, 3, 1; A–Z = 10–35; ``<`` = 0) and must be right.
"""

from __future__ import annotations

import re
from enum import StrEnum

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings

FIELD = "numero_titre"


class DocumentKind(StrEnum):
    CNI = "cni"
    PASSEPORT = "passeport"
    TITRE_SEJOUR = "titre_sejour"

    @property
    def label(self) -> str:
        return {
            DocumentKind.CNI: "Carte nationale d'identité",
            DocumentKind.PASSEPORT: "Passeport français",
            DocumentKind.TITRE_SEJOUR: "Titre de séjour",
        }[self]


MSG_REQUIS = "Ce champ est obligatoire : Numéro du titre d'identité."
MSG_TYPE = "Choisissez le type de titre d'identité : carte d'identité, passeport français ou titre de séjour."
MSG_FORMAT = {
    DocumentKind.CNI: (
        "Le numéro de carte d'identité doit comporter 9 lettres ou chiffres (carte délivrée depuis 2021)"
        " ou 12 caractères (ancienne carte)."
    ),
    DocumentKind.PASSEPORT: "Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres (ex. 12AB34567).",
    DocumentKind.TITRE_SEJOUR: "Le numéro de titre de séjour doit comporter 10 chiffres.",
}
MSG_MRZ = "Le chiffre de contrôle saisi après le numéro du titre d'identité est incorrect."

_FORMATS = {
    DocumentKind.CNI: (re.compile(r"^[A-Z0-9]{9}$", re.ASCII), re.compile(r"^\d{4}[A-Z0-9]{3}\d{5}$", re.ASCII)),
    DocumentKind.PASSEPORT: (re.compile(r"^\d{2}[A-Z]{2}\d{5}$", re.ASCII),),
    DocumentKind.TITRE_SEJOUR: (re.compile(r"^\d{10}$", re.ASCII),),
}
_MRZ_KINDS = (DocumentKind.CNI, DocumentKind.PASSEPORT)


def normalize(value: str | None) -> str:
    return re.sub(r"[\s\-]", "", value or "").upper()


def mrz_check_digit(text: str) -> str:
    """ICAO 9303 check digit: weights 7, 3, 1; 0–9 as is, A–Z = 10–35, ``<`` = 0."""
    total = 0
    for i, char in enumerate(text.upper()):
        if char.isdigit():
            value = int(char)
        elif "A" <= char <= "Z":
            value = ord(char) - 55
        elif char == "<":
            value = 0
        else:
            raise ValueError(f"not an MRZ character: {char!r}")
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


def validate_document_number(number: str | None, kind: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    try:
        doc = DocumentKind(kind or "")
    except ValueError:
        return [Refusal("PI-NUMERO", "type_titre", MSG_TYPE)]
    text = normalize(number)
    if not text:
        return [Refusal("PI-NUMERO", FIELD, MSG_REQUIS)]
    if doc in _MRZ_KINDS and len(text) == 10 and text[9].isdigit() and _FORMATS[doc][0].match(text[:9]):
        if mrz_check_digit(text[:9]) != text[9]:
            return [Refusal("PI-CONTROLE-MRZ", FIELD, MSG_MRZ)]
        return []
    if not any(f.match(text) for f in _FORMATS[doc]):
        return [Refusal("PI-NUMERO", FIELD, MSG_FORMAT[doc])]
    return []


def canonical(number: str, kind: str) -> str:
    """The number without its MRZ check digit, as an identity registry stores it."""
    text = normalize(number)
    if DocumentKind(kind) in _MRZ_KINDS and len(text) == 10:
        return text[:9]
    return text


def mask_document_number(number: str, settings: Settings = DEFAULTS) -> str:
    """Mask all but the last characters of a document number for the recap (« •••••4567 »)."""
    visible = settings["RECAP-PIECE-MASQUEE"]["caracteres_visibles"]
    text = normalize(number)
    shown = text[-visible:] if visible > 0 else ""
    return "•" * (len(text) - len(shown)) + shown
