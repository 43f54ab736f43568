"""Self-tests of the browser driver against the real reference server.

One reference server (test mode, fresh SQLite database) and one Chromium for
the module; a fresh browser context per test. Each test seeds its own person
through ``/__test__/personnes`` and reads its code from ``/__outbox__``.
"""

from __future__ import annotations

import os
import random
import re
import string
import time
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from moncompte.rules import nir as nir_rules
from moncompte.steps.data import DataFactory
from moncompte.steps.drivers.base import TargetError
from moncompte.steps.locators import ELEMENTS, LocatorError, LocatorSpec, merge_overrides

PASSWORD = "Abcdefg1"

pytest_plugins = ["pytester"]


# ── locators (no browser) ─────────────────────────────────────────────────
def test_every_element_has_a_locator_with_the_guides_words():
    assert ELEMENTS["envoyer_le_code"] == LocatorSpec("action", "Envoyer le code")
    assert ELEMENTS["envoyer_le_code"].describe() == "bouton ou lien nommé « Envoyer le code »"
    assert ELEMENTS["nir"].describe().startswith("champ ou groupe nommé « Numéro de sécurité sociale » ou")
    for key in (
        "icone_mon_compte",
        "aides_et_demarches",
        "mes_demarches",
        "faire_la_demande",
        "creer_un_compte",
        "commencer",
        "se_connecter",
        "bandeau_prestations",
        "alerte",
        "recapitulatif",
        "indicateur_etape",
        "chatbot_question",
        "chatbot_reponse",
    ):
        assert key in ELEMENTS


def test_overrides_replace_known_keys_and_refuse_unknown_ones_in_french():
    merged = merge_overrides({"nir": {"kind": "testid", "value": "champ-nir"}})
    assert merged["nir"] == LocatorSpec("testid", "champ-nir")
    assert merged["email"] == ELEMENTS["email"]
    with pytest.raises(LocatorError) as error:
        merge_overrides(
            {
                "envoyer_code": {"kind": "role", "value": "button"},
                "nir": {"kind": "xpath", "value": "//input"},
                "email": {"kind": "label"},
                "code": {"kind": "label", "value": "Code", "nom": "x"},
            }
        )
    message = str(error.value)
    assert "locators.envoyer_code : élément inconnu (vouliez-vous dire : envoyer_le_code" in message
    assert "locators.nir : type de localisateur inconnu : « xpath »" in message
    assert "locators.email : champ(s) manquant(s) : value" in message
    assert "locators.code : champ(s) inconnu(s) : nom" in message


# ── the reference server ─────────────────────────────────────────────────
@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """The reference in test mode on a free port, as ``moncompte check`` starts it."""
    from moncompte.harness.targets import reference_server

    with reference_server() as url:
        yield url


@pytest.fixture
def driver(page: Any, server: str):
    from moncompte.steps.drivers.browser import BrowserDriver

    return BrowserDriver(page, server)


def _person(server: str) -> dict[str, Any]:
    """A consistent synthetic person, seeded into the reference registry (no foyer)."""
    rng = random.Random()
    birth = date(rng.randint(1960, 2000), rng.randint(1, 12), rng.randint(1, 28))
    nir = nir_rules.build("2", birth, "75115", rng.randint(1, 999))
    suffix = "".join(rng.choices(string.ascii_uppercase, k=6))
    passport = f"{rng.randint(10, 99)}{''.join(rng.choices(string.ascii_uppercase, k=2))}{rng.randint(10000, 99999)}"
    person = {
        "nir": nir,
        "civilite": "Madame",
        "nom_naissance": f"ESSAI{suffix}",
        "prenoms": "Camille Anne",
        "date_naissance": birth.isoformat(),
        "lieu_naissance": "75115",
        "pieces": [{"type_titre": "passeport", "numero_titre": passport}],
    }
    response = httpx.post(server + "/__test__/personnes", json=person, timeout=5)
    assert response.status_code == 201, response.text
    return {
        **person,
        "email": f"essai-{uuid.uuid4().hex[:10]}@exemple.fr",
        "passeport": passport,
        "date_jj_mm_aaaa": birth.strftime("%d/%m/%Y"),
    }


