"""Preflight of a site profile: does each locator resolve on the target's pages?

``moncompte profile check FILE --target URL`` (and ``moncompte check`` before a
browser run on a site other than the embedded reference) opens each page of the
journey in Chromium and says, element by element, whether its locator (the
profile's, else the guide's default from ``steps.locators``) finds a visible
element. A wrong locator then shows up in seconds, as a list, instead of a
hundred scenario timeouts.

Pages reached directly by their address: home, « Mes démarches », « Créer un
compte », login. The journey pages are reached the way a user does: « Commencer »
(④), then the état civil of the profile's first test identity (⑤), then its
identity document (⑥), an e-mail address (⑦: the code is read from the
profile's code source, as the scenarios do), the code (⑧), a password (⑨: the
recap). The walk thus creates one account with that identity, as the suite's
scenarios do. On the reference target (test routes) a synthetic person is
registered instead; on a site without test identities the walk stops at ④.

Elements that appear only in some situations (alerts, the provisional identifier,
the Chatbot's answer…) are not checked. An element or page whose rules are all
declared not applicable in the profile is skipped.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, Iterable

from moncompte.steps.codes import CodeSource, now
from moncompte.steps.locators import merge_overrides
from moncompte.steps.profile import Profile

FOUND, MISSING, UNUSABLE, NOT_CHECKED = "trouvé", "INTROUVABLE", "INUTILISABLE", "non vérifié"
# Elements the harness types or chooses in: found is not enough, they must be fields it can set.
FIELDS = (
    "nir",
    "sans_nir",
    "civilite",
    "nom_naissance",
    "prenoms",
    "date_naissance",
    "lieu_naissance",
    "type_titre",
    "numero_titre",
    "email",
    "mobile",
    "code",
    "mot_de_passe",
    "identifiant",
    "connexion_mot_de_passe",
    "chatbot_question",
)
NAV = (
    "NAV-AIDES-DEMARCHES",
    "NAV-ICONE-MON-COMPTE",
    "NAV-MES-DEMARCHES",
    "NAV-BANDEAU-THEMES",
    "NAV-CHOIX-PRESTATION",
    "NAV-FAIRE-LA-DEMANDE",
    "NAV-CREER-UN-COMPTE",
)
JOURNEY = (
    "EC-CHAMPS",
    "NIR-FORMAT",
    "PI-VERIFICATION",
    "CONTACT-COORDONNEES",
    "CODE-VALIDATION",
    "MDP-LONGUEUR",
    "RECAP-AFFICHAGE",
    "CNX-NIR",
)
LOGIN = ("CNX-NIR", "CNX-ID-PROVISOIRE", "CNX-MDP", "RECAP-SE-CONNECTER", "ESPACE-DEMANDE", "ESPACE-SUIVI")

# page → [(element key, rules that need it: skipped when all are not applicable)]
CHECKS: dict[str, list[tuple[str, tuple[str, ...]]]] = {
    "accueil": [("aides_et_demarches", ("NAV-AIDES-DEMARCHES",)), ("icone_mon_compte", ("NAV-ICONE-MON-COMPTE",))],
    "mes_demarches": [("bandeau_prestations", ("NAV-BANDEAU-THEMES", "NAV-CHOIX-PRESTATION"))],
    "creer_un_compte": [("commencer", JOURNEY)],
    "etat_civil": [
        *(
            (key, JOURNEY)
            for key in (
                "nir",
                "civilite",
                "nom_naissance",
                "prenoms",
                "date_naissance",
                "lieu_naissance",
                "etat_civil_continuer",
                "indicateur_etape",
            )
        ),
        ("sans_nir", ("ID-PROVISOIRE", "CNX-ID-PROVISOIRE")),
        ("chatbot_question", ("CHATBOT",)),
    ],
    "piece_identite": [
        *((key, JOURNEY) for key in ("type_titre", "numero_titre", "piece_identite_continuer")),
        ("sans_piece_francaise", ("PI-SANS-PIECE-FR", "PI-JUSTIFICATIF")),
    ],
    "coordonnees": [("email", JOURNEY), ("envoyer_le_code", JOURNEY), ("mobile", ("CONTACT-MOBILE",))],
    "code": [("code", JOURNEY), ("code_valider", JOURNEY), ("renvoyer_le_code", ("CODE-RENVOI",))],
    "mot_de_passe": [("mot_de_passe", JOURNEY), ("mot_de_passe_valider", JOURNEY)],
    "recapitulatif": [("recapitulatif", ("RECAP-AFFICHAGE",)), ("se_connecter", ("RECAP-SE-CONNECTER",))],
    "connexion": [(key, LOGIN) for key in ("identifiant", "connexion_mot_de_passe", "connexion_se_connecter")],
}
ORDER = (
    "accueil",
    "mes_demarches",
    "creer_un_compte",
    "etat_civil",
    "piece_identite",
    "coordonnees",
    "code",
    "mot_de_passe",
    "recapitulatif",
    "connexion",
)
LEARNED_FILE = "pages-apprises.json"
NAVIGATION_PAGES = ("accueil", "mes_demarches")
NAV_TIMEOUT = 10.0  # seconds for a page
ELEMENT_TIMEOUT = 2.0  # seconds for an element of the walk (pages are already loaded)


@dataclass
class Line:
    page: str
    key: str
    locator: str
    result: str
    detail: str = ""
    candidates: list[str] = field(default_factory=list)  # what the page shows instead, for a missing element


# What a page offers, by kind: the names of its visible fields (labels, legends) and of its buttons and links.
_CANDIDATES_JS = """() => {
  const shown = el => el.getClientRects().length > 0;
  const text = el => (el.innerText || el.value || el.getAttribute('aria-label') || '').replace(/\\s+/g, ' ').trim();
  const fields = [], actions = [];
  for (const el of document.querySelectorAll('input:not([type=hidden]):not([type=submit]):not([type=button]), select, textarea')) {
    if (!shown(el)) continue;
    const label = el.labels && el.labels.length ? text(el.labels[0]) : (el.getAttribute('aria-label') || el.name || '');
    if (label && !fields.includes(label)) fields.push(label);
  }
  for (const el of document.querySelectorAll('fieldset > legend, [role=radiogroup][aria-label]')) {
    const name = el.tagName === 'LEGEND' ? text(el) : el.getAttribute('aria-label');
    if (name && shown(el) && !fields.includes(name)) fields.push(name);
  }
  for (const el of document.querySelectorAll('button, a[href], input[type=submit], input[type=button]')) {
    const name = text(el);
    if (name && shown(el) && name.length <= 80 && !actions.includes(name)) actions.push(name);
  }
  return {fields, actions};
}"""


@dataclass
class Preflight:
    target: str
    lines: list[Line]

    learned: dict[str, str] = field(default_factory=dict)  # pages met while following the journey
    title: str = ""  # the home page's title

    @property
    def missing(self) -> list[Line]:
        return [line for line in self.lines if line.result in (MISSING, UNUSABLE)]

    @property
    def blocking(self) -> list[Line]:
        """What stops the run: a missing element of the journey ④ … ⑨ or of the login page (every
        scenario needs them). A missing element of ① ② ③ is the site's deviation or a locator to give,
        said here, and left to the navigation rules' own scenarios."""
        return [line for line in self.missing if line.page not in NAVIGATION_PAGES]

    @property
    def ok(self) -> bool:
        return not self.blocking

    def table(self, only_missing: bool = False) -> str:
        shown = self.missing if only_missing else self.lines
        header = ("Page", "Élément", "Localisateur", "Résultat")
        rows = [
            (line.page, line.key, line.locator, line.result + (f" : {line.detail}" if line.detail else ""))
            for line in shown
        ]
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(3)]
        out = ["  ".join(c.ljust(w) for c, w in zip(header[:3], widths)) + "  " + header[3]]
        out += ["  ".join(c.ljust(w) for c, w in zip(r[:3], widths)) + "  " + r[3] for r in rows]
        return "\n".join(out)

    def summary(self) -> str:
        counts = {k: sum(line.result == k for line in self.lines) for k in (FOUND, MISSING, UNUSABLE, NOT_CHECKED)}
        return (
            f"Pré-vérification de {self.target} : {counts[FOUND]} élément(s) trouvé(s), "
            f"{counts[MISSING]} introuvable(s), {counts[UNUSABLE]} inutilisable(s),"
            f" {counts[NOT_CHECKED]} non vérifié(s)."
        )

    def write(self, folder: Path) -> None:
        """The findings in ``folder``: ``preverification.txt`` (the table) and ``pages-apprises.json`` (the
        pages met, which the suite opens directly instead of following the journey again)."""
        folder.mkdir(parents=True, exist_ok=True)
        (folder / "preverification.txt").write_text(f"{self.table()}\n{self.summary()}\n", encoding="utf-8")
        (folder / LEARNED_FILE).write_text(
            json.dumps({self.target.rstrip("/"): self.learned}, ensure_ascii=False, indent=1), encoding="utf-8"
        )


