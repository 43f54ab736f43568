"""Code sources for sites the harness does not own (site profiles, ``codes`` table).

- ``SmtpCatcher``: an SMTP server (aiosmtpd) the harness starts; the site's
  recette mail is configured to go to it.
- ``MailpitSource``: a Mailpit or MailHog server's HTTP API.
- ``HttpSinkSource``: an HTTP endpoint the harness starts; the site's SMS gateway
  (recette) POSTs each message to it.
- ``CommandSource``: a shell command that prints the latest message for a recipient.
- ``MailboxRelay`` / ``RelaySource``: a listening source started once by
  ``moncompte check`` and read over HTTP by every pytest-xdist worker (only one
  process can listen on the profile's port).
Each waits with a timeout for the newest message to the right recipient sent
after the request (``CodeSource.wait_for_code``), and extracts the code with the
profile's regular expression.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import shlex
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
from aiosmtpd.controller import Controller

from moncompte.net import free_port
from moncompte.steps.codes import CodeSource, Message, now, parse_time, recipient_forms
from moncompte.steps.drivers.base import TargetError


class _Mailbox:
    """Messages received by a catcher, shared between its server thread and the steps."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._messages: list[Message] = []

    def add(self, message: Message) -> None:
        with self._lock:
            self._messages.append(message)

    def to(self, recipient: str) -> list[Message]:
        forms = {f.lower() for f in recipient_forms(recipient)}
        with self._lock:
            return [m for m in self._messages if m.to.lower() in forms]


def _text_of(raw: bytes) -> tuple[str, str]:
    """(subject, plain-text body) of a raw e-mail."""
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    part = parsed.get_body(preferencelist=("plain", "html"))
    body = part.get_content() if part is not None else ""
    return str(parsed.get("Subject", "")), body


class SmtpCatcher(CodeSource):
    """An SMTP server on ``host:port`` that keeps every message it receives."""

    def __init__(self, host: str = "127.0.0.1", port: int = 2525, pattern: str | None = None):
        super().__init__(*(p for p in (pattern,) if p))
        self.host, self.port = host, port or free_port(host)
        self._box = _Mailbox()
        self._controller = Controller(self, hostname=host, port=self.port)

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd handler hook
        subject, body = _text_of(envelope.original_content or envelope.content)
        for rcpt in envelope.rcpt_tos:
            self._box.add(Message(to=rcpt, body=body, sent_at=now(), channel="email", subject=subject))
        return "250 Message accepted for delivery"

    def start(self) -> "SmtpCatcher":
        try:
            self._controller.start()
        except Exception as exc:  # port taken, address not available
            raise TargetError(
                f"Impossible de démarrer le récepteur SMTP sur {self.host}:{self.port} ({exc})."
            ) from None
        return self

    def messages(self, recipient: str) -> list[Message]:
        return self._box.to(recipient)

    def close(self) -> None:
        self._controller.stop()


class MailpitSource(CodeSource):
    """Mailpit (``/api/v1``) or MailHog (``/api/v2``) HTTP API."""

    def __init__(
        self,
        base_url: str,
        flavour: str = "mailpit",
        pattern: str | None = None,
        transport: httpx.BaseTransport | None = None,
    ):
        super().__init__(*(p for p in (pattern,) if p))
        if flavour not in ("mailpit", "mailhog"):
            raise ValueError(f"Serveur de courrier inconnu : {flavour} (mailpit ou mailhog)")
        self.base_url, self.flavour = base_url.rstrip("/"), flavour
        self.client = httpx.Client(base_url=self.base_url, timeout=10, transport=transport)

    def _get(self, path: str, **params) -> dict:
        try:
            response = self.client.get(path, params=params)
        except httpx.TransportError as exc:
            raise TargetError(
                f"Le serveur de courrier {self.base_url} ne répond pas ({exc.__class__.__name__})."
            ) from None
        if response.status_code != 200:
            raise TargetError(f"GET {self.base_url}{path} a répondu {response.status_code}.")
        return response.json()

    def messages(self, recipient: str) -> list[Message]:
        if self.flavour == "mailhog":
            found = self._get("/api/v2/search", kind="to", query=recipient)
            return sorted(
                (
                    Message(
                        to=recipient,
                        body=item["Content"]["Body"],
                        sent_at=parse_time(item.get("Created")),
                        channel="email",
                        subject=(item["Content"]["Headers"].get("Subject") or [""])[0],
                    )
                    for item in found.get("items", [])
                ),
                key=lambda m: m.sent_at,
            )
        found = self._get("/api/v1/search", query=f'to:"{recipient}"')
        result = []
        for summary in found.get("messages", []):
            detail = self._get(f"/api/v1/message/{summary['ID']}")
            result.append(
                Message(
                    to=recipient,
                    body=detail.get("Text") or detail.get("HTML", ""),
                    sent_at=parse_time(summary.get("Created")),
                    channel="email",
                    subject=summary.get("Subject", ""),
                )
            )
        return sorted(result, key=lambda m: m.sent_at)

    def close(self) -> None:
        self.client.close()


