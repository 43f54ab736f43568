"""Where test identities come from.

Step ⑤ confirms an identity against the target's identity registry, so a
scenario's synthetic person must be known to the target first. The reference
target (test mode) takes them through ``POST /__test__/foyers`` and
``POST /__test__/personnes``: there, and only there, persons are synthetic.

Any other target (no test routes) uses the test identities of its site profile
(``[identities]``): ``IdentityPool`` hands them to the scenarios' ``DataFactory``
(each scenario gets the identity its step asks for: with or without NIR, a
document kind, a role in a foyer) and ``ProfileIdentities`` seeds nothing (the
site knows its own test persons). Without profile identities such a target gets
``NoIdentities``: the harness never invents a real-looking identity (a valid NIR
could be a real person's) on a site it does not own, and the scenarios that need
a person are *not applicable* there, with that reason.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from pathlib import Path

import httpx

from moncompte.steps import shard
from moncompte.steps.data import PLACES, Age, Document, Foyer, Person, age_on, place_kind
from moncompte.steps.drivers.base import NotApplicable, NotRun, TargetError
from moncompte.steps.target_access import client_options
from moncompte.steps.tls import ssl_context


class Identities(ABC):
    """Makes a scenario's persons known to the target's identity registry."""

    @abstractmethod
    def add_person(self, person: Person) -> None:
        """A person who belongs to no foyer (not yet allocataire)."""

    @abstractmethod
    def add_foyer(self, foyer: Foyer) -> None:
        """A foyer allocataire with its members and roles."""


class ReferenceIdentities(Identities):
    """The reference target's test routes (``--test-mode``)."""

    def __init__(self, base_url: str, client: httpx.Client | None = None, access=None):
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.Client(
            base_url=self.base_url, timeout=10, **client_options(access, self.base_url)
        )

    def _post(self, path: str, body: dict) -> None:
        try:
            response = self.client.post(path, json=body)
        except httpx.TransportError as exc:
            raise TargetError(f"La cible {self.base_url} ne répond pas ({exc.__class__.__name__}).") from None
        if response.status_code in (404, 405):
            raise NotApplicable(
                f"la cible {self.base_url} n'a pas de route {path} (mode test) : les identités de test"
                " de ce site doivent venir de son profil"
            )
        if response.status_code not in (200, 201):
            raise TargetError(
                f"POST {self.base_url}{path} a refusé l'identité de test ({response.status_code}) : {response.text}"
            )

    def add_person(self, person: Person) -> None:
        self._post("/__test__/personnes", person.as_registry())

    def add_foyer(self, foyer: Foyer) -> None:
        self._post("/__test__/foyers", foyer.as_registry())

    def close(self) -> None:
        self.client.close()


class ProfileIdentities(Identities):
    """A target whose identity registry already holds the profile's test persons: nothing to seed."""

    def add_person(self, person: Person) -> None:
        pass

    def add_foyer(self, foyer: Foyer) -> None:
        pass

    def close(self) -> None:
        pass


def has_test_routes(base_url: str, client: httpx.Client | None = None, access=None) -> bool:
    """Whether the target is the reference in test mode (it answers ``GET /__outbox__``); ``access``: the
    profile's ``[acces]``."""
    own = client is None
    client = client or httpx.Client(timeout=10, **client_options(access, base_url))
    try:
        response = client.get(base_url.rstrip("/") + "/__outbox__", params={"to": "sonde@exemple.invalid"})
        return response.status_code == 200 and response.headers.get("content-type", "").startswith("application/json")
    except httpx.HTTPError:
        return False
    finally:
        if own:
            client.close()


class NoIdentities:
    """Stands for a pool on a target without test routes nor profile identities: refuses to invent."""

    def __init__(self, base_url: str):
        self.base_url = base_url

    def _refuse(self) -> NotApplicable:
        return NotApplicable(
            f"la cible {self.base_url} n'a ni routes de test ni identités de test dans son profil"
            " ([identities]) : le harnais n'invente pas d'identité sur un site qu'il ne possède pas"
        )

    def person(self, **_wanted) -> Person:
        raise self._refuse()

    def foyer_for(self, role: str, age: Age | None = None) -> tuple[Foyer, Person]:
        raise self._refuse()


