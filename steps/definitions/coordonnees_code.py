"""⑥ ⑦ Contact details, « Envoyer le code », and the confirmation code."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from moncompte.rules.model import Settings
from moncompte.steps.codes import DELIVERY_TIMES, CodeSource, let_time_pass, now
from moncompte.steps.data import DataFactory
from moncompte.steps.definitions.commun import CHANNELS, Journey, act, refused_text
from moncompte.steps.drivers.base import Driver, NotRun, Outcome
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.messages import MessageCheck
from moncompte.steps.params import resolve, site_value

# « no code is sent » is watched at least this long (a code queued by the refused request and sent a few
# seconds later must still be seen, however fast the site's codes come)…
QUIET_MIN_SECONDS = 5.0
QUIET_FACTOR = 3  # … and this many times as long as this scenario's own code took to arrive
LATE_FACTOR = 2  # « a code is sent » waits up to this many times the site's delivery budget
CLOCK_MARGIN = 2.0  # seconds added when waiting for the site's clock (it counts from its own send)


def seconds_in(text: str, settings: Settings) -> int:
    """A duration as the features write it, in seconds: « 9 minutes et 50 secondes », « 0 seconde »,
    « aucun temps », or relative to the site's values: « la durée de validité (du code) »,
    « le délai de renvoi », « la moitié de la durée de validité », « … moins 10 secondes »,
    « … plus 1 minute »."""
    units = {"heure": 3600, "minute": 60, "seconde": 1}
    named = {
        "la durée de validité": settings["CODE-EXPIRATION"]["validite_minutes"] * 60,
        "le délai de renvoi": settings["CODE-RENVOI"]["delai_secondes"],
    }
    value = text.strip()
    if value == "aucun temps":
        return 0
    base, rest = None, value
    for name, seconds in named.items():
        for prefix, factor in (("la moitié de " + name, 0.5), (name, 1)):
            if value.startswith(prefix):
                base, rest = int(seconds * factor), value[len(prefix) :]
                break
        if base is not None:
            break
    parts = re.findall(r"(plus|moins)?\s*(\d+)\s*(heure|minute|seconde)s?", rest)
    if base is None and not parts:
        raise ValueError(f"durée non reconnue : « {text} »")
    total = base or 0
    for sign, n, unit in parts:
        total += (-1 if sign == "moins" else 1) * int(n) * units[unit]
    return total


@when(parsers.parse("elle indique son {means} « {value} » et clique sur « Envoyer le code »"))
def gives_contact(means: str, value: str, ctx: ScenarioContext, driver: Driver, data: DataFactory) -> None:
    ctx.envoi.channel, ctx.envoi.contact = CHANNELS[means], data.fill_digits(value)
    ctx.envoi.code_sent_at = now()
    act(ctx, driver, driver.request_code, ctx.envoi.channel, ctx.envoi.contact)


@when(parsers.parse("elle laisse vide son {means} et clique sur « Envoyer le code »"))
def leaves_contact_empty(means: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.envoi.channel, ctx.envoi.contact = CHANNELS[means], ""
    act(ctx, driver, driver.request_code, ctx.envoi.channel, "")


@then(parsers.parse("elle reçoit un code par {channel} dans les {seconds:d} secondes"))
def receives_code(channel: str, seconds: int, ctx: ScenarioContext, codes: CodeSource, settings: Settings) -> None:
    """The code arrives within the site's delivery budget counted from the click (« 30 secondes » is the
    catalogue's value: the site's when its profile gives one), by the channel."""
    seconds = site_value(settings, "CODE-ENVOI-IMMEDIAT", "delai_max_secondes", seconds)
    assert ctx.envoi.code_sent_at is not None, "aucune demande de code dans ce scénario"
    left = max(seconds - (now() - ctx.envoi.code_sent_at).total_seconds(), 0.0)
    try:
        message = codes.wait_for_message(ctx.envoi.contact, ctx.envoi.code_sent_at, timeout=left)
    except TimeoutError:
        raise AssertionError(
            f"Aucun code reçu par {ctx.envoi.contact} dans les {seconds} secondes qui ont suivi « Envoyer le code »"
        ) from None
    _check_channel(message, CHANNELS[channel])
    assert codes.extract(message.body), (
        f"Le message reçu par {ctx.envoi.contact} ne contient pas de code : « {message.body} »"
    )


@then(parsers.parse("le code reçu a {length:d} chiffres"))
def code_has_digits(length: int, ctx: ScenarioContext, settings: Settings) -> None:
    """The code the person received (« 6 chiffres »: the catalogue's length, the site's when its profile
    gives one)."""
    length = site_value(settings, "CODE-FORMAT", "longueur", length)
    assert ctx.envoi.code is not None, "aucun code reçu dans ce scénario"
    assert re.fullmatch(rf"\d{{{length}}}", ctx.envoi.code), (
        f"Le code reçu « {ctx.envoi.code} » n'a pas {length} chiffres"
    )


def _check_channel(message, channel: str) -> None:
    """The message came by ``channel``: said by the code source, else told by its recipient (an e-mail
    address, or a telephone number)."""
    came_by = message.channel or ("email" if "@" in message.to else "sms")
    assert came_by == channel, f"Code envoyé par {came_by} à {message.to}, attendu par {channel}"


@then(parsers.parse("un code lui est envoyé par {channel}"))
def code_sent(channel: str, ctx: ScenarioContext, codes: CodeSource, settings: Settings) -> None:
    """A code comes (late is for CODE-ENVOI-IMMEDIAT to say: this waits twice the delivery budget)."""
    budget = settings["CODE-ENVOI-IMMEDIAT"]["delai_max_secondes"] * LATE_FACTOR
    try:
        message = codes.wait_for_message(ctx.envoi.contact, ctx.envoi.code_sent_at, timeout=budget)
    except TimeoutError:
        raise AssertionError(f"Aucun code reçu par {ctx.envoi.contact} en {budget} secondes") from None
    _check_channel(message, CHANNELS[channel])


def quiet_seconds(ctx: ScenarioContext, settings: Settings) -> float:
    """How long to watch for a message that must not come: three times as long as the codes of this
    scenario (else of this run) took to come, the site's pace; ``QUIET_MIN_SECONDS`` at least (a fast
    site's pace is a fraction of a second, a late code sent anyway comes seconds later); the site's whole
    delivery budget when no code has come yet to tell its pace."""
    budget = float(settings["CODE-ENVOI-IMMEDIAT"]["delai_max_secondes"])
    paces = [ctx.envoi.delivery_seconds] if ctx.envoi.delivery_seconds is not None else DELIVERY_TIMES[-5:]
    if not paces:
        return budget
    return min(max(QUIET_FACTOR * max(paces), QUIET_MIN_SECONDS), budget)


@then(parsers.parse("aucun code n'est envoyé à « {value} »"))
def no_code_sent(value: str, ctx: ScenarioContext, codes: CodeSource, settings: Settings) -> None:
    try:
        message = codes.wait_for_message(
            ctx.envoi.contact, ctx.envoi.code_sent_at, timeout=quiet_seconds(ctx, settings)
        )
    except TimeoutError:
        return
    raise AssertionError(f"Un message a été envoyé à « {ctx.envoi.contact} » malgré le refus : « {message.body} »")


# ── ⑦ the code ────────────────────────────────────────────────────────────
@given("une personne qui a reçu un code de confirmation par e-mail")
def person_with_code(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person()
    parcours.reach("code")


@when("elle demande un code pour son adresse e-mail")
def asks_code_by_email(ctx: ScenarioContext, parcours: Journey) -> None:
    ctx.envoi.channel = "email"
    parcours.request_code()
    parcours.receive_code()


@when("elle saisit le code reçu")
@when("elle saisit le nouveau code")
@when("elle saisit de nouveau le même code")
def enters_received_code(ctx: ScenarioContext, driver: Driver) -> None:
    act(ctx, driver, driver.submit_code, ctx.envoi.code or "")


@when("elle saisit l'ancien code")
def enters_previous_code(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.envoi.previous_code, "aucun ancien code dans ce scénario"
    act(ctx, driver, driver.submit_code, ctx.envoi.previous_code)


def _wrong_code(ctx: ScenarioContext) -> str:
    assert ctx.envoi.code, "aucun code reçu dans ce scénario"
    return f"{(int(ctx.envoi.code) + 1) % 10 ** len(ctx.envoi.code):0{len(ctx.envoi.code)}d}"


@when("elle saisit un code faux")
def enters_wrong_code(ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    act(ctx, driver, driver.submit_code, _wrong_code(ctx))
    ctx.message_values["restants"] = settings["CODE-TENTATIVES"]["essais_max"] - 1


@when(
    parsers.re(r"elle saisit un code faux autant de fois que le site le permet(?P<less>, moins une)?"),
    target_fixture="codes_faux",
)
def enters_wrong_codes(less: str | None, ctx: ScenarioContext, driver: Driver, settings: Settings) -> list[Outcome]:
    """As many wrong codes as the site allows attempts (``CODE-TENTATIVES.essais_max``), or one less:
    the outcome of each."""
    allowed = settings["CODE-TENTATIVES"]["essais_max"]
    return [act(ctx, driver, driver.submit_code, _wrong_code(ctx)) for _ in range(allowed - (1 if less else 0))]


@then(parsers.parse("chacun est refusé avec le message « {message} »"))
def each_refused(message: str, codes_faux: list[Outcome], message_check: MessageCheck, settings: Settings) -> None:
    allowed = settings["CODE-TENTATIVES"]["essais_max"]
    for number, outcome in enumerate(codes_faux, start=1):
        assert not outcome.accepted, f"Le code faux n° {number} a été accepté"
        message_check.check(outcome, message, restants=allowed - number)


@then(parsers.parse("le dernier est refusé avec le message « {message} »"))
def last_refused(message: str, codes_faux: list[Outcome], message_check: MessageCheck) -> None:
    assert codes_faux, "aucun code faux saisi dans ce scénario"
    for number, outcome in enumerate(codes_faux, start=1):
        assert not outcome.accepted, f"Le code faux n° {number} a été accepté : {refused_text(outcome)}"
    message_check.check(codes_faux[-1], message)


@when(parsers.re(r"elle saisit le code «\s*(?P<code>.*?)\s*»"))
def enters_code(code: str, ctx: ScenarioContext, driver: Driver) -> None:
    act(ctx, driver, driver.submit_code, code)


@when(parsers.parse("elle saisit un code de {form}"))
def enters_code_of_form(form: str, ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    """« longueur − 1 chiffres », « longueur + 1 chiffres », « longueur caractères dont une lettre »:
    with the length of the site's code (``CODE-FORMAT.longueur``)."""
    found = re.fullmatch(r"(?P<n>.+?) (?P<what>chiffres|caractères dont une lettre)", form.strip())
    assert found, f"forme de code non reconnue : « {form} »"
    length = resolve(found.group("n"), settings["CODE-FORMAT"])
    code = "".join(str((i * 7 + 3) % 10) for i in range(length))
    if found.group("what") != "chiffres":
        code = code[:2] + "a" + code[3:]
    act(ctx, driver, driver.submit_code, code)


