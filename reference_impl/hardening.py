"""Web hardening of the reference implementation: CSRF, security headers, cookie flags, login throttling.

- **CSRF (pages)**: a synchronizer token bound to the browser by the HttpOnly cookie ``csrf`` (random,
  256 bits, set on the first response that lacks it). Every POST form carries it in the hidden field
  ``csrf`` (``macros.html``: ``m.csrf(request)``). A page POST (any unsafe method outside ``/api/`` and
  the test routes) without the cookie, without the field or with a field that differs is refused with a
  ``403`` page in French before the app sees it: nothing is done.
- **CSRF (JSON API)**: ``POST``/``PUT``/``PATCH`` under ``/api/`` (and the test routes) must be sent with
  ``Content-Type: application/json``; a cross-site form can only send ``application/x-www-form-urlencoded``,
  ``multipart/form-data`` or ``text/plain`` (anything else needs a CORS preflight, which this site never
  allows). Otherwise: ``422`` (« not JSON at all », as the contract says), nothing done. ``DELETE`` cannot
  be sent by a form at all.
- **Headers on every response**: ``Content-Security-Policy`` (``default-src 'self'``, ``frame-ancestors
  'none'``, ``form-action 'self'`` plus the FranceConnect provider's origin when configured, the inline
  style of ``base.html`` allowed by a per-response nonce; the Swagger pages ``/docs`` and ``/redoc`` load
  their script from a CDN and get no CSP), ``X-Content-Type-Options: nosniff``, ``Referrer-Policy:
  same-origin``, ``X-Frame-Options: DENY``.
- **Cookies**: every cookie the app sets is HttpOnly and SameSite=Lax (``api.set_session_cookie``,
  ``pages``); this middleware adds ``Secure`` when the request came over HTTPS: the request's own scheme,
  or ``X-Forwarded-Proto: https`` sent by a *trusted proxy* (``create_app(trusted_proxies=…)``, ``moncompte
  serve --trusted-proxy IP``), never by anyone else.
- **Login throttling** (``login``): failed logins are counted in the database (table ``login_failures``,
  keyed by a hash of the identifier typed, or of the client's IP) over a sliding window; past the limit
  the login is refused with ``429`` and a French message, *before* the password is checked, for a known
  and an unknown identifier alike (no enumeration; the service already spends one argon2 verification on
  a dummy hash for an unknown identifier, so an unthrottled refusal costs the same for both).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime, timedelta
from http.cookies import SimpleCookie
from typing import Any, Callable, Iterable
from urllib.parse import urlsplit

from sqlalchemy import DateTime, Integer, String, delete, func, select
from sqlalchemy.orm import Mapped, mapped_column, sessionmaker
from starlette.requests import Request
from starlette.responses import JSONResponse

from moncompte.reference_impl.db import Base, utcnow
from moncompte.reference_impl.service import Refused, normalize_identifier
from moncompte.rules import Refusal

CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
NO_CSP_PATHS = ("/docs", "/redoc")  # Swagger UI / ReDoc: script and style from a CDN, inline script

MSG_CSRF = (
    "Votre demande a été refusée : le formulaire a expiré ou ne provient pas de ce site. "
    "Rechargez la page et recommencez."
)
MSG_JSON_REQUIS = "Requête invalide : le corps de la requête doit être du JSON (Content-Type: application/json)."
MSG_TROP_DE_TENTATIVES = (
    "Trop de tentatives de connexion ont échoué. Pour protéger votre compte, réessayez dans 15 minutes."
)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")


# ── login throttling ──────────────────────────────────────────────────────────
class LoginFailure(Base):
    """One failed login, counted against the identifier typed and against the client (hashed keys)."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(DateTime, index=True)


class LoginThrottle:
    """After ``per_account`` failures for one identifier, or ``per_client`` from one client, within
    ``window``: refused until the oldest of them leaves the window. State in the database."""

    def __init__(
        self,
        sessions: sessionmaker,
        *,
        per_account: int = 5,
        per_client: int = 100,
        window: timedelta = timedelta(minutes=15),
    ):
        self.sessions, self.per_account, self.per_client, self.window = sessions, per_account, per_client, window

    @staticmethod
    def _key(kind: str, value: str) -> str:
        # Hashed: an identifier typed by mistake (someone else's NIR) is not kept in clear.
        return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()

    def _keys(self, identifiant: str | None, client: str) -> tuple[str, str]:
        return self._key("compte", normalize_identifier(identifiant)), self._key("client", client)

    def blocked(self, identifiant: str | None, client: str) -> bool:
        account_key, client_key = self._keys(identifiant, client)
        since = utcnow() - self.window
        with self.sessions.begin() as db:

            def count(key: str) -> int:
                return db.scalar(
                    select(func.count())
                    .select_from(LoginFailure)
                    .where(LoginFailure.key == key, LoginFailure.failed_at > since)
                )

            return count(account_key) >= self.per_account or count(client_key) >= self.per_client

    def failed(self, identifiant: str | None, client: str) -> None:
        now = utcnow()
        with self.sessions.begin() as db:
            db.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - self.window))
            db.add_all([LoginFailure(key=key, failed_at=now) for key in self._keys(identifiant, client)])

    def succeeded(self, identifiant: str | None) -> None:
        """A right password clears that identifier's failures (not the client's)."""
        with self.sessions.begin() as db:
            db.execute(
                delete(LoginFailure).where(LoginFailure.key == self._key("compte", normalize_identifier(identifiant)))
            )


