"""The reference's messages, each with a stable ID: the wording is ours, not the guide's.

The guide prescribes behaviour (a refused NIR, a password too short), never the words a
site shows. The features quote the reference's words as the example a product owner reads;
on the reference they are checked word for word. Another site shows its own words: by
default the harness checks that the refusal is shown and tied to its field, and a site
profile may give the site's own text for any message ID (``[messages]``), which is then
checked instead (``steps/PROFILS.md``). ``moncompte rules --messages`` lists them.

Each message names the rule it illustrates and the form field it is about. Its text may
hold placeholders: a rule's parameter (``{min}``, ``{longueur_max}``: the site's value is
put in), ``{s}`` (the plural of the number before it), or a value of the moment
(``{role}``, ``{action}``, ``{secondes}``: any text matches it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from moncompte.rules import code, nir, roles
from moncompte.rules import coordonnees as contact
from moncompte.rules import etat_civil as civil_status
from moncompte.rules import mot_de_passe as password
from moncompte.rules import piece_identite as identity_document
from moncompte.rules.piece_identite import DocumentKind

# Messages of the reference written nowhere else in rules/ (reference_impl imports them from here).
MSG_PI_VERIFICATION = "Le numéro du titre d'identité ne correspond pas à l'identité saisie."
MSG_FC_STATE = (
    "La connexion avec FranceConnect n'a pas pu être vérifiée (demande inconnue, expirée ou déjà"
    " utilisée). Aucun compte n'a été créé ni ouvert : recommencez depuis le site."
)
MSG_FC_ANNULE = "Vous avez annulé la connexion avec FranceConnect. Aucun compte n'a été créé ni ouvert."
MSG_FC_IDENTITE_INCONNUE = (
    "Votre identité FranceConnect ne correspond à aucune personne connue de la Caf. Aucun compte n'a été créé :"
    " créez votre compte en renseignant votre état civil, ou contactez votre Caf."
)
MSG_FC_AUCUN_COMPTE = (
    "Aucun compte Mon Compte n'est associé à cette identité FranceConnect. Créez votre compte avec FranceConnect."
)


@dataclass(frozen=True)
class Message:
    """A message of the reference: ``id`` (stable), the ``rule`` it illustrates, the ``field`` it is
    about (a form field name, ``None`` when it is about no field) and its ``text`` (a template)."""

    id: str
    rule: str
    field: str | None
    text: str
    values_of: str = ""  # the rule whose parameters fill the text's placeholders (default: ``rule``)

    @property
    def parameters_rule(self) -> str:
        return self.values_of or self.rule

    @property
    def pattern(self) -> re.Pattern[str]:
        """The text with any value in place of each placeholder (to recognise it, whatever the values)."""
        parts = re.split(r"(\{[^{}]+\})", self.text)
        body = "".join(
            ("s?" if p == "{s}" else ".+?") if p.startswith("{") and p.endswith("}") else re.escape(p) for p in parts
        )
        return re.compile(body, re.DOTALL)


def _required(field: str, label: str, rule: str) -> Message:
    return Message(f"requis.{field}", rule, field, civil_status.MSG_REQUIS.format(label=label))


_NIR, _CS = nir, civil_status
MESSAGES: tuple[Message, ...] = (
    # ④ état civil
    _required("nir", _CS.LABELS["nir"], "EC-CHAMPS"),
    _required("nom_naissance", _CS.LABELS["nom_naissance"], "EC-NOM-NAISSANCE"),
    _required("prenoms", _CS.LABELS["prenoms"], "EC-PRENOMS"),
    _required("date_naissance", _CS.LABELS["date_naissance"], "EC-DATE-NAISSANCE"),
    _required("lieu_naissance", _CS.LABELS["lieu_naissance"], "EC-LIEU-NAISSANCE"),
    Message("nir.format", "NIR-FORMAT", "nir", _NIR.MSG_FORMAT),
    Message("nir.cle", "NIR-CLE", "nir", _NIR.MSG_CLE),
    Message("nir.sexe", "NIR-SEXE", "nir", _NIR.MSG_SEXE),
    Message("nir.sexe_inconnu", "NIR-SEXE", "nir", _NIR.MSG_SEXE_INCONNU),
    Message("nir.nia", "NIR-SEXE", "nir", _NIR.MSG_NIA),
    Message("nir.mois", "NIR-NAISSANCE", "nir", _NIR.MSG_MOIS),
    Message("nir.naissance", "NIR-NAISSANCE", "nir", _NIR.MSG_NAISSANCE),
    Message("nir.lieu", "NIR-LIEU", "nir", _NIR.MSG_LIEU),
    Message("nir.sans", "ID-PROVISOIRE", "nir", _CS.MSG_NIR_SANS),
    Message("civilite", "EC-CIVILITE", "civilite", _CS.MSG_CIVILITE),
    Message("nom_naissance.caracteres", "EC-NOM-NAISSANCE", "nom_naissance", _CS.MSG_NOM),
    Message(
        "nom_naissance.longueur", "EC-NOM-NAISSANCE", "nom_naissance", _CS.MSG_NOM_LONG.format(max="{longueur_max}")
    ),
    Message("prenoms.caracteres", "EC-PRENOMS", "prenoms", _CS.MSG_PRENOMS),
    Message("prenoms.longueur", "EC-PRENOMS", "prenoms", _CS.MSG_PRENOMS_LONG.format(max="{longueur_max}")),
    Message("date_naissance.invalide", "EC-DATE-NAISSANCE", "date_naissance", _CS.MSG_DATE),
    Message("date_naissance.future", "EC-DATE-NAISSANCE", "date_naissance", _CS.MSG_DATE_FUTURE),
    Message(
        "date_naissance.ancienne",
        "EC-DATE-NAISSANCE",
        "date_naissance",
        _CS.MSG_DATE_ANCIENNE.format(min="{annee_min}"),
    ),
    Message("lieu_naissance.code", "EC-LIEU-NAISSANCE", "lieu_naissance", _CS.MSG_LIEU),
    Message("enfant.age", "ROLE-ENFANT-AGE", None, roles.MSG_TROP_JEUNE.format(age="{age_min}"), "ROLE-ENFANT-15"),
    # ⑤ pièce d'identité
    Message("requis.numero_titre", "PI-NUMERO", "numero_titre", identity_document.MSG_REQUIS),
    Message("titre.type", "PI-NUMERO", "type_titre", identity_document.MSG_TYPE),
    Message("titre.format_cni", "PI-NUMERO", "numero_titre", identity_document.MSG_FORMAT[DocumentKind.CNI]),
    Message(
        "titre.format_passeport", "PI-NUMERO", "numero_titre", identity_document.MSG_FORMAT[DocumentKind.PASSEPORT]
    ),
    Message(
        "titre.format_titre_sejour",
        "PI-NUMERO",
        "numero_titre",
        identity_document.MSG_FORMAT[DocumentKind.TITRE_SEJOUR],
    ),
    Message("titre.controle", "PI-CONTROLE-MRZ", "numero_titre", identity_document.MSG_MRZ),
    Message("titre.verification", "PI-VERIFICATION", "numero_titre", MSG_PI_VERIFICATION),
    # ⑥ coordonnées
    Message("requis.email", "CONTACT-COORDONNEES", "email", contact.MSG_EMAIL_REQUIS),
    Message("requis.mobile", "CONTACT-COORDONNEES", "mobile", contact.MSG_MOBILE_REQUIS),
    Message("email.invalide", "CONTACT-EMAIL", "email", contact.MSG_EMAIL),
    Message("email.longueur", "CONTACT-EMAIL", "email", contact.MSG_EMAIL_LONG.format(max="{longueur_max}")),
    Message("mobile.invalide", "CONTACT-MOBILE", "mobile", contact.MSG_MOBILE),
    Message("mobile.fixe", "CONTACT-MOBILE", "mobile", contact.MSG_FIXE),
    # ⑦ code
    Message("requis.code", "CODE-VALIDATION", "code", code.MSG_REQUIS),
    Message("code.format", "CODE-FORMAT", "code", code.MSG_FORMAT.format(n="{longueur}")),
    Message("code.faux", "CODE-VALIDATION", "code", code.MSG_FAUX),
    Message("code.epuise", "CODE-TENTATIVES", "code", code.MSG_EPUISE),
    Message("code.expire", "CODE-EXPIRATION", "code", code.MSG_EXPIRE),
    Message("code.utilise", "CODE-USAGE-UNIQUE", "code", code.MSG_UTILISE),
    Message("code.renvoi", "CODE-RENVOI", None, code.MSG_RENVOI),
    # ⑧ mot de passe
    Message("mdp.longueur", "MDP-LONGUEUR", "mot_de_passe", password.MSG_LONGUEUR),
    Message("mdp.chiffre", "MDP-CHIFFRE", "mot_de_passe", password.MSG_CHIFFRE.format(n="{min}", s="{s}")),
    Message("mdp.majuscule", "MDP-MAJUSCULE", "mot_de_passe", password.MSG_MAJUSCULE.format(n="{min}", s="{s}")),
    Message("mdp.minuscule", "MDP-MINUSCULE", "mot_de_passe", password.MSG_MINUSCULE.format(n="{min}", s="{s}")),
    # rôles du foyer
    Message("role.interdit", "ROLE-CONJOINT-SANS-PROCURATION", None, roles.MSG_INTERDIT),
    # FranceConnect
    Message("fc.state", "FC-CREATION", None, MSG_FC_STATE),
    Message("fc.annule", "FC-CREATION", None, MSG_FC_ANNULE),
    Message("fc.identite_inconnue", "FC-CREATION", None, MSG_FC_IDENTITE_INCONNUE),
    Message("fc.aucun_compte", "FC-CONNEXION", None, MSG_FC_AUCUN_COMPTE),
)
BY_ID: dict[str, Message] = {m.id: m for m in MESSAGES}


def find(text: str) -> Message:
    """The message whose template ``text`` is (a feature's text, its placeholders written or filled in).

    Raises ``KeyError`` (in French) when no message of the catalogue has that text.
    """
    wanted = " ".join(text.split())
    for message in MESSAGES:
        if message.text == wanted:
            return message
    for message in MESSAGES:
        if message.pattern.fullmatch(wanted):
            return message
    raise KeyError(f"aucun message du catalogue (rules/messages.py) n'a ce texte : « {text} »")


def render(template: str, values: dict) -> str:
    """``template`` with each parameter placeholder replaced by its value (``{min}``, ``{essais_max - 1}``)
    and ``{s}`` by the plural of the number before it; other placeholders stay as written."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1).strip()
        found = re.fullmatch(r"(\w+)\s*(?:([-+−])\s*(\d+))?", expression)
        if not found or found.group(1) not in values:
            return match.group(0)
        result = values[found.group(1)]
        if found.group(2):
            step = int(found.group(3))
            result = result + step if found.group(2) == "+" else result - step
        return str(result)

    text = re.sub(r"\{([^{}]+)\}", lambda m: m.group(0) if m.group(1) == "s" else value(m), template)
    # « {s} » after « au moins 2 chiffre »: the plural of the last number written before it
    while "{s}" in text:
        head, _, tail = text.partition("{s}")
        numbers = re.findall(r"\d+", head)
        text = head + ("s" if numbers and int(numbers[-1]) > 1 else "") + tail
    return text


__all__ = ["BY_ID", "MESSAGES", "Message", "find", "render"]
