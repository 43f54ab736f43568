"""Shared helper for the rule tests: compare refusals with literal expectations."""

from __future__ import annotations

import pytest

from moncompte.rules.model import Refusal


def _check(refusals: list[Refusal], *expected: tuple[str, str, str]) -> None:
    """``expected``: (rule ID, form field, a fragment of the French message), in order; none means accepted.

    The field is the name of the form field the message is shown next to (``nir``, ``civilite``…).
    """
    got = [(r.rule_id, r.field, r.message) for r in refusals]
    assert [(rule_id, field) for rule_id, field, _ in got] == [(rule_id, field) for rule_id, field, _ in expected], got
    for (_, _, message), (_, _, fragment) in zip(got, expected):
        assert fragment in message, f"« {fragment} » absent de « {message} »"


@pytest.fixture
def assert_refused():
    """``assert_refused(validate_x(...), ("RULE-ID", "champ", "fragment du message"), ...)``."""
    return _check
