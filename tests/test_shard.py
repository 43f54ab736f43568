"""``moncompte check --shard K/N``: deterministic, disjoint parts that together are the whole run, balanced
by a previous run's durations, each taking its own slice of the profile's test identities."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from moncompte.steps import shard
from moncompte.steps.drivers.base import NotRun
from moncompte.steps.identities import IdentityPool
from moncompte.steps.profile import TestIdentity
from tests.test_check import REPO, run_cli

IDS = [f"test_conformite.py::test_scenario_{n:02d}" for n in range(20)]


@pytest.mark.parametrize("value", ["2/4", " 1 / 1 ", "4/4"])
def test_a_part_is_k_of_n(value):
    index, count = shard.parse(value)
    assert 1 <= index <= count


@pytest.mark.parametrize(("value", "said"), [("0/4", "entre 1 et 4"), ("5/4", "entre 1 et 4"), ("2", "K/N")])
def test_a_bad_part_is_refused_in_french(value, said):
    with pytest.raises(shard.ShardError, match=said):
        shard.parse(value)


def test_the_parts_cover_every_scenario_once_and_differ_by_one_at_most():
    parts = shard.assign(IDS, 3)
    assert set(parts) == set(IDS)
    sizes = sorted(list(parts.values()).count(p) for p in (1, 2, 3))
    assert sizes == [6, 7, 7]


def test_the_parts_do_not_depend_on_the_collection_order():
    assert shard.assign(IDS, 4) == shard.assign(list(reversed(IDS)), 4)


def test_timings_balance_the_parts_by_duration():
    # one long scenario, many short ones: by count the long one's part would hold half the work more
    durations = {nodeid: 1.0 for nodeid in IDS}
    durations[IDS[0]] = 10.0
    parts = shard.assign(IDS, 2, durations)
    work = {p: sum(durations[i] for i, q in parts.items() if q == p) for p in (1, 2)}
    assert abs(work[1] - work[2]) <= 1.0
    alone = [i for i, p in parts.items() if p == parts[IDS[0]]]
    assert len(alone) == 6  # the long one and 5 short ones (15 s) against 14 short ones (14 s)


def test_unknown_scenarios_weigh_the_median_of_the_known(tmp_path):
    results = [
        {"nodeid": IDS[0], "driver": "api", "duration": 4.0},
        {"nodeid": IDS[1], "driver": "browser", "duration": 9},
    ]
    (tmp_path / "results.json").write_text(json.dumps(results), encoding="utf-8")
    assert shard.timings(tmp_path, "api") == {IDS[0]: 4.0}  # the driver's own durations, from the folder
    assert shard.timings(tmp_path / "results.json", "browser") == {IDS[1]: 9.0}


def test_an_unreadable_timing_file_is_a_french_error(tmp_path):
    with pytest.raises(shard.ShardError, match="fichier des durées illisible"):
        shard.timings(tmp_path / "absent.json", "api")


def identity(n: int) -> TestIdentity:
    return TestIdentity(
        civilite="Madame",
        nom_naissance=f"Durand{chr(65 + n)}",
        prenoms="Lucie",
        date_naissance=date(1980, 1, 1 + n),
        lieu_naissance="Paris",
        nir=None,
        pieces=[{"type": "cni", "numero": f"X4RTBPF{n:02d}"}],
    )


def _typed(monkeypatch, part: str, worker: str, workers: int, pool: list[TestIdentity], turns: int) -> set[str]:
    monkeypatch.setenv(shard.SHARD_ENV, part)
    identities = IdentityPool(pool, worker=worker, workers=workers)
    return {identities.person(with_nir=False).nom_naissance for _ in range(turns)}


def test_machines_running_at_the_same_time_never_type_the_same_person(monkeypatch):
    pool = [identity(n) for n in range(12)]
    typed = [_typed(monkeypatch, f"{k}/3", f"gw{w}", 2, pool, 10) for k in (1, 2, 3) for w in (0, 1)]
    assert all(typed)
    everyone = [name for names in typed for name in names]
    assert len(everyone) == len(set(everyone))  # disjoint slices, across machines and their workers


def test_with_fewer_identities_than_workers_the_machines_still_keep_apart(monkeypatch):
    pool = [identity(n) for n in range(3)]  # 3 machines × 2 workers: one identity per machine
    typed = [_typed(monkeypatch, f"{k}/3", f"gw{w}", 2, pool, 4) for k in (1, 2, 3) for w in (0, 1)]
    by_machine = [typed[0] | typed[1], typed[2] | typed[3], typed[4] | typed[5]]
    assert all(len(names) == 1 for names in by_machine)
    assert len(set().union(*by_machine)) == 3


def test_too_few_identities_for_the_parts_is_not_checked_with_what_to_add(monkeypatch):
    monkeypatch.setenv(shard.SHARD_ENV, "2/4")
    with pytest.raises(NotRun, match="ajoutez-en au profil"):
        IdentityPool([identity(0), identity(1)], worker="gw0", workers=1).person(with_nir=False)


def _check(report: Path, *more: str):
    proc = run_cli("check", "--driver", "api", "--tags", "etape_8", "--report", str(report), *more)
    assert proc.returncode in (0, 1), proc.stdout + proc.stderr
    results = json.loads((report / "results.json").read_text(encoding="utf-8"))
    return proc, {r["nodeid"]: r for r in results}


def test_three_parts_are_the_whole_run_once_and_merge_into_its_verdicts(tmp_path):
    _, whole = _check(tmp_path / "entier")
    parts = [
        _check(tmp_path / f"part-{k}", "--shard", f"{k}/3", "--durees", str(tmp_path / "entier"))[1] for k in (1, 2, 3)
    ]
    assert all(parts)
    together = [nodeid for part in parts for nodeid in part]
    assert len(together) == len(set(together))  # no scenario in two parts
    assert set(together) == set(whole)
    assert {n: r["outcome"] for p in parts for n, r in p.items()} == {n: r["outcome"] for n, r in whole.items()}
    report = json.loads((tmp_path / "part-2" / "conformance.json").read_text(encoding="utf-8"))
    assert report["shard"] == "2/3"
    # merged, the three parts give the whole run's verdicts, rule by rule
    merged = run_cli("merge", *(str(tmp_path / f"part-{k}") for k in (1, 2, 3)), "--report", str(tmp_path / "fusion"))
    assert merged.returncode in (0, 1), merged.stdout + merged.stderr

    def verdicts(folder: str) -> dict:
        document = json.loads((tmp_path / folder / "conformance.json").read_text(encoding="utf-8"))
        return {e["id"]: (e["verdict"], e["counts"]) for e in document["rules"]}

    assert verdicts("fusion") == verdicts("entier")
    assert any(verdict == "pass" for verdict, _ in verdicts("fusion").values())


@pytest.mark.parametrize(
    ("args", "said"), [(["--shard", "4/3"], "entre 1 et 3"), (["--durees", "x"], "--durees ne sert qu'avec --shard")]
)
def test_bad_shard_options_exit_2_in_french(tmp_path, args, said):
    proc = run_cli("check", "--driver", "api", "--report", str(tmp_path), *args)
    assert proc.returncode == 2
    assert said in proc.stderr


def test_the_heaviest_scenarios_are_dealt_to_the_start_of_each_workers_run():
    ids = [f"s{n}" for n in range(9)]
    order = shard.spread(ids, 3, {"s7": 120.0, "s8": 60.0, "s6": 50.0, "s5": 30.0})
    runs = [order[0:3], order[3:6], order[6:9]]  # what worksteal gives each of 3 workers first
    assert [run[0] for run in runs] == ["s7", "s8", "s6"]
    assert sorted(order) == sorted(ids)


def _collected(env: dict[str, str]) -> list[str]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "steps/test_conformite.py",
            "--collect-only",
            "-q",
            "-m",
            "etape_7 or CODE-EXPIRATION or CODE-RENVOI",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **env},
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return [line for line in proc.stdout.splitlines() if "::" in line]


def test_with_several_workers_the_scenarios_that_wait_for_the_clock_start_first():
    """Each of 3 workers' runs starts with a scenario that lets time pass (« … a passé depuis l'envoi du code »):
    on a site without a test clock they wait side by side, not one after the other at the end."""
    alone, three = _collected({}), _collected({"PYTEST_XDIST_WORKER_COUNT": "3"})
    assert sorted(alone) == sorted(three) and alone != three
    size = -(-len(three) // 3)
    starts = [three[k * size] for k in range(3)]
    assert all("code_expir" in s or "code_encore_valable" in s or "envoi" in s for s in starts), starts
