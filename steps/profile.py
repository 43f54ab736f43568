"""Site profiles: what a target differs in, as data (TOML), validated with pydantic.

A profile names its environment and, per rule ID, the parameters whose value on
that site differs from the guide's, each override with a ``reference`` saying
where the site's rule comes from. Errors are reported in French with the path
of the faulty field.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

import rules
from rules.model import Settings


class ProfileError(ValueError):
    """A profile that cannot be used: the message says what and where, in French."""


class ParameterOverride(BaseModel):
    """Overrides of one rule's parameters; ``reference`` is required."""

    model_config = ConfigDict(extra="allow")

    reference: str = Field(min_length=1, description="D'où vient la valeur du site (ticket, spécification).")

    def values(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class Profile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1)
    description: str = ""
    environment: str = "reference"
    base_url: str | None = None
    parameters: dict[str, ParameterOverride] = Field(default_factory=dict)

    @field_validator("parameters")
    @classmethod
    def _known_rules(cls, value: dict[str, ParameterOverride]) -> dict[str, ParameterOverride]:
        rules.settings({rule_id: o.values() for rule_id, o in value.items()})  # raises ValueError in French
        return value

    @model_validator(mode="after")
    def _overrides_not_empty(self) -> "Profile":
        for rule_id, override in self.parameters.items():
            if not override.values():
                raise ValueError(f"parameters.{rule_id} : aucune valeur de paramètre à remplacer")
        return self

    def settings(self) -> Settings:
        return rules.settings({rule_id: o.values() for rule_id, o in self.parameters.items()})


# pydantic's messages are in English: the usual ones, said in French.
_MESSAGES_FR = {
    "extra_forbidden": "clé inconnue (clés permises : name, description, environment, base_url, parameters)",
    "missing": "champ obligatoire manquant",
    "string_type": "doit être une chaîne de caractères",
    "string_too_short": "ne doit pas être vide",
    "dict_type": "doit être une table TOML",
    "model_type": "doit être une table TOML",
}


def builtin(name: str) -> Path:
    """Path of a profile shipped with the package (``default``, ``exemple-mdp-10``)."""
    path = Path(str(resources.files("steps").joinpath(f"profiles/{name}.toml")))
    if not path.exists():
        raise ProfileError(f"Profil intégré inconnu : {name}")
    return path


def load(path: str | Path) -> Profile:
    """Read and validate a profile file; a bare name designates a built-in profile."""
    path = Path(path)
    if not path.suffix and not path.exists():
        path = builtin(str(path))
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ProfileError(f"Profil introuvable : {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"Profil {path} : TOML invalide ({exc})") from None
    try:
        return Profile.model_validate(data)
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'profil'} : "
            f"{_MESSAGES_FR.get(err['type'], err['msg'].removeprefix('Value error, '))}"
            for err in exc.errors()
        )
        raise ProfileError(f"Profil {path} invalide : {details}") from None
