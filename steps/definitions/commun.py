"""Shared steps: persons at a step of the journey, outcomes, the journey steps.

The ``Journey`` helper brings a person to a step of the journey through the
driver's intents (each must be accepted: a refusal there is a failure of the
scenario's preparation, reported as such). Steps stay thin: one intent, one
comparison with the feature's example.
"""

from __future__ import annotations

import pytest
from pytest_bdd import given, parsers, then, when

from moncompte.rules.model import Settings
from moncompte.rules.roles import ROLE_LABELS
from moncompte.steps.codes import CodeSource, now
from moncompte.steps.data import DataFactory, Person
from moncompte.steps.drivers.base import Driver, NotRun, Outcome
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.identities import Identities
from moncompte.steps.messages import MessageCheck
from moncompte.steps.params import Reclassified

# The journey steps in the words of the features → the drivers' step names.
STEPS = {
    "état civil": "etat_civil",
    "pièce d'identité": "piece_identite",
    "coordonnées de contact": "coordonnees",
    "code de confirmation": "code",
    "mot de passe": "mot_de_passe",
    "récapitulatif": "recapitulatif",
}
STEP_ORDER = list(STEPS.values())
CHANNELS = {"adresse e-mail": "email", "e-mail": "email", "numéro de téléphone portable": "sms", "SMS": "sms"}
ROLES = {label: role.value for role, label in ROLE_LABELS.items()}  # « Conjoint sans procuration » → code


def step_code(name: str) -> str:
    try:
        return STEPS[name]
    except KeyError:
        raise ValueError(f"étape inconnue : « {name} » (étapes : {', '.join(STEPS)})") from None


def refused_text(outcome: Outcome) -> str:
    return " | ".join(outcome.messages) or "(aucun message)"


class Journey:
    """Brings the scenario's person through the journey, intent by intent."""

    def __init__(
        self, driver: Driver, codes: CodeSource, identities: Identities, ctx: ScenarioContext, settings: Settings
    ):
        self.driver, self.codes, self.identities, self.ctx, self.settings = driver, codes, identities, ctx, settings

    @property
    def person(self) -> Person:
        if self.ctx.person is None:
            raise RuntimeError("le scénario n'a pas encore de personne")
        return self.ctx.person

    def require(self, outcome: Outcome, what: str) -> Outcome:
        if not outcome.accepted:
            raise AssertionError(
                f"Préparation du scénario impossible : {what} a été refusé par la cible : {refused_text(outcome)}"
            )
        return outcome

    def register(self) -> None:
        """Make the person (and their foyer) known to the target's identity registry, once."""
        if any(p is self.person for p in self.ctx.seeded):
            return
        if self.ctx.foyer is not None and any(p is self.person for _, p in self.ctx.foyer.members):
            self.identities.add_foyer(self.ctx.foyer)
            self.ctx.seeded.extend(p for _, p in self.ctx.foyer.members)
        else:
            self.identities.add_person(self.person)
            self.ctx.seeded.append(self.person)

    # One method per journey step: each carries the person to the next one.
    def start(self) -> Outcome:
        self.ctx.journey_of = self.ctx.person
        return self.require(self.driver.start_registration(), "« Créer un compte »")

    def civil_status(self) -> Outcome:
        outcome = self.require(
            self.driver.fill_civil_status(self.person.civil_status(), without_nir=self.person.nir is None),
            "l'état civil",
        )
        provisional = outcome.data.get("identifiant_provisoire")
        self.ctx.identifier = self.person.nir or provisional
        return outcome

    def document(self) -> Outcome:
        self.register()
        doc = self.person.document
        if doc is None:
            return self.require(
                self.driver.declare_no_french_document(), "« Je ne dispose pas d'une pièce d'identité française »"
            )
        return self.require(self.driver.submit_identity_document(doc.kind, doc.number), "le titre d'identité")

    def request_code(self) -> Outcome:
        self.ctx.envoi.contact = self.person.email if self.ctx.envoi.channel == "email" else self.person.mobile
        self.ctx.envoi.code_sent_at = now()
        return self.require(
            self.driver.request_code(self.ctx.envoi.channel, self.ctx.envoi.contact), "« Envoyer le code »"
        )

    def receive_code(self) -> str:
        timeout = self.settings["CODE-ENVOI-IMMEDIAT"]["delai_max_secondes"]
        self.ctx.envoi.previous_code, self.ctx.envoi.code = (
            self.ctx.envoi.code,
            self.codes.wait_for_code(self.ctx.envoi.contact, self.ctx.envoi.code_sent_at, timeout),
        )
        if self.ctx.envoi.delivery_seconds is None and self.ctx.envoi.code_sent_at is not None:
            self.ctx.envoi.delivery_seconds = (now() - self.ctx.envoi.code_sent_at).total_seconds()
        return self.ctx.envoi.code

    def confirm_code(self) -> Outcome:
        return self.require(self.driver.submit_code(self.ctx.envoi.code or ""), "le code de confirmation")

    def choose_password(self) -> Outcome:
        self.ctx.password = self.person.password
        return self.require(self.driver.choose_password(self.person.password), "le mot de passe")

    def reach(self, target: str) -> None:
        """Carry the person from wherever they are to the journey step ``target``."""
        actions = {
            "etat_civil": self.start,
            "piece_identite": self.civil_status,
            "coordonnees": self.document,
            "code": lambda: (self.request_code(), self.receive_code()),
            "mot_de_passe": self.confirm_code,
            "recapitulatif": self.choose_password,
        }
        current = self.driver.current_step() if self.ctx.journey_of is self.person else None
        first = 0 if current not in STEP_ORDER else STEP_ORDER.index(current) + 1
        for step in STEP_ORDER[first : STEP_ORDER.index(target) + 1]:
            actions[step]()

    def create_account(self) -> None:
        self.reach("recapitulatif")

    def login(self, person: Person | None = None) -> Outcome:
        person = person or self.person
        identifier = self.ctx.identifier if person is self.ctx.person else person.nir
        return self.driver.login(identifier or "", person.password)


