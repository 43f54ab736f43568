"""The record of one scenario run: what the pytest plugin ``steps.report`` writes and the harness reads."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict

ARRANGEMENT_PROPERTY = "arrangement"  # a scenario's user property: how the browser prepared it (its record's key)


class ScenarioResult(TypedDict):
    """One scenario run with one driver: the record ``results.json`` holds, and what the harness reads
        (``moncompte.harness``: verdicts, reports). ``retry``: what re-running a failed browser scenario with
        a trace gave (added by the harness). ``moncompte check`` writes every driver's records, retries
    included, in the report folder's ``results.json`` (``harness.check.RESULTS_FILE``): what ``moncompte
    merge`` and ``--shard``'s timings read."""

    nodeid: str
    feature: str
    feature_file: str
    feature_line: int
    rule: str | None
    scenario: str
    line: int
    tags: list[str]
    rule_ids: list[str]
    driver: str
    outcome: str  # passed, failed, not_applicable, not_run, skipped
    message: str
    steps: list[dict[str, Any]]
    artefacts: dict[str, str]
    duration: NotRequired[float]  # seconds, setup + call + teardown (``--shard`` balances shards by it)
    retry: NotRequired[str]
    device: NotRequired[str]  # the device emulated, when the run asked for several (``--appareil``, repeated)
    arrangement: NotRequired[str]  # browser driver: how its « Étant donné » ran (``steps.drivers.arranged``)
