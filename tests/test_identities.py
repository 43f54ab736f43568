"""The profile's test identities on a site that takes each person once (``un_compte_par_personne``):
each identity handed out once per verification, then the scenarios that only need an account reuse
one created for such a scenario before, and the others are « non vérifié » with what to add."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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


def household(foyer: str, n: int) -> list[TestIdentity]:
    """A household of the profile: its responsable and a spouse without a procuration."""
    return [
        identity(f"Resp{n}", nir=f"1850375123{n:03d}{0:02d}").model_copy(
            update={"role": "responsable", "foyer": foyer}
        ),
        identity(f"Conj{n}", nir=f"2850375123{n:03d}{0:02d}").model_copy(
            update={"role": "conjoint_sans_procuration", "foyer": foyer}
        ),
    ]


def test_the_workers_of_a_run_share_the_identities_as_they_go_and_never_take_the_same(used):
    """A worker that runs more of the scenarios needing a kind of person takes more of them (each worker
    used to get a fixed share, and ran out while the other's stayed unused), and no two workers ever
    get the same person, even when they ask at the same time."""
    everyone = [identity(f"Durand{n}", nir=f"1850375123{n:03d}{0:02d}") for n in range(40)]
    workers = [IdentityPool(everyone, worker=f"gw{k}", workers=3, once=True) for k in range(3)]
    busy = [workers[0].person().nom_naissance for _ in range(30)]  # far more than a third
    assert len(set(busy)) == 30

    taken: list[str] = []
    with ThreadPoolExecutor(max_workers=4) as threads:  # the others at the same time, each in its own pool
        for names in threads.map(lambda pool: _take_all(pool), workers[1:] * 2):
            taken += names
    assert sorted(taken) == sorted({identity.nom_naissance for identity in everyone} - set(busy))
    with pytest.raises(NotRun, match="ont déjà servi"):
        workers[2].person()
    assert not any("185037512" in path.read_text() + path.name for path in used.iterdir())  # no NIR in clear


def _take_all(pool: IdentityPool) -> list[str]:
    names = []
    while True:
        try:
            names.append(pool.person().nom_naissance)
        except NotRun:
            return names


def test_a_household_is_taken_whole_by_one_worker(used):
    """Taking the spouse takes the household (its responsable too): another worker asking for a responsable
    gets another household's."""
    people = household("F1", 1) + household("F2", 2)
    first = IdentityPool(people, worker="gw0", workers=2, once=True)
    second = IdentityPool(people, worker="gw1", workers=2, once=True)
    foyer, spouse = first.foyer_for("conjoint_sans_procuration")
    _, responsable = second.foyer_for("responsable")
    assert foyer.id == "F1" and spouse.nom_naissance == "Conj1"
    assert responsable.nom_naissance == "Resp2"
    with pytest.raises(NotRun, match="ont déjà servi"):
        first.foyer_for("responsable")


def test_identities_listed_by_an_earlier_version_stay_taken(used):
    used.mkdir()
    (used / "1234.txt").write_text("185037512345678\n", encoding="utf-8")
    with pytest.raises(NotRun, match="ont déjà servi"):
        IdentityPool([identity("Durand")], once=True).person()