class HttpSinkSource(CodeSource):
    """An HTTP endpoint receiving the SMS gateway's POSTs (JSON or form).

    ``to_field`` and ``body_field`` name the fields of the gateway's request.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 8025,
        path: str = "/sms",
        to_field: str = "to",
        body_field: str = "message",
        pattern: str | None = None,
    ):
        super().__init__(*(p for p in (pattern,) if p))
        self.host, self.port, self.path = host, port, path
        self._box = _Mailbox()
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8", "replace")
                if self.path.split("?")[0] != sink.path:
                    self.send_response(404)
                    self.end_headers()
                    return
                if "json" in (self.headers.get("Content-Type") or ""):
                    fields = json.loads(raw or "{}")
                else:
                    fields = {k: v[0] for k, v in parse_qs(raw).items()}
                to, body = str(fields.get(to_field, "")), str(fields.get(body_field, ""))
                if not to or not body:
                    self.send_response(400)
                    self.end_headers()
                    return
                sink._box.add(Message(to=to, body=body, sent_at=now(), channel="sms"))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *args):  # no access log: it would print phone numbers
                pass

        try:
            self._server = ThreadingHTTPServer((host, port), Handler)
        except OSError as exc:
            raise TargetError(f"Impossible d'écouter les SMS sur {host}:{port} ({exc}).") from None
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> "HttpSinkSource":
        self._thread.start()
        return self

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}{self.path}"

    def messages(self, recipient: str) -> list[Message]:
        return self._box.to(recipient)

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class CommandSource(CodeSource):
    """A shell command printing the latest message for ``{recipient}`` (e.g. reading an SMS log)."""

    def __init__(self, command: str, timeout: float = 10, pattern: str | None = None):
        super().__init__(*(p for p in (pattern,) if p))
        self.command, self.timeout = command, timeout

    def messages(self, recipient: str) -> list[Message]:
        line = self.command.replace("{recipient}", shlex.quote(recipient))
        try:
            done = subprocess.run(line, shell=True, capture_output=True, text=True, timeout=self.timeout)
        except subprocess.TimeoutExpired:
            raise TargetError(
                f"La commande de lecture des codes a dépassé {self.timeout:g} s : {self.command}"
            ) from None
        if done.returncode != 0:
            raise TargetError(
                f"La commande de lecture des codes a échoué (code {done.returncode}) : {done.stderr.strip()[:300]}"
            )
        body = done.stdout.strip()
        return [Message(to=recipient, body=body, sent_at=None)] if body else []


RELAY_ENV = "MONCOMPTE_CODES_RELAY"


def open_source(config, target: str | None = None, access=None) -> CodeSource:
    """The code source a profile's ``[codes]`` describes, started (listeners listen from here on): one
    source, or one per channel (``[codes.email]``, ``[codes.sms]``) read together (``ByChannel``).

    With ``MONCOMPTE_CODES_RELAY`` set (by ``moncompte check``), the messages are read from the
    relay of the sources the controller started. ``target``: the reference, whose outbox a channel
    may use (``access``: the profile's ``[acces]``, to reach it). Raises ``TargetError`` in French.
    """
    relay = os.environ.get(RELAY_ENV)
    if relay:
        return RelaySource(relay, config.pattern)
    by_channel = getattr(config, "by_channel", None)
    if by_channel is None:
        return _open_one(config, target, access)
    sources: dict[int, CodeSource] = {}
    channels = {}
    try:
        for channel, one in by_channel().items():
            if id(one) not in sources:
                sources[id(one)] = _open_one(one, target, access)
            channels[channel] = sources[id(one)]
    except BaseException:
        for source in sources.values():
            source.close()
        raise
    return channels["email"] if len(sources) == 1 else ByChannel(channels)


class ByChannel(CodeSource):
    """One source per channel, read together: a recipient with « @ » is an e-mail address."""

    def __init__(self, sources: dict[str, CodeSource]):
        super().__init__()
        self.sources = sources

    def source_for(self, recipient: str) -> CodeSource:
        return self.sources["email" if "@" in recipient else "sms"]

    def messages(self, recipient: str) -> list[Message]:
        return self.source_for(recipient).messages(recipient)

    @property
    def can_age(self) -> bool:  # type: ignore[override]
        return all(source.can_age for source in self.sources.values())

    def age_codes(self, recipient: str, seconds: int) -> None:
        self.source_for(recipient).age_codes(recipient, seconds)

    def close(self) -> None:
        for source in {id(s): s for s in self.sources.values()}.values():
            source.close()


def _open_one(config, target: str | None, access=None) -> CodeSource:
    if config.source == "outbox":
        from moncompte.steps.codes import OutboxCodeSource

        if not target:
            raise ValueError("source de codes outbox sans cible : elle se lit sur l'implémentation de référence")
        return OutboxCodeSource(target, config.pattern, access=access)
    if config.source == "smtp":
        return SmtpCatcher(config.host, config.port, config.pattern).start()
    if config.source == "http_sink":
        return HttpSinkSource(
            config.host, config.port, config.path, config.to_field, config.body_field, config.pattern
        ).start()
    if config.source in ("mailpit", "mailhog"):
        return MailpitSource(config.url or "", config.source, config.pattern)
    if config.source == "command":
        return CommandSource(config.command or "", config.timeout, config.pattern)
    raise ValueError(f"source de codes inconnue : {config.source}")


def _message_json(message: Message) -> dict:
    return {
        "to": message.to,
        "body": message.body,
        "channel": message.channel,
        "subject": message.subject,
        "sent_at": message.sent_at.isoformat() if message.sent_at else None,
    }


class MailboxRelay:
    """``GET /messages?to=RECIPIENT`` on 127.0.0.1: the messages of ``source`` as JSON, for other processes."""

    def __init__(self, source: CodeSource, host: str = "127.0.0.1"):
        relay = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server naming)
                parts = urlsplit(self.path)
                recipient = (parse_qs(parts.query).get("to") or [""])[0]
                if parts.path != "/messages" or not recipient:
                    self.send_response(404)
                    self.end_headers()
                    return
                try:
                    payload = [_message_json(m) for m in relay.source.messages(recipient)]
                    status = 200
                except TargetError as exc:
                    payload, status = {"erreur": str(exc)}, 502
                body = json.dumps(payload, ensure_ascii=False).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):  # no access log: it would print recipients
                pass

        self.source = source
        self._server = ThreadingHTTPServer((host, 0), Handler)
        self.url = f"http://{host}:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class RelaySource(CodeSource):
    """The messages of a source started in another process, read from its ``MailboxRelay``."""

    def __init__(self, url: str, pattern: str | None = None):
        super().__init__(*(p for p in (pattern,) if p))
        self.url = url.rstrip("/")
        self.client = httpx.Client(base_url=self.url, timeout=10)

    def messages(self, recipient: str) -> list[Message]:
        try:
            response = self.client.get("/messages", params={"to": recipient})
        except httpx.TransportError as exc:
            raise TargetError(f"Le relais des codes {self.url} ne répond pas ({exc.__class__.__name__}).") from None
        if response.status_code != 200:
            detail = response.json().get("erreur", "") if response.status_code == 502 else ""
            raise TargetError(f"Le relais des codes {self.url} a répondu {response.status_code}. {detail}".strip())
        return [
            Message(
                to=m["to"], body=m["body"], sent_at=parse_time(m["sent_at"]), channel=m["channel"], subject=m["subject"]
            )
            for m in response.json()
        ]

    def close(self) -> None:
        self.client.close()
