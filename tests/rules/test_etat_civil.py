"""Step ④: civilité, nom de naissance, prénoms, date et lieu de naissance, and the whole form."""

from datetime import date

import pytest

from moncompte import rules
from moncompte.rules.etat_civil import (
    CivilStatus,
    parse_date,
    validate_birth_date,
    validate_birth_name,
    validate_birth_place,
    validate_civil_status,
    validate_civilite,
    validate_given_names,
)

TODAY = date(2024, 6, 1)

CIVILITE = ("EC-CIVILITE", "civilite", "Choisissez une civilité : Madame ou Monsieur")
NOM = (
    "EC-NOM-NAISSANCE",
    "nom_naissance",
    "ne peut contenir que des lettres, des espaces, des tirets et des apostrophes",
)
NOM_LONG = ("EC-NOM-NAISSANCE", "nom_naissance", "ne doit pas dépasser 50 caractères")
NOM_REQUIS = ("EC-NOM-NAISSANCE", "nom_naissance", "Ce champ est obligatoire : Nom de naissance")
PRENOMS = ("EC-PRENOMS", "prenoms", "ne peuvent contenir que des lettres, des espaces, des tirets et des apostrophes")
PRENOMS_LONG = ("EC-PRENOMS", "prenoms", "ne doivent pas dépasser 80 caractères")
PRENOMS_REQUIS = ("EC-PRENOMS", "prenoms", "Ce champ est obligatoire : Prénoms")
DATE = ("EC-DATE-NAISSANCE", "date_naissance", "n'est pas une date valide (format JJ/MM/AAAA)")
DATE_FUTURE = ("EC-DATE-NAISSANCE", "date_naissance", "ne peut pas être dans le futur")
DATE_ANCIENNE = ("EC-DATE-NAISSANCE", "date_naissance", "ne peut pas être antérieure au 1er janvier 1900")
DATE_REQUISE = ("EC-DATE-NAISSANCE", "date_naissance", "Ce champ est obligatoire : Date de naissance")
LIEU = ("EC-LIEU-NAISSANCE", "lieu_naissance", "code de commune INSEE")
LIEU_REQUIS = ("EC-LIEU-NAISSANCE", "lieu_naissance", "Ce champ est obligatoire : Lieu de naissance")
NIR_REQUIS = ("EC-CHAMPS", "nir", "Ce champ est obligatoire : Numéro de sécurité sociale")


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("Madame", [], id="madame"),
        pytest.param("Monsieur", [], id="monsieur"),
        pytest.param("  Monsieur ", [], id="espaces-autour"),
        pytest.param("monsieur", [CIVILITE], id="minuscule"),
        pytest.param("Mademoiselle", [CIVILITE], id="mademoiselle"),
        pytest.param("M.", [CIVILITE], id="abreviation"),
        pytest.param("", [CIVILITE], id="vide"),
        pytest.param(None, [CIVILITE], id="absente"),
    ],
)
def test_civilite(value, expected, assert_refused):
    assert_refused(validate_civilite(value), *expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("Dupont", [], id="simple"),
        pytest.param("Dupont-Martin", [], id="trait-d-union"),
        pytest.param("N'Diaye", [], id="apostrophe"),
        pytest.param("O’Brien", [], id="apostrophe-typographique"),
        pytest.param("Lefèvre", [], id="accent"),
        pytest.param("Çelik", [], id="cedille"),
        pytest.param("Núñez", [], id="tilde"),
        pytest.param("  de   la Tour ", [], id="espaces-reduits"),
        pytest.param("A" * 50, [], id="50-caracteres"),
        pytest.param("A" * 51, [NOM_LONG], id="51-caracteres"),
        # The birth name is kept in capitals: « ß » becomes « SS », so 50 characters typed make 51 stored.
        pytest.param("A" * 49 + "ß", [NOM_LONG], id="50-caracteres-51-en-capitales"),
        pytest.param("Dupont2", [NOM], id="chiffre"),
        pytest.param("Du\x00pont", [NOM], id="caractere-nul"),
        pytest.param("Du\x07pont", [NOM], id="caractere-de-controle"),
        pytest.param("Du\npont", [NOM], id="saut-de-ligne"),
        pytest.param("Jean.Pierre", [NOM], id="point"),
        pytest.param("-Dupont", [NOM], id="tiret-initial"),
        pytest.param("Dupont--Martin", [NOM], id="double-tiret"),
        pytest.param("", [NOM_REQUIS], id="vide"),
        pytest.param("   ", [NOM_REQUIS], id="espaces-seuls"),
        pytest.param(None, [NOM_REQUIS], id="absent"),
    ],
)
def test_birth_name(value, expected, assert_refused):
    assert_refused(validate_birth_name(value), *expected)


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("Jean", [], id="un-prenom"),
        pytest.param("Jean-Pierre Marie Élodie", [], id="plusieurs-prenoms"),
        pytest.param("J" * 80, [], id="80-caracteres"),
        pytest.param("J" * 81, [PRENOMS_LONG], id="81-caracteres"),
        # Given names are kept as typed (not in capitals): « ß » stays one character.
        pytest.param("J" * 79 + "ß", [], id="80-caracteres-avec-eszett"),
        pytest.param("Jean3", [PRENOMS], id="chiffre"),
        pytest.param("Je\x00an", [PRENOMS], id="caractere-nul"),
        pytest.param("", [PRENOMS_REQUIS], id="vide"),
    ],
)
def test_given_names(value, expected, assert_refused):
    assert_refused(validate_given_names(value), *expected)


