"""The themes and prestations offered in the banner « Faites une demande de prestation en ligne »."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Prestation:
    code: str
    libelle: str


@dataclass(frozen=True)
class Theme:
    code: str
    libelle: str
    prestations: tuple[Prestation, ...]


THEMES: tuple[Theme, ...] = (
    Theme(
        "logement",
        "Logement",
        (
            Prestation("apl", "Aide personnalisée au logement (APL)"),
            Prestation("alf", "Allocation de logement familiale"),
        ),
    ),
    Theme(
        "enfance-et-jeunesse",
        "Enfance et jeunesse",
        (
            Prestation("paje", "Prestation d'accueil du jeune enfant (PAJE)"),
            Prestation("allocations-familiales", "Allocations familiales"),
        ),
    ),
    Theme(
        "solidarite-et-insertion",
        "Solidarité et insertion",
        (
            Prestation("rsa", "Revenu de solidarité active (RSA)"),
            Prestation("prime-activite", "Prime d'activité"),
        ),
    ),
    Theme("handicap", "Handicap", (Prestation("aah", "Allocation aux adultes handicapés (AAH)"),)),
)

THEMES_BY_CODE: dict[str, Theme] = {t.code: t for t in THEMES}
PRESTATIONS: dict[str, Prestation] = {p.code: p for t in THEMES for p in t.prestations}
THEME_OF: dict[str, Theme] = {p.code: t for t in THEMES for p in t.prestations}

STATUT_INITIAL = "En cours d'instruction"


def as_json() -> list[dict]:
    return [
        {
            "code": t.code,
            "libelle": t.libelle,
            "prestations": [{"code": p.code, "libelle": p.libelle} for p in t.prestations],
        }
        for t in THEMES
    ]