USED_IDENTITIES_ENV = "MONCOMPTE_IDENTITES_UTILISEES"
CLAIM_SUFFIX = ".prise"  # a claimed identity: a file named by its digest
ANY_DOCUMENT = "toute"  # a person with any French identity document


class IdentityPool:
    """The profile's test identities, handed to scenarios by what their step asks for.

    Under pytest-xdist, worker *k* of *n* takes the matching identities of rank k, k+n,
    k+2n… (when there are at least *n* of them), so two workers never type the same
    person at the same time; within a worker, scenarios take them in turn. With ``--shard K/N``
    the workers of every machine count together (``steps.shard``): machines running at the same
    time never type the same person either.

    ``once``: the site refuses a second account for a person, so each identity is handed out
    once per verification. Each identity taken is claimed in the folder named by
    ``MONCOMPTE_IDENTITES_UTILISEES`` (``moncompte check`` sets it for the whole run, re-runs
    included) by creating a file named by a digest of it (no NIR in clear): creating a file that
    does not exist yet is atomic, so the workers of a machine share the pool as they go (a worker
    that runs more of the scenarios of a role takes more of its identities) and never take the
    same one. Without that folder, the workers split the pool by rank as above. When none is
    left, the scenario is *non vérifié* with what to add to the profile.
    """

    def __init__(self, identities: Sequence, worker: str | None = None, workers: int | None = None, once: bool = False):
        self.identities = list(identities)
        worker = worker if worker is not None else os.environ.get("PYTEST_XDIST_WORKER", "gw0")
        self.worker = int(worker.removeprefix("gw")) if worker.removeprefix("gw").isdigit() else 0
        self.workers = workers or int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
        self.part = shard.current() or (1, 1)  # --shard K/N: machine K's workers come after those of 1…K-1
        self.worker += (self.part[0] - 1) * self.workers
        self.workers *= self.part[1]
        self._turns: dict[tuple, itertools.count] = {}
        self._lock = threading.Lock()
        self.once = once
        folder = os.environ.get(USED_IDENTITIES_ENV)
        self._used_dir = Path(folder) if folder else None
        self._used: set[str] = self._read_used()
        self._accounts: list[tuple[Person, str]] = []  # accounts this process created: (person, identifier)

    @staticmethod
    def key(entry) -> str:
        """What tells an identity apart: its NIR, else its names and birth date."""
        return entry.nir or f"{entry.nom_naissance}|{entry.prenoms}|{entry.date_naissance}"

    @staticmethod
    def _digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()[:40]

    def _read_used(self) -> set[str]:
        """The digests of the identities claimed so far (``CLAIM_SUFFIX`` files), and of those a version
        before the claims listed in ``*.txt`` files (one key a line)."""
        if self._used_dir is None or not self._used_dir.is_dir():
            return set()
        claimed = {path.name.removesuffix(CLAIM_SUFFIX) for path in self._used_dir.glob(f"*{CLAIM_SUFFIX}")}
        listed = (line for path in self._used_dir.glob("*.txt") for line in path.read_text("utf-8").splitlines())
        return claimed | {self._digest(line) for line in listed if line}

    def _claim(self, entries: Sequence) -> bool:
        """Take ``entries`` (a person, or a household's members) for this process: False, and nothing
        taken, when another worker or an earlier run took one of them first."""
        digests = [self._digest(self.key(e)) for e in entries]
        if self._used.intersection(digests):
            return False
        if self._used_dir is None:
            self._used.update(digests)
            return True
        self._used_dir.mkdir(parents=True, exist_ok=True)
        made: list[Path] = []
        for digest in sorted(digests):  # the same order everywhere: two claimers of a household never cross
            path = self._used_dir / f"{digest}{CLAIM_SUFFIX}"
            try:
                path.touch(exist_ok=False)
            except FileExistsError:
                for own in made:
                    own.unlink(missing_ok=True)
                self._used.add(digest)
                return False
            made.append(path)
        self._used.update(digests)
        return True

    def remember_account(self, person: Person, identifier: str) -> None:
        """An account created for a scenario that only needs one (``existing_account``). Kept in this
        process's memory only: a password is never written down."""
        with self._lock:
            self._accounts.append((person, identifier))

    def existing_account(self, *, with_nir: bool = True) -> tuple[Person, str] | None:
        """An account ``remember_account`` kept (a copy of its person, and the identifier to log in
        with), for a scenario that only needs one when no fresh identity is left; None if there is none."""
        with self._lock:
            found = next(((p, i) for p, i in self._accounts if (p.nir is not None) == with_nir), None)
        return (replace(found[0]), found[1]) if found else None

    @staticmethod
    def to_person(entry) -> Person:
        return Person(
            civilite=entry.civilite,
            nom_naissance=entry.nom_naissance,
            prenoms=entry.prenoms,
            date_naissance=entry.date_naissance,
            lieu_naissance=entry.code_insee,
            lieu_naissance_nom=entry.place_name,
            nir=entry.nir,
            documents=[Document(d.type, d.numero) for d in entry.pieces],
            role=entry.role,
        )

    def _slice(self, candidates: list, wanted: str, by_worker: bool = True) -> list:
        """This worker's identities: every ``workers``-th one; with too few for every worker, or when
        ``by_worker`` is false (the workers claim them as they go), this machine's (``--shard``: its
        workers then share them, as one machine's workers do); never another machine's."""
        if by_worker and len(candidates) >= self.workers > 1:
            return candidates[self.worker :: self.workers]
        index, count = self.part
        if count == 1:
            return candidates
        if len(candidates) < count:
            raise NotRun(
                f"trop peu d'identités de test dans le profil ({wanted} : {len(candidates)}) pour {count} parts"
                " (--shard) qui ne saisissent jamais la même personne en même temps : ajoutez-en au profil"
                " ([identities]), ou lancez moins de parts"
            )
        return candidates[index - 1 :: count]

    def _take(self, key: tuple, candidates: list, wanted: str, members=None) -> object:
        members = members or (lambda e: [e])
        if not self.once:
            mine = self._slice(candidates, wanted)
            with self._lock:
                turn = next(self._turns.setdefault(key, itertools.count()))
            return mine[turn % len(mine)]
        # claimed in a shared folder: this machine's identities, shared by its workers as they go
        mine = self._slice(candidates, wanted, by_worker=self._used_dir is None)
        with self._lock:
            self._used |= self._read_used()
            entry = next((e for e in mine if self._claim(members(e))), None)
        if entry is None:
            raise NotRun(
                f"toutes les identités de test du profil qui conviennent ({wanted} : {len(mine)}) ont déjà"
                " servi pendant cette vérification, et le site refuse un second compte pour une même"
                " personne : ajoutez-en au profil ([identities])"
            )
        return entry

    def person(
        self,
        *,
        civilite: str | None = None,
        birth: date | None = None,
        place: str = "métropole",
        with_nir: bool = True,
        document_kind: str | None = "cni",
        role: str = "non_allocataire",
    ) -> Person:
        wanted = []
        candidates = [e for e in self.identities if (e.nir is not None) == with_nir]
        wanted.append("avec numéro de sécurité sociale" if with_nir else "sans numéro de sécurité sociale")
        candidates = [e for e in candidates if e.role == role]
        wanted.append(f"rôle {role}")
        if civilite:
            candidates = [e for e in candidates if e.civilite == civilite]
            wanted.append(civilite)
        if birth is not None:
            candidates = [e for e in candidates if e.date_naissance == birth]
            wanted.append(f"née le {birth:%d/%m/%Y}")
        if place in PLACES:
            if place != "métropole":  # the default: any birth place will do
                candidates = [e for e in candidates if place_kind(e.code_insee) == place]
                wanted.append(f"née {place}")
        elif place:
            candidates = [e for e in candidates if place in (e.code_insee, e.lieu_naissance)]
            wanted.append(f"née à {place}")
        kind = {"cni_ancienne": "cni"}.get(document_kind or "", document_kind)
        if kind is None:
            candidates = [e for e in candidates if not e.pieces]
            wanted.append("sans pièce d'identité française")
        elif kind == ANY_DOCUMENT:
            candidates = [e for e in candidates if e.pieces]
            wanted.append("avec une pièce d'identité française")
        else:
            candidates = [e for e in candidates if any(d.type == kind for d in e.pieces)]
            wanted.append(f"avec une pièce {kind}")
        if not candidates:
            raise NotRun(
                f"aucune identité de test du profil ne convient ({', '.join(wanted)}) : ajoutez-en une au"
                " profil ([identities])"
            )
        entry = self._take(("person", *wanted), candidates, ", ".join(wanted))
        person = self.to_person(entry)
        if kind not in (None, ANY_DOCUMENT):  # the document the step asked for first
            person.documents.sort(key=lambda d: d.kind != kind)
        return person

    def foyer_for(self, role: str, age: Age | None = None) -> tuple[Foyer, Person]:
        in_role = [e for e in self.identities if e.role == role and e.foyer]
        candidates = [e for e in in_role if age is None or age.matches(e.date_naissance)]
        if not candidates:
            wanted = f"le rôle {role} dans un foyer" + (f", {age} (le {date.today():%d/%m/%Y})" if age else "")
            ages = sorted({age_on(e.date_naissance, date.today()) for e in in_role})
            known = (
                f" ; rôle {role} dans le profil : {len(in_role)} personne(s), de {', '.join(map(str, ages))} ans"
                if in_role
                else " ; le profil n'a personne dans ce rôle"
            )
            raise NotRun(
                f"aucune identité de test du profil n'a {wanted}{known} : ajoutez-en une au profil ([identities])"
            )
        entry = self._take(
            ("foyer", role, str(age)),
            candidates,
            f"rôle {role}" + (f", {age}" if age else ""),
            members=lambda e: [m for m in self.identities if m.foyer == e.foyer],
        )
        members = [e for e in self.identities if e.foyer == entry.foyer]
        registry_role = {"conjoint_sans_procuration": "conjoint", "conjoint_avec_procuration": "conjoint"}
        foyer = Foyer(
            entry.foyer,
            any(e.procuration for e in members),
            [(registry_role.get(e.role, e.role), self.to_person(e)) for e in members],
        )
        person = next(p for (_, p), e in zip(foyer.members, members) if e is entry)
        return foyer, person


