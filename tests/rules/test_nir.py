"""Step ④: the numéro de sécurité sociale (NIR), its key, and its consistency with the état civil.

Every NIR below was built by hand: body of 13 characters, then
key = 97 − (body mod 97), with 2A replaced by 19 and 2B by 18 first. For example
1850575056123 mod 97 = 9, so the key is 88.
Other bodies: 1850598818123 (Nouméa, 988) mod 97 = 16 → key 81; 1700320033012 (Bastia, Corse
numbered 20 before 1976) mod 97 = 27 → key 70.
"""

from datetime import date

import pytest

from moncompte import rules
from moncompte.rules.nir import build, compute_key, normalize, parse, validate_nir

FORMAT = ("NIR-FORMAT", "nir", "doit comporter 15 caractères")
CLE = ("NIR-CLE", "nir", "La clé du numéro de sécurité sociale est incorrecte")
SEXE_CIVILITE = ("NIR-SEXE", "nir", "ne correspond pas à la civilité")
SEXE_INCONNU = ("NIR-SEXE", "nir", "doit être 1 (homme) ou 2 (femme)")
NIA = ("NIR-SEXE", "nir", "numéro d'attente")
MOIS = ("NIR-NAISSANCE", "nir", "mois de naissance du numéro de sécurité sociale (4e et 5e chiffres) n'existe pas")
NAISSANCE = ("NIR-NAISSANCE", "nir", "ne correspond pas à la date de naissance")
LIEU = ("NIR-LIEU", "nir", "ne correspond pas au lieu de naissance saisi")

M, F = "Monsieur", "Madame"

# nir, civilité, date de naissance, lieu de naissance (INSEE)
VALID = [
    pytest.param("185057505612388", M, date(1985, 5, 14), "75056", id="paris"),
    pytest.param("1 85 05 75 056 123 88", M, date(1985, 5, 14), "75056", id="avec-espaces"),
    pytest.param("1-85-05-75-056-123-88", M, date(1985, 5, 14), "75056", id="avec-tirets"),
    pytest.param("185056912304564", M, date(1985, 5, 1), "69123", id="lyon"),
    pytest.param("290122A00404548", F, date(1990, 12, 1), "2A004", id="corse-du-sud-2A"),
    pytest.param("290122a00404548", F, date(1990, 12, 1), "2A004", id="2a-minuscule"),
    pytest.param("180032B03301222", M, date(1980, 3, 1), "2B033", id="haute-corse-2B"),
    pytest.param("275079913400716", F, date(1975, 7, 1), "99134", id="nee-a-l-etranger-espagne"),
    pytest.param("188019741132175", M, date(1988, 1, 3), "97411", id="reunion-974"),
    pytest.param("185207505612337", M, date(1985, 11, 3), "75056", id="mois-inconnu-20"),
    pytest.param("204427505600165", F, date(2004, 8, 1), "75056", id="mois-inconnu-42"),
    pytest.param("185507505612332", M, date(1985, 2, 3), "75056", id="mois-inconnu-50"),
    pytest.param("175032000401216", M, date(1975, 3, 1), "2A004", id="corse-20-en-1975"),
]


@pytest.mark.parametrize("nir, civilite, born, place", VALID)
def test_valid_nir_consistent_with_civil_status(nir, civilite, born, place, assert_refused):
    assert_refused(validate_nir(nir, civilite=civilite, birth_date=born, birth_place=place))


@pytest.mark.parametrize(
    "nir, expected",
    [
        pytest.param("", FORMAT, id="vide"),
        pytest.param("18505750561238", FORMAT, id="14-caracteres"),
        pytest.param("1850575056123888", FORMAT, id="16-caracteres"),
        pytest.param("ABCDEFGHIJKLMNO", FORMAT, id="lettres"),
        pytest.param("290122C00404548", FORMAT, id="2C-n-existe-pas"),
        pytest.param("１８５０５７５０５６１２３８８", FORMAT, id="chiffres-pleine-chasse"),
        pytest.param("185057505612387", CLE, id="cle-moins-1"),
        pytest.param("185057505612389", CLE, id="cle-plus-1"),
        pytest.param("290122A00404547", CLE, id="2A-cle-moins-1"),
        pytest.param("290122A00404549", CLE, id="2A-cle-plus-1"),
        pytest.param("290122B00404548", CLE, id="cle-2A-sur-numero-2B"),  # with 2B the key is 75
        pytest.param("180032B03301221", CLE, id="2B-cle-moins-1"),
        pytest.param("180032B03301223", CLE, id="2B-cle-plus-1"),
        pytest.param("185137505612322", MOIS, id="mois-13"),
        pytest.param("385057505612385", SEXE_INCONNU, id="premier-chiffre-3"),
        pytest.param("785057505612379", NIA, id="nia-7"),
        pytest.param("890057505612375", NIA, id="nia-8"),
    ],
)
def test_refused_alone(nir, expected, assert_refused):
    assert_refused(validate_nir(nir), expected)


