"""Step ⑧: « entre 8 et 24 caractères », « au moins 1 chiffre, 1 lettre majuscule et 1 lettre minuscule »."""

import unicodedata

import pytest

from moncompte import rules
from moncompte.rules.mot_de_passe import rule_text, validate_password

LONGUEUR = ("MDP-LONGUEUR", "mot_de_passe", "doit faire entre 8 et 24 caractères")
CONTROLE = ("MDP-LONGUEUR", "mot_de_passe", "ne doit pas contenir de caractère de contrôle")
CHIFFRE = ("MDP-CHIFFRE", "mot_de_passe", "au moins 1 chiffre")
MAJUSCULE = ("MDP-MAJUSCULE", "mot_de_passe", "au moins 1 lettre majuscule")
MINUSCULE = ("MDP-MINUSCULE", "mot_de_passe", "au moins 1 lettre minuscule")


@pytest.mark.parametrize(
    "password",
    [
        pytest.param("Abcdefg1", id="8-caracteres"),
        pytest.param("Abcdefghijklmnopqrstuv12", id="24-caracteres"),
        pytest.param("Mot de passe 2024", id="espaces-permis"),
        pytest.param("éléphant1É", id="majuscule-accentuee"),
        pytest.param("ÉLÉPHANT1é", id="minuscule-accentuee"),
        pytest.param("Élan12ab", id="8-caracteres-avec-accent"),
    ],
)
def test_accepted(password, assert_refused):
    assert_refused(validate_password(password))


@pytest.mark.parametrize(
    "password, expected",
    [
        pytest.param("Abcdef1", [LONGUEUR], id="7-caracteres"),
        pytest.param("Abcdefghijklmnopqrstuvw12", [LONGUEUR], id="25-caracteres"),
        pytest.param("abcdefg1", [MAJUSCULE], id="sans-majuscule"),
        pytest.param("ABCDEFG1", [MINUSCULE], id="sans-minuscule"),
        pytest.param("Abcdefgh", [CHIFFRE], id="sans-chiffre"),
        pytest.param("Xylophon", [CHIFFRE], id="sans-chiffre-avec-X"),
        pytest.param("Abcdefg١", [CHIFFRE], id="chiffre-arabe-oriental-non-compte"),
        pytest.param("abcdefgh", [CHIFFRE, MAJUSCULE], id="ni-chiffre-ni-majuscule"),
        pytest.param("12345678", [MAJUSCULE, MINUSCULE], id="que-des-chiffres"),
        pytest.param("abc", [LONGUEUR, CHIFFRE, MAJUSCULE], id="court-et-incomplet"),
        pytest.param("", [LONGUEUR, CHIFFRE, MAJUSCULE, MINUSCULE], id="vide"),
        pytest.param(None, [LONGUEUR, CHIFFRE, MAJUSCULE, MINUSCULE], id="absent"),
        pytest.param("Abc\x00def1", [CONTROLE], id="nul"),
        pytest.param("Abc\u200bdef1", [CONTROLE], id="espace-de-largeur-nulle"),
    ],
)
def test_refused_with_one_message_per_unmet_criterion(password, expected, assert_refused):
    assert_refused(validate_password(password), *expected)


def test_length_is_counted_on_the_nfc_form(assert_refused):
    # « Élan12a » : 7 caractères, mais 8 points de code une fois décomposé (E + accent aigu).
    decomposed = unicodedata.normalize("NFD", "Élan12a")
    assert len(decomposed) == 8
    assert_refused(validate_password(decomposed), LONGUEUR)
    # 24 caractères composés, 46 points de code décomposés : accepté.
    long_decomposed = unicodedata.normalize("NFD", "Aé1" + "é" * 21)
    assert len(long_decomposed) == 46
    assert_refused(validate_password(long_decomposed))


def test_accented_letters_do_not_count_when_accents_are_refused(assert_refused):
    settings = rules.settings(
        {"MDP-MAJUSCULE": {"accents_acceptes": False}, "MDP-MINUSCULE": {"accents_acceptes": False}}
    )
    assert_refused(validate_password("éléphant1É", settings), MAJUSCULE)
    assert_refused(validate_password("ÉLÉPHANT1é", settings), MINUSCULE)
    assert_refused(validate_password("Éléphant1A", settings))


def test_overridden_minimum_changes_boundary_and_message(assert_refused):
    settings = rules.settings({"MDP-LONGUEUR": {"min": 10}})
    assert_refused(
        validate_password("Abcdefgh1", settings), ("MDP-LONGUEUR", "mot_de_passe", "entre 10 et 24 caractères")
    )
    assert_refused(validate_password("Abcdefghi1", settings))
    assert_refused(validate_password("Abcdefgh1"))  # the guide's 8 still applies by default


def test_rule_text_shows_the_guide_sentence_and_effective_values():
    assert rule_text() == (
        "Il doit faire entre 8 et 24 caractères et se composer d'au moins 1 chiffre,"
        " 1 lettre majuscule et 1 lettre minuscule."
    )
    assert rule_text(rules.settings({"MDP-LONGUEUR": {"min": 10}})).startswith(
        "Il doit faire entre 10 et 24 caractères"
    )