# ── FranceConnect test accounts ───────────────────────────────────────────────
class FranceConnectAccounts(ABC):
    """FranceConnect test accounts whose « identité pivot » is a scenario's person.

    An account can create Mon Compte once, so every scenario gets a fresh one, for its own
    fresh person (whether that person is known to the target's registry is the scenario's
    business: ``Identities`` seeds the registry, this seeds the provider).
    """

    @abstractmethod
    def account_for(self, person: Person) -> dict[str, str]:
        """A test account at the provider with ``person``'s identity: ``{"login", "password"}``."""

    def close(self) -> None:
        pass


class SimulatorAccounts(FranceConnectAccounts):
    """The stand-in provider (``moncompte fc-simulator``, ``--fc-provider URL``): its test helper
    ``POST /__test__/comptes`` adds an account for a person given in the registry's format (the
    provider turns it into an « identité pivot » in FranceConnect's formats)."""

    def __init__(self, provider_url: str, client: httpx.Client | None = None):
        self.provider_url = provider_url.rstrip("/")
        self.client = client or httpx.Client(base_url=self.provider_url, timeout=10, verify=ssl_context())

    def account_for(self, person: Person) -> dict[str, str]:
        account = {"login": person.email.split("@")[0].lower(), "password": f"FC-{person.password}"}
        try:
            response = self.client.post("/__test__/comptes", json=person.as_registry() | account)
        except httpx.TransportError as exc:
            raise TargetError(
                f"Le fournisseur FranceConnect de test {self.provider_url} ne répond pas ({exc.__class__.__name__})."
            ) from None
        if response.status_code in (404, 405):
            raise NotApplicable(
                f"le fournisseur FranceConnect {self.provider_url} n'a pas de route /__test__/comptes : ce n'est pas"
                " le simulateur, ses comptes de test doivent venir du profil du site"
            )
        if response.status_code not in (200, 201):
            raise TargetError(
                f"POST {self.provider_url}/__test__/comptes a refusé le compte de test ({response.status_code}) :"
                f" {response.text[:300]}"
            )
        return account

    def close(self) -> None:
        self.client.close()


