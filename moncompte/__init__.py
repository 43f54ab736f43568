"""moncompte-conformite: the conformance harness of the « Mon Compte » account-creation journey.

Every installed module lives under this one namespace, whatever folder of the repository
holds it (``pyproject.toml``, ``[tool.setuptools] package-dir``):

- ``moncompte.rules``          ← ``rules/``           the rule catalogue and its pure validators;
- ``moncompte.features``       ← ``features/``        the French Gherkin features (data);
- ``moncompte.steps``          ← ``steps/``           step definitions, drivers, profiles, the command;
- ``moncompte.reference_impl`` ← ``reference_impl/``  the FastAPI reference implementation;
- ``moncompte.bench``          ← ``bench/``           the benchmarks (run on demand).
"""

from importlib import metadata

try:
    __version__ = metadata.version("moncompte-conformite")
except metadata.PackageNotFoundError:  # imported from a checkout that was never installed
    __version__ = "0+inconnue"
