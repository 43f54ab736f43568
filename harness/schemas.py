"""The shape of ``conformance.json``, as pydantic models, and the JSON Schemas a CI validates against.

``moncompte schema conformance`` prints the schema of the report, ``moncompte schema profile`` that of
a site profile (``steps.profile.Profile``). ``conformance.json`` also says what made its verdicts:
the tool's version, the Python version, and the versions of the libraries that decide them
(``environment``); ``schema_version`` changes when the document's shape does.
"""

from __future__ import annotations

import json
import platform
from importlib import metadata
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

import moncompte

SCHEMA_VERSION = "1"
# the libraries whose version can change a verdict (numbers, phone numbers, the browser and its driver,
# how the features are read and run)
VERDICT_LIBRARIES = (
    "phonenumbers",
    "python-stdnum",
    "email-validator",
    "playwright",
    "axe-playwright-python",
    "pytest-bdd",
    "pytest",
    "httpx",
    "pydantic",
)

Verdict = Literal["pass", "fail", "warning", "not_applicable", "not_run", "not_selected", "expected_fail"]
Outcome = Literal["passed", "failed", "not_run", "not_applicable", "skipped"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Tool(_Strict):
    name: Literal["moncompte-conformite"] = "moncompte-conformite"
    version: str = Field(description="version de l'outil qui a écrit le rapport")


class Environment(_Strict):
    python: str = Field(description="version de Python")
    platform: str = Field(description="système de la machine qui a fait la vérification")
    libraries: dict[str, str] = Field(description="versions des bibliothèques qui décident des verdicts")
    browser: str | None = Field(default=None, description="version du navigateur (pilote navigateur), sinon null")
    device: str | None = Field(
        default=None,
        description="appareil ou taille d'écran émulés par le pilote navigateur (« bureau (1280 × 900) »…)",
    )


class Scenario(_Strict):
    name: str
    feature: str
    driver: Literal["api", "browser", "http"]
    outcome: Outcome
    message: str
    artefacts: dict[str, str] | None = None
    retry: str | None = None
    device: str | None = Field(default=None, description="l'appareil émulé, quand la vérification en a plusieurs")
    arrangement: str | None = Field(
        default=None,
        description="pilote navigateur : comment ses « Étant donné » ont été joués : « http » (pages lues en HTTP,"
        " cookies passés ensuite au navigateur), « navigateur », ou « http puis navigateur (raison) »",
    )


class Counts(_Strict):
    passed: int = Field(ge=0)
    failed: int = Field(ge=0)
    not_run: int = Field(ge=0)
    not_applicable: int = Field(ge=0)


class Deviation(_Strict):
    reason: str
    ticket: str = ""


class RuleVerdict(_Strict):
    id: str
    title: str
    step: str
    level: Literal["MUST", "SHOULD", "MAY"]
    origin: Literal["guide", "projet"]
    beyond_guide: str | None = None
    rgaa: list[str] | None = Field(default=None, description="critères du RGAA 4.1 que couvre la règle")
    verdict: Verdict
    counts: Counts
    scenarios: list[Scenario]
    reason: str | None = Field(default=None, description="pourquoi non applicable ou non vérifiée")
    deviation: Deviation | None = None
    deviation_resolved: bool | None = None


class ConformanceReport(_Strict):
    """The document ``moncompte check`` writes as ``conformance.json``."""

    schema_version: Literal["1"]
    tool: Tool
    environment: Environment
    target: str
    profile: str
    drivers: list[Literal["api", "browser", "http"]]
    started_at: str
    finished_at: str
    summary: dict[Verdict, int]
    rules: list[RuleVerdict]
    deviations_resolved: list[str] | None = None
    shard: str | None = Field(
        default=None, description="la part des scénarios de ce rapport (« 2/4 », --shard) ; absent : tous"
    )


def _version(distribution: str) -> str:
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return "absente"


def environment(browser: str | None = None, device: str | None = None) -> dict[str, Any]:
    """What made the verdicts of this run: ``schema_version``, ``tool`` and ``environment``."""
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": Tool(version=moncompte.__version__).model_dump(),
        "environment": Environment(
            python=platform.python_version(),
            platform=platform.platform(terse=True),
            libraries={name: _version(name) for name in VERDICT_LIBRARIES},
            browser=browser,
            device=device,
        ).model_dump(),
    }


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of ``conformance`` (the report) or ``profile`` (a site profile, as its TOML reads)."""
    if kind == "conformance":
        model: type[BaseModel] = ConformanceReport
        title = "Rapport de conformité « Mon Compte » (conformance.json)"
    elif kind == "profile":
        from moncompte.steps.profile import Profile

        model, title = Profile, "Profil de site « Mon Compte » (fichier TOML)"
    else:
        raise ValueError(f"schéma inconnu : {kind} (conformance ou profile)")
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **model.model_json_schema(), "title": title}


def command(parser: Any) -> Any:
    """``moncompte schema conformance|profile``: print the JSON Schema."""
    parser.add_argument(
        "kind",
        choices=["conformance", "profile"],
        metavar="conformance|profile",
        help="le rapport (conformance.json) ou un profil de site",
    )

    def run(args: Any) -> int:
        print(json.dumps(schema(args.kind), ensure_ascii=False, indent=2))
        return 0

    return run