class NoFranceConnectAccounts(FranceConnectAccounts):
    """No FranceConnect provider to create test accounts at: the FranceConnect scenarios do not apply."""

    def account_for(self, person: Person) -> dict[str, str]:
        raise NotApplicable(
            "aucun fournisseur FranceConnect de test (option --fc-provider URL du simulateur) : les comptes"
            " de test FranceConnect d'un site déployé viendront de son profil"
        )


# ── how many test identities a run needs ─────────────────────────────────────
# The kind of person the scenarios proving a rule ask for (the rules not listed: a person not yet
# allocataire, with a NIR and an identity card). A foyer counts for its members.
_KIND_OF_RULE = {
    "ID-PROVISOIRE": "sans numéro de sécurité sociale",
    "CNX-ID-PROVISOIRE": "sans numéro de sécurité sociale",
    "PI-SANS-PIECE-FR": "née à l'étranger, sans titre d'identité français",
    "PI-JUSTIFICATIF": "née à l'étranger, sans titre d'identité français",
    "ROLE-RESPONSABLE": "d'un foyer (rôle du foyer)",
    "ROLE-CONJOINT-PROCURATION": "d'un foyer (rôle du foyer)",
    "ROLE-CONJOINT-PROCURATION-DEMANDE": "d'un foyer (rôle du foyer)",
    "ROLE-CONJOINT-SANS-PROCURATION": "d'un foyer (rôle du foyer)",
    "ROLE-ENFANT-15": "d'un foyer (rôle du foyer)",
    "ROLE-ENFANT-AGE": "d'un foyer (rôle du foyer)",
    "ROLE-PERSONNE-A-CHARGE": "d'un foyer (rôle du foyer)",
    "ACCES-MEMBRE-FOYER": "d'un foyer (rôle du foyer)",
}
_DEFAULT_KIND = "non allocataire, avec NIR et pièce d'identité"
_FOYER_SIZE = 2  # a scenario of a foyer types its person, and often a second member


