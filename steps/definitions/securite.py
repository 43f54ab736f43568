"""Sécurité (rules SEC-…, beyond the guide): what a QA team can check on its own site from outside."""

from __future__ import annotations

import dataclasses
import zlib
from typing import Any

import pytest
from pytest_bdd import given, parsers, then, when

from moncompte.rules import Settings
from moncompte.steps.data import DataFactory, Person
from moncompte.steps.definitions.commun import Journey, act, refused_text
from moncompte.steps.drivers.base import Driver, NotRun, Outcome
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.identities import Identities

WRONG_PASSWORD = "Mauvais2024x"
CSP_NEEDS = ("frame-ancestors",)


@pytest.fixture
def securite() -> dict[str, Any]:
    """What the security scenarios remember between their steps."""
    return {}


@when(
    parsers.parse(
        "quelqu'un se connecte avec un numéro de sécurité sociale sans compte et le mot de passe « {password} »"
    )
)
def logs_in_unknown_nir(password: str, ctx: ScenarioContext, driver: Driver, securite: dict) -> None:
    securite["connu"] = ctx.outcome
    # An invented NIR, never registered (not taken from the profile's identities: they may have accounts).
    unknown = DataFactory(zlib.crc32(f"sans-compte {ctx.person.nir}".encode())).person().nir or ""
    assert unknown != ctx.person.nir
    securite["inconnu"] = driver.login(unknown, password)


@then("les deux connexions sont refusées avec la même réponse")
def same_answer(securite: dict) -> None:
    known: Outcome = securite["connu"]
    unknown: Outcome = securite["inconnu"]
    assert not known.accepted and not unknown.accepted, "Une des deux connexions a été acceptée"
    assert known.messages, "La connexion refusée ne dit pas pourquoi"
    assert known.messages == unknown.messages, (
        f"Réponses différentes : mot de passe faux « {refused_text(known)} », identifiant sans compte"
        f" « {refused_text(unknown)} » : elles révèlent si un compte existe"
    )
    assert known.invalid_fields == unknown.invalid_fields, (
        f"Champs signalés différents : {known.invalid_fields} / {unknown.invalid_fields}"
    )
    status = (known.data.get("statut"), unknown.data.get("statut"))
    assert status[0] == status[1], f"Statuts HTTP différents : {status[0]} / {status[1]}"


