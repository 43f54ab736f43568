"""Introduction and ① ② ③: an account is needed; the way from the home page to step ④."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from moncompte.steps.data import DataFactory
from moncompte.steps.definitions.commun import act
from moncompte.steps.drivers.base import Driver
from moncompte.steps.fixtures import ScenarioContext

# The guide's words for the elements of the pages → the drivers' element keys.
ELEMENTS = {
    "Aides et démarches": "aides_et_demarches",
    "Mes démarches": "mes_demarches",
    "Mon Compte": "icone_mon_compte",
    "Faire la demande": "faire_la_demande",
    "Créer un compte": "creer_un_compte",
    "Commencer": "commencer",
    "Se connecter": "se_connecter",
}


@given("une personne qui n'a pas de compte")
def person_without_account(ctx: ScenarioContext, data: DataFactory) -> None:
    ctx.person = data.person()


@given("une personne qui n'a pas de compte, qui a choisi une prestation proposée par le site")
def chose_a_prestation(driver: Driver) -> None:
    driver.choose_any_prestation()


@given("une personne qui n'a pas de compte, qui a cliqué sur « Faire la demande » d'une prestation")
def clicked_faire_la_demande(driver: Driver) -> None:
    driver.choose_any_prestation()
    driver.follow("faire_la_demande")


@then("on lui propose de créer son compte ou de se connecter, pas encore le formulaire de demande")
def offered_account_first(driver: Driver) -> None:
    creation = driver.is_offered("creer_un_compte") or driver.is_offered("commencer")
    login = driver.is_offered("se_connecter") or driver.is_offered("identifiant")
    assert creation or login, "Ni « Créer un compte » ni « Se connecter » proposés après « Faire la demande »"
    assert not driver.is_offered("demande_prestation"), "Le formulaire de demande s'affiche sans compte ni connexion"


@then("la demande est refusée faute de connexion")
def refused_without_session(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None and not ctx.outcome.accepted, "La demande a été acceptée sans connexion"
    status = ctx.outcome.data.get("statut")
    assert status in (401, 403), f"Refus attendu faute de connexion (401 ou 403) ; la cible a répondu {status}"


@then(parsers.parse("on lui propose « {element} » en haut de la page"))
def offered_at_top(element: str, driver: Driver) -> None:
    assert driver.is_offered_at_top(ELEMENTS[element]), f"« {element} » n'est pas proposé en haut de la page"


@then("le bandeau « Faites une demande de prestation en ligne » propose au moins un thème")
def banner_has_themes(driver: Driver) -> None:
    assert driver.themes(), "Le bandeau « Faites une demande de prestation en ligne » ne propose aucun thème"


@then("chaque thème du bandeau propose au moins une prestation")
def each_theme_has_prestations(driver: Driver) -> None:
    empty = []
    for theme in driver.themes():
        if not driver.choose_theme(theme):
            empty.append(theme)
    assert not empty, f"Thèmes sans prestation : {', '.join(empty)}"


@when("elle choisit un thème, puis une des prestations proposées")
def chooses_any_prestation(driver: Driver) -> None:
    driver.choose_any_prestation()


@then("une nouvelle page s'affiche, sans erreur")
def page_without_error(driver: Driver) -> None:
    outcome = driver.page_shown()
    assert outcome.accepted, f"La page affichée est une erreur : {' | '.join(outcome.messages) or outcome.data}"


@then(parsers.parse("elle peut commencer la création de son compte pour « {prestation} »"))
def can_start_registration(prestation: str, ctx: ScenarioContext, driver: Driver) -> None:
    outcome = act(ctx, driver, driver.start_registration, prestation)
    assert outcome.accepted, f"« Créer un compte » refusé : {outcome.messages}"
    assert driver.current_step() == "etat_civil", f"Étape affichée : {driver.current_step()}"


@given("une personne sur la page d'accueil")
def on_home_page(driver: Driver) -> None:
    driver.open_home()


@given("une personne sur la page « Mes démarches »")
def on_mes_demarches(driver: Driver) -> None:
    driver.open_home()
    driver.follow(ELEMENTS["Aides et démarches"])
    driver.follow(ELEMENTS["Mes démarches"])


@when(parsers.parse("elle clique sur « {element} »"))
def clicks(element: str, driver: Driver) -> None:
    driver.follow(ELEMENTS[element])


@then(parsers.parse("on lui propose « {element} »"))
def is_offered(element: str, driver: Driver) -> None:
    assert driver.is_offered(ELEMENTS[element]), f"« {element} » n'est pas proposé sur la page"


@then("le bandeau « Faites une demande de prestation en ligne » propose les thèmes :")
def banner_themes(datatable: list[list[str]], driver: Driver) -> None:
    offered = driver.themes()
    missing = [row[0] for row in datatable[1:] if row[0] not in offered]
    assert not missing, f"Thèmes absents du bandeau : {missing} (proposés : {offered})"


@when(parsers.parse("elle choisit le thème « {theme} »"), target_fixture="proposees")
def chooses_theme(theme: str, driver: Driver) -> list[str]:
    """The prestations the theme offers."""
    return driver.choose_theme(theme)


@then(parsers.parse("la prestation « {prestation} » lui est proposée"))
def prestation_offered(prestation: str, proposees: list[str]) -> None:
    assert prestation in proposees, f"« {prestation} » n'est pas proposée (proposées : {proposees})"


@when(parsers.parse("elle choisit la prestation « {prestation} »"))
def chooses_prestation(prestation: str, driver: Driver) -> None:
    driver.choose_prestation(prestation)