def test_name_length_limit_is_a_parameter(assert_refused):
    settings = rules.settings({"EC-NOM-NAISSANCE": {"longueur_max": 5}})
    assert_refused(
        validate_birth_name("Durand", settings),
        ("EC-NOM-NAISSANCE", "nom_naissance", "ne doit pas dépasser 5 caractères"),
    )
    assert_refused(validate_birth_name("Duran", settings))


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("14/05/1985", [], id="jj-mm-aaaa"),
        pytest.param("1985-05-14", [], id="iso"),
        pytest.param(date(1985, 5, 14), [], id="objet-date"),
        pytest.param("29/02/2000", [], id="29-fevrier-bissextile"),
        pytest.param("01/01/1900", [], id="1er-janvier-1900"),
        pytest.param("01/06/2024", [], id="aujourd-hui"),
        pytest.param("02/06/2024", [DATE_FUTURE], id="demain"),
        pytest.param("2030-01-01", [DATE_FUTURE], id="futur-iso"),
        pytest.param("31/12/1899", [DATE_ANCIENNE], id="31-decembre-1899"),
        pytest.param("31/02/2000", [DATE], id="31-fevrier"),
        pytest.param("29/02/2001", [DATE], id="29-fevrier-non-bissextile"),
        pytest.param("14.05.1985", [DATE], id="points"),
        pytest.param("14 mai 1985", [DATE], id="en-lettres"),
        pytest.param("", [DATE_REQUISE], id="vide"),
        pytest.param(None, [DATE_REQUISE], id="absente"),
    ],
)
def test_birth_date(value, expected, assert_refused):
    assert_refused(validate_birth_date(value, today=TODAY), *expected)


def test_parse_date():
    assert parse_date("14/05/1985") == date(1985, 5, 14)
    assert parse_date(" 1985-05-14 ") == date(1985, 5, 14)
    assert parse_date("31/02/2000") is None


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("75056", [], id="paris"),
        pytest.param("2A004", [], id="ajaccio-2A"),
        pytest.param("2b033", [], id="bastia-2b-minuscule"),
        pytest.param("97411", [], id="saint-denis-reunion"),
        pytest.param("97611", [], id="mayotte"),
        pytest.param("98818", [], id="noumea-nouvelle-caledonie"),
        pytest.param("98735", [], id="papeete-polynesie"),
        pytest.param("98613", [], id="wallis-et-futuna"),
        pytest.param("98318", [LIEU], id="983-aucune-collectivite"),
        pytest.param("98018", [LIEU], id="980-aucune-collectivite"),
        pytest.param("99134", [], id="espagne"),
        pytest.param(" 75056 ", [], id="espaces-autour"),
        pytest.param("99100", [LIEU], id="99100-est-la-france"),
        pytest.param("96001", [LIEU], id="departement-96"),
        pytest.param("00001", [LIEU], id="departement-00"),
        pytest.param("2C004", [LIEU], id="2C"),
        pytest.param("9741", [LIEU], id="4-caracteres"),
        pytest.param("Paris", [LIEU], id="nom-de-commune"),
        pytest.param("", [LIEU_REQUIS], id="vide"),
    ],
)
def test_birth_place(value, expected, assert_refused):
    assert_refused(validate_birth_place(value), *expected)


COMPLETE = CivilStatus(
    nir="1 85 05 75 056 123 88",
    civilite="Monsieur",
    nom_naissance="Dupont",
    prenoms="Jean Pierre",
    date_naissance="14/05/1985",
    lieu_naissance="75056",
)


def test_complete_civil_status_is_accepted(assert_refused):
    assert_refused(validate_civil_status(COMPLETE, today=TODAY))


def test_every_missing_field_is_named(assert_refused):
    empty = CivilStatus("", "", "", "", "", "")
    assert_refused(
        validate_civil_status(empty, today=TODAY),
        NIR_REQUIS,
        CIVILITE,
        NOM_REQUIS,
        PRENOMS_REQUIS,
        DATE_REQUISE,
        LIEU_REQUIS,
    )


def test_without_nir_the_nir_may_be_empty(assert_refused):
    status = CivilStatus("", "Madame", "Martin", "Julie", "1990-12-01", "2A004")
    assert_refused(validate_civil_status(status, without_nir=True, today=TODAY))


def test_without_nir_a_typed_nir_is_refused(assert_refused):
    status = CivilStatus("290122A00404548", "Madame", "Martin", "Julie", "1990-12-01", "2A004")
    assert_refused(
        validate_civil_status(status, without_nir=True, today=TODAY),
        ("ID-PROVISOIRE", "nir", "ne pas avoir de numéro de sécurité sociale : laissez ce champ vide"),
    )


