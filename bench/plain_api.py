"""A hand-written httpx script: the journeys of a request mix, with no harness around them.

``python -m bench.plain_api --target URL --mix MIX.json`` replays the mix counted during
the API suite (``bench.journeys`` says how): one client, straight-line code, the
confirmation code read from the reference's outbox. Prints a JSON line: the requests
made per route and any that did not answer as expected.
"""

from __future__ import annotations

import re
import sys
from collections import Counter

import httpx

from moncompte.bench.journeys import API_ROUTES, PASSWORD, SHORT_PASSWORD, WRONG_PASSWORD, persons, plan, replay_main

CODE = re.compile(r"\b(\d{6})\b")


def run(target: str, mix: Counter) -> dict:
    todo = plan(mix, API_ROUTES)
    people = persons(len(todo.journeys))
    done: Counter[str] = Counter()
    unexpected: list[str] = []
    accounts: list[str] = []

    with httpx.Client(base_url=target, timeout=30) as client:

        def call(method: str, path: str, route: str, expected: int, body: dict | None = None, **kw) -> httpx.Response:
            response = client.request(method, path, json=body, **kw)
            done[f"{method} {route} {response.status_code}"] += 1
            if response.status_code != expected:
                unexpected.append(f"{method} {route} {response.status_code} (attendu {expected})")
            return response

        for _ in range(todo.extra_outbox):
            call("GET", "/__outbox__", "/__outbox__", 200, params={"to": "sonde@exemple.invalid"})
        reg = "/api/inscriptions/{reg_id}"
        for j, person in zip(todo.journeys, people):
            if j.seeded:
                call("POST", "/__test__/personnes", "/__test__/personnes", 201, person.registry())
            rid = call("POST", "/api/inscriptions", "/api/inscriptions", 201, {"prestation": None}).json()["id"]
            path = f"/api/inscriptions/{rid}"
            for _ in range(j.civil_refusals):
                call("POST", f"{path}/etat-civil", f"{reg}/etat-civil", 422, person.civil_status(wrong_key=True))
            if j.civil:
                call("POST", f"{path}/etat-civil", f"{reg}/etat-civil", 200, person.civil_status())
            if j.document:
                call(
                    "POST",
                    f"{path}/piece-identite",
                    f"{reg}/piece-identite",
                    200,
                    {"type_titre": "cni", "numero_titre": person.cni},
                )
            if j.contact:
                call(
                    "POST", f"{path}/coordonnees", f"{reg}/coordonnees", 200, {"canal": "email", "valeur": person.email}
                )
            if j.outbox:
                messages = call("GET", "/__outbox__", "/__outbox__", 200, params={"to": person.email}).json()
                code = CODE.search(messages[-1]["body"]).group(1)
                if j.code:
                    call("POST", f"{path}/code", f"{reg}/code", 200, {"code": code})
            for _ in range(j.password_refusals):
                call("POST", f"{path}/mot-de-passe", f"{reg}/mot-de-passe", 422, {"mot_de_passe": SHORT_PASSWORD})
            if j.password:
                call("POST", f"{path}/mot-de-passe", f"{reg}/mot-de-passe", 200, {"mot_de_passe": PASSWORD})
                accounts.append(person.nir)
            for _ in range(j.state_reads):
                call("GET", path, reg, 200)
        for login in todo.logins:
            client.cookies.clear()
            identifier = accounts[login.account % len(accounts)]
            call(
                "POST",
                "/api/session",
                "/api/session",
                200 if login.ok else 401,
                {"identifiant": identifier, "mot_de_passe": PASSWORD if login.ok else WRONG_PASSWORD},
            )
            for _ in range(login.espace):
                call("GET", "/api/espace", "/api/espace", 200)
    return {"requests": dict(done), "unexpected": unexpected, "not_replayed": todo.not_replayed}


def main(argv: list[str] | None = None) -> int:
    return replay_main("python -m bench.plain_api", __doc__, run, argv)


if __name__ == "__main__":
    sys.exit(main())
