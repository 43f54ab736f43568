"""⑥ ⑦ Contact details, « Envoyer le code », and the confirmation code."""

from __future__ import annotations

import re
import time

from pytest_bdd import given, parsers, then, when

from steps.codes import CodeSource, now
from steps.data import DataFactory
from steps.definitions.commun import CHANNELS, Journey, act
from steps.drivers.base import Driver
from steps.fixtures import ScenarioContext

QUIET_SECONDS = 1.0  # how long « no code is sent » is watched for


def seconds_in(text: str) -> int:
    """« 9 minutes et 50 secondes », « 60 secondes », « 0 seconde », « 1 heure » → seconds."""
    units = {"heure": 3600, "minute": 60, "seconde": 1}
    parts = re.findall(r"(\d+)\s*(heure|minute|seconde)s?", text)
    if not parts:
        raise ValueError(f"durée non reconnue : « {text} »")
    return sum(int(n) * units[u] for n, u in parts)


@when(parsers.parse("elle indique son {means} « {value} » et clique sur « Envoyer le code »"))
def gives_contact(means: str, value: str, ctx: ScenarioContext, driver: Driver, data: DataFactory) -> None:
    ctx.channel, ctx.contact = CHANNELS[means], data.fill_digits(value)
    ctx.code_sent_at = now()
    act(ctx, driver, driver.request_code, ctx.channel, ctx.contact)


@when(parsers.parse("elle laisse vide son {means} et clique sur « Envoyer le code »"))
def leaves_contact_empty(means: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.channel, ctx.contact = CHANNELS[means], ""
    act(ctx, driver, driver.request_code, ctx.channel, "")


@then(parsers.parse("elle reçoit par {channel} un code de {length:d} chiffres dans les {seconds:d} secondes"))
def receives_code(channel: str, length: int, seconds: int, ctx: ScenarioContext, codes: CodeSource) -> None:
    started = time.monotonic()
    message = codes.wait_for_message(ctx.contact, ctx.code_sent_at, timeout=seconds)
    elapsed = time.monotonic() - started
    assert elapsed <= seconds, f"Code reçu en {elapsed:.1f} s, au-delà de {seconds} s"
    if message.channel is not None:
        assert message.channel == CHANNELS[channel], f"Code envoyé par {message.channel}, attendu par {channel}"
    assert re.search(rf"(?<!\d)\d{{{length}}}(?!\d)", message.body), (
        f"Le message ne contient pas de code de {length} chiffres : « {message.body} »"
    )


@then(parsers.parse("aucun code n'est envoyé à « {value} »"))
def no_code_sent(value: str, ctx: ScenarioContext, codes: CodeSource) -> None:
    try:
        message = codes.wait_for_message(ctx.contact, ctx.code_sent_at, timeout=QUIET_SECONDS)
    except TimeoutError:
        return
    raise AssertionError(f"Un message a été envoyé à « {ctx.contact} » malgré le refus : « {message.body} »")


# ── ⑦ the code ────────────────────────────────────────────────────────────
@given("une personne qui a reçu un code de confirmation par e-mail")
def person_with_code(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person()
    parcours.reach("code")


@when("elle demande un code pour son adresse e-mail")
def asks_code_by_email(ctx: ScenarioContext, parcours: Journey) -> None:
    ctx.channel = "email"
    parcours.request_code()
    parcours.receive_code()


@when("elle saisit le code reçu")
@when("elle saisit le nouveau code")
@when("elle saisit de nouveau le même code")
def enters_received_code(ctx: ScenarioContext, driver: Driver) -> None:
    act(ctx, driver, driver.submit_code, ctx.code or "")


@when("elle saisit l'ancien code")
def enters_previous_code(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.previous_code, "aucun ancien code dans ce scénario"
    act(ctx, driver, driver.submit_code, ctx.previous_code)


@when("elle saisit un code faux")
def enters_wrong_code(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.code, "aucun code reçu dans ce scénario"
    wrong = f"{(int(ctx.code) + 1) % 10 ** len(ctx.code):0{len(ctx.code)}d}"
    act(ctx, driver, driver.submit_code, wrong)


@when(parsers.re(r"elle saisit le code « (?P<code>.*) »"))
def enters_code(code: str, ctx: ScenarioContext, driver: Driver) -> None:
    act(ctx, driver, driver.submit_code, code)


@when(parsers.parse("elle choisit le mot de passe « {password} » sans avoir saisi le code"))
def password_before_code(password: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.password = password
    act(ctx, driver, driver.choose_password, password)


@when(parsers.parse("{duration} ont passé depuis l'envoi du code"))
def time_passes(duration: str, ctx: ScenarioContext, codes: CodeSource) -> None:
    seconds = seconds_in(duration)
    if seconds:
        codes.age_codes(ctx.contact, seconds)


@when("elle demande un nouveau code")
def asks_new_code(ctx: ScenarioContext, driver: Driver) -> None:
    ctx.code_sent_at = now()
    act(ctx, driver, driver.resend_code)


@when("elle reçoit le nouveau code")
@then("elle reçoit le nouveau code")
def receives_new_code(parcours: Journey) -> None:
    parcours.receive_code()


@then("aucun nouveau code ne lui est envoyé")
def no_new_code(ctx: ScenarioContext, codes: CodeSource) -> None:
    try:
        message = codes.wait_for_message(ctx.contact, ctx.code_sent_at, timeout=QUIET_SECONDS)
    except TimeoutError:
        return
    raise AssertionError(f"Un nouveau message a été envoyé malgré le refus : « {message.body} »")

