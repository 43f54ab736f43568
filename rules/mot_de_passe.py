"""Mot de passe (step ⑧): 8 to 24 characters, at least 1 digit, 1 upper-case, 1 lower-case letter."""

from __future__ import annotations

import unicodedata

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings

FIELD = "mot_de_passe"
MSG_LONGUEUR = "Le mot de passe doit faire entre {min} et {max} caractères."
MSG_CHIFFRE = "Le mot de passe doit contenir au moins {n} chiffre{s}."
MSG_MAJUSCULE = "Le mot de passe doit contenir au moins {n} lettre{s} majuscule{s}."
MSG_MINUSCULE = "Le mot de passe doit contenir au moins {n} lettre{s} minuscule{s}."
MSG_CONTROLE = "Le mot de passe ne doit pas contenir de caractère de contrôle."

RULE_TEXT = (
    "Il doit faire entre {min} et {max} caractères et se composer d'au moins 1 chiffre,"
    " 1 lettre majuscule et 1 lettre minuscule."
)


def rule_text(settings: Settings = DEFAULTS) -> str:
    """The rule shown under the password field, with the effective parameters."""
    length = settings["MDP-LONGUEUR"]
    return RULE_TEXT.format(min=length["min"], max=length["max"])


def _plural(n: int) -> str:
    return "s" if n > 1 else ""


def _count(password: str, predicate, accents: bool) -> int:
    return sum(1 for c in password if predicate(c) and (accents or c.isascii()))


def validate_password(password: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    """Every unmet criterion, each with its own French message.

    Length is counted in characters of the NFC form (« é » is one character however it was typed).
    """
    text = unicodedata.normalize("NFC", password or "")
    refusals: list[Refusal] = []
    length = settings["MDP-LONGUEUR"]
    if not length["min"] <= len(text) <= length["max"]:
        refusals.append(Refusal("MDP-LONGUEUR", FIELD, MSG_LONGUEUR.format(**length)))
    if any(unicodedata.category(c).startswith("C") for c in text):
        refusals.append(Refusal("MDP-LONGUEUR", FIELD, MSG_CONTROLE))
    n = settings["MDP-CHIFFRE"]["min"]
    if _count(text, lambda c: c in "0123456789", True) < n:
        refusals.append(Refusal("MDP-CHIFFRE", FIELD, MSG_CHIFFRE.format(n=n, s=_plural(n))))
    upper = settings["MDP-MAJUSCULE"]
    if _count(text, str.isupper, upper["accents_acceptes"]) < upper["min"]:
        refusals.append(Refusal("MDP-MAJUSCULE", FIELD, MSG_MAJUSCULE.format(n=upper["min"], s=_plural(upper["min"]))))
    lower = settings["MDP-MINUSCULE"]
    if _count(text, str.islower, lower["accents_acceptes"]) < lower["min"]:
        refusals.append(Refusal("MDP-MINUSCULE", FIELD, MSG_MINUSCULE.format(n=lower["min"], s=_plural(lower["min"]))))
    return refusals