def _civil_status(person: dict[str, Any]) -> dict[str, str]:
    keys = ("nir", "civilite", "nom_naissance", "prenoms", "lieu_naissance")
    return {**{k: person[k] for k in keys}, "date_naissance": person["date_jj_mm_aaaa"]}


def _code(server: str, recipient: str) -> str:
    messages = httpx.get(server + "/__outbox__", params={"to": recipient}, timeout=5).json()
    assert messages, f"aucun message pour {recipient}"
    match = re.search(r"\b\d{6}\b", messages[-1]["body"])
    assert match, messages[-1]["body"]
    return match.group(0)


def _reach_password_step(driver, server: str, person: dict[str, Any]) -> None:
    assert driver.start_registration().step == "etat_civil"
    outcome = driver.fill_civil_status(_civil_status(person))
    assert (outcome.accepted, outcome.step) == (True, "piece_identite"), outcome
    outcome = driver.submit_identity_document("passeport", person["passeport"])
    assert (outcome.accepted, outcome.step) == (True, "coordonnees"), outcome
    outcome = driver.request_code("email", person["email"])
    assert (outcome.accepted, outcome.step) == (True, "code"), outcome
    outcome = driver.submit_code(_code(server, person["email"]))
    assert (outcome.accepted, outcome.step) == (True, "mot_de_passe"), outcome


# ── the journey ───────────────────────────────────────────────────────────
def test_navigation_from_the_home_page_to_step_4(driver, server, tmp_path):
    driver.open_home()
    assert driver.is_offered("icone_mon_compte")
    assert not driver.is_offered("recapitulatif_titre")
    driver.follow("aides_et_demarches")
    driver.follow("mes_demarches")
    themes = driver.themes()
    assert themes, "aucun thème dans le bandeau"
    prestations = driver.choose_theme(themes[0])
    assert prestations, f"aucune prestation pour le thème {themes[0]}"
    driver.choose_prestation(prestations[0])
    driver.follow("faire_la_demande")
    assert driver.is_offered("se_connecter")
    driver.follow("creer_un_compte")
    assert driver.current_step() is None
    driver.follow("commencer")
    assert driver.current_step() == "etat_civil"
    assert driver.is_offered("indicateur_etape")
    folder = Path(os.environ.get("MONCOMPTE_SCREENSHOT_DIR", tmp_path))
    driver.page.screenshot(path=str(folder / "etat-civil.png"), full_page=True)


def test_full_journey_login_and_offered_actions(driver, server):
    person = _person(server)
    _reach_password_step(driver, server, person)
    rule = driver.password_rule_text()
    assert "8" in rule and "24" in rule, rule
    outcome = driver.choose_password(PASSWORD)
    assert (outcome.accepted, outcome.step) == (True, "recapitulatif"), outcome
    recap = driver.recap()
    shown = " ".join(recap.values())
    assert person["nom_naissance"] in shown and person["email"] in shown, recap
    assert PASSWORD not in shown
    driver.follow("se_connecter")
    outcome = driver.login(person["nir"], PASSWORD)
    assert outcome.accepted, outcome
    actions = driver.offered_actions()
    assert "demander_prestation" in actions and "declarer_separation" not in actions, actions
    refused = driver.attempt("declarer_separation")
    assert not refused.accepted and refused.messages, refused
    assert refused.data["statut_http"] == 403
    allowed = driver.attempt("consulter_donnees")
    assert allowed.accepted, allowed
    driver.logout()
    assert not driver.is_offered("se_deconnecter")