@pytest.mark.parametrize(
    "nir, civilite, expected",
    [
        pytest.param("185057505612388", F, [SEXE_CIVILITE], id="1-et-madame"),
        pytest.param("290122A00404548", M, [SEXE_CIVILITE], id="2-et-monsieur"),
        pytest.param("185057505612388", M, [], id="1-et-monsieur"),
        pytest.param("290122A00404548", F, [], id="2-et-madame"),
        pytest.param("785057505612379", M, [NIA], id="nia-refuse-par-defaut"),
    ],
)
def test_sex_digit_matches_civilite(nir, civilite, expected, assert_refused):
    assert_refused(validate_nir(nir, civilite=civilite), *expected)


@pytest.mark.parametrize(
    "nir, civilite, expected",
    [
        pytest.param("785057505612379", M, [], id="7-monsieur"),
        pytest.param("890057505612375", F, [], id="8-madame"),
        pytest.param("785057505612379", F, [SEXE_CIVILITE], id="7-madame"),
        pytest.param("890057505612375", M, [SEXE_CIVILITE], id="8-monsieur"),
    ],
)
def test_nia_accepted_when_the_profile_says_so(nir, civilite, expected, assert_refused):
    settings = rules.settings({"NIR-SEXE": {"nia_accepte": True}})
    assert_refused(validate_nir(nir, civilite=civilite, settings=settings), *expected)


@pytest.mark.parametrize(
    "nir, born, expected",
    [
        pytest.param("185057505612388", date(1985, 5, 31), [], id="meme-annee-meme-mois"),
        pytest.param("185057505612388", date(1985, 6, 14), [NAISSANCE], id="autre-mois"),
        pytest.param("185057505612388", date(1985, 4, 14), [NAISSANCE], id="mois-precedent"),
        pytest.param("185057505612388", date(1986, 5, 14), [NAISSANCE], id="autre-annee"),
        pytest.param("185207505612337", date(1985, 1, 1), [], id="mois-20-tout-mois"),
        pytest.param("185207505612337", date(1985, 12, 31), [], id="mois-20-decembre"),
        pytest.param("185207505612337", date(1986, 11, 3), [NAISSANCE], id="mois-20-autre-annee"),
        pytest.param("204427505600165", date(2004, 1, 1), [], id="mois-42-tout-mois"),
        pytest.param("204427505600165", date(2005, 1, 1), [NAISSANCE], id="mois-42-autre-annee"),
        pytest.param("185507505612332", date(1985, 9, 9), [], id="mois-50-tout-mois"),
        pytest.param("185507505612332", date(1984, 2, 3), [NAISSANCE], id="mois-50-autre-annee"),
    ],
)
def test_year_and_month_match_birth_date(nir, born, expected, assert_refused):
    assert_refused(validate_nir(nir, birth_date=born), *expected)


@pytest.mark.parametrize(
    "nir, place, born, expected",
    [
        pytest.param("185057505612388", "75056", None, [], id="paris-paris"),
        pytest.param("185057505612388", "69123", None, [LIEU], id="paris-lyon"),
        pytest.param("185056912304564", "75056", None, [LIEU], id="lyon-paris"),
        pytest.param("185057505612388", "99134", None, [LIEU], id="paris-mais-ne-a-l-etranger"),
        pytest.param("275079913400716", "99134", None, [], id="etranger-meme-pays"),
        pytest.param("275079913400716", "99109", None, [LIEU], id="etranger-autre-pays"),
        pytest.param("275079913400716", "75056", None, [LIEU], id="etranger-mais-ne-a-paris"),
        pytest.param("188019741132175", "97411", None, [], id="reunion-reunion"),
        pytest.param("188019741132175", "97209", None, [LIEU], id="reunion-martinique"),
        pytest.param("290122A00404548", "2A004", None, [], id="2A-2A"),
        pytest.param("290122A00404548", "2B033", None, [LIEU], id="2A-2B"),
        pytest.param("180032B03301222", "2A004", None, [LIEU], id="2B-2A"),
        pytest.param("175032000401216", "2A004", date(1975, 3, 1), [], id="corse-20-avant-1976"),
        pytest.param("176032000401264", "2A004", date(1976, 3, 1), [LIEU], id="corse-20-en-1976"),
        pytest.param("180032000401262", "2A004", date(1980, 3, 1), [LIEU], id="corse-20-en-1980"),
        pytest.param("170032003301270", "2B033", date(1970, 3, 1), [], id="corse-20-haute-corse-avant-1976"),
        pytest.param("170032003301270", "2b033", date(1970, 3, 1), [], id="corse-20-2b-minuscule"),
        # Nouvelle-Calédonie: department 988, then a 2-digit commune (98818 Nouméa, 98735 Papeete).
        pytest.param("185059881812381", "98818", None, [], id="noumea-noumea"),
        pytest.param("185059881812381", "98735", None, [LIEU], id="noumea-papeete"),
    ],
)
def test_department_matches_birth_place(nir, place, born, expected, assert_refused):
    assert_refused(validate_nir(nir, birth_date=born, birth_place=place), *expected)


