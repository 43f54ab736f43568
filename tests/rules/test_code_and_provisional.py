"""Steps ⑥ ⑦: the confirmation code's format; step ④: the provisional identifier."""

import pytest

from moncompte import rules
from moncompte.rules.code import validate_code_format
from moncompte.rules.identifiant_provisoire import from_number, is_provisional_id

FORMAT = ("CODE-FORMAT", "code", "Le code de confirmation comporte 6 chiffres")
REQUIS = ("CODE-VALIDATION", "code", "Ce champ est obligatoire : Code de confirmation")


@pytest.mark.parametrize(
    "value, expected",
    [
        pytest.param("123456", [], id="6-chiffres"),
        pytest.param("012345", [], id="zero-initial"),
        pytest.param("12 34 56", [], id="espaces-ignores"),
        pytest.param("12345", [FORMAT], id="5-chiffres"),
        pytest.param("1234567", [FORMAT], id="7-chiffres"),
        pytest.param("12a456", [FORMAT], id="lettre"),
        pytest.param("ABCDEF", [FORMAT], id="lettres"),
        pytest.param("12-456", [FORMAT], id="tiret"),
        pytest.param("１２３４５６", [FORMAT], id="chiffres-pleine-chasse"),
        pytest.param("٠١٢٣٤٥", [FORMAT], id="chiffres-arabes-orientaux"),
        pytest.param("", [REQUIS], id="vide"),
        pytest.param(None, [REQUIS], id="absent"),
    ],
)
def test_code_format(value, expected, assert_refused):
    assert_refused(validate_code_format(value), *expected)


def test_code_length_is_a_parameter(assert_refused):
    four = rules.settings({"CODE-FORMAT": {"longueur": 4}})
    assert_refused(validate_code_format("1234", four))
    assert_refused(validate_code_format("123456", four), ("CODE-FORMAT", "code", "comporte 4 chiffres"))


@pytest.mark.parametrize(
    "value, valid",
    [
        pytest.param("P123456789", True, id="P-9-chiffres"),
        pytest.param("p123456789", True, id="minuscule"),
        pytest.param(" P123456789 ", True, id="espaces-autour"),
        pytest.param("P12345678", False, id="8-chiffres"),
        pytest.param("P1234567890", False, id="10-chiffres"),
        pytest.param("X123456789", False, id="autre-lettre"),
        pytest.param("123456789", False, id="sans-lettre"),
        pytest.param("185057505612388", False, id="nir"),
        pytest.param("", False, id="vide"),
        pytest.param(None, False, id="absent"),
    ],
)
def test_provisional_id_format(value, valid):
    assert is_provisional_id(value) is valid


def test_provisional_id_format_is_a_parameter():
    settings = rules.settings({"ID-PROVISOIRE": {"format": r"^TMP-[0-9]{6}$"}})
    assert is_provisional_id("TMP-123456", settings)
    assert not is_provisional_id("P123456789", settings)
    four_letters = rules.settings({"ID-PROVISOIRE": {"format": r"^[A-Z]{4}$"}})
    assert is_provisional_id("abcd", four_letters)
    assert not is_provisional_id(None, four_letters)  # an absent value is never an identifier


@pytest.mark.parametrize(
    "number, expected",
    [(0, "P000000000"), (42, "P000000042"), (999_999_999, "P999999999")],
)
def test_from_number(number, expected):
    assert from_number(number) == expected
    assert is_provisional_id(expected)


@pytest.mark.parametrize("number", [-1, 1_000_000_000])
def test_from_number_out_of_range(number):
    with pytest.raises(ValueError, match="^a provisional identifier number has at most 9 digits$"):
        from_number(number)
