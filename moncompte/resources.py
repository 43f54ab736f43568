"""The files shipped inside the package (features, profiles, templates, documentation).

They are found with ``importlib.resources``, where the package is installed (a checkout
installed in editable mode, or a wheel), never relative to the current folder. A missing
one is a French error that names it (``MissingResource``, exit code 2 of ``moncompte``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path


class MissingResource(RuntimeError):
    """A file the package should hold is not there (an incomplete installation)."""


def path(package: str, name: str = "") -> Path:
    """The path of ``name`` (a file or a folder) inside ``package``, which must exist."""
    try:
        found = Path(str(resources.files(package).joinpath(name) if name else resources.files(package)))
    except ModuleNotFoundError as exc:
        raise MissingResource(_message(package, name)) from exc
    if not found.exists():
        raise MissingResource(_message(package, name))
    return found


def _message(package: str, name: str) -> str:
    where = f"{package.replace('.', '/')}/{name}".rstrip("/")
    return (
        f"fichier du paquet introuvable : {where}. L'installation de moncompte-conformite est incomplète :"
        " réinstallez-la (pip install --force-reinstall moncompte-conformite)."
    )
