"""The application factory: one service, two faces (JSON API and pages), test routes on demand."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
from argon2 import PasswordHasher
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from moncompte.reference_impl import api, hardening, pages, registry, testmode
from moncompte.reference_impl.chatbot import Chatbot
from moncompte.reference_impl.db import make_sessionmaker
from moncompte.reference_impl.delivery import Delivery
from moncompte.reference_impl.franceconnect import routes as franceconnect_routes
from moncompte.reference_impl.franceconnect.client import OidcClient
from moncompte.reference_impl.franceconnect.flow import FranceConnect
from moncompte.reference_impl.security import default_password_hasher
from moncompte.reference_impl.service import SEND_LIMIT_PER_CLIENT, Refused, Service
from moncompte.rules import DEFAULTS, Refusal, Settings

access_log = logging.getLogger("moncompte.reference_impl.access")

MSG_REQUETE = "Requête invalide : {detail}"
MSG_INTROUVABLE = "Page introuvable."
MSG_METHODE = "Cette méthode n'est pas permise à cette adresse."
MSG_HTTP = "La requête n'a pas pu être traitée."
MSG_CORPS_ILLISIBLE = "Requête invalide : le corps de la requête n'est pas un JSON lisible."


def create_app(
    database_url: str,
    test_mode: bool = False,
    *,
    settings: Settings = DEFAULTS,
    password_hasher: PasswordHasher | None = None,
    smtp_host: str | None = None,
    smtp_port: int = 25,
    sms_gateway_url: str | None = None,
    registry_file: Path | None = registry.DATA_FILE,
    fc_discovery_url: str | None = None,
    fc_client_id: str | None = None,
    fc_client_secret: str | None = None,
    fc_redirect_uri: str | None = None,
    fc_post_logout_redirect_uri: str | None = None,
    fc_transport: httpx.BaseTransport | None = None,
    trusted_proxies: tuple[str, ...] | list[str] = (),
    login_limits: dict | None = None,
    send_limit_per_client: int = SEND_LIMIT_PER_CLIENT,
    max_body_bytes: int | None = None,
) -> FastAPI:
    """Build the app over a database (any SQLAlchemy URL; tables created if missing).

    ``test_mode`` adds ``/__outbox__``, ``/__test__/…`` and the Swagger pages ``/docs`` and ``/redoc``
    (their scripts come from a CDN, without integrity check; ``/openapi.json`` is always served).
    ``password_hasher`` lets tests use cheap argon2 parameters; the default is above OWASP's floor.
    ``registry_file`` is loaded into the database once (None: start empty).
    ``fc_discovery_url``, ``fc_client_id`` and ``fc_client_secret`` turn FranceConnect on; its
    redirect URIs default to this site's ``/franceconnect/retour`` and ``/franceconnect/deconnexion``
    (as the request reached it); ``fc_transport`` lets tests route the calls to the provider.
    ``trusted_proxies``: peer addresses whose ``X-Forwarded-Proto``/``X-Forwarded-For`` are believed
    (``hardening.py``); ``login_limits``: ``hardening.LoginThrottle`` options (``per_account``, ``per_client``,
    ``client_delay_step``, ``client_delay_max``, ``window``); ``max_body_bytes``: the largest request body
    accepted (larger: ``413``; default: the site's ``SEC-CORPS-LIMITE.taille_max_octets``).
    ``send_limit_per_client``: codes asked from one client address per window (0: no limit).
    """
    sessions = make_sessionmaker(database_url)
    if registry_file is not None:
        registry.load_file(sessions, registry_file)

    app = FastAPI(
        title="Mon Compte — implémentation de référence",
        description="Le parcours de création de « Mon Compte » (CAF), étape par étape. "
        "Contrat : reference_impl/README.md.",
        version="0.1.0",
        docs_url="/docs" if test_mode else None,
        redoc_url="/redoc" if test_mode else None,
    )
    app.state.service = Service(
        sessions,
        settings=settings,
        hasher=password_hasher or default_password_hasher(),
        delivery=Delivery(
            smtp_host=smtp_host, smtp_port=smtp_port, sms_gateway_url=sms_gateway_url, keep_codes=test_mode
        ),
        send_limit_per_client=send_limit_per_client,
    )
    app.state.chatbot = Chatbot(settings)
    if fc_discovery_url and not (fc_client_id and fc_client_secret):
        raise ValueError("FranceConnect needs a client id and a client secret")
    fc_client = (
        OidcClient(fc_discovery_url, fc_client_id, fc_client_secret, transport=fc_transport)
        if fc_discovery_url
        else None
    )
    app.state.franceconnect = FranceConnect(
        app.state.service,
        fc_client,
        redirect_uri=fc_redirect_uri,
        post_logout_redirect_uri=fc_post_logout_redirect_uri,
    )

    app.state.login_throttle = hardening.LoginThrottle(
        sessions, **{"per_account": settings["SEC-CONNEXION-LIMITEE"]["echecs_max"], **(login_limits or {})}
    )

    app.include_router(api.router)
    app.include_router(franceconnect_routes.api_router)
    app.include_router(franceconnect_routes.pages_router)
    if test_mode:
        app.include_router(testmode.router)
    app.include_router(pages.router)

    @app.exception_handler(Refused)
    def refused(request: Request, exc: Refused) -> Response:
        if _is_api(request):
            return _errors(exc.status, [(r.rule_id, r.field, r.message) for r in exc.refusals])
        return pages.error_page(request, exc)

    @app.exception_handler(RequestValidationError)
    def malformed(request: Request, exc: RequestValidationError) -> Response:
        return _errors(
            422,
            [
                (None, ".".join(map(str, e["loc"][1:])) or None, MSG_REQUETE.format(detail=e["msg"]))
                for e in exc.errors()
            ],
        )

    @app.exception_handler(StarletteHTTPException)
    def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request) and exc.status_code == 400:  # a body that is not JSON at all: malformed, as the README says
            return _errors(422, [(None, None, MSG_CORPS_ILLISIBLE)])
        if _is_api(request):  # the contract's body, in French (an unknown route, a method not allowed…)
            message = {404: MSG_INTROUVABLE, 405: MSG_METHODE}.get(exc.status_code, MSG_HTTP)
            return _errors(exc.status_code, [(None, None, message)])
        if exc.status_code != 404:
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
        return pages.render(request, "erreur.html", 404)

    app.add_middleware(
        hardening.HardeningMiddleware,
        refusal_page=pages.csrf_refusal,
        too_large_page=_too_large_page,
        session_cookie=api.SESSION_COOKIE,
        trusted_proxies=tuple(trusted_proxies),
        form_action_origins=[hardening.origin(fc_discovery_url)],
        max_body_bytes=max_body_bytes or settings["SEC-CORPS-LIMITE"]["taille_max_octets"],
    )
    app.add_middleware(AccessLogMiddleware)
    return app


def _too_large_page(scope, receive) -> Response:
    """The French page of a page request whose body is too large (``hardening.HardeningMiddleware``)."""
    return pages.error_page(Request(scope, receive), Refused(413, Refusal(None, None, hardening.MSG_TROP_VOLUMINEUX)))


def _is_api(request: Request) -> bool:
    return request.url.path.startswith(hardening.API_PREFIXES)


def _errors(status: int, entries: list[tuple[str | None, str | None, str]]) -> JSONResponse:
    return JSONResponse(
        {"erreurs": [{"regle": rule, "champ": field, "message": message} for rule, field, message in entries]},
        status_code=status,
    )


class AccessLogMiddleware:
    """Logs method, route template and status only: never a path value or query string
    (they may hold a NIR, a code, a document number or an outbox address)."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        status = {}

        async def send_and_keep_status(message):
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        await self.app(scope, receive, send_and_keep_status)
        route = scope.get("route")
        access_log.info("%s %s %s", scope["method"], getattr(route, "path", "(hors route)"), status.get("code"))