def _applicable(needs: Iterable[str], not_applicable: set[str]) -> bool:
    needs = tuple(needs)
    return not needs or not all(rule in not_applicable for rule in needs)


def run(profile: Profile, target: str, *, ws_endpoint: str | None = None) -> Preflight:
    """Open the pages of the journey on ``target`` and check each element's locator."""
    from playwright.sync_api import sync_playwright

    from moncompte.steps.drivers.browser_pytest import launch_browser, new_context
    from moncompte.steps.target_access import browser_launch_args

    with sync_playwright() as playwright:
        browser = launch_browser(
            playwright, ws_endpoint, () if ws_endpoint else browser_launch_args(profile.acces, target)
        )
        try:
            context = new_context(browser, access=profile.acces, target=target)
            codes = _code_source(profile, target)
            try:
                return _walk(profile, target, context.new_page(), codes)
            finally:
                codes.close()
                context.close()
        finally:
            browser.close()


def _walk(profile: Profile, target: str, page: Any, codes: CodeSource) -> Preflight:
    from moncompte.steps.drivers import fields
    from moncompte.steps.drivers.base import NotApplicable, NotRun, TargetError
    from moncompte.steps.drivers.browser import BrowserDriver
    from moncompte.steps.identities import has_test_routes

    locators = merge_overrides(profile.locators)
    not_applicable = set(profile.expectations.not_applicable)
    reference = has_test_routes(target, access=profile.acces)
    driver = BrowserDriver(
        page,
        target,
        profile.locators,
        pages=profile.pages,
        reference_pages=reference,
        timeout=ELEMENT_TIMEOUT,
        navigation_timeout=NAV_TIMEOUT,
    )
    lines: list[Line] = []
    blocked: str | None = None  # why the rest of the journey cannot be reached

    def where(name: str) -> str:
        return driver.pages.get(name, "(en suivant le parcours)")

    def check_elements(name: str, reason_not_checked: str | None = None) -> None:
        for key, needs in CHECKS[name]:
            spec = locators[key]
            if not _applicable(needs, not_applicable):
                continue
            if reason_not_checked:
                lines.append(Line(name, key, spec.describe(), NOT_CHECKED, reason_not_checked))
                continue
            try:
                element = spec.resolve(page, locators).first
                found = element.is_visible()
                kind = fields.kind_of(element) if found and key in FIELDS else None
            except Exception as exc:  # an invalid selector
                lines.append(Line(name, key, spec.describe(), MISSING, str(exc).splitlines()[0]))
                continue
            if not found:
                offered = page.evaluate(_CANDIDATES_JS)
                candidates = offered["fields"] if key in FIELDS or spec.kind == "field" else offered["actions"]
                lines.append(Line(name, key, spec.describe(), MISSING, f"sur {page.url}", candidates[:12]))
            elif kind is not None and not kind.settable:
                lines.append(
                    Line(
                        name,
                        key,
                        spec.describe(),
                        UNUSABLE,
                        f"trouvé sur {page.url}, mais ce n'est pas un champ à remplir ({kind.detail}) :"
                        " donnez dans [locators] le champ lui-même",
                    )
                )
            else:
                lines.append(Line(name, key, spec.describe(), FOUND, kind.noun if kind else ""))

    def page_needed(name: str) -> bool:
        return any(_applicable(needs, not_applicable) for _, needs in CHECKS[name])

    def reach(name: str, how) -> bool:
        try:
            how()
        except NotApplicable as exc:  # an element found but that cannot take what the journey types
            lines.append(Line(name, "(page)", where(name), UNUSABLE, exc.reason))
            return False
        except NotRun as exc:  # the harness could not go on (no code came…): the rest is not checked
            lines.append(Line(name, "(page)", where(name), NOT_CHECKED, exc.reason))
            return False
        except (TargetError, AssertionError) as exc:
            lines.append(Line(name, "(page)", where(name), MISSING, str(exc).splitlines()[0]))
            return False
        return True

    title = ""
    # ① ② ③ and the login page, reached as a person does (or by the profile's [pages])
    for name, how in (
        ("accueil", driver.open_home),
        ("mes_demarches", driver._to_mes_demarches),
        ("creer_un_compte", driver._reach_creer_un_compte),
        ("connexion", driver._to_login),
    ):
        if page_needed(name) and reach(name, how):
            if name == "accueil":
                title = page.title()
            if name == "creer_un_compte":
                driver._learn("creer_un_compte")
            check_elements(name)

    # the journey, as a user walks it
    person = _first_person(profile, target) if page_needed("etat_civil") else None
    sent: list[datetime] = []

    def request_code() -> Any:
        sent.append(now())
        return driver.request_code("email", person.email)

    def submit_code() -> Any:
        # the site's delivery budget, twice: a slow code is CODE-ENVOI-IMMEDIAT's business, not a profile's
        budget = max(profile.codes.timeout, 2 * profile.settings()["CODE-ENVOI-IMMEDIAT"]["delai_max_secondes"])
        try:
            code = codes.wait_for_code(person.email, sent[-1], timeout=budget)
        except TimeoutError as exc:
            raise NotRun(f"code de confirmation non reçu en {budget:g} s ({exc}) : vérifiez [codes]") from None
        return driver.submit_code(code)

    steps = [
        ("etat_civil", lambda: driver.start_registration()),
        ("piece_identite", lambda: driver.fill_civil_status(person.civil_status())),
        ("coordonnees", lambda: _document(driver, person, target, profile.acces)),
        ("code", request_code),
        ("mot_de_passe", submit_code),
        ("recapitulatif", lambda: driver.choose_password(person.password)),
    ]
    for name, step in steps:
        if not page_needed(name):
            continue
        if blocked:
            check_elements(name, blocked)
            continue
        if name != "etat_civil" and person is None:
            blocked = "pas d'identité de test dans le profil ([identities]) pour aller plus loin"
            check_elements(name, blocked)
            continue
        outcome: list[Any] = []
        if not reach(name, lambda: outcome.append(step())):
            blocked = f"la page « {name} » n'a pas été atteinte"
            continue
        if driver.current_step() != name:
            detail = " | ".join(outcome[0].messages) if outcome and outcome[0].messages else page.url
            lines.append(Line(name, "(page)", where(name), MISSING, f"page non atteinte ({detail})"))
            blocked = f"la page « {name} » n'a pas été atteinte"
            continue
        check_elements(name)
    lines.sort(key=lambda line: ORDER.index(line.page))
    return Preflight(target, lines, dict(driver.learned), title)


