"""``--shard K/N``: a deterministic part of the scenarios, for CI machines running the suite side by side.

Every machine collects the same scenarios (same features, profile and selection) and keeps those of
its part: the scenarios sorted by their duration in a previous run (``--shard-timings``: that run's
``results.json``; unknown scenarios count as the median), longest first, each given to the part with
the least work so far (ties: the lowest part). Without timings every scenario weighs the same, so the
parts differ by one scenario at most. The same inputs give the same parts on every machine.

With several workers (``--workers``), the scenarios that wait for the site's own clock (a code that must
expire, a resend delay, on a site without a test clock) start first, spread over the workers
(``spread``): they wait side by side instead of one after the other at the end of the run.

The part is also the slice of the profile's test identities the machine takes
(``steps.identities.IdentityPool``): part *k* of *N* with *W* workers is worker ``(k-1)·W + w`` of
``N·W``, so parts running at the same time never type the same person.
"""

from __future__ import annotations

import heapq
import json
import os
import re
import statistics
from pathlib import Path
from typing import Iterable, Mapping

import pytest

SHARD_ENV = "MONCOMPTE_SHARD"  # « K/N », read by the identity pool of every worker


class ShardError(ValueError):
    """A ``--shard`` value or timing file that cannot be used (the message is French)."""


def parse(value: str) -> tuple[int, int]:
    """« 2/4 » → (2, 4); ShardError unless 1 ≤ K ≤ N."""
    found = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", value or "")
    if not found:
        raise ShardError(f"--shard attend « K/N » (ex. 2/4 : la deuxième part sur quatre), reçu « {value} »")
    index, count = int(found.group(1)), int(found.group(2))
    if not 1 <= index <= count:
        raise ShardError(f"--shard {value} : la part doit être entre 1 et {count}")
    return index, count


def current() -> tuple[int, int] | None:
    """The part this process runs (``MONCOMPTE_SHARD``), None outside a sharded run."""
    value = os.environ.get(SHARD_ENV)
    return parse(value) if value else None


def timings(path: str | os.PathLike[str], driver: str) -> dict[str, float]:
    """Scenario node id → seconds, for ``driver``, from a previous run's ``results.json`` (or its report
    folder)."""
    file = Path(path)
    if file.is_dir():
        file = file / "results.json"
    try:
        records = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ShardError(f"fichier des durées illisible : {file} ({exc})") from None
    if not isinstance(records, list):
        raise ShardError(
            f"fichier des durées inattendu : {file} (une liste de scénarios, le results.json d'un rapport)"
        )
    return {
        r["nodeid"]: float(r["duration"])
        for r in records
        if isinstance(r, dict) and r.get("driver") == driver and "nodeid" in r and "duration" in r
    }


def assign(nodeids: Iterable[str], count: int, durations: Mapping[str, float] | None = None) -> dict[str, int]:
    """Node id → part (1…``count``): longest first, each to the part with the least work so far."""
    ids = list(dict.fromkeys(nodeids))
    durations = durations or {}
    known = [durations[i] for i in ids if i in durations]
    default = statistics.median(known) if known else 1.0
    weight = {i: durations.get(i, default) for i in ids}
    loads = [(0.0, part) for part in range(1, count + 1)]
    heapq.heapify(loads)
    parts: dict[str, int] = {}
    for nodeid in sorted(ids, key=lambda i: (-weight[i], i)):
        load, part = heapq.heappop(loads)
        parts[nodeid] = part
        heapq.heappush(loads, (load + weight[nodeid], part))
    return parts


# ── the pytest plugin part (loaded by ``steps.conftest``) ─────────────────────


def add_options(group: pytest.OptionGroup) -> None:
    group.addoption("--shard", default=None, metavar="K/N", help="ne jouer que la part K sur N des scénarios")
    group.addoption(
        "--shard-timings",
        default=None,
        metavar="FICHIER",
        help="results.json (ou dossier de rapport) d'une vérification précédente : parts équilibrées par durée",
    )


def configure(config: pytest.Config) -> None:
    value = config.getoption("--shard", default=None)
    if value:
        try:
            parse(value)
        except ShardError as exc:
            raise pytest.UsageError(str(exc)) from None
        os.environ[SHARD_ENV] = value  # the identity pool's slice, in this process and its workers


def keep_part(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Deselect the scenarios of the other parts."""
    value = config.getoption("--shard", default=None)
    if not value:
        return
    index, count = parse(value)
    path = config.getoption("--shard-timings", default=None)
    try:
        durations = timings(path, config.getoption("--driver", default="api")) if path else {}
    except ShardError as exc:
        raise pytest.UsageError(str(exc)) from None
    parts = assign((item.nodeid for item in items), count, durations)
    kept = [item for item in items if parts[item.nodeid] == index]
    dropped = [item for item in items if parts[item.nodeid] != index]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


# « <durée> a passé depuis l'envoi du code »: a scenario that may wait for the site's clock
WAITS_FOR_CLOCK = re.compile(r"(?:a|ont) passé depuis")


def waits_for_clock(item: pytest.Item) -> bool:
    """Whether one of the scenario's steps lets time pass (pytest-bdd's scenario of the test function)."""
    from pytest_bdd.scenario import scenario_wrapper_template_registry

    template = scenario_wrapper_template_registry.get(getattr(item, "function", None))
    steps = [*template.all_background_steps, *template.steps] if template else []
    return any(WAITS_FOR_CLOCK.search(step.name) for step in steps)


def spread(nodeids: list[str], workers: int, weight: Mapping[str, float]) -> list[str]:
    """``nodeids`` reordered for ``workers`` workers that each take a run of consecutive scenarios (pytest-xdist's
    ``worksteal``): the heaviest dealt in turn, so that each run starts with its share of them."""
    ranked = sorted(nodeids, key=lambda i: -weight.get(i, 0.0))  # stable: the collection's order among equals
    return [nodeid for worker in range(workers) for nodeid in ranked[worker::workers]]


def order_for_workers(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With several workers, the longest scenarios first, spread over the workers: by their durations in a
    previous run (``--shard-timings``), else those that wait for the site's clock. Every worker collects
    in the same order (it is computed from the collection alone)."""
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    if workers < 2 or len(items) < 2:
        return
    path = config.getoption("--shard-timings", default=None)
    try:
        weight = dict(timings(path, config.getoption("--driver", default="api"))) if path else {}
    except ShardError as exc:
        raise pytest.UsageError(str(exc)) from None
    if not weight:
        weight = {item.nodeid: 1.0 for item in items if waits_for_clock(item)}
    if not weight:
        return
    by_id = {item.nodeid: item for item in items}
    items[:] = [by_id[nodeid] for nodeid in spread(list(by_id), workers, weight)]
