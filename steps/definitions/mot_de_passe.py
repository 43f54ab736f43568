"""⑧ Mot de passe."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from steps.definitions.commun import act, refused_text
from steps.drivers.base import Driver
from steps.fixtures import ScenarioContext


@when(parsers.parse("elle choisit le mot de passe « {password} »"))
def chooses_password(password: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.password = password
    act(ctx, driver, driver.choose_password, password)


@then(parsers.parse("la règle affichée avec le champ « Mot de passe » dit :"))
def password_rule_shown(datatable: list[list[str]], driver: Driver) -> None:
    text = driver.password_rule_text()
    missing = [row[0] for row in datatable if row[0].strip() not in text]
    assert not missing, f"La règle affichée « {text} » ne dit pas : {missing}"


@then("elle peut se connecter avec ce mot de passe")
def can_log_in_with_password(ctx: ScenarioContext, driver: Driver) -> None:
    outcome = driver.login(ctx.identifier or "", ctx.password or "")
    assert outcome.accepted, f"Connexion refusée avec le mot de passe choisi : {refused_text(outcome)}"


@then("on ne peut pas se connecter avec ce mot de passe")
def cannot_log_in_with_password(ctx: ScenarioContext, driver: Driver) -> None:
    outcome = driver.login(ctx.identifier or "", ctx.password or "")
    assert not outcome.accepted, "Connexion acceptée avec un mot de passe refusé : il a été enregistré"
