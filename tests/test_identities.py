"""The profile's test identities on a site that takes each person once (``un_compte_par_personne``):
each identity handed out once per verification, then the scenarios that only need an account reuse
one created for such a scenario before, and the others are « non vérifié » with what to add."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

import pytest

from moncompte.steps.definitions.commun import person_who_has_an_account
from moncompte.steps.drivers.base import NotRun
from moncompte.steps.fixtures import ScenarioContext
from moncompte.steps.identities import IdentityPool
from moncompte.steps.profile import TestIdentity


def identity(nom: str, nir: str | None = "185037512345678") -> TestIdentity:
    return TestIdentity(
        civilite="Monsieur",
        nom_naissance=nom,
        prenoms="Jean",
        date_naissance=date(1985, 3, 14),
        lieu_naissance="Paris",
        nir=nir,
        pieces=[{"type": "cni", "numero": "X4RTBPFW4"}],
    )


@pytest.fixture
def used(tmp_path, monkeypatch):
    monkeypatch.setenv("MONCOMPTE_IDENTITES_UTILISEES", str(tmp_path / "utilisees"))
    return tmp_path / "utilisees"


def test_each_identity_is_handed_out_once_and_then_the_scenario_is_not_checked(used):
    pool = IdentityPool([identity("Durand")], once=True)
    assert pool.person().nom_naissance == "Durand"
    with pytest.raises(NotRun, match="ont déjà servi .* ajoutez-en au profil"):
        pool.person()
    # another process of the same verification (a worker, a re-run) knows it was taken
    with pytest.raises(NotRun, match="ont déjà servi"):
        IdentityPool([identity("Durand")], once=True).person()


class FakeJourney:
    """The journey as the Given step drives it: an account created gives the person's identifier."""

    def __init__(self, ctx: ScenarioContext):
        self.ctx = ctx
        self.created: list[str] = []

    def create_account(self) -> None:
        self.created.append(self.ctx.person.nom_naissance)
        self.ctx.identifier = self.ctx.person.nir


def test_a_scenario_that_only_needs_an_account_reuses_one_when_no_identity_is_left(used):
    pool = IdentityPool([identity("Durand")], once=True)
    data = SimpleNamespace(pool=pool, person=pool.person)
    first, second = ScenarioContext(), ScenarioContext()
    journey = FakeJourney(first)
    person_who_has_an_account(first, data, journey)
    assert journey.created == ["Durand"] and first.identifier == "185037512345678"

    journey.ctx = second
    person_who_has_an_account(second, data, journey)
    assert journey.created == ["Durand"]  # not created again: the first account, logged in to
    assert second.person.nom_naissance == "Durand" and second.identifier == "185037512345678"
    assert second.person is not first.person  # a copy: what one scenario sets stays its own


def test_without_an_account_to_reuse_the_scenario_is_not_checked(used):
    pool = IdentityPool([identity("Martin")], once=True)
    pool.person()  # taken by a journey scenario: it may have done anything with its account
    data = SimpleNamespace(pool=pool, person=pool.person)
    with pytest.raises(NotRun, match="ont déjà servi"):
        person_who_has_an_account(ScenarioContext(), data, FakeJourney(ScenarioContext()))
