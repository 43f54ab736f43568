"""A hand-written Playwright script: the journeys of a request mix on the pages, no harness.

``python -m bench.plain_browser --target URL --mix MIX.json`` replays the mix counted
during the browser suite (``bench.journeys`` says how; the page routes are mapped to
the same stages below): one Chromium, a fresh context per journey, the form fields
found by their labels, each click waited for with ``expect_navigation``. Persons are
added and codes read over HTTP (httpx), as the harness does. Prints a JSON line.

Every journey is acted in the browser from its first page: no preparation over HTTP. The bench
compares it with the browser suite run with ``--arrangement navigateur`` (its « Étant donné » in the
browser too, not over HTTP as by default): the same arrangement, none, on both sides, and the same
requests (the server log cannot tell which of the default run's requests its preparation made).
What the preparation over HTTP saves is the bench's « arrangement » part.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

import httpx
from playwright.sync_api import sync_playwright

from moncompte.bench.journeys import PASSWORD, SHORT_PASSWORD, WRONG_PASSWORD, persons, plan, replay_main
from moncompte.steps.browser_setup import find_chromium

CODE = re.compile(r"\b(\d{6})\b")

# Stage → its line in the server log when the harness drives the pages.
PAGE_ROUTES = {
    "start": "POST /creer-un-compte 303",
    "seed": "POST /__test__/personnes 201",
    "civil_ok": "POST /inscription/etat-civil 303",
    "civil_ko": "POST /inscription/etat-civil 422",
    "document": "POST /inscription/piece-identite 303",
    "contact": "POST /inscription/coordonnees 303",
    "outbox": "GET /__outbox__ 200",
    "code": "POST /inscription/code 303",
    "password_ok": "POST /inscription/mot-de-passe 303",
    "password_ko": "POST /inscription/mot-de-passe 422",
    "state": "(pages de l'inscription rechargées)",
    "login_ok": "POST /connexion 303",
    "login_ko": "POST /connexion 401",
    "espace": "(pages « Mon espace » rechargées)",
}
# Page loads that follow from the clicks above (each 303 is followed by a GET), or that open a journey.
FOLLOWING_LOADS = {
    "GET /inscription/{page} 200": ("civil_ok", "document", "contact", "code", "password_ok", "start"),
    "GET /espace 200": ("login_ok",),
}
OPENING_LOADS = {"GET /creer-un-compte 200": "start", "GET /connexion 200": None}


def page_mix(mix: Counter) -> Counter:
    """The mix with the reloads the harness made beyond those the clicks imply, as ``state``/``espace``."""
    derived = Counter(mix)
    for load, stages in FOLLOWING_LOADS.items():
        implied = sum(mix.get(PAGE_ROUTES[s], 0) for s in stages)
        key = PAGE_ROUTES["state" if load.startswith("GET /inscription") else "espace"]
        derived[key] = max(0, mix.get(load, 0) - implied)
        derived.pop(load, None)
    for load in OPENING_LOADS:
        derived.pop(load, None)
    return derived


def run(target: str, mix: Counter) -> dict:
    todo = plan(page_mix(mix), PAGE_ROUTES)
    people = persons(len(todo.journeys))
    unexpected: list[str] = []
    accounts: list[str] = []
    executable, args = find_chromium()

    def expect(page, status_ok: bool, what: str) -> None:
        if not status_ok:
            unexpected.append(f"{what} : {page.url}")

    with httpx.Client(base_url=target, timeout=30) as http, sync_playwright() as pw:
        browser = pw.chromium.launch(
            headless=True, args=args, **({"executable_path": executable} if executable else {})
        )

        def submit(page, button: str) -> int:
            with page.expect_navigation(wait_until="load") as nav:
                page.get_by_role("button", name=button, exact=True).click()
            return nav.value.status if nav.value else 0

        for _ in range(todo.extra_outbox):
            http.get("/__outbox__", params={"to": "sonde@exemple.invalid"})
        for j, person in zip(todo.journeys, people):
            if j.seeded:
                http.post("/__test__/personnes", json=person.registry())
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{target}/creer-un-compte", wait_until="load")
            expect(page, submit(page, "Commencer") == 200, "Commencer")

            def civil(wrong_key: bool = False) -> int:
                status = person.civil_status(wrong_key=wrong_key)
                page.get_by_label("Numéro de sécurité sociale", exact=True).fill(status["nir"])
                page.get_by_label("Civilité").select_option(person.civilite)
                page.get_by_label("Nom de naissance").fill(person.nom_naissance)
                page.get_by_label("Prénoms").fill(person.prenoms)
                page.get_by_label("Date de naissance").fill(person.date_naissance.strftime("%d/%m/%Y"))
                page.get_by_label("Lieu de naissance").fill(person.lieu_naissance)
                return submit(page, "Continuer")

            for _ in range(j.civil_refusals):
                expect(page, civil(wrong_key=True) == 422, "état civil refusé")
            if j.civil:
                expect(page, civil() == 200, "état civil")
            if j.document:
                page.get_by_label("Type de titre d'identité").select_option("cni")
                page.get_by_label("Numéro du titre d'identité").fill(person.cni)
                expect(page, submit(page, "Continuer") == 200, "pièce d'identité")
            if j.contact:
                page.get_by_label("Adresse e-mail").fill(person.email)
                expect(page, submit(page, "Envoyer le code") == 200, "coordonnées")
            if j.outbox:
                code = CODE.search(http.get("/__outbox__", params={"to": person.email}).json()[-1]["body"]).group(1)
                if j.code:
                    page.get_by_label("Code de confirmation").fill(code)
                    expect(page, submit(page, "Valider") == 200, "code")
            for _ in range(j.password_refusals):
                page.get_by_label("Mot de passe", exact=True).fill(SHORT_PASSWORD)
                expect(page, submit(page, "Valider") == 422, "mot de passe refusé")
            if j.password:
                page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
                expect(page, submit(page, "Valider") == 200, "mot de passe")
                accounts.append(person.nir)
            for _ in range(j.state_reads):
                page.reload(wait_until="load")
            context.close()

        for login in todo.logins:
            context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
            page = context.new_page()
            page.goto(f"{target}/connexion", wait_until="load")
            page.get_by_label("Identifiant").fill(accounts[login.account % len(accounts)])
            page.get_by_label("Mot de passe", exact=True).fill(PASSWORD if login.ok else WRONG_PASSWORD)
            status = submit(page, "Se connecter")
            expect(page, status == (200 if login.ok else 401), "connexion")
            for _ in range(login.espace):
                page.reload(wait_until="load")
            context.close()
        browser.close()
    return {
        "journeys": len(todo.journeys),
        "logins": len(todo.logins),
        "unexpected": unexpected,
        "not_replayed": {k: v for k, v in todo.not_replayed.items() if not k.startswith("(")},
    }


def main(argv: list[str] | None = None) -> int:
    return replay_main("python -m bench.plain_browser", __doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
