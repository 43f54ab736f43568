"""« Bon à savoir »: create Mon Compte with FranceConnect, then log in with FranceConnect.

A scenario's person gets a fresh FranceConnect test account at the provider (an account
creates Mon Compte once): ``franceconnect_accounts`` seeds it (``steps.identities``), and the
person is made known to the target's registry, or deliberately not (« inconnue de la Caf »).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from pytest_bdd import given, parsers, then, when

from moncompte.steps.data import DataFactory
from moncompte.steps.definitions.commun import Journey, act, refused_text
from moncompte.steps.definitions.recapitulatif_connexion import assert_recap_shows
from moncompte.steps.drivers.base import Driver
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.identities import FranceConnectAccounts, NoFranceConnectAccounts, SimulatorAccounts
from moncompte.steps.messages import MessageCheck

ACTIONS = {"créer son compte": "creation", "se connecter": "connexion"}


@pytest.fixture
def franceconnect_accounts(pytestconfig: pytest.Config) -> Iterator[FranceConnectAccounts]:
    """Where the scenarios' FranceConnect test accounts are created: the stand-in provider of
    ``--fc-provider``; without it, the FranceConnect scenarios are not applicable."""
    url = pytestconfig.getoption("--fc-provider")
    source = SimulatorAccounts(url) if url else NoFranceConnectAccounts()
    try:
        yield source
    finally:
        source.close()


@dataclass
class FranceConnectContext:
    account: dict[str, str] | None = None


@pytest.fixture
def fc() -> FranceConnectContext:
    return FranceConnectContext()


def _account(fc: FranceConnectContext) -> dict[str, str]:
    assert fc.account is not None, "le scénario n'a pas de compte FranceConnect"
    return fc.account


# ── persons ───────────────────────────────────────────────────────────────
@given("une personne connue de la Caf qui a un compte FranceConnect")
def known_person_with_fc_account(
    ctx: ScenarioContext,
    data: DataFactory,
    parcours: Journey,
    franceconnect_accounts: FranceConnectAccounts,
    fc: FranceConnectContext,
) -> None:
    ctx.person = data.person()
    fc.account = franceconnect_accounts.account_for(ctx.person)
    parcours.register()


@given("une personne inconnue de la Caf qui a un compte FranceConnect")
def unknown_person_with_fc_account(
    ctx: ScenarioContext, data: DataFactory, franceconnect_accounts: FranceConnectAccounts, fc: FranceConnectContext
) -> None:
    ctx.person = data.person()  # never seeded in the target's registry
    fc.account = franceconnect_accounts.account_for(ctx.person)


@given("une personne qui a créé son compte avec FranceConnect")
def person_created_with_fc(
    ctx: ScenarioContext,
    data: DataFactory,
    parcours: Journey,
    driver: Driver,
    franceconnect_accounts: FranceConnectAccounts,
    fc: FranceConnectContext,
) -> None:
    known_person_with_fc_account(ctx, data, parcours, franceconnect_accounts, fc)
    ctx.journey_of = ctx.person
    parcours.require(driver.create_with_franceconnect(_account(fc)), "la création avec FranceConnect")
    parcours.create_account()


# ── actions ───────────────────────────────────────────────────────────────
@when("elle crée son compte avec FranceConnect")
def creates_with_fc(ctx: ScenarioContext, driver: Driver, fc: FranceConnectContext) -> None:
    ctx.journey_of = ctx.person
    act(ctx, driver, driver.create_with_franceconnect, _account(fc))
    ctx.identifier = ctx.person.nir


@when("elle termine la création de son compte : coordonnées de contact, code et mot de passe")
def finishes_journey(ctx: ScenarioContext, parcours: Journey) -> None:
    assert ctx.outcome is not None and ctx.outcome.accepted, f"Création refusée : {refused_text(ctx.outcome)}"
    parcours.create_account()


@when("elle se connecte avec FranceConnect")
@when("elle se connecte de nouveau avec FranceConnect")
def logs_in_with_fc(ctx: ScenarioContext, driver: Driver, fc: FranceConnectContext) -> None:
    act(ctx, driver, driver.login_with_franceconnect, _account(fc))


@when("elle se déconnecte")
def logs_out(driver: Driver) -> None:
    driver.logout()


@when(
    parsers.parse("elle annule chez FranceConnect après avoir cliqué « S'identifier avec FranceConnect » pour {action}")
)
def cancels_at_fc(action: str, ctx: ScenarioContext, driver: Driver) -> None:
    act(ctx, driver, driver.cancel_franceconnect, ACTIONS[action])


@when(
    "la réponse de FranceConnect à sa création de compte revient au site marquée pour une autre demande que la sienne"
)
def wrong_state(ctx: ScenarioContext, driver: Driver, fc: FranceConnectContext) -> None:
    act(ctx, driver, driver.franceconnect_with_wrong_state, _account(fc), "creation")


# ── outcomes ──────────────────────────────────────────────────────────────
@then(parsers.parse("FranceConnect est refusé avec le message « {message} »"))
def fc_refused_with(message: str, ctx: ScenarioContext, message_check: MessageCheck) -> None:
    assert ctx.outcome is not None, "aucune tentative avec FranceConnect dans ce scénario"
    assert not ctx.outcome.accepted, f"FranceConnect a été accepté ; attendu le refus « {message} »"
    message_check.check(ctx.outcome, message)


@then("aucune création de compte n'est commencée")
def no_registration(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.outcome is not None and ctx.outcome.step is None, (
        f"Après le refus, le parcours de création est à l'étape {ctx.outcome.step if ctx.outcome else None}"
    )
    shown = driver.current_step()
    assert shown is None, f"Après le refus, le site montre l'étape {shown} du parcours de création"


@then(parsers.parse("se connecter ensuite avec FranceConnect est refusé avec le message « {message} »"))
def later_fc_login_refused(
    message: str, ctx: ScenarioContext, driver: Driver, fc: FranceConnectContext, message_check: MessageCheck
) -> None:
    act(ctx, driver, driver.login_with_franceconnect, _account(fc))
    fc_refused_with(message, ctx, message_check)


@then("le récapitulatif montre son état civil, venu de FranceConnect et du registre du site :")
def recap_shows_fc_identity(datatable: list[list[str]], ctx: ScenarioContext, driver: Driver) -> None:
    assert_recap_shows(datatable, ctx, driver, "venu de FranceConnect et du registre")


@then(parsers.parse("le récapitulatif montre « {label} » : « {value} »"))
def recap_shows_value(label: str, value: str, driver: Driver) -> None:
    shown = driver.recap()
    assert shown.get(label) == value, f"Récapitulatif : « {label} » attendu « {value} », affiché : {shown}"


@then("son espace s'ouvre à son nom, avec son numéro de sécurité sociale")
def espace_of_person(ctx: ScenarioContext, driver: Driver) -> None:
    text = driver.espace_identity()
    person = ctx.person
    plain = re.sub(r"\s", "", text).casefold()
    missing = [
        what
        for what, value in (
            ("nom de naissance", person.nom_naissance),
            ("premier prénom", person.prenoms.split()[0]),
            ("numéro de sécurité sociale", person.nir or ""),
        )
        if re.sub(r"\s", "", value).casefold() not in plain
    ]
    assert not missing, f"« Mon espace » ne montre pas son {', '.join(missing)} : « {text} »"