def identity_plan(rule_ids_per_scenario: Sequence[Sequence[str]], identities: Sequence) -> list[str]:
    """Lines saying, per kind of person, how many fresh test identities the selected scenarios may take
    (at most: one person per scenario, two for a foyer) and how many the profile has of that kind."""
    needed: dict[str, int] = {}
    for rule_ids in rule_ids_per_scenario:
        kind = next((_KIND_OF_RULE[r] for r in rule_ids if r in _KIND_OF_RULE), _DEFAULT_KIND)
        needed[kind] = needed.get(kind, 0) + (_FOYER_SIZE if kind.startswith("d'un foyer") else 1)
    has = {
        _DEFAULT_KIND: sum(1 for e in identities if e.nir and e.pieces and e.role == "non_allocataire"),
        "sans numéro de sécurité sociale": sum(1 for e in identities if not e.nir),
        "née à l'étranger, sans titre d'identité français": sum(
            1 for e in identities if not e.pieces and (e.code_insee or "").startswith("99")
        ),
        "d'un foyer (rôle du foyer)": sum(1 for e in identities if e.foyer),
    }
    lines = []
    for kind, count in sorted(needed.items(), key=lambda item: -item[1]):
        short = "" if has.get(kind, 0) >= count else f" : il en manque peut-être {count - has.get(kind, 0)}"
        lines.append(f"{kind} : au plus {count} (profil : {has.get(kind, 0)}){short}")
    return lines


# The test persons the scenarios of each rule ask for (``moncompte profile check`` says, rule by rule,
# whom it will use or what to add): (what to add, in French; how the scenarios ask the pool).
def _person(**wanted):
    return ("person", wanted)


def _foyer(role: str, age: str | None = None):
    return ("foyer", {"role": role, "age": age})


