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

if TYPE_CHECKING:  # Playwright is only needed to resolve, not to declare
    from playwright.sync_api import Locator, Page

Kind = Literal["role", "label", "text", "testid", "css"]
KINDS: tuple[str, ...] = ("role", "label", "text", "testid", "css")

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
KIND_NOUNS = {"label": "champ", "text": "texte", "testid": "identifiant de test", "css": "sélecteur CSS"}


class LocatorError(ValueError):
    """A locator override that cannot be used; the message says which and why, in French."""


def _pattern(text: str) -> str | re.Pattern[str]:
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
            raise LocatorError(
                f"type de localisateur inconnu : « {self.kind} » (attendu : {', '.join(KINDS)})"
            )
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
            raise LocatorError(
                f"localisateur attendu sous la forme {{ kind = …, value = … }}, reçu : {spec!r}"
            )
        unknown = sorted(set(spec) - {"kind", "value", "name", "exact"})
        if unknown:
            raise LocatorError(
                f"champ(s) inconnu(s) : {', '.join(unknown)} (attendus : kind, value, name, exact)"
            )
        missing = [k for k in ("kind", "value") if k not in spec]
        if missing:
            raise LocatorError(f"champ(s) manquant(s) : {', '.join(missing)}")
        exact = spec.get("exact", True)
        if not isinstance(exact, bool):
            raise LocatorError(f"« exact » doit valoir true ou false, reçu : {exact!r}")
        return cls(kind=spec["kind"], value=spec["value"], name=spec.get("name"), exact=exact)

    # ── resolving ─────────────────────────────────────────────────────────
    def resolve(self, page: "Page | Locator") -> "Locator":
        """The Playwright locator of this spec, within a page or within another locator."""
        value = _pattern(self.value)
        exact = self.exact if isinstance(value, str) else None
        if self.kind == "role":
            if self.name is None:
                return page.get_by_role(self.value)  # type: ignore[arg-type]
            name = _pattern(self.name)
            return page.get_by_role(  # type: ignore[arg-type]
                self.value, name=name, exact=self.exact if isinstance(name, str) else None
            )
        if self.kind == "label":
            return page.get_by_label(value, exact=exact)
        if self.kind == "text":
            return page.get_by_text(value, exact=exact)
        if self.kind == "testid":
            return page.get_by_test_id(value)
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
        return f'locator("{self.value}")'


def role(value: str, name: str | None = None, *, exact: bool = True) -> LocatorSpec:
    return LocatorSpec("role", value, name, exact)


def label(value: str, *, exact: bool = True) -> LocatorSpec:
    return LocatorSpec("label", value, exact=exact)


def text(value: str, *, exact: bool = True) -> LocatorSpec:
    return LocatorSpec("text", value, exact=exact)


def css(value: str) -> LocatorSpec:
    return LocatorSpec("css", value)


# The guide's words that appear on more than one page.
_CONTINUER = "Continuer"
_VALIDER = "Valider"
_SE_CONNECTER = "Se connecter"
_MOT_DE_PASSE = "Mot de passe"

ELEMENTS: dict[str, LocatorSpec] = {
    # ① ② ③ navigation
    "icone_mon_compte": role("link", "Mon Compte"),
    "aides_et_demarches": role("link", "Aides et démarches"),
    "mes_demarches": role("link", "Mes démarches"),
    "bandeau_prestations": role("region", "Faites une demande de prestation en ligne"),
    "lien_prestation": css("a[href*='/prestations/']"),  # one link per prestation of a theme
    "faire_la_demande": role("button", "Faire la demande"),
    "creer_un_compte": role("link", "Créer un compte"),
    "commencer": role("button", "Commencer"),
    "se_connecter": role("link", _SE_CONNECTER),
    # every journey page
    "indicateur_etape": text(r"/Étape\s+\d+\s+sur\s+6/"),
    "alerte": role("alert"),
    "message_info": role("status"),
    "champ_invalide": css("[aria-invalid='true']"),
    "contenu_principal": role("main"),
    # ④ état civil
    "nir": label("Numéro de sécurité sociale"),
    "sans_nir": role("checkbox", "Je n'ai pas de numéro de sécurité sociale"),
    "civilite": label("Civilité"),
    "nom_naissance": label("Nom de naissance"),
    "prenoms": label("Prénoms"),
    "date_naissance": label("Date de naissance"),
    "lieu_naissance": label("Lieu de naissance"),
    "etat_civil_continuer": role("button", _CONTINUER),
    "identifiant_provisoire": text("Votre identifiant provisoire", exact=False),
    # ⑤ pièce d'identité
    "type_titre": label("Type de titre d'identité"),
    "numero_titre": label("Numéro du titre d'identité"),
    "piece_identite_continuer": role("button", _CONTINUER),
    "sans_piece_francaise": role("button", "Je ne dispose pas d'une pièce d'identité française"),
    # ⑥ coordonnées
    "email": label("Adresse e-mail"),
    "mobile": label("Numéro de téléphone portable"),
    "envoyer_le_code": role("button", "Envoyer le code"),
    # ⑦ code
    "code": label("Code de confirmation"),
    "code_valider": role("button", _VALIDER),
    "renvoyer_le_code": role("button", "Renvoyer le code"),
    # ⑧ mot de passe (its rule text is found through the field's aria-describedby)
    "mot_de_passe": label(_MOT_DE_PASSE),
    "mot_de_passe_valider": role("button", _VALIDER),
    # ⑨ récapitulatif
    "recapitulatif_titre": role("heading", "Récapitulatif"),
    "recapitulatif": css("dl"),
    "justificatif_a_fournir": text("Justificatif à fournir", exact=False),
    # connexion
    "identifiant": label("Identifiant"),
    "connexion_mot_de_passe": label(_MOT_DE_PASSE),
    "connexion_se_connecter": role("button", _SE_CONNECTER),
    # Mon espace
    "mon_espace": role("heading", "Mon espace"),
    "action_demander_prestation": role("link", "Faire une demande de prestation"),
    "suivre_mes_demarches": role("link", "Suivre mes démarches"),
    "action_gerer_dossier": role("link", "Gérer le dossier"),
    "action_consulter_donnees": role("link", "Consulter mes données personnelles"),
    "action_modifier_coordonnees": role("link", "Modifier mes coordonnées de contact"),
    "action_declarer_separation": role("link", "Déclarer une séparation"),
    "se_deconnecter": role("button", "Se déconnecter"),
    # the pages of « Mon espace » (not in the guide: the reference's words)
    "demande_prestation": label("Prestation"),
    "envoyer_la_demande": role("button", "Envoyer la demande"),
    "liste_demarches": css("table"),  # « Suivre mes démarches »: one row per demande, a header row
    "procuration_accorder": role("button", "Donner procuration"),
    "procuration_retirer": role("button", "Retirer la procuration"),
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
STEP_PATHS: dict[str, str] = {
    step: PAGES[step]
    for step in ("etat_civil", "piece_identite", "coordonnees", "code", "mot_de_passe", "recapitulatif")
}


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
    "KINDS",
    "LocatorError",
    "LocatorSpec",
    "PAGES",
    "STEP_PATHS",
    "merge_overrides",
    "merge_pages",
]
