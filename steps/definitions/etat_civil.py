"""④ État civil and the provisional identifier."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from steps.data import DataFactory
from steps.definitions.commun import Journey, act
from steps.drivers.base import Driver
from steps.fixtures import ScenarioContext

# Labels of the feature's état civil table → the intent's keys.
FIELDS = {
    "numéro de sécurité sociale": "nir",
    "civilité": "civilite",
    "nom de naissance": "nom_naissance",
    "prénoms": "prenoms",
    "date de naissance": "date_naissance",
    "lieu de naissance": "lieu_naissance",
}
BIRTH_PLACES = {"à l'étranger": "étranger", "en métropole": "métropole", "en Corse": "Corse-du-Sud", "outre-mer": "outre-mer"}
NO_NIR = "Je n'ai pas de numéro de sécurité sociale"


@when("elle renseigne son état civil :")
def fills_civil_status(datatable: list[list[str]], ctx: ScenarioContext, driver: Driver) -> None:
    entered = {FIELDS[label.strip()]: value.strip() for label, value in (row[:2] for row in datatable)}
    act(ctx, driver, driver.fill_civil_status, entered)


@given(parsers.parse("une personne née {place}, sans numéro de sécurité sociale, à l'étape « état civil »"))
def person_without_nir(place: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person(place=BIRTH_PLACES[place], with_nir=False)
    parcours.start()


@when(f"elle renseigne son état civil en cochant « {NO_NIR} »")
def fills_without_nir(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.person is not None
    outcome = act(ctx, driver, driver.fill_civil_status, ctx.person.civil_status(), without_nir=True)
    if outcome.data.get("identifiant_provisoire"):
        ctx.provisional_ids.append(outcome.data["identifiant_provisoire"])


@then(parsers.parse("un identifiant provisoire lui est fourni : la lettre « {letter} » suivie de {digits:d} chiffres"))
def provisional_id_given(letter: str, digits: int, ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None
    issued = ctx.outcome.data.get("identifiant_provisoire")
    assert issued, f"Aucun identifiant provisoire montré (réponse : {ctx.outcome.data})"
    assert re.fullmatch(re.escape(letter) + rf"\d{{{digits}}}", issued), (
        f"Identifiant provisoire « {issued} » : attendu « {letter} » suivi de {digits} chiffres"
    )


@given("deux personnes sans numéro de sécurité sociale")
def two_persons_without_nir(ctx: ScenarioContext, data: DataFactory) -> None:
    ctx.others = [data.person(with_nir=False), data.person(with_nir=False)]


@when(f"chacune renseigne son état civil en cochant « {NO_NIR} »")
def each_fills_without_nir(ctx: ScenarioContext, driver: Driver, parcours: Journey) -> None:
    for person in ctx.others:
        ctx.person = person
        parcours.start()
        fills_without_nir(ctx, driver)
        assert ctx.outcome and ctx.outcome.accepted, f"État civil refusé : {ctx.outcome and ctx.outcome.messages}"


@then("leurs identifiants provisoires sont différents")
def provisional_ids_differ(ctx: ScenarioContext) -> None:
    assert len(ctx.provisional_ids) == 2, f"Identifiants provisoires reçus : {ctx.provisional_ids}"
    assert ctx.provisional_ids[0] != ctx.provisional_ids[1], f"Même identifiant pour deux personnes : {ctx.provisional_ids}"
