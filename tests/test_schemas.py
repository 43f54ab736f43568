"""``moncompte schema``: the JSON Schemas of the report and of a site profile, and what they accept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from moncompte.harness import conformance, schemas
from moncompte.harness.cli import main
from tests.schemacheck import problems, read_profile

REPO = Path(__file__).resolve().parents[1]
SHIPPED_PROFILES = sorted(
    [
        *(REPO / "steps" / "profiles").glob("*.toml"),
        *(REPO / "tests").glob("*/profil*.toml"),
        *(REPO / "docs").glob("**/*.toml"),
    ]
)


@pytest.mark.parametrize("kind", ["conformance", "profile"])
def test_the_schema_command_prints_a_json_schema(kind, capsys):
    assert main(["schema", kind]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["$schema"].endswith("2020-12/schema") and printed["type"] == "object"
    assert printed == schemas.schema(kind)


def test_every_shipped_profile_matches_the_profile_schema():
    assert len(SHIPPED_PROFILES) >= 4, SHIPPED_PROFILES
    for path in SHIPPED_PROFILES:
        read_profile(path)


def test_the_profile_schema_refuses_an_unknown_key():
    assert problems("profile", {"name": "x", "localisateurs": {}})  # French typo of « locators »
    assert problems("profile", {"description": "sans nom"})  # name is required
    assert not problems("profile", {"name": "x"})


def test_a_report_records_what_made_its_verdicts():
    about = schemas.environment(browser="Chromium 140.0")
    document = conformance.build(
        [], target="http://t", profile="default", drivers=["api"], started_at="a", finished_at="b", about=about
    )
    assert not problems("conformance", document)
    assert document["schema_version"] == schemas.SCHEMA_VERSION and document["tool"]["version"]
    libraries = document["environment"]["libraries"]
    assert {"phonenumbers", "python-stdnum", "playwright"} <= set(libraries) and "absente" not in libraries.values()
    assert document["environment"]["python"].count(".") == 2 and document["environment"]["browser"] == "Chromium 140.0"


def test_the_report_schema_refuses_a_document_without_its_versions_or_with_an_unknown_verdict():
    document = conformance.build(
        [],
        target="http://t",
        profile="default",
        drivers=["api"],
        started_at="a",
        finished_at="b",
        about=schemas.environment(),
    )
    assert any(
        "schema_version" in p
        for p in problems("conformance", {k: v for k, v in document.items() if k != "schema_version"})
    )
    document["rules"][0]["verdict"] = "conforme"  # the French label instead of the verdict's code
    assert problems("conformance", document)
