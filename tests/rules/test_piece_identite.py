"""Step ⑤: the number of the titre d'identité, per kind, and the MRZ check digit.

MRZ check digits computed by hand (weights 7, 3, 1 repeated; 0–9 as is, A–Z = 10–35):
- 12AB34567: 1×7 + 2×3 + A(10)×1 + B(11)×7 + 3×3 + 4×1 + 5×7 + 6×3 + 7×1 = 173 → 3
- L898902C3 (the ICAO 9303 specimen): 21×7 + 8×3 + 9 + 8×7 + 9×3 + 0 + 2×7 + C(12)×3 + 3 = 316 → 6
- 123456789: 7 + 6 + 3 + 28 + 15 + 6 + 49 + 24 + 9 = 147 → 7
- X4RTBPFWZ: X(33)×7 + 4×3 + R(27) + T(29)×7 + B(11)×3 + P(25) + F(15)×7 + W(32)×3 + Z(35) = 767 → 7
"""

import re

import pytest

from moncompte import rules
from moncompte.rules.piece_identite import canonical, mask_document_number, mrz_check_digit, validate_document_number

CNI = ("PI-NUMERO", "numero_titre", "Le numéro de carte d'identité doit comporter 9 lettres ou chiffres")
PASSEPORT = ("PI-NUMERO", "numero_titre", "Le numéro de passeport doit comporter 2 chiffres, 2 lettres puis 5 chiffres")
SEJOUR = ("PI-NUMERO", "numero_titre", "Le numéro de titre de séjour doit comporter 10 chiffres")
MRZ = (
    "PI-CONTROLE-MRZ",
    "numero_titre",
    "Le chiffre de contrôle saisi après le numéro du titre d'identité est incorrect",
)
TYPE = ("PI-NUMERO", "type_titre", "Choisissez le type de titre d'identité")
REQUIS = ("PI-NUMERO", "numero_titre", "Ce champ est obligatoire : Numéro du titre d'identité")


@pytest.mark.parametrize(
    "number, kind, expected",
    [
        # carte nationale d'identité depuis 2021 : 9 lettres ou chiffres
        pytest.param("X4RTBPFW4", "cni", [], id="cni-9"),
        pytest.param("x4rt bpfw4", "cni", [], id="cni-9-minuscules-espace"),
        pytest.param("X4RTBPFW", "cni", [CNI], id="cni-8"),
        pytest.param("X4RTBPFW4Z", "cni", [CNI], id="cni-10-lettre-finale"),
        pytest.param("X4RTBPFW4!", "cni", [CNI], id="cni-ponctuation"),
        # ancienne carte : 12 caractères, AAMM + 3 caractères + 5 chiffres
        pytest.param("880675A12345", "cni", [], id="ancienne-cni-12"),
        pytest.param("88067512345", "cni", [CNI], id="ancienne-cni-11"),
        pytest.param("880675A123456", "cni", [CNI], id="ancienne-cni-13"),
        pytest.param("AB0675A12345", "cni", [CNI], id="ancienne-cni-lettres-au-debut"),
        # passeport français : 2 chiffres, 2 lettres, 5 chiffres
        pytest.param("12AB34567", "passeport", [], id="passeport"),
        pytest.param("12ab34567", "passeport", [], id="passeport-minuscules"),
        pytest.param("1AB345678", "passeport", [PASSEPORT], id="passeport-1-chiffre"),
        pytest.param("12A134567", "passeport", [PASSEPORT], id="passeport-1-lettre"),
        pytest.param("12AB3456", "passeport", [PASSEPORT], id="passeport-8"),
        pytest.param("X4RTBPFW4", "passeport", [PASSEPORT], id="numero-cni-en-passeport"),
        pytest.param("１２AB３４５６７", "passeport", [PASSEPORT], id="passeport-chiffres-pleine-chasse"),
        # titre de séjour : 10 chiffres (AGDREF)
        pytest.param("1234567890", "titre_sejour", [], id="sejour-10"),
        pytest.param("123456789", "titre_sejour", [SEJOUR], id="sejour-9"),
        pytest.param("12345678901", "titre_sejour", [SEJOUR], id="sejour-11"),
        pytest.param("123456789A", "titre_sejour", [SEJOUR], id="sejour-lettre"),
        pytest.param("１２３４５６７８９０", "titre_sejour", [SEJOUR], id="sejour-chiffres-pleine-chasse"),
        # type et champ vide
        pytest.param("12AB34567", "permis", [TYPE], id="type-inconnu"),
        pytest.param("12AB34567", None, [TYPE], id="type-absent"),
        pytest.param("", "cni", [REQUIS], id="numero-vide"),
    ],
)
def test_document_number(number, kind, expected, assert_refused):
    assert_refused(validate_document_number(number, kind), *expected)


