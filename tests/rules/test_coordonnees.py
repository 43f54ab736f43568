"""Step ⑥: « mon adresse mail ou mon numéro de téléphone portable »."""

import pytest

from moncompte import rules
from moncompte.rules.coordonnees import (
    normalize_contact,
    normalize_email,
    normalize_mobile,
    validate_contact,
    validate_email,
    validate_mobile,
)

EMAIL = ("CONTACT-EMAIL", "email", "L'adresse e-mail n'est pas valide")
EMAIL_LONG = ("CONTACT-EMAIL", "email", "ne doit pas dépasser 254 caractères")
EMAIL_REQUIS = ("CONTACT-COORDONNEES", "email", "Ce champ est obligatoire : Adresse e-mail")
MOBILE = ("CONTACT-MOBILE", "mobile", "Le numéro de téléphone portable n'est pas valide")
FIXE = ("CONTACT-MOBILE", "mobile", "n'est pas un numéro de téléphone portable")
MOBILE_REQUIS = ("CONTACT-COORDONNEES", "mobile", "Ce champ est obligatoire : Numéro de téléphone portable")
CANAL = ("CONTACT-COORDONNEES", "canal", "Choisissez comment recevoir le code")

# 64 + 1 + 189 = 254 characters: the longest address SMTP carries.
LONGEST = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 58 + ".fr"
TOO_LONG = "a" * 64 + "@" + "b" * 63 + "." + "c" * 63 + "." + "d" * 59 + ".fr"


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("jean.dupont@exemple.fr", [], id="simple"),
        pytest.param("  Jean.Dupont@Exemple.FR ", [], id="espaces-et-majuscules"),
        pytest.param("jean+caf@exemple.fr", [], id="plus"),
        pytest.param("élodie@exemple.fr", [], id="partie-locale-accentuee"),
        pytest.param(LONGEST, [], id="254-caracteres"),
        pytest.param(TOO_LONG, [EMAIL_LONG], id="255-caracteres"),
        pytest.param("jean@exemple", [EMAIL], id="sans-domaine-de-premier-niveau"),
        pytest.param("jean.dupont@", [EMAIL], id="sans-domaine"),
        pytest.param("@exemple.fr", [EMAIL], id="sans-partie-locale"),
        pytest.param("jean dupont@exemple.fr", [EMAIL], id="espace"),
        pytest.param("jean..dupont@exemple.fr", [EMAIL], id="double-point"),
        pytest.param("jean.dupont.exemple.fr", [EMAIL], id="sans-arobase"),
        pytest.param("", [EMAIL_REQUIS], id="vide"),
        pytest.param(None, [EMAIL_REQUIS], id="absent"),
    ],
)
def test_email(value, expected, assert_refused):
    assert len(LONGEST) == 254 and len(TOO_LONG) == 255
    assert_refused(validate_email(value), *expected)


def test_email_length_limit_is_a_parameter(assert_refused):
    settings = rules.settings({"CONTACT-EMAIL": {"longueur_max": 20}})
    assert_refused(
        validate_email("jean.dupont@exemple.fr", settings), ("CONTACT-EMAIL", "email", "ne doit pas dépasser 20")
    )


def test_normalize_email_lower_cases_the_domain_only():
    assert normalize_email(" Jean.Dupont@Exemple.FR ") == "Jean.Dupont@exemple.fr"
    assert normalize_email("jean@exemple") is None


