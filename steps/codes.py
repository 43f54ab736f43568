"""Code sources: where the harness reads the confirmation code the target sent.

A ``CodeSource`` waits for the message sent to a recipient after a given time
and extracts the code with a regular expression (default: the first group of
6 digits). The reference target exposes its outbox in test mode
(``GET /__outbox__?to=``); other sources (SMTP catcher, Mailpit…) come with the
site profiles.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import httpx
import phonenumbers

from moncompte.steps.drivers.base import NotApplicable, NotRun, TargetError
from moncompte.steps.target_access import client_options

DEFAULT_CODE_PATTERN = r"\b(\d{6})\b"
ANY_CODE = re.compile(r"(?<!\d)(\d{4,10})(?!\d)")  # a code of any usual length
POLL_INTERVAL = 0.05  # seconds between two looks at the outbox
CLOCK_TOLERANCE = timedelta(seconds=1)  # the target's clock may lag the harness's a little


@dataclass(frozen=True)
class Message:
    """A message the target sent. ``channel`` is ``email`` or ``sms`` when the source knows it."""

    to: str
    body: str
    sent_at: datetime | None = None
    channel: str | None = None
    subject: str = ""


# How long the codes of this process took to come, from the request to their arrival (the site's pace).
DELIVERY_TIMES: list[float] = []


def now() -> datetime:
    return datetime.now(timezone.utc)


def let_time_pass(seconds: float) -> None:
    """Wait until ``seconds`` of real time have passed: how a code that cannot be aged gets older on a
    site the harness does not own (within the profile's ``[codes] attente_max``)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(POLL_INTERVAL)


class CodeSource(ABC):
    """Where the confirmation codes of a target can be read."""

    def __init__(self, pattern: str = DEFAULT_CODE_PATTERN):
        self.pattern = re.compile(pattern)
        self._seen: set[tuple[str, str, str]] = set()

    @abstractmethod
    def messages(self, recipient: str) -> list[Message]:
        """Messages sent to ``recipient``, oldest first."""

    def close(self) -> None:
        """Stop listening, close clients (nothing to do by default)."""

    can_age = False  # whether ``age_codes`` can make a code older (a test clock of the target)

    def age_codes(self, recipient: str, seconds: int) -> None:
        """Make the codes and sends to ``recipient`` ``seconds`` older (expiry, resend delay)."""
        raise NotRun("cette source de codes ne sait pas faire vieillir un code")

    def wait_for_message(self, recipient: str, after: datetime, timeout: float) -> Message:
        """The newest message to ``recipient`` sent after ``after`` and not returned before.

        Polls every ``POLL_INTERVAL`` seconds up to ``timeout``; raises ``TimeoutError``
        (with a French message) when none came.
        """
        deadline = time.monotonic() + timeout
        while True:
            fresh = [
                m
                for m in self.messages(recipient)
                if (m.sent_at is None or m.sent_at >= after - CLOCK_TOLERANCE) and self._key(m) not in self._seen
            ]
            if fresh:
                message = fresh[-1]
                self._seen.update(self._key(m) for m in fresh)
                DELIVERY_TIMES.append(max((now() - after).total_seconds(), 0.0))
                return message
            if time.monotonic() >= deadline:
                raise TimeoutError(f"Aucun message reçu par {recipient} en {timeout:g} secondes.")
            time.sleep(POLL_INTERVAL)

    def wait_for_code(self, recipient: str, after: datetime, timeout: float) -> str:
        """The code of the newest message to ``recipient`` sent after ``after``."""
        message = self.wait_for_message(recipient, after, timeout)
        code = self.extract(message.body)
        if code is None:
            raise TargetError(
                f"Le message envoyé à {recipient} ne contient pas de code reconnu"
                f" (motif {self.pattern.pattern}) : « {message.body} »"
            )
        return code

    def extract(self, body: str) -> str | None:
        """The code in ``body`` by the profile's pattern; else the first run of 4 to 10 digits (a code of
        another length than the site's is CODE-FORMAT's to say, not a reason to stop the scenario)."""
        match = self.pattern.search(body) or ANY_CODE.search(body)
        if match is None:
            return None
        return match.group(1) if match.groups() else match.group(0)

    @staticmethod
    def _key(message: Message) -> tuple[str, str, str]:
        return (message.to, message.body, message.sent_at.isoformat() if message.sent_at else "")


def recipient_forms(recipient: str) -> list[str]:
    """The forms a target may file a recipient under: as typed, and E.164 for a telephone number."""
    forms = [recipient.strip()]
    if "@" not in recipient:
        for region in ("FR", "RE", "GP", "MQ", "GF", "YT", "PM"):
            try:
                number = phonenumbers.parse(recipient, region)
            except phonenumbers.NumberParseException:
                break
            if phonenumbers.is_valid_number(number):
                e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
                if e164 not in forms:
                    forms.append(e164)
                break
    elif recipient.strip().lower() not in forms:
        forms.append(recipient.strip().lower())
    return forms


def parse_time(value: str | None) -> datetime | None:
    """An ISO 8601 time; a time without zone is taken as UTC."""
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)


class OutboxCodeSource(CodeSource):
    """The reference target's outbox (test mode): ``GET /__outbox__?to=``."""

    def __init__(
        self, base_url: str, pattern: str = DEFAULT_CODE_PATTERN, client: httpx.Client | None = None, access=None
    ):
        super().__init__(pattern)
        self.base_url = base_url.rstrip("/")
        self.client = client or httpx.Client(
            base_url=self.base_url, timeout=10, **client_options(access, self.base_url)
        )

    def _request(self, method: str, path: str, **kwargs) -> httpx.Response:
        try:
            return self.client.request(method, path, **kwargs)
        except httpx.TransportError as exc:
            raise TargetError(f"La cible {self.base_url} ne répond pas ({exc.__class__.__name__}).") from None

    def messages(self, recipient: str) -> list[Message]:
        found: list[Message] = []
        for form in recipient_forms(recipient):
            response = self._request("GET", "/__outbox__", params={"to": form})
            if response.status_code == 404:
                raise NotApplicable(
                    f"la cible {self.base_url} n'expose pas de boîte d'envoi /__outbox__ (mode test) :"
                    " indiquez une source de codes dans le profil"
                )
            if response.status_code != 200:
                raise TargetError(f"GET {self.base_url}/__outbox__ a répondu {response.status_code}.")
            for item in response.json():
                message = Message(
                    to=item.get("to", form),
                    body=item.get("body", ""),
                    sent_at=parse_time(item.get("sent_at")),
                    channel=item.get("channel"),
                    subject=item.get("subject", ""),
                )
                if message not in found:
                    found.append(message)
        found.sort(key=lambda m: m.sent_at or datetime.min.replace(tzinfo=timezone.utc))
        return found

    can_age = True

    def age_codes(self, recipient: str, seconds: int) -> None:
        # Age once, under the form the outbox files the recipient under (aging each
        # form could age the same code twice on a target that normalises both).
        forms = recipient_forms(recipient)
        filed = next((m.to for m in self.messages(recipient)), forms[0])
        response = self._request("POST", "/__test__/vieillir-codes", json={"to": filed, "secondes": seconds})
        if response.status_code in (404, 405):
            raise NotRun(
                f"la cible {self.base_url} n'a pas de route /__test__/vieillir-codes :"
                " impossible de faire vieillir un code sans horloge de test"
            )
        if response.status_code >= 400:
            raise TargetError(
                f"POST {self.base_url}/__test__/vieillir-codes a répondu {response.status_code} : {response.text}"
            )

    def close(self) -> None:
        self.client.close()
