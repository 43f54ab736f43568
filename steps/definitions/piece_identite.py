"""⑤ Pièce d'identité: the document number, its check, « Je ne dispose pas d'une pièce d'identité française »."""

from __future__ import annotations

from pytest_bdd import given, parsers, then, when

from moncompte.rules.piece_identite import mrz_check_digit
from moncompte.steps.data import DOCUMENT_KINDS, DataFactory, Document
from moncompte.steps.definitions.commun import Journey, act, refused_text, step_code
from moncompte.steps.drivers.base import Driver
from moncompte.steps.fixtures import ScenarioContext

NO_FRENCH_DOCUMENT = "Je ne dispose pas d'une pièce d'identité française"
# How the features name a person's document → its kind.
HOLDS = {"une carte d'identité": "cni", "un passeport français": "passeport", "un titre de séjour": "titre_sejour"}


@given(parsers.parse("une personne dont le titre « {kind} » porte le numéro « {number} », à l'étape « {step} »"))
def person_with_document(
    kind: str, number: str, step: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey
) -> None:
    """A person invented with that document (the reference only: ``@identites_inventees``)."""
    ctx.person = data.person(document_kind=None)
    ctx.person.documents = [Document(DOCUMENT_KINDS[kind], number)]
    parcours.register()
    parcours.reach(step_code(step))


@given(parsers.parse("une personne qui a {holds}, à l'étape « pièce d'identité »"))
def person_holding(holds: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    """A person the site knows, with a document of that kind (a test identity of the profile; invented
    and registered on the reference)."""
    ctx.person = data.person(
        document_kind=HOLDS[holds], place="étranger" if HOLDS[holds] == "titre_sejour" else "métropole"
    )
    parcours.register()
    parcours.reach("piece_identite")


@given("une autre personne connue du site, avec une carte d'identité")
def other_person_with_card(ctx: ScenarioContext, data: DataFactory, identities) -> None:
    other = data.person(document_kind="cni")
    identities.add_person(other)
    ctx.others.append(other)


def _changed(char: str) -> str:
    if char.isdigit():
        return str((int(char) + 1) % 10)
    return chr((ord(char.upper()) - ord("A") + 1) % 26 + ord("A"))


# How a person types her own number (the features' words) → the number typed.
TYPED = {
    "tel qu'il est écrit": lambda n: n,
    "en minuscules, avec des espaces": lambda n: " ".join(n[i : i + 3] for i in range(0, len(n), 3)).lower(),
    "suivi de son chiffre de contrôle": lambda n: n + mrz_check_digit(n),
    "suivi d'un chiffre de contrôle décalé de un": lambda n: n + _changed(mrz_check_digit(n)),
    "avec son dernier caractère changé": lambda n: n[:-1] + _changed(n[-1]),
    "avec son dernier chiffre changé": lambda n: n[:-1] + _changed(n[-1]),
    "avec ses deux derniers chiffres inversés": lambda n: (
        n[:-2] + (n[-1] + n[-2] if n[-1] != n[-2] else n[-2] + _changed(n[-1]))
    ),
}


@when(parsers.parse("elle saisit le numéro de son titre {typed}"))
def enters_own_document(typed: str, ctx: ScenarioContext, driver: Driver) -> None:
    document = ctx.person.document
    act(ctx, driver, driver.submit_identity_document, document.kind, TYPED[typed](document.number))


@when("elle saisit le numéro de la carte d'identité de l'autre personne")
def enters_other_document(ctx: ScenarioContext, driver: Driver) -> None:
    other = ctx.others[-1].document
    act(ctx, driver, driver.submit_identity_document, other.kind, other.number)


@when(parsers.re(r"elle saisit le numéro « (?P<number>.*) » (?:de son titre|pour un titre) « (?P<kind>.+) »"))
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