def test_journey_without_nir_nor_french_document_by_sms_then_a_demande(driver, server):
    person = _person(server)
    prestation = httpx.get(server + "/api/themes", timeout=5).json()[0]["prestations"][0]["libelle"]
    assert driver.start_registration(prestation).step == "etat_civil"
    outcome = driver.fill_civil_status(_civil_status(person), without_nir=True)
    assert (outcome.accepted, outcome.step) == (True, "piece_identite"), outcome
    provisional = outcome.data["identifiant_provisoire"]
    assert re.fullmatch(r"P\d{9}", provisional), outcome
    outcome = driver.declare_no_french_document()
    assert (outcome.accepted, outcome.step) == (True, "coordonnees"), outcome
    mobile = DataFactory(uuid.uuid4().int).mobile()  # a number that exists in the numbering plan
    outcome = driver.request_code("sms", mobile)
    assert (outcome.accepted, outcome.step) == (True, "code"), outcome
    resent = driver.resend_code()  # too early: refused with a message, still at ⑦
    assert resent.step == "code" and resent.messages, resent
    assert driver.submit_code(_code(server, mobile)).step == "mot_de_passe"
    assert driver.choose_password(PASSWORD).step == "recapitulatif"
    recap = driver.recap()
    assert recap.get("Identifiant provisoire") == provisional, recap
    assert "Justificatif en attente" in recap, recap
    outcome = driver.login(provisional, PASSWORD)
    assert outcome.accepted, outcome
    outcome = driver.request_prestation(prestation)
    assert outcome.accepted, outcome
    assert [d["prestation"] for d in driver.demarches()] == [prestation]
    answer = driver.ask_chatbot("Combien de caractères pour le mot de passe ?")
    assert answer.accepted and answer.messages[0], answer
    assert answer.step == "etat_civil"


def test_a_wrong_password_at_login_is_refused_on_the_login_page(driver, server):
    person = _person(server)
    outcome = driver.login(person["nir"], "Mauvais1")
    assert not outcome.accepted and outcome.messages, outcome
    assert driver.is_offered("connexion_se_connecter")


def test_the_responsable_gives_and_withdraws_the_procuration(driver, server):
    person = _person(server)  # a registry person; the foyer below makes a responsable of a copy
    rng = random.Random()
    birth = date(1980, 3, 12)
    responsable = {
        **{k: person[k] for k in ("civilite", "prenoms", "lieu_naissance")},
        "role": "responsable",
        "nom_naissance": person["nom_naissance"] + "R",
        "nir": nir_rules.build("2", birth, "75115", rng.randint(1, 999)),
        "date_naissance": birth.isoformat(),
        "pieces": [{"type_titre": "passeport", "numero_titre": f"{rng.randint(10, 99)}RS{rng.randint(10000, 99999)}"}],
    }
    conjoint = {
        **responsable,
        "role": "conjoint",
        "civilite": "Monsieur",
        "prenoms": "Jean",
        "nir": nir_rules.build("1", birth, "75115", rng.randint(1, 999)),
        "pieces": [{"type_titre": "passeport", "numero_titre": "11CJ22222"}],
    }
    foyer = {"id": f"F{uuid.uuid4().hex[:8]}", "procuration": False, "membres": [responsable, conjoint]}
    response = httpx.post(server + "/__test__/foyers", json=foyer, timeout=5)
    assert response.status_code == 201, response.text
    me = {
        **responsable,
        "email": f"resp-{uuid.uuid4().hex[:10]}@exemple.fr",
        "passeport": responsable["pieces"][0]["numero_titre"],
        "date_jj_mm_aaaa": birth.strftime("%d/%m/%Y"),
    }
    _reach_password_step(driver, server, me)
    driver.choose_password(PASSWORD)
    assert driver.login(me["nir"], PASSWORD).accepted
    assert set(driver.offered_actions()) >= {"demander_prestation", "declarer_separation"}
    assert driver.set_procuration(True).accepted
    assert driver.is_offered("procuration_retirer")
    assert driver.set_procuration(True).data == {"inchange": True}
    assert driver.set_procuration(False).accepted
    assert driver.is_offered("procuration_accorder")