def test_several_inconsistencies_are_all_reported(assert_refused):
    assert_refused(
        validate_nir("185057505612388", civilite=F, birth_date=date(1986, 5, 14), birth_place="69123"),
        SEXE_CIVILITE,
        NAISSANCE,
        LIEU,
    )


def test_normalize_strips_separators_and_upper_cases():
    assert normalize(" 2 90 12 2a 004 045 48 ") == "290122A00404548"
    assert normalize("1.85.05.75.056.123.88") == "185057505612388"


@pytest.mark.parametrize(
    "body, key",
    [
        ("1850575056123", "88"),
        ("290122A004045", "48"),
        ("290122B004045", "75"),
        ("180032B033012", "22"),
        ("2750799134007", "16"),
    ],
)
def test_compute_key(body, key):
    assert compute_key(body) == key


@pytest.mark.parametrize(
    "args, kwargs, expected",
    [
        (("1", date(1985, 5, 14), "75056", 123), {}, "185057505612388"),
        (("2", date(1990, 12, 1), "2A004", 45), {}, "290122A00404548"),
        (("1", date(1980, 3, 1), "2B033", 12), {}, "180032B03301222"),
        (("2", date(1975, 7, 1), "99134", 7), {}, "275079913400716"),
        (("1", date(1988, 1, 3), "97411", 321), {}, "188019741132175"),
        (("1", date(1985, 11, 3), "75056", 123), {"month": "20"}, "185207505612337"),
        (("1", date(1985, 5, 14), "98818", 123), {}, "185059881812381"),
        (("1", date(1970, 3, 1), "20033", 12), {}, "170032003301270"),
    ],
    ids=["paris", "2A", "2B", "etranger", "reunion", "mois-inconnu", "noumea", "corse-20"],
)
def test_build_round_trips(args, kwargs, expected, assert_refused):
    nir = build(*args, **kwargs)
    assert nir == expected
    assert_refused(validate_nir(nir, birth_date=args[1], birth_place=args[2]))


def test_build_needs_a_birth_date_or_a_month():
    with pytest.raises(ValueError, match="^birth date or month needed$"):
        build("1", None, "75056", 1)


def test_build_with_a_month_and_no_birth_date():
    # Year unknown: "00"; body 1002075056123 mod 97 = 66, so the key is 31.
    assert build("1", None, "75056", 123, month="20") == "100207505612331"


def test_compute_key_needs_a_body_of_13_characters():
    with pytest.raises(ValueError, match="^a NIR body has 13 characters$"):
        compute_key("185057505612")


def test_parse_splits_the_parts():
    paris = parse("1 85 05 75 056 123 88")
    assert (paris.sex, paris.year, paris.month, paris.department, paris.commune, paris.order, paris.key) == (
        "1",
        "85",
        "05",
        "75",
        "056",
        "123",
        "88",
    )
    assert paris.month_known
    reunion = parse("188019741132175")
    assert (reunion.department, reunion.commune, reunion.place_code) == ("974", "11", "97411")
    noumea = parse("185059881812381")
    assert (noumea.department, noumea.commune, noumea.place_code) == ("988", "18", "98818")
    abroad = parse("275079913400716")
    assert (abroad.department, abroad.place_code) == ("99", "99134")
    assert not parse("185207505612337").month_known
    assert parse("185057505612389") is None  # wrong key
    assert parse("185137505612322") is None  # month 13
