"""Web hardening of the reference implementation: CSRF, security headers, cookie flags, body size,
login throttling.

- **CSRF (pages)**: a synchronizer token bound to the browser by the HttpOnly cookie ``csrf`` (random,
  256 bits, set on the first response that lacks it). Every POST form carries it in the hidden field
  ``csrf`` (``macros.html``: ``m.csrf(request)``). A page POST (any unsafe method outside ``/api/`` and
  the test routes) without the cookie, without the field or with a field that differs is refused with a
  ``403`` page in French before the app sees it: nothing is done. The token is bound to the session:
  once the browser holds a session cookie, the token its forms carry is no longer the ``csrf`` cookie
  itself but an HMAC-SHA256 of the session id keyed by it (``bound_token``). Whoever can plant a ``csrf``
  cookie (a sibling subdomain, a page over plain HTTP) knows the cookie, not the session id (HttpOnly,
  never in a page): the field they would forge is refused. A response that sets or deletes the session
  cookie (login, logout) also sets a new ``csrf`` cookie, so a token known before the login is worthless
  after it.
- **CSRF (JSON API)**: ``POST``/``PUT``/``PATCH`` under ``/api/`` (and the test routes) must be sent with
  ``Content-Type: application/json``; a cross-site form can only send ``application/x-www-form-urlencoded``,
  ``multipart/form-data`` or ``text/plain`` (anything else needs a CORS preflight, which this site never
  allows). Otherwise: ``422`` (« not JSON at all », as the contract says), nothing done. ``DELETE`` cannot
  be sent by a form at all.
- **Body size**: a request body over ``MAX_BODY_BYTES`` (``create_app(max_body_bytes=…)``) is refused with
  ``413`` and a French message (the API's error body under ``/api/`` and the test routes, a French page
  elsewhere) without being read: at once when ``Content-Length`` announces it, and as soon as the bytes
  read pass the limit for a body sent without it (chunked). The bodies of unsafe methods are read here,
  up to the limit, before the CSRF check and the app see them.
- **Headers on every response**: ``Content-Security-Policy`` (``default-src 'self'``, ``frame-ancestors
  'none'``, ``form-action 'self'`` plus the FranceConnect provider's origin when configured, the inline
  style of ``base.html`` allowed by a per-response nonce; the Swagger pages ``/docs`` and ``/redoc``, which
  exist in test mode only, load their script from a CDN and get no CSP), ``X-Content-Type-Options:
  nosniff``, ``Referrer-Policy: same-origin``, ``X-Frame-Options: DENY``; over HTTPS,
  ``Strict-Transport-Security: max-age=31536000``.
- **Cookies**: every cookie the app sets is HttpOnly and SameSite=Lax (``api.set_session_cookie``,
  ``pages``); this middleware adds ``Secure`` when the request came over HTTPS: the request's own scheme,
  or ``X-Forwarded-Proto: https`` sent by a *trusted proxy* (``create_app(trusted_proxies=…)``, ``moncompte
  serve --trusted-proxy IP``), never by anyone else. Forwarded headers arriving while no proxy is trusted
  are logged once (a warning in French: the site is probably behind a proxy that was not declared).
- **Login throttling** (``login``): failed logins are counted in the database (table ``login_failures``,
  keyed by a hash of the identifier typed, and of the client's IP) over a sliding window.
  *Per identifier*, past the limit the login is refused with ``429`` and a French message, *before* the
  password is checked, for a known and an unknown identifier alike (no enumeration; the service already
  spends one argon2 verification on a dummy hash for an unknown identifier, so an unthrottled refusal
  costs the same for both). *Per client address*, past its limit the logins are only slowed down, never
  refused (many users may share one address behind a NAT): the answer waits a delay that grows with each
  further failure, capped at a few seconds, with ``asyncio.sleep`` in the middleware (the event loop and
  the worker threads stay free). This slows a client that tries many identifiers one after the other; it
  does not bound parallel attempts: the per-identifier lock is what protects each account.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
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
from moncompte.rules import DEFAULTS, Refusal

log = logging.getLogger(__name__)

CSRF_COOKIE = "csrf"
CSRF_FIELD = "csrf"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH"}
API_PREFIXES = ("/api/", "/__")  # paths answered in JSON: the API and the test routes
NO_CSP_PATHS = ("/docs", "/redoc")  # Swagger UI / ReDoc: script and style from a CDN, inline script
MAX_BODY_BYTES = DEFAULTS["SEC-CORPS-LIMITE"]["taille_max_octets"]  # forms and JSON bodies: a few kB at most
HSTS = b"max-age=31536000"

MSG_CSRF = (
    "Votre demande a été refusée : le formulaire a expiré ou ne provient pas de ce site. "
    "Rechargez la page et recommencez."
)
MSG_JSON_REQUIS = "Requête invalide : le corps de la requête doit être du JSON (Content-Type: application/json)."
MSG_TROP_VOLUMINEUX = "Requête refusée : le contenu envoyé est trop volumineux."
MSG_TROP_DE_TENTATIVES = (
    "Trop de tentatives de connexion ont échoué. Pour protéger votre compte, réessayez dans 15 minutes."
)
MSG_MANDATAIRE_NON_DECLARE = (
    "Des requêtes arrivent avec un en-tête X-Forwarded-For ou X-Forwarded-Proto, mais aucun mandataire "
    "inverse n'est déclaré (--trusted-proxy) : ces en-têtes sont ignorés. Si le site est derrière un "
    "mandataire, déclarez son adresse : sinon tous les clients ont l'adresse du mandataire (les connexions "
    "de tous sont ralenties ensemble) et les cookies ne sont pas marqués Secure."
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
    """Within ``window``: after ``per_account`` failures for one identifier, its logins are refused until
    the oldest of them leaves the window; from the ``per_client``-th failure of one client on, each login of
    that client waits ``client_delay_step`` seconds more, up to ``client_delay_max``. State in the database."""

    def __init__(
        self,
        sessions: sessionmaker,
        *,
        per_account: int = 5,
        per_client: int = 100,
        client_delay_step: float = 0.5,
        client_delay_max: float = 5.0,
        window: timedelta = timedelta(minutes=15),
    ):
        self.sessions, self.window = sessions, window
        self.per_account, self.per_client = per_account, per_client
        self.client_delay_step, self.client_delay_max = client_delay_step, client_delay_max

    @staticmethod
    def _key(kind: str, value: str) -> str:
        # Hashed: an identifier typed by mistake (someone else's NIR) is not kept in clear.
        return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()

    def _account_key(self, identifiant: str | None) -> str:
        return self._key("compte", normalize_identifier(identifiant))

    def _failures(self, key: str) -> int:
        with self.sessions.begin() as db:
            return db.scalar(
                select(func.count())
                .select_from(LoginFailure)
                .where(LoginFailure.key == key, LoginFailure.failed_at > utcnow() - self.window)
            )

    def blocked(self, identifiant: str | None) -> bool:
        return self._failures(self._account_key(identifiant)) >= self.per_account

    def client_delay(self, client: str) -> float:
        """Seconds the next login of ``client`` waits (0 below its limit)."""
        beyond = self._failures(self._key("client", client)) - self.per_client + 1
        return min(self.client_delay_max, self.client_delay_step * beyond) if beyond > 0 else 0.0

    def failed(self, identifiant: str | None, client: str) -> None:
        now = utcnow()
        with self.sessions.begin() as db:
            db.execute(delete(LoginFailure).where(LoginFailure.failed_at <= now - self.window))
            db.add_all(
                [
                    LoginFailure(key=key, failed_at=now)
                    for key in (self._account_key(identifiant), self._key("client", client))
                ]
            )

    def succeeded(self, identifiant: str | None) -> None:
        """A right password clears that identifier's failures (not the client's)."""
        with self.sessions.begin() as db:
            db.execute(delete(LoginFailure).where(LoginFailure.key == self._account_key(identifiant)))


def login(request: Request, identifiant: str | None, password: str | None, prestation: str | None = None) -> str:
    """``Service.login`` behind the throttle (pages and API): a new session id, or ``Refused``.

    The client's delay is only noted here (``login_delay``): ``HardeningMiddleware`` waits it,
    asynchronously, before sending the answer (this function runs in a worker thread)."""
    throttle: LoginThrottle = request.app.state.login_throttle
    client = client_address(request)
    request.state.login_delay = throttle.client_delay(client)
    if throttle.blocked(identifiant):
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
    """CSRF check, body size limit, security headers, cookie flags and the login delay for every HTTP
    request (pure ASGI)."""

    def __init__(
        self,
        app,
        *,
        refusal_page: Callable[[Any, Any], Any],
        too_large_page: Callable[[Any, Any], Any],
        session_cookie: str,
        trusted_proxies: Iterable[str] = (),
        form_action_origins: Iterable[str] = (),
        max_body_bytes: int = MAX_BODY_BYTES,
    ):
        """``refusal_page(scope, receive)``: the response to a form posted from another site;
        ``too_large_page(scope, receive)``: the response to a page request whose body is too large (the
        pages module's French error pages; given by the app, so that this module does not import the
        pages). ``session_cookie``: the name of the cookie whose change gives a new CSRF token."""
        self.app = app
        self.refusal_page = refusal_page
        self.too_large_page = too_large_page
        self.session_cookie_name = session_cookie
        self.session_cookie = f"{session_cookie}=".encode()
        self.trusted_proxies = tuple(trusted_proxies)
        self.form_action = " ".join(["'self'", *[o for o in form_action_origins if o]])
        self.max_body_bytes = max_body_bytes
        self.forwarded_warned = False

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        self._warn_if_forwarded_untrusted(scope)
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
        session = cookie[self.session_cookie_name].value if self.session_cookie_name in cookie else None
        form_token = bound_token(token, session)  # what the forms carry and the check expects
        nonce = secrets.token_urlsafe(16)
        state = scope.setdefault("state", {})
        state.update(
            csrf_token=form_token, csp_nonce=nonce, https=https, client_ip=client_ip(scope, self.trusted_proxies)
        )
        path = scope["path"]
        api = path.startswith(API_PREFIXES)

        async def send_hardened(message):
            if message["type"] == "http.response.start":
                if state.get("login_delay"):  # noted by ``login``: this client failed too often
                    await asyncio.sleep(state["login_delay"])
                headers = [(k, v) for k, v in message.get("headers", [])]
                cookies = [v for k, v in headers if k.lower() == b"set-cookie"]
                if https:
                    headers = [(k, _secure(v)) if k.lower() == b"set-cookie" else (k, v) for k, v in headers]
                if any(v.startswith(self.session_cookie) for v in cookies):  # login or logout: a new token
                    headers.append((b"set-cookie", _cookie_header(CSRF_COOKIE, secrets.token_urlsafe(32), https)))
                elif token_is_new:
                    headers.append((b"set-cookie", _cookie_header(CSRF_COOKIE, token, https)))
                headers += self._security_headers(path, nonce, https)
                message = {**message, "headers": headers}
            await send(message)

        if _content_length(scope) > self.max_body_bytes:  # refused before a byte of it is read
            return await self._too_large(scope, receive, send_hardened, api)
        method = scope["method"]
        if method in UNSAFE_METHODS:
            if api and method in BODY_METHODS and _media_type(scope) != "application/json":
                return await _api_error(422, MSG_JSON_REQUIS)(scope, receive, send_hardened)
            body = await _read_body(receive, self.max_body_bytes)
            if body is None:
                return await self._too_large(scope, receive, send_hardened, api)
            replay = _replayer(body, receive)
            if not api and not await _csrf_field_matches(scope, replay(), None if token_is_new else form_token):
                response = self.refusal_page(scope, replay())
                return await response(scope, replay(), send_hardened)
            receive = replay()
        return await self.app(scope, receive, send_hardened)

    async def _too_large(self, scope, receive, send, api: bool) -> None:
        response = _api_error(413, MSG_TROP_VOLUMINEUX) if api else self.too_large_page(scope, receive)
        response.headers["connection"] = "close"  # the server stops there instead of taking in the rest
        await response(scope, receive, send)

    def _warn_if_forwarded_untrusted(self, scope) -> None:
        """Once per app: forwarded headers while no proxy is trusted (a proxy probably not declared)."""
        if self.forwarded_warned or self.trusted_proxies:
            return
        if _header(scope, b"x-forwarded-for") is not None or _header(scope, b"x-forwarded-proto") is not None:
            self.forwarded_warned = True
            log.warning(MSG_MANDATAIRE_NON_DECLARE)

    def _security_headers(self, path: str, nonce: str, https: bool) -> list[tuple[bytes, bytes]]:
        headers = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"same-origin"),
            (b"x-frame-options", b"DENY"),
        ]
        if https:
            headers.append((b"strict-transport-security", HSTS))
        if not path.startswith(NO_CSP_PATHS):
            csp = (
                f"default-src 'self'; style-src 'self' 'nonce-{nonce}'; base-uri 'self'; object-src 'none'; "
                f"frame-ancestors 'none'; form-action {self.form_action}"
            )
            headers.append((b"content-security-policy", csp.encode()))
        return headers


def _api_error(status: int, message: str) -> JSONResponse:
    """The API's error body (``app._errors``) for a refusal of the middleware itself."""
    return JSONResponse({"erreurs": [{"regle": None, "champ": None, "message": message}]}, status_code=status)


