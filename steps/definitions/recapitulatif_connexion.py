"""⑨ Recap, login with the NIR or the provisional identifier, « Mon espace »: demande and suivi."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from steps.data import DOCUMENT_KINDS, DataFactory, Document
from steps.definitions.commun import CHANNELS, Journey, refused_text
from steps.drivers.base import Driver
from steps.fixtures import ScenarioContext
from steps.identities import ANY_DOCUMENT

# Recap labels (as the feature names them) → what the person entered.
ENTERED = {
    "Numéro de sécurité sociale": lambda p, ctx: p.nir or "",
    "Civilité": lambda p, ctx: p.civilite,
    "Nom de naissance": lambda p, ctx: p.nom_naissance,
    "Prénoms": lambda p, ctx: p.prenoms,
    "Date de naissance": lambda p, ctx: p.civil_status()["date_naissance"],
    "Lieu de naissance": lambda p, ctx: p.lieu_naissance,
    "Adresse e-mail": lambda p, ctx: ctx.contact,
    "Numéro de téléphone portable": lambda p, ctx: ctx.contact,
}
DOCUMENT_NUMBER_LABEL = "Numéro du titre d'identité"


def _plain(text: str) -> str:
    """Compare as a person reads: case, spaces and separators aside; dates in either form."""
    value = text.strip()
    iso = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
    if iso:
        value = f"{iso.group(3)}/{iso.group(2)}/{iso.group(1)}"
    return re.sub(r"[\s.\-/]", "", value).casefold()


def _phone_digits(text: str) -> str:
    digits = re.sub(r"\D", "", text)
    return digits[-9:]  # national significant number, whatever the prefix (0, +33, +262…)


@given(parsers.parse("une personne dont le titre « {kind} » porte le numéro « {number} », qui reçoit ses codes par {means}"))
def person_with_document_and_channel(kind: str, number: str, means: str, ctx: ScenarioContext,
                                     data: DataFactory) -> None:
    from steps.definitions.piece_identite import require_seedable

    require_seedable(data)
    ctx.person = data.person(document_kind=None)
    ctx.person.documents = [Document(DOCUMENT_KINDS[kind], number)]
    ctx.channel = CHANNELS[means]


def assert_recap_shows(datatable: list[list[str]], ctx: ScenarioContext, driver: Driver, source: str) -> None:
    """The recap shows each label of the table's first column with the person's value for it
    (``source``: where that value came from, « saisi », « transmis par FranceConnect »)."""
    shown = driver.recap()
    problems = []
    for (label,) in (row[:1] for row in datatable[1:]):
        expected = ENTERED[label](ctx.person, ctx)
        if label not in shown:
            problems.append(f"« {label} » absent")
            continue
        same = (_phone_digits(shown[label]) == _phone_digits(expected)) if label.startswith("Numéro de téléphone") \
            else _plain(shown[label]) == _plain(expected)
        if not same:
            problems.append(f"« {label} » : affiché « {shown[label]} », {source} « {expected} »")
    assert not problems, "Récapitulatif incomplet ou inexact : " + " ; ".join(problems) + f"\n(affiché : {shown})"


@then("le récapitulatif montre les informations qu'elle a saisies :")
def recap_shows_entries(datatable: list[list[str]], ctx: ScenarioContext, driver: Driver) -> None:
    assert_recap_shows(datatable, ctx, driver, "saisi")


@then(parsers.parse("le récapitulatif montre le numéro du titre masqué, seuls « {visible} » restant lisibles"))
def recap_masks_document(visible: str, ctx: ScenarioContext, driver: Driver) -> None:
    shown = driver.recap()
    number = ctx.person.document.number
    assert DOCUMENT_NUMBER_LABEL in shown, f"« {DOCUMENT_NUMBER_LABEL} » absent du récapitulatif : {shown}"
    value = shown[DOCUMENT_NUMBER_LABEL]
    readable = re.sub(r"[^0-9A-Za-z]", "", value)
    assert readable == visible, f"Numéro du titre affiché « {value} » : seuls « {visible} » devaient rester lisibles"
    assert all(number not in v for v in shown.values()), f"Le numéro complet {number} apparaît : {shown}"


@then("le récapitulatif ne montre pas le mot de passe")
def recap_hides_password(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.outcome is not None and ctx.outcome.accepted, f"Mot de passe refusé : {ctx.outcome}"
    shown = driver.recap()
    assert shown, "Récapitulatif vide"
    leaks = [k for k, v in shown.items() if ctx.password in v or ctx.password in k]
    assert not leaks, f"Le mot de passe apparaît au récapitulatif : {leaks}"


@when("elle clique sur « Se connecter » depuis le récapitulatif")
def follows_login_link(driver: Driver) -> None:
    driver.follow("se_connecter")


# ── login ─────────────────────────────────────────────────────────────────
@given("une personne sans numéro de sécurité sociale qui a créé son compte")
def person_without_nir_with_account(ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person(with_nir=False, document_kind=ANY_DOCUMENT)
    parcours.create_account()


@given(parsers.parse("une personne qui a créé son compte avec le mot de passe « {password} »"))
def person_with_password(password: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person()
    ctx.person.password = password
    parcours.create_account()


@when("elle se connecte avec son numéro de sécurité sociale et son mot de passe")
@when("il se connecte avec son numéro de sécurité sociale et son mot de passe")
def logs_in_with_nir(ctx: ScenarioContext, driver: Driver) -> None:
    ctx.outcome = driver.login(ctx.person.nir or "", ctx.person.password)


@when("elle se connecte avec son identifiant provisoire et son mot de passe")
def logs_in_with_provisional_id(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.identifier and not ctx.person.nir, "la personne n'a pas reçu d'identifiant provisoire"
    ctx.outcome = driver.login(ctx.identifier, ctx.person.password)


@when(parsers.parse("elle se connecte avec son numéro de sécurité sociale et le mot de passe « {password} »"))
def logs_in_nir_other_password(password: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.outcome = driver.login(ctx.person.nir or "", password)


@when(parsers.parse("elle se connecte avec son identifiant provisoire et le mot de passe « {password} »"))
def logs_in_provisional_other_password(password: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.outcome = driver.login(ctx.identifier or "", password)


@then("la connexion est acceptée")
def login_accepted(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None and ctx.outcome.accepted, f"Connexion refusée : {refused_text(ctx.outcome)}"


@then("la connexion est refusée")
def login_refused(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None and not ctx.outcome.accepted, "Connexion acceptée avec un mot de passe faux"


@then("son espace lui propose au moins une action")
def espace_offers_actions(driver: Driver) -> None:
    assert driver.offered_actions(), "« Mon espace » ne propose aucune action"


# ── « Mon espace »: demande and suivi ─────────────────────────────────────
@when(parsers.parse("elle fait une demande de « {prestation} »"))
def requests_prestation(prestation: str, ctx: ScenarioContext, driver: Driver) -> None:
    ctx.outcome = driver.request_prestation(prestation)


@then("la demande est enregistrée")
def request_recorded(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None and ctx.outcome.accepted, f"Demande refusée : {refused_text(ctx.outcome)}"


@then("la demande est refusée")
def request_refused(ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None and not ctx.outcome.accepted, "La demande a été acceptée"


@then(parsers.parse("« Suivre mes démarches » montre la demande de « {prestation} » avec son statut"))
def demarches_show(prestation: str, driver: Driver) -> None:
    rows = driver.demarches()
    found = [r for r in rows if prestation in r.get("prestation", "")]
    assert found, f"« {prestation} » absente de « Suivre mes démarches » : {rows}"
    assert all(r.get("statut", "").strip() for r in found), f"Demande sans statut : {found}"
