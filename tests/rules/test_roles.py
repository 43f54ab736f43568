"""« Bon à savoir »: the roles of the foyer allocataire as a permission matrix, and the age of a child."""

from datetime import date

import pytest

from moncompte import rules
from moncompte.rules.roles import Action, Role, age_on, allowed_actions, can_create_account, is_allowed, refusal_for

# The guide's « Bon à savoir », written as a table (columns: the actions).
#                                demander  gérer  consulter  coordonnées  séparation
MATRIX = {
    "responsable":               (True,    True,  True,      True,        True),
    "conjoint_avec_procuration": (True,    True,  True,      True,        True),
    "conjoint_sans_procuration": (False,   False, True,      True,        True),
    "enfant":                    (False,   False, True,      True,        True),
    "personne_a_charge":         (False,   False, True,      True,        True),
    "non_allocataire":           (True,    True,  True,      True,        False),
}  # fmt: skip
ACTIONS = ("demander_prestation", "gerer_dossier", "consulter_donnees", "modifier_coordonnees", "declarer_separation")

CASES = [
    pytest.param(role, action, allowed, id=f"{role}-{action}")
    for role, row in MATRIX.items()
    for action, allowed in zip(ACTIONS, row)
]


def test_the_table_covers_every_role_and_action():
    assert set(MATRIX) == {r.value for r in Role}
    assert set(ACTIONS) == {a.value for a in Action}


@pytest.mark.parametrize("role, action, allowed", CASES)
def test_permission_matrix(role, action, allowed):
    assert is_allowed(role, action) is allowed


@pytest.mark.parametrize("role, action, allowed", CASES)
def test_refusal_for_matches_the_matrix(role, action, allowed):
    refusal = refusal_for(role, action)
    assert (refusal is None) is allowed


def test_allowed_actions_in_the_order_of_the_guide():
    assert allowed_actions("enfant") == [
        Action.CONSULTER_DONNEES,
        Action.MODIFIER_COORDONNEES,
        Action.DECLARER_SEPARATION,
    ]
    assert allowed_actions("responsable") == [
        Action.DEMANDER_PRESTATION,
        Action.GERER_DOSSIER,
        Action.CONSULTER_DONNEES,
        Action.MODIFIER_COORDONNEES,
        Action.DECLARER_SEPARATION,
    ]


@pytest.mark.parametrize(
    "role, action, rule_id, message",
    [
        (
            "enfant",
            "demander_prestation",
            "ROLE-ENFANT-15",
            "Votre rôle dans le foyer (Enfant de plus de 15 ans) ne permet pas cette action :"
            " Faire une demande de prestation.",
        ),
        (
            "conjoint_sans_procuration",
            "gerer_dossier",
            "ROLE-CONJOINT-SANS-PROCURATION",
            "Votre rôle dans le foyer (Conjoint sans procuration) ne permet pas cette action : Gérer le dossier.",
        ),
        (
            "personne_a_charge",
            "demander_prestation",
            "ROLE-PERSONNE-A-CHARGE",
            "Votre rôle dans le foyer (Personne à charge) ne permet pas cette action :"
            " Faire une demande de prestation.",
        ),
        (
            "non_allocataire",
            "declarer_separation",
            "ROLE-NON-ALLOCATAIRE",
            "Votre rôle dans le foyer (Pas encore allocataire) ne permet pas cette action : Déclarer une séparation.",
        ),
    ],
)
def test_refusal_message(role, action, rule_id, message):
    refusal = refusal_for(role, action)
    assert (refusal.rule_id, refusal.field, refusal.message) == (rule_id, "action", message)


def test_unknown_role_or_action_is_an_error():
    with pytest.raises(ValueError):
        is_allowed("voisin", "gerer_dossier")
    with pytest.raises(ValueError):
        is_allowed("responsable", "vendre_le_dossier")


@pytest.mark.parametrize(
    "birth, today, age",
    [
        pytest.param(date(2008, 6, 1), date(2024, 6, 1), 16, id="anniversaire-aujourd-hui"),
        pytest.param(date(2008, 6, 2), date(2024, 6, 1), 15, id="anniversaire-demain"),
        pytest.param(date(2008, 5, 31), date(2024, 6, 1), 16, id="anniversaire-hier"),
        pytest.param(date(2008, 2, 29), date(2024, 2, 28), 15, id="29-fevrier-veille"),
        pytest.param(date(2008, 2, 29), date(2024, 2, 29), 16, id="29-fevrier-bissextile"),
        pytest.param(date(2008, 2, 29), date(2023, 3, 1), 15, id="29-fevrier-1er-mars-non-bissextile"),
    ],
)
def test_age_on(birth, today, age):
    assert age_on(birth, today) == age


TODAY = date(2024, 6, 1)
TROP_JEUNE = "Un enfant du foyer peut créer son espace personnel à partir de 16 ans."


def test_child_aged_15_cannot_create_an_account():
    refusal = can_create_account("enfant", date(2008, 6, 2), TODAY)  # 16 tomorrow
    assert (refusal.rule_id, refusal.field, refusal.message) == ("ROLE-ENFANT-AGE", "date_naissance", TROP_JEUNE)


def test_child_aged_16_today_can_create_an_account():
    assert can_create_account("enfant", date(2008, 6, 1), TODAY) is None


@pytest.mark.parametrize("role", ["personne_a_charge", "conjoint_sans_procuration", "responsable", "non_allocataire"])
def test_age_limit_only_applies_to_children(role):
    assert can_create_account(role, date(2015, 1, 1), TODAY) is None


def test_age_limit_is_a_parameter():
    fifteen = rules.settings({"ROLE-ENFANT-15": {"age_min": 15}})
    assert can_create_account("enfant", date(2009, 6, 1), TODAY, fifteen) is None
    refusal = can_create_account("enfant", date(2009, 6, 2), TODAY, fifteen)
    assert refusal.rule_id == "ROLE-ENFANT-AGE"
    assert "à partir de 15 ans" in refusal.message
