"""Reports and profiles read by the tests are validated against the JSON Schemas the tool prints.

``read_report(folder)`` is how every test reads a ``conformance.json``: a report that does not match
``moncompte schema conformance`` fails the test that produced it. The schemas are validated with
``jsonschema-rs`` (a test dependency), independently of the pydantic models they come from.
"""

from __future__ import annotations

import functools
import json
import tomllib
from pathlib import Path
from typing import Any

import jsonschema_rs

from moncompte.harness import schemas


@functools.cache
def validator(kind: str) -> Any:
    return jsonschema_rs.validator_for(schemas.schema(kind))


def problems(kind: str, document: Any) -> list[str]:
    return [
        f"{'/'.join(map(str, e.instance_path)) or '(racine)'} : {e.message}"
        for e in validator(kind).iter_errors(document)
    ]


def read_report(folder: Path) -> dict[str, Any]:
    """``folder/conformance.json``, which must match the report's schema."""
    document = json.loads((Path(folder) / "conformance.json").read_text(encoding="utf-8"))
    found = problems("conformance", document)
    assert not found, "conformance.json ne suit pas son schéma :\n" + "\n".join(found[:20])
    return document


def read_profile(path: Path) -> dict[str, Any]:
    """A profile file's TOML, which must match the profile's schema."""
    data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    found = problems("profile", data)
    assert not found, f"{path} ne suit pas le schéma des profils :\n" + "\n".join(found[:20])
    return data