def _media_type(scope) -> str:
    return (_header(scope, b"content-type") or "").split(";")[0].strip().lower()


def _content_length(scope) -> int:
    try:
        return int(_header(scope, b"content-length") or 0)
    except ValueError:  # the server refuses a malformed one before the app sees it
        return 0


async def _read_body(receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes ``limit`` bytes (the rest is left unread)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
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


async def _csrf_field_matches(scope, receive, token: str | None) -> bool:
    """Whether the form's ``csrf`` field is ``token`` (None: the browser had no token cookie)."""
    if token is None:
        return False
    try:
        form = await Request(scope, receive).form()
        sent = form.get(CSRF_FIELD)
        await form.close()
    except Exception:  # noqa: BLE001 - not a form at all: no token
        return False
    return isinstance(sent, str) and hmac.compare_digest(sent.encode(), token.encode())


def bound_token(token: str, session: str | None) -> str:
    """The CSRF token a form carries: the ``csrf`` cookie's token without a session; with one, an HMAC-SHA256
    of the session id keyed by that token (43 URL-safe characters, like the token itself)."""
    if not session:
        return token
    digest = hmac.new(token.encode(), session.encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _cookie_header(name: str, value: str, secure: bool) -> bytes:
    return f"{name}={value}; HttpOnly; Path=/; SameSite=lax{'; Secure' if secure else ''}".encode()


def _secure(set_cookie: bytes) -> bytes:
    if b"secure" in [part.strip().lower() for part in set_cookie.split(b";")]:
        return set_cookie
    return set_cookie + b"; Secure"


def client_address(request: Request) -> str:
    """The client's address as the middleware worked it out (trusted proxies), for quotas and throttling."""
    return request.scope.get("state", {}).get("client_ip") or client_ip(request.scope, ())
