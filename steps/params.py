"""Examples written relative to a rule's parameters, and examples of the guide judged by the site's values.

The guide's values are the catalogue's defaults; a site profile may state its own
(``[parameters.RULE]``). The features stay written for a reader:

- an example may name a parameter (``min``, ``max + 1``, ``essais_max − 1``): ``resolve`` gives
  its value on the site;
- a step whose words state a parameter's value (« un code de 6 chiffres », « dans les 30
  secondes ») means that parameter: ``site_value`` gives the site's value when the profile
  changes it, the written one otherwise;
- a literal example of the guide (a 10-character password accepted) that the site's values
  contradict (12 characters at least) is judged by the site's values, not skipped: the step that
  checks its outcome checks the opposite one and ends the scenario with ``Reclassified``, whose
  note says why (the report shows it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from moncompte.rules.model import Settings


class Reclassified(Exception):
    """The example's outcome was checked as the site's values decide it; ``note`` says how (French).

    Raised by the step that made that check: the scenario ends there, passed (``steps/conftest.py``).
    """

    def __init__(self, note: str):
        super().__init__(note)
        self.note = note


_EXPRESSION = re.compile(r"\s*(?P<name>[a-z_]+|\d+)\s*(?:(?P<op>[-+−])\s*(?P<n>\d+))?\s*")


def resolve(expression: str, values: Mapping[str, Any]) -> int:
    """``"min − 1"``, ``"max + 1"``, ``"essais_max"`` or ``"12"`` → its value with ``values`` (a rule's
    parameters on the site). ``ValueError`` (in French) for what is neither."""
    match = _EXPRESSION.fullmatch(expression)
    if not match:
        raise ValueError(f"exemple non reconnu : « {expression} » (attendu : un nombre, ou un paramètre ± un nombre)")
    name = match.group("name")
    if name.isdigit():
        base = int(name)
    elif name in values:
        base = int(values[name])
    else:
        raise ValueError(f"paramètre inconnu dans l'exemple « {expression} » (paramètres : {', '.join(values)})")
    if match.group("op"):
        step = int(match.group("n"))
        base = base + step if match.group("op") == "+" else base - step
    return base


def site_value(settings: Settings, rule_id: str, name: str, written: int) -> int:
    """The value a step's words state for ``rule_id.name``: the site's when its profile changes it."""
    return int(settings[rule_id][name]) if settings.is_overridden(rule_id, name) else written


def overridden(settings: Settings, *rule_ids: str) -> bool:
    """Whether the profile changes a parameter of one of ``rule_ids``."""
    return any(settings.is_overridden(rule_id, name) for rule_id in rule_ids for name in settings[rule_id])


# ── the guide's literal examples, judged by the site's values ─────────────────
Failure = tuple[str, str, str]  # (rule ID, why, message ID of rules/messages.py)


def judge(failures_with, site: Settings) -> tuple[str, Failure | None] | None:
    """How the site's values judge a literal example of the guide, when they judge it otherwise.

    ``failures_with(settings)`` lists the parameter checks the example fails with ``settings``.
    ``None``: the profile changes nothing that matters to this example (the feature's outcome
    holds). Else ``("refusée", failure)`` (the guide accepts it, the site's values refuse it) or
    ``("acceptée", None)`` (the guide refuses it for a value the site's values allow).
    """
    from moncompte.rules import DEFAULTS

    by_guide, by_site = failures_with(DEFAULTS), failures_with(site)
    if [f[0] for f in by_guide] == [f[0] for f in by_site]:
        return None
    if by_site:
        return "refusée", by_site[0]
    return "acceptée", None


__all__ = ["Failure", "Reclassified", "judge", "overridden", "resolve", "site_value"]
