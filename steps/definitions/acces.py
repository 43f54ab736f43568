"""Introduction and ① ② ③: an account is needed; the way from the home page to step ④."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from steps.data import DataFactory
from steps.definitions.commun import act
from steps.drivers.base import Driver
from steps.fixtures import ScenarioContext

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


@when(parsers.parse("elle choisit le thème « {theme} »"))
def chooses_theme(theme: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.offered = driver.choose_theme(theme)


@then(parsers.parse("la prestation « {prestation} » lui est proposée"))
def prestation_offered(prestation: str, ctx: ScenarioContext) -> None:
    assert prestation in ctx.offered, f"« {prestation} » n'est pas proposée (proposées : {ctx.offered})"


@when(parsers.parse("elle choisit la prestation « {prestation} »"))
def chooses_prestation(prestation: str, driver: Driver) -> None:
    driver.choose_prestation(prestation)
