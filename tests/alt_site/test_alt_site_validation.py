"""Tests of the « Espace allocataire » site's own validation (tests/alt_site/validation.py).

Run: ``.venv/bin/python -m pytest tests/alt_site/test_alt_site_validation.py -q -p no:cacheprovider``.
"""

from __future__ import annotations

import ast
import re
import warnings
from datetime import date
from html import unescape
from pathlib import Path

import pytest
import yaml
from stdnum.fr import nir as stdnum_nir

with warnings.catch_warnings():  # starlette's notice about httpx: not this site's concern
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from . import validation as v
from .app import Site, build_app, load_identities

HERE = Path(__file__).parent
TODAY = date(2025, 6, 1)


def messages(refusals):
    return [r.message for r in refusals]


def fields(refusals):
    return {r.champ for r in refusals}


def etat_civil(**changes):
    """A consistent état civil form (Madame, born 1996-02-16 in Lyon 69123)."""
    form = {"nss": "2 96 02 69 123 781 49", "civilite": "Madame", "nom": "Lemoine", "prenoms": "Claire",
            "naissance": "16/02/1996", "lieu": "69123"}
    return form | changes


# ── independence from the harness ─────────────────────────────────────────────
FORBIDDEN = {"rules", "reference_impl", "steps"}


@pytest.mark.parametrize("module", ["app.py", "validation.py"])
def test_site_imports_nothing_from_the_harness(module):
    tree = ast.parse((HERE / module).read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            imported.add(node.module or "")
            if node.level == 0 and node.module is None:
                imported.update(alias.name for alias in node.names)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "import_module", "__import__"):
            imported.update(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
    bad = {name for name in imported if name.split(".")[0] in FORBIDDEN
           or any(part in FORBIDDEN for part in name.split("."))}
    assert not bad, f"{module} imports {bad}"


# ── NIR ───────────────────────────────────────────────────────────────────────
def with_key(thirteen: str) -> str:
    return thirteen + f"{v.cle_nss(thirteen):02d}"


@pytest.mark.parametrize("thirteen", ["2960269123781", "185052A004123", "1690520004123", "2900399350045",
                                      "1850597411012", "288052B123456"])
def test_key_agrees_with_stdnum(thirteen):
    assert f"{v.cle_nss(thirteen):02d}" == stdnum_nir.calc_check_digits(thirteen)


@pytest.mark.parametrize("value", [
    "296026912378149", "2 96 02 69 123 781 49", "185052A00412356", "185052a00412356", "2900399350045 71",
    with_key("1853048001001"),  # month 30: unknown month
    with_key("2979959350366"),  # month 99
])
def test_nir_accepted(value):
    assert v.valider_nss(value) == []


@pytest.mark.parametrize("value, message", [
    ("", v.NSS_VIDE),
    ("29602691237814", v.NSS_COURT),
    ("2960269123781490", v.NSS_LONG),
    ("29602691237X149", v.NSS_CARACTERES),
    ("2960269A2378149", v.NSS_CARACTERES),
    ("296026912378148", v.NSS_CLE),
    ("185052A00412357", v.NSS_CLE),
])
def test_nir_refused(value, message):
    assert messages(v.valider_nss(value)) == [message]


@pytest.mark.parametrize("first, message", [("7", v.NSS_PROVISOIRE), ("8", v.NSS_PROVISOIRE),
                                            ("3", v.NSS_SEXE), ("0", v.NSS_SEXE)])
def test_nir_sex_digit(first, message):
    assert messages(v.valider_nss(with_key(first + "960269123781"))) == [message]


@pytest.mark.parametrize("month, ok", [("00", False), ("01", True), ("12", True), ("13", False), ("19", False),
                                       ("20", True), ("42", True), ("43", False), ("49", False), ("50", True),
                                       ("99", True)])
def test_nir_month(month, ok):
    assert (v.valider_nss(with_key("296" + month + "69123781")) == []) == ok


def test_corsican_nir_with_2a_and_its_key():
    form = {"nss": "185052A00412356", "civilite": "Monsieur", "nom": "Santoni", "prenoms": "Pierre-Marie",
            "naissance": "12/05/1985", "lieu": "2A004"}
    identity, refusals = v.valider_etat_civil(form, TODAY)
    assert refusals == []
    assert identity.nir == "185052A00412356" and identity.lieu_naissance == "2A004"
    assert messages(v.valider_etat_civil(form | {"nss": "185052A00412357"}, TODAY)[1]) == [v.NSS_CLE]


def test_corsican_born_before_1976_may_have_department_20():
    form = {"nss": with_key("1690520004123"), "civilite": "Monsieur", "nom": "Santoni", "prenoms": "Jean",
            "naissance": "03/05/1969", "lieu": "2A004"}
    assert v.valider_etat_civil(form, TODAY)[1] == []
    assert v.valider_etat_civil(form | {"nss": with_key("169052A004123")}, TODAY)[1] == []
    later = form | {"nss": with_key("1800520004123"), "naissance": "03/05/1980"}
    assert messages(v.valider_etat_civil(later, TODAY)[1]) == [v.NSS_LIEU]


def test_nir_for_a_birth_in_morocco():
    form = etat_civil(nss="2900399350045 71", nom="El Amrani", prenoms="Yasmina", naissance="14/03/1990",
                      lieu="99350")
    identity, refusals = v.valider_etat_civil(form, TODAY)
    assert refusals == [] and identity.lieu_naissance == "99350" and identity.date_naissance == "1990-03-14"
    assert messages(v.valider_etat_civil(form | {"lieu": "99351"}, TODAY)[1]) == [v.NSS_LIEU]


def test_overseas_birth():
    form = etat_civil(nss=with_key("1850597411012"), civilite="Monsieur", naissance="02/05/1985", lieu="97411")
    assert v.valider_etat_civil(form, TODAY)[1] == []


@pytest.mark.parametrize("changes, message", [
    ({"civilite": "Monsieur"}, v.NSS_CIVILITE),
    ({"naissance": "16/02/1997"}, v.NSS_ANNEE),
    ({"naissance": "16/03/1996"}, v.NSS_MOIS_DATE),
    ({"lieu": "69124"}, v.NSS_LIEU),
])
def test_nir_must_match_the_person(changes, message):
    assert [(r.champ, r.message) for r in v.valider_etat_civil(etat_civil(**changes), TODAY)[1]] == [("nss", message)]


def test_unknown_month_in_nir_is_not_compared_with_the_date():
    form = etat_civil(nss=with_key("2965069123781"))
    assert v.valider_etat_civil(form, TODAY)[1] == []


# ── the other fields of the état civil ────────────────────────────────────────
@pytest.mark.parametrize("changes, field, message", [
    ({"civilite": ""}, "civilite", v.CIVILITE_VIDE),
    ({"civilite": "Mademoiselle"}, "civilite", v.CIVILITE_VIDE),
    ({"nom": "  "}, "nom", v.NOM_VIDE),
    ({"nom": "Lemoine2"}, "nom", v.NOM_CARACTERES),
    ({"nom": "L" * 51}, "nom", v.NOM_LONG),
    ({"prenoms": ""}, "prenoms", v.PRENOMS_VIDE),
    ({"prenoms": "Claire_Anne"}, "prenoms", v.PRENOMS_CARACTERES),
    ({"prenoms": "Жанна"}, "prenoms", v.PRENOMS_CARACTERES),
    ({"prenoms": "A" * 81}, "prenoms", v.PRENOMS_LONG),
    ({"naissance": ""}, "naissance", v.DATE_VIDE),
    ({"naissance": "1996-02-16"}, "naissance", v.DATE_FORMAT),
    ({"naissance": "16/2/1996"}, "naissance", v.DATE_FORMAT),
    ({"naissance": "30/02/1996"}, "naissance", v.DATE_INEXISTANTE),
    ({"naissance": "02/06/2025"}, "naissance", v.DATE_FUTURE),
    ({"naissance": "31/12/1899"}, "naissance", v.DATE_ANCIENNE),
    ({"lieu": ""}, "lieu", v.LIEU_VIDE),
    ({"lieu": "6912"}, "lieu", v.LIEU_FORMAT),
    ({"lieu": "20004"}, "lieu", v.LIEU_FORMAT),
    ({"lieu": "00123"}, "lieu", v.LIEU_FORMAT),
    ({"lieu": "99100"}, "lieu", v.LIEU_FRANCE),
    ({"nss": ""}, "nss", v.NSS_VIDE),
])
def test_etat_civil_field_refused(changes, field, message):
    refusals = v.valider_etat_civil(etat_civil(**changes), TODAY)[1]
    assert (field, message) in [(r.champ, r.message) for r in refusals]


@pytest.mark.parametrize("changes", [
    {"nom": "D'Artagnan-de la Tour"}, {"nom": "N’Diaye"}, {"prenoms": "Élise Anaïs Zoé"}, {"nom": "L" * 50},
    {"prenoms": "A" * 80}, {"nom": "  Lemoine  "}, {"lieu": " 69123 "},
])
def test_etat_civil_accepted(changes):
    assert v.valider_etat_civil(etat_civil(**changes), TODAY)[1] == []


def test_birth_date_limits():
    assert v.valider_date_naissance("01/01/1900", TODAY) == []
    assert v.valider_date_naissance("01/06/2025", TODAY) == []
    assert v.valider_date_naissance("29/02/2024", TODAY) == []


def test_every_field_required():
    refusals = v.valider_etat_civil({}, TODAY)[1]
    assert fields(refusals) == {"nss", "civilite", "nom", "prenoms", "naissance", "lieu"}


def test_the_registry_identities_are_accepted():
    for person in yaml.safe_load((HERE / "identites.yaml").read_text(encoding="utf-8"))["personnes"]:
        born = person["date_naissance"]
        form = {"nss": person["nir"], "civilite": person["civilite"], "nom": person["nom_naissance"],
                "prenoms": person["prenoms"], "naissance": born.strftime("%d/%m/%Y"),
                "lieu": person["lieu_naissance"]}
        assert v.valider_etat_civil(form)[1] == [], person
        for piece in person["pieces"]:
            assert v.valider_piece(piece["type"], piece["numero"]) == [], piece


# ── pièce d'identité ──────────────────────────────────────────────────────────
def test_mrz_check_digit():
    assert v.chiffre_controle("880692310285") == 8  # the specimen identity card 8806923102858
    assert v.chiffre_controle("L898902C<") == 3  # ICAO 9303 specimen passport number
    assert v.chiffre_controle("34AM42098") == 6


@pytest.mark.parametrize("kind, number, canonical", [
    ("cni", "JAYS2N2J3", "JAYS2N2J3"),
    ("cni", "jays 2n2 j3", "JAYS2N2J3"),
    ("cni", "JAYS2N2J36", "JAYS2N2J3"),  # with its check digit
    ("cni", "880692310285", "880692310285"),  # old card
    ("cni", "8806 92 310285 8", "880692310285"),  # old card with its check digit
    ("cni", "0512ab112345", "0512AB112345"),
    ("passeport", "34AM42098", "34AM42098"),
    ("passeport", "34am 42098 6", "34AM42098"),
    ("titre_sejour", "1234567890", "1234567890"),
    ("titre_sejour", "12345678907", "1234567890"),
])
def test_document_accepted(kind, number, canonical):
    assert v.valider_piece(kind, number) == []
    assert v.numero_canonique(number, kind) == canonical


@pytest.mark.parametrize("kind, number, message", [
    ("cni", "", v.NUMERO_VIDE),
    ("cni", "JAYS2N2J", v.NUMERO_CNI),
    ("cni", "JAYS-2N2J3", v.NUMERO_CNI),
    ("cni", "JAYS2N2J35", v.NUMERO_CONTROLE),  # wrong check digit
    ("cni", "88069231028A", v.NUMERO_CNI),
    ("cni", "8806923102857", v.NUMERO_CONTROLE),
    ("passeport", "34AM42098", None),
    ("passeport", "34AM420986", None),
    ("passeport", "34AM420987", v.NUMERO_CONTROLE),  # wrong check digit
    ("passeport", "3AAM42098", v.NUMERO_PASSEPORT),
    ("passeport", "34AM4209", v.NUMERO_PASSEPORT),
    ("titre_sejour", "123456789", v.NUMERO_SEJOUR),
    ("titre_sejour", "12345678906", v.NUMERO_CONTROLE),
    ("titre_sejour", "12345A7890", v.NUMERO_SEJOUR),
])
def test_document_numbers(kind, number, message):
    assert messages(v.valider_piece(kind, number)) == ([message] if message else [])


def test_document_type_required():
    assert [(r.champ, r.message) for r in v.valider_piece("", "JAYS2N2J3")] == [("piece", v.PIECE_VIDE)]
    assert fields(v.valider_piece("permis", "")) == {"piece", "numero"}


def test_masking_keeps_the_last_4_characters():
    masked = v.masquer_numero("34am 42098 6", "passeport")
    assert masked.endswith("2098") and "34AM4" not in masked and len(masked) == 9
    assert v.masquer_numero("880692310285", "cni").endswith("0285")


# ── contact, code, password ───────────────────────────────────────────────────
@pytest.mark.parametrize("email, ok", [
    ("claire.lemoine@exemple.fr", True), ("c+test@sous.domaine.org", True), ("élise@exemple.fr", True),
    ("claire.lemoine", False), ("claire@", False), ("@exemple.fr", False), ("a b@exemple.fr", False),
])
def test_email(email, ok):
    assert (v.valider_courriel(email) == []) == ok


def test_email_too_long():
    assert messages(v.valider_courriel("a" * 64 + "@" + ".".join(["b" * 60] * 4) + ".fr")) == [v.COURRIEL_LONG]


@pytest.mark.parametrize("mobile, ok", [("06 12 34 56 78", True), ("+33 7 81 23 45 67", True),
                                        ("+262 692 12 34 56", True), ("01 23 45 67 89", False), ("12", False)])
def test_mobile(mobile, ok):
    assert (v.valider_portable(mobile) == []) == ok


@pytest.mark.parametrize("code, ok", [("123456", True), ("123 456", True), ("12345", False), ("1234567", False),
                                      ("12345a", False), ("", False), ("١٢٣٤٥٦", False)])
def test_code_format(code, ok):
    assert (v.valider_format_code(code) == []) == ok


def test_wrong_code_message_counts_down():
    assert v.message_code_faux(2) == v.CODE_FAUX.format(restants=2)
    assert v.message_code_faux(0) == v.CODE_EPUISE


@pytest.mark.parametrize("length, ok", [(7, False), (8, True), (24, True), (25, False)])
def test_password_length(length, ok):
    password = ("Ab1" + "x" * 30)[:length]
    assert (v.valider_mot_de_passe(password) == []) == ok


def test_password_one_message_per_unmet_criterion():
    assert messages(v.valider_mot_de_passe("Abc1")) == [v.MDP_COURT.format(min=8)]
    assert messages(v.valider_mot_de_passe("abcdefgh")) == [v.MDP_CHIFFRE, v.MDP_MAJUSCULE]
    assert messages(v.valider_mot_de_passe("ABCDEFG1")) == [v.MDP_MINUSCULE]
    assert messages(v.valider_mot_de_passe("")) == [v.MDP_COURT.format(min=8), v.MDP_CHIFFRE, v.MDP_MAJUSCULE,
                                                   v.MDP_MINUSCULE]
    assert messages(v.valider_mot_de_passe("Ab1" * 9)) == [v.MDP_LONG.format(max=24)]
    assert v.valider_mot_de_passe("élève2ÉTÉ") == []  # accented letters count
    assert messages(v.valider_mot_de_passe("élève2été")) == [v.MDP_MAJUSCULE]


def test_password_maximum_can_be_raised():
    assert v.valider_mot_de_passe("Ab1" + "x" * 27, maximum=40) == []


def test_rule_text_states_the_numbers():
    text = v.texte_regle_mdp()
    assert all(n in text for n in ("8", "24", "1 chiffre", "1 lettre majuscule", "1 lettre minuscule"))


# ── the site itself (no network: the mail is captured) ────────────────────────
@pytest.fixture
def site_client():
    site = Site(load_identities(HERE / "identites.yaml"), "127.0.0.1", 1, password_max=30)
    sent = []
    site.send_code = lambda to, code: sent.append((to, code))
    with TestClient(build_app(site)) as client:
        client.post("/compte/nouveau")
        yield site, client, sent


def field_tag(page: str, name: str) -> str:
    return re.search(rf'<(?:input|select)[^>]*name="{name}"[^>]*>', page).group(0)


def test_refused_fields_are_tied_to_their_messages(site_client):
    _, client, _ = site_client
    form = {"nss": "29602691237814", "civilite": "", "nom": "Lemoine", "prenoms": "Claire",
            "naissance": "16/02/1996", "lieu": "69123"}
    response = client.post("/compte/etape/1-identite", data=form)
    assert response.status_code == 422
    page = response.text
    assert 'data-testid="erreurs"' in page
    for name, message in (("nss", v.NSS_COURT), ("civilite", v.CIVILITE_VIDE)):
        tag = field_tag(page, name)
        assert 'aria-invalid="true"' in tag
        target = re.search(r'aria-describedby="([^"]+)"', tag).group(1)
        assert "erreur" in target
        held = re.search(rf'id="{target}"[^>]*>(.*?)</', page).group(1)
        assert unescape(held) == message
    assert 'aria-invalid' not in field_tag(page, "nom")
    assert 'value="29602691237814"' in page and 'value="Lemoine"' in page and 'value="16/02/1996"' in page


def test_a_whole_registration(site_client):
    site, client, sent = site_client
    identity = etat_civil()
    assert client.post("/compte/etape/1-identite", data=identity).status_code == 200
    refused = client.post("/compte/etape/2-document", data={"piece": "cni", "numero": "JAYS2N2J35"})
    assert refused.status_code == 422 and 'aria-describedby="erreur-numero"' in refused.text
    assert 'value="JAYS2N2J35"' in refused.text
    client.post("/compte/etape/2-document", data={"piece": "cni", "numero": "jays 2n2j3 6"})
    sms = client.post("/compte/etape/3-contact", data={"courriel": "", "portable": "0612345678"})
    assert sms.status_code == 422 and "SMS" in sms.text
    client.post("/compte/etape/3-contact", data={"courriel": "claire.lemoine@exemple.fr", "portable": ""})
    (to, code), = sent
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    first = client.post("/compte/etape/4-code", data={"code": wrong})
    assert unescape(v.CODE_FAUX.format(restants=2)) in unescape(first.text)
    client.post("/compte/etape/4-code", data={"code": code})
    page = client.get("/compte/etape/5-secret").text
    tag = field_tag(page, "secret")
    assert 'aria-describedby="regle-secret"' in tag and v.texte_regle_mdp() in unescape(page)
    short = client.post("/compte/etape/5-secret", data={"secret": "Abcdef1"})
    tag = field_tag(short.text, "secret")
    assert 'aria-describedby="regle-secret erreur-secret"' in tag and 'value=""' in tag
    # --mdp-max 30: a 28-character password goes through while the rule still says 24
    assert client.post("/compte/etape/5-secret", data={"secret": "Ab1" + "x" * 25}).status_code == 200
    recap = unescape(client.get("/compte/etape/6-synthese").text)
    assert "Carte nationale d'identité •••••N2J3" in recap and "JAYS2N2J3" not in recap
    assert "16/02/1996" in recap