@when("on essaie de se connecter à son compte avec un mot de passe faux autant de fois que la limite le permet")
def fails_up_to_the_limit(ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    limit = settings["SEC-CONNEXION-LIMITEE"]["echecs_max"]
    for attempt in range(limit):
        outcome = driver.login(ctx.person.nir or "", WRONG_PASSWORD)
        assert not outcome.accepted, f"Connexion acceptée avec un mot de passe faux (essai {attempt + 1})"


@then("la connexion est refusée avec un message")
def refused_with_message(ctx: ScenarioContext) -> None:
    outcome = ctx.outcome
    assert outcome is not None and not outcome.accepted, (
        "Connexion acceptée après la limite d'essais : les essais de mot de passe ne sont pas limités"
    )
    assert outcome.messages, "Connexion refusée sans message"


@when("elle se connecte deux fois avec son numéro de sécurité sociale et son mot de passe")
def logs_in_twice(ctx: ScenarioContext, driver: Driver, securite: dict) -> None:
    """Each login, then the cookies that carry the session (without which « Mon espace » is refused)."""
    securite["sessions"] = []
    for _ in range(2):
        assert driver.login(ctx.person.nir or "", ctx.person.password).accepted, "Connexion refusée"
        securite["sessions"].append(driver.session_cookies())


@then("chaque connexion pose un cookie HttpOnly, SameSite, et Secure si le site est en HTTPS")
def cookie_flags(securite: dict) -> None:
    for n, cookies in enumerate(securite["sessions"], 1):
        if not cookies:
            raise NotRun("aucun cookie ne porte la session (« Mon espace » reste ouvert sans chacun d'eux)")
        for name, c in cookies.items():
            assert c["httponly"], f"Cookie de session « {name} » sans HttpOnly : un script de la page peut le lire"
            assert c["samesite"] in ("lax", "strict"), (
                f"Cookie de session « {name} » : SameSite={c['samesite']} (attendu Lax ou Strict)"
            )
            assert c["secure"] or not c["https"], f"Cookie de session « {name} » sans Secure sur un site en HTTPS"


@then("la seconde connexion donne un nouvel identifiant de session")
def new_session_id(securite: dict) -> None:
    first, second = securite["sessions"]
    kept = [name for name in first if name in second and first[name]["value"] == second[name]["value"]]
    assert second, "Après la seconde connexion, aucun cookie ne porte la session"
    assert not kept, f"Même identifiant de session après une nouvelle connexion : {kept}"


@when("on ouvre la page d'accueil")
def opens_home(driver: Driver, securite: dict) -> None:
    securite["en_tetes"] = driver.security_headers()


@then("la réponse porte les en-têtes de sécurité")
def security_headers(securite: dict) -> None:
    headers = securite["en_tetes"]
    csp = headers.get("content-security-policy", "")
    missing = [h for h in ("content-security-policy", "referrer-policy") if not headers.get(h)]
    assert not missing, f"En-têtes absents : {missing}"
    assert "frame-ancestors" in csp, f"Content-Security-Policy sans frame-ancestors : « {csp} »"
    assert headers.get("x-content-type-options", "").lower() == "nosniff", "X-Content-Type-Options: nosniff absent"
    assert headers["referrer-policy"].lower() not in ("unsafe-url", "no-referrer-when-downgrade"), (
        f"Referrer-Policy trop permissive : {headers['referrer-policy']}"
    )


@when("un autre site envoie à sa place le formulaire de son état civil, rempli, sans ce que la page du site y met")
def forged_post(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.person is not None, "le scénario n'a pas de personne"
    ctx.outcome = driver.forged_form_post(ctx.person.civil_status())


@then("le site refuse le formulaire forgé")
def forged_refused(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None and not ctx.outcome.accepted, (
        f"Formulaire forgé accepté (réponse : {ctx.outcome.data.get('reponse')}) : pas de protection CSRF"
    )


@then("le même formulaire envoyé depuis la page du site est accepté")
def genuine_accepted(ctx: ScenarioContext, driver: Driver) -> None:
    """The control: without it, a refusal of the forged form could be a refusal of its values."""
    outcome = driver.fill_civil_status(ctx.person.civil_status())
    if not outcome.accepted:
        raise NotRun(
            "le formulaire envoyé normalement depuis la page est refusé lui aussi : le refus du formulaire"
            f" forgé ne dit rien de la protection ({' | '.join(outcome.messages)})"
        )


# ── an account whose identity nobody checked ──────────────────────────────
@when("elle crée son compte en choisissant « Je ne dispose pas d'une pièce d'identité française »")
def creates_account_without_document(driver: Driver, parcours: Journey) -> None:
    """Her foyer knows her (and her French document); she declares none at ⑤ all the same."""
    parcours.reach("piece_identite")
    parcours.register()
    parcours.require(driver.declare_no_french_document(), "« Je ne dispose pas d'une pièce d'identité française »")
    parcours.create_account()


@when("elle se connecte à son espace")
def logs_in(parcours: Journey) -> None:
    parcours.require(parcours.login(), "la connexion")


@then("donner une procuration à son conjoint lui est refusé")
def procuration_refused(driver: Driver) -> None:
    outcome = driver.set_procuration(True)
    assert not outcome.accepted, (
        "Procuration donnée au conjoint par un compte dont l'identité n'a pas été vérifiée (créé sans titre"
        " d'identité) : qui connaît un NIR, un nom et une date de naissance agit sur le dossier du foyer"
    )


# ── ④ does not tell whether a NIR has an account ──────────────────────────
def _civil_status_answer(driver: Driver, person: Person) -> tuple[Outcome, str | None]:
    started = driver.start_registration()
    if not started.accepted:
        raise AssertionError(f"« Créer un compte » refusé : {refused_text(started)}")
    outcome = driver.fill_civil_status(person.civil_status(), without_nir=person.nir is None)
    return outcome, driver.current_step()


@when("quelqu'un commence une création de compte avec l'état civil de cette personne")
def starts_with_account_holder(ctx: ScenarioContext, driver: Driver, securite: dict) -> None:
    assert ctx.person is not None, "le scénario n'a pas de personne"
    securite["avec_compte"] = _civil_status_answer(driver, ctx.person)


@when("quelqu'un commence une création de compte avec l'état civil d'une personne sans compte")
def starts_with_someone_new(data: DataFactory, identities: Identities, driver: Driver, securite: dict) -> None:
    other = data.person()
    identities.add_person(other)  # known to the site as the other one is: only the account differs
    securite["sans_compte"] = _civil_status_answer(driver, other)


@then("les deux états civils reçoivent la même réponse")
def same_civil_status_answer(securite: dict) -> None:
    (known, known_step), (new, new_step) = securite["avec_compte"], securite["sans_compte"]

    def said(outcome: Outcome) -> str:
        return "acceptée" if outcome.accepted else f"refusée « {refused_text(outcome)} »"

    assert (known.accepted, known.messages, known_step) == (new.accepted, new.messages, new_step), (
        f"Réponses différentes à l'état civil : pour une personne qui a un compte, saisie {said(known)} (étape"
        f" {known_step}) ; pour une personne sans compte, saisie {said(new)} (étape {new_step}) : n'importe qui"
        " apprend avec un NIR si son titulaire a un compte"
    )


# ── codes sent to one address ─────────────────────────────────────────────
@given(
    "une adresse e-mail à laquelle d'autres inscriptions ont déjà fait envoyer autant de codes que la limite le permet"
)
def address_at_its_quota(
    ctx: ScenarioContext, data: DataFactory, parcours: Journey, settings: Settings, securite: dict
) -> None:
    limit = settings["SEC-ENVOIS-LIMITES"]["envois_max"]
    securite["adresse"] = address = data.person().email
    ctx.envoi.channel = "email"
    for _ in range(limit):
        ctx.person = dataclasses.replace(data.person(), email=address)
        parcours.reach("coordonnees")
        parcours.request_code()  # refused before the limit: the preparation fails and says so


@given("une personne qui a atteint l'étape « coordonnées de contact », avec cette adresse e-mail")
def person_with_that_address(ctx: ScenarioContext, data: DataFactory, parcours: Journey, securite: dict) -> None:
    ctx.person = dataclasses.replace(data.person(), email=securite["adresse"])
    parcours.reach("coordonnees")


@when("elle demande un code pour cette adresse e-mail")
def asks_code_for_that_address(ctx: ScenarioContext, driver: Driver, securite: dict) -> None:
    act(ctx, driver, driver.request_code, "email", securite["adresse"])


# ── an oversized request ──────────────────────────────────────────────────
@when("elle envoie son état civil, valide, alourdi au double de la taille maximale d'une requête")
def sends_oversized_civil_status(ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    assert ctx.person is not None, "le scénario n'a pas de personne"
    size = 2 * settings["SEC-CORPS-LIMITE"]["taille_max_octets"]
    act(ctx, driver, driver.oversized_post, ctx.person.civil_status(), size)


@then("le site refuse la requête sans erreur du serveur")
def oversized_refused(ctx: ScenarioContext) -> None:
    outcome = ctx.outcome
    assert outcome is not None, "aucune requête dans ce scénario"
    status = outcome.data.get("statut")
    assert status is None or status < 500, f"Erreur du serveur sur une requête démesurée : {outcome.data['reponse']}"
    assert not outcome.accepted, (
        f"Requête démesurée acceptée ({outcome.data['reponse']}) : le site ne limite pas la taille des requêtes"
    )