def test_nir_is_checked_against_the_other_fields(assert_refused):
    status = CivilStatus("185057505612388", "Madame", "Dupont", "Jean", "14/05/1986", "69123")
    assert_refused(
        validate_civil_status(status, today=TODAY),
        ("NIR-SEXE", "nir", "ne correspond pas à la civilité"),
        ("NIR-NAISSANCE", "nir", "ne correspond pas à la date de naissance"),
        ("NIR-LIEU", "nir", "ne correspond pas au lieu de naissance saisi"),
    )


def test_nir_is_not_compared_with_fields_that_are_themselves_refused(assert_refused):
    status = CivilStatus("185057505612388", "Monsieur", "Dupont", "Jean", "31/02/1985", "Paris")
    assert_refused(validate_civil_status(status, today=TODAY), DATE, LIEU)


def test_normalized_form():
    assert COMPLETE.normalized() == CivilStatus(
        nir="185057505612388",
        civilite="Monsieur",
        nom_naissance="DUPONT",
        prenoms="Jean Pierre",
        date_naissance="1985-05-14",
        lieu_naissance="75056",
    )


def test_normalized_form_keeps_an_invalid_date_as_typed():
    status = CivilStatus(
        " 185057505612388 ", " Madame ", "  de   la tour ", " Jean  Pierre ", " 31/02/1985 ", " 2a004 "
    )
    assert status.normalized() == CivilStatus(
        nir="185057505612388",
        civilite="Madame",
        nom_naissance="DE LA TOUR",
        prenoms="Jean Pierre",
        date_naissance="31/02/1985",
        lieu_naissance="2A004",
    )


def test_the_profile_applies_to_every_field_of_the_form(assert_refused):
    profile = rules.settings(
        {
            "EC-CIVILITE": {"valeurs": ["Madame"]},
            "EC-NOM-NAISSANCE": {"longueur_max": 5},
            "EC-PRENOMS": {"longueur_max": 5},
            "EC-DATE-NAISSANCE": {"annee_min": 1990},
            "NIR-SEXE": {"nia_accepte": True},
        }
    )
    # A numéro d'attente (first digit 7, Monsieur), accepted by this profile only.
    status = CivilStatus("785057505612379", "Monsieur", "Dupont", "Jean Pierre", "14/05/1985", "75056")
    assert_refused(
        validate_civil_status(status, today=TODAY, settings=profile),
        CIVILITE,
        ("EC-NOM-NAISSANCE", "nom_naissance", "ne doit pas dépasser 5 caractères"),
        ("EC-PRENOMS", "prenoms", "ne doivent pas dépasser 5 caractères"),
        ("EC-DATE-NAISSANCE", "date_naissance", "ne peut pas être antérieure au 1er janvier 1990"),
    )
    assert_refused(
        validate_civil_status(status, today=TODAY),
        ("NIR-SEXE", "nir", "numéro d'attente"),
    )


def test_future_date_is_judged_on_the_given_day_and_not_compared_with_the_nir(assert_refused):
    # 2 June 2024 is in the future on TODAY (1 June 2024): refused, and the NIR (born May 1985)
    # is not compared with a date that is itself refused.
    status = CivilStatus("185057505612388", "Monsieur", "Dupont", "Jean", "02/06/2024", "75056")
    assert_refused(validate_civil_status(status, today=TODAY), DATE_FUTURE)


def test_refusals_follow_the_order_of_the_fields(assert_refused):
    # The NIR field comes first on the form, so its refusal comes before the civilité's.
    wrong_key = CivilStatus("185057505612387", "Mademoiselle", "Dupont", "Jean", "14/05/1985", "75056")
    assert_refused(
        validate_civil_status(wrong_key, today=TODAY),
        ("NIR-CLE", "nir", "La clé du numéro de sécurité sociale est incorrecte"),
        CIVILITE,
    )
    typed_without_nir = CivilStatus("185057505612388", "Mademoiselle", "Dupont", "Jean", "14/05/1985", "75056")
    assert_refused(
        validate_civil_status(typed_without_nir, without_nir=True, today=TODAY),
        ("ID-PROVISOIRE", "nir", "ne pas avoir de numéro de sécurité sociale : laissez ce champ vide"),
        CIVILITE,
    )


def test_a_person_born_in_noumea_is_accepted(assert_refused):
    """NIR of a woman born in March 1990 in Nouméa (988 18), order 042: key 97 − (2900398818042 mod 97) = 29."""
    status = CivilStatus("2 90 03 988 18 042 29", "Madame", "Wamytan", "Léa", "01/03/1990", "98818")
    assert_refused(validate_civil_status(status, today=TODAY))
    born_in_tahiti = CivilStatus("2 90 03 988 18 042 29", "Madame", "Wamytan", "Léa", "01/03/1990", "98735")
    assert_refused(validate_civil_status(born_in_tahiti, today=TODAY), ("NIR-LIEU", "nir", "lieu de naissance"))
