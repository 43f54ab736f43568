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
    """Sends a message on its channel; without SMTP host or SMS gateway, keeps it in the outbox."""

    smtp_host: str | None = None
    smtp_port: int = 25
    sms_gateway_url: str | None = None

    def send(self, db: Session, message: Message) -> None:
        try:
            if message.channel == "email" and self.smtp_host:
                self._smtp(message)
            elif message.channel == "sms" and self.sms_gateway_url:
                self._sms(message)
            else:
                db.add(
                    OutboxMessage(
                        to=message.to,
                        channel=message.channel,
                        subject=message.subject,
                        body=message.body,
                        sent_at=utcnow(),
                    )
                )
        except (OSError, smtplib.SMTPException, httpx.HTTPError) as exc:
            raise DeliveryError(type(exc).__name__) from exc

    def _smtp(self, message: Message) -> None:
        email = EmailMessage()
        email["From"], email["To"], email["Subject"] = SENDER, message.to, message.subject
        email.set_content(message.body)
        with smtplib.SMTP(self.smtp_host, self.smtp_port, timeout=10) as smtp:
            smtp.send_message(email)

    def _sms(self, message: Message) -> None:
        response = httpx.post(self.sms_gateway_url, json={"to": message.to, "message": message.body}, timeout=10)
        response.raise_for_status()
