"""The layout: one import namespace (``moncompte``), every package shipped, layers that import downwards.

The repository's folders are installed under ``moncompte`` (``pyproject.toml``, ``package-dir``). Any
bare ``import rules`` / ``from steps …`` would work in a checkout by accident and break in an installed
wheel (or pick up another package of that name), so none may remain.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
PACKAGE_DIR: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]
FOLDERS = {folder: name for name, folder in PACKAGE_DIR.items()}  # rules → moncompte.rules
BARE = {"rules", "steps", "reference_impl", "bench", "features"}
# what each layer may import of ours (besides itself and the top ``moncompte`` package)
ALLOWED = {
    "moncompte.rules": set(),
    "moncompte.reference_impl": {"moncompte.rules"},
    "moncompte.steps": {"moncompte.rules"},
    "moncompte.bench": {"moncompte.rules", "moncompte.steps", "moncompte.reference_impl"},
}
# the command line starts the reference implementation (``moncompte serve``, ``fc-simulator``)
EXCEPTIONS = {("moncompte.steps.cli", "moncompte.reference_impl")}


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO / folder).rglob("*.py") if ".venv" not in p.parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """The absolute module names a file imports (``from moncompte import rules`` → ``moncompte.rules``)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            if node.module == "moncompte":
                found += [(node.lineno, f"moncompte.{alias.name}") for alias in node.names]
    return found


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO)
    package = FOLDERS.get(rel.parts[0], rel.parts[0])
    return ".".join([package, *rel.parts[1:-1], *([] if rel.stem == "__init__" else [rel.stem])])


def test_no_bare_import_of_our_folders():
    """Code and tests import ``moncompte.…`` only; the independent test sites import nothing of ours."""
    offenders = [f"{p.relative_to(REPO)}:{line} import {name}"
                 for p in python_files("rules", "steps", "reference_impl", "bench", "moncompte", "tests")
                 for line, name in imported(p) if name.split(".")[0] in BARE]
    assert not offenders, "imports hors de l'espace de noms moncompte :\n" + "\n".join(offenders)


@pytest.mark.parametrize("site", ["alt_site", "other_site"])
def test_the_alternative_sites_owe_nothing_to_the_harness(site):
    offenders = [f"{p.relative_to(REPO)}:{line} import {name}" for p in python_files(f"tests/{site}")
                 if "test_" not in p.name
                 for line, name in imported(p) if name.split(".")[0] in BARE | {"moncompte"}]
    assert not offenders, "\n".join(offenders)


def test_every_package_of_our_folders_is_shipped():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {module_name(init.parent / "__init__.py") for folder in FOLDERS
             for init in (REPO / folder).rglob("__init__.py")}
    assert found == listed, f"paquets non livrés : {sorted(found - listed)} ; listés sans dossier : {sorted(listed - found)}"


def test_lower_layers_do_not_import_higher_ones():
    offenders = []
    for layer, allowed in ALLOWED.items():
        folder = PACKAGE_DIR[layer]
        for path in python_files(folder):
            me = module_name(path)
            for line, name in imported(path):
                if not name.startswith("moncompte.") or name.startswith(layer):
                    continue
                other = ".".join(name.split(".")[:2])
                if other not in allowed and other != "moncompte.resources" and (me, other) not in EXCEPTIONS:
                    offenders.append(f"{path.relative_to(REPO)}:{line} ({layer}) importe {name}")
    assert not offenders, "\n".join(offenders)


def test_the_layer_check_sees_a_violation(tmp_path):
    """The check above can fail: a rules module importing the steps is reported."""
    bad = tmp_path / "bad.py"
    bad.write_text("from moncompte.steps import check\nimport rules\n", encoding="utf-8")
    assert [name for _, name in imported(bad)] == ["moncompte.steps", "rules"]
