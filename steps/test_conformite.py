"""The entry point pytest collects: every scenario of ``features/``.

Run: ``pytest steps/test_conformite.py --driver api --target http://127.0.0.1:8000``.
"""

from pytest_bdd import scenarios

scenarios("../features")
