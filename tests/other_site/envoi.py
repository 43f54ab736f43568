"""Envoi du code de confirmation : courriel (SMTP) ou SMS (passerelle HTTP JSON)."""
from __future__ import annotations

import smtplib
import threading
from email.message import EmailMessage

import httpx


class Expediteur:
    def __init__(self, smtp_host: str | None, smtp_port: int | None, sms_url: str | None,
                 delai: float = 0.0, validite: str = "15 minutes"):
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self.sms_url = sms_url
        self.delai = delai  # > 0 : écart « code-delai »
        self.validite = validite  # « 15 minutes », dite dans le message

    def _courriel(self, adresse: str, code: str) -> None:
        msg = EmailMessage()
        msg["From"] = "Caf - Espace personnel <ne-pas-repondre@caf-recette.test>"
        msg["To"] = adresse
        msg["Subject"] = "Votre code de confirmation Caf"
        msg.set_content(
            "Bonjour,\n\n"
            "Pour créer votre espace personnel Caf, saisissez ce code de confirmation :\n\n"
            f"Code : {code}\n\n"
            f"Ce code est valable {self.validite} et ne peut être utilisé qu'une seule fois.\n"
            "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.\n\n"
            "La Caf (site de recette)\n", cte="quoted-printable")
        with smtplib.SMTP(self.smtp_host or "127.0.0.1", self.smtp_port or 25, timeout=10) as smtp:
            smtp.send_message(msg)

    def _sms(self, destinataire: str, code: str) -> None:
        if not self.sms_url:
            raise RuntimeError("passerelle SMS non configurée")
        r = httpx.post(self.sms_url, json={"destinataire": destinataire,
                                           "texte": f"Caf : votre code est {code}. Il est valable {self.validite}."},
                       timeout=10)
        r.raise_for_status()

    def envoyer(self, canal: str, destinataire: str, code: str) -> bool:
        """Envoie le code ; renvoie False si l'envoi immédiat a échoué."""
        action = (lambda: self._courriel(destinataire, code)) if canal == "email" else (
            lambda: self._sms(destinataire, code))
        if self.delai > 0:
            def differe() -> None:
                try:
                    action()
                except Exception:  # noqa: BLE001 - file d'attente : l'échec est silencieux
                    pass
            t = threading.Timer(self.delai, differe)
            t.daemon = True
            t.start()
            return True
        try:
            action()
        except Exception:  # noqa: BLE001
            return False
        return True
