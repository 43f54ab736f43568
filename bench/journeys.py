"""What the plain scripts do: the journeys of a request mix, and their test persons.

From the mix counted in the server log during a harness run (``bench.mix``), the plain
scripts derive how many journeys to start and how far each goes:

- ``J`` = started registrations (``POST /api/inscriptions 201``, or the page form of
  step ④ shown for the browser); journey *i* goes on to a stage when *i* is below the
  number of successes of that stage (état civil, pièce d'identité, coordonnées, code,
  mot de passe): so ``R`` complete registrations, and the others stop where the
  harness's did;
- refusals (``422`` on état civil or mot de passe) are spread over the journeys, before
  their success (a wrong NIR key, a 7-character password);
- persons are added to the registry (``POST /__test__/personnes``) as often as the harness did;
- logins: as many successful ones (right password) and refused ones (wrong password)
  as the harness made, spread over the accounts created; ``GET /api/espace`` likewise;
- the remaining reads (``GET /api/inscriptions/{id}``, outbox) are spread over the journeys.

A route of the mix none of this reproduces is listed as *not replayed* in the output.
"""

from __future__ import annotations

import argparse
import json
import random
import secrets
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from moncompte.rules import nir

PASSWORD = "Banc2024Essai"
WRONG_PASSWORD = "Faux2024Essai"
SHORT_PASSWORD = "Court1A"  # 7 characters: refused (MDP-LONGUEUR)
PLACE = "69123"


@dataclass
class Person:
    civilite: str
    nom_naissance: str
    prenoms: str
    date_naissance: date
    lieu_naissance: str
    nir: str
    cni: str
    email: str

    def registry(self) -> dict:
        return {
            "nir": self.nir,
            "civilite": self.civilite,
            "nom_naissance": self.nom_naissance,
            "prenoms": self.prenoms,
            "date_naissance": self.date_naissance.isoformat(),
            "lieu_naissance": self.lieu_naissance,
            "pieces": [{"type_titre": "cni", "numero_titre": self.cni}],
        }

    def civil_status(self, *, wrong_key: bool = False) -> dict:
        value = self.nir
        if wrong_key:
            value = value[:13] + f"{(int(value[13:]) + 1) % 97:02d}"
        return {
            "sans_nir": False,
            "nir": value,
            "civilite": self.civilite,
            "nom_naissance": self.nom_naissance,
            "prenoms": self.prenoms,
            "date_naissance": self.date_naissance.isoformat(),
            "lieu_naissance": self.lieu_naissance,
        }


def persons(count: int, token: str | None = None) -> list[Person]:
    """``count`` consistent persons, unique to this run (``token``)."""
    token = token or secrets.token_hex(3)
    rng = random.Random(token)
    letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
    out = []
    for i in range(count):
        female = i % 2 == 0
        birth = date(1950, 1, 1) + timedelta(days=rng.randrange(18000))
        name = "BANC" + "".join(rng.choices(letters, k=6))
        out.append(
            Person(
                civilite="Madame" if female else "Monsieur",
                nom_naissance=name,
                prenoms="Alice" if female else "Marc",
                date_naissance=birth,
                lieu_naissance=PLACE,
                nir=nir.build("2" if female else "1", birth, PLACE, rng.randint(1, 999)),
                cni="".join(rng.choices(letters + "0123456789", k=9)),
                email=f"banc.{token}.{i}@exemple.fr",
            )
        )
    return out


@dataclass
class Journey:
    seeded: bool = False
    civil_refusals: int = 0
    civil: bool = False
    document: bool = False
    contact: bool = False
    outbox: bool = False
    code: bool = False
    password_refusals: int = 0
    password: bool = False
    state_reads: int = 0


@dataclass
class Login:
    account: int  # index among the journeys that created an account
    ok: bool
    espace: int = 0  # GET /api/espace after it


@dataclass
class Plan:
    journeys: list[Journey]
    logins: list[Login]
    extra_outbox: int = 0
    replayed: Counter = field(default_factory=Counter)
    not_replayed: dict[str, int] = field(default_factory=dict)


def spread(count: int, slots: int) -> list[int]:
    """``count`` spread as evenly as possible over ``slots`` (the first ones get the remainder)."""
    if slots <= 0:
        return []
    base, extra = divmod(count, slots)
    return [base + (1 if i < extra else 0) for i in range(slots)]


# Routes of the API mix (route template as the server logs it).
REG = "/api/inscriptions/{reg_id}"
API_ROUTES = {
    "start": "POST /api/inscriptions 201",
    "seed": "POST /__test__/personnes 201",
    "civil_ok": f"POST {REG}/etat-civil 200",
    "civil_ko": f"POST {REG}/etat-civil 422",
    "document": f"POST {REG}/piece-identite 200",
    "contact": f"POST {REG}/coordonnees 200",
    "outbox": "GET /__outbox__ 200",
    "code": f"POST {REG}/code 200",
    "password_ok": f"POST {REG}/mot-de-passe 200",
    "password_ko": f"POST {REG}/mot-de-passe 422",
    "state": f"GET {REG} 200",
    "login_ok": "POST /api/session 200",
    "login_ko": "POST /api/session 401",
    "espace": "GET /api/espace 200",
}


def plan(mix: Counter, routes: dict[str, str]) -> Plan:
    """The journeys and logins that reproduce ``mix`` (``routes``: stage → its key in the mix)."""
    n = {stage: mix.get(key, 0) for stage, key in routes.items()}
    count = max(n["start"], n["civil_ok"], n["password_ok"], 1 if n["login_ok"] + n["login_ko"] else 0)
    journeys = [Journey() for _ in range(count)]
    reached_password = max(n["code"], n["password_ok"], 1 if n["password_ko"] else 0)
    for i, j in enumerate(journeys):
        j.seeded = i < n["seed"]
        j.civil = i < n["civil_ok"]
        j.document = i < n["document"]
        j.contact = i < n["contact"]
        j.outbox = i < min(n["outbox"], n["contact"])
        j.code = i < n["code"]
        j.password = i < n["password_ok"]
    for j, k in zip(journeys, spread(n["civil_ko"], count)):
        j.civil_refusals = k
    for j, k in zip(journeys, spread(n["password_ko"], reached_password)):
        j.password_refusals = k
    for j, k in zip(journeys, spread(n["state"], count)):
        j.state_reads = k
    accounts = max(n["password_ok"], 1)
    logins = [Login(i % accounts, True) for i in range(n["login_ok"])]
    logins += [Login(i % accounts, False) for i in range(n["login_ko"])]
    for login, k in zip([lg for lg in logins if lg.ok], spread(n["espace"], n["login_ok"])):
        login.espace = k
    result = Plan(journeys, logins, extra_outbox=max(0, n["outbox"] - n["contact"]))
    known = set(routes.values())
    result.replayed = Counter({k: v for k, v in mix.items() if k in known})
    result.not_replayed = {k: v for k, v in mix.items() if k not in known}
    return result


def replay_main(prog: str, doc: str | None, run: Callable[[str, Counter], dict], argv: list[str] | None) -> int:
    """The command line of a hand-written script: ``--target URL --mix MIX.json``, a JSON line out."""
    parser = argparse.ArgumentParser(prog=prog, description=doc)
    parser.add_argument("--target", required=True)
    parser.add_argument("--mix", required=True, help="fichier JSON : « MÉTHODE route statut » → nombre")
    args = parser.parse_args(argv)
    with open(args.mix, encoding="utf-8") as f:
        mix = Counter(json.load(f))
    print(json.dumps(run(args.target.rstrip("/"), mix), ensure_ascii=False))
    return 0
