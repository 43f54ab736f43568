"""The Mon Compte rule catalogue and its pure validators (no I/O).

``rules.catalogue.RULES`` lists every rule; ``rules.catalogue.settings(overrides)``
gives effective parameters; the validators live in one module per guide step.
"""

from moncompte.rules.catalogue import BY_ID, DEFAULTS, RULES, get, settings
from moncompte.rules.model import Level, Parameter, Refusal, Rule, Settings, Step

__all__ = [
    "BY_ID",
    "DEFAULTS",
    "RULES",
    "Level",
    "Parameter",
    "Refusal",
    "Rule",
    "Settings",
    "Step",
    "get",
    "settings",
]