def login(request: Request, identifiant: str | None, password: str | None, prestation: str | None = None) -> str:
    """``Service.login`` behind the throttle (pages and API): a new session id, or ``Refused``."""
    throttle: LoginThrottle = request.app.state.login_throttle
    client = request.scope.get("state", {}).get("client_ip") or client_ip(request.scope, ())
    if throttle.blocked(identifiant, client):
        raise Refused(429, Refusal("SEC-CONNEXION-LIMITEE", "identifiant", MSG_TROP_DE_TENTATIVES))
    try:
        session_id = request.app.state.service.login(identifiant, password, prestation)
    except Refused as refused:
        if refused.status == 401:
            throttle.failed(identifiant, client)
        raise
    throttle.succeeded(identifiant)
    return session_id


# ── request facts, trusted proxies ────────────────────────────────────────────
def _header(scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.decode("latin-1")
    return None


def _peer(scope) -> str:
    client = scope.get("client")
    return client[0] if client else ""


def client_ip(scope, trusted_proxies: Iterable[str]) -> str:
    """The peer, or behind trusted proxies the last address of ``X-Forwarded-For`` they did not add."""
    trusted = set(trusted_proxies)
    peer = _peer(scope)
    if peer not in trusted:
        return peer
    forwarded = [a.strip() for a in (_header(scope, b"x-forwarded-for") or "").split(",") if a.strip()]
    for address in reversed(forwarded):
        if address not in trusted:
            return address
    return forwarded[0] if forwarded else peer


def is_https(scope, trusted_proxies: Iterable[str]) -> bool:
    if scope.get("scheme") in ("https", "wss"):
        return True
    if _peer(scope) in set(trusted_proxies):
        proto = (_header(scope, b"x-forwarded-proto") or "").split(",")[0].strip().lower()
        return proto == "https"
    return False


def origin(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else None


# ── the middleware ────────────────────────────────────────────────────────────
class HardeningMiddleware:
    """CSRF check, security headers and cookie flags for every HTTP request (pure ASGI)."""

    def __init__(
        self,
        app,
        *,
        refusal_page: Callable[[Any, Any], Any],
        trusted_proxies: Iterable[str] = (),
        form_action_origins: Iterable[str] = (),
    ):
        """``refusal_page(scope, receive)``: the response to a form posted from another site (the pages
        module's French error page; given by the app, so that this module does not import the pages)."""
        self.app = app
        self.refusal_page = refusal_page
        self.trusted_proxies = tuple(trusted_proxies)
        self.form_action = " ".join(["'self'", *[o for o in form_action_origins if o]])

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        https = is_https(scope, self.trusted_proxies)
        cookie = SimpleCookie()
        try:
            cookie.load(_header(scope, b"cookie") or "")
        except Exception:  # noqa: BLE001 - a malformed Cookie header: as if none
            cookie = SimpleCookie()
        token = cookie[CSRF_COOKIE].value if CSRF_COOKIE in cookie else None
        token_is_new = not (token and _TOKEN.fullmatch(token))
        if token_is_new:
            token = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(16)
        state = scope.setdefault("state", {})
        state.update(csrf_token=token, csp_nonce=nonce, https=https, client_ip=client_ip(scope, self.trusted_proxies))
        path = scope["path"]

        async def send_hardened(message):
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])]
                if https:
                    headers = [(k, _secure(v)) if k.lower() == b"set-cookie" else (k, v) for k, v in headers]
                if token_is_new:
                    headers.append((b"set-cookie", _cookie_header(CSRF_COOKIE, token, https)))
                headers += self._security_headers(path, nonce)
                message = {**message, "headers": headers}
            await send(message)

        method = scope["method"]
        if method in UNSAFE_METHODS:
            if path.startswith(("/api/", "/__")):
                if method in BODY_METHODS and _media_type(scope) != "application/json":
                    response = JSONResponse(
                        {"erreurs": [{"regle": None, "champ": None, "message": MSG_JSON_REQUIS}]}, status_code=422
                    )
                    return await response(scope, receive, send_hardened)
            else:
                body = await _read_body(receive)
                replay = _replayer(body, receive)
                sent = None
                if not token_is_new:
                    try:
                        form = await Request(scope, replay()).form()
                        sent = form.get(CSRF_FIELD)
                        await form.close()
                    except Exception:  # noqa: BLE001 - not a form at all: no token
                        sent = None
                if not (isinstance(sent, str) and hmac.compare_digest(sent.encode(), token.encode())):
                    response = self.refusal_page(scope, replay())
                    return await response(scope, replay(), send_hardened)
                return await self.app(scope, replay(), send_hardened)
        return await self.app(scope, receive, send_hardened)

    def _security_headers(self, path: str, nonce: str) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
        ]
        if not path.startswith(NO_CSP_PATHS):
            csp = (
                f"default-src 'self'; style-src 'self' 'nonce-{nonce}'; base-uri 'self'; object-src 'none'; "
                f"frame-ancestors 'none'; form-action {self.form_action}"
            )
            headers.append((b"content-security-policy", csp.encode()))
        return headers


def _media_type(scope) -> str:
    return (_header(scope, b"content-type") or "").split(";")[0].strip().lower()


async def _read_body(receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            break
    return b"".join(chunks)


def _replayer(body: bytes, receive):
    """A fresh ``receive`` giving the buffered body once, then whatever the client sends (disconnect)."""

    def make():
        done = False

        async def replay():
            nonlocal done
            if not done:
                done = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return replay

    return make


def _cookie_header(name: str, value: str, secure: bool) -> bytes:
    return f"{name}={value}; HttpOnly; Path=/; SameSite=lax{'; Secure' if secure else ''}".encode()


def _secure(set_cookie: bytes) -> bytes:
    if b"secure" in [part.strip().lower() for part in set_cookie.split(b";")]:
        return set_cookie
    return set_cookie + b"; Secure"
