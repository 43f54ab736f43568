"""④ État civil and the provisional identifier."""

from __future__ import annotations

import re
from datetime import date

from pytest_bdd import given, parsers, then, when

from moncompte.rules.messages import render
from moncompte.rules.model import Settings
from moncompte.rules.nir import build as build_nir
from moncompte.steps.data import INSEE_CODE, DataFactory, split_place
from moncompte.steps.definitions.commun import Journey, act
from moncompte.steps.drivers.base import Driver, NotApplicable
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.identities import ANY_DOCUMENT
from moncompte.steps.params import Failure, judge, resolve

# Labels of the feature's état civil table → the intent's keys.
FIELDS = {
    "numéro de sécurité sociale": "nir",
    "civilité": "civilite",
    "nom de naissance": "nom_naissance",
    "prénoms": "prenoms",
    "date de naissance": "date_naissance",
    "lieu de naissance": "lieu_naissance",
}
BIRTH_PLACES = {
    "à l'étranger": "étranger",
    "en métropole": "métropole",
    "en Corse": "Corse-du-Sud",
    "outre-mer": "outre-mer",
}
NO_NIR = "Je n'ai pas de numéro de sécurité sociale"


def typed_place(written: str, place_as: str) -> str:
    """The birth place of an example (« Lyon (69123) ») as this site asks for it: its name or its code."""
    name, code = split_place(written)
    value = code if place_as == "code" else name
    if value is None:
        given, wanted = ("son nom", "son code INSEE") if place_as == "code" else ("son code INSEE", "son nom")
        raise NotApplicable(
            f"l'exemple ne donne le lieu de naissance « {written} » que par {given} ;"
            f" le site le demande par {wanted} (profil, [formulaires] lieu_naissance)"
        )
    return value


COMPUTED_NIR = "calculé à partir de l'état civil"


