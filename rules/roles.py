"""Rôles du foyer allocataire (« Bon à savoir »): who may create an account and do what.

The permission matrix is the guide's « Bon à savoir » written as a table:
- conjoint sans procuration, enfant de plus de 15 ans, personne à charge:
  consulter mes données personnelles, modifier mes coordonnées de contact,
  déclarer une séparation;
- conjoint avec procuration: « les mêmes fonctionnalités et services » que le
  responsable du dossier: demander une prestation et gérer le dossier too;
- a person not yet allocataire creates the account to request a prestation
  (the guide's introduction) and then follows it.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Refusal, Settings


class Role(StrEnum):
    NON_ALLOCATAIRE = "non_allocataire"
    RESPONSABLE = "responsable"
    CONJOINT_AVEC_PROCURATION = "conjoint_avec_procuration"
    CONJOINT_SANS_PROCURATION = "conjoint_sans_procuration"
    ENFANT = "enfant"
    PERSONNE_A_CHARGE = "personne_a_charge"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]

    @property
    def rule_id(self) -> str:
        return ROLE_RULES[self]


class Action(StrEnum):
    DEMANDER_PRESTATION = "demander_prestation"
    GERER_DOSSIER = "gerer_dossier"
    CONSULTER_DONNEES = "consulter_donnees"
    MODIFIER_COORDONNEES = "modifier_coordonnees"
    DECLARER_SEPARATION = "declarer_separation"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


ROLE_LABELS = {
    Role.NON_ALLOCATAIRE: "Pas encore allocataire",
    Role.RESPONSABLE: "Responsable du dossier",
    Role.CONJOINT_AVEC_PROCURATION: "Conjoint avec procuration",
    Role.CONJOINT_SANS_PROCURATION: "Conjoint sans procuration",
    Role.ENFANT: "Enfant de plus de 15 ans",
    Role.PERSONNE_A_CHARGE: "Personne à charge",
}
ROLE_RULES = {
    Role.NON_ALLOCATAIRE: "ROLE-NON-ALLOCATAIRE",
    Role.RESPONSABLE: "ROLE-RESPONSABLE",
    Role.CONJOINT_AVEC_PROCURATION: "ROLE-CONJOINT-PROCURATION",
    Role.CONJOINT_SANS_PROCURATION: "ROLE-CONJOINT-SANS-PROCURATION",
    Role.ENFANT: "ROLE-ENFANT-15",
    Role.PERSONNE_A_CHARGE: "ROLE-PERSONNE-A-CHARGE",
}
ACTION_LABELS = {
    Action.DEMANDER_PRESTATION: "Faire une demande de prestation",
    Action.GERER_DOSSIER: "Gérer le dossier",
    Action.CONSULTER_DONNEES: "Consulter mes données personnelles",
    Action.MODIFIER_COORDONNEES: "Modifier mes coordonnées de contact",
    Action.DECLARER_SEPARATION: "Déclarer une séparation",
}

_ALL = frozenset(Action)
_MEMBER = frozenset({Action.CONSULTER_DONNEES, Action.MODIFIER_COORDONNEES, Action.DECLARER_SEPARATION})

PERMISSIONS: dict[Role, frozenset[Action]] = {
    # Not yet allocataire: creates the account to request a prestation (introduction
    # of the guide), then follows it; no foyer, so no separation to declare.
    Role.NON_ALLOCATAIRE: frozenset(
        {Action.DEMANDER_PRESTATION, Action.GERER_DOSSIER, Action.CONSULTER_DONNEES, Action.MODIFIER_COORDONNEES}
    ),
    Role.RESPONSABLE: _ALL,
    Role.CONJOINT_AVEC_PROCURATION: _ALL,
    Role.CONJOINT_SANS_PROCURATION: _MEMBER,
    Role.ENFANT: _MEMBER,
    Role.PERSONNE_A_CHARGE: _MEMBER,
}

MSG_INTERDIT = "Votre rôle dans le foyer ({role}) ne permet pas cette action : {action}."
MSG_TROP_JEUNE = "Un enfant du foyer peut créer son espace personnel à partir de {age} ans."


def is_allowed(role: Role | str, action: Action | str) -> bool:
    return Action(action) in PERMISSIONS[Role(role)]


def allowed_actions(role: Role | str) -> list[Action]:
    """The actions of a role, in the order of the Action enum (the order of the guide)."""
    return [a for a in Action if a in PERMISSIONS[Role(role)]]


def refusal_for(role: Role | str, action: Action | str) -> Refusal | None:
    role, action = Role(role), Action(action)
    if is_allowed(role, action):
        return None
    return Refusal(role.rule_id, "action", MSG_INTERDIT.format(role=role.label, action=action.label))


def age_on(birth: date, today: date) -> int:
    """Age in whole years (années révolues)."""
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def can_create_account(role: Role | str, birth: date, today: date, settings: Settings = DEFAULTS) -> Refusal | None:
    """None when the person may create an account; else the French refusal."""
    minimum = settings["ROLE-ENFANT-15"]["age_min"]
    if Role(role) is Role.ENFANT and age_on(birth, today) < minimum:
        return Refusal("ROLE-ENFANT-AGE", "date_naissance", MSG_TROP_JEUNE.format(age=minimum))
    return None