@when(parsers.parse("elle choisit le mot de passe « {password} » sans avoir saisi le code"))
def password_before_code(password: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.password = password
    act(ctx, driver, driver.choose_password, password)


@when(parsers.re(r"(?P<duration>.+) (?:a|ont) passé depuis l'envoi du code"))
def time_passes(duration: str, ctx: ScenarioContext, codes: CodeSource, settings: Settings, profile) -> None:
    """The code gets older: through the target's test clock where it has one (the reference); else by
    waiting, for as long as the profile lets the harness wait (``[codes] attente_max``)."""
    seconds = seconds_in(duration, settings)
    if not seconds:
        return
    if codes.can_age:
        codes.age_codes(ctx.envoi.contact, seconds)
        return
    waited = max((now() - ctx.envoi.code_sent_at).total_seconds(), 0.0) if ctx.envoi.code_sent_at else 0.0
    if seconds - waited > profile.codes.attente_max:
        raise NotRun(
            f"la source des codes ne sait pas les faire vieillir, et attendre {seconds} s dépasse ce que le"
            f" profil permet ([codes] attente_max = {profile.codes.attente_max})"
        )
    # the site started its clock when it sent the code, a little after the request: a margin so that a
    # boundary (« le délai de renvoi ») is reached on its clock too
    let_time_pass(max(seconds - waited, 0.0) + CLOCK_MARGIN)


@when("elle demande un nouveau code")
def asks_new_code(ctx: ScenarioContext, driver: Driver) -> None:
    ctx.envoi.code_sent_at = now()
    act(ctx, driver, driver.resend_code)


@when("elle reçoit le nouveau code")
@then("elle reçoit le nouveau code")
def receives_new_code(parcours: Journey) -> None:
    parcours.receive_code()


@then("aucun nouveau code ne lui est envoyé")
def no_new_code(ctx: ScenarioContext, codes: CodeSource, settings: Settings) -> None:
    try:
        message = codes.wait_for_message(
            ctx.envoi.contact, ctx.envoi.code_sent_at, timeout=quiet_seconds(ctx, settings)
        )
    except TimeoutError:
        return
    raise AssertionError(f"Un nouveau message a été envoyé malgré le refus : « {message.body} »")
