"""Accessibilité (rules A11Y-…, beyond the guide): the RGAA on the pages of the journey.

The checks themselves are in ``steps/drivers/accessibility.py`` (browser driver); the API driver
reports them not applicable. On a failure, the elements at fault are outlined on the page, so the
screenshot the report keeps shows them.
"""

from __future__ import annotations

from typing import Sequence

from pytest_bdd import given, parsers, then, when

from moncompte.rules import Settings
from moncompte.steps.data import DataFactory
from moncompte.steps.definitions.commun import Journey, act, refused_text
from moncompte.steps.drivers.accessibility import ZOOM_200_WIDTH
from moncompte.steps.drivers.base import Driver, NotRun
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.params import site_value

LISTED = 8  # findings written out in a failure message (all of them are outlined)


def _fail_with(driver: Driver, what: str, texts: Sequence[str], selectors: Sequence[str]) -> None:
    """Outline the elements at fault, then fail with the findings."""
    driver.outline([s for s in selectors if s])
    shown = "\n  - ".join(texts[:LISTED]) + (f"\n  … et {len(texts) - LISTED} autres" if len(texts) > LISTED else "")
    raise AssertionError(f"{what} ({driver.current_step() or 'page'}) :\n  - {shown}")


@given("une personne qui arrive sur la page d'accueil")
def arrives_home(driver: Driver) -> None:
    driver.open_home()


@given("une personne qui n'utilise que le clavier, sur la page d'accueil")
def keyboard_user_at_home(ctx: ScenarioContext, data: DataFactory, driver: Driver) -> None:
    ctx.person = data.person()
    driver.use_keyboard_only()
    driver.open_home()


@when("elle va à la création de compte depuis la page d'accueil")
def goes_to_registration(parcours: Journey) -> None:
    parcours.start()


# ── axe-core ──────────────────────────────────────────────────────────────
@when("on contrôle automatiquement l'accessibilité de la page", target_fixture="defauts_axe")
def axe_check(driver: Driver) -> list:
    return driver.axe_violations()


@then("aucun défaut grave ou critique n'est trouvé")
def no_serious_violation(defauts_axe: list, driver: Driver) -> None:
    if defauts_axe:
        nodes = [node for violation in defauts_axe for node in violation.nodes]
        texts = [v.text for v in defauts_axe] + [f"{n.target} : {n.html}" for n in nodes[:LISTED]]
        _fail_with(driver, "Défauts d'accessibilité graves ou critiques", texts, [n.target for n in nodes])


# ── labels and errors ─────────────────────────────────────────────────────
@then("chaque champ de la page a une étiquette lue par les lecteurs d'écran")
def every_field_labelled(driver: Driver) -> None:
    if found := driver.unlabelled_fields():
        _fail_with(driver, "Champs sans étiquette", [f.text for f in found], [f.selector for f in found])


# An empty form, step by step, through the intents every driver has.
_EMPTY = {
    "etat_civil": lambda d: d.fill_civil_status(
        dict.fromkeys(("nir", "civilite", "nom_naissance", "prenoms", "date_naissance", "lieu_naissance"), "")
    ),
    "coordonnees": lambda d: d.request_code("email", ""),
    "code": lambda d: d.submit_code(""),
    "mot_de_passe": lambda d: d.choose_password(""),
}


@when("elle valide la page sans rien remplir")
def submits_empty(ctx: ScenarioContext, driver: Driver) -> None:
    step = driver.current_step()
    if step not in _EMPTY:
        raise ValueError(f"pas de formulaire vide prévu pour l'étape « {step} » (prévues : {', '.join(_EMPTY)})")
    outcome = act(ctx, driver, lambda: _EMPTY[step](driver))
    if outcome.accepted:
        raise NotRun(f"le site accepte la page de l'étape {step} vide : pas d'erreur à examiner")


