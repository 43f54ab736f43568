"""Fields by kind (``steps.drivers.fields``) and the guide's words as locators (``steps.locators``),
on small pages written here the way sites write them (DSFR-like markup, native widgets, an
autocomplete): one Chromium for the module, the HTML set directly in the page."""

from __future__ import annotations

from typing import Any

import pytest

from moncompte.steps.drivers.fields import CannotSet, choices, iso_date, kind_of, plain, set_field
from moncompte.steps.locators import ELEMENTS, LocatorSpec, names_pattern


@pytest.fixture
def page(page: Any) -> Any:
    page.set_default_timeout(2000)
    return page


def found(page: Any, key: str) -> Any:
    return ELEMENTS[key].resolve(page, ELEMENTS).first


FORM = """
<main><form method="post" action="/etape">
  <label for="nir">Votre numéro de sécurité sociale <span class="hint">15 caractères</span></label>
  <input id="nir" name="nir">
  <fieldset><legend>Civilité</legend>
    <input type="radio" id="mme" name="civ" value="F"><label for="mme">Madame</label>
    <input type="radio" id="m" name="civ" value="H"><label for="m">Monsieur</label>
  </fieldset>
  <label for="nom">Nom de naissance</label><input id="nom" name="nom">
  <fieldset><legend>Date de naissance</legend>
    <label for="a">Année</label><input id="a" name="naissance_annee">
    <label for="j">Jour</label><input id="j" name="naissance_jour">
    <label for="mo">Mois</label>
    <select id="mo" name="naissance_mois"><option value="">--</option>
      <option value="1">janvier</option><option value="3">mars</option><option value="12">décembre</option></select>
  </fieldset>
  <label for="lieu">Commune ou pays de naissance</label><input id="lieu" name="lieu">
  <button type="submit" name="retour" formnovalidate>Retour</button>
  <button type="submit">Je ne dispose pas d'une pièce d'identité française</button>
  <button type="submit">Suivant</button>
</form></main>"""


def test_a_label_with_words_before_and_a_hint_after_is_the_guides_field(page):
    page.set_content(FORM)
    assert found(page, "nir").get_attribute("id") == "nir"
    assert kind_of(found(page, "nir")).kind == "text"


def test_a_radio_group_is_set_by_the_name_of_its_radio(page):
    page.set_content(FORM)
    group = found(page, "civilite")
    assert kind_of(group).kind == "radio"
    set_field(group, "Monsieur")
    assert page.locator("#m").is_checked() and not page.locator("#mme").is_checked()
    with pytest.raises(CannotSet, match="ne propose pas « Mademoiselle » .*Madame, Monsieur"):
        set_field(group, "Mademoiselle")


def test_a_date_in_three_fields_is_split_by_what_each_field_says(page):
    page.set_content(FORM)
    group = found(page, "date_naissance")
    assert kind_of(group).kind == "date-parts"
    set_field(group, "14/03/1985")
    assert page.locator("#j").input_value() == "14"
    assert page.locator("#mo").input_value() == "3"  # the list's option « mars »
    assert page.locator("#a").input_value() == "1985"


def test_the_submit_button_of_the_form_is_not_another_action_of_it(page):
    page.set_content(FORM)
    button = ELEMENTS["etat_civil_continuer"].resolve(page, ELEMENTS)
    assert button.count() == 1 and button.inner_text() == "Suivant"


def test_a_native_date_field_takes_the_date_and_refuses_what_is_not_one(page):
    page.set_content('<label for="d">Date de naissance</label><input type="date" id="d">')
    field = found(page, "date_naissance")
    assert kind_of(field).kind == "date"
    set_field(field, "14/03/1985")
    assert field.input_value() == "1985-03-14"
    with pytest.raises(CannotSet, match="31/02/1985"):
        set_field(field, "31/02/1985")
    set_field(field, "")
    assert field.input_value() == ""


def test_a_list_is_chosen_by_value_or_text_accents_and_case_aside(page):
    page.set_content(
        '<label for="t">Type de pièce</label><select id="t"><option value="">Choisir</option>'
        '<option value="CNI">Carte nationale d\'identité</option><option value="PASS">Passeport</option></select>'
    )
    field = found(page, "type_titre")
    set_field(field, "carte nationale d'identite")
    assert field.input_value() == "CNI"
    set_field(field, "")
    assert field.input_value() == ""
    with pytest.raises(CannotSet, match="ne propose pas « Titre de séjour »"):
        set_field(field, "Titre de séjour")


def test_the_choices_of_a_list_or_a_radio_group_leave_out_the_blank_one(page):
    page.set_content(
        FORM + '<label for="p">Prestation</label><select id="p"><option value="">Choisissez</option>'
        '<option value="af">Allocations familiales</option><option value="rsa">RSA</option></select>'
    )
    assert choices(found(page, "demande_prestation")) == ["Allocations familiales", "RSA"]
    assert choices(found(page, "civilite")) == ["Madame", "Monsieur"]
    assert choices(found(page, "nom_naissance")) == []


