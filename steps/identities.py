"""Where test identities come from.

Step ⑤ confirms an identity against the target's identity registry, so a
scenario's synthetic person must be known to the target first. The reference
target (test mode) takes them through ``POST /__test__/foyers`` and
``POST /__test__/personnes``. A target without these routes needs test
identities from its site profile (a later issue): until then, scenarios that
need one are *not applicable* there.
"""

from __future__ import annotations

from abc import ABC, abstractmethod

import httpx

from steps.data import Foyer, Person
from steps.drivers.base import NotApplicable, TargetError


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

    def __init__(self, base_url: str, client: httpx.Client | None = None):
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.Client(base_url=self.base_url, timeout=10)

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
