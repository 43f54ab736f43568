"""Code delivery: SMTP for e-mail, an HTTP gateway for SMS, and by default an outbox in the database."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage

import httpx
from sqlalchemy.orm import Session

from moncompte.reference_impl.db import OutboxMessage, utcnow

SENDER = "Mon Compte <ne-pas-repondre@moncompte.invalid>"
SUBJECT = "Votre code de confirmation Mon Compte"


class DeliveryError(Exception):
    """The message could not be handed over to the e-mail or SMS service."""


@dataclass(frozen=True)
class Message:
    to: str
    channel: str  # "email" or "sms"
    subject: str
    body: str


def code_message(to: str, channel: str, code: str, validity_minutes: int) -> Message:
    body = (
        f"Votre code de confirmation Mon Compte : {code}\n"
        f"Il est valable {validity_minutes} minutes et ne sert qu'une fois. Ne le communiquez à personne."
    )
    return Message(to=to, channel=channel, subject=SUBJECT, body=body)


@dataclass
class Delivery:
    """Sends a message on its channel; without SMTP host or SMS gateway, keeps it in the outbox.

    The outbox is written in the caller's transaction (``stage``). A message for a real service is
    handed over only after the caller has committed (``deliver``): a slow or silent mail server then
    holds no database lock, so nobody else's registration waits behind it. ``keep_codes`` False (the
    server outside test mode, where nobody reads the outbox): the outbox keeps a message without
    its code.
    """

    smtp_host: str | None = None
    smtp_port: int = 25
    sms_gateway_url: str | None = None
    keep_codes: bool = True

    def stage(self, db: Session, message: Message, secret: str) -> bool:
        """True when the message is kept in the outbox (done); False: ``deliver`` it after the commit."""
        if self._service_for(message.channel):
            return False
        body = message.body if self.keep_codes else message.body.replace(secret, "•" * len(secret))
        db.add(
            OutboxMessage(to=message.to, channel=message.channel, subject=message.subject, body=body, sent_at=utcnow())
        )
        return True

    def deliver(self, message: Message) -> None:
        """Hand the message over to the e-mail or SMS service (``DeliveryError`` when it cannot)."""
        try:
            if message.channel == "email":
                self._smtp(message)
            else:
                self._sms(message)
        except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
            raise DeliveryError(type(exc).__name__) from exc

    def send(self, db: Session, message: Message, secret: str) -> None:
        """``stage``, then ``deliver`` at once (only for callers that hold no lock)."""
        if not self.stage(db, message, secret):
            self.deliver(message)

    def _service_for(self, channel: str) -> bool:
        return bool(self.smtp_host if channel == "email" else self.sms_gateway_url)

    def _smtp(self, message: Message) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = SENDER, message.to, message.subject
        email.set_content(message.body)
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=10) as smtp:
            smtp.send_message(email)

    def _sms(self, message: Message) -> None:
        response = httpx.post(self.sms_gateway_url, json={"to": message.to, "message": message.body}, timeout=10)
        response.raise_for_status()
