"""No fixed sleep in the harness: steps and drivers wait on conditions, never on the clock.

The only sleeps allowed are the polling helpers that read a message a target sends
(``steps/codes.py``: the outbox and the other code sources; ``steps/catchers.py``), and
each must sleep a named, documented poll interval of at most ``MAX_POLL_INTERVAL``
seconds inside a loop bounded by a deadline. Playwright's ``wait_for_timeout`` (a fixed
sleep in the page) is allowed nowhere.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
STEPS = REPO / "steps"
POLLING_HELPERS = {"codes.py", "catchers.py"}  # relative to steps/
MAX_POLL_INTERVAL = 0.25  # seconds

SLEEP_CALL = re.compile(r"\b(?:time\.|asyncio\.)?sleep\(")
FROM_TIME_IMPORT_SLEEP = re.compile(r"^\s*from\s+time\s+import\s+.*\bsleep\b", re.MULTILINE)


def harness_sources() -> list[Path]:
    return sorted(p for p in STEPS.rglob("*.py") if "__pycache__" not in p.parts)


def code_lines(path: Path) -> list[tuple[int, str]]:
    """(line number, line) without comments and docstrings' prose mattering: comments are cut."""
    lines = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        lines.append((number, line.split("#", 1)[0]))
    return lines


def test_the_scan_finds_the_harness_sources():
    names = {p.relative_to(STEPS).as_posix() for p in harness_sources()}
    assert {"drivers/api.py", "drivers/browser.py", "codes.py"} <= names


@pytest.mark.parametrize("path", harness_sources(), ids=lambda p: p.relative_to(STEPS).as_posix())
def test_no_wait_for_timeout(path: Path):
    found = [f"{path.name}:{n}" for n, line in code_lines(path) if "wait_for_timeout" in line]
    assert not found, f"attente fixe de Playwright (wait_for_timeout) : {', '.join(found)} ; attendez une condition"


OTHER_SOURCES = [p for p in harness_sources() if p.relative_to(STEPS).as_posix() not in POLLING_HELPERS]


@pytest.mark.parametrize("path", OTHER_SOURCES, ids=lambda p: p.relative_to(STEPS).as_posix())
def test_no_sleep_outside_the_polling_helpers(path: Path):
    """The polling helpers are checked by test_polling_helpers_sleep_a_short_interval."""
    text = path.read_text(encoding="utf-8")
    found = [f"{path.name}:{n}" for n, line in code_lines(path) if SLEEP_CALL.search(line)]
    assert not FROM_TIME_IMPORT_SLEEP.search(text), f"{path.name} importe sleep de time"
    assert not found, f"attente fixe (sleep) : {', '.join(found)} ; attendez une condition (wait_for…, Event, poll)"


def _module_constants(tree: ast.Module) -> dict[str, object]:
    constants = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            try:
                constants[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                pass
    return constants


@pytest.mark.parametrize("name", sorted(POLLING_HELPERS))
def test_polling_helpers_sleep_a_short_interval(name: str):
    """Each sleep of a polling helper is ``time.sleep(<NAMED CONSTANT>)``, a module constant of at most
    ``MAX_POLL_INTERVAL`` seconds with a comment saying what it is, inside a loop."""
    path = STEPS / name
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    constants = _module_constants(tree)
    loops = [n for n in ast.walk(tree) if isinstance(n, (ast.While, ast.For))]
    in_loop = {id(n) for loop in loops for n in ast.walk(loop)}
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "sleep"):
            continue
        where = f"{name}:{node.lineno}"
        assert id(node) in in_loop, f"{where} : sleep hors d'une boucle d'interrogation"
        assert len(node.args) == 1 and isinstance(node.args[0], ast.Name), f"{where} : sleep d'une durée non nommée"
        interval = node.args[0].id
        assert isinstance(constants.get(interval), (int, float)), (
            f"{where} : {interval} n'est pas une constante du module"
        )
        assert 0 < constants[interval] <= MAX_POLL_INTERVAL, f"{where} : {interval} = {constants[interval]} s"
        definition = next(line for line in source.splitlines() if line.startswith(f"{interval} ="))
        assert "#" in definition, f"{where} : {interval} n'est pas documenté (commentaire sur sa ligne)"
