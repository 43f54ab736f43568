"""The entry point pytest collects: every scenario of the features (``moncompte.features``).

``moncompte check`` runs it; by hand, in a checkout:
``pytest steps/test_conformite.py -c steps/suite.ini --driver api --target http://127.0.0.1:8000``.
"""

from pytest_bdd import scenarios

from moncompte import resources

scenarios(str(resources.path("moncompte.features")))
