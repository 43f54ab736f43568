"""The request mix of a run, counted in the reference server's access log.

The reference logs one line per request: method, route template and status
(``reference_impl.app.AccessLogMiddleware``), e.g. ``POST /api/inscriptions/{reg_id}/code 200``.
The benchmark notes the log's size before a harness run and counts the lines written
during it: that count, per (method, route, status), is the mix the plain scripts replay.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

LINE = re.compile(r"\b(GET|POST|PUT|DELETE|PATCH|HEAD) (\S+) (\d{3})\s*$")


def log_size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def count(path: Path, start: int, end: int | None = None) -> Counter[str]:
    """``"METHOD route status"`` → number of requests, for the log bytes in [start, end)."""
    with open(path, "rb") as log:
        log.seek(start)
        data = log.read() if end is None else log.read(end - start)
    mix: Counter[str] = Counter()
    for line in data.decode("utf-8", "replace").splitlines():
        if m := LINE.search(line):
            mix[" ".join(m.groups())] += 1
    return mix


def total(mix: Counter[str]) -> int:
    return sum(mix.values())
