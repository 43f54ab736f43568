"""The shapes of the catalogue: rules, parameters, refusals and effective settings.

Pure data, no I/O. A rule quotes the guide verbatim; its parameters carry the
guide's values as defaults, and a parameter the guide leaves open says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Mapping

ORIGIN_GUIDE, ORIGIN_PROJECT = "guide", "projet"
ORIGIN_LABELS = {ORIGIN_GUIDE: "le guide", ORIGIN_PROJECT: "choix du projet (au-delà du guide)"}


class Level(StrEnum):
    """How binding a rule is (as the OpenID conformance suite marks clauses)."""

    MUST = "MUST"
    SHOULD = "SHOULD"
    MAY = "MAY"


# The journey's forms ④ … ⑨ in the guide's order, by the names the pages, the API and the drivers use
# (the one place where the order is written).
JOURNEY_STEPS = ("etat_civil", "piece_identite", "coordonnees", "code", "mot_de_passe", "recapitulatif")


class Step(StrEnum):
    """Where in the guide a rule comes from."""

    INTRODUCTION = "Introduction"
    ETAPE_1 = "①"
    ETAPE_2 = "②"
    ETAPE_3 = "③"
    ETAPE_4 = "④"
    ETAPE_5 = "⑤"
    ETAPE_6 = "⑥"
    ETAPE_7 = "⑦"
    ETAPE_8 = "⑧"
    ETAPE_9 = "⑨"
    BON_A_SAVOIR = "Bon à savoir"
    SECURITE = "Sécurité"
    ACCESSIBILITE = "Accessibilité"

    @property
    def tag(self) -> str:
        """The Gherkin tag that marks a scenario of this step (``etape_8``)."""
        return _STEP_TAGS[self]

    @property
    def order(self) -> int:
        return list(Step).index(self)


_STEP_TAGS = {
    Step.INTRODUCTION: "introduction",
    **{s: f"etape_{i}" for i, s in enumerate(list(Step)[1:10], start=1)},
    Step.BON_A_SAVOIR: "bon_a_savoir",
    Step.SECURITE: "securite",
    Step.ACCESSIBILITE: "accessibilite",
}


@dataclass(frozen=True)
class Parameter:
    """A value a rule depends on, with the guide's value as default.

    ``choice`` is set when the guide does not fix the value: ``rationale`` then
    says why the default was picked. A site profile may override any parameter.
    """

    name: str
    default: Any
    description: str
    choice: bool = False
    rationale: str = ""

    def __post_init__(self) -> None:
        if self.choice and not self.rationale:
            raise ValueError(f"parameter {self.name}: a choice needs a rationale")


@dataclass(frozen=True)
class Rule:
    """One normative sentence (or part of one) of the guide."""

    id: str
    title: str
    quote: str
    step: Step
    level: Level
    parameters: tuple[Parameter, ...] = ()
    validator: str | None = None  # dotted name of the pure validator, if any
    note: str = ""  # what the rule means when the quote alone is not enough
    bounds: tuple[tuple[str, str], ...] = ()  # (low, high) parameter pairs that must stay ordered
    # Why the rule goes beyond what the guide says (a choice of this project, for security or for
    # consistency), and why its level; empty: the rule says what the guide says.
    beyond_guide: str = ""
    # The RGAA criteria (référentiel général d'amélioration de l'accessibilité, 4.1) the rule covers.
    rgaa: tuple[str, ...] = ()

    @property
    def origin(self) -> str:
        """``guide`` (the guide says it) or ``projet`` (a choice of this project, beyond the guide)."""
        return ORIGIN_PROJECT if self.beyond_guide else ORIGIN_GUIDE

    def parameter(self, name: str) -> Parameter:
        for p in self.parameters:
            if p.name == name:
                return p
        raise KeyError(f"{self.id} has no parameter {name!r}")

    def as_dict(self, settings: "Settings | None" = None) -> dict[str, Any]:
        values = settings[self.id] if settings is not None else {p.name: p.default for p in self.parameters}
        return {
            "id": self.id,
            "title": self.title,
            "quote": self.quote,
            "step": str(self.step),
            "level": str(self.level),
            "parameters": {
                p.name: {
                    "value": values[p.name],
                    "default": p.default,
                    "description": p.description,
                    "choice": p.choice,
                    **({"rationale": p.rationale} if p.rationale else {}),
                }
                for p in self.parameters
            },
            "validator": self.validator,
            "note": self.note,
            "origin": self.origin,
            **({"beyond_guide": self.beyond_guide} if self.beyond_guide else {}),
            **({"rgaa": list(self.rgaa)} if self.rgaa else {}),
        }


@dataclass(frozen=True)
class Refusal:
    """Why a value is refused: the rule it breaks, the field, the French message."""

    rule_id: str
    field: str
    message: str


@dataclass(frozen=True)
class Settings:
    """Effective parameter values for every rule: the defaults plus overrides.

    ``settings["MDP-LONGUEUR"]["min"]`` reads a value. Overrides name a rule ID
    and a parameter; unknown names and wrong types are refused with a French
    message, so a mistyped profile never silently keeps the default.
    """

    values: Mapping[str, Mapping[str, Any]]
    overridden: frozenset[tuple[str, str]] = field(default_factory=frozenset)

    def __getitem__(self, rule_id: str) -> Mapping[str, Any]:
        return self.values[rule_id]

    def is_overridden(self, rule_id: str, name: str) -> bool:
        return (rule_id, name) in self.overridden

    @classmethod
    def from_rules(
        cls, rules: tuple[Rule, ...], overrides: Mapping[str, Mapping[str, Any]] | None = None
    ) -> "Settings":
        values = {r.id: {p.name: p.default for p in r.parameters} for r in rules}
        by_id = {r.id: r for r in rules}
        done: set[tuple[str, str]] = set()
        for rule_id, params in (overrides or {}).items():
            if rule_id not in by_id:
                raise ValueError(f"Règle inconnue dans le profil : {rule_id}")
            for name, value in params.items():
                try:
                    default = by_id[rule_id].parameter(name).default
                except KeyError:
                    raise ValueError(
                        f"La règle {rule_id} n'a pas de paramètre « {name} »"
                        f" (paramètres : {', '.join(values[rule_id]) or 'aucun'})"
                    ) from None
                if not _same_kind(default, value):
                    raise ValueError(
                        f"Paramètre {rule_id}.{name} : valeur {value!r} de type"
                        f" {type(value).__name__}, attendu {type(default).__name__}"
                    )
                values[rule_id][name] = value
                done.add((rule_id, name))
        for rule in rules:
            for low, high in rule.bounds:
                if values[rule.id][low] > values[rule.id][high]:
                    raise ValueError(
                        f"Paramètres de {rule.id} incohérents : {low} ({values[rule.id][low]})"
                        f" dépasse {high} ({values[rule.id][high]})"
                    )
        return cls(values=values, overridden=frozenset(done))


def _same_kind(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, type(default))
    if isinstance(default, (list, tuple)):
        return isinstance(value, (list, tuple))
    return isinstance(value, type(default))
