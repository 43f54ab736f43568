"""« Bon à savoir »: being guided step by step, and the Chatbot."""

from __future__ import annotations

from pytest_bdd import parsers, then, when

from steps.definitions.commun import Journey
from steps.drivers.base import Driver
from steps.fixtures import ScenarioContext


@when("elle renseigne correctement son état civil")
def fills_civil_status_right(parcours: Journey) -> None:
    parcours.civil_status()


@when("elle renseigne correctement son titre d'identité")
def fills_document_right(parcours: Journey) -> None:
    parcours.document()


@when(parsers.parse("elle demande au Chatbot « {question} »"))
def asks_chatbot(question: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.outcome = driver.ask_chatbot(question)


@then(parsers.parse("le Chatbot répond en citant « {text} »"))
def chatbot_answers(text: str, ctx: ScenarioContext) -> None:
    answer = ctx.outcome.messages[0] if ctx.outcome and ctx.outcome.messages else ""
    assert text.casefold() in answer.casefold(), f"Réponse du Chatbot : « {answer} » ; attendu : « {text} »"
