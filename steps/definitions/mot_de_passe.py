"""⑧ Mot de passe."""

from __future__ import annotations

import re
import unicodedata

from pytest_bdd import parsers, then, when

from moncompte.rules.model import Settings
from moncompte.steps.definitions.commun import act, refused_text
from moncompte.steps.drivers.base import Driver
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.params import Failure, judge, resolve

CLASSES = (  # (rule, what a character of the class is, its French name, the message of rules/messages.py)
    ("MDP-CHIFFRE", str.isdigit, "chiffre", "mdp.chiffre"),
    ("MDP-MAJUSCULE", str.isupper, "lettre majuscule", "mdp.majuscule"),
    ("MDP-MINUSCULE", str.islower, "lettre minuscule", "mdp.minuscule"),
)


def password_failures(password: str, settings: Settings) -> list[Failure]:
    """What the parameters of ``settings`` refuse in ``password`` (length, counts of each class): how
    a literal example of the guide is judged by a site's values (``steps.params.judge``)."""
    text = unicodedata.normalize("NFC", password)
    length = settings["MDP-LONGUEUR"]
    failures = []
    if not length["min"] <= len(text) <= length["max"]:
        failures.append(
            ("MDP-LONGUEUR", f"{len(text)} caractères, hors de {length['min']} à {length['max']}", "mdp.longueur")
        )
    for rule_id, is_of_class, name, message_id in CLASSES:
        count, needed = sum(map(is_of_class, text)), settings[rule_id]["min"]
        if count < needed:
            failures.append((rule_id, f"{count} {name}(s) pour {needed} demandé(s)", message_id))
    return failures


def password_of_length(length: int, settings: Settings) -> str:
    """A password of ``length`` characters with the digits, upper-case and lower-case letters the site asks for."""
    needed = "".join(letter * settings[rule_id]["min"] for (rule_id, *_), letter in zip(CLASSES, "7Kq"))
    return (needed + "bcdefghijkmnopqrstuvwxyz" * (length // 24 + 1))[: max(length, 0)]


def choose(password: str, ctx: ScenarioContext, driver: Driver, confirmation: str | None = None) -> None:
    ctx.password = password
    act(ctx, driver, driver.choose_password, password, confirmation)


@when(parsers.parse("elle choisit le mot de passe « {password} »"))
def chooses_password(password: str, ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    ctx.judged = judge(lambda values: password_failures(password, values), settings)
    choose(password, ctx, driver)


@when(
    parsers.re(
        r"elle choisit un mot de passe de (?P<length>.+?) caractères qui respecte le reste de la règle"
        r"(?P<other>, et en confirme un autre)?"
    )
)
def chooses_password_of_length(
    length: str, other: str | None, ctx: ScenarioContext, driver: Driver, settings: Settings
) -> None:
    password = password_of_length(resolve(length, settings["MDP-LONGUEUR"]), settings)
    choose(password, ctx, driver, confirmation=password[::-1] if other else None)


# The rule's text: what it must give, and how to find it there with the values in force.
RULE_TEXT = {
    "le nombre minimal de caractères": lambda s: rf"\b{s['MDP-LONGUEUR']['min']}\b",
    "le nombre maximal de caractères": lambda s: rf"\b{s['MDP-LONGUEUR']['max']}\b",
    "le nombre de chiffres": lambda s: rf"\b{s['MDP-CHIFFRE']['min']}\s+chiffres?\b",
    "le nombre de lettres majuscules": lambda s: rf"\b{s['MDP-MAJUSCULE']['min']}\s+(lettres?\s+)?majuscules?\b",
    "le nombre de lettres minuscules": lambda s: rf"\b{s['MDP-MINUSCULE']['min']}\s+(lettres?\s+)?minuscules?\b",
}


@then("la règle affichée avec le champ « Mot de passe » donne, avant toute saisie :")
def password_rule_shown(datatable: list[list[str]], driver: Driver, settings: Settings) -> None:
    text = driver.password_rule_text()
    plain = re.sub(r"\s+", " ", text.replace("au moins un ", "au moins 1 ").replace("une lettre", "1 lettre"))
    missing = [row[0] for row in datatable[1:] if not re.search(RULE_TEXT[row[0].strip()](settings), plain, re.I)]
    assert not missing, f"La règle affichée « {text} » ne donne pas : {', '.join(missing)}"


@then("elle peut se connecter avec ce mot de passe")
def can_log_in_with_password(ctx: ScenarioContext, driver: Driver) -> None:
    outcome = driver.login(ctx.identifier or "", ctx.password or "")
    assert outcome.accepted, f"Connexion refusée avec le mot de passe choisi : {refused_text(outcome)}"


@then("on ne peut pas se connecter avec ce mot de passe")
def cannot_log_in_with_password(ctx: ScenarioContext, driver: Driver) -> None:
    outcome = driver.login(ctx.identifier or "", ctx.password or "")
    assert not outcome.accepted, "Connexion acceptée avec un mot de passe refusé : il a été enregistré"
