"""⑨ Recap, login with the NIR or the provisional identifier, « Mon espace »: demande and suivi."""

from __future__ import annotations

import re

from pytest_bdd import given, parsers, then, when

from moncompte.rules.model import Settings
from moncompte.steps.data import DataFactory
from moncompte.steps.definitions.commun import CHANNELS, Journey, refused_text
from moncompte.steps.drivers.base import Driver
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.identities import ANY_DOCUMENT
from moncompte.steps.locators import ELEMENTS, names_pattern
from moncompte.steps.params import site_value

# Recap items (as the feature names them) → the element whose words name it on a site's recap, and
# the values the person entered that the line may show.
ENTERED = {
    "Numéro de sécurité sociale": ("nir", lambda p, ctx: [p.nir or ""]),
    "Civilité": ("civilite", lambda p, ctx: [p.civilite, {"Madame": "Mme", "Monsieur": "M."}[p.civilite]]),
    "Nom de naissance": ("nom_naissance", lambda p, ctx: [p.nom_naissance]),
    "Prénoms": ("prenoms", lambda p, ctx: [p.prenoms]),
    "Date de naissance": ("date_naissance", lambda p, ctx: [p.civil_status()["date_naissance"]]),
    "Lieu de naissance": ("lieu_naissance", lambda p, ctx: [v for v in (p.lieu_naissance, p.lieu_naissance_nom) if v]),
    "Adresse e-mail": ("email", lambda p, ctx: [ctx.envoi.contact]),
    "Numéro de téléphone portable": ("mobile", lambda p, ctx: [ctx.envoi.contact]),
}


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


@given(parsers.parse("une personne qui a {holds}, qui reçoit ses codes par {means}"))
def person_holding_with_channel(holds: str, means: str, ctx: ScenarioContext, data: DataFactory) -> None:
    from moncompte.steps.definitions.piece_identite import HOLDS

    ctx.person = data.person(
        document_kind=HOLDS[holds], place="étranger" if HOLDS[holds] == "titre_sejour" else "métropole"
    )
    ctx.envoi.channel = CHANNELS[means]


def _same(label: str, shown: str, expected: str, *, on_its_line: bool) -> bool:
    """Whether a recap value shows what was typed: the same (case, spaces and separators aside); on the
    line named for it, a birth place may say more (« Lyon (69) »)."""
    if label.startswith("Numéro de téléphone"):
        return _phone_digits(shown) == _phone_digits(expected)
    if on_its_line and label == "Lieu de naissance":
        return _plain(expected) in _plain(shown)
    return _plain(shown) == _plain(expected)


def _line_for(label: str, shown: dict[str, str]) -> str | None:
    """The site's recap line for the feature's ``label``: the same words, or the words the harness knows
    for that field on any site (« N° de sécurité sociale », « Prénom(s) », « Adresse électronique »)."""
    if label in shown:
        return label
    names = names_pattern(ELEMENTS[ENTERED[label][0]].value, whole=False)
    return next((line for line in shown if names.search(line)), None)


def assert_recap_shows(datatable: list[list[str]], ctx: ScenarioContext, driver: Driver, source: str) -> None:
    """The recap shows each item of the table's first column with the person's value for it, on the line
    the site names so; else, some sites labelling their recap their own way, on a line that no other item
    is on and whose value is exactly it. ``source``: where that value came from (« saisi », « transmis par
    FranceConnect »)."""
    shown = driver.recap()
    items = [row[0] for row in datatable[1:]]
    lines = {label: _line_for(label, shown) for label in items}
    free = [line for line in shown if line not in lines.values()]
    problems = []
    for label in items:
        expected = ENTERED[label][1](ctx.person, ctx)
        line = lines[label]
        if line is not None:
            ok = any(_same(label, shown[line], e, on_its_line=True) for e in expected)
            where = f"ligne « {line} » : « {shown[line]} »"
        else:
            ok = any(_same(label, shown[other], e, on_its_line=False) for other in free for e in expected)
            where = "aucune ligne de ce nom ni de cette valeur"
        if not ok:
            problems.append(f"« {label} » ({source} « {expected[-1]} ») : {where}")
    assert not problems, "Récapitulatif incomplet ou inexact : " + " ; ".join(problems) + f"\n(affiché : {shown})"


@then("le récapitulatif montre les informations qu'elle a saisies :")
def recap_shows_entries(datatable: list[list[str]], ctx: ScenarioContext, driver: Driver) -> None:
    assert_recap_shows(datatable, ctx, driver, "saisi")


@then(
    parsers.parse(
        "le récapitulatif montre le numéro de son titre masqué, seuls ses {count:d} derniers caractères"
        " restant lisibles"
    )
)
def recap_masks_document(count: int, ctx: ScenarioContext, driver: Driver, settings: Settings) -> None:
    """The number never whole, its last characters readable (4 in the catalogue: the site's value when its
    profile gives one), not one more."""
    count = site_value(settings, "RECAP-PIECE-MASQUEE", "caracteres_visibles", count)
    number = ctx.person.document.number.upper()
    compact = re.sub(r"\s+", "", driver.recap_text().upper())
    assert number not in compact, f"Le numéro complet du titre {number} apparaît au récapitulatif"
    values = [re.sub(r"[^0-9A-Z]", "", v.upper()) for v in driver.recap().values()]
    shown = [v for v in values if number[-count:] in v]
    assert shown, f"Les {count} derniers caractères du titre ({number[-count:]}) n'apparaissent sur aucune ligne"
    assert not any(number[-count - 1 :] in v for v in shown), (
        f"Plus de {count} caractères du titre restent lisibles ({number[-count - 1 :]} apparaît)"
    )


@then("le récapitulatif ne montre pas le mot de passe")
def recap_hides_password(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.outcome is not None and ctx.outcome.accepted, (
        f"Le récapitulatif n'a pas pu s'afficher : le mot de passe a été refusé ({refused_text(ctx.outcome)})"
    )
    page = driver.recap_text()
    assert page.strip(), "Récapitulatif vide"
    assert ctx.password not in page, "Le mot de passe apparaît sur la page du récapitulatif"


@when("elle clique sur « Se connecter » depuis le récapitulatif")
def follows_login_link(driver: Driver) -> None:
    driver.follow("se_connecter")


@then("la page de connexion s'affiche")
def login_page_shown(driver: Driver) -> None:
    """Where « Se connecter » led: a page with the login form (its identifier field), before anything else."""
    assert driver.is_offered("identifiant"), (
        "« Se connecter » n'a pas mené à la page de connexion (aucun champ identifiant)"
    )


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
    """Refused by the site: a page that does not exist (404) refuses nothing."""
    assert ctx.outcome is not None and not ctx.outcome.accepted, "La demande a été acceptée"
    status = ctx.outcome.data.get("statut_http") or ctx.outcome.data.get("statut")
    assert status not in (404, 405), f"La demande a mené à une page inexistante ({status}) : ce n'est pas un refus"


@then(parsers.parse("« Suivre mes démarches » montre la demande de « {prestation} » avec son statut"))
def demarches_show(prestation: str, driver: Driver) -> None:
    rows = driver.demarches()
    found = [r for r in rows if prestation in r.get("prestation", "")]
    assert found, f"« {prestation} » absente de « Suivre mes démarches » : {rows}"
    assert all(r.get("statut", "").strip() for r in found), f"Demande sans statut : {found}"
