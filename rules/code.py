"""Code de confirmation (steps ⑥ ⑦): its format. Issuing and checking live with the target."""

from __future__ import annotations

import re

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings

MSG_REQUIS = "Ce champ est obligatoire : Code de confirmation."
MSG_FORMAT = "Le code de confirmation comporte {n} chiffres."
MSG_FAUX = "Le code de confirmation est incorrect. Il vous reste {restants} essai(s)."
MSG_EPUISE = "Trop d'essais : ce code n'est plus valable. Demandez un nouveau code."
MSG_EXPIRE = "Ce code a expiré. Demandez un nouveau code."
MSG_UTILISE = "Ce code n'est plus valable. Demandez un nouveau code."
MSG_RENVOI = "Un code vient d'être envoyé. Vous pourrez en demander un nouveau dans {secondes} secondes."


def validate_code_format(value: str | None, settings: Settings = DEFAULTS) -> list[Refusal]:
    text = re.sub(r"\s", "", value or "")
    length = settings["CODE-FORMAT"]["longueur"]
    if not text:
        return [Refusal("CODE-VALIDATION", "code", MSG_REQUIS)]
    if not re.fullmatch(rf"[0-9]{{{length}}}", text):
        return [Refusal("CODE-FORMAT", "code", MSG_FORMAT.format(n=length))]
    return []