@then("chaque message d'erreur est relié à son champ")
def errors_tied(driver: Driver) -> None:
    found = [f for f in driver.untied_errors() if f.selector]
    if found:
        _fail_with(
            driver, "Messages d'erreur non reliés à leur champ", [f.text for f in found], [f.selector for f in found]
        )


@then("le refus est annoncé aux lecteurs d'écran")
def refusal_announced(ctx: ScenarioContext, driver: Driver) -> None:
    found = [f for f in driver.untied_errors() if not f.selector]
    assert not found, f"Refus non annoncé ({refused_text(ctx.outcome) if ctx.outcome else '—'}) : " + " ; ".join(
        f.text for f in found
    )


# ── keyboard ──────────────────────────────────────────────────────────────
@when("elle parcourt la page avec la touche Tabulation", target_fixture="clavier")
def walks_with_tab(driver: Driver):
    return driver.keyboard_walk()


def _keyboard(clavier, driver: Driver, criteria: tuple[str, ...], what: str) -> None:
    found = [f for f in clavier.findings if f.criterion in criteria]
    if found:
        _fail_with(driver, what, [f.text for f in found], [f.selector for f in found])


@then("elle atteint chaque champ et chaque bouton du formulaire")
def reaches_everything(clavier, driver: Driver) -> None:
    _keyboard(clavier, driver, ("12.8",), "Au clavier, des éléments du formulaire ne s'atteignent pas")


@then("elle voit toujours où est le focus")
def focus_visible(clavier, driver: Driver) -> None:
    _keyboard(clavier, driver, ("10.7",), "Focus invisible")


@then("elle n'est jamais retenue sur un élément")
def no_trap(clavier, driver: Driver) -> None:
    _keyboard(clavier, driver, ("12.9",), "Piège au clavier")


# ── the password rule, before typing ─────────────────────────────────────
def _rule_numbers(settings: Settings) -> tuple[str, str]:
    length = settings["MDP-LONGUEUR"]
    return str(length["min"]), str(length["max"])


@then("la règle du mot de passe est affichée avant toute saisie")
def rule_shown_before(ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    assert ctx.outcome is None or ctx.outcome.accepted, "le scénario a déjà saisi un mot de passe refusé"
    text, numbers = driver.page_text(), _rule_numbers(settings)
    missing = [n for n in numbers if n not in text]
    assert not missing, (
        f"Avant toute saisie, la page du mot de passe ne dit pas la règle (longueur {numbers[0]} à {numbers[1]})"
    )


@then("un lecteur d'écran la lit en arrivant dans le champ du mot de passe")
def rule_tied_to_field(driver: Driver, settings: Settings) -> None:
    said, numbers = driver.field_description("mot_de_passe"), _rule_numbers(settings)
    missing = [n for n in numbers if n not in said]
    assert not missing, (
        f"Le champ du mot de passe n'est pas relié à sa règle (aria-describedby) : un lecteur d'écran lit"
        f" « {said or '(rien)'} » en y arrivant"
    )


# ── small screens ─────────────────────────────────────────────────────────
@then(parsers.parse("la page tient dans un écran de {width} × {height} pixels sans défilement horizontal"))
def fits_without_scrolling(width: str, height: str, driver: Driver, settings: Settings) -> None:
    """360 × 740 is the catalogue's phone (``A11Y-PETIT-ECRAN``): the site's when its profile gives one; a
    640-pixel-wide example is a 1280-pixel screen at 200 %, the same for every site."""
    largeur, hauteur = int(width), int(height)
    if largeur != ZOOM_200_WIDTH:
        largeur = site_value(settings, "A11Y-PETIT-ECRAN", "largeur", largeur)
        hauteur = site_value(settings, "A11Y-PETIT-ECRAN", "hauteur", hauteur)
    if found := driver.horizontal_overflow(largeur, hauteur):
        _fail_with(driver, "Défilement horizontal", [found.text], [e.selector for e in found.elements])
