"""Identifiant provisoire (step ④): issued when the user has no NIR, used to log in (⑨)."""

from __future__ import annotations

import re

from moncompte.rules.catalogue import DEFAULTS
from moncompte.rules.model import Settings


def is_provisional_id(value: str | None, settings: Settings = DEFAULTS) -> bool:
    return bool(re.fullmatch(settings["ID-PROVISOIRE"]["format"], (value or "").strip().upper()))


def from_number(number: int) -> str:
    """The provisional identifier for a number (the target picks the number at random)."""
    if not 0 <= number < 10**9:
        raise ValueError("a provisional identifier number has at most 9 digits")
    return f"P{number:09d}"
