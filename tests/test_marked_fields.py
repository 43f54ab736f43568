"""How the browser and http drivers read the fields a refused page marks invalid (``_read_fields``).

A site of its own words: its e-mail field is named « courriel », its « Civilité » is a group of two
radio buttons both marked, and a field the harness has no locator for (« Parrainage ») is marked too.
Each marked field is reported once, under the harness's name when a locator holds it, else under the
page's own name; the browser asks the page once per field it looks at, the fields just typed in first.
"""

from __future__ import annotations

import httpx
import pytest

from moncompte.steps.drivers.browser import BrowserDriver
from moncompte.steps.drivers.http_pages import HttpPagesDriver

REFUSED = """<!doctype html><html lang="fr"><head><title>Vos coordonnées</title></head><body><main>
<h1>Vos coordonnées</h1>
<div role="alert"><p>Le formulaire contient 3 erreurs.</p></div>
<form method="post" action="/coordonnees">
  <fieldset><legend>Civilité</legend>
    <label><input type="radio" name="civ" value="F" aria-invalid="true"> Madame</label>
    <label><input type="radio" name="civ" value="M" aria-invalid="true"> Monsieur</label>
  </fieldset>
  <p><label for="courriel">Adresse électronique</label>
     <input id="courriel" name="courriel" aria-invalid="true" aria-describedby="aide-courriel courriel-err">
     <span id="aide-courriel">Exemple : nom@domaine.fr</span>
     <span id="courriel-err" class="erreur">Saisissez une adresse électronique valide.</span></p>
  <p><label for="parrain">Parrainage</label> <input id="parrain" name="parrain" aria-invalid="true"></p>
  <p><label for="tel">Téléphone portable</label> <input id="tel" name="tel"></p>
  <button>Continuer</button>
</form></main></body></html>"""

EXPECTED_FIELDS = ["civilite", "email", "parrain"]
EXPECTED_EMAIL_MESSAGES = ["Saisissez une adresse électronique valide."]


def _http_driver() -> HttpPagesDriver:
    client = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(200, html=REFUSED)))
    driver = HttpPagesDriver("https://site.test", reference_pages=False, client=client)
    driver.open_home()
    return driver


@pytest.fixture
def browser_driver(page) -> BrowserDriver:
    page.set_content(REFUSED)
    return BrowserDriver(page, "https://site.test", reference_pages=False)


def test_the_browser_reads_each_marked_field_once_under_the_harness_name(browser_driver):
    states, invalid = browser_driver._read_fields()
    assert invalid == EXPECTED_FIELDS  # not « courriel » nor « civ » besides « email » and « civilite »
    assert list(states) == ["civilite", "email"]
    assert states["email"]["texts"] == EXPECTED_EMAIL_MESSAGES  # the error, not the hint


def test_the_http_driver_reads_them_the_same_way():
    states, invalid = _http_driver()._read_fields()
    assert invalid == EXPECTED_FIELDS
    assert list(states) == ["civilite", "email"]
    assert states["email"]["texts"] == EXPECTED_EMAIL_MESSAGES


def test_the_fields_just_typed_in_are_asked_first_and_the_reading_stops_when_all_are_held(browser_driver, monkeypatch):
    asked: list[str] = []
    key_state = BrowserDriver._key_state
    monkeypatch.setattr(BrowserDriver, "_key_state", lambda self, key: asked.append(key) or key_state(self, key))
    page = browser_driver.page
    page.set_content(REFUSED.replace(' aria-invalid="true"', ""), wait_until="load")
    page.locator("#courriel").evaluate("el => el.setAttribute('aria-invalid', 'true')")
    browser_driver._typed = ("mobile", "email")
    states, invalid = browser_driver._read_fields()
    assert invalid == ["email"] and list(states) == ["email"]
    assert asked == ["mobile", "email"]  # nothing asked about the fields of other steps
    assert browser_driver._typed == ()  # what was typed counts for one reading


def test_a_page_without_marked_fields_is_read_in_one_question(browser_driver, monkeypatch):
    asked: list[str] = []
    monkeypatch.setattr(BrowserDriver, "_key_state", lambda self, key: asked.append(key))
    browser_driver.page.set_content(REFUSED.replace(' aria-invalid="true"', ""))
    assert browser_driver._read_fields() == ({}, [])
    assert asked == []
