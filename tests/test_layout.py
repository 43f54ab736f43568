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
BASE = {"moncompte.resources", "moncompte.net"}  # modules of moncompte/ itself, below every layer
# what each layer may import of ours (besides itself, the top ``moncompte`` package and ``moncompte.resources``)
ALLOWED = {
    "moncompte.rules": set(),
    "moncompte.reference_impl": {"moncompte.rules"},
    "moncompte.steps": {"moncompte.rules"},
    "moncompte.harness": {"moncompte.rules", "moncompte.steps", "moncompte.reference_impl"},
    "moncompte.bench": {"moncompte.rules", "moncompte.steps", "moncompte.reference_impl", "moncompte.harness"},
}


def python_files(*folders: str) -> list[Path]:
    return sorted(p for folder in folders for p in (REPO / folder).rglob("*.py") if ".venv" not in p.parts)


def imported(path: Path) -> list[tuple[int, str]]:
    """The absolute names a file imports; ``from a import b`` gives ``a`` and ``a.b`` (``b`` may be a module)."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.append((node.lineno, node.module))
            # ``from package import module`` imports that module (a name of the package otherwise)
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names if alias.name != "*"]
    return found


def module_name(path: Path) -> str:
    rel = path.relative_to(REPO)
    package = FOLDERS.get(rel.parts[0], rel.parts[0])
    return ".".join([package, *rel.parts[1:-1], *([] if rel.stem == "__init__" else [rel.stem])])


def test_no_bare_import_of_our_folders():
    """Code and tests import ``moncompte.…`` only; the independent test sites import nothing of ours."""
    offenders = [
        f"{p.relative_to(REPO)}:{line} import {name}"
        for p in python_files("rules", "steps", "reference_impl", "bench", "moncompte", "tests")
        for line, name in imported(p)
        if name.split(".")[0] in BARE
    ]
    assert not offenders, "imports hors de l'espace de noms moncompte :\n" + "\n".join(offenders)


@pytest.mark.parametrize("site", ["alt_site", "other_site"])
def test_the_alternative_sites_owe_nothing_to_the_harness(site):
    offenders = [
        f"{p.relative_to(REPO)}:{line} import {name}"
        for p in python_files(f"tests/{site}")
        if "test_" not in p.name
        for line, name in imported(p)
        if name.split(".")[0] in BARE | {"moncompte"}
    ]
    assert not offenders, "\n".join(offenders)


def test_every_package_of_our_folders_is_shipped():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    found = {
        module_name(init.parent / "__init__.py") for folder in FOLDERS for init in (REPO / folder).rglob("__init__.py")
    }
    assert found == listed, (
        f"paquets non livrés : {sorted(found - listed)} ; listés sans dossier : {sorted(listed - found)}"
    )


def test_lower_layers_do_not_import_higher_ones():
    offenders = []
    for layer, allowed in ALLOWED.items():
        folder = PACKAGE_DIR[layer]
        for path in python_files(folder):
            for line, name in imported(path):
                if not name.startswith("moncompte.") or name.startswith(layer):
                    continue
                other = ".".join(name.split(".")[:2])
                if other not in allowed and other not in BASE:
                    offenders.append(f"{path.relative_to(REPO)}:{line} ({layer}) importe {name}")
    assert not offenders, "\n".join(offenders)


def import_graph() -> dict[str, set[str]]:
    """Module → the modules of ours it imports (at the top or inside a function: a cycle either way)."""
    paths = python_files(*(folder for folder in FOLDERS if folder != "features"))
    modules = {module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        for _, imported_name in imported(path):
            while imported_name and imported_name not in modules:  # ``from moncompte.x import name``
                imported_name = imported_name.rpartition(".")[0]
            if imported_name and imported_name != name and imported_name != "moncompte":
                targets.add(imported_name)
        graph[name] = targets
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle():
    assert not cycles(import_graph()), "cycles d'imports :\n" + "\n".join(" ↔ ".join(c) for c in cycles(import_graph()))


def test_the_checks_see_a_violation_and_a_cycle(tmp_path):
    """The checks above can fail: bare imports are seen, and a cycle is found."""
    bad = tmp_path / "bad.py"
    bad.write_text("from moncompte.steps import check\nimport rules\n", encoding="utf-8")
    assert sorted(name for _, name in imported(bad)) == ["moncompte.steps", "moncompte.steps.check", "rules"]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_a_missing_packaged_file_is_a_french_error_naming_it(capsys, monkeypatch):
    """An incomplete installation: the file is named, in French, and ``moncompte`` exits 2 (no traceback)."""
    from moncompte import resources
    from moncompte.harness import cli

    with pytest.raises(resources.MissingResource, match=r"fichier du paquet introuvable : moncompte/steps/absent\.md"):
        resources.path("moncompte.steps", "absent.md")

    original = resources.path

    def incomplete(package: str, name: str = "") -> Path:
        return original(package, "PROFILS-absent.md")

    monkeypatch.setattr(resources, "path", incomplete)
    assert cli.main(["profile", "doc"]) == 2
    err = capsys.readouterr().err
    assert "fichier du paquet introuvable : moncompte/steps/PROFILS-absent.md" in err and "Traceback" not in err
