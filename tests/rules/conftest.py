"""Shared helper for the rule tests: compare refusals with literal expectations."""

from __future__ import annotations

import pytest

from rules.model import Refusal


def _check(refusals: list[Refusal], *expected: tuple[str, str]) -> None:
    """``expected``: (rule ID, a fragment of the French message), in order; none means accepted."""
    got = [(r.rule_id, r.message) for r in refusals]
    assert [rule_id for rule_id, _ in got] == [rule_id for rule_id, _ in expected], got
    for (_, message), (_, fragment) in zip(got, expected):
        assert fragment in message, f"« {fragment} » absent de « {message} »"


@pytest.fixture
def assert_refused():
    """``assert_refused(validate_x(...), ("RULE-ID", "fragment du message"), ...)``."""
    return _check
