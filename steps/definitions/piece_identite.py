"""⑤ Pièce d'identité: the document number, its check, « Je ne dispose pas d'une pièce d'identité française »."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from steps.data import DOCUMENT_KINDS, DataFactory, Document
from steps.definitions.commun import Journey, act, refused_text, step_code
from steps.drivers.base import Driver, NotApplicable
from steps.fixtures import ScenarioContext

NO_FRENCH_DOCUMENT = "Je ne dispose pas d'une pièce d'identité française"
CHOSEN_NUMBER = ("l'exemple impose le numéro du titre ; les identités de test du profil ont leurs propres"
                 " titres (le harnais ne peut pas en inscrire d'autres au registre de ce site)")


def require_seedable(data: DataFactory) -> None:
    """A scenario whose example chooses a document number needs a registry the harness can fill."""
    if data.pool is not None:
        raise NotApplicable(CHOSEN_NUMBER)


@given(parsers.parse("une personne dont le titre « {kind} » porte le numéro « {number} », à l'étape « {step} »"))
def person_with_document(kind: str, number: str, step: str, ctx: ScenarioContext, data: DataFactory,
                         parcours: Journey) -> None:
    require_seedable(data)
    ctx.person = data.person(document_kind=None)
    ctx.person.documents = [Document(DOCUMENT_KINDS[kind], number)]
    parcours.register()
    parcours.reach(step_code(step))


@given(parsers.parse("une autre personne inscrite au registre avec la carte d'identité « {number} »"))
def other_person_with_document(number: str, data: DataFactory, identities) -> None:
    require_seedable(data)
    other = data.person(document_kind=None)
    other.documents = [Document("cni", number)]
    identities.add_person(other)


@when(parsers.re(r"elle saisit le numéro « (?P<number>.*) » de son titre « (?P<kind>.+) »"))
def enters_document(number: str, kind: str, ctx: ScenarioContext, driver: Driver) -> None:
    act(ctx, driver, driver.submit_identity_document, DOCUMENT_KINDS[kind], number)


@given("une personne née à l'étranger, sans titre d'identité français, à l'étape « pièce d'identité »")
def person_without_french_document(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person(place="étranger", document_kind=None)
    parcours.reach("piece_identite")


@when(f"elle choisit « {NO_FRENCH_DOCUMENT} »")
def declares_no_french_document(ctx: ScenarioContext, driver: Driver, parcours: Journey) -> None:
    parcours.register()
    act(ctx, driver, driver.declare_no_french_document)


@when("elle termine la création de son compte")
def finishes_account(parcours: Journey) -> None:
    parcours.create_account()


@then("le récapitulatif indique qu'une pièce justificative peut lui être demandée")
def recap_says_proof_may_be_requested(driver: Driver) -> None:
    notice = driver.proof_notice()
    assert notice, "Le récapitulatif ne dit pas qu'une pièce justificative peut être demandée"


@then("elle peut se connecter à son espace")
def can_log_in(parcours: Journey, driver: Driver) -> None:
    outcome = parcours.login()
    assert outcome.accepted, f"Connexion refusée : {refused_text(outcome)}"
    assert driver.offered_actions(), "« Mon espace » ne propose aucune action"
