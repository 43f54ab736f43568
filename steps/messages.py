"""How a refusal's message is checked: the reference's words on the reference, the site's elsewhere.

The features quote the reference's messages (``rules/messages.py``): that is the example a
product owner reads. The guide prescribes no wording, so:

- on the reference (``exact``), the message is checked word for word; a message written with a
  rule's parameter (« entre {min} et {max} caractères ») gets the values in force; a message
  written with the guide's values for a rule whose values the profile changes is checked with
  the values in force (the reference, started with the profile, says those);
- on another site, the site's own text for that message ID when the profile gives one
  (``[messages]``: a text, or ``/regular expression/``), with the parameters' values put in;
- otherwise, the refusal itself: a message is shown, and it is tied to the refused field (the
  field is marked invalid, or the message is beside it: ``Outcome.field_messages``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from moncompte.rules import messages as catalogue
from moncompte.rules.model import Settings
from moncompte.steps.drivers.base import Outcome


def _shown(outcome: Outcome) -> str:
    return " | ".join(outcome.messages) or "(aucun message)"


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


class MessageCheck:
    """Checks that a refused ``Outcome`` shows the message a feature quotes (see the module)."""

    def __init__(self, exact: bool, settings: Settings, site_messages: Mapping[str, str] | None = None):
        self.exact = exact
        self.settings = settings
        self.site_messages = dict(site_messages or {})

    def expected(self, written: str) -> tuple[catalogue.Message, str]:
        """The catalogue's message a feature quotes, and its words on the reference with the values in force."""
        try:
            message = catalogue.find(written)
        except KeyError as exc:
            raise AssertionError(f"Erreur du scénario : {exc.args[0]}") from None
        values = self.settings[message.parameters_rule]
        if "{" not in written and any(self.settings.is_overridden(message.parameters_rule, name) for name in values):
            return message, catalogue.render(message.text, dict(values))  # written for the guide's values
        return message, catalogue.render(written, dict(values))

    def check_id(self, outcome: Outcome, message_id: str, **values: object) -> None:
        """``check`` for the catalogue's message ``message_id`` with the values in force."""
        self.check(outcome, catalogue.BY_ID[message_id].text, **values)

    def check(self, outcome: Outcome, written: str, **values: object) -> None:
        """AssertionError (in French) when ``outcome`` does not show the message ``written`` means.

        ``values``: values of the moment for the message's other placeholders (``restants=2``)."""
        message, expected = self.expected(written)
        expected = catalogue.render(expected, values)
        if self.exact:
            assert _matches(expected, outcome.messages), (
                f"Message attendu : « {expected} »\nMessages affichés : {_shown(outcome)}"
            )
            return
        if message.id in self.site_messages:
            site = catalogue.render(self.site_messages[message.id], dict(self.settings[message.parameters_rule]))
            assert _matches(site, outcome.messages), (
                f"Message attendu (profil, [messages] {message.id}) : « {site} »\nMessages affichés : {_shown(outcome)}"
            )
            return
        assert any(m.strip() for m in outcome.messages), (
            f"Refus sans message pour la personne (attendu un message comme « {expected} », identifiant {message.id})"
        )
        if message.field is not None:
            tied = message.field in outcome.invalid_fields or bool(outcome.field_messages.get(message.field))
            assert tied, (
                f"Le message n'est pas rattaché au champ refusé « {message.field} » (ni champ marqué invalide,"
                f" ni message à côté du champ) ; messages affichés : {_shown(outcome)} ; champs marqués :"
                f" {', '.join(outcome.invalid_fields) or 'aucun'}"
            )


def _matches(expected: str, shown: list[str]) -> bool:
    """A ``/regular expression/`` found in a message, or a text contained in one (spaces and apostrophes
    aside); placeholders left in the text (a value of the moment: ``{secondes}``) match anything."""
    regex = re.fullmatch(r"/(.+)/(i?)", expected, flags=re.DOTALL)
    if regex:
        pattern = re.compile(regex.group(1), re.IGNORECASE if regex.group(2) else 0)
    else:
        parts = re.split(r"(\{[^{}]+\})", _normal(expected))
        pattern = re.compile(
            "".join(("s?" if p == "{s}" else ".+?") if p.startswith("{") else re.escape(p) for p in parts), re.DOTALL
        )
    return any(pattern.search(_normal(m)) for m in shown)


__all__ = ["MessageCheck"]