@pytest.mark.parametrize(
    "number, kind, expected",
    [
        pytest.param("12AB345673", "passeport", [], id="passeport-bon-chiffre"),
        pytest.param("12AB345674", "passeport", [MRZ], id="passeport-chiffre-plus-1"),
        pytest.param("12AB345672", "passeport", [MRZ], id="passeport-chiffre-moins-1"),
        pytest.param("L898902C36", "cni", [], id="specimen-oaci-bon-chiffre"),
        pytest.param("L898902C35", "cni", [MRZ], id="specimen-oaci-faux"),
        pytest.param("1234567897", "cni", [], id="cni-chiffres-bon-chiffre"),
        pytest.param("1234567890", "cni", [MRZ], id="cni-chiffres-faux"),
        pytest.param("1234567890", "titre_sejour", [], id="pas-de-mrz-pour-le-titre-de-sejour"),
    ],
)
def test_mrz_check_digit_after_the_number(number, kind, expected, assert_refused):
    assert_refused(validate_document_number(number, kind), *expected)


@pytest.mark.parametrize(
    "text, digit",
    [
        ("12AB34567", "3"),
        ("L898902C3", "6"),
        ("123456789", "7"),
        ("<<<<<<<<<", "0"),
        ("X4RTBPFWZ", "7"),  # Z, the last letter, is 35
        ("x4rtbpfwz", "7"),  # lower case is read as upper case
    ],
)
def test_mrz_check_digit(text, digit):
    assert mrz_check_digit(text) == digit


@pytest.mark.parametrize(
    "text, char",
    [
        pytest.param("12-AB", "-", id="tiret"),
        pytest.param("12AB_4567", "_", id="souligne"),
        pytest.param("12AB[4567", "[", id="crochet"),  # between « Z » and « z » in ASCII
        pytest.param("É1", "É", id="lettre-accentuee"),
    ],
)
def test_mrz_check_digit_refuses_other_characters(text, char):
    with pytest.raises(ValueError, match=f"^{re.escape(f'not an MRZ character: {char!r}')}$"):
        mrz_check_digit(text)


def test_canonical_drops_the_check_digit():
    assert canonical("12AB345673", "passeport") == "12AB34567"
    assert canonical("12 ab 34567", "passeport") == "12AB34567"
    assert canonical("1234567890", "titre_sejour") == "1234567890"


@pytest.mark.parametrize(
    "number, masked",
    [
        ("12AB34567", "•••••4567"),
        ("12 ab 34567", "•••••4567"),
        ("880675A12345", "••••••••2345"),
        ("1234567890", "••••••7890"),
    ],
)
def test_mask_document_number(number, masked):
    assert mask_document_number(number) == masked


def test_mask_follows_the_profile():
    assert mask_document_number("12AB34567", rules.settings({"RECAP-PIECE-MASQUEE": {"caracteres_visibles": 0}})) == (
        "•••••••••"
    )
    assert mask_document_number("12AB34567", rules.settings({"RECAP-PIECE-MASQUEE": {"caracteres_visibles": 2}})) == (
        "•••••••67"
    )
    assert mask_document_number("12AB34567", rules.settings({"RECAP-PIECE-MASQUEE": {"caracteres_visibles": 1}})) == (
        "••••••••7"
    )
