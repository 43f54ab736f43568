"""Effective parameters: the guide's defaults, overridden by rule ID; bad overrides refused in French."""

import pytest

from moncompte import rules
from moncompte.rules.mot_de_passe import validate_password


def test_defaults_are_the_guide_values():
    assert rules.DEFAULTS["MDP-LONGUEUR"] == {"min": 8, "max": 24}
    assert rules.DEFAULTS["NAV-MES-DEMARCHES"] == {}
    assert not rules.DEFAULTS.is_overridden("MDP-LONGUEUR", "min")


def test_override_is_applied_and_marked():
    settings = rules.settings({"MDP-LONGUEUR": {"min": 10}})
    assert settings["MDP-LONGUEUR"] == {"min": 10, "max": 24}
    assert settings.is_overridden("MDP-LONGUEUR", "min")
    assert not settings.is_overridden("MDP-LONGUEUR", "max")


def test_override_does_not_leak_into_the_defaults():
    rules.settings({"MDP-LONGUEUR": {"min": 10}, "ROLE-ENFANT-15": {"age_min": 15}})
    assert rules.DEFAULTS["MDP-LONGUEUR"]["min"] == 8
    assert rules.DEFAULTS["ROLE-ENFANT-15"]["age_min"] == 16


@pytest.mark.parametrize(
    "overrides",
    [
        pytest.param({"CONTACT-MOBILE": {"regions": ("FR",)}}, id="tuple-pour-liste"),
        pytest.param({"NIR-SEXE": {"nia_accepte": True}}, id="booleen"),
        pytest.param({"ID-PROVISOIRE": {"format": "^X[0-9]{4}$"}}, id="chaine"),
    ],
)
def test_overrides_of_the_right_kind_are_accepted(overrides):
    ((rule_id, params),) = overrides.items()
    ((name, value),) = params.items()
    assert rules.settings(overrides)[rule_id][name] == value


@pytest.mark.parametrize(
    "overrides, message",
    [
        pytest.param({"MDP-INCONNU": {"min": 10}}, "Règle inconnue dans le profil : MDP-INCONNU", id="regle-inconnue"),
        pytest.param(
            {"MDP-LONGUEUR": {"minimum": 10}},
            "La règle MDP-LONGUEUR n'a pas de paramètre « minimum » (paramètres : min, max)",
            id="parametre-inconnu",
        ),
        pytest.param(
            {"NAV-MES-DEMARCHES": {"x": 1}},
            "La règle NAV-MES-DEMARCHES n'a pas de paramètre « x » (paramètres : aucun)",
            id="regle-sans-parametre",
        ),
        pytest.param(
            {"MDP-LONGUEUR": {"min": "10"}},
            "Paramètre MDP-LONGUEUR.min : valeur '10' de type str, attendu int",
            id="chaine-pour-entier",
        ),
        pytest.param(
            {"MDP-LONGUEUR": {"min": 10.5}},
            "Paramètre MDP-LONGUEUR.min : valeur 10.5 de type float, attendu int",
            id="decimal-pour-entier",
        ),
        pytest.param(
            {"MDP-LONGUEUR": {"min": True}},
            "Paramètre MDP-LONGUEUR.min : valeur True de type bool, attendu int",
            id="booleen-pour-entier",
        ),
        pytest.param(
            {"NIR-SEXE": {"nia_accepte": 1}},
            "Paramètre NIR-SEXE.nia_accepte : valeur 1 de type int, attendu bool",
            id="entier-pour-booleen",
        ),
        pytest.param(
            {"CONTACT-MOBILE": {"regions": "FR"}},
            "Paramètre CONTACT-MOBILE.regions : valeur 'FR' de type str, attendu list",
            id="chaine-pour-liste",
        ),
    ],
)
def test_bad_overrides_are_refused_in_french(overrides, message):
    with pytest.raises(ValueError) as excinfo:
        rules.settings(overrides)
    assert str(excinfo.value) == message


def test_password_minimum_equal_to_maximum_is_coherent():
    settings = rules.settings({"MDP-LONGUEUR": {"min": 24}})
    assert settings["MDP-LONGUEUR"] == {"min": 24, "max": 24}
    assert validate_password("Abcdefghijklmnopqrstuv12", settings) == []


def test_password_minimum_above_maximum_is_refused():
    with pytest.raises(ValueError, match="MDP-LONGUEUR incohérents : min \\(30\\) dépasse max \\(24\\)"):
        rules.settings({"MDP-LONGUEUR": {"min": 30}})


def test_plural_message_when_profile_requires_two_digits():
    refusals = validate_password("Abcdefgh1", rules.settings({"MDP-CHIFFRE": {"min": 2}}))
    assert [r.message for r in refusals] == ["Le mot de passe doit contenir au moins 2 chiffres."]
