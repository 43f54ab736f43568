"""« Bon à savoir »: being guided step by step (features/guidage), and the Chatbot."""

from __future__ import annotations

import pytest
from pytest_bdd import parsers, then, when

from moncompte.steps.definitions.commun import Journey, step_code
from moncompte.steps.drivers.base import Driver, Outcome


@pytest.fixture
def indications() -> list[tuple[int, int]]:
    """The step indications (« Étape n sur N ») the scenario's pages showed, in order."""
    return []


@when("elle choisit un mot de passe qui respecte la règle")
def chooses_good_password(parcours: Journey) -> None:
    parcours.choose_password()


@then(parsers.parse("la page indique à quelle étape du parcours elle en est, « {step} »"))
def step_shown(step: str, indications: list[tuple[int, int]], driver: Driver) -> None:
    """The page is that step of the journey, and its indication (« Étape 2 sur 6 ») moved one step on."""
    shown = driver.current_step()
    assert shown == step_code(step), f"Étape attendue : {step_code(step)} ; la page est à l'étape {shown}"
    indicated = driver.step_indicator()
    assert indicated is not None, (
        f"La page de l'étape « {step} » n'indique pas où en est la personne (« Étape n sur N »)"
    )
    if indications:
        before = indications[-1]
        assert indicated == (before[0] + 1, before[1]), (
            f"L'indication d'étape est « {indicated[0]} sur {indicated[1]} » après « {before[0]} sur {before[1]} » :"
            " elle devait avancer d'une étape"
        )
    indications.append(indicated)


@when("elle renseigne correctement son état civil")
def fills_civil_status_right(parcours: Journey) -> None:
    parcours.civil_status()


@when("elle renseigne correctement son titre d'identité")
def fills_document_right(parcours: Journey) -> None:
    parcours.document()


@when(parsers.parse("elle demande au Chatbot « {question} »"), target_fixture="echange")
def asks_chatbot(question: str, driver: Driver) -> tuple[str, Outcome]:
    """The question and the Chatbot's answer."""
    return question, driver.ask_chatbot(question)


@then(parsers.parse("le Chatbot répond en citant « {text} »"))
def chatbot_answers(text: str, echange: tuple[str, Outcome]) -> None:
    """The answer says ``text`` — in its own words: the question it repeats (« Vous avez demandé : … »)
    does not count."""
    question, outcome = echange
    answer = outcome.messages[0] if outcome.messages else ""
    question = question.casefold()
    own = answer.casefold().replace(question, " ") if question else answer.casefold()
    assert text.casefold() in own, f"Réponse du Chatbot : « {answer} » ; attendu, dans ses propres mots : « {text} »"