def test_a_checkbox_and_an_aria_radiogroup(page):
    page.set_content("""
      <input type="checkbox" id="c"><label for="c">Je n'ai pas de numéro de sécurité sociale</label>
      <div role="radiogroup" aria-label="Vous êtes">
        <span role="radio" aria-checked="false" tabindex="0" onclick="this.setAttribute('aria-checked','true')">Madame</span>
        <span role="radio" aria-checked="false" tabindex="0" onclick="this.setAttribute('aria-checked','true')">Monsieur</span>
      </div>""")
    set_field(found(page, "sans_nir"), "oui")
    assert page.locator("#c").is_checked()
    set_field(found(page, "sans_nir"), "non")
    assert not page.locator("#c").is_checked()
    set_field(found(page, "civilite"), "Madame")
    assert page.get_by_role("radio", name="Madame").get_attribute("aria-checked") == "true"


def test_an_autocomplete_picks_the_suggestion_of_the_typed_place(page):
    page.set_content("""
      <label for="l">Lieu de naissance</label>
      <input id="l" role="combobox" aria-autocomplete="list" aria-controls="choix" aria-expanded="false">
      <input type="hidden" id="code" name="code">
      <ul id="choix" role="listbox" hidden></ul>
      <script>
        const places = {"Lyon (69)": "69123", "Lyons-la-Forêt (27)": "27377", "Paris (75)": "75056"};
        const input = document.getElementById('l'), list = document.getElementById('choix');
        input.addEventListener('input', () => {
          list.innerHTML = '';
          for (const [name, code] of Object.entries(places)) {
            if (!name.toLowerCase().includes(input.value.toLowerCase())) continue;
            const li = document.createElement('li'); li.setAttribute('role', 'option'); li.textContent = name;
            li.onclick = () => { input.value = name; document.getElementById('code').value = code; list.hidden = true; };
            list.appendChild(li);
          }
          list.hidden = !list.children.length;
        });
      </script>""")
    field = found(page, "lieu_naissance")
    assert kind_of(field).kind == "combobox"
    set_field(field, "Lyon")
    assert page.locator("#code").input_value() == "69123"
    # the site suggests places that contain what was typed: none is « yon », none starts with it
    with pytest.raises(CannotSet, match="aucune suggestion ne correspond à « yon »"):
        set_field(field, "yon")


def test_guide_words_match_buttons_links_and_submit_inputs(page):
    page.set_content(
        '<a href="#x" class="fr-btn">Commencer ›</a>'
        '<form method="get"><input type="submit" value="Créer un compte"></form>'
        "<button>Se connecter avec FranceConnect</button>"
    )
    assert found(page, "commencer").evaluate("e => e.tagName") == "A"
    assert found(page, "creer_un_compte").evaluate("e => e.tagName") == "INPUT"
    assert ELEMENTS["se_connecter"].resolve(page).count() == 0  # not the FranceConnect button


def test_a_field_that_is_not_one_cannot_be_set(page):
    page.set_content('<div aria-label="Mot de passe"><p>texte</p></div>')
    spec = LocatorSpec("css", "div")
    with pytest.raises(CannotSet, match="n'est pas un champ"):
        set_field(spec.resolve(page).first, "Abcdefg1")


@pytest.mark.parametrize(
    "label, matches",
    [
        ("Mot de passe", True),
        ("Votre mot de passe Il doit faire 12 caractères", True),
        ("Confirmation du mot de passe", False),
        ("Mots de passe", False),
    ],
)
def test_names_pattern_of_the_password_field(label, matches):
    assert bool(names_pattern(ELEMENTS["mot_de_passe"].value, whole=False).search(label)) is matches


def test_plain_and_iso_date():
    assert plain("  Né(e) à l’Haÿ-les-Roses ") == "ne e a l hay les roses"
    assert iso_date("1/2/2000") == "2000-02-01" and iso_date("31/02/1985") is None and iso_date("1985-02-01") is None


GROUPED_ONE = """<main><form>
  <fieldset><legend>Adresse e-mail</legend><input name="courriel"></fieldset>
  <fieldset><legend>Type de titre d'identité</legend>
    <select name="titre"><option value="">Choisir…</option><option>Passeport</option><option>Carte d'identité</option></select>
  </fieldset>
</form></main>"""


def test_a_group_around_a_single_field_is_that_field(page):
    """A fieldset whose legend names one field (the locator finds the group): the field inside is set."""
    page.set_content(GROUPED_ONE)
    assert set_field(found(page, "email"), "marie@exemple.fr") == "text"
    assert page.locator("[name=courriel]").input_value() == "marie@exemple.fr"
    assert choices(found(page, "type_titre")) == ["Passeport", "Carte d'identité"]
    assert set_field(found(page, "type_titre"), "Passeport") == "select"
    assert page.locator("[name=titre]").input_value() == "Passeport"


def test_the_browser_driver_waits_for_a_field_shown_late_and_names_a_missing_one(page):
    from moncompte.steps.drivers.base import TargetError
    from moncompte.steps.drivers.browser import BrowserDriver

    page.set_content(
        '<main><form><p id="bloc" hidden><label>Adresse e-mail <input name="courriel"></label></p></form></main>'
        "<script>setTimeout(() => document.getElementById('bloc').hidden = false, 300)</script>"
    )
    driver = BrowserDriver(page, "https://site.test", reference_pages=False, timeout=2)
    driver._set("email", "marie@exemple.fr")  # in the page but not shown at first: waited for
    assert page.locator("[name=courriel]").input_value() == "marie@exemple.fr"
    with pytest.raises(TargetError, match=r"^Élément .* introuvable sur .*\[clé « mobile »"):
        driver._set("mobile", "0612345678")
