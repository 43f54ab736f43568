"""The guide's text, shipped with the package, and its sentences.

``rules/data/guide.txt`` is a copy of ``shared/seed/mon-compte-creation.txt``
(a test checks they are the same when the seed is present). Quotes are compared
with the text once markdown ``**`` is removed.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

_STEP_MARKS = "①②③④⑤⑥⑦⑧⑨"
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-ZÀ-ÖØ-Þ«])")


@cache
def raw_text() -> str:
    return resources.files("moncompte.rules").joinpath("data/guide.txt").read_text(encoding="utf-8")


@cache
def text() -> str:
    """The guide with markdown emphasis removed: what quotes are checked against."""
    return raw_text().replace("**", "")


_HEADINGS = ("Comment créer Mon Compte ?", "Comment sécuriser Mon Compte ?", "Bon à savoir !")


def passages() -> dict[str, str]:
    """The guide cut by step: "Introduction", "①" … "⑨", "Bon à savoir" → its text."""
    result: dict[str, list[str]] = {"Introduction": []}
    current = "Introduction"
    for line in text().splitlines():
        stripped = line.strip()
        if stripped in _HEADINGS:
            current = "Bon à savoir" if stripped == "Bon à savoir !" else ""
            continue
        if stripped[:1] and stripped[0] in _STEP_MARKS:
            current = stripped[0]
        if current and stripped:
            result.setdefault(current, []).append(stripped)
    return {step: "\n".join(lines) for step, lines in result.items()}


def sentences() -> list[str]:
    """Every sentence of the guide, without step marks, bullets and footnote stars."""
    result: list[str] = []
    for line in text().splitlines():
        line = line.strip().lstrip(_STEP_MARKS + "-* ").strip()
        if line:
            result.extend(s.strip() for s in _SPLIT.split(line) if s.strip())
    return result


def coverage(sentence: str, quotes: list[str]) -> float:
    """Share of a sentence's characters (end punctuation aside) that the quotes cover.

    A sentence contained in a quote is wholly covered; otherwise each quote found
    in the sentence covers its own span. A short quote therefore cannot cover a
    long sentence on its own.
    """
    core = sentence.rstrip(" .,:;!?")
    if not core or any(core in q for q in quotes):
        return 1.0 if core else 0.0
    covered = [False] * len(core)
    for quote in quotes:
        found = quote.rstrip(" .,:;!?")  # what is looked for, so what is covered when found
        start = core.find(found)
        while start >= 0:
            covered[start : start + len(found)] = [True] * len(found)
            start = core.find(found, start + 1)
    return sum(covered) / len(core)


def covers(quote: str, sentence: str) -> bool:
    """A quote covers a sentence when one contains the other (list items end with a comma)."""
    core = sentence.rstrip(" .,:;")
    return quote in sentence or core in quote