RULE_NEEDS: dict[str, list[tuple[str, tuple[str, dict]]]] = {
    "EC-CHAMPS": [("une personne avec un NIR et une carte d'identité", _person())],
    "NIR-LIEU": [
        ("une personne née en Corse-du-Sud (2A)", _person(place="Corse-du-Sud", document_kind=ANY_DOCUMENT)),
        ("une personne née outre-mer", _person(place="outre-mer", document_kind=ANY_DOCUMENT)),
        ("une personne née à l'étranger, avec un NIR", _person(place="étranger", document_kind=ANY_DOCUMENT)),
    ],
    "PI-NUMERO": [
        ("une personne avec une carte d'identité", _person(document_kind="cni")),
        ("une personne avec un passeport", _person(document_kind="passeport")),
        (
            "une personne née à l'étranger avec un titre de séjour",
            _person(document_kind="titre_sejour", place="étranger"),
        ),
    ],
    "PI-CONTROLE-MRZ": [("une personne avec un passeport", _person(document_kind="passeport"))],
    "PI-SANS-PIECE-FR": [
        ("une personne née à l'étranger, sans titre d'identité français", _person(place="étranger", document_kind=None))
    ],
    "ID-PROVISOIRE": [
        (
            "une personne sans NIR, née à l'étranger",
            _person(with_nir=False, place="étranger", document_kind=ANY_DOCUMENT),
        )
    ],
    "CNX-ID-PROVISOIRE": [("une personne sans NIR", _person(with_nir=False, document_kind=ANY_DOCUMENT))],
    "ROLE-RESPONSABLE": [("un responsable de dossier (dans un foyer)", _foyer("responsable"))],
    "ROLE-CONJOINT-PROCURATION": [("un conjoint avec procuration", _foyer("conjoint_avec_procuration"))],
    "ROLE-CONJOINT-SANS-PROCURATION": [("un conjoint sans procuration", _foyer("conjoint_sans_procuration"))],
    "ROLE-ENFANT-15": [
        ("un enfant qui a age_min ans aujourd'hui", _foyer("enfant", "age_min ans aujourd'hui")),
        ("un enfant de age_min + 1 ans", _foyer("enfant", "age_min + 1 ans")),
    ],
    "ROLE-ENFANT-AGE": [
        ("un enfant de age_min − 1 ans", _foyer("enfant", "age_min − 1 ans")),
        ("un enfant qui a age_min ans demain", _foyer("enfant", "age_min ans demain")),
        ("un enfant de 12 ans", _foyer("enfant", "12 ans")),
    ],
    "ROLE-PERSONNE-A-CHARGE": [("une personne à charge", _foyer("personne_a_charge"))],
}


def rule_identities(identities: Sequence, settings, not_applicable: set[str]) -> list[tuple[str, str]]:
    """(rule, whom its scenarios will use, or what to add to the profile) for each rule that needs a
    particular test person (``RULE_NEEDS``), without taking anyone."""
    from moncompte.steps.params import resolve

    out = []
    for rule_id, needs in RULE_NEEDS.items():
        if rule_id in not_applicable:
            continue
        said = []
        for what, (kind, wanted) in needs:
            pool = IdentityPool(identities, worker="gw0", workers=1)
            age = wanted.get("age")
            if age is not None:
                found = re.fullmatch(r"(?P<n>.+?) ans(?P<when> aujourd'hui| demain)?", age)
                wanted = {
                    **wanted,
                    "age": Age(
                        resolve(found.group("n"), settings["ROLE-ENFANT-15"]),
                        (found.group("when") or "").strip() or None,
                    ),
                }
                what = (
                    what.replace("age_min", str(settings["ROLE-ENFANT-15"]["age_min"]))
                    .replace(
                        f"{settings['ROLE-ENFANT-15']['age_min']} + 1", str(settings["ROLE-ENFANT-15"]["age_min"] + 1)
                    )
                    .replace(
                        f"{settings['ROLE-ENFANT-15']['age_min']} − 1", str(settings["ROLE-ENFANT-15"]["age_min"] - 1)
                    )
                )
            try:
                person = pool.person(**wanted) if kind == "person" else pool.foyer_for(**wanted)[1]
            except (NotRun, NotApplicable):
                said.append(f"ajoutez {what}")
                continue
            said.append(f"{person.prenoms} {person.nom_naissance} ({what})")
        out.append((rule_id, " ; ".join(said)))
    return out