@pytest.mark.parametrize(
    "value, e164",
    [
        pytest.param("06 12 34 56 78", "+33612345678", id="06-metropole"),
        pytest.param("0612345678", "+33612345678", id="06-sans-espaces"),
        pytest.param("07 81 23 45 67", "+33781234567", id="07-metropole"),
        pytest.param("+33 6 12 34 56 78", "+33612345678", id="plus-33"),
        pytest.param("0033 6 12 34 56 78", "+33612345678", id="0033"),
        pytest.param("+262 692 12 34 56", "+262692123456", id="reunion-international"),
        pytest.param("0692 12 34 56", "+262692123456", id="reunion-national"),
        pytest.param("+590 690 12 34 56", "+590690123456", id="guadeloupe"),
        pytest.param("0690 12 34 56", "+590690123456", id="guadeloupe-national"),
        pytest.param("+596 696 12 34 56", "+596696123456", id="martinique"),
        pytest.param("0696 12 34 56", "+596696123456", id="martinique-national"),
        pytest.param("+594 694 12 34 56", "+594694123456", id="guyane"),
        pytest.param("0694 12 34 56", "+594694123456", id="guyane-national"),
    ],
)
def test_mobile_accepted_and_normalized_to_e164(value, e164, assert_refused):
    assert_refused(validate_mobile(value))
    assert normalize_mobile(value) == e164


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("01 23 45 67 89", [FIXE], id="fixe-paris"),
        pytest.param("+33 1 23 45 67 89", [FIXE], id="fixe-international"),
        pytest.param("09 12 34 56 78", [FIXE], id="fixe-09"),
        pytest.param("0262 12 34 56", [FIXE], id="fixe-reunion"),
        pytest.param("08 00 12 34 56", [FIXE], id="numero-vert"),
        pytest.param("abc", [MOBILE], id="lettres"),
        pytest.param("06 12 34", [MOBILE], id="trop-court"),
        pytest.param("0612345678abc", [MOBILE], id="suivi-de-lettres"),
        pytest.param("+44 7911 123456", [MOBILE], id="portable-britannique"),
        pytest.param("+1 202 555 0143", [MOBILE], id="americain"),
        pytest.param("", [MOBILE_REQUIS], id="vide"),
        pytest.param(None, [MOBILE_REQUIS], id="absent"),
    ],
)
def test_mobile_refused(value, expected, assert_refused):
    assert_refused(validate_mobile(value), *expected)
    assert normalize_mobile(value) is None


METROPOLE_ONLY = rules.settings({"CONTACT-MOBILE": {"regions": ["FR"]}})


def test_mobile_regions_are_a_parameter(assert_refused):
    assert_refused(validate_mobile("+262 692 12 34 56", METROPOLE_ONLY), MOBILE)
    assert_refused(validate_mobile("06 12 34 56 78", METROPOLE_ONLY))
    assert normalize_mobile("+262 692 12 34 56", METROPOLE_ONLY) is None
    assert normalize_mobile("06 12 34 56 78", METROPOLE_ONLY) == "+33612345678"


def test_a_region_added_by_the_profile_is_read_in_its_national_form(assert_refused):
    # Nouvelle-Calédonie (+687): 6-digit numbers, no leading 0. « 51 23 45 » is a mobile there.
    with_noumea = rules.settings({"CONTACT-MOBILE": {"regions": ["FR", "NC"]}})
    assert_refused(validate_mobile("51 23 45", with_noumea))
    assert normalize_mobile("51 23 45", with_noumea) == "+687512345"
    assert normalize_contact("sms", "51 23 45", with_noumea) == "+687512345"
    assert_refused(validate_mobile("06 12 34 56 78", with_noumea))


@pytest.mark.parametrize(
    "channel, value, expected",
    [
        pytest.param("email", "jean.dupont@exemple.fr", [], id="email"),
        pytest.param("sms", "06 12 34 56 78", [], id="sms"),
        pytest.param("email", "06 12 34 56 78", [EMAIL], id="numero-en-email"),
        pytest.param("sms", "jean.dupont@exemple.fr", [MOBILE], id="email-en-sms"),
        pytest.param("sms", "01 23 45 67 89", [FIXE], id="fixe-en-sms"),
        pytest.param("fax", "01 23 45 67 89", [CANAL], id="canal-inconnu"),
        pytest.param(None, "jean.dupont@exemple.fr", [CANAL], id="canal-absent"),
    ],
)
def test_validate_contact(channel, value, expected, assert_refused):
    assert_refused(validate_contact(channel, value), *expected)


def test_validate_contact_follows_the_profile(assert_refused):
    short_emails = rules.settings({"CONTACT-EMAIL": {"longueur_max": 20}})
    assert_refused(
        validate_contact("email", "jean.dupont@exemple.fr", short_emails),
        ("CONTACT-EMAIL", "email", "L'adresse e-mail ne doit pas dépasser 20 caractères."),
    )
    assert_refused(validate_contact("sms", "+262 692 12 34 56", METROPOLE_ONLY), MOBILE)


def test_normalize_contact():
    assert normalize_contact("email", "Jean@Exemple.FR") == "Jean@exemple.fr"
    assert normalize_contact("sms", "0692 12 34 56") == "+262692123456"
    with pytest.raises(ValueError, match="^normalize_contact on an invalid contact$"):
        normalize_contact("sms", "01 23 45 67 89")
    # Valid by default (Réunion), but not for a profile limited to metropolitan France.
    assert normalize_contact("sms", "+262 692 12 34 56") == "+262692123456"
    with pytest.raises(ValueError, match="^normalize_contact on an invalid contact$"):
        normalize_contact("sms", "+262 692 12 34 56", METROPOLE_ONLY)
