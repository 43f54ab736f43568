"""Where the browser driver finds each element of the pages: element key → locator.

``ELEMENTS`` holds the defaults: accessible roles and names, labels and texts,
in the guide's own words (the contract of ``reference_impl/README.md``). A site
whose pages follow the guide needs no override; a site that words or marks up
an element differently overrides that element's key in its profile
(``merge_overrides``), e.g. in TOML::

    [locators]
    envoyer_le_code = { kind = "role", value = "button", name = "Recevoir un code" }
    nir = { kind = "testid", value = "champ-nir" }
    date_naissance = { kind = "label", value = "Date de naissance", exact = false }

A ``value`` or ``name`` written between slashes (``"/^Date de naissance/i"``) is
a regular expression (flag ``i`` for case-insensitive).

``PAGES`` gives the paths of the pages the driver opens directly (the steps of
the journey, named as ``base.JOURNEY_STEPS``, from which ``current_step()`` is
read; the login page; the pages of « Mon espace »).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from moncompte.rules.model import JOURNEY_STEPS

if TYPE_CHECKING:  # Playwright is only needed to resolve, not to declare
    from playwright.sync_api import Locator, Page

Kind = Literal["role", "label", "text", "testid", "css", "field", "action", "submit"]
KINDS: tuple[str, ...] = ("role", "label", "text", "testid", "css", "field", "action", "submit")

# French words for what an element is, used in error messages.
ROLE_NOUNS = {
    "button": "bouton",
    "link": "lien",
    "textbox": "champ",
    "checkbox": "case à cocher",
    "radio": "bouton radio",
    "combobox": "liste de choix",
    "region": "région",
    "heading": "titre",
    "alert": "alerte",
    "status": "message d'état",
    "list": "liste",
    "listitem": "élément de liste",
    "table": "tableau",
    "form": "formulaire",
    "main": "contenu principal",
    "banner": "en-tête",
    "navigation": "navigation",
}
KIND_NOUNS = {
    "label": "champ",
    "text": "texte",
    "testid": "identifiant de test",
    "css": "sélecteur CSS",
    "field": "champ",
    "action": "bouton ou lien",
    "submit": "bouton d'envoi du formulaire",
}

# Words a label may start with before the guide's words (« Votre numéro de sécurité sociale »).
_LEAD = r"(?:(?:votre|vos|mon|ma|mes|le|la|les|du|de la|des)\s+|l['’]\s*)?"
# What may follow the name of a button or link (an arrow, a full stop…).
_TRAIL = r"[\s›»→>.!…*]*"
ALTERNATIVES = " | "  # separates the names of a ``field`` or ``action`` spec written in plain text


def names_pattern(value: str, *, whole: bool) -> re.Pattern[str]:
    """The accessible names of a ``field`` (``whole=False``: the label starts with one of the names, a hint
    may follow) or an ``action`` (``whole=True``: the name is one of the names) written as plain text,
    alternatives separated by `` | ``; case, typographic apostrophes and runs of spaces aside."""
    alternatives = []
    for name in value.split(ALTERNATIVES):
        escaped = re.escape(name.strip())
        escaped = escaped.replace("'", "['’]").replace(r"\ ", r"\s+")
        alternatives.append(escaped)
    body = "|".join(alternatives)
    end = f"{_TRAIL}$" if whole else r"(?![\w’'])"
    return re.compile(rf"^\s*{_LEAD}(?:{body}){end}", re.IGNORECASE)


class LocatorError(ValueError):
    """A locator override that cannot be used; the message says which and why, in French."""


def text_or_pattern(text: str) -> str | re.Pattern[str]:
    """``/…/`` or ``/…/i`` is a regular expression; anything else is plain text."""
    match = re.fullmatch(r"/(.+)/(i?)", text, flags=re.DOTALL)
    if not match:
        return text
    return re.compile(match.group(1), re.IGNORECASE if match.group(2) else 0)


@dataclass(frozen=True)
class LocatorSpec:
    """How to find one element.

    ``kind``: ``role`` (``value`` = ARIA role, ``name`` = accessible name), ``label``
    (``value`` = the field's label), ``text`` (``value`` = visible text), ``testid``
    (``value`` = ``data-testid``) or ``css`` (``value`` = a CSS selector).
    ``exact``: the name, label or text must match whole and case-sensitively
    (otherwise: contained, case-insensitive). Regular expressions ignore it.
    """

    kind: Kind
    value: str
    name: str | None = None
    exact: bool = True

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise LocatorError(f"type de localisateur inconnu : « {self.kind} » (attendu : {', '.join(KINDS)})")
        if not isinstance(self.value, str) or not self.value.strip():
            raise LocatorError(f"localisateur {self.kind} : « value » doit être un texte non vide")
        if self.name is not None and self.kind != "role":
            raise LocatorError(f"localisateur {self.kind} : « name » ne s'emploie qu'avec kind = \"role\"")

    # ── building from a profile ───────────────────────────────────────────
    @classmethod
    def from_value(cls, spec: "LocatorSpec | Mapping[str, Any]") -> "LocatorSpec":
        """A spec from a profile entry: a mapping with ``kind``, ``value``, ``name``, ``exact``."""
        if isinstance(spec, LocatorSpec):
            return spec
        if hasattr(spec, "model_dump"):  # a pydantic model of a profile
            spec = {k: v for k, v in spec.model_dump().items() if v is not None}
        if not isinstance(spec, Mapping):
            raise LocatorError(f"localisateur attendu sous la forme {{ kind = …, value = … }}, reçu : {spec!r}")
        unknown = sorted(set(spec) - {"kind", "value", "name", "exact"})
        if unknown:
            raise LocatorError(f"champ(s) inconnu(s) : {', '.join(unknown)} (attendus : kind, value, name, exact)")
        missing = [k for k in ("kind", "value") if k not in spec]
        if missing:
            raise LocatorError(f"champ(s) manquant(s) : {', '.join(missing)}")
        exact = spec.get("exact", True)
        if not isinstance(exact, bool):
            raise LocatorError(f"« exact » doit valoir true ou false, reçu : {exact!r}")
        return cls(kind=spec["kind"], value=spec["value"], name=spec.get("name"), exact=exact)

    # ── resolving ─────────────────────────────────────────────────────────
    def resolve(self, page: "Page | Locator", elements: "Mapping[str, LocatorSpec] | None" = None) -> "Locator":
        """The Playwright locator of this spec, within a page or within another locator.

        ``elements`` (element key → spec) resolves a ``submit`` spec: the submit button of the form
        that holds the element ``value`` names (``ELEMENTS`` by default).
        """
        value = text_or_pattern(self.value)
        exact = self.exact if isinstance(value, str) else None
        if self.kind == "role":
            if self.name is None:
                return page.get_by_role(self.value)  # type: ignore[arg-type]
            name = text_or_pattern(self.name)
            return page.get_by_role(  # type: ignore[arg-type]
                self.value, name=name, exact=self.exact if isinstance(name, str) else None
            )
        if self.kind == "label":
            return page.get_by_label(value, exact=exact)
        if self.kind == "text":
            return page.get_by_text(value, exact=exact)
        if self.kind == "testid":
            return page.get_by_test_id(value)
        if self.kind == "field":  # a labelled field, or a group of fields (fieldset, radio group) by its name
            names = value if isinstance(value, re.Pattern) else names_pattern(self.value, whole=False)
            return (
                page.get_by_label(names)
                .or_(page.get_by_role("radiogroup", name=names))
                .or_(page.get_by_role("group", name=names))
            )
        if self.kind == "action":  # what the guide says to click: a button (or submit input) or a link
            names = value if isinstance(value, re.Pattern) else names_pattern(self.value, whole=self.exact)
            return page.get_by_role("button", name=names).or_(page.get_by_role("link", name=names))
        if self.kind == "submit":  # the form's own submit button, whatever its words
            holder = (elements or ELEMENTS)[self.value].resolve(page, elements).first
            form = holder.locator("xpath=ancestor-or-self::form[1]")
            buttons = form.locator(SUBMIT_BUTTONS)
            return buttons.filter(has_not_text=NOT_SUBMIT)
        return page.locator(self.value)

    # ── describing (for error messages) ───────────────────────────────────
    @property
    def noun(self) -> str:
        """What the element is, in French: « bouton », « lien », « champ »…"""
        if self.kind == "role":
            return ROLE_NOUNS.get(self.value, f"rôle {self.value}")
        return KIND_NOUNS[self.kind]

    def display_name(self, key: str) -> str:
        """The words a user sees on the element, else its key."""
        if self.kind == "role":
            return self.name or key
        if self.kind in ("label", "text"):
            return self.value
        if self.kind in ("field", "action"):
            return self.value.split(ALTERNATIVES)[0].strip()
        return key

    def describe(self) -> str:
        """The Playwright call this spec makes, as text."""
        if self.kind == "role":
            if self.name is None:
                return f'get_by_role("{self.value}")'
            return f'get_by_role("{self.value}", name="{self.name}", exact={self.exact})'
        if self.kind == "label":
            return f'get_by_label("{self.value}", exact={self.exact})'
        if self.kind == "text":
            return f'get_by_text("{self.value}", exact={self.exact})'
        if self.kind == "testid":
            return f'get_by_test_id("{self.value}")'
        if self.kind == "field":
            return f"champ ou groupe nommé « {self._names()} »"
        if self.kind == "action":
            return f"bouton ou lien nommé « {self._names()} »"
        if self.kind == "submit":
            return f"bouton d'envoi du formulaire de « {self.value} »"
        return f'locator("{self.value}")'

    def _names(self) -> str:
        return " » ou « ".join(n.strip() for n in self.value.split(ALTERNATIVES))


def role(value: str, name: str | None = None, *, exact: bool = True) -> LocatorSpec:
    return LocatorSpec("role", value, name, exact)


def label(value: str, *, exact: bool = True) -> LocatorSpec:
    return LocatorSpec("label", value, exact=exact)


def text(value: str, *, exact: bool = True) -> LocatorSpec:
    return LocatorSpec("text", value, exact=exact)


def css(value: str) -> LocatorSpec:
    return LocatorSpec("css", value)


def field(*names: str) -> LocatorSpec:
    """A field (or a group of fields: fieldset, radio group) whose label starts with one of ``names``."""
    return LocatorSpec("field", ALTERNATIVES.join(names))


def action(*names: str) -> LocatorSpec:
    """A button (a submit input counts) or a link named by one of ``names``."""
    return LocatorSpec("action", ALTERNATIVES.join(names))


def submit(field_key: str) -> LocatorSpec:
    """The submit button of the form that holds ``field_key`` (the guide names no button there)."""
    return LocatorSpec("submit", field_key)


# Submit buttons of a journey form that do something else than send it.
NOT_SUBMIT = re.compile(
    r"ne dispose pas|pas de pi[eè]ce|renvoyer|nouveau code|annuler|retour|pr[ée]c[ée]dent|modifier|chatbot|franceconnect",
    re.IGNORECASE,
)
# A form's submit buttons (a CSS selector), those that send it without its checks (``formnovalidate``) aside.
SUBMIT_BUTTONS = ", ".join(
    f"{b}:not([formnovalidate])"
    for b in ("button:not([type])", "button[type=submit]", "input[type=submit]", "input[type=image]")
)


# The guide's words that appear on more than one page, and the usual words of the forms for what the
# guide names without quoting a label (« mon nom de naissance », « mes prénoms »…): a site that uses
# any of them needs no locator in its profile.
_SE_CONNECTER = "Se connecter"
_MOT_DE_PASSE = "Mot de passe"

ELEMENTS: dict[str, LocatorSpec] = {
    # ① ② ③ navigation
    "icone_mon_compte": action("Mon Compte"),
    "aides_et_demarches": action("Aides et démarches"),
    "mes_demarches": action("Mes démarches"),
    "bandeau_prestations": role("region", "Faites une demande de prestation en ligne"),
    # the prestations of a theme: links to a page each (the reference), or one « Faire la demande » each
    "lien_prestation": css("a[href*='/prestations/']"),
    "faire_la_demande": action("Faire la demande"),
    "creer_un_compte": action("Créer un compte", "Créer mon compte"),
    "commencer": action("Commencer"),
    "se_connecter": action(_SE_CONNECTER),
    # every journey page
    "indicateur_etape": text(r"/[ÉE]tape\s+\d+\s+(?:sur|\/)\s+\d+/i"),
    "alerte": role("alert"),
    "message_info": role("status"),
    "champ_invalide": css("[aria-invalid='true']"),
    "contenu_principal": role("main"),
    # ④ état civil
    "nir": field("Numéro de sécurité sociale", "N° de sécurité sociale", "Numéro de Sécurité sociale (NIR)"),
    "sans_nir": field(
        "Je n'ai pas de numéro de sécurité sociale",
        "Je ne possède pas de numéro de sécurité sociale",
        "Je n'ai pas de numéro",
    ),
    "civilite": field("Civilité", "Vous êtes"),
    "nom_naissance": field("Nom de naissance", "Nom à la naissance"),
    "prenoms": field("Prénoms", "Prénom(s)", "Prénom"),
    "date_naissance": field("Date de naissance", "Né le", "Née le", "Né(e) le"),
    "lieu_naissance": field(
        "Lieu de naissance", "Commune de naissance", "Commune ou pays de naissance", "Ville de naissance"
    ),
    "etat_civil_continuer": submit("nom_naissance"),
    "identifiant_provisoire": text("/identifiant provisoire/i"),
    # ⑤ pièce d'identité
    "type_titre": field(
        "Type de titre d'identité", "Type de pièce d'identité", "Type de pièce", "Type de titre", "Type de document"
    ),
    "numero_titre": field(
        "Numéro du titre d'identité",
        "Numéro de la pièce d'identité",
        "Numéro de la pièce",
        "Numéro du titre",
        "Numéro de pièce d'identité",
        "Numéro du document",
    ),
    "piece_identite_continuer": submit("numero_titre"),
    "sans_piece_francaise": action("Je ne dispose pas d'une pièce d'identité française"),
    # ⑥ coordonnées (a site may first ask how to receive the code: « Par e-mail », « Par SMS »)
    "canal_email": field("Par e-mail", "Par mail", "Par courriel", "Par courrier électronique"),
    "canal_sms": field("Par SMS", "Par texto"),
    "email": field(
        "Adresse e-mail", "Adresse mail", "Adresse électronique", "Adresse de courriel", "Courriel", "E-mail", "Mail"
    ),
    "mobile": field(
        "Numéro de téléphone portable",
        "Téléphone portable",
        "Numéro de portable",
        "Portable",
        "Numéro de téléphone mobile",
        "Téléphone mobile",
        "Numéro de mobile",
    ),
    "envoyer_le_code": action("Envoyer le code"),
    # ⑦ code
    "code": field("Code de confirmation", "Code reçu", "Code de vérification", "Code"),
    "code_valider": action("Valider"),
    "renvoyer_le_code": action(
        "Renvoyer le code", "Renvoyer un code", "Recevoir un nouveau code", "Envoyer un nouveau code"
    ),
    # ⑧ mot de passe (its rule text is found through the field's aria-describedby); a confirmation
    # field and a « J'accepte… » box are filled or ticked when the page has them
    "mot_de_passe": field(
        _MOT_DE_PASSE, "Choisissez votre mot de passe", "Choisissez un mot de passe", "Nouveau mot de passe"
    ),
    "mot_de_passe_confirmation": field(
        "Confirmation du mot de passe",
        "Confirmez le mot de passe",
        "Confirmez votre mot de passe",
        "Confirmer le mot de passe",
        "Confirmation",
    ),
    "mot_de_passe_valider": submit("mot_de_passe"),
    "j_accepte": role("checkbox", "/^\\s*(j['’]accepte|je certifie|je confirme|je déclare sur l['’]honneur)/i"),
    # ⑨ récapitulatif (its pairs are read from a <dl>, a table or « libellé : valeur » lines)
    "recapitulatif_titre": role("heading", "/r[ée]capitulatif/i"),
    "recapitulatif": role("main"),
    # what the recap says when a justificatif may be asked for (the guide: « Une pièce d'identité
    # justificative peut m'être demandée »); a sentence saying there is none does not count
    "justificatif_a_fournir": text(r"/justificati(f|ve)/i"),
    # connexion
    "identifiant": field("Identifiant", "Numéro de sécurité sociale ou identifiant provisoire"),
    "connexion_mot_de_passe": field(_MOT_DE_PASSE),
    "connexion_se_connecter": submit("identifiant"),
    # Mon espace
    "mon_espace": role("heading", "/^\\s*(?:mon|votre) espace/i"),
    "action_demander_prestation": action("Faire une demande de prestation", "Demander une prestation"),
    "suivre_mes_demarches": action("Suivre mes démarches"),
    "action_gerer_dossier": action("Gérer le dossier", "Gérer mon dossier"),
    "action_consulter_donnees": action("Consulter mes données personnelles", "Mes données personnelles"),
    "action_modifier_coordonnees": action("Modifier mes coordonnées de contact", "Modifier mes coordonnées"),
    "action_declarer_separation": action("Déclarer une séparation"),
    "se_deconnecter": action("Se déconnecter", "Déconnexion"),
    # the pages of « Mon espace » (not in the guide: the usual words)
    "demande_prestation": field("Prestation", "Prestation demandée", "Choisissez une prestation"),
    "envoyer_la_demande": submit("demande_prestation"),
    "enregistrer_coordonnees": submit("email"),  # « Modifier mes coordonnées »: the e-mail field's form
    "date_separation": field("Date de séparation", "Date de la séparation"),
    "declarer_la_separation": submit("date_separation"),
    "liste_demarches": css("table"),  # « Suivre mes démarches »: one row per demande, a header row
    "procuration_accorder": action(
        "Donner procuration",
        "Donner une procuration",
        "Donner la procuration",
        "Accorder une procuration",
        "Accorder la procuration",
    ),
    "procuration_retirer": action("Retirer la procuration", "Révoquer la procuration", "Retirer ma procuration"),
    # FranceConnect (« Bon à savoir »): the button on « Créer un compte » and « Se connecter »
    "franceconnect": role("button", "S'identifier avec FranceConnect"),
    # … then the provider's pages (the stand-in provider's words; on FranceConnect's integration
    # platform, a profile names its demonstration identity provider and its fields)
    "fc_fournisseur_identite": role("button", "impots.gouv.fr"),
    "fc_identifiant": label("Identifiant"),
    "fc_mot_de_passe": label(_MOT_DE_PASSE),
    "fc_se_connecter": role("button", _SE_CONNECTER),
    "fc_annuler": role("button", "Annuler"),
    # Chatbot (journey pages)
    "chatbot_formulaire": role("form", "Une question ?"),
    "chatbot_question": label("Votre question"),
    "chatbot_demander": role("button", "Demander au Chatbot"),
    "chatbot_reponse": role("region", "Réponse du Chatbot"),
}

# Field names (those of the API's « champ ») → the element keys that hold them.
FIELD_ELEMENTS: dict[str, tuple[str, ...]] = {
    "nir": ("nir",),
    "civilite": ("civilite",),
    "nom_naissance": ("nom_naissance",),
    "prenoms": ("prenoms",),
    "date_naissance": ("date_naissance",),
    "lieu_naissance": ("lieu_naissance",),
    "type_titre": ("type_titre",),
    "numero_titre": ("numero_titre",),
    "email": ("email",),
    "mobile": ("mobile",),
    "code": ("code",),
    "mot_de_passe": ("mot_de_passe", "connexion_mot_de_passe"),
    "identifiant": ("identifiant",),
}

FIELD_OF_ELEMENT: dict[str, str] = {key: name for name, keys in FIELD_ELEMENTS.items() for key in keys}

# Action codes (rules.roles.Action values) → the link of « Mon espace » that offers each.
ACTION_ELEMENTS: dict[str, str] = {
    "demander_prestation": "action_demander_prestation",
    "gerer_dossier": "action_gerer_dossier",
    "consulter_donnees": "action_consulter_donnees",
    "modifier_coordonnees": "action_modifier_coordonnees",
    "declarer_separation": "action_declarer_separation",
}

# Pages the driver opens directly (paths relative to the target's base URL).
PAGES: dict[str, str] = {
    "accueil": "/",
    "mes_demarches": "/mes-demarches",
    "prestation": "/prestations/{code}",  # a prestation's page, opened directly by its code
    "creer_un_compte": "/creer-un-compte",
    "connexion": "/connexion",
    "espace": "/espace",
    # the journey steps (base.JOURNEY_STEPS): current_step() is read from these paths
    "etat_civil": "/inscription/etat-civil",
    "piece_identite": "/inscription/piece-identite",
    "coordonnees": "/inscription/coordonnees",
    "code": "/inscription/code",
    "mot_de_passe": "/inscription/mot-de-passe",
    "recapitulatif": "/inscription/recapitulatif",
    # one page per action of « Mon espace », opened directly by attempt()
    "demander_prestation": "/espace/demande-de-prestation",
    "gerer_dossier": "/espace/dossier",
    "consulter_donnees": "/espace/donnees-personnelles",
    "modifier_coordonnees": "/espace/coordonnees",
    "declarer_separation": "/espace/separation",
    "demarches": "/espace/demarches",
}

# Journey steps → path of their page (the defaults; a driver reads its own ``pages``).
STEP_PATHS: dict[str, str] = {step: PAGES[step] for step in JOURNEY_STEPS}


def merge_overrides(
    overrides: Mapping[str, "LocatorSpec | Mapping[str, Any]"] | None,
    base: Mapping[str, LocatorSpec] = ELEMENTS,
) -> dict[str, LocatorSpec]:
    """``base`` with the given keys replaced; every error at once, in French.

    An unknown key (a typo in a profile) is an error, not an ignored entry: the
    message lists the known keys closest to it.
    """
    merged = dict(base)
    errors: list[str] = []
    for key, spec in (overrides or {}).items():
        if key not in base:
            close = _close_keys(key, base)
            hint = f" (vouliez-vous dire : {', '.join(close)} ?)" if close else ""
            errors.append(f"locators.{key} : élément inconnu{hint}")
            continue
        try:
            merged[key] = LocatorSpec.from_value(spec)
        except LocatorError as exc:
            errors.append(f"locators.{key} : {exc}")
    if errors:
        raise LocatorError("Localisateurs invalides : " + " ; ".join(errors))
    return merged


def _close_keys(key: str, base: Mapping[str, Any]) -> list[str]:
    import difflib

    return difflib.get_close_matches(key, list(base), n=3, cutoff=0.6)


def merge_pages(overrides: Mapping[str, str] | None, base: Mapping[str, str] = PAGES) -> dict[str, str]:
    """``base`` with the given page paths replaced (unknown page names refused, in French)."""
    merged = dict(base)
    errors = []
    for name, path in (overrides or {}).items():
        if name not in base:
            errors.append(f"pages.{name} : page inconnue (connues : {', '.join(base)})")
        elif not isinstance(path, str) or not path.startswith("/"):
            errors.append(f"pages.{name} : chemin attendu commençant par « / », reçu : {path!r}")
        else:
            merged[name] = path
    if errors:
        raise LocatorError("Pages invalides : " + " ; ".join(errors))
    return merged


__all__ = [
    "ACTION_ELEMENTS",
    "ELEMENTS",
    "FIELD_ELEMENTS",
    "FIELD_OF_ELEMENT",
    "KINDS",
    "LocatorError",
    "LocatorSpec",
    "NOT_SUBMIT",
    "PAGES",
    "STEP_PATHS",
    "SUBMIT_BUTTONS",
    "merge_overrides",
    "merge_pages",
    "names_pattern",
    "text_or_pattern",
]
