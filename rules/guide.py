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
    return resources.files("rules").joinpath("data/guide.txt").read_text(encoding="utf-8")


@cache
def text() -> str:
    """The guide with markdown emphasis removed: what quotes are checked against."""
    return raw_text().replace("**", "")


def sentences() -> list[str]:
    """Every sentence of the guide, without step marks, bullets and footnote stars."""
    result: list[str] = []
    for line in text().splitlines():
        line = line.strip().lstrip(_STEP_MARKS + "-* ").strip()
        if line:
            result.extend(s.strip() for s in _SPLIT.split(line) if s.strip())
    return result


def covers(quote: str, sentence: str) -> bool:
    """A quote covers a sentence when one contains the other (list items end with a comma)."""
    core = sentence.rstrip(" .,:;")
    return quote in sentence or core in quote