def test_a_refused_password_shows_the_message_and_stays_on_step_8(driver, server):
    person = _person(server)
    _reach_password_step(driver, server, person)
    outcome = driver.choose_password("Abc1")
    assert not outcome.accepted
    assert outcome.step == "mot_de_passe"
    assert outcome.shows("Le mot de passe doit faire entre 8 et 24 caractères."), outcome.messages
    assert outcome.invalid_fields == ["mot_de_passe"]
    assert driver.choose_password(PASSWORD).step == "recapitulatif"


def test_a_refused_nir_marks_the_field_and_stays_on_step_4(driver, server):
    person = _person(server)
    driver.start_registration()
    wrong_key = person["nir"][:13] + f"{(int(person['nir'][13:]) % 97) + 1:02d}"
    outcome = driver.fill_civil_status({**_civil_status(person), "nir": wrong_key})
    assert (outcome.accepted, outcome.step) == (False, "etat_civil"), outcome
    assert "nir" in outcome.invalid_fields and outcome.messages, outcome


def test_a_locator_that_resolves_nothing_is_a_french_target_error(page, server):
    from moncompte.steps.drivers.browser import BrowserDriver

    driver = BrowserDriver(
        page, server, {"commencer": {"kind": "role", "value": "button", "name": "Démarrer"}}, timeout=1
    )
    started = time.monotonic()
    with pytest.raises(TargetError) as error:
        driver.start_registration()
    elapsed = time.monotonic() - started
    message = str(error.value)
    assert message.startswith(f"Élément « Démarrer » (bouton) introuvable sur {server}/creer-un-compte"), message
    assert "clé « commencer »" in message and 'get_by_role("button", name="Démarrer", exact=True)' in message
    assert "Traceback" not in message and "Call log" not in message
    assert elapsed < 5, elapsed


# ── the pytest fixtures: artefacts on failure ─────────────────────────────
ARTEFACTS = "artefacts/test_a_failing_scenario_keeps_its_artefacts.py_test_{}/{}"


@pytest.mark.parametrize(
    "mode, kept",
    [
        ("non", [("fails", "screenshot.png")]),  # the default: no tracing, a screenshot of the failure
        ("echecs", [("fails", "screenshot.png"), ("fails", "trace.zip")]),
        ("toujours", [("fails", "screenshot.png"), ("fails", "trace.zip"), ("passes", "trace.zip")]),
    ],
)
def test_a_failing_scenario_keeps_its_artefacts(pytester: pytest.Pytester, server, mode, kept):
    pytester.makeconftest(
        f"""
        import pytest
        pytest_plugins = ["moncompte.steps.drivers.browser_pytest"]

        def pytest_addoption(parser):
            parser.addoption("--report-dir", default="reports")
            parser.addoption("--browser-trace", default="non")

        @pytest.fixture
        def target_url():
            return {server!r}

        @pytest.fixture
        def profile():
            return None

        @pytest.fixture
        def is_reference():
            return True
        """
    )
    pytester.makepyfile(
        test_a_failing_scenario_keeps_its_artefacts="""
        def test_fails(browser_driver):
            browser_driver.open_home()
            assert False, "échec voulu"

        def test_passes(browser_driver):
            browser_driver.open_home()
        """
    )
    report_dir = pytester.path / "rapport"
    result = pytester.runpytest_subprocess(
        f"--report-dir={report_dir}", "--junitxml=junit.xml", f"--browser-trace={mode}"
    )
    result.assert_outcomes(passed=1, failed=1)
    artefacts = sorted(p.relative_to(report_dir).as_posix() for p in report_dir.rglob("*") if p.is_file())
    # besides the artefacts, the browser's version and the device emulated, for conformance.json
    assert (report_dir / "navigateur.txt").read_text(encoding="utf-8").startswith("Chromium ")
    assert (report_dir / "appareil.txt").read_text(encoding="utf-8") == "bureau (1280 × 900)"
    artefacts.remove("navigateur.txt")
    artefacts.remove("appareil.txt")
    assert artefacts == sorted(ARTEFACTS.format(*k) for k in kept)
    junit = (pytester.path / "junit.xml").read_text()
    assert 'name="screenshot"' in junit and ('name="trace"' in junit) == (mode != "non")
