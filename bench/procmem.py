"""Peak memory (RSS) of a process tree, read from ``/proc`` (Linux) while it runs.

A thread samples the tree every ``INTERVAL`` seconds. Each Python process of the tree
(the pytest process, its xdist workers) is a *group*; every other process (the
Playwright driver, Chromium and its children) is counted in the group of its nearest
Python ancestor. For a group: the Python process's own peak (the kernel's ``VmHWM``)
and the largest sum of the ``VmRSS`` of its other processes seen at one sample (the
browser's peak). Elsewhere than Linux: no figures (``None``).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

INTERVAL = 0.2  # seconds between two samples
PROC = Path("/proc")


def _status_kb(pid: int, key: str) -> int:
    try:
        for line in (PROC / str(pid) / "status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _cmdline(pid: int) -> str:
    try:
        return (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


def _parents() -> dict[int, int]:
    parents = {}
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
    return parents


@dataclass
class Group:
    pid: int
    label: str
    python_peak_kb: int = 0
    browser_peak_kb: int = 0


@dataclass
class TreeSampler:
    root: int
    groups: dict[int, Group] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None
    _python: dict[int, bool] = field(default_factory=dict)

    @staticmethod
    def available() -> bool:
        return (PROC / str(os.getpid()) / "status").exists()

    def start(self) -> "TreeSampler":
        if self.available():
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread:
            self._thread.join()

    def _is_python(self, pid: int) -> bool:
        if pid not in self._python:
            words = _cmdline(pid).split()
            self._python[pid] = bool(words) and "python" in Path(words[0]).name
        return self._python[pid]

    def _run(self) -> None:
        while True:
            self.sample()
            if self._stop.wait(INTERVAL):
                return

    def sample(self) -> None:
        parents = _parents()
        children: dict[int, list[int]] = {}
        for pid, ppid in parents.items():
            children.setdefault(ppid, []).append(pid)
        browser_rss: dict[int, int] = {}
        stack = [(self.root, self.root)]
        while stack:
            pid, owner = stack.pop()
            if pid == self.root or self._is_python(pid):
                owner = pid
                group = self.groups.setdefault(pid, Group(pid, "harnais" if pid == self.root else "worker"))
                group.python_peak_kb = max(group.python_peak_kb, _status_kb(pid, "VmHWM"))
            else:
                browser_rss[owner] = browser_rss.get(owner, 0) + _status_kb(pid, "VmRSS")
            stack += [(child, owner) for child in children.get(pid, [])]
        for owner, kb in browser_rss.items():
            group = self.groups.get(owner)
            if group:
                group.browser_peak_kb = max(group.browser_peak_kb, kb)

    def report(self) -> dict:
        """``{"harness_mb", "workers": [{"python_mb", "browser_mb"}…], "browser_mb"}`` (MiB)."""
        if not self.groups:
            return {}
        mb = lambda kb: round(kb / 1024, 1)  # noqa: E731
        root = self.groups.get(self.root)
        workers = [g for pid, g in sorted(self.groups.items()) if pid != self.root]
        return {
            "harness_mb": mb(root.python_peak_kb) if root else None,
            "browser_mb": mb(root.browser_peak_kb) if root and root.browser_peak_kb else None,
            "workers": [{"python_mb": mb(g.python_peak_kb), "browser_mb": mb(g.browser_peak_kb)} for g in workers],
        }
