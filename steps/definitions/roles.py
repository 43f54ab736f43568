"""Rôles du foyer (« Bon à savoir »): each role × each action, the procuration, the child's age."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from pytest_bdd import given, parsers, then, when

from moncompte.rules.model import Settings
from moncompte.rules.roles import ACTION_LABELS
from moncompte.steps.data import Age, DataFactory
from moncompte.steps.definitions.commun import STEP_ORDER, Journey, act, refused_text, step_code
from moncompte.steps.drivers.base import Driver
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.messages import MessageCheck
from moncompte.steps.params import resolve

ACTIONS = {label: action.value for action, label in ACTION_LABELS.items()}  # French label → action code
NO_REASON = "—"


@dataclass(frozen=True)
class Choice:
    """An action chosen in « Mon espace », and the actions the page offered when it was chosen."""

    action: str
    offered: list[str]


@when(parsers.parse("elle choisit l'action « {action} »"), target_fixture="choix")
def chooses_action(action: str, ctx: ScenarioContext, driver: Driver) -> Choice:
    choice = Choice(ACTIONS[action], driver.offered_actions())
    ctx.outcome = driver.attempt(choice.action)
    return choice


@then(parsers.parse("l'action est {decision}"))
def action_decision(decision: str, choix: Choice, ctx: ScenarioContext) -> None:
    assert decision in ("permise", "refusée"), f"décision inconnue : {decision}"
    action, offered = choix.action, choix.offered
    if decision == "permise":
        assert action in offered, f"Action « {action} » absente de « Mon espace » : {offered}"
        assert ctx.outcome.accepted, f"Action « {action} » refusée : {refused_text(ctx.outcome)}"
    else:
        assert action not in offered, f"Action « {action} » proposée dans « Mon espace » alors qu'interdite"
        assert not ctx.outcome.accepted, f"Action « {action} » acceptée alors qu'interdite"


@then(parsers.parse("la raison donnée est « {reason} »"))
def reason_given(reason: str, ctx: ScenarioContext, message_check: MessageCheck) -> None:
    if reason == NO_REASON:
        assert ctx.outcome.accepted, f"Refus inattendu : {refused_text(ctx.outcome)}"
        return
    message_check.check(ctx.outcome, reason)


# ── procuration ───────────────────────────────────────────────────────────
@given("un foyer dont le responsable et le conjoint ont chacun créé leur compte, sans procuration")
def couple_with_accounts(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.foyer = data.couple(procuration=False)
    for _, person in ctx.foyer.members:
        ctx.person = person
        parcours.create_account()


@pytest.fixture
def tour() -> list[str]:
    """The foyer members who logged in, in turn (the responsable and the conjoint take turns)."""
    return []


def _log_in_as(registry_role: str, tour: list[str], ctx: ScenarioContext, driver: Driver, parcours: Journey) -> None:
    """The foyer member logs in, after whoever was logged in before logged out."""
    if tour:
        driver.logout()
    ctx.person = ctx.foyer.member(registry_role)
    ctx.identifier = ctx.person.nir
    parcours.require(parcours.login(), f"la connexion du {registry_role}")
    tour.append(registry_role)


@given(
    "un foyer dont le responsable et le conjoint ont chacun créé leur compte, avec une procuration donnée puis"
    " retirée par le responsable"
)
def couple_with_withdrawn_procuration(
    ctx: ScenarioContext, data: DataFactory, driver: Driver, parcours: Journey, tour: list[str]
) -> None:
    couple_with_accounts(ctx, data, parcours)
    _responsable_sets(True, tour, ctx, driver, parcours)
    _responsable_sets(False, tour, ctx, driver, parcours)


@when("le conjoint se connecte à son espace")
def conjoint_logs_in(ctx: ScenarioContext, driver: Driver, parcours: Journey, tour: list[str]) -> None:
    _log_in_as("conjoint", tour, ctx, driver, parcours)


def _responsable_sets(granted: bool, tour: list[str], ctx: ScenarioContext, driver: Driver, parcours: Journey) -> None:
    _log_in_as("responsable", tour, ctx, driver, parcours)
    outcome = driver.set_procuration(granted)
    assert outcome.accepted, f"Le responsable n'a pas pu régler la procuration : {refused_text(outcome)}"


@when("le responsable donne une procuration à son conjoint")
def responsable_grants(ctx: ScenarioContext, driver: Driver, parcours: Journey, tour: list[str]) -> None:
    _responsable_sets(True, tour, ctx, driver, parcours)


@when("le responsable retire la procuration")
def responsable_withdraws(ctx: ScenarioContext, driver: Driver, parcours: Journey, tour: list[str]) -> None:
    _responsable_sets(False, tour, ctx, driver, parcours)


@then(parsers.parse("l'action « {action} » lui est {decision}"))
def action_for_actor(action: str, decision: str, driver: Driver) -> None:
    code = ACTIONS[action]
    offered = driver.offered_actions()
    outcome = driver.attempt(code)
    if decision == "permise":
        assert code in offered, f"« {action} » absente de « Mon espace » : {offered}"
        assert outcome.accepted, f"« {action} » refusée : {refused_text(outcome)}"
    else:
        assert code not in offered, f"« {action} » proposée dans « Mon espace » alors qu'interdite"
        assert not outcome.accepted, f"« {action} » acceptée alors qu'interdite"


# What a procuration opens (« Je peux demander une prestation et gérer le dossier »).
PROCURATION_ACTIONS = ("demander_prestation", "gerer_dossier")


def _rights(driver: Driver) -> tuple[list[str], dict[str, bool]]:
    """What « Mon espace » offers, and whether each action a procuration opens is accepted when tried."""
    return sorted(driver.offered_actions()), {a: driver.attempt(a).accepted for a in PROCURATION_ACTIONS}


@when("elle essaie de se donner une procuration", target_fixture="droits_avant")
def tries_to_grant_self(ctx: ScenarioContext, driver: Driver) -> tuple[list[str], dict[str, bool]]:
    """Her rights before she tries (``_rights``)."""
    before = _rights(driver)
    ctx.outcome = driver.set_procuration(True)
    return before


@then("ses droits dans son espace n'ont pas changé")
def rights_unchanged(droits_avant: tuple[list[str], dict[str, bool]], driver: Driver) -> None:
    (offered_before, tried_before), (offered, tried) = droits_avant, _rights(driver)
    assert offered == offered_before, (
        f"Actions proposées avant : {offered_before} ; après l'essai de procuration : {offered}"
    )
    assert tried == tried_before, (
        f"Actions acceptées quand on les tente, avant : {tried_before} ; après l'essai de procuration : {tried}"
    )


# ── the child's age ───────────────────────────────────────────────────────
def child_age(text: str, settings: Settings) -> Age:
    """« age_min − 1 ans », « age_min ans demain », « 12 ans » → the ``Age`` (``ROLE-ENFANT-15.age_min`` of the site)."""
    found = re.fullmatch(r"\s*(?P<years>.+?) ans(?P<when> aujourd'hui| demain)?\s*", text)
    assert found, f"âge non reconnu : « {text} »"
    return Age(resolve(found.group("years"), settings["ROLE-ENFANT-15"]), (found.group("when") or "").strip() or None)


@given(parsers.parse("un enfant du foyer qui a {age}"))
def child_of_age(age: str, ctx: ScenarioContext, data: DataFactory, settings: Settings) -> None:
    ctx.foyer, ctx.person = data.foyer_for("enfant", age=child_age(age, settings))


@when("il renseigne son état civil et son titre d'identité")
def child_fills_identity(ctx: ScenarioContext, driver: Driver, parcours: Journey) -> None:
    parcours.start()
    parcours.register()
    outcome = act(ctx, driver, driver.fill_civil_status, ctx.person.civil_status())
    if outcome.accepted:
        doc = ctx.person.document
        act(ctx, driver, driver.submit_identity_document, doc.kind, doc.number)


@then(parsers.parse("il ne peut pas aller jusqu'à l'étape « {step} »"))
def cannot_reach(step: str, driver: Driver) -> None:
    shown = driver.current_step()
    assert shown in STEP_ORDER, f"Le parcours n'est plus affiché (étape : {shown})"
    assert STEP_ORDER.index(shown) < STEP_ORDER.index(step_code(step)), f"Le parcours est allé jusqu'à {shown}"


@then("son espace lui propose exactement :")
def espace_offers_exactly(datatable: list[list[str]], driver: Driver) -> None:
    expected = sorted(ACTIONS[row[0].strip()] for row in datatable[1:])
    offered = sorted(driver.offered_actions())
    assert offered == expected, f"Actions proposées : {offered} ; attendues : {expected}"