@pytest.fixture
def parcours(
    driver: Driver, codes: CodeSource, identities: Identities, ctx: ScenarioContext, settings: Settings
) -> Journey:
    return Journey(driver, codes, identities, ctx, settings)


# ── persons ───────────────────────────────────────────────────────────────
@given(parsers.parse("une personne qui a atteint l'étape « {step} »"))
def person_at_step(step: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    if step_code(step) == "etat_civil":  # nothing typed yet: the scenario says who she is
        parcours.start()
        return
    ctx.person = data.person()
    parcours.reach(step_code(step))


@given("une personne qui commence la création de son compte")
def person_starting(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person()
    parcours.start()


@given("une personne qui a créé son compte")
def person_with_account(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person()
    parcours.create_account()


@given("une personne qui a déjà son compte")
def person_who_has_an_account(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    """An account of her own, for a scenario that does nothing with its being new: created now; or, on a
    site that takes each test identity once (``un_compte_par_personne``) when none is left, an account
    this verification created for such a scenario before (she logs in with it instead)."""
    pool = data.pool if data.pool is not None and data.pool.once else None
    try:
        ctx.person = data.person()
    except NotRun:
        reused = pool.existing_account() if pool is not None else None
        if reused is None:
            raise
        ctx.person, ctx.identifier = reused
        return
    parcours.create_account()
    if pool is not None:
        pool.remember_account(ctx.person, ctx.identifier or "")


@given("une personne qui s'est connectée à son espace")
def person_logged_in(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    person_who_has_an_account(ctx, data, parcours)
    parcours.require(parcours.login(), "la connexion")


@given(parsers.parse("une personne « {role} » qui s'est connectée à son espace"))
def role_logged_in(role: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.foyer, ctx.person = data.foyer_for(ROLES[role])
    parcours.create_account()
    parcours.require(parcours.login(), "la connexion")


@given(parsers.parse("une personne « {role} » d'un foyer allocataire"))
def member_of_foyer(role: str, ctx: ScenarioContext, data: DataFactory) -> None:
    ctx.foyer, ctx.person = data.foyer_for(ROLES[role])


@when("elle crée son compte en suivant les étapes ④ à ⑧")
@when("il crée son compte en suivant les étapes ④ à ⑧")
def creates_account(parcours: Journey) -> None:
    parcours.create_account()


# ── outcomes ──────────────────────────────────────────────────────────────
@then("la saisie est acceptée")
def accepted(ctx: ScenarioContext, message_check: MessageCheck) -> None:
    assert ctx.outcome is not None, "aucune saisie dans ce scénario"
    if ctx.judged and ctx.judged[0] == "refusée":  # the guide accepts it, the site's values do not
        rule_id, why, message_id = ctx.judged[1]
        assert not ctx.outcome.accepted, (
            f"Saisie acceptée alors que les valeurs du site ({rule_id}, profil) la refusent : {why}"
        )
        message_check.check_id(ctx.outcome, message_id)
        raise Reclassified(f"exemple du guide jugé selon les valeurs du site : {why}, donc refusé")
    assert ctx.outcome.accepted, f"La saisie a été refusée : {refused_text(ctx.outcome)}"


@then(parsers.parse("la saisie est refusée avec le message « {message} »"))
def refused_with(message: str, ctx: ScenarioContext, message_check: MessageCheck) -> None:
    assert ctx.outcome is not None, "aucune saisie dans ce scénario"
    if ctx.judged and ctx.judged[0] == "acceptée":  # the guide refuses it, the site's values allow it
        assert ctx.outcome.accepted, (
            f"Saisie refusée alors que les valeurs du site (profil) la permettent : {refused_text(ctx.outcome)}"
        )
        raise Reclassified("exemple du guide jugé selon les valeurs du site : permis par elles, donc accepté")
    assert not ctx.outcome.accepted, f"La saisie a été acceptée ; attendu le refus « {message} »"
    message_check.check(ctx.outcome, message, **ctx.message_values)


@then("la saisie est refusée avec un message d'erreur")
def refused_with_some_message(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None, "aucune saisie dans ce scénario"
    assert not ctx.outcome.accepted, "La saisie a été acceptée ; attendu un refus"
    assert any(m.strip() for m in ctx.outcome.messages), "Refus sans aucun message pour l'utilisateur"


@then(parsers.parse("le parcours passe à l'étape « {step} »"))
@then(parsers.parse("le parcours est à l'étape « {step} »"))
def journey_at(step: str, driver: Driver) -> None:
    shown = driver.current_step()
    assert shown == step_code(step), f"Étape attendue : {step_code(step)} ; étape affichée : {shown}"


@then(parsers.parse("le parcours reste à l'étape « {step} »"))
def journey_stays(step: str, ctx: ScenarioContext, driver: Driver) -> None:
    shown = driver.current_step()
    assert ctx.step_before == step_code(step), (
        f"Le scénario attendait d'être à l'étape {step_code(step)} avant la saisie, il était à {ctx.step_before}"
    )
    assert shown == step_code(step), f"Après le refus, le parcours devait rester à {step_code(step)} ; il est à {shown}"


def act(ctx: ScenarioContext, driver: Driver, intent, *args, **kwargs) -> Outcome:
    """Call an intent, remembering the journey step before it and its outcome."""
    ctx.step_before = driver.current_step()
    ctx.outcome = intent(*args, **kwargs)
    return ctx.outcome