def _code_source(profile: Profile, target: str) -> CodeSource:
    """Where the walk reads its code: the reference's outbox, else the profile's source (its relay
    when ``moncompte check`` started it)."""
    from moncompte.steps import catchers
    from moncompte.steps.codes import OutboxCodeSource

    if profile.codes.reference_outbox:
        return OutboxCodeSource(target, profile.codes.pattern, access=profile.acces)
    return catchers.open_source(profile.codes, target, profile.acces)


def _first_person(profile: Profile, target: str):
    """The person the walk types: the profile's first identity with a NIR and a document;
    on the reference, a synthetic one; else ``None``."""
    from moncompte.steps.data import DataFactory, scenario_seed
    from moncompte.steps.drivers.base import NotRun
    from moncompte.steps.identities import IdentityPool, has_test_routes

    if profile.identities.persons:
        pool = IdentityPool(
            profile.identities.persons, worker="gw0", workers=1, once=profile.identities.un_compte_par_personne
        )
        try:
            person = pool.person()  # with a NIR and an identity card, not yet allocataire
        except NotRun:
            return None
    elif has_test_routes(target, access=profile.acces):
        person = DataFactory(scenario_seed("preflight")).person()
    else:
        return None
    return DataFactory(0, place_as=profile.formulaires.lieu_naissance).contact_for(person)


def _document(driver: Any, person: Any, target: str, access: Any = None):
    from moncompte.steps.identities import ReferenceIdentities, has_test_routes

    if has_test_routes(target, access=access):
        seeding = ReferenceIdentities(target, access=access)
        try:
            seeding.add_person(person)
        finally:
            seeding.close()
    document = person.document
    return driver.submit_identity_document(document.kind, document.number)


__all__ = ["Preflight", "run"]