def letters(expression: str, values) -> str:
    """« longueur_max + 1 lettres » → that many letters (a name of the length the site's values give)."""
    count = resolve(expression.removesuffix(" lettres"), values)
    return ("Abcdefghij" * (count // 10 + 1))[:count]


def nir_that_belongs_to_nobody(entered: dict[str, str]) -> str:
    """A NIR consistent with the example's civilité, birth date and place, whose order number (000) the
    INSEE never gives: it cannot be anyone's."""
    found = re.fullmatch(r"\s*\d{1,2}/(\d{1,2})/(\d{4})\s*", entered.get("date_naissance", ""))
    _, code = split_place(entered.get("lieu_naissance_ecrit", ""))
    code = code if code and INSEE_CODE.fullmatch(code) else "69123"
    month, year = (f"{int(found.group(1)):02d}", int(found.group(2))) if found else ("05", 1985)
    sex = "1" if entered.get("civilite") == "Monsieur" else "2"
    return build_nir(sex, date(year % 100 + 1900, 1, 1), code, 0, month=month)


def civil_status_failures(entered: dict[str, str], values: Settings) -> list[Failure]:
    """What the parameters of ``values`` refuse in a literal état civil (name lengths, the earliest
    year, a NIA): how a literal example of the guide is judged by a site's values."""
    failures = []
    for field, rule_id, message_id in (
        ("nom_naissance", "EC-NOM-NAISSANCE", "nom_naissance.longueur"),
        ("prenoms", "EC-PRENOMS", "prenoms.longueur"),
    ):
        if len(entered.get(field, "")) > values[rule_id]["longueur_max"]:
            failures.append(
                (
                    rule_id,
                    f"{len(entered[field])} caractères pour {values[rule_id]['longueur_max']} au plus",
                    message_id,
                )
            )
    year = re.search(r"(\d{4})\s*$", entered.get("date_naissance", ""))
    if year and int(year.group(1)) < values["EC-DATE-NAISSANCE"]["annee_min"]:
        failures.append(
            (
                "EC-DATE-NAISSANCE",
                f"née en {year.group(1)}, avant {values['EC-DATE-NAISSANCE']['annee_min']}",
                "date_naissance.ancienne",
            )
        )
    if entered.get("nir", "").strip()[:1] in ("7", "8") and not values["NIR-SEXE"]["nia_accepte"]:
        failures.append(("NIR-SEXE", "un numéro d'attente (NIA), que le site refuse", "nir.nia"))
    return failures


@when("elle renseigne son état civil :")
def fills_civil_status(
    datatable: list[list[str]], ctx: ScenarioContext, driver: Driver, data: DataFactory, settings: Settings
) -> None:
    entered = {FIELDS[label.strip()]: value.strip() for label, value in (row[:2] for row in datatable)}
    for field, rule_id in (("nom_naissance", "EC-NOM-NAISSANCE"), ("prenoms", "EC-PRENOMS")):
        if entered[field].endswith(" lettres"):
            entered[field] = letters(entered[field], settings[rule_id])
    entered["date_naissance"] = render(entered["date_naissance"], dict(settings["EC-DATE-NAISSANCE"]))
    entered["lieu_naissance_ecrit"] = entered["lieu_naissance"]
    if entered["nir"] == COMPUTED_NIR:
        entered["nir"] = nir_that_belongs_to_nobody(entered)
    entered["lieu_naissance"] = typed_place(entered.pop("lieu_naissance_ecrit"), data.place_as)
    ctx.judged = judge(lambda values: civil_status_failures(entered, values), settings)
    act(ctx, driver, driver.fill_civil_status, entered)


SPACED = {"avec des espaces": True, "sans espace": False}


def spaced_nir(nir: str) -> str:
    """« 2 85 05 69 123 000 59 »: the NIR as printed on a carte Vitale."""
    return " ".join((nir[0], nir[1:3], nir[3:5], nir[5:7], nir[7:10], nir[10:13], nir[13:]))


@when(parsers.parse("elle renseigne son état civil, née {place}, son numéro de sécurité sociale saisi {typed}"))
def fills_own_civil_status(place: str, typed: str, ctx: ScenarioContext, driver: Driver, data: DataFactory) -> None:
    """The état civil of a person the site knows (the profile's test identities; invented on the reference)."""
    ctx.person = data.person(place=BIRTH_PLACES[place], document_kind=ANY_DOCUMENT)
    entered = ctx.person.civil_status()
    if SPACED[typed]:
        entered["nir"] = spaced_nir(entered["nir"])
    act(ctx, driver, driver.fill_civil_status, entered)


@when(
    parsers.parse(
        "elle renseigne son état civil, née en métropole, avec le nom « {name} » et les prénoms « {first_names} »"
    )
)
def fills_civil_status_with_names(
    name: str, first_names: str, ctx: ScenarioContext, driver: Driver, data: DataFactory, settings: Settings
) -> None:
    ctx.person = data.person()
    entered = ctx.person.civil_status()
    for field, written, rule_id in (
        ("nom_naissance", name, "EC-NOM-NAISSANCE"),
        ("prenoms", first_names, "EC-PRENOMS"),
    ):
        entered[field] = letters(written, settings[rule_id]) if written.endswith(" lettres") else written
    act(ctx, driver, driver.fill_civil_status, entered)


@then(parsers.parse("la saisie est refusée avec un message sur le champ « {label} »"))
def refused_on_field(label: str, ctx: ScenarioContext) -> None:
    assert ctx.outcome is not None, "aucune saisie dans ce scénario"
    assert not ctx.outcome.accepted, "La saisie a été acceptée ; attendu un refus"
    assert any(m.strip() for m in ctx.outcome.messages), "Refus sans aucun message pour la personne"
    field = FIELDS[label]
    assert field in ctx.outcome.invalid_fields or ctx.outcome.field_messages.get(field), (
        f"Le message n'est pas rattaché au champ « {label} » (champs marqués : {ctx.outcome.invalid_fields or 'aucun'} ;"
        f" messages : {' | '.join(ctx.outcome.messages)})"
    )


@given(parsers.parse("une personne née {place}, sans numéro de sécurité sociale, à l'étape « état civil »"))
def person_without_nir(place: str, ctx: ScenarioContext, data: DataFactory, parcours: Journey) -> None:
    ctx.person = data.person(place=BIRTH_PLACES[place], with_nir=False, document_kind=ANY_DOCUMENT)
    parcours.start()


@when(f"elle renseigne son état civil en cochant « {NO_NIR} »")
def fills_without_nir(ctx: ScenarioContext, driver: Driver) -> None:
    assert ctx.person is not None
    act(ctx, driver, driver.fill_civil_status, ctx.person.civil_status(), without_nir=True)


@then(parsers.parse("un identifiant provisoire lui est fourni : la lettre « {letter} » suivie de {digits:d} chiffres"))
def provisional_id_given(letter: str, digits: int, ctx: ScenarioContext, settings: Settings) -> None:
    """« P » and 9 digits: the catalogue's format (``ID-PROVISOIRE.format``); the site's when its profile
    gives its own."""
    assert ctx.outcome is not None
    issued = ctx.outcome.data.get("identifiant_provisoire")
    assert issued, f"Aucun identifiant provisoire montré (réponse : {ctx.outcome.data})"
    if settings.is_overridden("ID-PROVISOIRE", "format"):
        pattern, said = settings["ID-PROVISOIRE"]["format"], f"le format du site {settings['ID-PROVISOIRE']['format']}"
    else:
        pattern, said = re.escape(letter) + rf"\d{{{digits}}}", f"« {letter} » suivi de {digits} chiffres"
    assert re.fullmatch(pattern, issued), f"Identifiant provisoire « {issued} » : attendu {said}"


@given("deux personnes sans numéro de sécurité sociale")
def two_persons_without_nir(ctx: ScenarioContext, data: DataFactory) -> None:
    ctx.others = [data.person(with_nir=False, document_kind=ANY_DOCUMENT) for _ in range(2)]


@when(f"chacune renseigne son état civil en cochant « {NO_NIR} »", target_fixture="identifiants_provisoires")
def each_fills_without_nir(ctx: ScenarioContext, driver: Driver, parcours: Journey) -> list[str]:
    """The provisional identifier each one was given (the ones shown)."""
    issued = []
    for person in ctx.others:
        ctx.person = person
        parcours.start()
        fills_without_nir(ctx, driver)
        assert ctx.outcome and ctx.outcome.accepted, f"État civil refusé : {ctx.outcome and ctx.outcome.messages}"
        issued += [ctx.outcome.data["identifiant_provisoire"]] if ctx.outcome.data.get("identifiant_provisoire") else []
    return issued


@then("leurs identifiants provisoires sont différents")
def provisional_ids_differ(identifiants_provisoires: list[str]) -> None:
    ids = identifiants_provisoires
    assert len(ids) == 2, f"Identifiants provisoires reçus : {ids}"
    assert ids[0] != ids[1], f"Même identifiant pour deux personnes : {ids}"
